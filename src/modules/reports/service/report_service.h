#pragma once
// Reports (发现报告): every way a child comes to notice (mandatory reports by reporting units,
// the hotline, field reports, the public page, escalated screening findings), the center's
// triage and closing, reporter confidentiality and the duty roster (README.md beside
// src/modules/reports). Every read of a report and every change is audited; the reporter is
// sealed at rest and shown only through RevealReporter (report.reveal, with a purpose).
// Scope: triage roles see the district; street/community roles their subtree (the report's
// unit_path); mandatory reporters their own agency's reports (status and result only). Outside
// the scope a report reads as not found.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "platform/service/principal.h"

namespace th::storage {
class Connection;
}

namespace th::service {

// What another module (dispatch) needs to know about a report: never the reporter.
struct ReportFacts {
  std::int64_t id = 0;
  std::int64_t district_unit_id = 0;   // the district center that triages it
  std::int64_t unit_id = 0;            // the street/community it concerns (district until triaged)
  std::string unit_path;               // that unit's path ("/1/2/3/")
  std::string status;                  // received | triaged | dispatched | feedback | closed
  std::string urgency;                 // immediate | 24h | routine ("" before triage)
  std::string category;                // a code of config/reports/categories.json ("" before triage)
  std::string channel;                 // mandatory | hotline | field | public | screening
  std::optional<std::int64_t> child_id;  // the linked registry child, if any
  bool sensitive = false;              // the category is sensitive (侵害, 性侵害)
  std::string summary;                 // the description (masked when sensitive)
  std::string place;
  std::int64_t version = 0;
};

// What the center says when it closes a report through the dispatch path (the last order verified
// at the return visit, or closed): the outcome (办结结果; "" → the step's note) and the reply to
// the reporter (未保法 Art 11: the result the reporting unit or the public sees; "" none).
struct ReportClosing {
  std::string outcome, reply;
};

// The report service's surface for other modules (the dispatch module). Implemented by
// ReportService (report_service_impl.h); all calls run inside the caller's transaction on `c`.
class ReportFactsSource {
 public:
  virtual ~ReportFactsSource() = default;
  // The report for a triage step (dispatch): needs report.triage (else 403 forbidden) and the
  // report in the caller's scope (else 404 not_found). Audited as report.read.
  virtual Result<ReportFacts> LoadForTriage(storage::Connection& c, const Principal& who, std::int64_t id) = 0;
  // The report without a scope check (the dispatch module scopes by its order); 404 when absent.
  // Not audited here: the caller audits its own read.
  virtual Result<ReportFacts> Facts(storage::Connection& c, std::int64_t id) = 0;
  // Moves the report to `to_status` (dispatched, feedback, closed, triaged back after a returned
  // order), bumping its version and writing a report.move audit entry with `note`; opens/closes
  // the report_triage work item as the new status needs. Closing records `closing.outcome` (or,
  // when empty, `note`) as the outcome and `closing.reply` as the reply to the reporter (both
  // 0..2000 characters, cleaned: 400 invalid on control characters), and tells the reporter's
  // account. 409 invalid_state on a move the workflow does not allow from the current status
  // (domain/report.h ReportMoveAllowed); 404 when absent.
  virtual Status MoveIn(storage::Connection& c, const Principal& who, std::int64_t id, const std::string& to_status,
                        const std::string& note, const ReportClosing& closing = {}) = 0;
  // Told inside the transaction of a direct close (ReportService::Close, POST /reports/{id}/close)
  // with the report's id and outcome: the dispatch module closes the report's open orders with it
  // (an error rolls the close back). Set once when the modules are wired; "" none.
  using DirectCloseListener =
      std::function<Status(storage::Connection&, const Principal&, std::int64_t report_id, const std::string& outcome)>;
  virtual void SetDirectCloseListener(DirectCloseListener l) = 0;
};

}  // namespace th::service

