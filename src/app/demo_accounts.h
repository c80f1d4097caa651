#pragma once
// The demo's actors for `tonghu demo`: every module's demo (demo_activity.cc, <m>_demo.cc) acts through its
// services as the demo users would, so it needs their principals without a login. One place builds them.
#include <cstdint>
#include <string>

#include "app/bootstrap.h"
#include "platform/service/principal.h"

namespace th::app {

// The principal of demo account `username` as a login would build it (permissions of its role, its unit with
// the path names, its agency), without a session or a password check; client_ip "demo".
Result<service::Principal> DemoPrincipal(App& app, const std::string& username);

// The system's principal for setting up the demo's organisation at `unit_id` (org and user management
// permissions only), as `tonghu demo` uses for the district's units and agencies; client_ip "cli".
Result<service::Principal> DemoSystemPrincipal(App& app, std::int64_t unit_id);

}  // namespace th::app
