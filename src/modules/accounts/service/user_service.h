#pragma once
// User administration within the caller's subtree.
#include <optional>
#include <string>
#include <vector>

#include "platform/service/auth_service.h"
#include "platform/service/deps.h"
#include "platform/repo/user_repo.h"

namespace th::service {

struct NewUser {
  std::string username;
  std::string display_name;
  std::string role;
  std::int64_t org_unit_id = 0;
  std::optional<std::int64_t> agency_id;
  std::string phone;
  std::string password;  // empty: issue a random one (must be changed at first login)
  bool must_change_password = true;
};

struct UserEdit {
  std::int64_t id = 0;
  std::int64_t version = 0;
  std::optional<std::string> display_name;
  std::optional<std::string> role;
  std::optional<std::int64_t> org_unit_id;
  std::optional<std::string> phone;
};

class UserService {
 public:
  UserService(Deps& deps, AuthService& auth) : deps_(deps), auth_(auth) {}
  // The deployment's roles (config/roles.json).
  const RoleTable& roles() const;

  Result<repo::User> Get(const Principal& who, std::int64_t id);
  Result<std::vector<repo::User>> List(const Principal& who, const repo::UserFilter& filter, const repo::Page& page,
                                       std::int64_t* total);
  // Creates the user; returns it and the issued password (when one was generated).
  Result<std::pair<repo::User, std::string>> Create(const Principal* who, NewUser u);
  Result<repo::User> Update(const Principal& who, const UserEdit& edit);
  // New random password; must change at next login; other sessions end; lock cleared.
  Result<std::string> ResetPassword(const Principal& who, std::int64_t id);
  Result<repo::User> SetDisabled(const Principal& who, std::int64_t id, bool disabled);
  Result<repo::User> Unlock(const Principal& who, std::int64_t id);
  // For the CLI (no principal): set a password by username.
  Status SetPasswordByUsername(const std::string& username, const std::string& password, bool must_change);

 private:
  // The user if in the caller's subtree (404 otherwise).
  Result<repo::User> Scoped(storage::Connection& c, const Principal& who, std::int64_t id);
  // Scoped, and of lower rank than the caller (403 rank_too_high otherwise); any rank for a
  // sysadmin, and only a sysadmin manages a sysadmin.
  Result<repo::User> Manageable(storage::Connection& c, const Principal& who, std::int64_t id);
  // An agency bound to an account lies in the binder's jurisdiction (404 otherwise) and is active.
  Status CheckAgency(storage::Connection& c, const Principal* who, std::optional<std::int64_t> agency_id);
  Status CheckRoleGrant(const Principal* who, const std::string& role);
  Status ApplyPhone(repo::User& u, const std::string& phone);
  Deps& deps_;
  AuthService& auth_;
};

std::string UserJson(const repo::User& u);

}  // namespace th::service
