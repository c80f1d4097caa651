#include "app/dispatch_commands.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>

#include "app/command_util.h"
#include "modules/dispatch/repo/dispatch_repo.h"
#include "modules/reports/repo/report_repo.h"
#include "platform/repo/org_repo.h"
#include "platform/service/deps.h"

namespace th::app {

namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

struct Target {
  std::optional<std::int64_t> agency;
  std::int64_t unit = 0;
  std::string path, name, role;
  std::optional<std::int64_t> street;
};

// The synthetic order `k` of a report (lead when k == 0) in a state spread over the workflow.
repo::DispatchOrderRecord MakeOrder(const repo::ReportRecord& r, const Target& t, std::int64_t k, std::int64_t i,
                                    std::int64_t street, std::int64_t now) {
  repo::DispatchOrderRecord o;
  o.report_id = r.id;
  o.district_unit_id = r.district_unit_id;
  o.lead = k == 0;
  o.target_kind = t.agency ? "agency" : "unit";
  o.agency_id = t.agency;
  o.unit_id = t.unit;
  o.unit_path = t.path;
  o.receiver_street_id = t.street;
  o.receiver_role = t.role;
  o.target_name = t.name;
  o.report_unit_path = r.unit_path;
  o.street_id = street;
  o.category = r.category;
  o.urgency = r.urgency;
  o.channel = r.channel;
  o.dispatched_at = r.created_at + 3600 * 1000;
  o.month = domain::Date::FromEpochMillisShanghai(o.dispatched_at).ToString().substr(0, 7);
  o.instructions = "请核实并处置";
  o.accept_due_at = o.dispatched_at + kDayMs;
  const std::int64_t state = (i * 7 + k) % 20;  // 0-1 pending, 2-5 handling, 6 return, 7 returned, 8-9 feedback, rest closed
  const bool late = (i % 9) == 0;
  o.next_due_at = repo::kNoDeadline;
  if (state <= 1) {
    o.status = "pending_accept";
    o.next_due_at = o.accept_due_at;
  } else if (state == 6) {
    o.status = "return_requested";
  } else if (state == 7) {
    o.status = "returned";
    o.returned = true;
    o.closed_at = o.dispatched_at + 2 * kDayMs;
  } else {
    o.accepted_at = o.dispatched_at + (late ? 2 * kDayMs : 3600 * 1000);
    o.accepted_late = late ? 1 : 0;
    o.handle_due_at = o.accepted_at.value() + 7 * kDayMs;
    o.extensions = (i % 13) == 0 ? 1 : 0;
    if (state <= 5) {
      o.status = "handling";
      o.extension_pending = state == 5;
      o.next_due_at = *o.handle_due_at;
    } else {
      o.feedback_at = *o.handle_due_at + (late ? kDayMs : -2 * kDayMs);
      o.handled_late = late ? 1 : 0;
      o.revisit_due_at = *o.feedback_at + kDayMs;
      if (state <= 9) {
        o.status = "feedback";
        o.next_due_at = *o.revisit_due_at;
      } else {
        o.status = "closed";
        o.revisited_at = *o.feedback_at + 3600 * 1000;
        o.satisfied = (i % 11) == 0 ? 0 : 1;
        o.closed_at = o.revisited_at;
      }
    }
  }
  o.created_at = o.updated_at = std::min(now, o.dispatched_at);
  return o;
}

}  // namespace

