#include "modules/cases/repo/case_repo.h"

#include "platform/repo/sql_values.h"

namespace th::repo {

using storage::Params;
using storage::Row;
using storage::Value;

namespace {

std::string P(std::size_t n) { return "$" + std::to_string(n); }

constexpr const char* kCaseSelect =
    "SELECT k.id, k.child_id, k.unit_id, k.unit_path, k.street_unit_id, k.district_unit_id, k.status, k.source, "
    "k.report_id, k.reason, k.worker_user_id, k.close_reason, k.opened_by, k.opened_at, k.closed_at, k.created_at, "
    "k.updated_at, k.version, c.name, c.risk_grade, u.name, w.display_name "
    "FROM case_file k JOIN child c ON c.id = k.child_id JOIN org_unit u ON u.id = k.unit_id "
    "LEFT JOIN app_user w ON w.id = k.worker_user_id";

CaseRecord CaseFrom(const Row& r) {
  CaseRecord k;
  std::size_t i = 0;
  k.id = r.Int(i++);
  k.child_id = r.Int(i++);
  k.unit_id = r.Int(i++);
  k.unit_path = r.Text(i++);
  k.street_unit_id = r.Int(i++);
  k.district_unit_id = r.Int(i++);
  k.status = r.Text(i++);
  k.source = r.Text(i++);
  k.report_id = r.OptInt(i++);
  k.reason = r.Text(i++);
  k.worker_user_id = r.OptInt(i++);
  k.close_reason = r.Text(i++);
  k.opened_by = r.Int(i++);
  k.opened_at = r.Int(i++);
  k.closed_at = r.OptInt(i++);
  k.created_at = r.Int(i++);
  k.updated_at = r.Int(i++);
  k.version = r.Int(i++);
  k.child_name = r.Text(i++);
  k.grade = r.Text(i++);
  k.unit_name = r.Text(i++);
  k.worker_name = r.Text(i++);
  return k;
}

constexpr const char* kAssessmentSelect =
    "SELECT a.id, a.child_id, a.case_id, a.unit_path, a.kind, a.form_code, a.form_version, a.status, "
    "a.answers_json, a.score, a.grade, a.needs_json, a.note, a.assessor_user_id, a.completed_at, a.created_at, "
    "a.updated_at, a.version, u.display_name FROM assessment a LEFT JOIN app_user u ON u.id = a.assessor_user_id";

AssessmentRecord AssessmentFrom(const Row& r) {
  AssessmentRecord a;
  std::size_t i = 0;
  a.id = r.Int(i++);
  a.child_id = r.Int(i++);
  a.case_id = r.OptInt(i++);
  a.unit_path = r.Text(i++);
  a.kind = r.Text(i++);
  a.form_code = r.Text(i++);
  a.form_version = r.Int(i++);
  a.status = r.Text(i++);
  a.answers_json = r.Text(i++);
  a.score = r.Real(i++);
  a.grade = r.Text(i++);
  a.needs_json = r.Text(i++);
  a.note = r.Text(i++);
  a.assessor_user_id = r.Int(i++);
  a.completed_at = r.OptInt(i++);
  a.created_at = r.Int(i++);
  a.updated_at = r.Int(i++);
  a.version = r.Int(i++);
  a.assessor_name = r.Text(i++);
  return a;
}

}  // namespace

Status CaseRepo::Insert(CaseRecord& r) {
  TH_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query("INSERT INTO case_file (child_id, unit_id, unit_path, street_unit_id, district_unit_id, status, source, "
               "report_id, reason, worker_user_id, close_reason, opened_by, opened_at, closed_at, created_at, "
               "updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1) "
               "RETURNING id",
               {r.child_id, r.unit_id, r.unit_path, r.street_unit_id, r.district_unit_id, r.status, r.source,
                OptInt(r.report_id), r.reason, OptInt(r.worker_user_id), r.close_reason, r.opened_by, r.opened_at,
                OptInt(r.closed_at), r.created_at, r.updated_at}));
  if (rows.empty()) return Status::Internal("case insert returned no id");
  r.id = rows[0].Int(0);
  r.version = 1;
  return Status::Ok();
}

Result<CaseRecord> CaseRepo::Get(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string(kCaseSelect) + " WHERE k.id = $1", {id}));
  if (rows.empty()) return Status::NotFound("case");
  return CaseFrom(rows[0]);
}

