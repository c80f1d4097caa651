#pragma once
// The dispatch module's permissions (granted in config/roles.json). The center's steps (dispatch,
// review a return or an extension, return visit, redo, close) need the reports module's
// report.triage (modules/reports/permissions.h); statistics need the platform's stats.read.
#include <array>
#include <string_view>

namespace th::perm {

// Accept, return, request an extension for and feed back on orders sent to the caller's agency
// (a department's liaison) or unit (a street's supervisor, a community's child director).
inline constexpr const char* kDispatchHandle = "dispatch.handle";

inline constexpr std::array<std::string_view, 1> kDispatchPermissions = {kDispatchHandle};

}  // namespace th::perm
