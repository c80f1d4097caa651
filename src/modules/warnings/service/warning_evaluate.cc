// WarningService: the rules' evaluators over blocks of children, the nightly run and its worker.
#include <spdlog/spdlog.h>

#include <chrono>
#include <set>

#include "base/json_writer.h"
#include "modules/registry/domain/child.h"
#include "modules/warnings/service/warning_internal.h"
#include "modules/warnings/service/warning_service.h"

namespace th::service {

using namespace warnings_internal;  // NOLINT: this file is part of the warnings service
using domain::WarningKind;
using domain::WarningRule;
using repo::WarningsRepo;
using HitMap = std::map<std::pair<std::string, std::int64_t>, std::vector<std::string>>;

namespace {

template <typename E>
std::string Label(const std::string& code) {
  E e{};
  return domain::ParseEnum(code, &e) ? std::string(domain::ZhOf(e)) : code;
}

std::string NameOr(const std::map<std::string, std::string>& names, const std::string& code) {
  auto it = names.find(code);
  return it == names.end() ? code : it->second;
}

}  // namespace

// Long: one case per evaluator kind, each a query and the wording of its facts.
Status WarningService::HitsOf(storage::Connection& c, const WarningRule& rule, std::int64_t lo, std::int64_t hi,
                              std::int64_t now, HitMap* out) {
  WarningsRepo repo(c);
  auto add = [&](std::int64_t child, const std::map<std::string, std::string>& facts) {
    (*out)[{rule.code, child}].push_back(domain::FormatReason(rule.reason, facts));
  };
  const std::int32_t today = DayOf(now);
  switch (rule.kind) {
    case WarningKind::kParentState: {
      TH_ASSIGN_OR_RETURN(auto rows, repo.ParentStates(lo, hi, rule.relations, rule.states));
      for (const auto& r : rows) {
        add(r.child_id, {{"relation", Label<domain::Relation>(r.relation)},
                         {"member", r.name.empty() ? "" : "（" + r.name + "）"},
                         {"state", Label<domain::MemberState>(r.state)},
                         {"since", r.since > 0 ? DateOf(r.since).ToString() : "日期不详"}});
      }
      return Status::Ok();
    }
    case WarningKind::kGradeNoVisit: {
      TH_ASSIGN_OR_RETURN(auto rows, repo.GradedVisits(lo, hi, rule.grades));
      for (const auto& r : rows) {
        const std::int32_t from = r.last_visit_on > 0 ? r.last_visit_on : (r.graded_at > 0 ? DayOf(r.graded_at) : 0);
        if (from <= 0) continue;
        const std::int64_t days = DaysBetween(from, today);
        if (days < rule.days) continue;
        add(r.child_id, {{"grade_name", NameOr(rule.grade_names, r.grade)},
                         {"days", std::to_string(days)},
                         {"last_visit", r.last_visit_on > 0 ? "上次走访 " + DateOf(r.last_visit_on).ToString()
                                                            : "定级 " + DateOf(from).ToString() + " 以来未走访"}});
      }
      return Status::Ok();
    }
    case WarningKind::kDropout: {
      if (!rule.school_stages.empty()) {
        TH_ASSIGN_OR_RETURN(auto rows, repo.DropoutStages(lo, hi, rule.school_stages));
        for (const auto& r : rows) {
          add(r.child_id, {{"evidence", "档案记载就学状态为“" + Label<domain::SchoolStage>(r.school_stage) + "”"}});
        }
      }
      if (!rule.finding_rules.empty()) {
        TH_ASSIGN_OR_RETURN(auto rows, repo.DropoutFindings(lo, hi, rule.finding_rules, rule.finding_status));
        std::set<std::int64_t> seen;
        for (const auto& r : rows) {
          if (!seen.insert(r.child_id).second) continue;  // the newest finding per child
          add(r.child_id, {{"evidence", "排查发现（" + DayText(r.finding_at) + "）：" + r.finding_reason}});
        }
      }
      return Status::Ok();
    }
    case WarningKind::kRepeatReports: {
      const std::int64_t since = domain::Date::FromEpochMillisShanghai(now).AddMonths(-rule.months).ToDays() * kDayMs -
                                 8LL * 3600 * 1000;
      TH_ASSIGN_OR_RETURN(auto rows, repo.ReportCounts(lo, hi, since, rule.min_reports));
      for (const auto& r : rows) {
        add(r.child_id, {{"months", std::to_string(rule.months)},
                         {"count", std::to_string(r.count)},
                         {"last", DayText(r.last_at)}});
      }
      return Status::Ok();
    }
    case WarningKind::kWorkOverdue:
      return WorkHits(c, rule, lo, hi, now, out);
    case WarningKind::kManual:
      return Status::Ok();
  }
  return Status::Ok();
}

// Overdue work items of the rule's kinds: on subjects that are children (subject id = child id), read
// by the block's id range; on other subjects through their registered resolver.
Status WarningService::WorkHits(storage::Connection& c, const WarningRule& rule, std::int64_t lo, std::int64_t hi,
                                std::int64_t now, HitMap* out) {
  std::vector<std::string> direct;
  std::vector<std::string> resolved;
  for (const auto& st : rule.child_subjects) (resolvers_.count(st) ? resolved : direct).push_back(st);
  std::vector<repo::OverdueWorkRow> rows;
  WarningsRepo repo(c);
  if (!direct.empty()) {
    TH_ASSIGN_OR_RETURN(rows, repo.OverdueWork(lo, hi, rule.work_kinds, direct, now));
  }
  for (const auto& st : resolved) {
    TH_ASSIGN_OR_RETURN(auto more, repo.OverdueWork(0, INT64_MAX, rule.work_kinds, {st}, now));
    for (auto& r : more) {
      TH_ASSIGN_OR_RETURN(auto child, resolvers_[st](c, r.subject_id));
      if (!child || *child < lo || *child > hi) continue;
      r.subject_id = *child;
      rows.push_back(std::move(r));
    }
  }
  for (const auto& r : rows) {
    const std::int64_t overdue_days = (now - r.due_at + kDayMs - 1) / kDayMs;
    (*out)[{rule.code, r.subject_id}].push_back(domain::FormatReason(
        rule.reason, {{"work", NameOr(rule.kind_names, r.kind)},
                      {"overdue_days", std::to_string(overdue_days)},
                      {"due", DayText(r.due_at - 1)}}));
  }
  return Status::Ok();
}

Result<std::vector<WarningHit>> WarningService::HitsBetween(storage::Connection& c, std::int64_t lo, std::int64_t hi) {
  HitMap map;
  const std::int64_t now = deps_.clock.NowMillis();
  for (const auto& rule : config_.rules) TH_RETURN_IF_ERROR(HitsOf(c, rule, lo, hi, now, &map));
  std::vector<WarningHit> out;
  out.reserve(map.size());
  for (auto& [key, reasons] : map) {
    std::string reason;
    for (const auto& r : reasons) reason += (reason.empty() ? "" : "；") + r;
    out.push_back({key.first, key.second, std::move(reason)});
  }
  return out;
}

// Long: reads (hits, open warnings, the hit children's units) then one write transaction of the changes.
Status WarningService::EvaluateBlock(std::int64_t lo, std::int64_t hi, std::int64_t now, WarningEvaluateResult* out) {
  std::vector<WarningHit> hits;
  std::vector<repo::WarningRecord> open;
  std::map<std::int64_t, repo::WarningChild> children;
  std::vector<std::pair<std::string, std::int64_t>> release;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_ASSIGN_OR_RETURN(hits, HitsBetween(*h, lo, hi));
    TH_ASSIGN_OR_RETURN(open, WarningsRepo(*h).OpenBetween(lo, hi));
    std::set<std::pair<std::string, std::int64_t>> held;
    for (const auto& hit : hits) held.insert({hit.rule_code, hit.child_id});
    std::set<std::pair<std::string, std::int64_t>> is_open;
    for (const auto& w : open) is_open.insert({w.rule_code, w.child_id});
    // Person-closed while the condition held: not raised again (kept), released once it no longer holds.
    TH_ASSIGN_OR_RETURN(auto suppressed, WarningsRepo(*h).SuppressedBetween(lo, hi));
    for (auto& s : suppressed) {
      if (!held.count(s)) {
        release.push_back(std::move(s));
      } else {
        is_open.insert(s);
      }
    }
    std::vector<std::int64_t> need;
    std::vector<WarningHit> fresh;
    for (auto& hit : hits) {
      if (is_open.count({hit.rule_code, hit.child_id})) {
        ++out->kept;
        continue;
      }
      need.push_back(hit.child_id);
      fresh.push_back(std::move(hit));
    }
    out->hits += static_cast<std::int64_t>(held.size());
    TH_ASSIGN_OR_RETURN(auto rows, WarningsRepo(*h).Children(need));
    for (auto& c : rows) children.emplace(c.id, std::move(c));
    std::vector<repo::WarningRecord> to_clear;
    for (auto& w : open) {
      const WarningRule* rule = config_.Find(w.rule_code);
      if (rule && rule->auto_close && !held.count({w.rule_code, w.child_id})) to_clear.push_back(std::move(w));
    }
    open = std::move(to_clear);
    hits = std::move(fresh);
  }
  if (hits.empty() && open.empty() && release.empty()) return Status::Ok();
  return InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    if (one_by_one_) {
      for (const auto& hit : hits) {
        const WarningRule* rule = config_.Find(hit.rule_code);
        auto child = children.find(hit.child_id);
        if (!rule || child == children.end()) continue;
        TH_ASSIGN_OR_RETURN(bool raised, RaiseIn(c, *rule, child->second, hit.reason, now, nullptr, true));
        if (raised) ++out->raised;
      }
    } else {
      TH_ASSIGN_OR_RETURN(std::int64_t raised, RaiseMany(c, hits, children, now));
      out->raised += raised;
    }
    for (const auto& w : open) {
      TH_RETURN_IF_ERROR(ClearIn(c, w, now));
      ++out->cleared;
    }
    for (const auto& [code, child] : release) TH_RETURN_IF_ERROR(WarningsRepo(c).Release(code, child));
    return Status::Ok();
  });
}

