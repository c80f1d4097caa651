#pragma once
// The work engine's service: work items for the modules' actionable things (opened through
// WorkHooks by the modules), 我的待办 (inbox), what is overdue in a subtree (督办), the item workflow
// (extension requests), and the escalation sweep. Every read is scoped by the caller's
// jurisdiction here (service::KeepCovered on the owner unit's path).
#include <cstdint>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "platform/work/calendar.h"
#include "platform/work/work_config.h"
#include "platform/work/work_hooks.h"
#include "platform/work/sweep_repo.h"
#include "platform/work/work_repo.h"
#include "platform/work/workflow.h"
#include "platform/service/deps.h"

namespace th::work {

struct InboxPage {
  std::vector<WorkItemRecord> items;
  std::int64_t total = 0;
  std::vector<KindCount> counts;
};

struct SweepStats {
  std::int64_t claimed = 0;      // items looked at
  std::int64_t escalations = 0;  // work_escalation rows added
  std::int64_t batches = 0;
};

// The items `who` owns in the inbox's sense: (unit, role), or (agency, role) for an agency's users.
inline WorkRepo::Owner OwnerOf(const service::Principal& who) { return {who.org_unit_id, who.role, who.agency_id}; }

class WorkService final : public WorkHooks {
 public:
  WorkService(service::Deps& deps, WorkCalendar calendar, WorkConfig config);

  // WorkHooks (work_hooks.h): what the modules call.
  Result<std::int64_t> Sync(storage::Connection& c, const std::string& subject_type, std::int64_t subject_id,
                            const std::optional<WorkOpen>& want) override;
  Result<std::int64_t> Open(storage::Connection& c, const WorkOpen& w) override;
  Result<std::vector<std::int64_t>> OpenMany(storage::Connection& c, const std::vector<WorkOpen>& items) override;  // work_bulk.cc
  Status Close(storage::Connection& c, const std::string& subject_type, std::int64_t subject_id,
               const std::string& kind) override;
  Status Reassign(storage::Connection& c, const std::string& subject_type, std::int64_t subject_id,
                  const std::string& kind, std::int64_t owner_unit_id) override;

  // Opens `w` (kind, subject, title, label, link, owner and its path and district set by the
  // caller) with deadlines from its kind's clock (or `variant` of it) counted from w.started_at,
  // in the caller's transaction. Fills w.id.
  Status OpenIn(storage::Connection& c, WorkItemRecord& w, const std::string& variant = "");
  // Closes every open item of the subject except those of `keep_kind` ("" closes all).
  Status CloseFor(storage::Connection& c, const std::string& subject_type, std::int64_t subject_id,
                  const std::string& keep_kind);

  // 我的待办: open items owned by the caller's unit and role, or assigned to the caller; by
  // deadline. Any authenticated caller. `kind` "" for all (unknown kind: 400 invalid_enum).
  Result<InboxPage> Inbox(const service::Principal& who, const std::string& kind, const repo::Page& page);
  // Overdue items in the caller's subtree (or under `unit_id`, which the caller must cover: 404
  // otherwise). Needs work.oversee (403). With `extension_requests` instead the open items whose
  // owner asked for an extension (state extension_requested), overdue or not, by deadline: the
  // requests a supervisor decides.
  // *total counts up to WorkRepo::kOverdueCountCap (*capped: more) and is kept a few seconds (see
  // WorkRepo::Overdue); this process's changes to items show at once.
  Result<std::vector<WorkItemRecord>> Overdue(const service::Principal& who, std::optional<std::int64_t> unit_id,
                                              const std::string& kind, const repo::Page& page, std::int64_t* total,
                                              bool extension_requests = false, bool* capped = nullptr);
  // One step of the item workflow (request_extension by the owner, optionally with the wanted
  // deadline `due_date` (a later date, recorded on the step), approve_extension with a new
  // deadline `due_date` (a later date) or reject_extension by a supervisor covering the item).
  // 404 outside the caller's jurisdiction; see Workflow::Apply for the rest. Audited.
  Result<WorkItemRecord> Apply(const service::Principal& who, std::int64_t id, const std::string& action,
                               const std::string& note, std::int64_t version,
                               std::optional<domain::Date> due_date = std::nullopt);
  // An item in the caller's jurisdiction (404 otherwise).
  Result<WorkItemRecord> Get(const service::Principal& who, std::int64_t id);

