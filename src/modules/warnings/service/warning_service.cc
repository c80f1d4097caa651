// WarningService: raising (the rules', a person's), handling, lists and reads.
#include "modules/warnings/service/warning_service.h"

#include "base/json_writer.h"
#include "modules/warnings/permissions.h"
#include "modules/warnings/service/warning_internal.h"
#include "platform/service/audit_many.h"
#include "platform/work/work_hooks.h"
#include "text/field.h"
#include "text/utf8.h"

namespace th::service {

using namespace warnings_internal;  // NOLINT: this file is part of the warnings service
using repo::WarningChild;
using repo::WarningRecord;
using repo::WarningsRepo;

namespace {

Status Need(const Principal& who, const char* perm) { return who.Can(perm) ? Status::Ok() : Status::Forbidden(); }

// The work item's label: the reason, cut to fit a list row.
std::string Cut(const std::string& s, std::size_t max_chars) {
  auto cps = text::DecodeUtf8(s);
  if (cps.size() <= max_chars) return s;
  std::string out;
  for (std::size_t i = 0; i < max_chars; ++i) text::AppendUtf8(cps[i], &out);
  return out + "…";
}

// A new open warning of `rule` on `child` (RaiseIn and RaiseMany write the same).
WarningRecord NewWarning(const domain::WarningRule& rule, const WarningChild& child, const std::string& reason,
                         std::int64_t at, const Principal* who) {
  WarningRecord w;
  w.rule_code = rule.code;
  w.severity = rule.severity;
  w.child_id = child.id;
  w.district_id = child.district_id;
  w.street_id = child.street_id;
  w.community_id = child.community_id;
  w.grid_id = child.grid_id;
  w.unit_path = child.unit_path;
  w.reason = text::ScrubText(reason, text::kLongText);
  w.raised_at = at;
  if (who) {
    w.raised_by = who->user_id;
    w.raised_by_name = who->display_name;
  }
  return w;
}

// The warning's work item: owned by the rule's unit (the child's street or community) and role,
// the clock variant its severity (config/workflows/warnings.json).
work::WorkOpen ItemFor(const domain::WarningRule& rule, const WarningChild& child, const WarningRecord& w,
                       std::int64_t at) {
  work::WorkOpen item;
  item.kind = kKind;
  item.subject_type = kSubject;
  item.subject_id = w.id;
  item.title = "预警：" + rule.name;
  item.label = child.name + "：" + Cut(w.reason, 60);
  item.link = "/warnings/" + std::to_string(w.id);
  item.owner_unit_id = rule.owner_level == "street" ? child.street_id : child.community_id;
  item.owner_role = rule.owner_role;
  item.started_at = at;
  if (rule.severity != "medium") item.variant = rule.severity;
  return item;
}

AuditRecord RaiseAudit(const domain::WarningRule& rule, const WarningRecord& w) {
  return {"warning.raise", "warning", std::to_string(w.id), w.unit_path, "",
          JsonObjectWriter().Str("rule", rule.code).Int("child_id", w.child_id).Str("reason", w.reason).Finish(),
          rule.name};
}

bool KnownStatus(const std::string& s) {
  return s.empty() || s == "open" || s == "closed" || s == "handled" || s == "false_alarm" || s == "cleared";
}

}  // namespace

WarningService::WarningService(Deps& deps, domain::WarningConfig config)
    : deps_(deps), config_(std::move(config)), read_audit_(deps.read_audit) {
  // The unit copies on warnings move with the child and with its units (in the move's transaction);
  // open warnings' work items pass to the child's new community or street.
  deps_.jurisdiction.child_moved["warnings"] = [this](storage::Connection& c, std::int64_t child_id) -> Status {
    WarningsRepo repo(c);
    TH_RETURN_IF_ERROR(repo.FollowChild(child_id));
    TH_ASSIGN_OR_RETURN(auto open, repo.OpenBetween(child_id, child_id));
    for (const auto& w : open) {
      const domain::WarningRule* rule = config_.Find(w.rule_code);
      const bool street = rule && rule->owner_level == "street";
      TH_RETURN_IF_ERROR(work::Reassign(deps_.work.get(), c, kSubject, w.id, kKind, street ? w.street_id : w.community_id));
    }
    return Status::Ok();
  };
  deps_.jurisdiction.unit_moved["warnings"] = [](storage::Connection& c, const repo::OrgUnit& before,
                                                 const std::string& new_path) {
    return WarningsRepo(c).FollowUnit(before.path, new_path);
  };
}

WarningService::~WarningService() { StopNightly(); }

repo::ChildScope WarningService::ScopeOf(const Principal& who) const {
  const std::string& level = who.org_level;
  const std::int64_t id = who.org_unit_id;
  if (level == "city") return {"city", id};
  if (level == "district") return {"district_id", id};
  if (level == "street") return {"street_id", id};
  if (level == "community") return {"community_id", id};
  return {"grid_id", id};
}

// Long: the insert, its work item and its audit entry belong together.
Result<bool> WarningService::RaiseIn(storage::Connection& c, const domain::WarningRule& rule, const WarningChild& child,
                                     const std::string& reason, std::int64_t at, const Principal* who, bool checked) {
  WarningsRepo repo(c);
  if (!checked) {
    TH_ASSIGN_OR_RETURN(auto open, repo.OpenFor(rule.code, child.id));
    if (open) return false;
  }
  if (!checked && rule.kind != domain::WarningKind::kManual) {
    // A person closed this (rule, child) while the condition held: not again until it has cleared once.
    TH_ASSIGN_OR_RETURN(auto held, repo.SuppressedBetween(child.id, child.id));
    for (const auto& [code, id] : held) {
      if (code == rule.code) return false;
    }
  }
  WarningRecord w = NewWarning(rule, child, reason, at, who);
  TH_ASSIGN_OR_RETURN(bool inserted, repo.Insert(w));
  if (!inserted) return false;  // raised meanwhile by another transaction
  TH_RETURN_IF_ERROR(work::Open(deps_.work.get(), c, ItemFor(rule, child, w, at)).status());
  TH_RETURN_IF_ERROR(WriteAudit(c, deps_.clock, who, who ? who->client_ip : "system", RaiseAudit(rule, w)));
  return true;
}

// The nightly path's raises in bulk: the same rows as RaiseIn(checked) hit by hit, with multi-row
// statements (warnings, their work items and clocks, the audit entries).
Result<std::int64_t> WarningService::RaiseMany(storage::Connection& c, const std::vector<WarningHit>& hits,
                                               const std::map<std::int64_t, WarningChild>& children, std::int64_t at) {
  std::vector<WarningRecord> ws;
  std::vector<std::pair<const domain::WarningRule*, const WarningChild*>> of;
  for (const auto& hit : hits) {
    const domain::WarningRule* rule = config_.Find(hit.rule_code);
    auto child = children.find(hit.child_id);
    if (!rule || child == children.end()) continue;
    ws.push_back(NewWarning(*rule, child->second, hit.reason, at, nullptr));
    of.emplace_back(rule, &child->second);
  }
  TH_RETURN_IF_ERROR(WarningsRepo(c).InsertMany(ws));
  std::vector<work::WorkOpen> items;
  std::vector<AuditRecord> audits;
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (ws[i].id == 0) continue;  // raised meanwhile by another transaction
    items.push_back(ItemFor(*of[i].first, *of[i].second, ws[i], at));
    audits.push_back(RaiseAudit(*of[i].first, ws[i]));
  }
  TH_RETURN_IF_ERROR(work::OpenMany(deps_.work.get(), c, items).status());
  TH_RETURN_IF_ERROR(WriteAudits(c, deps_.clock, nullptr, "system", audits));
  return static_cast<std::int64_t>(items.size());
}

