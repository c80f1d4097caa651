#include "modules/reports/repo/report_repo.h"

#include <string>
#include <utility>

#include "platform/repo/sql_values.h"

namespace th::repo {

using storage::Params;
using storage::Row;
using storage::Value;

namespace {

// Every column but id, in the order of ReportValues.
constexpr const char* kColumns[] = {
    "district_unit_id", "district_path",      "unit_id",           "unit_path",          "channel",
    "status",           "urgency",            "category",          "sensitive",          "situations",
    "description",      "place",              "child_id",          "child_name",         "child_age",
    "child_school",     "seen_at",            "anonymous",         "reporter_name_enc",  "reporter_phone_enc",
    "reporter_phone_bidx", "reporter_agency_id", "reporter_user_id", "police_reported",  "police_station",
    "police_reported_at", "police_receipt_no", "told_civil_affairs", "told_education",   "finding_id",
    "tracking_hash",    "triage_note",        "triaged_by",        "triaged_at",         "outcome",
    "reply",            "closed_by",          "closed_at",         "created_by",         "created_at",
    "updated_at",       "version"};
constexpr std::size_t kNumColumns = sizeof(kColumns) / sizeof(kColumns[0]);

std::string P(std::size_t n) { return "$" + std::to_string(n); }

Value B(bool b) { return Value(static_cast<std::int64_t>(b ? 1 : 0)); }

Params ReportValues(const ReportRecord& r) {
  return Params{r.district_unit_id,  r.district_path,      r.unit_id,
                r.unit_path,         r.channel,            r.status,
                r.urgency,           r.category,           B(r.sensitive),
                r.situations,        r.description,        r.place,
                OptInt(r.child_id),  r.child_name,         OptInt(r.child_age),
                r.child_school,      r.seen_at,            B(r.anonymous),
                BlobOrNull(r.reporter_name_enc), BlobOrNull(r.reporter_phone_enc), TextOrNull(r.reporter_phone_bidx),
                OptInt(r.reporter_agency_id), OptInt(r.reporter_user_id), B(r.police_reported),
                r.police_station,    r.police_reported_at, r.police_receipt_no,
                B(r.told_civil_affairs), B(r.told_education), OptInt(r.finding_id),
                r.tracking_hash,     r.triage_note,        OptInt(r.triaged_by),
                OptInt(r.triaged_at), r.outcome,           r.reply,
                OptInt(r.closed_by), OptInt(r.closed_at),  OptInt(r.created_by),
                r.created_at,        r.updated_at,         r.version};
}

std::string SelectSql() {
  std::string s = "SELECT r.id";
  for (const char* c : kColumns) s += std::string(", r.") + c;
  s += ", o.name, a.name FROM report r JOIN org_unit o ON o.id = r.unit_id "
       "LEFT JOIN agency a ON a.id = r.reporter_agency_id ";
  return s;
}

const std::string& Select() {
  static const std::string s = SelectSql();
  return s;
}

ReportRecord ReportFrom(const Row& row) {
  ReportRecord r;
  std::size_t i = 0;
  r.id = row.Int(i++);
  r.district_unit_id = row.Int(i++);
  r.district_path = row.Text(i++);
  r.unit_id = row.Int(i++);
  r.unit_path = row.Text(i++);
  r.channel = row.Text(i++);
  r.status = row.Text(i++);
  r.urgency = row.Text(i++);
  r.category = row.Text(i++);
  r.sensitive = row.Int(i++) != 0;
  r.situations = row.Text(i++);
  r.description = row.Text(i++);
  r.place = row.Text(i++);
  r.child_id = row.OptInt(i++);
  r.child_name = row.Text(i++);
  r.child_age = row.OptInt(i++);
  r.child_school = row.Text(i++);
  r.seen_at = row.Text(i++);
  r.anonymous = row.Int(i++) != 0;
  r.reporter_name_enc = row.Text(i++);
  r.reporter_phone_enc = row.Text(i++);
  r.reporter_phone_bidx = row.Text(i++);
  r.reporter_agency_id = row.OptInt(i++);
  r.reporter_user_id = row.OptInt(i++);
  r.police_reported = row.Int(i++) != 0;
  r.police_station = row.Text(i++);
  r.police_reported_at = row.Text(i++);
  r.police_receipt_no = row.Text(i++);
  r.told_civil_affairs = row.Int(i++) != 0;
  r.told_education = row.Int(i++) != 0;
  r.finding_id = row.OptInt(i++);
  r.tracking_hash = row.Text(i++);
  r.triage_note = row.Text(i++);
  r.triaged_by = row.OptInt(i++);
  r.triaged_at = row.OptInt(i++);
  r.outcome = row.Text(i++);
  r.reply = row.Text(i++);
  r.closed_by = row.OptInt(i++);
  r.closed_at = row.OptInt(i++);
  r.created_by = row.OptInt(i++);
  r.created_at = row.Int(i++);
  r.updated_at = row.Int(i++);
  r.version = row.Int(i++);
  r.unit_name = row.Text(i++);
  r.agency_name = row.Text(i++);
  return r;
}

std::string Prefix(const std::string& path) { return LikeEscape(path) + "%"; }

// The WHERE clause of a list (scope first, then filters), its parameters appended to `p`.
std::string Where(const ReportFilter& f, Params* p, const storage::Dialect& d) {
  std::string w = " WHERE ";
  auto add = [&](Value v) {
    p->push_back(std::move(v));
    return P(p->size());
  };
  std::string scope;
  if (!f.path_prefix.empty()) {
    scope = "r.unit_path LIKE " + add(Prefix(f.path_prefix)) + " ESCAPE '\\'";
  } else if (f.agency_id) {
    scope = "r.reporter_agency_id = " + add(*f.agency_id);
  } else if (f.created_by) {
    scope = "r.created_by = " + add(*f.created_by);
  } else {
    scope = "1 = 0";  // no scope given: nothing
  }
  if (f.or_created_by) scope = "(" + scope + " OR r.created_by = " + add(*f.or_created_by) + ")";
  w += scope;
  if (!f.status.empty()) w += " AND r.status = " + add(f.status);
  if (!f.channel.empty()) w += " AND r.channel = " + add(f.channel);
  if (!f.urgency.empty()) w += " AND r.urgency = " + add(f.urgency);
  if (!f.category.empty()) w += " AND r.category = " + add(f.category);
  if (!f.unit_prefix.empty()) w += " AND r.unit_path LIKE " + add(Prefix(f.unit_prefix)) + " ESCAPE '\\'";
  if (f.child_id) w += " AND r.child_id = " + add(*f.child_id);
  if (!f.q.empty()) {
    // Sensitive reports are found by id only: their text is not searchable in bulk.
    const std::string like = "%" + LikeEscape(f.q) + "%";
    std::string cond = "(r.sensitive = 0 AND (r.child_name " + std::string(d.ILike()) + " " + add(like) +
                       " ESCAPE '\\' OR r.place " + std::string(d.ILike()) + " " + add(like) +
                       " ESCAPE '\\' OR r.description " + std::string(d.ILike()) + " " + add(like) + " ESCAPE '\\'))";
    if (f.q.size() <= 18 && f.q.find_first_not_of("0123456789") == std::string::npos) {
      cond = "(" + cond + " OR r.id = " + add(static_cast<std::int64_t>(std::stoll(f.q))) + ")";
    }
    w += " AND " + cond;
  }
  return w;
}

}  // namespace

Status ReportRepo::Insert(ReportRecord& r) {
  static const std::string sql = [] {
    std::string cols, vals;
    for (std::size_t i = 0; i < kNumColumns; ++i) {
      cols += (i ? ", " : "") + std::string(kColumns[i]);
      vals += (i ? ", " : "") + P(i + 1);
    }
    return "INSERT INTO report (" + cols + ") VALUES (" + vals + ") RETURNING id";
  }();
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(sql, ReportValues(r)));
  if (rows.empty()) return Status::Internal("report insert returned no id");
  r.id = rows[0].Int(0);
  return Status::Ok();
}

