#include "modules/accounts/service/user_service.h"

#include <algorithm>

#include "base/json_writer.h"
#include "platform/repo/org_repo.h"
#include "platform/repo/user_repo.h"
#include "platform/service/roles.h"
#include "platform/service/session_cache.h"
#include "text/field.h"
#include "modules/accounts/permissions.h"

namespace th::service {

const RoleTable& UserService::roles() const { return auth_.roles(); }

std::string UserJson(const repo::User& u) {
  return JsonObjectWriter()
      .Int("id", u.id)
      .Str("username", u.username)
      .Str("display_name", u.display_name)
      .Str("role", u.role)
      .Int("org_unit_id", u.org_unit_id)
      .OptInt("agency_id", u.agency_id)
      .Str("phone_masked", u.phone_masked)
      .Bool("disabled", u.disabled)
      .Bool("must_change_password", u.must_change_password)
      .OptInt("locked_until", u.locked_until)
      .Int("version", u.version)
      .Finish();
}

namespace {

Status CheckUsername(const std::string& s) {
  bool ok = s.size() >= 3 && s.size() <= 32 && std::all_of(s.begin(), s.end(), [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
            });
  if (!ok) {
    return Status::Invalid("username", "invalid_username", "用户名须为3-32位小写字母、数字、下划线、点或连字符",
                           "Username: 3-32 lower-case letters, digits, '_', '.' or '-'");
  }
  return Status::Ok();
}

Status CheckDisplayName(const std::string& s) {
  if (s.empty()) return Status::Invalid("display_name", "required", "姓名不能为空", "Display name is required");
  return text::CheckText(s, "display_name", text::kPersonName);
}

}  // namespace

Status UserService::ApplyPhone(repo::User& u, const std::string& phone_in) {
  std::string phone;
  for (char c : phone_in) {
    if (c != ' ' && c != '-') phone += c;
  }
  if (phone.empty()) {
    u.phone_enc.clear();
    u.phone_bidx.clear();
    u.phone_masked.clear();
    return Status::Ok();
  }
  bool ok = phone.size() == 11 && phone[0] == '1' &&
            std::all_of(phone.begin(), phone.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!ok) return Status::Invalid("phone", "invalid_phone", "手机号应为11位数字且以1开头", "A mobile number has 11 digits starting with 1");
  u.phone_enc = deps_.keys.Encrypt(phone, "user.phone");
  u.phone_bidx = deps_.keys.BlindIndex(phone, "phone");
  u.phone_masked = phone.substr(0, 3) + "****" + phone.substr(7);
  return Status::Ok();
}

Status UserService::CheckRoleGrant(const Principal* who, const std::string& role) {
  if (!auth_.roles().Find(role)) return Status::Invalid("role", "invalid_role", "角色无效: " + role, "Unknown role: " + role);
  if (who && role == "sysadmin" && who->role != "sysadmin") {
    return Status::Error(Code::kPermissionDenied, "forbidden", "只有系统管理员可以授予系统管理员角色",
                         "Only a system administrator can grant that role", "role");
  }
  if (who && who->role != "sysadmin" && auth_.roles().Rank(role) >= auth_.roles().Rank(who->role)) {
    return Status::Error(Code::kPermissionDenied, "rank_too_high", "只能授予级别低于您本人的角色",
                         "You can grant only roles of lower rank than your own", "role");
  }
  return Status::Ok();
}

Result<repo::User> UserService::Scoped(storage::Connection& c, const Principal& who, std::int64_t id) {
  return LoadInScope(who, repo::UserRepo(c).Get(id), [](const repo::User& u) { return u.org_unit_path; }, "user");
}

Result<repo::User> UserService::Manageable(storage::Connection& c, const Principal& who, std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto u, Scoped(c, who, id));
  if (u.role == "sysadmin" && who.role != "sysadmin") {
    return Status::Error(Code::kPermissionDenied, "rank_too_high", "只有系统管理员可以管理系统管理员账户",
                         "Only a system administrator can manage a system administrator's account");
  }
  if (who.role != "sysadmin" && auth_.roles().Rank(u.role) >= auth_.roles().Rank(who.role)) {
    return Status::Error(Code::kPermissionDenied, "rank_too_high", "只能管理级别低于您本人的账户",
                         "You can manage only accounts of lower rank than your own");
  }
  return u;
}

Status UserService::CheckAgency(storage::Connection& c, const Principal* who, std::optional<std::int64_t> agency_id) {
  if (!agency_id) return Status::Ok();
  repo::OrgRepo orgs(c);
  auto a = orgs.GetAgency(*agency_id);
  auto unit = a.ok() ? orgs.Get(a->org_unit_id) : Result<repo::OrgUnit>(Status::NotFound("org_unit"));
  // The agency's unit must lie in the jurisdiction of whoever binds it (404 beyond it: an agency
  // of another street is not even named).
  if (!a.ok() || !unit.ok() || (who && !who->Covers(unit->path))) {
    return Status::Error(Code::kNotFound, "not_found", "所选机构不存在或不在您的管辖范围内",
                         "The agency does not exist or is outside your jurisdiction", "agency_id");
  }
  if (a->retired) return Status::Invalid("agency_id", "agency_retired", "所选机构已撤销", "The agency is retired");
  return Status::Ok();
}

