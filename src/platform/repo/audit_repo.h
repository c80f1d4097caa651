#pragma once
// The append-only, hash-chained audit log. Append must run inside the caller's transaction
// so the entry commits (or rolls back) with the change it describes.
#include <memory>
#include <map>
#include <vector>

#include "base/status.h"
#include "platform/repo/records.h"
#include "security/crypto.h"
#include "storage/connection.h"

namespace th::repo {

struct AuditFilter {
  std::string path_prefix;  // entries whose actor or object lies under this path ("" = all)
  std::optional<std::int64_t> actor_id;
  // A person's name (display name or user name, part of it): entries by the matching users.
  std::string actor;
  std::string action;       // exact, or prefix when it ends with '.' ("user.")
  std::string object_type;
  std::string object_id;
  std::optional<std::int64_t> from;  // at >= from
  std::optional<std::int64_t> to;    // at < to
};

// A point of the chain an operator wrote down apart from the database (`tonghu audit
// checkpoint`): verify checks that entry `seq` still exists with this hash.
struct AuditCheckpoint {
  std::int64_t seq = 0;
  std::string hash;
};

struct AuditVerifyResult {
  bool ok = true;
  std::int64_t checked = 0;
  std::int64_t first_bad_seq = 0;  // 0 when ok
  std::string reason;
};

// The key of the chain, installed once per process from the key ring (Services does it; the
// key ring comes from the deployment's master key file, kept outside the database). Appends and
// verification fail with kInternal while none is installed: the chain is never written unkeyed.
class AuditChainKey {
 public:
  static void Install(const security::KeyRing& keys);
  static std::shared_ptr<const security::KeyRing> Get();
};

class AuditRepo {
 public:
  explicit AuditRepo(storage::Connection& c) : c_(c) {}

  // Takes the next seq and the previous hash from audit_head (row-locking it on PostgreSQL,
  // which serializes concurrent writers), computes the entry's hash and inserts it.
  // Requires an open transaction. Fills e.seq, e.prev_hash, e.hash.
  Status Append(AuditEntry& e);
  // Appends the entries in order, as Append would one by one, with one audit_head update for
  // the group and multi-row INSERTs (group commits of reads: AuditQueue).
  Status AppendMany(std::vector<AuditEntry*> entries);
  // PostgreSQL, outside a transaction: appends the entries after `head` (the chain's last seq and hash as this
  // writer last left it) in ONE autocommitted statement that moves audit_head only while it still is `head` and
  // inserts the rows only when it did. Answers true when written (the entries' seq, prev_hash and hash filled),
  // false when another writer had moved the head (nothing written: append with AppendMany in a transaction). One
  // round trip instead of AppendMany's five (BEGIN, head, rows, head, COMMIT) for the group commits of reads.
  Result<bool> AppendAfter(const AuditCheckpoint& head, std::vector<AuditEntry*> entries);
  Result<std::vector<AuditEntry>> List(const AuditFilter& f, const Page& page, std::int64_t* total);
  // Recomputes the chain from the first entry (unkeyed hashes before the head's keyed_from,
  // MACs from it on); checks seq has no gaps, the sealed boundary, that the head matches and is
  // sealed, and that every checkpoint's entry still carries its hash.
  Result<AuditVerifyResult> Verify(const std::vector<AuditCheckpoint>& checkpoints = {});
  // Seals the boundary between unkeyed and keyed entries the first time a database is opened with
  // a key (no-op afterwards). Requires an open transaction.
  Status SealBoundary();
  // The head (seq and hash of the last entry), for a checkpoint.
  Result<AuditCheckpoint> Head();

  // Names of the rows of `kind` (user | org_unit | agency | child) with these ids, for showing
  // audit entries and change history with names instead of ids. Unknown kinds and ids are left out.
  Result<std::map<std::int64_t, std::string>> NamesOf(const std::string& kind, const std::vector<std::int64_t>& ids);

  // The unkeyed hash an entry carried before the chain was keyed (seq < keyed_from).
  static std::string ComputeHash(const AuditEntry& e);
  // The MAC an entry must carry given its fields and prev_hash (seq >= keyed_from).
  static std::string ComputeMac(const security::KeyRing& keys, const AuditEntry& e);

 private:
  storage::Connection& c_;
};

}  // namespace th::repo
