#pragma once
// The guardianship module's permissions (granted in config/roles.json; README.md beside this file).
// An intervention is visible only to the roles that work it: the district (all three), the street
// supervisor and the social workers (read, write). Nobody else sees that one exists.
#include <array>
#include <string_view>

namespace th::perm {

inline constexpr const char* kGuardianshipRead = "guardianship.read";        // list and open interventions
inline constexpr const char* kGuardianshipWrite = "guardianship.write";      // propose, place, check, return
inline constexpr const char* kGuardianshipApprove = "guardianship.approve";  // district 民政: decide, convert, end

inline constexpr std::array<std::string_view, 3> kGuardianshipPermissions = {kGuardianshipRead, kGuardianshipWrite,
                                                                             kGuardianshipApprove};

}  // namespace th::perm
