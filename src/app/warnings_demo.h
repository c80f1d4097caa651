#pragma once
// The warnings module's part of `tonghu demo`: the nightly evaluation over the demo district two days
// ago (the rules raise warnings from the grades, visits, parents' states, reports and overdue
// assessments the earlier demo steps made), a warning the 儿童主任 raises by hand after a visit, one
// she handles with a note, and today's evaluation. Deterministic: pinned times before today.
#include "app/bootstrap.h"

namespace th::app {

// Runs after the other demo steps (cases, visits, reports). Returns the open warnings after it.
Result<std::int64_t> LoadDemoWarnings(App& app);

}  // namespace th::app
