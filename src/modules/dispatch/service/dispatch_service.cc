#include "modules/dispatch/service/dispatch_service.h"

#include <algorithm>
#include <set>

#include "base/json_writer.h"
#include "modules/dispatch/permissions.h"
#include "modules/dispatch/service/dispatch_internal.h"
#include "modules/dispatch/service/dispatch_workflow.h"
#include "platform/repo/org_repo.h"
#include "modules/reports/permissions.h"
#include "platform/service/permissions.h"
#include "platform/work/work_service.h"
#include "text/field.h"

namespace th::service {

using repo::DispatchOrderRecord;
using repo::DispatchRepo;

namespace dispatch_detail {

Result<std::optional<std::int64_t>> AgencyOf(storage::Connection&, const Principal& who) {
  if (!who.Can(perm::kDispatchHandle)) return std::optional<std::int64_t>{};
  return who.agency_id;  // set at login for users who belong to an agency (liaisons, reporters)
}

Status NeedOrderReader(const Principal& who) {
  if (who.Can(kDispatchCenterPermission) || who.Can(perm::kReportRead) || who.Can(perm::kDispatchHandle)) {
    return Status::Ok();
  }
  return Status::Forbidden();
}

bool Receives(const Principal& who, std::optional<std::int64_t> agency, const DispatchOrderRecord& o) {
  if (!who.Can(perm::kDispatchHandle)) return false;
  if (o.target_kind == "agency") return agency && o.agency_id && *agency == *o.agency_id;
  // A street or community receives through its own users (and the street's above a community);
  // the district center never acts as a receiver of its own dispatch.
  const bool local = who.org_level == "street" || who.org_level == "community" || who.org_level == "grid";
  return local && !agency && who.Covers(o.unit_path);
}

OrderAccess AccessOf(const Principal& who, std::optional<std::int64_t> agency, const DispatchOrderRecord& o,
                     const DispatchOrderRecord* lead) {
  if (Receives(who, agency, o)) return OrderAccess::kReceiver;
  if (who.Can(kDispatchCenterPermission) && who.Covers(o.report_unit_path)) return OrderAccess::kCenter;
  if (lead && Receives(who, agency, *lead)) return OrderAccess::kLeadReceiver;
  if (who.Can(perm::kReportRead) && who.Covers(o.report_unit_path)) return OrderAccess::kReader;
  return OrderAccess::kNone;
}

Result<Loaded> LoadVisible(storage::Connection& c, const Principal& who, std::int64_t id) {
  DispatchRepo repo(c);
  auto o = repo.Get(id);
  if (!o.ok()) return Status::NotFound("dispatch_order");
  TH_ASSIGN_OR_RETURN(auto agency, AgencyOf(c, who));
  std::optional<DispatchOrderRecord> lead;
  if (!o->lead && o->lead_order_id) {
    auto l = repo.Get(*o->lead_order_id);
    if (l.ok()) lead = std::move(*l);
  }
  OrderAccess a = AccessOf(who, agency, *o, lead ? &*lead : nullptr);
  if (a == OrderAccess::kNone) return Status::NotFound("dispatch_order");
  return Loaded{std::move(*o), a, agency};
}

OrderView MakeView(const DispatchOrderRecord& o, OrderAccess access, const Principal& who, std::int64_t now) {
  OrderView v;
  v.order = o;
  v.access = access;
  v.flow_state = DispatchFlowState(o.status, o.extension_pending);
  v.overdue = (o.status == "pending_accept" || o.status == "handling") && o.next_due_at < now;
  const work::WorkflowTable& t = DispatchOrderWorkflow();
  for (const auto& a : DispatchActions()) {
    const work::Transition* tr = t.Find(v.flow_state, a);
    if (!tr || !who.Can(tr->permission)) continue;
    const bool receiver_step = tr->permission == perm::kDispatchHandle;
    if (receiver_step ? access != OrderAccess::kReceiver : access != OrderAccess::kCenter) continue;
    if (a == "return" && o.designated) continue;
    if (!o.lead && (a == "revisit" || a == "redo" || a == "close")) continue;
    if (a == "request_extension" && o.extensions >= DispatchService::kMaxExtensions) continue;
    v.actions.push_back(a);
  }
  return v;
}

std::string VariantOf(const DispatchClocks& clocks, const std::string& kind, const DispatchOrderRecord& o) {
  return DispatchVariant(o.urgency, o.category, [&](const std::string& v) { return clocks.Has(kind, v); });
}

Clocked AroundDue(Deps& deps, const DispatchClocks& clocks, const std::string& kind, const DispatchOrderRecord& o,
                  std::int64_t start, std::int64_t due) {
  constexpr std::int64_t kHour = 3600LL * 1000;
  Clocked out;
  out.due_at = due;
  auto* engine = work::FindWork(deps);
  const work::KindConfig* k = clocks.Find(kind, VariantOf(clocks, kind, o));
  if (!k && engine) k = engine->config().Find(kind);
  if (!engine || !k) {
    out.warn_at = std::max(start, due - 24 * kHour);
    out.district_at = due + 5 * 24 * kHour;
    return out;
  }
  out.warn_at = std::max(start, due - k->warn_before.amount * kHour);
  out.district_at = work::WorkConfig::After(k->district_after, due, engine->calendar(), &out.beyond_calendar);
  return out;
}

Clocked ClockFor(Deps& deps, const DispatchClocks& clocks, const std::string& kind, const DispatchOrderRecord& o,
                 std::int64_t start) {
  auto* engine = work::FindWork(deps);
  // No engine (unit tests of other modules): 5 days.
  if (!engine) return AroundDue(deps, clocks, kind, o, start, start + 5LL * 24 * 3600 * 1000);
  const work::KindConfig* k = clocks.Find(kind, VariantOf(clocks, kind, o));
  if (!k) k = engine->config().Find(kind);
  bool beyond = false;
  const std::int64_t due = k ? work::WorkConfig::After(k->clock, start, engine->calendar(), &beyond)
                             : engine->config().DeadlinesFor(kind, start, engine->calendar()).due_at;
  Clocked out = AroundDue(deps, clocks, kind, o, start, due);
  out.beyond_calendar = out.beyond_calendar || beyond;
  return out;
}

Status WriteStep(storage::Connection& c, const Principal& who, const DispatchOrderRecord& o,
                 repo::DispatchStepRecord s) {
  s.order_id = o.id;
  s.report_id = o.report_id;
  if (who.user_id) s.by_user_id = who.user_id;
  s.by_name = who.display_name.empty() ? who.username : who.display_name;
  s.by_unit = who.org_name;
  if (s.due_at) s.met = s.at <= *s.due_at ? 1 : 0;
  return DispatchRepo(c).InsertStep(s);
}

Status Audit(Deps& deps, storage::Connection& c, const Principal& who, const std::string& action,
             const DispatchOrderRecord& o, const std::string& after) {
  return WriteAudit(c, deps.clock, &who, who.client_ip,
                    {action, "dispatch_order", std::to_string(o.id), o.report_unit_path, "", after, ""});
}

}  // namespace dispatch_detail

using namespace dispatch_detail;

DispatchService::DispatchService(Deps& deps, ReportFactsSource& reports, DispatchClocks clocks)
    : deps_(deps), reports_(reports), clocks_(std::move(clocks)) {
  // The orders' copies of unit paths (receiver, report) move with units (deps.h JurisdictionHooks);
  // their work items follow through the engine's own hook.
  deps.jurisdiction.unit_moved["dispatch"] = [](storage::Connection& c, const repo::OrgUnit& before,
                                                const std::string& new_path) -> Status {
    return DispatchRepo(c).MoveUnit(before.path, new_path);
  };
  // The center closing the report directly ends its open orders in the same transaction.
  reports.SetDirectCloseListener([this](storage::Connection& c, const Principal& who, std::int64_t report_id,
                                        const std::string& outcome) { return CloseWithReport(c, who, report_id, outcome); });
}

namespace {

// A dispatch target resolved to its receiver: a department agency of the district, or a street /
// community under it. 400 invalid_target naming `field` otherwise.
Status ResolveTarget(storage::Connection& c, const repo::OrgUnit& district, const DispatchTargetInput& t,
                     const std::string& field, DispatchOrderRecord& o) {
  auto bad = [&] {
    return Status::Invalid(field, "invalid_target", "派单对象应为本区成员单位或街道/社区",
                           "The target must be a member department of the district or a street/community in it");
  };
  if (t.agency_id.has_value() == t.unit_id.has_value()) return bad();
  repo::OrgRepo orgs(c);
  if (t.agency_id) {
    auto a = orgs.GetAgency(*t.agency_id);
    if (!a.ok() || a->retired || a->kind != "department" || a->org_unit_id != district.id) return bad();
    o.target_kind = "agency";
    o.agency_id = a->id;
    o.unit_id = district.id;
    o.unit_path = district.path;
    o.receiver_role = "dept_liaison";
    o.target_name = a->name;
    return Status::Ok();
  }
  auto u = orgs.Get(*t.unit_id);
  if (!u.ok() || u->retired || (u->level != "street" && u->level != "community") ||
      u->path.compare(0, district.path.size(), district.path) != 0) {
    return bad();
  }
  o.target_kind = "unit";
  o.unit_id = u->id;
  o.unit_path = u->path;
  o.receiver_street_id = u->level == "street" ? u->id : u->parent_id.value_or(0);
  o.receiver_role = u->level == "street" ? "street_supervisor" : "child_director";
  o.target_name = u->name;
  return Status::Ok();
}

// The street of a unit path under the district ("/1/2/3/" → 3 when the district is 2), if any.
std::optional<std::int64_t> StreetOf(const std::string& district_path, const std::string& path) {
  if (path.size() <= district_path.size() || path.compare(0, district_path.size(), district_path) != 0) {
    return std::nullopt;
  }
  const std::size_t end = path.find('/', district_path.size());
  if (end == std::string::npos) return std::nullopt;
  return std::stoll(path.substr(district_path.size(), end - district_path.size()));
}

// The order's copies of the report's facts and the dispatch's own fields (not its receiver).
void FillFromReport(const ReportFacts& report, const repo::OrgUnit& district, const DispatchTargetInput& t,
                    const Principal& who, std::int64_t now, DispatchOrderRecord& o) {
  o.report_id = report.id;
  o.district_unit_id = district.id;
  o.report_unit_path = report.unit_path;
  o.street_id = StreetOf(district.path, report.unit_path);
  o.child_id = report.child_id;
  o.category = report.category;
  o.urgency = report.urgency;
  o.channel = report.channel;
  o.month = domain::Date::FromEpochMillisShanghai(now).ToString().substr(0, 7);
  o.instructions = std::string(text::TrimSpace(t.instructions));
  o.designated = t.designated;
  o.dispatched_at = now;
  o.dispatched_by = who.user_id;
  o.created_at = o.updated_at = now;
}

}  // namespace

Result<std::vector<OrderView>> DispatchService::Dispatch(const Principal& who, std::int64_t report_id,
                                                         const DispatchInput& in) {
  if (in.co.size() > kMaxCo) {
    return Status::Invalid("co", "too_many", "协办单位最多" + std::to_string(kMaxCo) + "个",
                           "At most " + std::to_string(kMaxCo) + " co-handling units");
  }
  std::vector<const DispatchTargetInput*> targets = {&in.lead};
  for (const auto& t : in.co) targets.push_back(&t);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const std::string field = i == 0 ? "lead.instructions" : "co." + std::to_string(i - 1) + ".instructions";
    TH_RETURN_IF_ERROR(text::CheckText(targets[i]->instructions, field, text::kLongText));
  }
  std::vector<OrderView> out;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    out.clear();
    TH_ASSIGN_OR_RETURN(auto report, reports_.LoadForTriage(c, who, report_id));
    if (report.version != in.version) return Status::Stale();
    if (report.status != "triaged") return Status::InvalidState(report.status);
    DispatchRepo repo(c);
    TH_ASSIGN_OR_RETURN(auto existing, repo.ForReport(report_id));
    for (const auto& e : existing) {
      if (e.lead && e.status != "returned" && e.status != "closed") return Status::InvalidState("dispatched");
    }
    TH_ASSIGN_OR_RETURN(auto district, repo::OrgRepo(c).Get(report.district_unit_id));
    const std::int64_t now = deps_.clock.NowMillis();
    std::set<std::string> seen;
    std::optional<std::int64_t> lead_id;
    for (std::size_t i = 0; i < targets.size(); ++i) {
      const DispatchTargetInput& t = *targets[i];
      DispatchOrderRecord o;
      const std::string field = i == 0 ? "lead" : "co." + std::to_string(i - 1);
      TH_RETURN_IF_ERROR(ResolveTarget(c, district, t, field, o));
      if (!seen.insert(o.target_kind + std::to_string(o.agency_id.value_or(o.unit_id))).second) {
        return Status::Invalid(field, "duplicate_target", "同一单位不能重复派单", "A unit appears twice");
      }
      FillFromReport(report, district, t, who, now, o);
      o.lead = i == 0;
      o.lead_order_id = i == 0 ? std::nullopt : lead_id;
      o.accept_due_at = DueAfter(deps_, clocks_, "dispatch_accept", o, now);
      o.next_due_at = o.accept_due_at;
      o.created_at = o.updated_at = now;
      TH_RETURN_IF_ERROR(repo.Insert(o));
      if (i == 0) lead_id = o.id;
      TH_RETURN_IF_ERROR(WriteStep(c, who, o, {.action = "dispatch", .to_state = "pending_accept", .at = now,
                                               .note = o.instructions, .new_due_at = o.accept_due_at}));
      TH_RETURN_IF_ERROR(SyncWork(deps_, clocks_, c, o, now, false));
      TH_RETURN_IF_ERROR(Audit(deps_, c, who, "dispatch.create", o,
                               JsonObjectWriter()
                                   .Int("report_id", report_id)
                                   .Str("target", o.target_name)
                                   .Bool("lead", o.lead)
                                   .Bool("designated", o.designated)
                                   .Finish()));
      out.push_back(MakeView(o, OrderAccess::kCenter, who, now));
    }
    return reports_.MoveIn(c, who, report_id, "dispatched", "派单: " + out.front().order.target_name);
  }));
  DropStats();
  return out;
}

