#pragma once
// Reading and verifying the audit log.
#include <memory>
#include <vector>

#include "repo/audit_repo.h"
#include "service/deps.h"

namespace th::service {

class AuthService;
class OrgService;
class UserService;

class AuditService {
 public:
  explicit AuditService(Deps& deps) : deps_(deps) {}
  // Entries whose actor or object lies in the caller's subtree (all entries for a caller at a
  // root unit, which also sees anonymous events such as failed logins of unknown names).
  Result<std::vector<repo::AuditEntry>> List(const Principal& who, repo::AuditFilter f, const repo::Page& page,
                                             std::int64_t* total);
  Result<repo::AuditVerifyResult> Verify(const Principal* who);

 private:
  Deps& deps_;
};

// All services, wired once by the app.
class Services {
 public:
  explicit Services(Deps deps);
  ~Services();
  Deps& deps() { return deps_; }
  AuthService& auth() { return *auth_; }
  OrgService& org() { return *org_; }
  UserService& users() { return *users_; }
  AuditService& audit() { return audit_; }

 private:
  Deps deps_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<OrgService> org_;
  std::unique_ptr<UserService> users_;
  AuditService audit_;
};

}  // namespace th::service