Status WarningService::ClearIn(storage::Connection& c, const WarningRecord& w, std::int64_t now) {
  const domain::WarningRule* rule = config_.Find(w.rule_code);
  const std::string note = "条件已消除，夜间评估自动关闭（" + DayText(now) + "，" + (rule ? rule->name : w.rule_code) + "）";
  TH_ASSIGN_OR_RETURN(bool closed, WarningsRepo(c).Close(w.id, w.version, "cleared", now, std::nullopt, "系统", note));
  if (!closed) return Status::Ok();  // a person closed it meanwhile
  TH_RETURN_IF_ERROR(work::Close(deps_.work.get(), c, kSubject, w.id, kKind));
  return WriteAudit(c, deps_.clock, nullptr, "system",
                    {"warning.clear", "warning", std::to_string(w.id), w.unit_path,
                     JsonObjectWriter().Str("status", "open").Finish(),
                     JsonObjectWriter().Str("status", "cleared").Str("note", note).Finish(), note});
}

Status WarningService::Raise(storage::Connection& c, const std::string& rule_code, std::int64_t child_id,
                             const std::string& reason_zh, std::int64_t at) {
  const domain::WarningRule* rule = config_.Find(rule_code);
  if (!rule) return Status::Invalid("rule", "invalid_enum", "未知的预警规则: " + rule_code, "Unknown warning rule: " + rule_code);
  if (reason_zh.empty()) return Status::Required("reason");
  TH_RETURN_IF_ERROR(text::CheckText(reason_zh, "reason", text::kLongText));
  TH_ASSIGN_OR_RETURN(auto child, WarningsRepo(c).Child(child_id));
  if (!child) return Status::NotFound("child");
  return RaiseIn(c, *rule, *child, reason_zh, at, nullptr).status();
}

