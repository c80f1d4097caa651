#pragma once
// The visits module's part of `tonghu demo`: schedules for the demo children on the roll, grades as
// the cases module would set them, three months of visits recorded by the 儿童主任 and 网格员 (some
// with follow-ups and needs), and children whose visit is overdue (their visit_due items open, the
// sweeper escalates them). Deterministic: pinned times before today.
#include "app/bootstrap.h"

namespace th::app {

// Needs the demo district, its accounts (director, director2, grid, supervisor, district) and the
// configured modules; runs after LoadDemoActivity (whose roll decisions put children on the roll).
// Returns the number of visits recorded.
Result<std::int64_t> LoadDemoVisits(App& app);

}  // namespace th::app
