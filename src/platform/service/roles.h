#pragma once
// Roles are named sets of permissions, loaded from config/roles.json (docs/API.md lists both).
// Least privilege: the system administrator manages accounts and units but does not read
// children's files. Permission names are declared in permissions.h files (th::perm).
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

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

// The roles of a deployment, in display order. Immutable once parsed; owned by Services.
class RoleTable {
 public:
  // Parses config/roles.json: {"roles":[{"code","name","name_en","rank","permissions":[...]}]}.
  // Errors: 400 invalid_roles naming the role (duplicate or empty code, no name, a permission
  // that is not "area.verb").
  static Result<RoleTable> Parse(std::string_view json_text);

  const std::vector<Role>& all() const { return roles_; }
  // The role or nullptr.
  const Role* Find(const std::string& code) const;
  // The role's rank (0 for an unknown role).
  int Rank(const std::string& code) const;
  // Every permission any role has.
  std::set<std::string> Permissions() const;

 private:
  std::vector<Role> roles_;
};

}  // namespace th::service