// ---------------------------------------------------------------------------------------------
// The service (report_service.cc, report_triage.cc, report_public.cc, duty_roster.cc).
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "modules/reports/domain/report.h"
#include "modules/reports/repo/report_repo.h"
#include "platform/service/deps.h"

namespace th::service {

class ChildService;
class ScreeningService;

// A report as a client sends it (POST /api/v1/reports; the public page fills the public subset).
struct ReportInput {
  std::string channel;  // mandatory | hotline | field | screening (public: set by the public route)
  std::string description, place;
  std::vector<std::string> situations;
  std::optional<std::int64_t> child_id;
  std::string child_name;
  std::optional<std::int64_t> child_age;
  std::string child_school, seen_at;
  std::string reporter_name, reporter_phone;
  bool anonymous = false;
  bool police_reported = false;
  std::string police_station, police_reported_at, police_receipt_no;
  bool told_civil_affairs = false, told_education = false;
  std::optional<std::int64_t> finding_id;
  std::string urgency;  // optional at intake: the recorder may mark a call 立即
};

// What the caller may see of a report (built by the service; the routes only serialize it).
struct ReportView {
  repo::ReportRecord report;
  // reporter_only: the caller is the reporting unit's reporter (status and result only).
  bool reporter_only = false;
  // masked: a sensitive report's description, place and child are hidden (no purpose given).
  bool masked = false;
  bool mine = false;  // the caller recorded it
  std::vector<repo::AttachmentRecord> attachments;  // detail reads only
  std::string tracking_code;                        // once, in the answer to a create
};

struct RevealedReporter {
  std::string name, phone;
  std::optional<std::int64_t> agency_id, user_id;
  std::string agency_name;
  bool anonymous = false;
};

struct ReportListParams {
  std::string status, channel, urgency, category, q;
  std::optional<std::int64_t> unit_id;
  bool mine = false;
};

struct TriageInput {
  std::int64_t version = 0;
  std::optional<std::int64_t> child_id;
  std::string urgency, category, note;
  std::optional<std::int64_t> unit_id;
};

struct DutyShiftInput {
  std::int64_t user_id = 0;
  std::int64_t starts_at = 0, ends_at = 0;  // epoch ms
  std::string note;
};

class ReportService : public ReportFactsSource {
 public:
  // `children` checks a linked child is in scope; `screening` (may be null) a finding escalated.
  ReportService(Deps& deps, domain::ReportConfig config, ChildService& children, ScreeningService* screening);
  ~ReportService() override;

  const domain::ReportConfig& config() const { return config_; }

  // Records a report (201). Needs report.write for hotline | field | screening (screening needs
  // finding_id, a finding in the caller's scope); a mandatory report needs report.mandatory
  // (the caller's own agency, police record required: police.reported, station and
  // reported_at) or report.write (recorded on a unit's behalf). The report files into the
  // caller's district (404 no_district above one). Validation: description 2..2000 and place
  // 1..200 required; situations from config; child_age 0..17; seen_at a date/time; phone 7-12
  // digits; child_id in the caller's scope (needs child.read). Audited as report.create; an urgent
  // report (urgency immediate or an urgent situation) notifies the duty officer at once; opens the
  // report_triage work item. The answer carries the tracking code (once).
  Result<ReportView> Create(const Principal& who, const ReportInput& in);
  // The public page: no principal. Throttled per `client_ip` (429 too_many_requests beyond the
  // config's per_address in window_seconds; nothing is written or audited for a refused one).
  // Only description and place are required; contact_name / contact_phone optional. Audited as
  // report.public_create (actor none, client address kept). Returns the tracking code.
  Result<std::string> CreatePublic(const std::string& client_ip, const ReportInput& in);
  // {status, status_name} of the report with this tracking code; 404 for an unknown code. Not
  // audited (it shows nothing but the status). Throttled with the same per-address budget × 20.
  Result<std::string> PublicStatus(const std::string& client_ip, const std::string& tracking_code);
  // A photo for the public report: JPEG or PNG by magic bytes (invalid_photo_type), at most
  // 5 MB (413 photo_too_large), at most max_photos per report (409 too_many_photos), within
  // photo_hours of the report (409 photo_window_closed). Throttled like CreatePublic.
  Status AddPublicPhoto(const std::string& client_ip, const std::string& tracking_code, std::string_view bytes);

