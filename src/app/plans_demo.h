#pragma once
// The plans module's part of `tonghu demo`: for the demo's cases, plans (一人一策) with goals from the
// needs, case and group services, a 1+N team and tasks (one approved, one submitted awaiting the
// station, one draft), service records, and two group services (安全教育小组, 情绪支持小组) with
// members and sessions.
#include "app/bootstrap.h"

namespace th::app {

// Needs the demo district, its accounts (director, supervisor, district) and the configured modules;
// runs after the cases demo (it plans the cases that demo opened).
Status LoadDemoPlans(App& app);

}  // namespace th::app
