#pragma once
// The conferences module's part of `tonghu demo`: a held conference about 陈思雨 (布吉街道) with
// two decisions (the community's done, 区教育局's overdue and escalated) and the next conference
// about the same child, planned, which shows the open decision as a follow-up.
#include "app/bootstrap.h"

namespace th::app {

// Needs the demo district, its accounts (supervisor, director, liaison of 区教育局) and the demo
// activity's children; runs after LoadDemoDispatch. Deterministic: every step at a pinned time
// before today (Asia/Shanghai).
Status LoadDemoConferences(App& app);

}  // namespace th::app