  // The list in the caller's scope (report.read: the subtree; report.write alone: the reports the
  // caller recorded; report.mandatory: the caller's agency's, status and result only). Sensitive
  // reports are always masked in lists. The list is audited as report.list (filters, ids shown).
  Result<std::vector<ReportView>> List(const Principal& who, const ReportListParams& p, const repo::Page& page,
                                       std::int64_t* total);
  // One report; out of scope → 404. Audited as report.read (with the purpose when given). A
  // sensitive report is masked unless `purpose` (2..200 characters) is given by a holder of
  // report.read or report.triage; then the read is audited with it.
  Result<ReportView> Get(const Principal& who, std::int64_t id, const std::string& purpose = "");
  // The reporter (name, phone, agency). Needs report.reveal and a purpose of 2..200 characters;
  // audited as report.reveal_reporter.
  Result<RevealedReporter> RevealReporter(const Principal& who, std::int64_t id, const std::string& purpose);
  // Triage (report.triage, in scope): urgency and category required, child_id (in the caller's
  // scope) and unit_id (a unit under the report's district) optional. received | triaged only
  // (409 invalid_state), version checked (409 stale_version). Audited as report.triage; urgency
  // immediate notifies the duty officer; the report_triage item follows the status.
  Result<ReportView> Triage(const Principal& who, std::int64_t id, const TriageInput& in);
  // Close (report.triage): outcome required (2..2000), reply_to_reporter optional (the result the
  // reporter sees, 未保法 Art 11). From received | triaged | feedback. Audited as report.close.
  // The report's open dispatch orders close with it in the same transaction (each with a close
  // step naming the outcome; their work items close): the center's 办结 ends the matter.
  Result<ReportView> Close(const Principal& who, std::int64_t id, std::int64_t version, const std::string& outcome,
                           const std::string& reply);
  // Staff attachments (report.write or report.triage, report in scope; JPEG, PNG or PDF by magic
  // bytes, at most 5 MB, at most 20 per report). Audited as report.attachment_add / _read.
  Result<repo::AttachmentRecord> AddAttachment(const Principal& who, std::int64_t id, std::string_view bytes);
  Result<repo::AttachmentRecord> GetAttachment(const Principal& who, std::int64_t id, std::int64_t attachment_id);
  // The reports about a child in the caller's scope (the child file's tab). Needs child.read and
  // report.read; the child out of scope → 404. Sensitive ones masked. Audited as report.list.
  Result<std::vector<ReportView>> ForChild(const Principal& who, std::int64_t child_id, const repo::Page& page,
                                           std::int64_t* total);

  // The duty roster of the caller's district (duty_roster.cc). Reading needs duty.manage,
  // report.triage or report.read; writing duty.manage. A shift: a user of the district's center
  // (a user whose unit is the district), starts_at < ends_at, at most 7 days; overlapping shifts
  // are allowed (two on duty). Audited as duty.shift_create / duty.shift_delete / duty.handover.
  // Shifts overlapping [from, to) (epoch ms; 0: a day ago / 15 days after from; at most 62 days).
  Result<std::vector<repo::DutyShiftRecord>> ListShifts(const Principal& who, std::int64_t from, std::int64_t to);
  Result<repo::DutyShiftRecord> AddShift(const Principal& who, const DutyShiftInput& in);
  Status DeleteShift(const Principal& who, std::int64_t id, std::int64_t version);
  Result<std::vector<repo::DutyShiftRecord>> OnDutyNow(const Principal& who);
  // A handover note (值班交接): by a duty.manage holder or a user on duty now.
  Result<repo::HandoverRecord> AddHandover(const Principal& who, const std::string& note);
  Result<std::vector<repo::HandoverRecord>> ListHandovers(const Principal& who, const repo::Page& page,
                                                          std::int64_t* total);

