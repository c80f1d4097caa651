#pragma once
// SQL for the child registry: child, family_member, child_category, roll_request/roll_step and
// search_posting. Callers (services) own transactions, authorization, encryption and auditing;
// records carry sealed identifiers, blind indexes and masked copies as stored.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "modules/registry/domain/child_records.h"
#include "platform/repo/count_cache.h"
#include "platform/repo/records.h"
#include "platform/repo/scope_sql.h"
#include "storage/connection.h"

namespace th::repo {

struct ChildQuery {
  ChildScope scope;
  std::vector<std::string> tokens;  // every token must match (exact search_posting match)
  std::optional<ChildScope> unit;   // narrower subtree filter (same columns)
  std::string category;             // effective met category code
  std::string flow_status, roll_status, school_stage, sex;
  std::string risk_grade;  // the current risk grade code (cases module)
  std::int32_t birth_from = 0, birth_to = 0;  // inclusive yyyymmdd bounds (0 = open)
  std::string sort = "-updated_at";            // name, birth_date, updated_at, id with optional '-'
};

struct RollQuery {
  ChildScope scope;
  std::optional<std::int64_t> proposed_by;
  std::string status;
};

// The registry list's totals for a few seconds (platform/repo/count_cache.h), keyed by generation
// ChildRepo::WriteGeneration.
using ChildCountCache = CountCache;

class ChildRepo {
 public:
  explicit ChildRepo(storage::Connection& c) : c_(c) {}

  // Inserts and fills id. created_at/updated_at/version as given.
  Status Insert(ChildRecord& r);
  // Rewrites every column from `r` when the stored version equals r.version, and sets version
  // r.version + 1. kConflict stale_version otherwise.
  Status Update(const ChildRecord& r);
  // The child with joined unit and user names, or kNotFound.
  Result<ChildRecord> Get(std::int64_t id);
  // Children matching `q`, paged, with the total count. The count stops at kCountCap (list) or
  // kSearchCap (search: at most that many candidates are ranked and paged); *total_capped is set
  // when more match. A search ranks exact whole-name matches first, then sorts by q.sort.
  static constexpr std::int64_t kCountCap = 10000;
  static constexpr std::int64_t kSearchCap = 1000;
  // `counts`, when given, remembers the list total (not search's) across pages for a few seconds.
  Result<std::vector<ChildRecord>> List(const ChildQuery& q, const Page& page, std::int64_t* total,
                                        bool* total_capped = nullptr, ChildCountCache* counts = nullptr);
  // Bumped by every write here that changes what a list filters or counts on (insert, update,
  // derived categories); caches of list results compare it.
  static std::uint64_t WriteGeneration();
  // Bumps WriteGeneration for a write made elsewhere (JurisdictionRepo moving children).
  static void NoteWrite();
  // Children (any jurisdiction) with this ID blind index / name and birth date.
  Result<std::vector<ChildRecord>> FindByIdBidx(const std::string& bidx);
  Result<std::vector<ChildRecord>> FindByNameBirth(const std::string& name, std::int32_t birth_date);
  // Other children of the household.
  Result<std::vector<ChildRecord>> Household(const std::string& household_id, std::int64_t exclude_id);
  // Ids of children with 0 < next_change_date <= date and id > after_id, ascending, at most limit.
  Result<std::vector<std::int64_t>> DueForRefresh(std::int32_t date, std::int64_t after_id, int limit);
  // For the nightly refresh, in one query each: children with ids in [lo, hi] (ascending); the
  // family members of children with ids in [lo, hi] by child (ordered by position); the verdict
  // rows of children with ids in [lo, hi] by child.
  Result<std::vector<ChildRecord>> ChildrenBetween(std::int64_t lo, std::int64_t hi);
  Result<std::int64_t> MaxId();
  // Sets the derived columns when the stored version is still `version`; false otherwise.
  Result<bool> SetDerivedIfVersion(std::int64_t id, std::int64_t version, const std::string& categories,
                                   std::int32_t next_change_date);
  // The current risk grade (cases module), without a version bump.
  Status SetRiskGrade(std::int64_t id, const std::string& grade, std::int64_t at);
  Result<std::unordered_map<std::int64_t, std::vector<MemberRecord>>> MembersBetween(std::int64_t lo, std::int64_t hi);
  Result<std::unordered_map<std::int64_t, std::vector<CategoryRecord>>> CategoriesBetween(std::int64_t lo,
                                                                                         std::int64_t hi);
  // Ids of all children with id > after_id, ascending, at most limit.
  Result<std::vector<std::int64_t>> IdsAfter(std::int64_t after_id, int limit);
  // Sets the derived columns (categories, next_change_date) without touching version.
  // Points the guardian at a family member (creation, after the members got their ids).
  Status SetGuardianMember(std::int64_t id, std::optional<std::int64_t> member_id);
  Status SetDerived(std::int64_t id, const std::string& categories, std::int32_t next_change_date);
  Result<std::int64_t> Count();

