#pragma once
// The child registry (一人一档): child files with family and guardian, category verdicts by rule
// (domain::EvaluateCategories) with worker overrides, the protected-roll workflow
// (增员/减员/变更), search and duplicate warnings. Every call is scoped to the caller's
// jurisdiction (a child outside it reads as not found), every read of a file and every change
// is audited, identifiers are sealed at rest and masked on the way out.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "modules/registry/domain/categories.h"
#include "modules/registry/domain/category_config.h"
#include "modules/registry/domain/child.h"
#include "modules/registry/repo/child_repo.h"
#include "platform/service/deps.h"

namespace th::service {

class Services;

// Fields of a child file as sent by a client. `present` lists the keys that were sent: PATCH
// changes only those; POST requires name, birth_date, community_id and id_number or no_id_reason.
struct ChildInput {
  std::set<std::string> present;
  std::string name, sex, ethnicity, birth_date, id_number, no_id_reason;
  std::vector<std::string> former_names;
  bool hukou_registered = true;
  std::string hukou_region_code, hukou_nature, hukou_address;
  std::int64_t community_id = 0;
  std::optional<std::int64_t> grid_id;
  std::string residence_address, resident_since;
  std::string school_name, school_stage;
  bool boarding = false;
  std::string health, disability_type;
  std::int64_t disability_grade = 0;
  std::string illness, flow_status;
  std::vector<std::string> assistance;  // dibao, tekun, low_income, temporary, medical
  bool parents_not_findable = false;
  std::optional<std::int64_t> director_user_id;
  std::string notes;
  bool Has(const char* key) const { return present.count(key) > 0; }
};

struct MemberInput {
  std::set<std::string> present;
  std::string relation, name, id_number, phone, state, state_since;
  std::int64_t restriction_months = 0;
  std::string disability_type;
  std::int64_t disability_grade = 0;
  std::string illness, work_city, work_region_code, works_outside;
  bool lives_with_child = false;
  bool Has(const char* key) const { return present.count(key) > 0; }
};

struct GuardianInput {
  std::string name, relation, relation_note;
  std::optional<std::int64_t> member_id;  // a member of this child's family
  std::string phone, id_number, agreement_date;
  // Absent in an update: keep the stored phone / ID number when the guardian stays the same person.
  bool phone_present = true;
  bool id_number_present = true;
};

struct NewChild {
  ChildInput child;
  std::optional<std::int64_t> sibling_of;
  std::vector<MemberInput> family;
  std::optional<GuardianInput> guardian;
  // Index into `family` naming the guardian when it is one of them (import, demo); -1 = none.
  int guardian_member_index = -1;
};

// A validated new child, built by ChildService::PrepareNew and written by InsertPrepared.
struct PreparedChild {
  repo::ChildRecord record;
  std::vector<repo::MemberRecord> members;
  int guardian_member_index = -1;
};

// One category of the config with the stored (or, when not met, the freshly evaluated) rule
// verdict and the worker override.
struct VerdictView {
  const domain::CategoryDef* def = nullptr;
  std::string rule_outcome;  // met, not_met, aged_out; "" for worker-assigned categories
  std::string rule_id;
  std::string reason;
  std::int32_t met_since = 0, ends_on = 0, next_change = 0;
  bool met = false;
  std::string source = "rule";  // rule | override
  std::optional<bool> override_met;
  std::string override_reason;
  std::optional<std::int64_t> override_by;
  std::string override_by_name;
  std::optional<std::int64_t> override_at;
};

struct ChildFile {
  repo::ChildRecord child;
  std::vector<repo::MemberRecord> family;
  std::vector<repo::ChildRecord> siblings;  // same household, in the caller's scope
  std::vector<VerdictView> verdicts;
  std::optional<std::int64_t> pending_request_id;
};

struct ChildListParams {
  std::string q;
  std::optional<std::int64_t> org_unit_id;
  std::string category, flow_status, roll_status, school_stage, sex;
  std::string risk_grade;  // a grade code of the risk form (cases module)
  std::optional<std::int64_t> age_min, age_max;
  std::string sort;
};

struct DuplicateMatch {
  repo::ChildRecord child;
  std::string match;  // id_number, name_birth_date, name_birth_date_guardian
};
struct DuplicateResult {
  std::vector<DuplicateMatch> items;
  std::int64_t outside_jurisdiction = 0;
};

struct RollRequestView {
  repo::RollRequestRecord request;
  std::vector<repo::RollStepRecord> steps;
};

// Where a generated child goes (demo loading): unit ids resolved by the caller.
struct UnitRefs {
  std::int64_t district_id = 0, street_id = 0, community_id = 0;
  std::optional<std::int64_t> grid_id;
};

class ChildService {
 public:
  ChildService(Deps& deps, domain::CategoryConfig config);

