#pragma once
// The accounts module's permissions (granted in config/roles.json).
#include <array>
#include <string_view>

namespace th::perm {

inline constexpr const char* kOrgRead = "org.read";      // list and read org units and agencies
inline constexpr const char* kOrgManage = "org.manage";  // create, rename, move, retire, import units; agencies
inline constexpr const char* kUserRead = "user.read";    // list and read accounts in one's subtree
inline constexpr const char* kUserManage = "user.manage";  // manage lower-ranked accounts in one's subtree

inline constexpr std::array<std::string_view, 4> kAccountsPermissions = {kOrgRead, kOrgManage, kUserRead, kUserManage};

}  // namespace th::perm
