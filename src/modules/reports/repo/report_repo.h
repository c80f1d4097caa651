#pragma once
// SQL for the reports module's tables (migration 0016_reports.sql): report, report_attachment,
// duty_shift, duty_handover. Callers (the service) own transactions, scope and audit.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "platform/repo/records.h"
#include "storage/connection.h"

namespace th::repo {

struct ReportRecord {
  std::int64_t id = 0;
  std::int64_t district_unit_id = 0;
  std::string district_path;
  std::int64_t unit_id = 0;
  std::string unit_path;
  std::string channel, status, urgency, category;
  bool sensitive = false;
  std::string situations;  // ",s1,s4,"
  std::string description, place;
  std::optional<std::int64_t> child_id;
  std::string child_name;
  std::optional<std::int64_t> child_age;
  std::string child_school, seen_at;
  bool anonymous = false;
  std::string reporter_name_enc, reporter_phone_enc, reporter_phone_bidx;  // sealed
  std::optional<std::int64_t> reporter_agency_id, reporter_user_id;
  bool police_reported = false;
  std::string police_station, police_reported_at, police_receipt_no;
  bool told_civil_affairs = false, told_education = false;
  std::optional<std::int64_t> finding_id;
  std::string tracking_hash;
  std::string triage_note;
  std::optional<std::int64_t> triaged_by, triaged_at;
  std::string outcome, reply;
  std::optional<std::int64_t> closed_by, closed_at;
  std::optional<std::int64_t> created_by;
  std::int64_t created_at = 0, updated_at = 0, version = 1;
  // Joined (lists and reads): the unit's and the reporting agency's names.
  std::string unit_name, agency_name;
};

// Filters of a report list; the scope clause comes from the service.
struct ReportFilter {
  // Scope (exactly one kind): rows under a unit path, rows of an agency, or rows created by a user.
  std::string path_prefix;
  std::optional<std::int64_t> agency_id;
  std::optional<std::int64_t> created_by;
  // Rows created by this user are also in scope (a field reporter's own outside the subtree).
  std::optional<std::int64_t> or_created_by;
  std::string status, channel, urgency, category, q;
  std::string unit_prefix;  // unit_id filter: rows under that unit (path resolved by the service)
  std::optional<std::int64_t> child_id;
};

struct AttachmentRecord {
  std::int64_t id = 0, report_id = 0;
  std::string source;  // public | staff
  std::string content_type;
  std::int64_t size_bytes = 0;
  std::string sha256, data_enc;
  std::optional<std::int64_t> created_by;
  std::int64_t created_at = 0;
};

struct DutyShiftRecord {
  std::int64_t id = 0, district_unit_id = 0;
  std::string district_path;
  std::int64_t user_id = 0, starts_at = 0, ends_at = 0;
  std::string note;
  std::optional<std::int64_t> created_by;
  std::int64_t created_at = 0, version = 1;
  std::string user_name, user_phone_masked;  // joined
};

struct HandoverRecord {
  std::int64_t id = 0, district_unit_id = 0;
  std::string district_path;
  std::optional<std::int64_t> shift_id;
  std::string note;
  std::int64_t created_by = 0, created_at = 0;
  std::string created_by_name;  // joined
};

class ReportRepo {
 public:
  explicit ReportRepo(storage::Connection& c) : c_(c) {}

  // Inserts and fills id. Duplicate tracking hash → kConflict "duplicate".
  Status Insert(ReportRecord& r);
  Result<ReportRecord> Get(std::int64_t id);
  Result<ReportRecord> GetByTracking(const std::string& tracking_hash);
  // Writes every editable column when the stored version is `version` (then version + 1);
  // kConflict stale_version otherwise.
  Status Update(const ReportRecord& r, std::int64_t version);
  Result<std::vector<ReportRecord>> List(const ReportFilter& f, const Page& page, std::int64_t* total);

  Status InsertAttachment(AttachmentRecord& a);
  Result<AttachmentRecord> GetAttachment(std::int64_t report_id, std::int64_t id);
  // Attachments of a report without their bytes, oldest first.
  Result<std::vector<AttachmentRecord>> ListAttachments(std::int64_t report_id);
  Result<std::int64_t> CountAttachments(std::int64_t report_id, const std::string& source);

  // The user's agency (app_user.agency_id), nullopt when none.
  Result<std::optional<std::int64_t>> UserAgency(std::int64_t user_id);

  // After a unit moved from `old_path` to `new_path` (in the move's transaction): every copied
  // path under it (reports' unit and district paths, the roster's district paths) takes the new prefix.
  Status AfterUnitMove(const std::string& old_path, const std::string& new_path);

  Status InsertShift(DutyShiftRecord& s);
  Result<DutyShiftRecord> GetShift(std::int64_t id);
  Result<std::int64_t> DeleteShift(std::int64_t id, std::int64_t version);
  // Shifts of the district overlapping [from, to), by start.
  Result<std::vector<DutyShiftRecord>> ListShifts(std::int64_t district_unit_id, std::int64_t from, std::int64_t to);
  Status InsertHandover(HandoverRecord& h);
  Result<std::vector<HandoverRecord>> ListHandovers(std::int64_t district_unit_id, const Page& page,
                                                    std::int64_t* total);

 private:
  storage::Connection& c_;
};

}  // namespace th::repo