Result<std::optional<CaseRecord>> CaseRepo::OpenOf(std::int64_t child_id) {
  TH_ASSIGN_OR_RETURN(auto rows,
                      c_.Query(std::string(kCaseSelect) + " WHERE k.child_id = $1 AND k.status <> 'closed'", {child_id}));
  if (rows.empty()) return std::optional<CaseRecord>();
  return std::optional<CaseRecord>(CaseFrom(rows[0]));
}

Status CaseRepo::Update(const CaseRecord& r, std::int64_t version) {
  TH_ASSIGN_OR_RETURN(
      auto n, c_.Execute("UPDATE case_file SET status = $1, worker_user_id = $2, close_reason = $3, closed_at = $4, "
                         "updated_at = $5, version = version + 1 WHERE id = $6 AND version = $7",
                         {r.status, OptInt(r.worker_user_id), r.close_reason, OptInt(r.closed_at), r.updated_at, r.id,
                          version}));
  if (n == 0) return Status::Stale();
  return Status::Ok();
}

Result<std::vector<CaseRecord>> CaseRepo::List(const CaseFilter& f, const Page& page, std::int64_t* total) {
  Params p;
  p.push_back(LikeEscape(f.path_prefix) + "%");
  std::string where = " WHERE k.unit_path LIKE $1 ESCAPE '\\'";
  if (!f.unit_prefix.empty()) {
    p.push_back(LikeEscape(f.unit_prefix) + "%");
    where += " AND k.unit_path LIKE " + P(p.size()) + " ESCAPE '\\'";
  }
  if (!f.status.empty()) {
    p.push_back(f.status);
    where += " AND k.status = " + P(p.size());
  }
  if (f.open_only) where += " AND k.status <> 'closed'";
  if (!f.grade.empty()) {
    p.push_back(f.grade);
    where += " AND c.risk_grade = " + P(p.size());
  }
  if (f.worker_user_id) {
    p.push_back(*f.worker_user_id);
    where += " AND k.worker_user_id = " + P(p.size());
  }
  if (f.child_id) {
    p.push_back(*f.child_id);
    where += " AND k.child_id = " + P(p.size());
  }
  if (!f.q.empty()) {
    p.push_back("%" + LikeEscape(f.q) + "%");
    where += " AND c.name LIKE " + P(p.size()) + " ESCAPE '\\'";
  }
  TH_ASSIGN_OR_RETURN(auto count, c_.Query("SELECT COUNT(*) FROM case_file k JOIN child c ON c.id = k.child_id" + where, p));
  *total = count.empty() ? 0 : count[0].Int(0);
  Params q = p;
  q.push_back(page.page_size);
  q.push_back(page.Offset());
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string(kCaseSelect) + where + " ORDER BY k.id DESC LIMIT " +
                                              P(q.size() - 1) + " OFFSET " + P(q.size()),
                                          q));
  std::vector<CaseRecord> out;
  for (const auto& r : rows.rows) out.push_back(CaseFrom(r));
  return out;
}

Result<std::optional<WorkerInfo>> CaseRepo::Worker(std::int64_t user_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT u.id, u.role, o.path, u.display_name, u.disabled FROM app_user u "
                                          "JOIN org_unit o ON o.id = u.org_unit_id WHERE u.id = $1",
                                          {user_id}));
  if (rows.empty()) return std::optional<WorkerInfo>();
  return std::optional<WorkerInfo>(
      WorkerInfo{rows[0].Int(0), rows[0].Text(1), rows[0].Text(2), rows[0].Text(3), rows[0].Int(4) == 0});
}

Result<std::vector<WorkerInfo>> CaseRepo::Workers(const std::string& unit_path) {
  Params p;
  std::string in;
  for (std::size_t i = 1; i < unit_path.size(); ++i) {
    if (unit_path[i] != '/') continue;
    p.push_back(unit_path.substr(0, i + 1));
    in += (in.empty() ? "$" : ", $") + std::to_string(p.size());
  }
  std::vector<WorkerInfo> out;
  if (p.empty()) return out;
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT u.id, u.role, o.path, u.display_name, u.disabled, o.name FROM app_user u "
                                          "JOIN org_unit o ON o.id = u.org_unit_id WHERE o.path IN (" + in +
                                              ") AND u.role IN ('social_worker', 'child_director') AND u.disabled = 0 "
                                              "ORDER BY LENGTH(o.path) DESC, u.display_name, u.id LIMIT 200",
                                          p));
  for (const auto& r : rows.rows) {
    out.push_back(WorkerInfo{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4) == 0, r.Text(5)});
  }
  return out;
}

Status CaseRepo::AddEvent(CaseEventRecord& e) { return TimelineRepo(c_, kCaseTimeline).Add(e); }

