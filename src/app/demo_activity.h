#pragma once
// The demo district's work of the past weeks (`tonghu demo`), made through the real services so the
// work engine's hooks, the audit log and the escalation notifications see it as real work.
#include "app/bootstrap.h"

namespace th::app {

// What LoadDemoActivity made (printed by `tonghu demo`, asserted by tests).
struct DemoActivity {
  std::int64_t children = 0, roll_requests = 0, batches = 0, tasks = 0, outcomes = 0, extensions = 0;
  std::int64_t escalations = 0;  // steps the closing sweep recorded
};

// Files a few children in the demo district's communities, proposes, reviews, confirms and returns
// roll requests, uploads two screening batches (their findings become verification tasks for the
// communities' 儿童主任) and records outcomes and extension requests, each at a fixed time of a
// fixed day before today (the app clock is pinned while it runs), then runs one escalation sweep at
// the real time: some items are overdue and escalated. Deterministic: the same data on every run,
// dated relative to today (Asia/Shanghai). Requires LoadDemo (created) and ConfigureModules.
Result<DemoActivity> LoadDemoActivity(App& app);

}  // namespace th::app
