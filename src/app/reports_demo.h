#pragma once
// The reports module's part of `tonghu demo`: two reporting units with a reporter account each
// (`school`, `hospital`; the demo password), the center's duty roster, and reports through every
// channel in the demo district, some triaged, some closed.
#include "app/bootstrap.h"

namespace th::app {

// Needs the demo district (LoadDemo) and the configured modules (ConfigureModules).
Status LoadDemoReports(App& app);

}  // namespace th::app