  const domain::CategoryConfig& categories() const { return config_; }

  // Paged list or search; *total_capped is set when the total stopped at the count cap
  // (repo::ChildRepo::kCountCap, or kSearchCap for a search).
  Result<std::vector<repo::ChildRecord>> List(const Principal& who, const ChildListParams& p, const repo::Page& page,
                                              std::int64_t* total, bool* total_capped = nullptr);
  // The full file; audited as child.read.
  Result<ChildFile> Get(const Principal& who, std::int64_t id);
  Result<ChildFile> Create(const Principal& who, const NewChild& input);
  // The two halves of Create, for bulk paths (import) that run many children in one
  // transaction on `c`. PrepareNew validates `input` exactly as Create does (permission
  // child.write, required fields, ID checksum and birth date/sex cross-check, community in the
  // caller's subtree, an existing child with the same ID number → kConflict "duplicate") and
  // builds the records without writing anything. InsertPrepared writes the child, family,
  // verdicts and search tokens and the `child.create` audit entry (with `purpose`);
  // `community_path` may be given to spare a lookup, `scratch` may be null; `compact_audit`
  // records the identifying fields only instead of the full snapshot (bulk imports).
  Status PrepareNew(storage::Connection& c, const Principal& who, const NewChild& input, PreparedChild* out);
  Status InsertPrepared(storage::Connection& c, const Principal& who, PreparedChild& p,
                        const std::string& community_path, const std::string& purpose, domain::Evaluation* scratch,
                        bool compact_audit = false);
  // Edits take a reason (变更原因), stored as the audit entry's purpose and shown in the change
  // history: at most 200 characters (reason_too_long); required (2+ characters, reason_required)
  // when Update changes an identity field (name, ID number or its absence reason, birth date, sex).
  Result<ChildFile> Update(const Principal& who, std::int64_t id, const ChildInput& input, std::int64_t version,
                           const std::string& reason = "");
  // Update's steps inside the caller's transaction on `c`, for callers that must record their own
  // decision atomically with the change (screening: a confirmed finding brings the file into
  // agreement with the department's data). Same checks (child.write, scope → 404, `version` →
  // kConflict stale_version, field validation, change reason), re-derivation of the categories
  // and child.update audit; a new community/grid runs AfterChildMove. Returns the record as written.
  Result<repo::ChildRecord> UpdateIn(storage::Connection& c, const Principal& who, std::int64_t id,
                                     const ChildInput& input, std::int64_t version, const std::string& reason);
  Result<ChildFile> AddMember(const Principal& who, std::int64_t id, const MemberInput& m, std::int64_t version,
                              const std::string& reason = "");
  Result<ChildFile> UpdateMember(const Principal& who, std::int64_t id, std::int64_t member_id, const MemberInput& m,
                                 std::int64_t version, const std::string& reason = "");
  Result<ChildFile> RemoveMember(const Principal& who, std::int64_t id, std::int64_t member_id, std::int64_t version,
                                 const std::string& reason = "");
  Result<ChildFile> SetGuardian(const Principal& who, std::int64_t id, const std::optional<GuardianInput>& g,
                                std::int64_t version, const std::string& reason = "");