Result<repo::User> UserService::Get(const Principal& who, std::int64_t id) {
  if (!who.Can(perm::kUserRead)) return Status::Forbidden();
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  return Scoped(*h, who, id);
}

Result<std::vector<repo::User>> UserService::List(const Principal& who, const repo::UserFilter& filter,
                                                  const repo::Page& page, std::int64_t* total) {
  if (!who.Can(perm::kUserRead)) return Status::Forbidden();
  repo::UserFilter f = filter;
  f.path_prefix = who.org_path;
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  if (f.org_unit_id) {
    auto unit = repo::OrgRepo(*h).Get(*f.org_unit_id);
    if (!unit.ok() || !who.Covers(unit->path)) return Status::NotFound("org_unit");
  }
  TH_ASSIGN_OR_RETURN(auto rows, repo::UserRepo(*h).List(f, page, total));
  KeepCovered(who, &rows, [](const repo::User& u) -> const std::string& { return u.org_unit_path; }, "user");
  return rows;
}

Result<std::pair<repo::User, std::string>> UserService::Create(const Principal* who, NewUser in) {
  if (who && !who->Can(perm::kUserManage)) return Status::Forbidden();
  TH_RETURN_IF_ERROR(CheckUsername(in.username));
  TH_RETURN_IF_ERROR(CheckDisplayName(in.display_name));
  TH_RETURN_IF_ERROR(CheckRoleGrant(who, in.role));
  std::string issued;
  if (in.password.empty()) {
    issued = security::RandomPassword();
    in.password = issued;
    in.must_change_password = true;
  } else {
    TH_RETURN_IF_ERROR(AuthService::CheckPolicy(in.username, in.password, "password"));
  }
  repo::User u;
  u.username = in.username;
  u.display_name = in.display_name;
  u.role = in.role;
  u.org_unit_id = in.org_unit_id;
  u.agency_id = in.agency_id;
  u.must_change_password = in.must_change_password;
  TH_RETURN_IF_ERROR(ApplyPhone(u, in.phone));
  TH_ASSIGN_OR_RETURN(u.password_hash, auth_.HashPassword(in.password));
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    auto unit = repo::OrgRepo(c).Get(u.org_unit_id);
    if (!unit.ok() || (who && !who->Covers(unit->path))) {
      return Status::Error(Code::kNotFound, "not_found", "所选单位不存在或不在您的管辖范围内",
                           "The unit does not exist or is outside your jurisdiction", "org_unit_id");
    }
    if (unit->retired) {
      return Status::Invalid("org_unit_id", "unit_retired", "所选单位已撤销", "The unit is retired");
    }
    TH_RETURN_IF_ERROR(CheckAgency(c, who, u.agency_id));
    u.created_at = deps_.clock.NowMillis();
    Status s = repo::UserRepo(c).Insert(u);
    if (s.code() == Code::kConflict) {
      return Status::Error(Code::kConflict, "duplicate", "用户名已被使用: " + u.username,
                           "Username already taken: " + u.username, "username");
    }
    TH_RETURN_IF_ERROR(s);
    u.org_unit_name = unit->name;
    u.org_unit_code = unit->code;
    u.org_unit_path = unit->path;
    return WriteAudit(c, deps_.clock, who, who ? who->client_ip : "cli",
                      {"user.create", "user", std::to_string(u.id), unit->path, "", UserJson(u), ""});
  }));
  return std::make_pair(u, issued);
}

Result<repo::User> UserService::Update(const Principal& who, const UserEdit& e) {
  if (!who.Can(perm::kUserManage)) return Status::Forbidden();
  if (e.display_name) TH_RETURN_IF_ERROR(CheckDisplayName(*e.display_name));
  repo::User after;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    // Anyone with user.manage may correct their own name and phone; role and unit only by rank.
    const bool own_profile = e.id == who.user_id && !e.role && !e.org_unit_id;
    TH_ASSIGN_OR_RETURN(auto before, own_profile ? Scoped(c, who, e.id) : Manageable(c, who, e.id));
    repo::User u = before;
    u.version = e.version;
    if (e.display_name) u.display_name = *e.display_name;
    if (e.role && *e.role != before.role) {
      TH_RETURN_IF_ERROR(CheckRoleGrant(&who, *e.role));
      u.role = *e.role;
    }
    if (e.org_unit_id && *e.org_unit_id != before.org_unit_id) {
      auto unit = repo::OrgRepo(c).Get(*e.org_unit_id);
      if (!unit.ok() || !who.Covers(unit->path)) {
        return Status::Error(Code::kNotFound, "not_found", "所选单位不存在或不在您的管辖范围内",
                             "The unit does not exist or is outside your jurisdiction", "org_unit_id");
      }
      u.org_unit_id = *e.org_unit_id;
    }
    if (e.phone) TH_RETURN_IF_ERROR(ApplyPhone(u, *e.phone));
    TH_RETURN_IF_ERROR(repo::UserRepo(c).UpdateProfile(u, deps_.clock.NowMillis()));
    TH_ASSIGN_OR_RETURN(after, repo::UserRepo(c).Get(e.id));
    // A moved or re-roled user must log in again to pick up the new scope.
    if (after.role != before.role || after.org_unit_id != before.org_unit_id) {
      TH_RETURN_IF_ERROR(repo::UserRepo(c).DeleteUserSessions(e.id));
      if (deps_.sessions) deps_.sessions->EraseUser(e.id);
    }
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"user.update", "user", std::to_string(e.id), after.org_unit_path, UserJson(before),
                       UserJson(after), ""});
  }));
  return after;
}

