#pragma once
// The dispatch module's part of `tonghu demo`: orders in every state of the workflow (pending
// acceptance, handling, an extension waiting, a return waiting, returned and sent again, fed back,
// closed after a return visit, a redo, co-handling with a street), over reports the demo triages.
#include "app/bootstrap.h"

namespace th::app {

// Needs the demo district, its accounts (district, liaison of 区教育局, supervisor, director) and
// the configured modules; runs after LoadDemoReports.
Status LoadDemoDispatch(App& app);

}  // namespace th::app
