#include "modules/plans/repo/plan_repo.h"

#include "platform/repo/sql_values.h"

namespace th::repo {

using storage::Params;
using storage::Row;
using storage::Value;

namespace {

constexpr const char* kPlanCols =
    "id, case_id, child_id, unit_path, number, status, title, summary, period_from, period_to, grade, created_by, "
    "submitted_at, submitted_by, reviewed_at, reviewed_by, review_note, approval_required, version, created_at, "
    "updated_at";

PlanRecord PlanFrom(const Row& r) {
  PlanRecord p;
  std::size_t i = 0;
  p.id = r.Int(i++);
  p.case_id = r.Int(i++);
  p.child_id = r.Int(i++);
  p.unit_path = r.Text(i++);
  p.number = static_cast<int>(r.Int(i++));
  p.status = r.Text(i++);
  p.title = r.Text(i++);
  p.summary = r.Text(i++);
  p.period_from = r.Text(i++);
  p.period_to = r.Text(i++);
  p.grade = r.Text(i++);
  p.created_by = r.OptInt(i++);
  p.submitted_at = r.OptInt(i++);
  p.submitted_by = r.OptInt(i++);
  p.reviewed_at = r.OptInt(i++);
  p.reviewed_by = r.OptInt(i++);
  p.review_note = r.Text(i++);
  p.approval_required = r.Int(i++) != 0;
  p.version = r.Int(i++);
  p.created_at = r.Int(i++);
  p.updated_at = r.Int(i++);
  return p;
}

Result<std::vector<PlanRecord>> Plans(storage::Connection& c, const std::string& sql, const Params& p) {
  TH_ASSIGN_OR_RETURN(auto rows, c.Query(sql, p));
  std::vector<PlanRecord> out;
  for (const auto& r : rows.rows) out.push_back(PlanFrom(r));
  return out;
}

constexpr const char* kLineCols =
    "id, kind, seq, code, name, text, extra, frequency, phone, group_id, owner_unit_id, owner_role, owner_user_id, "
    "due_date, done_at, done_by";

domain::PlanLine LineFrom(const Row& r) {
  domain::PlanLine l;
  std::size_t i = 0;
  l.id = r.Int(i++);
  l.kind = r.Text(i++);
  l.seq = static_cast<int>(r.Int(i++));
  l.code = r.Text(i++);
  l.name = r.Text(i++);
  l.text = r.Text(i++);
  l.extra = r.Text(i++);
  l.frequency = r.Text(i++);
  l.phone = r.Text(i++);
  l.group_id = r.OptInt(i++);
  l.owner_unit_id = r.OptInt(i++);
  l.owner_role = r.Text(i++);
  l.owner_user_id = r.OptInt(i++);
  l.due_date = r.Text(i++);
  l.done_at = r.OptInt(i++);
  l.done_by = r.OptInt(i++);
  return l;
}

constexpr const char* kRecordCols =
    "id, case_id, child_id, unit_path, plan_id, served_on, service_type, delivered_by, duration_min, content, outcome, "
    "created_by, version, created_at, updated_at";

ServiceRecordRow RecordFrom(const Row& r) {
  ServiceRecordRow s;
  std::size_t i = 0;
  s.id = r.Int(i++);
  s.case_id = r.Int(i++);
  s.child_id = r.Int(i++);
  s.unit_path = r.Text(i++);
  s.plan_id = r.OptInt(i++);
  s.served_on = r.Text(i++);
  s.service_type = r.Text(i++);
  s.delivered_by = r.Text(i++);
  s.duration_min = r.Int(i++);
  s.content = r.Text(i++);
  s.outcome = r.Text(i++);
  s.created_by = r.OptInt(i++);
  s.version = r.Int(i++);
  s.created_at = r.Int(i++);
  s.updated_at = r.Int(i++);
  return s;
}

Status Stale(const char* what_zh, const char* what_en) {
  return Status::Error(Code::kConflict, "stale_version", std::string(what_zh) + "已被他人修改，请刷新后重试",
                       std::string("The ") + what_en + " was changed by someone else; reload and try again", "version");
}

}  // namespace

Status PlanRepo::Insert(PlanRecord& p) {
  TH_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query("INSERT INTO plan (case_id, child_id, unit_path, number, status, title, summary, period_from, period_to, "
               "grade, created_by, approval_required, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, "
               "$7, $8, $9, $10, $11, $12, 1, $13, $13) RETURNING id",
               {p.case_id, p.child_id, p.unit_path, std::int64_t{p.number}, p.status, p.title, p.summary,
                TextOrNull(p.period_from), TextOrNull(p.period_to), p.grade, OptInt(p.created_by),
                std::int64_t{p.approval_required}, p.created_at}));
  p.id = rows[0].Int(0);
  p.version = 1;
  p.updated_at = p.created_at;
  return Status::Ok();
}

