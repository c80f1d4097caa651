#include "platform/work/work_service.h"

#include <algorithm>
#include <filesystem>

#include "text/field.h"
#include "platform/service/permissions.h"

namespace th::work {

using service::Principal;

namespace {

// The role that works an item owned by a unit of `level` (verification tasks sit at any level).
std::string RoleForLevel(const std::string& level) {
  if (level == "community" || level == "grid") return "child_director";
  if (level == "street") return "street_supervisor";
  return "district";
}

Status BadKind(const std::string& kind) {
  return Status::Invalid("kind", "invalid_enum", "未知的待办类型: " + kind, "Unknown work kind: " + kind);
}

}  // namespace

WorkService::WorkService(service::Deps& deps, WorkCalendar calendar, WorkConfig config)
    : deps_(deps), calendar_(std::move(calendar)), config_(std::move(config)) {}

std::string WorkService::KindName(const std::string& kind, bool en) const {
  const KindConfig* k = config_.Find(kind);
  if (!k) return kind;
  return en && !k->name_en.empty() ? k->name_en : k->name;
}

bool WorkService::IsOwner(const Principal& who, const WorkItemRecord& w) const {
  return (w.owner_unit_id == who.org_unit_id && w.owner_role == who.role) ||
         (w.owner_user_id && *w.owner_user_id == who.user_id);
}

Status WorkService::OpenIn(storage::Connection& c, WorkItemRecord& w) {
  Deadlines d = config_.DeadlinesFor(w.kind, w.started_at, calendar_);
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

Status WorkService::RollRequestChanged(storage::Connection& c, std::int64_t request_id) {
  WorkRepo repo(c);
  TH_ASSIGN_OR_RETURN(auto q, repo.RollRequest(request_id));
  if (!q) return Status::Internal("roll_request " + std::to_string(request_id) + " missing");
  const bool review = q->status == "pending_review", confirm = q->status == "pending_confirm";
  const std::string kind = review ? "roll_review" : confirm ? "roll_confirm" : "";
  TH_RETURN_IF_ERROR(CloseFor(c, "roll_request", request_id, kind));
  if (kind.empty()) return Status::Ok();
  TH_ASSIGN_OR_RETURN(auto open, repo.OpenFor("roll_request", request_id));
  if (!open.empty()) return Status::Ok();  // already open for this state
  WorkItemRecord w;
  w.kind = kind;
  w.subject_type = "roll_request";
  w.subject_id = request_id;
  w.title = review ? "审核名册申请" : "确认名册申请";
  w.label = std::string(q->kind == "entry" ? "纳入申请" : q->kind == "exit" ? "退出申请" : "变更申请") + " #" +
            std::to_string(request_id);
  w.link = "/children/" + std::to_string(q->child_id);
  w.owner_unit_id = review ? q->street_id : q->district_id;
  w.owner_role = review ? "street_supervisor" : "district";
  TH_ASSIGN_OR_RETURN(w.owner_unit_path, repo.UnitPath(w.owner_unit_id));
  w.district_unit_id = q->district_id;
  w.started_at = deps_.clock.NowMillis();
  return OpenIn(c, w);
}

Status WorkService::VerificationTaskChanged(storage::Connection& c, std::int64_t task_id) {
  WorkRepo repo(c);
  TH_ASSIGN_OR_RETURN(auto t, repo.VerificationTask(task_id));
  if (!t) return Status::Internal("verification_task " + std::to_string(task_id) + " missing");
  if (!t->outcome.empty()) return CloseFor(c, "verification_task", task_id, "");
  TH_ASSIGN_OR_RETURN(auto open, repo.OpenFor("verification_task", task_id));
  if (!open.empty()) return Status::Ok();
  WorkItemRecord w;
  w.kind = "screening_verify";
  w.subject_type = "verification_task";
  w.subject_id = task_id;
  w.title = "核查排查线索";
  w.label = "核查任务 #" + std::to_string(task_id);
  w.link = "/screening/tasks/" + std::to_string(task_id);
  w.owner_unit_id = t->unit_id;
  w.owner_unit_path = t->unit_path;
  w.owner_role = RoleForLevel(t->unit_level);
  TH_ASSIGN_OR_RETURN(w.district_unit_id, repo.DistrictOf(t->unit_path, t->unit_id));
  w.started_at = t->created_at;
  return OpenIn(c, w);
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
  auto counted = repo.InboxCounts(who.user_id, who.org_unit_id, who.role, now);
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
  TH_ASSIGN_OR_RETURN(auto mine, repo.AssignedTo(who.user_id, who.org_unit_id, who.role, kind, want));
  TH_ASSIGN_OR_RETURN(auto owned, repo.OwnedBy(who.org_unit_id, who.role, kind, mine.empty() ? page.page_size : want,
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
  service::KeepCovered(who, &owned, [](const WorkItemRecord& w) -> const std::string& { return w.owner_unit_path; },
                       "work_item");
  out.items = std::move(owned);
  return out;
}

Result<std::vector<WorkItemRecord>> WorkService::Overdue(const Principal& who, std::optional<std::int64_t> unit_id,
                                                         const std::string& kind, const repo::Page& page,
                                                         std::int64_t* total) {
  if (!who.Can(perm::kWorkOversee)) return Status::Forbidden();
  if (!kind.empty() && !config_.Find(kind)) return BadKind(kind);
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  WorkRepo repo(*h);
  std::string prefix = who.org_path;
  if (unit_id) {
    TH_ASSIGN_OR_RETURN(prefix, repo.UnitPath(*unit_id));
    if (prefix.empty() || !who.Covers(prefix)) return Status::NotFound("unit_id");
  }
  TH_ASSIGN_OR_RETURN(auto rows, repo.Overdue(prefix, kind, deps_.clock.NowMillis(), page, total));
  service::KeepCovered(who, &rows, [](const WorkItemRecord& w) -> const std::string& { return w.owner_unit_path; },
                       "work_item");
  return rows;
}

Result<WorkItemRecord> WorkService::LoadScoped(storage::Connection& c, const Principal& who, std::int64_t id) {
  auto w = WorkRepo(c).Get(id);
  if (!w.ok() || !who.Covers(w->owner_unit_path)) return Status::NotFound("work_item");
  return std::move(w).value();
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
  for (const char* k : {"roll_review", "roll_confirm", "screening_verify"}) {
    if (!cfg.Find(k)) {
      return Status::Invalid("config", "invalid_config", "流程配置缺少待办类型 " + std::string(k) + ": " + config_dir + "/workflows",
                             "The workflow config lacks kind " + std::string(k) + ": " + config_dir + "/workflows");
    }
  }
  auto svc = std::make_shared<WorkService>(deps, std::move(cal), std::move(cfg));
  TH_RETURN_IF_ERROR(svc->RecomputePending().status());
  deps.work = std::move(svc);
  return Status::Ok();
}

WorkService* FindWork(service::Deps& deps) { return dynamic_cast<WorkService*>(deps.work.get()); }

}  // namespace th::work