Status WarningService::OnGrade(storage::Connection& c, std::int64_t child_id, const std::string&, std::int64_t) {
  return OnChildChanged(c, child_id);
}

Status WarningService::OnChildChanged(storage::Connection& c, std::int64_t child_id) {
  TH_ASSIGN_OR_RETURN(auto child, WarningsRepo(c).Child(child_id));
  if (!child) return Status::NotFound("child");
  TH_ASSIGN_OR_RETURN(auto hits, HitsBetween(c, child_id, child_id));
  const std::int64_t now = deps_.clock.NowMillis();
  for (const auto& h : hits) {
    const domain::WarningRule* rule = config_.Find(h.rule_code);
    if (rule) TH_RETURN_IF_ERROR(RaiseIn(c, *rule, *child, h.reason, now, nullptr).status());
  }
  return Status::Ok();
}

Result<std::vector<WarningRecord>> WarningService::List(const Principal& who, const WarningListParams& p,
                                                        const repo::Page& page, std::int64_t* total) {
  TH_RETURN_IF_ERROR(Need(who, perm::kWarningRead));
  if (!KnownStatus(p.status)) {
    return Status::Invalid("status", "invalid_enum", "状态应为 open、closed、handled、false_alarm 或 cleared",
                           "status must be open, closed, handled, false_alarm or cleared");
  }
  if (!p.rule_code.empty() && !config_.Find(p.rule_code)) {
    return Status::Invalid("rule", "invalid_enum", "未知的预警规则", "Unknown warning rule");
  }
  repo::WarningFilter f;
  f.scope = ScopeOf(who);
  f.rule_code = p.rule_code;
  f.status = p.status;
  f.street_id = p.street_id;
  f.community_id = p.community_id;
  f.child_id = p.child_id;
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  WarningsRepo repo(*h);
  TH_ASSIGN_OR_RETURN(auto rows, repo.List(f, page));
  TH_ASSIGN_OR_RETURN(*total, repo.Count(f));
  KeepCovered(who, &rows, [](const WarningRecord& w) { return w.unit_path; }, "warning");
  if (p.child_id) {
    // A child's warnings are a read of the child's file.
    TH_RETURN_IF_ERROR(read_audit_->Append(who, {"warning.read", "child", std::to_string(*p.child_id), who.org_path, "",
                                                 "", "child warnings"}));
  }
  return rows;
}

Result<WarningRecord> WarningService::Get(const Principal& who, std::int64_t id) {
  TH_RETURN_IF_ERROR(Need(who, perm::kWarningRead));
  WarningRecord out;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_ASSIGN_OR_RETURN(auto w, WarningsRepo(*h).Get(id));
    if (!w || !who.Covers(w->unit_path)) return Status::NotFound("warning");
    out = std::move(*w);
  }
  TH_RETURN_IF_ERROR(read_audit_->Append(who, {"warning.read", "warning", std::to_string(id), out.unit_path, "", "",
                                               "child " + std::to_string(out.child_id)}));
  return out;
}