  // The child's photo (照片), defined in child_photo.cc. Stored sealed in child_photo; part of the
  // file: setting or removing it needs child.write and the child's current `version` (kConflict
  // stale_version otherwise), bumps that version and is audited (child.photo_set /
  // child.photo_remove, with sha256, size and type before and after, `reason` as purpose).
  // Accepted: JPEG, PNG, WebP recognised by their magic bytes (invalid_photo_type otherwise),
  // at most kMaxPhotoBytes (kPayloadTooLarge photo_too_large). Out of scope → not found.
  static constexpr std::size_t kMaxPhotoBytes = 5u << 20;
  struct PhotoInfo {
    std::string content_type;
    std::int64_t size_bytes = 0;
    std::string sha256;
    std::int64_t photo_version = 0;
    std::int64_t updated_at = 0;
    std::int64_t child_version = 0;  // the child's version after the change
  };
  Result<PhotoInfo> SetPhoto(const Principal& who, std::int64_t id, std::string_view bytes, std::int64_t version,
                             const std::string& reason);
  // Returns the child's new version. No photo → not found (field "photo").
  Result<std::int64_t> RemovePhoto(const Principal& who, std::int64_t id, std::int64_t version,
                                   const std::string& reason);
  // The image itself, unsealed. Needs child.read; audited as child.photo_read (a view of the file)
  // before it is returned. No photo → not found (field "photo").
  struct PhotoImage {
    std::string bytes;
    std::string content_type;
    std::int64_t photo_version = 0;
    std::string sha256;
  };
  Result<PhotoImage> GetPhoto(const Principal& who, std::int64_t id);
  // Metadata only (no audit: no image leaves); nullopt without a photo. Needs child.read.
  Result<std::optional<PhotoInfo>> PhotoMeta(const Principal& who, std::int64_t id);
  // target: child | guardian | member (with member_id) | a target another module added with
  // AddRevealSource (with its record's id in member_id); field: id_number | phone. Needs
  // child.reveal (a source's own permission for its target) and a purpose of 2-200 characters;
  // audited as child.reveal with the field revealed.
  Result<std::string> Reveal(const Principal& who, std::int64_t id, const std::string& target,
                             std::optional<std::int64_t> member_id, const std::string& field,
                             const std::string& purpose);
  Result<std::vector<repo::AuditEntry>> History(const Principal& who, std::int64_t id, const repo::Page& page,
                                                std::int64_t* total);
  // met = nullopt clears the override.
  Result<ChildFile> SetOverride(const Principal& who, std::int64_t id, const std::string& category,
                                std::optional<bool> met, const std::string& reason, std::int64_t version);
  Result<DuplicateResult> Duplicates(const Principal& who, const std::string& id_number, const std::string& name,
                                     const std::string& birth_date, const std::string& guardian_name);

  // Roll workflow.
  Result<RollRequestView> Propose(const Principal& who, std::int64_t child_id, const std::string& kind,
                                  const std::string& category, const std::string& reason,
                                  const std::string& evidence);
  // The propose step inside the caller's transaction on `c`, for callers that must record their
  // own decision atomically with it (screening: a 儿童主任 confirms a finding). Inputs are already
  // checked (kind entry|change|exit, a protected category unless exit, a reason); this checks the
  // child is in `who`'s jurisdiction (404), has no open request and a roll status that allows
  // `kind` (409, reported on `field`), then writes the request, its first step, the child's roll
  // status and the roll.propose audit entry (with `verification_task_id` when given).
  // Returns the request id.
  struct ProposalInput {
    std::string kind, category, reason, evidence;
    std::string field = "kind";
    std::optional<std::int64_t> verification_task_id;
  };
  // It also records the category's rule verdict on the request (rule_outcome, rule_reason) and
  // requires a reason of 2+ characters: 400 `reason_required` naming the verdict when the rules
  // say the category is not met, else 400 `required`.
  Result<std::int64_t> ProposeIn(storage::Connection& c, const Principal& who, std::int64_t child_id,
                                 const ProposalInput& in);
  // The rule verdict for `category` on the file today: outcome met | not_met | aged_out and the
  // rule's reason; both "" for an unknown category or one no rule derives.
  void RuleVerdictOf(const repo::ChildRecord& r, const std::vector<repo::MemberRecord>& members,
                     const std::string& category, std::string* outcome, std::string* reason) const;
  Result<std::vector<RollRequestView>> ListRequests(const Principal& who, const std::string& queue,
                                                    const std::string& status, const repo::Page& page,
                                                    std::int64_t* total);
  Result<RollRequestView> GetRequest(const Principal& who, std::int64_t id);
  // action: review | confirm | return.
  Result<RollRequestView> Decide(const Principal& who, std::int64_t id, const std::string& action,
                                 const std::string& note, std::int64_t version);

