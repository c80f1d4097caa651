#pragma once
// Permission names the platform checks, and those granted today for modules still to come. Each
// module names its own in src/modules/<m>/permissions.h; roles grant them in config/roles.json.
// roles_test (src/app) fails when a permission used in code is granted to no role, or a granted
// one is declared nowhere. Use the constants, never the string.
#include <array>
#include <string_view>

namespace th::perm {

inline constexpr const char* kAuditRead = "audit.read";  // read and verify the audit log
inline constexpr const char* kStatsRead = "stats.read";  // statistics over the caller's subtree
inline constexpr const char* kWorkOversee = "work.oversee";  // overdue work items in the subtree (督办)

// Granted by config/roles.json for the modules to come (case work, resources); no code checks
// them yet. A new module moves its names into its own permissions.h (reports did).
inline constexpr const char* kCaseRead = "case.read";
inline constexpr const char* kCaseWrite = "case.write";
inline constexpr const char* kResourceRead = "resource.read";
inline constexpr const char* kResourceWrite = "resource.write";

inline constexpr std::array<std::string_view, 7> kPlatformPermissions = {
    kAuditRead, kStatsRead, kWorkOversee, kCaseRead, kCaseWrite, kResourceRead, kResourceWrite};

}  // namespace th::perm
