#pragma once
// The visits module's permissions (granted in config/roles.json).
#include <array>
#include <string_view>

namespace th::perm {

// See visit schedules, the due list, a child's visit history, visit photos and the statistics
// (in the caller's subtree).
inline constexpr const char* kVisitRead = "visit.read";
// Record a visit (with photos) for a child in the caller's subtree.
inline constexpr const char* kVisitWrite = "visit.write";

inline constexpr std::array<std::string_view, 2> kVisitPermissions = {kVisitRead, kVisitWrite};

}  // namespace th::perm