Result<ReportRecord> ReportRepo::Get(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(Select() + "WHERE r.id = $1", {id}));
  if (rows.empty()) return Status::NotFound("report");
  return ReportFrom(rows[0]);
}

Result<ReportRecord> ReportRepo::GetByTracking(const std::string& tracking_hash) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(Select() + "WHERE r.tracking_hash = $1", {tracking_hash}));
  if (rows.empty()) return Status::NotFound("tracking_code");
  return ReportFrom(rows[0]);
}

Status ReportRepo::Update(const ReportRecord& r, std::int64_t version) {
  static const std::string sql = [] {
    std::string s = "UPDATE report SET ";
    for (std::size_t i = 0; i + 1 < kNumColumns; ++i) s += (i ? ", " : "") + std::string(kColumns[i]) + " = " + P(i + 1);
    s += ", version = version + 1 WHERE id = " + P(kNumColumns) + " AND version = " + P(kNumColumns + 1);
    return s;
  }();
  Params p = ReportValues(r);
  p.pop_back();  // the version is the WHERE's
  p.push_back(r.id);
  p.push_back(version);
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute(sql, p));
  if (n == 0) return Status::Stale();
  return Status::Ok();
}

Result<std::vector<ReportRecord>> ReportRepo::List(const ReportFilter& f, const Page& page, std::int64_t* total) {
  Params p;
  const std::string where = Where(f, &p, c_.dialect());
  TH_ASSIGN_OR_RETURN(auto count, c_.Query("SELECT COUNT(*) FROM report r" + where, p));
  *total = count.empty() ? 0 : count[0].Int(0);
  Params q = p;
  q.push_back(page.page_size);
  q.push_back(page.Offset());
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(Select() + where + " ORDER BY r.id DESC LIMIT " + P(q.size() - 1) +
                                              " OFFSET " + P(q.size()),
                                          q));
  std::vector<ReportRecord> out;
  out.reserve(rows.size());
  for (const auto& row : rows.rows) out.push_back(ReportFrom(row));
  return out;
}