Result<WarningEvaluateResult> WarningService::Evaluate() {
  constexpr std::int64_t kBlock = 5000;
  WarningEvaluateResult out;
  const std::int64_t now = deps_.clock.NowMillis();
  std::int64_t max_id = 0;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_ASSIGN_OR_RETURN(max_id, WarningsRepo(*h).MaxChildId());
  }
  out.children = max_id;
  for (std::int64_t lo = 1; lo <= max_id; lo += kBlock) TH_RETURN_IF_ERROR(EvaluateBlock(lo, lo + kBlock - 1, now, &out));
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    return WriteAudit(c, deps_.clock, nullptr, "system",
                      {"warning.evaluate", "warning", "", "", "",
                       JsonObjectWriter()
                           .Int("hits", out.hits)
                           .Int("raised", out.raised)
                           .Int("cleared", out.cleared)
                           .Int("kept", out.kept)
                           .Finish(),
                       "nightly evaluation"});
  }));
  return out;
}

void WarningService::StartNightly(std::int64_t poll_ms) {
  if (nightly_.joinable()) return;
  nightly_ = std::thread([this, poll_ms] {
    std::int32_t done_for = 0;
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      const std::int32_t today = DayOf(deps_.clock.NowMillis());
      if (today != done_for) {
        lock.unlock();
        const auto t0 = std::chrono::steady_clock::now();
        auto r = Evaluate();
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
        if (r.ok()) {
          spdlog::info("warnings: evaluated (hits {}, raised {}, cleared {}) in {} ms", r->hits, r->raised, r->cleared,
                       ms.count());
          done_for = today;
        } else {
          spdlog::error("warnings: nightly evaluation failed: {}", r.status().ToString());
        }
        lock.lock();
      }
      cv_.wait_for(lock, std::chrono::milliseconds(poll_ms), [this] { return stop_; });
    }
  });
}

void WarningService::StopNightly() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (nightly_.joinable()) nightly_.join();
}

}  // namespace th::service