  // ReportFactsSource (report_service.h's contract, for the dispatch module).
  Result<ReportFacts> LoadForTriage(storage::Connection& c, const Principal& who, std::int64_t id) override;
  Result<ReportFacts> Facts(storage::Connection& c, std::int64_t id) override;
  Status MoveIn(storage::Connection& c, const Principal& who, std::int64_t id, const std::string& to_status,
                const std::string& note, const ReportClosing& closing = {}) override;
  void SetDirectCloseListener(DirectCloseListener l) override { on_direct_close_ = std::move(l); }
  // Told inside the transaction that links a report to a child (a report recorded with a child, or
  // triage linking one) with the child's id: warnings re-evaluates the child's rules (repeated
  // reports). An error rolls the change back. Registered while the app builds.
  using ChildLinkListener = std::function<Status(storage::Connection&, std::int64_t child_id)>;
  void AddChildLinkListener(ChildLinkListener l) { child_link_listeners_.push_back(std::move(l)); }

  // Test seam: the public throttle's clock is the injected Clock; this clears its table.
  void ResetThrottleForTesting();
  // Overrides the config's public per-address budget (`tonghu serve --public-report-limit`, for
  // test servers whose clients all come from 127.0.0.1). Call before serving.
  void SetPublicPerAddress(int n) { config_.intake.per_address = n; }

 private:
  // Whose reports the caller sees: a subtree (report.read / report.triage), an agency's
  // (report.mandatory), or only the ones they recorded (report.write alone). Own ones always.
  struct Scope {
    enum Kind { kSubtree, kAgency, kOwn } kind = kOwn;
    std::string path;                    // kSubtree
    std::optional<std::int64_t> agency;  // kAgency
    std::int64_t user_id = 0;
  };
  Result<Scope> ScopeOf(storage::Connection& c, const Principal& who);
  bool Sees(const Scope& s, const repo::ReportRecord& r) const;
  Result<repo::ReportRecord> LoadScoped(storage::Connection& c, const Principal& who, std::int64_t id, Scope* out);
  Status Validate(storage::Connection& c, const Principal* who, const ReportInput& in, repo::ReportRecord* r);
  Status InsertNew(storage::Connection& c, const Principal* who, const std::string& client_ip,
                   repo::ReportRecord& r, const std::string& action);
  // Opens, re-clocks or closes the report_triage work item as the report's status needs.
  Status SyncWork(storage::Connection& c, const repo::ReportRecord& r);
  Status NotifyDuty(storage::Connection& c, const repo::ReportRecord& r);
  // A closed report's reporter account (mandatory, field, screening) is notified that the result is there.
  Status TellReporter(storage::Connection& c, const repo::ReportRecord& r);
  ReportView ViewOf(const Scope& s, const Principal& who, repo::ReportRecord r, bool unmask) const;
  bool Allow(const std::string& key, int limit);
  Result<std::optional<repo::DutyShiftRecord>> DutyDistrict(storage::Connection& c, const Principal& who,
                                                            repo::OrgUnit* district);

  Deps& deps_;
  domain::ReportConfig config_;
  ChildService& children_;
  ScreeningService* screening_;
  DirectCloseListener on_direct_close_;
  std::vector<ChildLinkListener> child_link_listeners_;
  std::shared_ptr<AuditQueue> read_audit_;  // Deps::read_audit
  // Per-address budget of the public routes: window start and count, bounded in size.
  std::mutex throttle_mu_;
  std::unordered_map<std::string, std::pair<std::int64_t, int>> throttle_;
};

}  // namespace th::service