Status ReportRepo::InsertAttachment(AttachmentRecord& a) {
  TH_ASSIGN_OR_RETURN(auto rows,
                      c_.Query("INSERT INTO report_attachment (report_id, source, content_type, size_bytes, sha256, "
                               "data_enc, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                               {a.report_id, a.source, a.content_type, a.size_bytes, a.sha256,
                                storage::Blob{a.data_enc}, OptInt(a.created_by), a.created_at}));
  if (rows.empty()) return Status::Internal("attachment insert returned no id");
  a.id = rows[0].Int(0);
  return Status::Ok();
}

namespace {
AttachmentRecord AttachmentFrom(const Row& r, bool with_data) {
  AttachmentRecord a;
  a.id = r.Int(0);
  a.report_id = r.Int(1);
  a.source = r.Text(2);
  a.content_type = r.Text(3);
  a.size_bytes = r.Int(4);
  a.sha256 = r.Text(5);
  a.created_by = r.OptInt(6);
  a.created_at = r.Int(7);
  if (with_data) a.data_enc = r.Text(8);
  return a;
}
}  // namespace

Result<AttachmentRecord> ReportRepo::GetAttachment(std::int64_t report_id, std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT id, report_id, source, content_type, size_bytes, sha256, created_by, "
                                          "created_at, data_enc FROM report_attachment WHERE id = $1 AND report_id = $2",
                                          {id, report_id}));
  if (rows.empty()) return Status::NotFound("attachment");
  return AttachmentFrom(rows[0], true);
}

Result<std::vector<AttachmentRecord>> ReportRepo::ListAttachments(std::int64_t report_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT id, report_id, source, content_type, size_bytes, sha256, created_by, "
                                          "created_at FROM report_attachment WHERE report_id = $1 ORDER BY id",
                                          {report_id}));
  std::vector<AttachmentRecord> out;
  for (const auto& r : rows.rows) out.push_back(AttachmentFrom(r, false));
  return out;
}

Result<std::int64_t> ReportRepo::CountAttachments(std::int64_t report_id, const std::string& source) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT COUNT(*) FROM report_attachment WHERE report_id = $1 AND source = $2",
                                          {report_id, source}));
  return rows.empty() ? 0 : rows[0].Int(0);
}

Result<std::optional<std::int64_t>> ReportRepo::UserAgency(std::int64_t user_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT agency_id FROM app_user WHERE id = $1", {user_id}));
  if (rows.empty()) return std::optional<std::int64_t>();
  return rows[0].OptInt(0);
}

Status ReportRepo::AfterUnitMove(const std::string& old_path, const std::string& new_path) {
  const auto old_len = static_cast<std::int64_t>(old_path.size());
  const std::string like = LikeEscape(old_path) + "%";
  for (const char* sql : {"UPDATE report SET unit_path = $1 || SUBSTR(unit_path, $2) WHERE unit_path LIKE $3 ESCAPE '\\'",
                          "UPDATE report SET district_path = $1 || SUBSTR(district_path, $2) WHERE district_path LIKE $3 ESCAPE '\\'",
                          "UPDATE duty_shift SET district_path = $1 || SUBSTR(district_path, $2) WHERE district_path LIKE $3 ESCAPE '\\'",
                          "UPDATE duty_handover SET district_path = $1 || SUBSTR(district_path, $2) WHERE district_path LIKE $3 ESCAPE '\\'"}) {
    TH_RETURN_IF_ERROR(c_.Execute(sql, {new_path, old_len + 1, like}).status());
  }
  return Status::Ok();
}

