// The 工作流转单 (timeline), the child file's orders, statistics with their XLSX export, and
// feedback attachments.
#include <map>

#include "base/json_writer.h"
#include "io/file_type.h"
#include "io/xlsx_writer.h"
#include "modules/dispatch/permissions.h"
#include "modules/dispatch/service/dispatch_internal.h"
#include "modules/dispatch/service/dispatch_workflow.h"
#include "modules/dispatch/service/dispatch_service.h"
#include "platform/repo/org_repo.h"
#include "modules/reports/permissions.h"
#include "platform/service/permissions.h"
#include "platform/service/watermark.h"
#include "platform/work/work_config.h"
#include "text/field.h"

namespace th::service {

using namespace dispatch_detail;
using repo::DispatchOrderRecord;
using repo::DispatchRepo;

Result<TimelineView> DispatchService::Timeline(const Principal& who, std::int64_t report_id) {
  TH_RETURN_IF_ERROR(NeedOrderReader(who));
  TimelineView v;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    auto facts = reports_.Facts(c, report_id);
    if (!facts.ok()) return Status::NotFound("report");
    DispatchRepo repo(c);
    TH_ASSIGN_OR_RETURN(auto orders, repo.ForReport(report_id));
    TH_ASSIGN_OR_RETURN(auto agency, AgencyOf(c, who));
    const bool whole = (who.Can(kDispatchCenterPermission) || who.Can(perm::kReportRead)) &&
                       who.Covers(facts->unit_path);
    std::map<std::int64_t, const DispatchOrderRecord*> by_id;
    for (const auto& o : orders) by_id[o.id] = &o;
    const std::int64_t now = deps_.clock.NowMillis();
    std::map<std::int64_t, const DispatchOrderRecord*> seen;
    for (const auto& o : orders) {
      const DispatchOrderRecord* lead = o.lead_order_id && by_id.count(*o.lead_order_id) ? by_id[*o.lead_order_id] : nullptr;
      OrderAccess a = AccessOf(who, agency, o, lead);
      if (a == OrderAccess::kNone && whole) a = OrderAccess::kReader;
      if (a == OrderAccess::kNone) continue;
      v.orders.push_back(MakeView(o, a, who, now));
      seen[o.id] = &o;
    }
    if (!whole && seen.empty()) return Status::NotFound("report");
    TH_ASSIGN_OR_RETURN(auto steps, repo.StepsForReport(report_id));
    for (auto& s : steps) {
      auto it = seen.find(s.order_id);
      if (it == seen.end()) continue;
      v.steps.push_back({std::move(s), it->second->target_name, it->second->lead});
    }
    v.report = std::move(*facts);
    if (!whole) {
      // A receiver sees the report only through its order: no other facts than the order's.
      v.report.district_unit_id = 0;
    }
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"dispatch.timeline", "report", std::to_string(report_id), v.report.unit_path, "", "", ""});
  }));
  return v;
}

Result<std::vector<OrderView>> DispatchService::ForChild(const Principal& who, std::int64_t child_id) {
  TH_RETURN_IF_ERROR(NeedOrderReader(who));
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  DispatchRepo repo(*h);
  TH_ASSIGN_OR_RETURN(auto agency, AgencyOf(*h, who));
  TH_ASSIGN_OR_RETURN(auto orders, repo.ForChild(child_id, 200));
  std::vector<OrderView> out;
  const std::int64_t now = deps_.clock.NowMillis();
  for (const auto& o : orders) {
    OrderAccess a = AccessOf(who, agency, o, nullptr);
    if (a != OrderAccess::kNone) out.push_back(MakeView(o, a, who, now));
  }
  return out;
}

namespace {

// The district at or above the caller's unit (404 for a caller above districts).
Result<repo::OrgUnit> DistrictOf(storage::Connection& c, const Principal& who) {
  repo::OrgRepo orgs(c);
  TH_ASSIGN_OR_RETURN(auto u, orgs.Get(who.org_unit_id));
  while (u.level != "district") {
    if (!u.parent_id) return Status::NotFound("district");
    TH_ASSIGN_OR_RETURN(u, orgs.Get(*u.parent_id));
  }
  return u;
}

std::string Rate(std::int64_t num, std::int64_t den) {
  if (den == 0) return "";
  const std::int64_t permille = (num * 1000 + den / 2) / den;
  return std::to_string(permille / 10) + "." + std::to_string(permille % 10) + "%";
}

void Add(repo::DispatchStatsRow& t, const repo::DispatchStatsRow& r) {
  t.received += r.received;
  t.accepted += r.accepted;
  t.accepted_on_time += r.accepted_on_time;
  t.accept_due += r.accept_due;
  t.fed_back += r.fed_back;
  t.handled_on_time += r.handled_on_time;
  t.handle_due += r.handle_due;
  t.returned += r.returned;
  t.extensions += r.extensions;
  t.revisited += r.revisited;
  t.satisfied += r.satisfied;
  t.overdue_now += r.overdue_now;
}

}  // namespace