// Long: one linear bulk-load script (units, reports, orders in large transactions).
Result<std::int64_t> LoadDemoDispatchBulk(App& app, std::int64_t n_reports, std::int64_t n_orders) {
  TH_ASSIGN_OR_RETURN(auto h, app.db->Acquire());
  repo::OrgRepo orgs(*h);
  TH_ASSIGN_OR_RETURN(auto district, orgs.GetByCode("440307000000"));
  TH_ASSIGN_OR_RETURN(auto all, orgs.ListSubtree(district.path));
  std::vector<repo::OrgUnit> communities;
  std::vector<Target> targets;
  for (const auto& u : all) {
    if (u.retired) continue;
    if (u.level == "community") communities.push_back(u);
    if (u.level == "street") targets.push_back({std::nullopt, u.id, u.path, u.name, "street_supervisor", u.id});
  }
  std::int64_t n_agencies = 0;
  TH_ASSIGN_OR_RETURN(auto agencies, orgs.ListAgencies(district.path, district.id, "department", repo::Page{1, 200}, &n_agencies));
  for (const auto& a : agencies) {
    if (!a.retired) targets.push_back({a.id, district.id, district.path, a.name, "dept_liaison", std::nullopt});
  }
  if (communities.empty() || targets.empty()) return Status::Internal("the demo district has no communities or departments");
  static const char* kChannels[] = {"hotline", "public", "field", "mandatory", "screening"};
  static const char* kCategories[] = {"guardianship", "dropout", "hardship", "wandering", "mental_crisis", "other"};
  static const char* kUrgencies[] = {"routine", "24h", "immediate"};
  const std::int64_t now = app.clock->NowMillis();
  const std::int64_t per = std::max<std::int64_t>(1, n_orders / std::max<std::int64_t>(1, n_reports));
  std::int64_t written = 0;
  constexpr std::int64_t kChunk = 5000;
  for (std::int64_t done = 0; done < n_reports; done += kChunk) {
    TH_RETURN_IF_ERROR(service::InTransaction(*app.db, [&](storage::Connection& c) -> Status {
      repo::ReportRepo reports(c);
      std::vector<repo::DispatchOrderRecord> orders;
      for (std::int64_t i = done; i < std::min(n_reports, done + kChunk); ++i) {
        const repo::OrgUnit& u = communities[static_cast<std::size_t>(i) % communities.size()];
        repo::ReportRecord r;
        r.district_unit_id = district.id;
        r.district_path = district.path;
        r.unit_id = u.id;
        r.unit_path = u.path;
        r.channel = kChannels[i % 5];
        r.urgency = kUrgencies[(i / 5) % 3];
        r.category = kCategories[(i / 3) % 6];
        r.description = "演示报告 #" + std::to_string(i + 1) + ": 儿童无人照料，需核实";
        r.place = u.name;
        r.tracking_hash = "bench-" + std::to_string(now) + "-" + std::to_string(i);
        r.created_at = r.updated_at = now - (i % 365) * kDayMs - 2 * kDayMs;
        r.status = "dispatched";
        TH_RETURN_IF_ERROR(reports.Insert(r));
        const std::int64_t street = u.parent_id.value_or(0);
        std::int64_t k_of = per + (i < n_orders - per * n_reports ? 1 : 0);
        for (std::int64_t k = 0; k < k_of && written + static_cast<std::int64_t>(orders.size()) < n_orders; ++k) {
          const Target& t = targets[static_cast<std::size_t>(i * 3 + k) % targets.size()];
          orders.push_back(MakeOrder(r, t, k, i, street, now));
        }
      }
      written += static_cast<std::int64_t>(orders.size());
      return repo::DispatchRepo(c).InsertMany(orders);
    }));
  }
  TH_RETURN_IF_ERROR(AnalyzeAfterLoad(*h, {"dispatch_order", "report"}));
  return written;
}

void AddDispatchCommands(CLI::App& cli, AppConfig& cfg, DispatchCommands& cmds) {
  auto* d = cli.add_subcommand("dispatch", "Dispatch orders (派单): synthetic load for benchmarks");
  d->require_subcommand(1);
  cmds.demo_load = d->add_subcommand("demo-load", "Add N synthetic reports and M orders to the demo district (bench/dispatch)");
  AddDatabaseOptions(cmds.demo_load, cfg);
  cmds.demo_load->add_option("--reports", cmds.reports, "Reports to add (default 100000)");
  cmds.demo_load->add_option("--orders", cmds.orders, "Orders to add (default 300000)");
}

std::optional<int> RunDispatchCommands(const DispatchCommands& cmds, const AppConfig& cfg) {
  if (!cmds.demo_load || !*cmds.demo_load) return std::nullopt;
  auto a = OpenApp(cfg, false);
  if (!a.ok()) return CommandFailed(a.status());
  if (cmds.reports < 1 || cmds.orders < cmds.reports || cmds.orders > 10 * cmds.reports) {
    return CommandFailed(Status::Invalid("orders", "out_of_range", "--orders 应在 --reports 的 1 到 10 倍之间",
                                "--orders must be 1 to 10 times --reports"));
  }
  const Stopwatch clock;
  auto n = LoadDemoDispatchBulk(*a, cmds.reports, cmds.orders);
  if (!n.ok()) return CommandFailed(n.status());
  std::printf("已载入演示派单 / demo dispatch load: %lld reports, %lld orders in %.1f s\n",
              static_cast<long long>(cmds.reports), static_cast<long long>(*n), clock.Seconds());
  return 0;
}

}  // namespace th::app
