#pragma once
// The cases module's permissions (granted in config/roles.json; README.md beside this file).
// case.read and case.write were declared by the platform before this module existed
// (platform/service/permissions.h kCaseRead, kCaseWrite) and stay there so that modules built on
// cases (plans) include one header for them; case.assign is this module's own.
#include <array>
#include <string_view>

#include "platform/service/permissions.h"

namespace th::perm {

inline constexpr const char* kCaseAssign = "case.assign";  // station / district: assign the case's worker

inline constexpr std::array<std::string_view, 1> kCasesPermissions = {kCaseAssign};

}  // namespace th::perm
