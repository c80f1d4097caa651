#include "platform/work/work_service.h"

#include <algorithm>
#include <iterator>
#include <filesystem>

#include "text/field.h"
#include "platform/service/permissions.h"

namespace th::work {

using service::Principal;

namespace {

Status BadKind(const std::string& kind) {
  return Status::Invalid("kind", "invalid_enum", "未知的待办类型: " + kind, "Unknown work kind: " + kind);
}

}  // namespace

WorkService::WorkService(service::Deps& deps, WorkCalendar calendar, WorkConfig config)
    : overdue_counts_([this] { return std::chrono::steady_clock::time_point(std::chrono::milliseconds(deps_.clock.NowMillis())); }),
      deps_(deps),
      calendar_(std::move(calendar)),
      config_(std::move(config)) {}

std::string WorkService::KindName(const std::string& kind, bool en) const {
  const KindConfig* k = config_.Find(kind);
  if (!k) return kind;
  return en && !k->name_en.empty() ? k->name_en : k->name;
}

bool WorkService::IsOwner(const Principal& who, const WorkItemRecord& w) const {
  if (w.owner_user_id && *w.owner_user_id == who.user_id) return true;
  if (w.owner_role != who.role) return false;
  return w.owner_agency_id ? who.agency_id == w.owner_agency_id
                           : w.owner_unit_id == who.org_unit_id && !who.agency_id;
}

Status WorkService::OpenIn(storage::Connection& c, WorkItemRecord& w, const std::string& variant) {
  Deadlines d = config_.DeadlinesFor(w.kind, w.started_at, calendar_, variant);
  w.warn_at = d.warn_at;
  w.due_at = d.due_at;
  w.district_at = d.district_at;
  w.due_flags = d.beyond_calendar ? 1 : 0;
  w.state = "open";
  w.created_at = deps_.clock.NowMillis();
  DropCounts();
  return WorkRepo(c).Insert(w);
}

Status WorkService::CloseFor(storage::Connection& c, const std::string& subject_type, std::int64_t subject_id,
                             const std::string& keep_kind) {
  WorkRepo repo(c);
  TH_ASSIGN_OR_RETURN(auto open, repo.OpenFor(subject_type, subject_id));
  const std::int64_t now = deps_.clock.NowMillis();
  if (!open.empty()) DropCounts();
  for (const auto& w : open) {
    if (w.kind == keep_kind) continue;
    TH_ASSIGN_OR_RETURN(bool closed, repo.Close(w.id, now));
    if (closed) TH_RETURN_IF_ERROR(repo.InsertStep(w.id, "close", w.state, "closed", std::nullopt, "", now, "", std::nullopt));
  }
  return Status::Ok();
}

Status WorkService::CheckKind(const WorkOpen& o) const {
  const KindConfig* k = config_.Find(o.kind);
  if (!k) return BadKind(o.kind);
  if (!o.variant.empty() && !k->variants.count(o.variant)) {
    return Status::Invalid("variant", "invalid_enum", "待办类型 " + o.kind + " 没有时限档次: " + o.variant,
                           "Work kind " + o.kind + " has no clock variant " + o.variant);
  }
  return Status::Ok();
}

Status WorkService::AlreadyOpen() {
  return Status::Error(Code::kConflict, "conflict", "该事项已有同类待办", "An item of this kind is already open", "kind");
}

WorkItemRecord WorkService::RecordOf(const WorkOpen& o) {
  WorkItemRecord w;
  w.kind = o.kind;
  w.subject_type = o.subject_type;
  w.subject_id = o.subject_id;
  w.title = o.title;
  w.label = o.label;
  w.link = o.link;
  w.owner_unit_id = o.owner_unit_id;
  w.owner_role = o.owner_role;
  w.owner_agency_id = o.owner_agency_id;
  w.owner_user_id = o.owner_user_id;
  return w;
}

Result<std::int64_t> WorkService::Open(storage::Connection& c, const WorkOpen& o) {
  TH_RETURN_IF_ERROR(CheckKind(o));
  WorkRepo repo(c);
  TH_ASSIGN_OR_RETURN(auto open, repo.OpenFor(o.subject_type, o.subject_id));
  for (const auto& w : open) {
    if (w.kind == o.kind) return AlreadyOpen();
  }
  WorkItemRecord w = RecordOf(o);
  TH_ASSIGN_OR_RETURN(w.owner_unit_path, repo.UnitPath(o.owner_unit_id));
  if (w.owner_unit_path.empty()) return Status::NotFound("org_unit");
  TH_ASSIGN_OR_RETURN(w.district_unit_id, repo.DistrictOf(w.owner_unit_path, o.owner_unit_id));
  w.started_at = o.started_at > 0 ? o.started_at : deps_.clock.NowMillis();
  TH_RETURN_IF_ERROR(OpenIn(c, w, o.variant));
  return w.id;
}

Result<std::int64_t> WorkService::Sync(storage::Connection& c, const std::string& subject_type,
                                       std::int64_t subject_id, const std::optional<WorkOpen>& want) {
  TH_RETURN_IF_ERROR(CloseFor(c, subject_type, subject_id, want ? want->kind : ""));
  if (!want) return std::int64_t{0};
  TH_ASSIGN_OR_RETURN(auto open, WorkRepo(c).OpenFor(subject_type, subject_id));
  for (const auto& w : open) {
    if (w.kind == want->kind) return w.id;  // already open for this state
  }
  WorkOpen o = *want;
  o.subject_type = subject_type;
  o.subject_id = subject_id;
  return Open(c, o);
}

Status WorkService::Close(storage::Connection& c, const std::string& subject_type, std::int64_t subject_id,
                          const std::string& kind) {
  WorkRepo repo(c);
  TH_ASSIGN_OR_RETURN(auto open, repo.OpenFor(subject_type, subject_id));
  const std::int64_t now = deps_.clock.NowMillis();
  for (const auto& w : open) {
    if (!kind.empty() && w.kind != kind) continue;
    DropCounts();
    TH_ASSIGN_OR_RETURN(bool closed, repo.Close(w.id, now));
    if (closed) TH_RETURN_IF_ERROR(repo.InsertStep(w.id, "close", w.state, "closed", std::nullopt, "", now, "", std::nullopt));
  }
  return Status::Ok();
}

Status WorkService::Reassign(storage::Connection& c, const std::string& subject_type, std::int64_t subject_id,
                             const std::string& kind, std::int64_t owner_unit_id) {
  WorkRepo repo(c);
  TH_ASSIGN_OR_RETURN(auto open, repo.OpenFor(subject_type, subject_id));
  TH_ASSIGN_OR_RETURN(std::string path, repo.UnitPath(owner_unit_id));
  if (path.empty()) return Status::NotFound("org_unit");
  TH_ASSIGN_OR_RETURN(std::int64_t district, repo.DistrictOf(path, owner_unit_id));
  const std::int64_t now = deps_.clock.NowMillis();
  for (const auto& w : open) {
    if ((!kind.empty() && w.kind != kind) || w.owner_unit_id == owner_unit_id) continue;
    DropCounts();
    TH_RETURN_IF_ERROR(repo.SetOwnerUnit(w.id, owner_unit_id, path, district));
    TH_RETURN_IF_ERROR(repo.InsertStep(w.id, "reassign", w.state, w.state, std::nullopt, "", now,
                                       w.owner_unit_path + " -> " + path, std::nullopt));
  }
  return Status::Ok();
}

Result<std::vector<KindCount>> WorkService::CachedCounts(WorkRepo& repo, const Principal& who) {
  const std::int64_t now = deps_.clock.NowMillis();
  const std::string key = std::to_string(who.org_unit_id) + "/" + who.role + "/" + std::to_string(who.user_id);
  {
    std::lock_guard<std::mutex> lock(counts_mu_);
    auto it = counts_.find(key);
    if (it != counts_.end()) {
      if (it->second.expires > now) return it->second.counts;
      // Expired: one request recounts; the others meanwhile get the previous counts (at most one
      // count's duration older), so 16 clients of one large inbox do not recount 16 times at once.
      if (it->second.refreshing) return it->second.counts;
      it->second.refreshing = true;
    }
  }
  auto counted = repo.InboxCounts(who.user_id, OwnerOf(who), now,
                                 EndOfDayShanghai(domain::Date::FromEpochMillisShanghai(now)));
  std::lock_guard<std::mutex> lock(counts_mu_);
  if (!counted.ok()) {
    auto it = counts_.find(key);
    if (it != counts_.end()) it->second.refreshing = false;
    return counted.status();
  }
  if (counts_.size() > 20000) counts_.clear();
  counts_[key] = CachedCount{now + kInboxCountMs, *counted, false};
  return *counted;
}

void WorkService::DropCounts() {
  writes_.fetch_add(1, std::memory_order_acq_rel);
  std::lock_guard<std::mutex> lock(counts_mu_);
  counts_.clear();
}

Result<InboxPage> WorkService::Inbox(const Principal& who, const std::string& kind, const repo::Page& page) {
  if (!kind.empty() && !config_.Find(kind)) return BadKind(kind);
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  WorkRepo repo(*h);
  InboxPage out;
  TH_ASSIGN_OR_RETURN(out.counts, CachedCounts(repo, who));
  for (const auto& k : out.counts) {
    if (kind.empty() || k.kind == kind) out.total += k.count;
  }
  // Two ordered streams (owned by unit + role; assigned to the caller), merged by deadline. Most
  // inboxes have one stream only: page it in SQL; otherwise merge the first offset + size of both.
  const std::int64_t want = page.Offset() + page.page_size;
  if (page.Offset() >= out.total) return out;
  TH_ASSIGN_OR_RETURN(auto mine, repo.AssignedTo(who.user_id, OwnerOf(who), kind, want));
  TH_ASSIGN_OR_RETURN(auto owned, repo.OwnedBy(OwnerOf(who), kind, mine.empty() ? page.page_size : want,
                                               mine.empty() ? page.Offset() : 0));
  if (!mine.empty()) {
    owned.insert(owned.end(), mine.begin(), mine.end());
    std::stable_sort(owned.begin(), owned.end(), [](const WorkItemRecord& a, const WorkItemRecord& b) {
      return a.due_at != b.due_at ? a.due_at < b.due_at : a.id < b.id;
    });
    const auto off = static_cast<std::size_t>(std::min<std::int64_t>(page.Offset(), owned.size()));
    owned.erase(owned.begin(), owned.begin() + off);
    if (owned.size() > static_cast<std::size_t>(page.page_size)) owned.resize(page.page_size);
  }
  // An item assigned to the caller by name is theirs wherever its owner unit sits (a case's work is owned by the
  // street's station and assigned to its worker, who may be a community's 儿童主任); the rest must be in scope.
  std::vector<WorkItemRecord> assigned;
  std::erase_if(owned, [&](WorkItemRecord& w) {
    if (w.owner_user_id != who.user_id || who.Covers(w.owner_unit_path)) return false;
    assigned.push_back(std::move(w));
    return true;
  });
  service::KeepCovered(who, &owned, [](const WorkItemRecord& w) -> const std::string& { return w.owner_unit_path; },
                       "work_item");
  owned.insert(owned.end(), std::make_move_iterator(assigned.begin()), std::make_move_iterator(assigned.end()));
  std::stable_sort(owned.begin(), owned.end(), [](const WorkItemRecord& a, const WorkItemRecord& b) {
    return a.due_at != b.due_at ? a.due_at < b.due_at : a.id < b.id;
  });
  out.items = std::move(owned);
  return out;
}

Result<std::vector<WorkItemRecord>> WorkService::Overdue(const Principal& who, std::optional<std::int64_t> unit_id,
                                                         const std::string& kind, const repo::Page& page,
                                                         std::int64_t* total, bool extension_requests, bool* capped) {
  if (!who.Can(perm::kWorkOversee)) return Status::Forbidden();
  if (!kind.empty() && !config_.Find(kind)) return BadKind(kind);
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  WorkRepo repo(*h);
  std::string prefix = who.org_path;
  if (unit_id) {
    TH_ASSIGN_OR_RETURN(prefix, repo.UnitPath(*unit_id));
    if (prefix.empty() || !who.Covers(prefix)) return Status::NotFound("unit_id");
  }
  const std::uint64_t generation = writes_.load(std::memory_order_acquire);  // before the count (see CountCache)
  TH_ASSIGN_OR_RETURN(auto rows, repo.Overdue(prefix, kind, deps_.clock.NowMillis(), page, total, extension_requests,
                                              capped, &overdue_counts_, generation));
  service::KeepCovered(who, &rows, [](const WorkItemRecord& w) -> const std::string& { return w.owner_unit_path; },
                       "work_item");
  return rows;
}

Result<WorkItemRecord> WorkService::LoadScoped(storage::Connection& c, const Principal& who, std::int64_t id) {
  auto loaded = WorkRepo(c).Get(id);
  // Assigned to the caller by name: theirs (as in the inbox), wherever the owner unit sits.
  if (loaded.ok() && loaded->owner_user_id == who.user_id) return loaded;
  return service::LoadInScope(who, std::move(loaded), [](const WorkItemRecord& w) { return w.owner_unit_path; },
                              "work_item");
}

Result<WorkItemRecord> WorkService::Get(const Principal& who, std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  return LoadScoped(*h, who, id);
}

Status WorkService::ApproveIn(storage::Connection& c, const Principal& who, WorkItemRecord& w, const std::string& note,
                              std::int64_t version, domain::Date due_date) {
  const std::int64_t due = EndOfDayShanghai(due_date);
  if (due <= w.due_at) {
    return Status::Invalid("due_date", "due_date_not_later", "新的期限须晚于原期限", "The new deadline must be later than the old one");
  }
  const KindConfig* k = config_.Find(w.kind);
  Workflow flow(WorkItemWorkflow(k ? k->act_permission : ""), deps_.clock);
  TH_RETURN_IF_ERROR(flow.Apply(c, who, w, "approve_extension", note, version, due));
  bool beyond = !calendar_.Covers(due_date.year);
  const std::int64_t warn = std::max<std::int64_t>(deps_.clock.NowMillis(), due - (k ? k->warn_before.amount : 24) * 3600LL * 1000);
  const std::int64_t district = WorkConfig::After(k ? k->district_after : Duration{"workdays", 5}, due, calendar_, &beyond);
  TH_RETURN_IF_ERROR(WorkRepo(c).SetDeadlines(w.id, warn, due, district, beyond ? 1 : 0, true));
  w.due_at = due;
  return Status::Ok();
}

Result<WorkItemRecord> WorkService::Apply(const Principal& who, std::int64_t id, const std::string& action,
                                          const std::string& note, std::int64_t version,
                                          std::optional<domain::Date> due_date) {
  TH_RETURN_IF_ERROR(text::CheckText(note, "note", text::kLongText));
  DropCounts();
  TH_RETURN_IF_ERROR(service::InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto w, LoadScoped(c, who, id));
    const KindConfig* k = config_.Find(w.kind);
    if (action == "request_extension" && !IsOwner(who, w)) return Status::Forbidden();
    if (action == "request_extension" && due_date) {  // the wanted deadline, recorded on the step
      const std::int64_t wanted = EndOfDayShanghai(*due_date);
      if (wanted <= w.due_at) {
        return Status::Invalid("due_date", "due_date_not_later", "新的期限须晚于原期限", "The new deadline must be later than the old one");
      }
      return Workflow(WorkItemWorkflow(k ? k->act_permission : ""), deps_.clock).Apply(c, who, w, action, note, version, wanted);
    }
    if (action == "approve_extension") {
      if (!due_date) return Status::Invalid("due_date", "required", "请填写新的期限", "due_date is required");
      return ApproveIn(c, who, w, note, version, *due_date);
    }
    return Workflow(WorkItemWorkflow(k ? k->act_permission : ""), deps_.clock).Apply(c, who, w, action, note, version);
  }));
  return Get(who, id);
}

