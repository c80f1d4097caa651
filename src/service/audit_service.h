#pragma once
// Reading and verifying the audit log.
#include <memory>
#include <string>
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
  // Recomputes the chain (who == nullptr: the CLI) and checks the given checkpoints.
  Result<repo::AuditVerifyResult> Verify(const Principal* who,
                                         const std::vector<repo::AuditCheckpoint>& checkpoints = {});
  // Seals the unkeyed/keyed boundary of a database opened with a key for the first time.
  Status SealChain();
  // The head of a chain that verifies (409 audit_broken otherwise), for an operator to keep apart.
  Result<repo::AuditCheckpoint> Checkpoint();

 private:
  Deps& deps_;
};

// One checkpoint line: "tonghu-audit-checkpoint seq=N hash=H at=EPOCH_MS".
std::string FormatCheckpoint(const repo::AuditCheckpoint& cp, std::int64_t at_ms);
// The checkpoints of a file of such lines (blank lines and '#' comments skipped); 400 naming the
// first malformed line.
Result<std::vector<repo::AuditCheckpoint>> ParseCheckpoints(const std::string& text);

// All services, wired once by the app; installs the audit chain key from deps.keys.
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