Result<std::vector<CaseEventRecord>> CaseRepo::Events(std::int64_t case_id) {
  return TimelineRepo(c_, kCaseTimeline).List(case_id);
}

Result<CaseRepo::CasePage> CaseRepo::PageOf(std::int64_t case_id) {
  TH_ASSIGN_OR_RETURN(
      auto rs, c_.QueryBatch({{std::string(kCaseSelect) + " WHERE k.id = $1", {case_id}},
                              TimelineRepo(c_, kCaseTimeline).ListStatement(case_id),
                              {std::string(kAssessmentSelect) + " WHERE a.child_id = (SELECT child_id FROM case_file "
                                                                "WHERE id = $1) ORDER BY a.id DESC LIMIT 200",
                               {case_id}}}));
  CasePage p;
  if (rs[0].empty()) return p;
  p.record = CaseFrom(rs[0][0]);
  p.events = TimelineRepo::EventsFrom(rs[1]);
  p.assessments.reserve(rs[2].size());
  for (const auto& r : rs[2].rows) p.assessments.push_back(AssessmentFrom(r));
  return p;
}

Status CaseRepo::MoveChild(std::int64_t child_id, std::int64_t unit_id, std::int64_t street_id,
                           std::int64_t district_id, const std::string& unit_path) {
  TH_RETURN_IF_ERROR(c_.Execute("UPDATE case_file SET unit_id = $1, street_unit_id = $2, district_unit_id = $3, "
                                "unit_path = $4 WHERE child_id = $5",
                                {unit_id, street_id, district_id, unit_path, child_id})
                         .status());
  return c_.Execute("UPDATE assessment SET unit_path = $1 WHERE child_id = $2", {unit_path, child_id}).status();
}

Status CaseRepo::MoveUnitPaths(const std::string& old_path, const std::string& new_path) {
  for (const char* table : {"case_file", "assessment"}) {
    TH_RETURN_IF_ERROR(c_.Execute(std::string("UPDATE ") + table + " SET unit_path = $1 || SUBSTR(unit_path, " +
                                      "CAST($2 AS INTEGER)) WHERE unit_path LIKE $3 ESCAPE '\\'",
                                  {new_path, static_cast<std::int64_t>(old_path.size() + 1), LikeEscape(old_path) + "%"})
                           .status());
  }
  return Status::Ok();
}

Status CaseRepo::InsertAssessment(AssessmentRecord& a) {
  TH_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query("INSERT INTO assessment (child_id, case_id, unit_path, kind, form_code, form_version, status, "
               "answers_json, score, grade, needs_json, note, assessor_user_id, completed_at, created_at, updated_at, "
               "version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1) RETURNING id",
               {a.child_id, OptInt(a.case_id), a.unit_path, a.kind, a.form_code, a.form_version, a.status,
                a.answers_json, a.score, a.grade, a.needs_json, a.note, a.assessor_user_id, OptInt(a.completed_at),
                a.created_at, a.updated_at}));
  if (rows.empty()) return Status::Internal("assessment insert returned no id");
  a.id = rows[0].Int(0);
  a.version = 1;
  return Status::Ok();
}

Result<AssessmentRecord> CaseRepo::GetAssessment(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string(kAssessmentSelect) + " WHERE a.id = $1", {id}));
  if (rows.empty()) return Status::NotFound("assessment");
  return AssessmentFrom(rows[0]);
}

Status CaseRepo::UpdateAssessment(const AssessmentRecord& a, std::int64_t version) {
  // A completed assessment is never rewritten: the WHERE keeps drafts only.
  TH_ASSIGN_OR_RETURN(
      auto n, c_.Execute("UPDATE assessment SET case_id = $1, status = $2, answers_json = $3, score = $4, grade = $5, "
                         "needs_json = $6, note = $7, completed_at = $8, updated_at = $9, version = version + 1 "
                         "WHERE id = $10 AND version = $11 AND status = 'draft'",
                         {OptInt(a.case_id), a.status, a.answers_json, a.score, a.grade, a.needs_json, a.note,
                          OptInt(a.completed_at), a.updated_at, a.id, version}));
  if (n == 0) return Status::Stale();
  return Status::Ok();
}

Result<std::vector<AssessmentRecord>> CaseRepo::ChildAssessments(std::int64_t child_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string(kAssessmentSelect) +
                                              " WHERE a.child_id = $1 ORDER BY a.id DESC LIMIT 200",
                                          {child_id}));
  std::vector<AssessmentRecord> out;
  for (const auto& r : rows.rows) out.push_back(AssessmentFrom(r));
  return out;
}

