#pragma once
// Roles are named sets of permissions (docs/API.md lists both). Least privilege: the system
// administrator manages accounts and units but does not read children's files.
#include <set>
#include <string>
#include <vector>

namespace th::service {

struct Role {
  std::string code;
  std::string name;     // zh-CN
  std::string name_en;
  std::set<std::string> permissions;
  // Rank for account administration: a user manages only accounts of lower rank inside their
  // subtree (UserService); only a sysadmin (the highest) manages a sysadmin.
  int rank = 0;
};

// All roles, in display order.
const std::vector<Role>& AllRoles();
// The role or nullptr.
const Role* FindRole(const std::string& code);
// The role's rank (0 for an unknown role).
int RoleRank(const std::string& code);
// Every permission name any role has.
std::set<std::string> AllPermissions();

}  // namespace th::service
