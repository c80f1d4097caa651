#include "service/roles.h"

namespace th::service {

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> kRoles = {
      {"sysadmin", "系统管理员", "System administrator",
       {"org.read", "org.manage", "user.read", "user.manage", "audit.read", "stats.read", "work.oversee"}, 100},
      {"district", "区民政/未保中心", "District civil affairs / protection center",
       {"org.read", "org.manage", "user.read", "user.manage", "audit.read", "child.read", "child.write",
        "child.reveal", "child.export", "roll.confirm", "screening.manage", "screening.verify", "report.read",
        "report.write", "case.read", "case.write", "resource.read", "resource.write", "stats.read", "work.oversee"}, 80},
      {"street_supervisor", "街道儿童督导员", "Street child supervisor",
       {"org.read", "user.read", "child.read", "child.write", "child.reveal", "roll.review", "screening.verify",
        "report.read", "report.write", "case.read", "case.write", "resource.read", "stats.read", "work.oversee"}, 60},
      {"child_director", "社区儿童主任", "Community child director",
       {"org.read", "child.read", "child.write", "child.reveal", "roll.propose", "screening.verify", "report.read",
        "report.write", "case.read", "case.write", "resource.read"}, 40},
      {"grid_worker", "网格员", "Grid worker", {"org.read", "child.read", "report.read", "report.write", "screening.verify"}, 20},
      {"social_worker", "社工", "Social worker",
       {"org.read", "child.read", "case.read", "case.write", "report.read", "resource.read"}, 40},
      {"dept_liaison", "成员单位联络员", "Member department liaison",
       {"org.read", "report.read", "report.write", "resource.read"}, 40},
      {"leader", "领导(只读)", "Leader (read-only)",
       {"org.read", "user.read", "audit.read", "child.read", "report.read", "case.read", "resource.read",
        "stats.read"}, 80},
  };
  return kRoles;
}

int RoleRank(const std::string& code) {
  const Role* r = FindRole(code);
  return r ? r->rank : 0;
}

const Role* FindRole(const std::string& code) {
  for (const Role& r : AllRoles()) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

std::set<std::string> AllPermissions() {
  std::set<std::string> all;
  for (const Role& r : AllRoles()) all.insert(r.permissions.begin(), r.permissions.end());
  return all;
}

}  // namespace th::service