Result<std::optional<AssessmentRecord>> CaseRepo::LatestCompleted(std::int64_t child_id, const std::string& kind) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string(kAssessmentSelect) +
                                              " WHERE a.child_id = $1 AND a.kind = $2 AND a.status = 'completed' "
                                              "ORDER BY a.completed_at DESC, a.id DESC LIMIT 1",
                                          {child_id, kind}));
  if (rows.empty()) return std::optional<AssessmentRecord>();
  return std::optional<AssessmentRecord>(AssessmentFrom(rows[0]));
}

namespace {

storage::Statement LatestNeedsStatement(std::int64_t case_id, const std::string& kind) {
  return {"SELECT a.needs_json FROM assessment a WHERE a.child_id = (SELECT k.child_id FROM case_file k WHERE k.id = $1) "
          "AND a.kind = $2 AND a.status = 'completed' ORDER BY a.completed_at DESC, a.id DESC LIMIT 1",
          {case_id, kind}};
}

std::optional<std::string> NeedsFrom(const storage::Rows& rows) {
  if (rows.empty()) return std::nullopt;
  return rows[0].Text(0);
}

}  // namespace

Result<std::optional<std::string>> CaseRepo::LatestNeedsOfCase(std::int64_t case_id, const std::string& kind) {
  const storage::Statement st = LatestNeedsStatement(case_id, kind);
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(st.sql, st.params));
  return NeedsFrom(rows);
}

Result<std::pair<std::optional<CaseRecord>, std::optional<std::string>>> CaseRepo::GetWithNeeds(
    std::int64_t case_id, const std::string& kind) {
  TH_ASSIGN_OR_RETURN(auto rs, c_.QueryBatch({{std::string(kCaseSelect) + " WHERE k.id = $1", {case_id}},
                                              LatestNeedsStatement(case_id, kind)}));
  std::optional<CaseRecord> k;
  if (!rs[0].empty()) k = CaseFrom(rs[0][0]);
  return std::make_pair(std::move(k), NeedsFrom(rs[1]));
}

Result<std::vector<DueChild>> CaseRepo::DueChildren(const std::string& kind, const std::string& subject_type,
                                                    const std::string& work_kind,
                                                    const std::vector<std::string>& categories,
                                                    std::int64_t cutoff_ms, std::int64_t after_id,
                                                    std::int64_t limit, std::optional<std::int64_t> only_child) {
  Params p = {kind, subject_type, work_kind, after_id};
  std::string only;
  if (only_child) {
    p.push_back(*only_child);
    only = " AND c.id = " + P(p.size());
  }
  std::string cats;
  for (const auto& code : categories) {
    p.push_back("%," + LikeEscape(code) + ",%");
    cats += std::string(cats.empty() ? "" : " OR ") + "c.categories LIKE " + P(p.size()) + " ESCAPE '\\'";
  }
  p.push_back(cutoff_ms);
  const std::string cutoff = P(p.size());
  p.push_back(limit);
  // One pass over the roll: the last completion per child from the (child_id, kind, completed_at)
  // index, the open item from the work engine's (subject_type, subject_id, kind) index.
  const std::string sql =
      "SELECT d.id, d.community_id, d.street_id, d.name, d.roll_entered_on, d.last_done FROM (SELECT c.id, c.community_id, "
      "c.street_id, c.name, c.roll_entered_on, (SELECT MAX(a.completed_at) FROM assessment a WHERE a.child_id = c.id "
      "AND a.kind = $1 AND a.completed_at IS NOT NULL) AS last_done FROM child c WHERE c.roll_status IN ('on_roll', "
      "'exit_proposed') AND c.id > $4" + only +
      (cats.empty() ? std::string() : " AND (" + cats + ")") +
      " AND NOT EXISTS (SELECT 1 FROM work_item w WHERE w.subject_type = $2 AND w.subject_id = c.id AND w.kind = $3 "
      "AND w.is_open = 1)) d WHERE d.last_done IS NULL OR d.last_done < " +
      cutoff + " ORDER BY d.id LIMIT " + P(p.size());
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(sql, p));
  std::vector<DueChild> out;
  out.reserve(rows.size());
  for (const auto& r : rows.rows) {
    out.push_back({r.Int(0), r.Int(1), r.Int(2), r.Text(3), static_cast<std::int32_t>(r.Int(4)), r.OptInt(5)});
  }
  return out;
}

}  // namespace th::repo