  // Re-evaluates children whose next_change_date <= today (or all when `all`); returns how many
  // were evaluated, and in *changed how many changed their effective categories.
  Result<std::int64_t> Refresh(bool all, std::int64_t* changed);

  // An identifier another module keeps about a child (guardianship: the placement's phone), shown
  // masked by that module and revealed only through Reveal (one endpoint, purpose, audit). `value`
  // runs in Reveal's transaction with the child already loaded in `who`'s scope: it answers the
  // plain value of `field` of the module's record `ref_id` about that child ("" when none), 404
  // when the record is not the child's or not in scope, 400 naming `field` when it has no such
  // field. `permission` replaces child.reveal for the target. Registered while the app builds.
  struct RevealSource {
    std::string permission;
    std::function<Result<std::string>(storage::Connection&, const Principal&, const repo::ChildRecord&,
                                      std::int64_t ref_id, const std::string& field)>
        value;
  };
  void AddRevealSource(const std::string& target, RevealSource s) { reveal_sources_[target] = std::move(s); }

  // Told when a roll decision changed a child's roll status or categories (entry, change or exit
  // confirmed, or a request returned), inside the decision's transaction after the child row is
  // written: an error rolls the decision back. Registered while the app builds (visits keeps its
  // schedules in line with the roll).
  using RollListener = std::function<Status(storage::Connection&, std::int64_t child_id)>;
  void AddRollListener(RollListener l) { roll_listeners_.push_back(std::move(l)); }
  // Told when a child's file or family changed (every edit through Mutate: the file, members, a
  // move; and UpdateIn, another module's edit), inside the edit's transaction after the row is written: an
  // error rolls the edit back.
  // Registered while the app builds (warnings re-evaluates the child's rules).
  void AddChangeListener(RollListener l) { change_listeners_.push_back(std::move(l)); }

  // The child's record on `c` when it is in `who`'s jurisdiction (404 not_found otherwise), with
  // no audit entry: for another module that links a child to its own record and audits that
  // (reports: triage links a child). Needs child.read (403 otherwise).
  Result<repo::ChildRecord> LoadInScope(storage::Connection& c, const Principal& who, std::int64_t id);
  // The child's record on `c` without a scope check or audit (404 when absent), for another
  // module that scopes by its own copy of the child's units (cases).
  Result<repo::ChildRecord> LoadRecord(storage::Connection& c, std::int64_t id);
  // Sets the child's current risk grade (cases: a completed risk assessment), in the caller's
  // transaction; the file's version is not bumped (the grade is not an edit of the file). Audited
  // as child.risk_grade by `who` with the grade before and after. 404 when the child is absent.
  Status SetRiskGrade(storage::Connection& c, const Principal& who, std::int64_t child_id, const std::string& grade,
                      std::int64_t at);
  // Sets (met true/false) or clears (nullopt) the worker override of a category that follows from
  // another module's record (guardianship: fallback_guardianship while a long-term guardianship is
  // active), in the caller's transaction, without a permission check (the caller checks its own)
  // and without a version check; re-derives the categories and bumps the file's version. Audited as
  // child.category_override by `who`. 404 when the child is absent, 400 for an unknown category.
  Status SetCategoryOverrideIn(storage::Connection& c, const Principal& who, std::int64_t child_id,
                               const std::string& category, std::optional<bool> met, const std::string& reason);