Result<std::int64_t> WorkService::RecomputePending() {
  std::int64_t n = 0;
  for (;;) {
    std::int64_t batch = 0;
    TH_RETURN_IF_ERROR(service::InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
      WorkRepo repo(c);
      TH_ASSIGN_OR_RETURN(auto rows, repo.PendingDeadlines(500));
      for (const auto& w : rows) {
        Deadlines d = config_.DeadlinesFor(w.kind, w.started_at, calendar_);
        TH_RETURN_IF_ERROR(repo.SetDeadlines(w.id, d.warn_at, d.due_at, d.district_at, d.beyond_calendar ? 1 : 0, false));
      }
      batch = static_cast<std::int64_t>(rows.size());
      return Status::Ok();
    }));
    n += batch;
    if (batch < 500) return n;
  }
}

Status InstallWork(service::Deps& deps, const std::string& config_dir) {
  namespace fs = std::filesystem;
  TH_ASSIGN_OR_RETURN(auto cal, LoadCalendarDir((fs::path(config_dir) / "calendar").string()));
  TH_ASSIGN_OR_RETURN(auto cfg, LoadWorkflowDir((fs::path(config_dir) / "workflows").string()));
  auto svc = std::make_shared<WorkService>(deps, std::move(cal), std::move(cfg));
  TH_RETURN_IF_ERROR(svc->RecomputePending().status());
  // Items owned under a moved unit move with it (their path, and their district when the unit
  // went to another district).
  deps.jurisdiction.unit_moved["work"] = [svc](storage::Connection& c, const repo::OrgUnit& before,
                                               const std::string& new_path) -> Status {
    WorkRepo repo(c);
    TH_ASSIGN_OR_RETURN(std::int64_t district, repo.DistrictOf(new_path, 0));
    if (before.level == "district") district = 0;  // the district itself moved: its own id stays
    TH_ASSIGN_OR_RETURN(auto n, repo.MoveOwnerPaths(before.path, new_path, district));
    if (n > 0) svc->DropCounts();
    return Status::Ok();
  };
  deps.work = std::move(svc);
  return Status::Ok();
}

WorkService* FindWork(service::Deps& deps) { return dynamic_cast<WorkService*>(deps.work.get()); }

}  // namespace th::work