Result<PlanRecord> PlanRepo::Get(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto v, Plans(c_, std::string("SELECT ") + kPlanCols + " FROM plan WHERE id = $1", {id}));
  if (v.empty()) return Status::NotFound("plan");
  return v[0];
}

Result<std::vector<PlanRecord>> PlanRepo::ForCase(std::int64_t case_id) {
  return Plans(c_, std::string("SELECT ") + kPlanCols + " FROM plan WHERE case_id = $1 ORDER BY number DESC", {case_id});
}

Result<int> PlanRepo::MaxNumber(std::int64_t case_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT COALESCE(MAX(number), 0) FROM plan WHERE case_id = $1", {case_id}));
  return static_cast<int>(rows[0].Int(0));
}

Status PlanRepo::Update(PlanRecord& p, std::int64_t now) {
  TH_ASSIGN_OR_RETURN(
      auto n, c_.Execute("UPDATE plan SET status = $1, title = $2, summary = $3, period_from = $4, period_to = $5, "
                         "submitted_at = $6, submitted_by = $7, reviewed_at = $8, reviewed_by = $9, review_note = $10, "
                         "approval_required = $11, version = version + 1, updated_at = $12 WHERE id = $13 AND version = $14",
                         {p.status, p.title, p.summary, TextOrNull(p.period_from), TextOrNull(p.period_to),
                          OptInt(p.submitted_at), OptInt(p.submitted_by), OptInt(p.reviewed_at), OptInt(p.reviewed_by),
                          p.review_note, std::int64_t{p.approval_required}, now, p.id, p.version}));
  if (n == 0) return Stale("计划", "plan");
  ++p.version;
  p.updated_at = now;
  return Status::Ok();
}

Result<std::vector<PlanRecord>> PlanRepo::ByUnit(const std::string& prefix, const std::string& status,
                                                 const Page& page, std::int64_t* total) {
  const std::string like = LikeEscape(prefix) + "%";
  const std::string where = " FROM plan WHERE unit_path LIKE $1 ESCAPE '\\' AND ($2 = '' OR status = $2)";
  TH_ASSIGN_OR_RETURN(auto count, c_.Query("SELECT COUNT(*)" + where, {like, status}));
  if (total) *total = count[0].Int(0);
  return Plans(c_, std::string("SELECT ") + kPlanCols + where + " ORDER BY updated_at, id LIMIT $3 OFFSET $4",
               {like, status, page.page_size, page.Offset()});
}

Status PlanRepo::ReplaceLines(std::int64_t plan_id, std::vector<domain::PlanLine>& lines) {
  TH_RETURN_IF_ERROR(c_.Execute("DELETE FROM plan_line WHERE plan_id = $1", {plan_id}).status());
  int seq = 0;
  for (auto& l : lines) {
    l.seq = ++seq;
    TH_ASSIGN_OR_RETURN(
        auto rows,
        c_.Query("INSERT INTO plan_line (plan_id, kind, seq, code, name, text, extra, frequency, phone, group_id, "
                 "owner_unit_id, owner_role, owner_user_id, due_date, done_at, done_by) VALUES ($1, $2, $3, $4, $5, $6, "
                 "$7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
                 {plan_id, l.kind, std::int64_t{l.seq}, l.code, l.name, l.text, l.extra, l.frequency, l.phone,
                  OptInt(l.group_id), OptInt(l.owner_unit_id), l.owner_role, OptInt(l.owner_user_id),
                  TextOrNull(l.due_date), OptInt(l.done_at), OptInt(l.done_by)}));
    l.id = rows[0].Int(0);
  }
  return Status::Ok();
}

Result<std::vector<domain::PlanLine>> PlanRepo::Lines(std::int64_t plan_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kLineCols +
                                              " FROM plan_line WHERE plan_id = $1 ORDER BY kind, seq",
                                          {plan_id}));
  std::vector<domain::PlanLine> out;
  for (const auto& r : rows.rows) out.push_back(LineFrom(r));
  return out;
}

Status PlanRepo::SetLineDone(std::int64_t line_id, std::int64_t at, std::int64_t by) {
  return c_.Execute("UPDATE plan_line SET done_at = $1, done_by = $2 WHERE id = $3", {at, by, line_id}).status();
}

