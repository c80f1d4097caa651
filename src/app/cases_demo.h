#pragma once
// The cases module's part of `tonghu demo`: four cases in the demo district in different states, with
// risk, needs and guardianship assessments and grades, made by the demo's social worker (周敏, `social`)
// and 儿童主任 at pinned past times (deterministic).
#include "app/bootstrap.h"

namespace th::app {

// Needs the demo district, its children (LoadDemoActivity) and the configured modules.
Status LoadDemoCases(App& app);

}  // namespace th::app
