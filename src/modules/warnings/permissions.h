#pragma once
// The warnings module's permissions (granted in config/roles.json).
#include <array>
#include <string_view>

namespace th::perm {

// See early warnings (list, detail, counts by rule, a child's warnings) in the caller's subtree;
// each read of a warning or of a child's warnings is audited.
inline constexpr const char* kWarningRead = "warning.read";
// Handle or dismiss a warning (已处置 / 误报, with a note) and raise one by hand, in the caller's subtree.
inline constexpr const char* kWarningHandle = "warning.handle";

inline constexpr std::array<std::string_view, 2> kWarningPermissions = {kWarningRead, kWarningHandle};

}  // namespace th::perm