  // One sweep: every open item whose next escalation time has come is raised to the level its
  // deadlines and the clock give, recording each new step once in work_escalation (no warning for
  // an item already overdue when swept). Idempotent; safe with several servers (a row one of them
  // raises is re-read and skipped by the others). `batch` due items per transaction, each batch
  // set-based (SweepRepo::EscalateRange); on PostgreSQL the batches run on two connections at once.
  Result<SweepStats> Sweep(std::int64_t batch = 2000);
  // Recomputes placeholder deadlines (items created by migration 0013) with the calendar.
  Result<std::int64_t> RecomputePending();

  bool IsOwner(const service::Principal& who, const WorkItemRecord& w) const;
  const WorkCalendar& calendar() const { return calendar_; }
  const WorkConfig& config() const { return config_; }
  // The kind's name (zh or en), the kind itself when unknown.
  std::string KindName(const std::string& kind, bool en) const;
  const service::Deps& deps() const { return deps_; }
  // Notifications of escalation steps (issue 10); null: none. Set before the sweeper starts.
  void SetEscalationListener(std::shared_ptr<EscalationListener> l) { listener_ = std::move(l); }
  // Forgets the cached inbox counts (after this process changed items).
  void DropCounts();

 private:
  // Open's and OpenMany's share: the request's kind and variant checked (400 invalid_enum), the 409 for a subject
  // that already has an open item of the kind, and the request's fields as a record (the owner's path, district
  // and start are the caller's).
  Status CheckKind(const WorkOpen& o) const;
  static Status AlreadyOpen();
  static WorkItemRecord RecordOf(const WorkOpen& o);
  Result<WorkItemRecord> LoadScoped(storage::Connection& c, const service::Principal& who, std::int64_t id);
  Status ApproveIn(storage::Connection& c, const service::Principal& who, WorkItemRecord& w, const std::string& note,
                   std::int64_t version, domain::Date due_date);
  struct SweepTally;  // sweeper.cc: the steps committed so far in one sweep, by recipient
  Result<SweepStats> SweepBatch(std::int64_t now, std::int64_t lo, std::int64_t hi, SweepTally& tally);

  // 我的待办's counts per (unit, role, user), kept kInboxCountMs: counting a 50,000-item inbox
  // costs milliseconds, the page itself microseconds. Dropped whenever this process opens, closes
  // or moves an item; another server's changes show within kInboxCountMs. When an entry expires one
  // request recounts while concurrent ones get the previous counts.
  Result<std::vector<KindCount>> CachedCounts(WorkRepo& repo, const service::Principal& who);
  static constexpr std::int64_t kInboxCountMs = 3000;
  struct CachedCount {
    std::int64_t expires = 0;
    std::vector<KindCount> counts;
    bool refreshing = false;  // one request is recounting this expired entry
  };
  std::mutex counts_mu_;
  std::map<std::string, CachedCount> counts_;
  // The overdue lists' totals (repo::CountCache), under a generation DropCounts moves on.
  repo::CountCache overdue_counts_;
  std::atomic<std::uint64_t> writes_{0};

  service::Deps& deps_;
  WorkCalendar calendar_;
  WorkConfig config_;
  std::shared_ptr<EscalationListener> listener_;
};

// Loads <config_dir>/calendar and <config_dir>/workflows (errors name the file), builds the
// engine, recomputes placeholder deadlines and installs it in deps.work. Called at start by every
// command that builds the registry.
Status InstallWork(service::Deps& deps, const std::string& config_dir);
// The installed engine, or null.
WorkService* FindWork(service::Deps& deps);

}  // namespace th::work
