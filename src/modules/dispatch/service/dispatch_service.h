#pragma once
// Dispatch orders (派单): the district center sends a triaged report's work to a member department
// (an agency: its dept_liaison users) or a street/community (its street_supervisor /
// child_director), one lead order and co-handling orders; the receivers accept, return (退单),
// ask for more time (延期) and feed back; the center reviews returns and extensions, makes the
// return visit (回访), orders a redo (重办) and closes. Every step follows the declarative table
// of dispatch_workflow.h, is a dispatch_step row (the 工作流转单) and an audit entry, moves the
// report along (ReportFactsSource::MoveIn) and keeps the work items of what the order waits on
// open through the engine's generic hooks (deps.work), so 待办 and escalation come from the engine.
//
// Who sees what (404 outside): the center (report.triage, covering the report's unit) sees every
// order of its district; a receiver (dispatch.handle: the order's agency for a department, the
// order's unit or a unit above it for a street/community) sees its own orders and, as a lead, the
// co-handling orders of the same report; readers of reports (report.read) see the orders about
// reports in their subtree. A receiver sees of the report only what the order needs (summary,
// place, category, urgency, the linked child's id), never the reporter.
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/date.h"
#include "modules/dispatch/repo/dispatch_repo.h"
#include "modules/dispatch/service/dispatch_clocks.h"
#include "modules/reports/service/report_service.h"
#include "platform/service/attachments.h"
#include "platform/service/deps.h"

namespace th::service {

struct DispatchTargetInput {
  std::optional<std::int64_t> agency_id;  // a department (kind department), or
  std::optional<std::int64_t> unit_id;    // a street or community in the district
  std::string instructions;
  bool designated = false;  // 指定派单: the receiver may not return it
};

struct DispatchInput {
  std::int64_t version = 0;  // the report's
  DispatchTargetInput lead;
  std::vector<DispatchTargetInput> co;
};

struct OrderActionInput {
  std::string action, note;
  std::int64_t version = 0;
  std::optional<domain::Date> due_date;  // request_extension (asked), approve_extension (granted)
  std::string reached;                   // revisit: whom the center reached
  std::optional<bool> satisfied, verified;
  std::vector<std::int64_t> attachment_ids;  // feedback
  // When the step closes the report (a lead's verified revisit, or close): the outcome (办结结果;
  // "" → the note) and the reply to the reporter (未保法 Art 11), 0..2000 characters each.
  // Ignored by the other steps.
  std::string outcome, reply_to_reporter;
};

// How the caller relates to an order.
enum class OrderAccess { kNone, kCenter, kReceiver, kLeadReceiver, kReader };

struct OrderView {
  repo::DispatchOrderRecord order;
  OrderAccess access = OrderAccess::kNone;
  std::string flow_state;            // status, or extension_requested
  bool overdue = false;              // the receiver's deadline passed (pending_accept, handling)
  std::vector<std::string> actions;  // the steps the caller may take now
  std::optional<ReportFacts> report;  // Get only: what the order needs of the report
  std::vector<repo::StoredFile> attachments;  // Get only
};

struct DispatchListParams {
  std::string status;  // pending_accept | handling | extension_requested | return_requested | returned | feedback | closed | open
  bool overdue = false;
  std::optional<std::int64_t> agency_id, unit_id, report_id;
};

struct TimelineEntry {
  repo::DispatchStepRecord step;
  std::string target_name;  // the order's receiver
  bool lead = true;
};

struct TimelineView {
  ReportFacts report;
  std::vector<OrderView> orders;
  std::vector<TimelineEntry> steps;  // by time
};

struct DispatchStatsView {
  std::string by;
  std::int64_t from = 0, to = 0;  // epoch ms, [from, to)
  std::vector<repo::DispatchStatsRow> rows;
  repo::DispatchStatsRow total;
};

class DispatchService {
 public:
  // `reports` is the reports module's service (outlives this one); `clocks` the variants of
  // config/workflows/dispatch.json (DispatchClocks::Load).
  DispatchService(Deps& deps, ReportFactsSource& reports, DispatchClocks clocks);

  // Sends report `report_id`'s work: one lead order and up to kMaxCo co-handling orders. Needs
  // report.triage and the report in scope (403/404, ReportFactsSource::LoadForTriage); the report
  // must be triaged (409 invalid_state) with no open lead order (409 invalid_state), its version
  // `in.version` (409 stale_version). Each target is a department agency of the district or a
  // street/community under it (400 invalid_target, field lead/co); no target twice (400
  // duplicate_target). Moves the report to dispatched; opens each order's dispatch_accept item.
  Result<std::vector<OrderView>> Dispatch(const Principal& who, std::int64_t report_id, const DispatchInput& in);
  static constexpr std::size_t kMaxCo = 5;

