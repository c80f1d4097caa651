#pragma once
// The casestats module's permission (granted in config/roles.json; README.md beside this file).
#include <array>
#include <string_view>

namespace th::perm {

// Read the case statistics (个案统计) of the caller's own subtree and export them: district,
// street_supervisor, child_director, social_worker, leader.
inline constexpr const char* kCaseStatRead = "casestat.read";

inline constexpr std::array<std::string_view, 1> kCaseStatsPermissions = {kCaseStatRead};

}  // namespace th::perm
