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
  // the report_triage work item as the new status needs. 409 invalid_state on a move the
  // workflow does not allow from the current status; 404 when absent.
  virtual Status MoveIn(storage::Connection& c, const Principal& who, std::int64_t id, const std::string& to_status,
                        const std::string& note) = 0;
};

}  // namespace th::service
