#pragma once
// The screening module's permissions (granted in config/roles.json).
#include <array>
#include <string_view>

namespace th::perm {

inline constexpr const char* kScreeningManage = "screening.manage";  // sources, uploads, every finding in the subtree
inline constexpr const char* kScreeningVerify = "screening.verify";  // record verification outcomes in the subtree

inline constexpr std::array<std::string_view, 2> kScreeningPermissions = {kScreeningManage, kScreeningVerify};

}  // namespace th::perm