// Long: checks, the close, its work item and its audit entry in one transaction.
Result<WarningRecord> WarningService::Handle(const Principal& who, std::int64_t id, const std::string& outcome,
                                             const std::string& note, std::int64_t version) {
  TH_RETURN_IF_ERROR(Need(who, perm::kWarningHandle));
  if (outcome != "handled" && outcome != "false_alarm") {
    return Status::Invalid("outcome", "invalid_enum", "处置结果应为 handled（已处置）或 false_alarm（误报）",
                           "outcome must be handled or false_alarm");
  }
  if (text::DecodeUtf8(note).size() < 2) {
    return Status::Invalid("note", "required", "请填写处置说明（至少 2 个字）", "Write a note (at least 2 characters)");
  }
  TH_RETURN_IF_ERROR(text::CheckText(note, "note", text::kLongText));
  const std::int64_t now = deps_.clock.NowMillis();
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    WarningsRepo repo(c);
    TH_ASSIGN_OR_RETURN(auto w, repo.Get(id));
    if (!w || !who.Covers(w->unit_path)) return Status::NotFound("warning");
    if (!w->is_open) {
      return Status::InvalidState(w->status);
    }
    if (w->version != version) return Status::Stale();
    TH_ASSIGN_OR_RETURN(bool closed, repo.Close(id, version, outcome, now, who.user_id, who.display_name, note));
    if (!closed) return Status::Stale();
    TH_RETURN_IF_ERROR(work::Close(deps_.work.get(), c, kSubject, id, kKind));
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"warning.handle", "warning", std::to_string(id), w->unit_path,
                       JsonObjectWriter().Str("status", "open").Finish(),
                       JsonObjectWriter().Str("status", outcome).Str("note", note).Finish(), note});
  }));
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  TH_ASSIGN_OR_RETURN(auto w, WarningsRepo(*h).Get(id));
  if (!w) return Status::NotFound("warning");
  return std::move(*w);
}

Result<WarningRecord> WarningService::RaiseManual(const Principal& who, std::int64_t child_id, const std::string& rule_code,
                                                  const std::string& reason, bool* created) {
  TH_RETURN_IF_ERROR(Need(who, perm::kWarningHandle));
  {
    // Scope first (404), then the fields (400): the matrix's writes fail validation after the scope check.
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_ASSIGN_OR_RETURN(auto child, WarningsRepo(*h).Child(child_id));
    if (!child || !who.Covers(child->unit_path)) return Status::NotFound("child");
  }
  const std::string code = rule_code.empty() ? "manual" : rule_code;
  const domain::WarningRule* rule = config_.Find(code);
  if (!rule) return Status::Invalid("rule", "invalid_enum", "未知的预警规则: " + code, "Unknown warning rule: " + code);
  if (text::DecodeUtf8(reason).size() < 2) {
    return Status::Invalid("reason", "required", "请填写预警原因（至少 2 个字）", "Write the reason (at least 2 characters)");
  }
  TH_RETURN_IF_ERROR(text::CheckText(reason, "reason", text::kLongText));
  WarningRecord out;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    WarningsRepo repo(c);
    TH_ASSIGN_OR_RETURN(auto child, repo.Child(child_id));
    if (!child || !who.Covers(child->unit_path)) return Status::NotFound("child");
    TH_ASSIGN_OR_RETURN(*created, RaiseIn(c, *rule, *child, reason, deps_.clock.NowMillis(), &who));
    TH_ASSIGN_OR_RETURN(auto w, repo.OpenFor(code, child_id));
    if (!w) return Status::Internal("warning not open after raise");
    out = std::move(*w);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<repo::WarningRuleCount>> WarningService::OpenByRule(const Principal& who) {
  TH_RETURN_IF_ERROR(Need(who, perm::kWarningRead));
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  return WarningsRepo(*h).OpenByRule(ScopeOf(who));
}

}  // namespace th::service
