#pragma once
// The registry module's permissions (granted in config/roles.json).
#include <array>
#include <string_view>

namespace th::perm {

inline constexpr const char* kChildRead = "child.read";      // read children's files (each read is audited)
inline constexpr const char* kChildWrite = "child.write";    // create and edit files, family, guardian, photos, imports
inline constexpr const char* kChildReveal = "child.reveal";  // show a full identifier, with a purpose (audited)
inline constexpr const char* kChildExport = "child.export";  // export the list (masked unless revealed)
inline constexpr const char* kRollPropose = "roll.propose";  // propose a roll entry, change or exit
inline constexpr const char* kRollReview = "roll.review";    // street review of a roll request
inline constexpr const char* kRollConfirm = "roll.confirm";  // district confirmation

inline constexpr std::array<std::string_view, 7> kRegistryPermissions = {
    kChildRead, kChildWrite, kChildReveal, kChildExport, kRollPropose, kRollReview, kRollConfirm};

}  // namespace th::perm