Result<std::string> UserService::ResetPassword(const Principal& who, std::int64_t id) {
  if (!who.Can(perm::kUserManage)) return Status::Forbidden();
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_RETURN_IF_ERROR(Manageable(*h, who, id).status());
  }
  std::string pw = security::RandomPassword();
  TH_ASSIGN_OR_RETURN(std::string phc, auth_.HashPassword(pw));
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    TH_ASSIGN_OR_RETURN(auto u, Manageable(c, who, id));
    u.password_hash = phc;
    u.must_change_password = true;
    u.failed_count = 0;
    u.first_failed_at.reset();
    u.locked_until.reset();
    TH_RETURN_IF_ERROR(repo::UserRepo(c).UpdateSecurity(u, deps_.clock.NowMillis()));
    TH_RETURN_IF_ERROR(repo::UserRepo(c).DeleteUserSessions(id));
    if (deps_.sessions) deps_.sessions->EraseUser(id);
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"user.reset_password", "user", std::to_string(id), u.org_unit_path, "", "", ""});
  }));
  return pw;
}

Result<repo::User> UserService::SetDisabled(const Principal& who, std::int64_t id, bool disabled) {
  if (!who.Can(perm::kUserManage)) return Status::Forbidden();
  if (id == who.user_id && disabled) {
    return Status::Invalid("id", "cannot_disable_self", "不能停用自己的账户", "You cannot disable your own account");
  }
  repo::User after;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    TH_ASSIGN_OR_RETURN(auto before, Manageable(c, who, id));
    repo::User u = before;
    u.disabled = disabled;
    TH_RETURN_IF_ERROR(repo::UserRepo(c).UpdateSecurity(u, deps_.clock.NowMillis()));
    if (disabled) TH_RETURN_IF_ERROR(repo::UserRepo(c).DeleteUserSessions(id));
    if (deps_.sessions) deps_.sessions->EraseUser(id);
    TH_ASSIGN_OR_RETURN(after, repo::UserRepo(c).Get(id));
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {disabled ? "user.disable" : "user.enable", "user", std::to_string(id), after.org_unit_path,
                       UserJson(before), UserJson(after), ""});
  }));
  return after;
}

Result<repo::User> UserService::Unlock(const Principal& who, std::int64_t id) {
  if (!who.Can(perm::kUserManage)) return Status::Forbidden();
  repo::User after;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    TH_ASSIGN_OR_RETURN(auto before, Manageable(c, who, id));
    repo::User u = before;
    u.locked_until.reset();
    u.failed_count = 0;
    u.first_failed_at.reset();
    TH_RETURN_IF_ERROR(repo::UserRepo(c).UpdateSecurity(u, deps_.clock.NowMillis()));
    TH_ASSIGN_OR_RETURN(after, repo::UserRepo(c).Get(id));
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"user.unlock", "user", std::to_string(id), after.org_unit_path, UserJson(before),
                       UserJson(after), ""});
  }));
  return after;
}

Status UserService::SetPasswordByUsername(const std::string& username, const std::string& password, bool must_change) {
  TH_RETURN_IF_ERROR(AuthService::CheckPolicy(username, password, "password"));
  TH_ASSIGN_OR_RETURN(std::string phc, auth_.HashPassword(password));
  return InTransaction(deps_.db, [&](storage::Connection& c) {
    TH_ASSIGN_OR_RETURN(auto u, repo::UserRepo(c).GetByUsername(username));
    u.password_hash = phc;
    u.must_change_password = must_change;
    u.locked_until.reset();
    u.failed_count = 0;
    u.first_failed_at.reset();
    TH_RETURN_IF_ERROR(repo::UserRepo(c).UpdateSecurity(u, deps_.clock.NowMillis()));
    TH_RETURN_IF_ERROR(repo::UserRepo(c).DeleteUserSessions(u.id));
    if (deps_.sessions) deps_.sessions->EraseUser(u.id);
    return WriteAudit(c, deps_.clock, nullptr, "cli",
                      {"user.reset_password", "user", std::to_string(u.id), u.org_unit_path, "", "", "cli"});
  });
}

}  // namespace th::service