namespace {
constexpr const char* kShiftSelect =
    "SELECT s.id, s.district_unit_id, s.district_path, s.user_id, s.starts_at, s.ends_at, s.note, s.created_by, "
    "s.created_at, s.version, u.display_name, u.phone_masked FROM duty_shift s JOIN app_user u ON u.id = s.user_id ";
DutyShiftRecord ShiftFrom(const Row& r) {
  DutyShiftRecord s;
  s.id = r.Int(0);
  s.district_unit_id = r.Int(1);
  s.district_path = r.Text(2);
  s.user_id = r.Int(3);
  s.starts_at = r.Int(4);
  s.ends_at = r.Int(5);
  s.note = r.Text(6);
  s.created_by = r.OptInt(7);
  s.created_at = r.Int(8);
  s.version = r.Int(9);
  s.user_name = r.Text(10);
  s.user_phone_masked = r.Text(11);
  return s;
}
}  // namespace

Status ReportRepo::InsertShift(DutyShiftRecord& s) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("INSERT INTO duty_shift (district_unit_id, district_path, user_id, starts_at, "
                                          "ends_at, note, created_by, created_at, version) VALUES ($1, $2, $3, $4, $5, "
                                          "$6, $7, $8, 1) RETURNING id",
                                          {s.district_unit_id, s.district_path, s.user_id, s.starts_at, s.ends_at,
                                           s.note, OptInt(s.created_by), s.created_at}));
  if (rows.empty()) return Status::Internal("shift insert returned no id");
  s.id = rows[0].Int(0);
  return Status::Ok();
}

Result<DutyShiftRecord> ReportRepo::GetShift(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string(kShiftSelect) + "WHERE s.id = $1", {id}));
  if (rows.empty()) return Status::NotFound("shift");
  return ShiftFrom(rows[0]);
}

Result<std::int64_t> ReportRepo::DeleteShift(std::int64_t id, std::int64_t version) {
  // Handovers keep their text; the link to the deleted shift goes.
  TH_RETURN_IF_ERROR(c_.Execute("UPDATE duty_handover SET shift_id = NULL WHERE shift_id = $1", {id}).status());
  return c_.Execute("DELETE FROM duty_shift WHERE id = $1 AND version = $2", {id, version});
}

Result<std::vector<DutyShiftRecord>> ReportRepo::ListShifts(std::int64_t district_unit_id, std::int64_t from,
                                                            std::int64_t to) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string(kShiftSelect) +
                                              "WHERE s.district_unit_id = $1 AND s.ends_at > $2 AND s.starts_at < $3 "
                                              "ORDER BY s.starts_at, s.id LIMIT 500",
                                          {district_unit_id, from, to}));
  std::vector<DutyShiftRecord> out;
  for (const auto& r : rows.rows) out.push_back(ShiftFrom(r));
  return out;
}

Status ReportRepo::InsertHandover(HandoverRecord& h) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("INSERT INTO duty_handover (district_unit_id, district_path, shift_id, note, "
                                          "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                                          {h.district_unit_id, h.district_path, OptInt(h.shift_id), h.note,
                                           h.created_by, h.created_at}));
  if (rows.empty()) return Status::Internal("handover insert returned no id");
  h.id = rows[0].Int(0);
  return Status::Ok();
}

Result<std::vector<HandoverRecord>> ReportRepo::ListHandovers(std::int64_t district_unit_id, const Page& page,
                                                              std::int64_t* total) {
  TH_ASSIGN_OR_RETURN(auto count, c_.Query("SELECT COUNT(*) FROM duty_handover WHERE district_unit_id = $1",
                                           {district_unit_id}));
  *total = count.empty() ? 0 : count[0].Int(0);
  TH_ASSIGN_OR_RETURN(auto rows,
                      c_.Query("SELECT h.id, h.district_unit_id, h.district_path, h.shift_id, h.note, h.created_by, "
                               "h.created_at, u.display_name FROM duty_handover h JOIN app_user u ON u.id = h.created_by "
                               "WHERE h.district_unit_id = $1 ORDER BY h.created_at DESC, h.id DESC LIMIT $2 OFFSET $3",
                               {district_unit_id, page.page_size, page.Offset()}));
  std::vector<HandoverRecord> out;
  for (const auto& r : rows.rows) {
    HandoverRecord h;
    h.id = r.Int(0);
    h.district_unit_id = r.Int(1);
    h.district_path = r.Text(2);
    h.shift_id = r.OptInt(3);
    h.note = r.Text(4);
    h.created_by = r.Int(5);
    h.created_at = r.Int(6);
    h.created_by_name = r.Text(7);
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace th::repo
