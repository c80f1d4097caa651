#pragma once
// The conferences module's permissions (granted in config/roles.json).
#include <array>
#include <string_view>

namespace th::perm {

// See the conferences in the caller's jurisdiction (the convening unit's subtree, and above it).
inline constexpr const char* kConferenceRead = "conference.read";
// Convene, edit, record, cancel and close conferences convened by the caller's unit or below.
inline constexpr const char* kConferenceManage = "conference.manage";
// Carry out conference decisions assigned to the caller's unit or agency (the work item's act permission):
// a department liaison sees nothing of conferences but these.
inline constexpr const char* kConferenceTask = "conference.task";

inline constexpr std::array<std::string_view, 3> kConferencePermissions = {kConferenceRead, kConferenceManage,
                                                                          kConferenceTask};

}  // namespace th::perm