  // One order with what it needs of the report and its attachments; 404 when the caller may not
  // see it. Audited (dispatch.read).
  Result<OrderView> Get(const Principal& who, std::int64_t id);
  // The caller's orders (see the scope above), by the deadline they wait on. 403 for a caller
  // with neither report.triage, dispatch.handle nor report.read; 400 invalid_enum for status.
  // *total counts up to repo::DispatchRepo::kCountCap (*capped when there are more; may be null).
  Result<std::vector<OrderView>> List(const Principal& who, const DispatchListParams& p, const repo::Page& page,
                                      std::int64_t* total, bool* capped = nullptr);
  // One step (see dispatch_workflow.h): 404 outside, 400 invalid_enum (unknown action), 403
  // without the step's permission (or a receiver's step by the center, and the reverse), 409
  // invalid_state (not from this state; a designated order's return; a co order's revisit; a
  // lead's feedback while co orders are still open: co_pending), 409 stale_version, 400 required
  // (note; revisit's reached/satisfied/verified; request_extension's due_date), 400
  // invalid_due_date (not after the current deadline). Audited (dispatch.<action>).
  Result<OrderView> Act(const Principal& who, std::int64_t id, const OrderActionInput& in);

  // The 工作流转单 of a report: its orders and every step, with deadlines met or missed. The
  // center and readers of the report see every order; a receiver only its own (and, as a lead,
  // the co orders). 404 when the caller sees none of it.
  Result<TimelineView> Timeline(const Principal& who, std::int64_t report_id);
  // Orders about registry child `child_id` that the caller may see (the child file's tab).
  Result<std::vector<OrderView>> ForChild(const Principal& who, std::int64_t child_id);

  // Statistics of the caller's district (stats.read and a district-level caller or below: the
  // district above the caller's unit): orders dispatched in [from, to) grouped `by` department |
  // street | month | category | channel (400 invalid_enum). from/to as dates (Asia/Shanghai).
  // Each result is kept kStatsCacheMs per (district, street, period, by) by this server (dropped
  // when this server changes an order; another server's changes show within kStatsCacheMs).
  Result<DispatchStatsView> Stats(const Principal& who, domain::Date from, domain::Date to, const std::string& by);
  // The same as an XLSX workbook, watermarked with the caller and time; audited (dispatch.export).
  Result<std::string> StatsXlsx(const Principal& who, domain::Date from, domain::Date to, const std::string& by);

  // A feedback attachment (kFiles: an image or PDF by its bytes, at most 5 MB, at most 10 per order;
  // platform/service/attachments.h) uploaded by the order's receiver while it handles the order.
  Result<repo::StoredFile> Attach(const Principal& who, std::int64_t order_id, const std::string& name,
                                  const std::string& bytes);
  // An attachment with its bytes, for anyone who may see the order (404 otherwise). Audited.
  Result<repo::StoredFile> Attachment(const Principal& who, std::int64_t order_id, std::int64_t attachment_id);
  // The center closed report `report_id` directly (ReportService::Close) with `outcome`: every
  // open order of it (not closed or returned) closes with a close step "报告已办结: <outcome>"
  // (the deadline then in force recorded), its work items close, audited dispatch.close_with_report.
  // In the caller's transaction (the reports module's listener).
  Status CloseWithReport(storage::Connection& c, const Principal& who, std::int64_t report_id,
                         const std::string& outcome);

  static inline const AttachmentRule kFiles{io::kImagesAndPdf, 5u << 20, 10, "附件"};
  static constexpr std::int64_t kMaxExtensions = 2;
  static constexpr std::int64_t kStatsCacheMs = 30000;

 private:
  friend class DispatchSteps;
  Deps& deps_;
  ReportFactsSource& reports_;
  DispatchClocks clocks_;
  struct CachedStats {
    std::int64_t expires = 0;
    std::vector<repo::DispatchStatsRow> rows;
  };
  void DropStats() {
    std::lock_guard<std::mutex> lock(stats_mu_);
    stats_cache_.clear();
  }
  std::mutex stats_mu_;
  std::map<std::string, CachedStats> stats_cache_;
};

// The zh-CN (or en) name of an action, for the timeline.
std::string DispatchActionName(const std::string& action, bool en);

}  // namespace th::service