  // Plain identifiers of a stored record, for exports with a stated purpose (the caller checks
  // permissions and audits). Empty when none is recorded.
  Result<std::string> UnsealIdNumber(const repo::ChildRecord& r) const;
  Result<std::string> UnsealGuardianPhone(const repo::ChildRecord& r) const;

  // Bulk path for the demo loader: validates nothing beyond what the generator guarantees,
  // queues the child, family, verdicts and tokens on `out` (the caller flushes it inside its
  // transaction) without a per-child audit entry.
  Status InsertGenerated(repo::ChildBulkWriter& out, const domain::Child& d, const UnitRefs& units,
                         const std::string& community_code, std::int64_t now, domain::Evaluation* scratch);

 private:
  struct Loaded;
  Result<repo::ChildScope> ScopeOf(storage::Connection& c, const Principal& who);
  bool InScope(const repo::ChildScope& s, const repo::ChildRecord& r) const;
  Result<repo::ChildRecord> LoadScoped(storage::Connection& c, const Principal& who, std::int64_t id);
  // The single-read scope test applied to rows: drops every row outside `scope`. Lists, searches
  // and exports pass each page through it (list_caller set: a dropped row is logged as an error),
  // so no mistake in a list query can show another jurisdiction's child.
  void KeepInScope(storage::Connection& c, const repo::ChildScope& scope, std::vector<repo::ChildRecord>* rows,
                   const Principal* list_caller);
  Result<ChildFile> BuildFile(storage::Connection& c, const Principal& who, std::int64_t id);
  // Runs `fn` on the child in a transaction with version check, re-derivation and audit.
  Result<ChildFile> Mutate(const Principal& who, std::int64_t id, std::int64_t version, const std::string& action,
                           const std::function<Status(storage::Connection&, repo::ChildRecord&,
                                                      std::vector<repo::MemberRecord>&)>& fn,
                           const std::string& reason = "");
  // Recomputes verdict rows (keeping overrides; rewritten only when changed), categories,
  // next_change_date and, unless keep_tokens (refresh: names and identifiers unchanged), tokens.
  // The verdict rows a child's file and family give today (overrides in `old` kept); sets
  // r.categories and r.next_change_date. rows_changed: they differ from `old`.
  struct Derived {
    std::vector<repo::CategoryRecord> rows;
    bool rows_changed = false;
  };
  Derived DeriveVerdicts(repo::ChildRecord& r, const std::vector<repo::MemberRecord>& members,
                         const std::vector<repo::CategoryRecord>& old, domain::Evaluation* scratch) const;
  Result<std::int64_t> RefreshAll(std::int64_t* changed);
  // `old_rows`, when given, are the child's stored verdict rows (already read by the caller).
  Status Rederive(storage::Connection& c, repo::ChildRecord& r, const std::vector<repo::MemberRecord>& members,
                  bool new_child, domain::Evaluation* scratch, bool keep_tokens = false,
                  const std::vector<repo::CategoryRecord>* old_rows = nullptr);
  Status ApplyChildInput(storage::Connection& c, const Principal* who, const ChildInput& in, bool create,
                         repo::ChildRecord& r);
  std::int32_t Today() const;

  Deps& deps_;
  domain::CategoryConfig config_;
  std::vector<RollListener> roll_listeners_;
  std::vector<RollListener> change_listeners_;
  std::map<std::string, RevealSource> reveal_sources_;
  // List totals across pages (see repo::ChildCountCache).
  std::unique_ptr<repo::ChildCountCache> count_cache_ = std::make_unique<repo::ChildCountCache>();
  // child.read entries, group-committed.
  std::shared_ptr<AuditQueue> read_audit_ = deps_.read_audit;
};

// A change reason (变更原因): valid UTF-8, at most 200 characters (reason_too_long); when
// `required`, at least 2 characters after trimming (reason_required). Field "reason".
Status CheckChangeReason(const std::string& reason, bool required);

}  // namespace th::service
