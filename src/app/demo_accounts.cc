#include "app/demo_accounts.h"

#include "modules/accounts/permissions.h"
#include "platform/repo/org_repo.h"
#include "platform/repo/user_repo.h"
#include "platform/service/roles.h"

namespace th::app {

Result<service::Principal> DemoPrincipal(App& app, const std::string& username) {
  TH_ASSIGN_OR_RETURN(auto h, app.db->Acquire());
  TH_ASSIGN_OR_RETURN(auto u, repo::UserRepo(*h).GetByUsername(username));
  service::Principal p;
  p.user_id = u.id;
  p.username = u.username;
  p.display_name = u.display_name;
  p.role = u.role;
  if (const service::Role* r = app.services->roles().Find(u.role)) p.permissions = r->permissions;
  p.agency_id = u.agency_id;
  p.org_unit_id = u.org_unit_id;
  p.org_path = u.org_unit_path;
  p.org_name = u.org_unit_name;
  p.org_code = u.org_unit_code;
  p.org_level = u.org_unit_level;
  TH_ASSIGN_OR_RETURN(p.org_path_names, repo::OrgRepo(*h).PathNames(p.org_path));
  p.client_ip = "demo";
  return p;
}

Result<service::Principal> DemoSystemPrincipal(App& app, std::int64_t unit_id) {
  TH_ASSIGN_OR_RETURN(auto h, app.db->Acquire());
  TH_ASSIGN_OR_RETURN(auto unit, repo::OrgRepo(*h).Get(unit_id));
  service::Principal p;
  p.username = "system";
  p.display_name = "系统初始化";
  p.role = "sysadmin";
  p.permissions = {perm::kOrgRead, perm::kOrgManage, perm::kUserRead, perm::kUserManage};
  p.org_unit_id = unit.id;
  p.org_path = unit.path;
  p.org_name = unit.name;
  p.org_code = unit.code;
  p.org_level = unit.level;
  p.client_ip = "cli";
  return p;
}

}  // namespace th::app