Result<OrderView> DispatchService::Get(const Principal& who, std::int64_t id) {
  TH_RETURN_IF_ERROR(NeedOrderReader(who));
  OrderView v;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto l, LoadVisible(c, who, id));
    v = MakeView(l.order, l.access, who, deps_.clock.NowMillis());
    TH_ASSIGN_OR_RETURN(auto facts, reports_.Facts(c, l.order.report_id));
    v.report = std::move(facts);
    TH_ASSIGN_OR_RETURN(v.attachments, repo::AttachmentRepo(c, repo::kDispatchFiles).List(id));
    // The order carries the report's facts (a sensitive category among them): every read is audited.
    return Audit(deps_, c, who, "dispatch.read", l.order, "");
  }));
  return v;
}

Result<std::vector<OrderView>> DispatchService::List(const Principal& who, const DispatchListParams& p,
                                                     const repo::Page& page, std::int64_t* total, bool* capped) {
  static const std::set<std::string> kStatuses = {"",         "open",     "pending_accept",   "handling",
                                                  "extension_requested", "return_requested", "returned",
                                                  "feedback", "closed"};
  if (!kStatuses.count(p.status)) return Status::InvalidEnum("status", p.status);
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  storage::Connection& c = *h;
  TH_ASSIGN_OR_RETURN(auto agency, AgencyOf(c, who));
  repo::DispatchListFilter f;
  f.status = p.status;
  f.overdue = p.overdue;
  f.agency_id = p.agency_id;
  f.unit_id = p.unit_id;
  f.report_id = p.report_id;
  f.now = deps_.clock.NowMillis();
  // The widest scope the caller has; every row still passes the single-read test below.
  if (who.Can(kDispatchCenterPermission) && (who.org_level == "district" || who.org_level == "city")) {
    TH_ASSIGN_OR_RETURN(auto unit, repo::OrgRepo(c).Get(who.org_unit_id));
    if (who.org_level == "district") {
      f.scope_district = unit.id;
    } else {
      f.scope_report_path = who.org_path;
    }
  } else if (agency && who.Can(perm::kDispatchHandle)) {
    f.scope_agency = *agency;
  } else if (who.Can(perm::kDispatchHandle) && who.org_level == "street") {
    f.scope_street = who.org_unit_id;  // orders to the street and its communities
  } else if (who.Can(perm::kDispatchHandle) && who.org_level == "community") {
    f.scope_unit = who.org_unit_id;
  } else if (who.Can(perm::kReportRead) || who.Can(kDispatchCenterPermission)) {
    f.scope_report_path = who.org_path;
  } else {
    return Status::Forbidden();
  }
  bool capped_local = false;
  TH_ASSIGN_OR_RETURN(auto rows, DispatchRepo(c).List(f, page, total, capped ? capped : &capped_local));
  std::vector<OrderView> out;
  for (const auto& o : rows) {
    OrderAccess a = AccessOf(who, agency, o, nullptr);
    if (a == OrderAccess::kNone) {
      LogScopeLeak(who, "dispatch_order", 1);
      continue;
    }
    out.push_back(MakeView(o, a, who, f.now));
  }
  return out;
}

}  // namespace th::service