Result<DispatchStatsView> DispatchService::Stats(const Principal& who, domain::Date from, domain::Date to,
                                                 const std::string& by) {
  if (!who.Can(perm::kStatsRead)) return Status::Forbidden();
  if (by != "department" && by != "street" && by != "month" && by != "category" && by != "channel") {
    return Status::InvalidEnum("by", by);
  }
  if (!(from.ToDays() < to.ToDays()) || to.ToDays() - from.ToDays() > 3660) {
    return Status::Invalid("to", "invalid_range", "统计区间无效", "Invalid period");
  }
  DispatchStatsView v;
  v.by = by;
  v.from = work::EndOfDayShanghai(from.AddDays(-1)) + 1;
  v.to = work::EndOfDayShanghai(to.AddDays(-1)) + 1;
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  TH_ASSIGN_OR_RETURN(auto district, DistrictOf(*h, who));
  // Above the district: the district's figures; a street: the orders about its own reports only.
  std::optional<std::int64_t> street;
  if (!who.Covers(district.path)) {
    if (who.org_level != "street") return Status::NotFound("district");
    street = who.org_unit_id;
  }
  const std::int64_t now = deps_.clock.NowMillis();
  const std::string key = std::to_string(district.id) + "/" + std::to_string(street.value_or(0)) + "/" +
                          std::to_string(v.from) + "/" + std::to_string(v.to) + "/" + by;
  bool cached = false;
  {
    std::lock_guard<std::mutex> lock(stats_mu_);
    auto it = stats_cache_.find(key);
    if (it != stats_cache_.end() && it->second.expires > now) {
      v.rows = it->second.rows;
      cached = true;
    }
  }
  if (!cached) {
    TH_ASSIGN_OR_RETURN(v.rows, DispatchRepo(*h).Stats(district.id, street, v.from, v.to, by, now));
    std::lock_guard<std::mutex> lock(stats_mu_);
    if (stats_cache_.size() > 1000) stats_cache_.clear();
    stats_cache_[key] = CachedStats{now + kStatsCacheMs, v.rows};
  }
  v.total.key = "total";
  v.total.name = "合计";
  for (const auto& r : v.rows) Add(v.total, r);
  return v;
}

Result<std::string> DispatchService::StatsXlsx(const Principal& who, domain::Date from, domain::Date to,
                                               const std::string& by) {
  TH_ASSIGN_OR_RETURN(auto v, Stats(who, from, to, by));
  static const std::map<std::string, const char*> kBy = {{"department", "承办单位"}, {"street", "街道"},
                                                         {"month", "月份"},         {"category", "类别"},
                                                         {"channel", "来源渠道"}};
  const std::vector<std::string> header = {kBy.at(by), "派单数", "按时签收率", "按时办结率", "退单率",
                                           "延期次数", "回访满意率", "当前超期"};
  std::vector<std::vector<std::string>> rows;
  auto row = [](const repo::DispatchStatsRow& r) {
    return std::vector<std::string>{r.name.empty() ? r.key : r.name, std::to_string(r.received),
                                    Rate(r.accepted_on_time, r.accept_due), Rate(r.handled_on_time, r.handle_due),
                                    Rate(r.returned, r.received), std::to_string(r.extensions),
                                    Rate(r.satisfied, r.revisited), std::to_string(r.overdue_now)};
  };
  for (const auto& r : v.rows) rows.push_back(row(r));
  rows.push_back(row(v.total));
  const std::string mark = WatermarkText(who, deps_.clock.NowMillis());
  std::vector<std::string> last(header.size());  // a full row, so a reader sees it as data
  last[0] = kExportWatermarkPrefix + mark;
  rows.push_back(std::move(last));
  io::XlsxWriteOptions wo;
  wo.sheet_name = "派单统计";
  wo.title = "派单统计 " + from.ToString() + " 至 " + to.AddDays(-1).ToString();
  wo.subject = mark;
  wo.page_header = mark;
  TH_ASSIGN_OR_RETURN(auto bytes, io::WriteXlsx(header, rows, wo));
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"dispatch.export", "dispatch_stats", by, who.org_path, "",
                       JsonObjectWriter().Str("from", from.ToString()).Str("to", to.ToString()).Finish(), ""});
  }));
  return bytes;
}

namespace {

}  // namespace

Result<repo::StoredFile> DispatchService::Attach(const Principal& who, std::int64_t order_id, const std::string& name,
                                                 const std::string& bytes) {
  if (!who.Can(perm::kDispatchHandle)) return Status::Forbidden();
  repo::StoredFile a;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto l, LoadVisible(c, who, order_id));
    if (l.access != OrderAccess::kReceiver) return Status::Forbidden();
    if (l.order.status != "handling") return Status::InvalidState(l.order.status);
    // The file's checks come after the scope's: an order outside reads as not found whatever is sent.
    TH_ASSIGN_OR_RETURN(a, StoreAttachment(c, repo::kDispatchFiles, kFiles, order_id, name, bytes, who.user_id,
                                           deps_.clock.NowMillis()));
    return Audit(deps_, c, who, "dispatch.attach", l.order,
                 JsonObjectWriter().Int("attachment_id", a.id).Str("name", a.name).Finish());
  }));
  return a;
}

Result<repo::StoredFile> DispatchService::Attachment(const Principal& who, std::int64_t order_id,
                                                     std::int64_t attachment_id) {
  TH_RETURN_IF_ERROR(NeedOrderReader(who));
  repo::StoredFile a;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto l, LoadVisible(c, who, order_id));
    TH_ASSIGN_OR_RETURN(a, repo::AttachmentRepo(c, repo::kDispatchFiles).Get(order_id, attachment_id));
    return Audit(deps_, c, who, "dispatch.attachment_read", l.order,
                 JsonObjectWriter().Int("attachment_id", a.id).Finish());
  }));
  return a;
}

}  // namespace th::service