  // Family members, ordered by position.
  Result<std::vector<MemberRecord>> Members(std::int64_t child_id);
  Status InsertMember(MemberRecord& m);
  Status UpdateMember(const MemberRecord& m);
  Status DeleteMember(std::int64_t child_id, std::int64_t member_id);

  // Stored verdicts (met/aged-out rule verdicts and overrides) of a child, with override names.
  Result<std::vector<CategoryRecord>> Categories(std::int64_t child_id);
  // Replaces all stored verdict rows of the child.
  Status ReplaceCategories(std::int64_t child_id, const std::vector<CategoryRecord>& rows);
  // Writes the verdict rows of a child that has none yet (a new child): no override columns.
  Status InsertCategories(std::int64_t child_id, const std::vector<CategoryRecord>& rows);

  // Replaces the child's search tokens (deduplicated by the caller). Each posting carries r's
  // jurisdiction, updated_at and birth_date and whether the token is r's name (search ranks and
  // scopes on them); Update keeps them equal to the child row.
  Status ReplaceTokens(const ChildRecord& r, const std::vector<std::string>& tokens);
  // Inserts tokens for a new child (no delete first).
  Status InsertTokens(const ChildRecord& r, const std::vector<std::string>& tokens);
  // Copies the child row's jurisdiction, updated_at and birth_date into its postings (for writes
  // to the child row made outside Update, such as a photo change bumping updated_at).
  Status SyncPostings(std::int64_t child_id);

  // Change entries from the audit log for the child (reads and reveals excluded), newest first.
  Result<std::vector<AuditEntry>> History(std::int64_t child_id, const Page& page, std::int64_t* total);

  // Roll workflow.
  Status InsertRequest(RollRequestRecord& r);
  Result<RollRequestRecord> GetRequest(std::int64_t id);
  // Sets status when the version matches (bumps it); kConflict stale_version otherwise.
  Status SetRequestStatus(std::int64_t id, const std::string& status, std::int64_t version, std::int64_t now);
  // The child's request still under review or awaiting confirmation, if any.
  Result<std::optional<std::int64_t>> OpenRequestIdFor(std::int64_t child_id);
  Result<std::vector<RollRequestRecord>> ListRequests(const RollQuery& q, const Page& page, std::int64_t* total);
  Status InsertStep(RollStepRecord& s);
  Result<std::vector<RollStepRecord>> Steps(std::int64_t request_id);

 private:
  // Records a category list value in child_category_set (the lists the category filter expands to).
  Status NoteCategorySet(const std::string& categories);
  Result<std::vector<ChildRecord>> Search(const ChildQuery& q, const Page& page, std::int64_t* total, bool* capped);
  storage::Connection& c_;
};

// A new child with the rows written with it, for ChildBulkWriter.
struct NewChildRows {
  ChildRecord child;                    // id filled when written; guardian_member_id from guardian_member
  std::vector<MemberRecord> members;    // distinct positions; ids and child_id filled when written
  int guardian_member = -1;             // index into members that is the guardian, or -1
  std::vector<CategoryRecord> categories;  // child_id filled when written
  std::vector<std::string> tokens;      // search tokens, deduplicated by the caller
};

// Writes new children for bulk loads (the demo loader) with multi-row INSERTs of up to a few
// hundred rows each, instead of a round trip per row: the same rows as ChildRepo::Insert,
// InsertMember, SetGuardianMember, ReplaceCategories and InsertTokens per child. Add queues a
// child and writes the queue once `batch` children are queued; the caller owns the transaction
// and must Flush before committing it. Statement sizes are powers of two, so a load prepares a
// few dozen distinct SQL texts per connection. Not thread-safe.
class ChildBulkWriter {
 public:
  static constexpr std::size_t kDefaultBatch = 256;
  explicit ChildBulkWriter(storage::Connection& c, std::size_t batch = kDefaultBatch)
      : c_(c), batch_(batch == 0 ? 1 : batch) {}
  ChildBulkWriter(const ChildBulkWriter&) = delete;
  ChildBulkWriter& operator=(const ChildBulkWriter&) = delete;

  Status Add(NewChildRows rows);
  // Writes everything queued (no-op when empty). On error the queue is dropped and the
  // caller's transaction must be rolled back.
  Status Flush();
  std::size_t queued() const { return queue_.size(); }

 private:
  Status WriteChildren();
  Status WriteMembers();
  Status WritePostingsPg(const std::vector<std::pair<const ChildRecord*, const std::string*>>& postings);
  storage::Connection& c_;
  std::size_t batch_;
  std::vector<NewChildRows> queue_;
};

}  // namespace th::repo