Status PlanRepo::InsertRecord(ServiceRecordRow& r) {
  TH_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query("INSERT INTO service_record (case_id, child_id, unit_path, plan_id, served_on, service_type, delivered_by, "
               "duration_min, content, outcome, created_by, version, created_at, updated_at) VALUES ($1, $2, $3, $4, "
               "$5, $6, $7, $8, $9, $10, $11, 1, $12, $12) RETURNING id",
               {r.case_id, r.child_id, r.unit_path, OptInt(r.plan_id), r.served_on, r.service_type, r.delivered_by,
                r.duration_min, r.content, r.outcome, OptInt(r.created_by), r.created_at}));
  r.id = rows[0].Int(0);
  r.updated_at = r.created_at;
  return Status::Ok();
}

Result<ServiceRecordRow> PlanRepo::GetRecord(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows,
                      c_.Query(std::string("SELECT ") + kRecordCols + " FROM service_record WHERE id = $1", {id}));
  if (rows.empty()) return Status::NotFound("service_record");
  return RecordFrom(rows[0]);
}

Result<std::vector<ServiceRecordRow>> PlanRepo::RecordsForCase(std::int64_t case_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kRecordCols +
                                              " FROM service_record WHERE case_id = $1 ORDER BY served_on DESC, id DESC "
                                              "LIMIT 500",
                                          {case_id}));
  std::vector<ServiceRecordRow> out;
  for (const auto& r : rows.rows) out.push_back(RecordFrom(r));
  return out;
}

Result<PlanRepo::CaseSection> PlanRepo::SectionOfCase(std::int64_t case_id) {
  TH_ASSIGN_OR_RETURN(
      auto rs,
      c_.QueryBatch({{std::string("SELECT ") + kPlanCols + " FROM plan WHERE case_id = $1 ORDER BY number DESC", {case_id}},
                     {std::string("SELECT ") + kLineCols + " FROM plan_line WHERE plan_id = (SELECT id FROM plan WHERE "
                                                           "case_id = $1 ORDER BY number DESC LIMIT 1) ORDER BY kind, seq",
                      {case_id}},
                     {std::string("SELECT ") + kRecordCols + " FROM service_record WHERE case_id = $1 ORDER BY "
                                                             "served_on DESC, id DESC LIMIT 500",
                      {case_id}},
                     GroupRepo::ForCaseStatement(case_id)}));
  CaseSection s;
  for (const auto& r : rs[0].rows) s.versions.push_back(PlanFrom(r));
  for (const auto& r : rs[1].rows) s.current_lines.push_back(LineFrom(r));
  for (const auto& r : rs[2].rows) s.records.push_back(RecordFrom(r));
  s.groups = GroupRepo::GroupsFrom(rs[3]);
  return s;
}

Status PlanRepo::AfterUnitMove(const std::string& old_path, const std::string& new_path) {
  const auto old_len = static_cast<std::int64_t>(old_path.size());
  const std::string like = LikeEscape(old_path) + "%";
  for (const char* sql :
       {"UPDATE plan SET unit_path = $1 || SUBSTR(unit_path, $2) WHERE unit_path LIKE $3 ESCAPE '\\'",
        "UPDATE service_record SET unit_path = $1 || SUBSTR(unit_path, $2) WHERE unit_path LIKE $3 ESCAPE '\\'",
        "UPDATE group_service SET unit_path = $1 || SUBSTR(unit_path, $2) WHERE unit_path LIKE $3 ESCAPE '\\'",
        "UPDATE group_member SET unit_path = $1 || SUBSTR(unit_path, $2) WHERE unit_path LIKE $3 ESCAPE '\\'"}) {
    TH_RETURN_IF_ERROR(c_.Execute(sql, {new_path, old_len + 1, like}).status());
  }
  return Status::Ok();
}

Result<std::pair<std::vector<std::int64_t>, std::int64_t>> PlanRepo::AfterChildMove(std::int64_t child_id) {
  const std::string path =
      "COALESCE((SELECT u.path FROM child c JOIN org_unit u ON u.id = c.community_id WHERE c.id = $1), unit_path)";
  for (const char* table : {"plan", "service_record", "group_member"}) {
    TH_RETURN_IF_ERROR(
        c_.Execute(std::string("UPDATE ") + table + " SET unit_path = " + path + " WHERE child_id = $1", {child_id})
            .status());
  }
  TH_ASSIGN_OR_RETURN(auto reviews, c_.Query("SELECT id FROM plan WHERE child_id = $1 AND status = 'submitted' ORDER BY id",
                                             {child_id}));
  std::vector<std::int64_t> ids;
  for (const auto& r : reviews.rows) ids.push_back(r.Int(0));
  TH_ASSIGN_OR_RETURN(auto unit, c_.Query("SELECT COALESCE(street_id, district_id) FROM child WHERE id = $1", {child_id}));
  return std::make_pair(std::move(ids), unit.empty() ? std::int64_t{0} : unit[0].Int(0));
}

}  // namespace th::repo
