#pragma once
// Reading and verifying the audit log.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "platform/repo/audit_repo.h"
#include "platform/service/deps.h"

namespace th::service {

// The people's names of audit actions and object types: the one table the API serves (GET /audit
// entries' action_name, GET /audit/actions, child history), so no screen keeps its own copy. Every
// action the code writes has an entry (audit_names_test scans the sources).
struct AuditActionName {
  std::string_view code, zh, en;
};
const std::vector<AuditActionName>& AuditActionNames();
// The entry for `code`; an unknown code names itself (zh = en = code).
AuditActionName AuditActionNameOf(std::string_view code);
// user -> 用户 / User, org_unit -> 组织机构 / Org unit, ...; an unknown type names itself.
AuditActionName AuditObjectTypeNameOf(std::string_view type);

// Names of users, units, agencies and children by id, for showing entries without raw ids.
struct AuditNames {
  std::map<std::string, std::map<std::int64_t, std::string>> by_kind;  // kind -> id -> name
  // The name of `kind` #id, or "" when unknown.
  std::string Of(const std::string& kind, const std::string& id) const;
};

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
  // Names for the objects of `entries` (users, units and agencies; children only for a caller
  // with child.read) and for the unit and user ids in their before/after. Needs audit.read.
  Result<AuditNames> ObjectNames(const Principal& who, const std::vector<repo::AuditEntry>& entries);
  // Names for ids of `kind` (user | org_unit) shown in a child's history, which the caller may read
  // (the caller checked access to the child).
  Result<AuditNames> Names(const std::map<std::string, std::vector<std::int64_t>>& ids);

 private:
  Deps& deps_;
};

// One checkpoint line: "tonghu-audit-checkpoint seq=N hash=H at=EPOCH_MS".
std::string FormatCheckpoint(const repo::AuditCheckpoint& cp, std::int64_t at_ms);
// The checkpoints of a file of such lines (blank lines and '#' comments skipped); 400 naming the
// first malformed line.
Result<std::vector<repo::AuditCheckpoint>> ParseCheckpoints(const std::string& text);

}  // namespace th::service
