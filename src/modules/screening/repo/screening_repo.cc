#include "modules/screening/repo/screening_repo.h"

#include <map>
#include <string>
#include <utility>

#include "platform/repo/sql_values.h"

namespace th::repo {

using storage::Params;
using storage::Row;
using storage::Value;

namespace {

std::string P(std::size_t n) { return "$" + std::to_string(n); }

std::string Prefix(const std::string& path) { return LikeEscape(path) + "%"; }

Value OptDouble(double d) { return Value(d); }

constexpr const char* kSourceCols =
    "s.id, s.org_unit_id, s.unit_path, s.name, s.dept_type, s.mapping_json, s.created_by, s.created_at, s.version";

DataSourceRecord SourceFrom(const Row& r) {
  DataSourceRecord s;
  s.id = r.Int(0);
  s.org_unit_id = r.Int(1);
  s.unit_path = r.Text(2);
  s.name = r.Text(3);
  s.dept_type = r.Text(4);
  s.mapping_json = r.Text(5);
  s.created_by = r.OptInt(6);
  s.created_at = r.Int(7);
  s.version = r.Int(8);
  return s;
}

constexpr const char* kBatchSelect =
    "SELECT b.id, b.source_id, b.org_unit_id, b.unit_path, b.file_name, b.uploaded_by, b.status, b.error, "
    "b.processed, b.total, b.records, b.matched, b.review, b.unmatched, b.created_at, b.finished_at, "
    "s.name, s.dept_type, o.name, u.display_name, b.stage, b.attempts, b.heartbeat_at, b.started_at, "
    "b.complete_roster, b.reference_date "
    "FROM screening_batch b JOIN data_source s ON s.id = b.source_id JOIN org_unit o ON o.id = b.org_unit_id "
    "LEFT JOIN app_user u ON u.id = b.uploaded_by ";

ScreeningBatchRecord BatchFrom(const Row& r) {
  ScreeningBatchRecord b;
  b.id = r.Int(0);
  b.source_id = r.Int(1);
  b.org_unit_id = r.Int(2);
  b.unit_path = r.Text(3);
  b.file_name = r.Text(4);
  b.uploaded_by = r.Int(5);
  b.status = r.Text(6);
  b.error = r.Text(7);
  b.processed = r.Int(8);
  b.total = r.Int(9);
  b.records = r.Int(10);
  b.matched = r.Int(11);
  b.review = r.Int(12);
  b.unmatched = r.Int(13);
  b.created_at = r.Int(14);
  b.finished_at = r.OptInt(15);
  b.source_name = r.Text(16);
  b.source_dept_type = r.Text(17);
  b.org_unit_name = r.Text(18);
  b.uploaded_by_name = r.Text(19);
  b.stage = r.Text(20);
  b.attempts = r.Int(21);
  b.heartbeat_at = r.OptInt(22);
  b.started_at = r.OptInt(23);
  b.complete_roster = r.Int(24) != 0;
  b.reference_date = static_cast<std::int32_t>(r.Int(25));
  return b;
}

constexpr const char* kRowCols =
    "id, batch_id, line, name, sex, birth_date, id_enc, id_masked, father_name, mother_name, guardian_name, "
    "hukou_address, hukou_region_code, residence_address, community_id, school_name, disability_type, "
    "disability_grade, assistance, father_state, mother_state, child_id, band, probability, explanation, phone_enc, "
    "origin";

BatchRow RowFrom(const Row& r) {
  BatchRow b;
  b.id = r.Int(0);
  b.batch_id = r.Int(1);
  b.line = r.Int(2);
  b.name = r.Text(3);
  b.sex = r.Text(4);
  b.birth_date = r.Text(5);
  b.id_enc = r.Text(6);
  b.id_masked = r.Text(7);
  b.father_name = r.Text(8);
  b.mother_name = r.Text(9);
  b.guardian_name = r.Text(10);
  b.hukou_address = r.Text(11);
  b.hukou_region_code = r.Text(12);
  b.residence_address = r.Text(13);
  b.community_id = r.OptInt(14);
  b.school_name = r.Text(15);
  b.disability_type = r.Text(16);
  b.disability_grade = r.Int(17);
  b.assistance = r.Text(18);
  b.father_state = r.Text(19);
  b.mother_state = r.Text(20);
  b.child_id = r.OptInt(21);
  b.band = r.Text(22);
  b.probability = r.Real(23);
  b.explanation = r.Text(24);
  b.phone_enc = r.Text(25);
  b.origin = r.Text(26);
  return b;
}

constexpr const char* kFindingSelect =
    "SELECT f.id, f.batch_id, f.rule_id, f.reason, f.record_id, f.child_id, f.community_id, f.unit_path, f.status, "
    "f.roll_kind, f.created_at, o.name, (SELECT MIN(t.id) FROM verification_task t WHERE t.finding_id = f.id) "
    "FROM finding f LEFT JOIN org_unit o ON o.id = f.community_id ";

FindingRecord FindingFrom(const Row& r) {
  FindingRecord f;
  f.id = r.Int(0);
  f.batch_id = r.Int(1);
  f.rule_id = r.Text(2);
  f.reason = r.Text(3);
  f.record_id = r.Int(4);
  f.child_id = r.OptInt(5);
  f.community_id = r.OptInt(6);
  f.unit_path = r.Text(7);
  f.status = r.Text(8);
  f.roll_kind = r.Text(9);
  f.created_at = r.Int(10);
  f.community_name = r.Text(11);
  f.task_id = r.OptInt(12);
  return f;
}

constexpr const char* kTaskSelect =
    "SELECT t.id, t.finding_id, t.community_id, t.unit_path, t.due_date, t.outcome, t.note, t.decided_by, "
    "t.decided_at, t.roll_request_id, t.version, t.created_at, o.name, u.display_name "
    "FROM verification_task t LEFT JOIN org_unit o ON o.id = t.community_id "
    "LEFT JOIN app_user u ON u.id = t.decided_by ";

TaskRecord TaskFrom(const Row& r) {
  TaskRecord t;
  t.id = r.Int(0);
  t.finding_id = r.Int(1);
  t.community_id = r.OptInt(2);
  t.unit_path = r.Text(3);
  t.due_date = static_cast<std::int32_t>(r.Int(4));
  t.outcome = r.Text(5);
  t.note = r.Text(6);
  t.decided_by = r.OptInt(7);
  t.decided_at = r.OptInt(8);
  t.roll_request_id = r.OptInt(9);
  t.version = r.Int(10);
  t.created_at = r.Int(11);
  t.community_name = r.Text(12);
  t.decided_by_name = r.Text(13);
  return t;
}

}  // namespace

Status ScreeningRepo::InsertSource(DataSourceRecord& s) {
  TH_ASSIGN_OR_RETURN(auto rows,
                      c_.Query("INSERT INTO data_source (org_unit_id, unit_path, name, dept_type, mapping_json, "
                               "created_by, created_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                               {s.org_unit_id, s.unit_path, s.name, s.dept_type, s.mapping_json, OptInt(s.created_by),
                                s.created_at, s.version}));
  s.id = rows[0].Int(0);
  return Status::Ok();
}

Result<DataSourceRecord> ScreeningRepo::GetSource(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows,
                      c_.Query(std::string("SELECT ") + kSourceCols + " FROM data_source s WHERE s.id = $1", {id}));
  if (rows.empty()) return Status::NotFound("data_source");
  return SourceFrom(rows[0]);
}

Result<std::vector<DataSourceRecord>> ScreeningRepo::ListSources(const std::string& path) {
  // Ancestors' sources (a district's 残联 source serves its streets) and those below.
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kSourceCols +
                                              " FROM data_source s WHERE s.unit_path LIKE $1 ESCAPE '\\' "
                                              "OR $2 LIKE s.unit_path || '%' ORDER BY s.id",
                                          {Prefix(path), path}));
  std::vector<DataSourceRecord> out;
  for (const auto& r : rows.rows) out.push_back(SourceFrom(r));
  return out;
}

Status ScreeningRepo::InsertBatch(ScreeningBatchRecord& b) {
  TH_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query("INSERT INTO screening_batch (source_id, org_unit_id, unit_path, file_name, uploaded_by, status, error, "
               "processed, total, records, matched, review, unmatched, created_at, finished_at, stage, attempts, "
               "complete_roster, reference_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
               "$15, $16, $17, $18, $19) RETURNING id",
               {b.source_id, b.org_unit_id, b.unit_path, b.file_name, b.uploaded_by, b.status, b.error, b.processed,
                b.total, b.records, b.matched, b.review, b.unmatched, b.created_at, OptInt(b.finished_at), b.stage,
                b.attempts, std::int64_t{b.complete_roster ? 1 : 0}, std::int64_t{b.reference_date}}));
  b.id = rows[0].Int(0);
  return Status::Ok();
}

Status ScreeningRepo::UpdateBatch(const ScreeningBatchRecord& b) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE screening_batch SET status = $1, error = $2, processed = $3, "
                                         "total = $4, records = $5, matched = $6, review = $7, unmatched = $8, "
                                         "finished_at = $9, stage = $10 WHERE id = $11",
                                         {b.status, b.error, b.processed, b.total, b.records, b.matched, b.review,
                                          b.unmatched, OptInt(b.finished_at), b.stage, b.id}));
  if (n == 0) return Status::NotFound("screening_batch");
  return Status::Ok();
}

Result<std::optional<std::int64_t>> ScreeningRepo::NextQueued() {
  TH_ASSIGN_OR_RETURN(auto rows,
                      c_.Query("SELECT id FROM screening_batch WHERE status = 'queued' ORDER BY id LIMIT 1", {}));
  if (rows.empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(rows[0].Int(0));
}

Result<bool> ScreeningRepo::Claim(std::int64_t id, std::int64_t now) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE screening_batch SET status = 'running', stage = 'loading', "
                                         "attempts = attempts + 1, processed = 0, error = '', started_at = $1, "
                                         "heartbeat_at = $1 WHERE id = $2 AND status = 'queued'",
                                         {now, id}));
  return n == 1;
}

Result<bool> ScreeningRepo::Progress(std::int64_t id, std::int64_t attempt, const std::string& stage,
                                     std::int64_t processed, std::int64_t now) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE screening_batch SET stage = $1, processed = $2, heartbeat_at = $3 "
                                         "WHERE id = $4 AND attempts = $5 AND status = 'running'",
                                         {stage, processed, now, id, attempt}));
  return n == 1;
}

Result<bool> ScreeningRepo::Finish(const ScreeningBatchRecord& b, std::int64_t attempt) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE screening_batch SET status = 'done', stage = 'done', error = '', "
                                         "processed = $1, records = $2, matched = $3, review = $4, unmatched = $5, "
                                         "finished_at = $6, heartbeat_at = $6 WHERE id = $7 AND attempts = $8 AND "
                                         "status = 'running'",
                                         {b.processed, b.records, b.matched, b.review, b.unmatched,
                                          OptInt(b.finished_at), b.id, attempt}));
  return n == 1;
}

Result<bool> ScreeningRepo::EndAttempt(std::int64_t id, std::int64_t attempt, bool requeue, const std::string& error,
                                       std::int64_t now) {
  TH_ASSIGN_OR_RETURN(
      auto n, c_.Execute(requeue ? "UPDATE screening_batch SET status = 'queued', stage = 'queued', processed = 0, "
                                   "error = $1, heartbeat_at = $2 WHERE id = $3 AND attempts = $4 AND status = 'running'"
                                 : "UPDATE screening_batch SET status = 'failed', stage = 'failed', error = $1, "
                                   "finished_at = $2, heartbeat_at = $2 WHERE id = $3 AND attempts = $4 AND "
                                   "status = 'running'",
                         {error, now, id, attempt}));
  return n == 1;
}

Result<std::int64_t> ScreeningRepo::RecoverStale(std::int64_t stale_before, std::int64_t max_attempts,
                                                 const std::string& error, std::int64_t now) {
  TH_ASSIGN_OR_RETURN(auto failed,
                      c_.Execute("UPDATE screening_batch SET status = 'failed', stage = 'failed', error = $1, "
                                 "finished_at = $2 WHERE status = 'running' AND COALESCE(heartbeat_at, 0) < $3 AND "
                                 "attempts >= $4",
                                 {error, now, stale_before, max_attempts}));
  TH_ASSIGN_OR_RETURN(auto requeued,
                      c_.Execute("UPDATE screening_batch SET status = 'queued', stage = 'queued', processed = 0 "
                                 "WHERE status = 'running' AND COALESCE(heartbeat_at, 0) < $1",
                                 {stale_before}));
  return failed + requeued;
}

Result<ScreeningBatchRecord> ScreeningRepo::GetBatch(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string(kBatchSelect) + "WHERE b.id = $1", {id}));
  if (rows.empty()) return Status::NotFound("screening_batch");
  return BatchFrom(rows[0]);
}

Result<std::vector<ScreeningBatchRecord>> ScreeningRepo::ListBatches(const std::string& path_prefix, const Page& page,
                                                                     std::int64_t* total) {
  TH_ASSIGN_OR_RETURN(auto cnt, c_.Query("SELECT COUNT(*) FROM screening_batch WHERE unit_path LIKE $1 ESCAPE '\\'",
                                         {Prefix(path_prefix)}));
  *total = cnt[0].Int(0);
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string(kBatchSelect) +
                                              "WHERE b.unit_path LIKE $1 ESCAPE '\\' ORDER BY b.id DESC LIMIT $2 "
                                              "OFFSET $3",
                                          {Prefix(path_prefix), page.page_size, page.Offset()}));
  std::vector<ScreeningBatchRecord> out;
  for (const auto& r : rows.rows) out.push_back(BatchFrom(r));
  return out;
}

Result<BatchCounts> ScreeningRepo::Counts(std::int64_t batch_id, std::int32_t today) {
  BatchCounts c;
  if (today > 0) {
    TH_ASSIGN_OR_RETURN(auto od, c_.Query("SELECT COUNT(*) FROM verification_task t JOIN finding f ON f.id = "
                                          "t.finding_id WHERE f.batch_id = $1 AND t.outcome = '' AND t.due_date < $2",
                                          {batch_id, std::int64_t{today}}));
    c.overdue = od[0].Int(0);
  }
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT rule_id, status, roll_kind, COUNT(*) FROM finding WHERE batch_id = $1 "
                                          "GROUP BY rule_id, status, roll_kind",
                                          {batch_id}));
  for (const auto& r : rows.rows) {
    std::int64_t n = r.Int(3);
    std::string status = r.Text(1), kind = r.Text(2);
    c.findings_by_rule[r.Text(0)] += n;
    c.findings += n;
    if (status == "open") c.open += n;
    if (status == "confirmed") c.confirmed += n;
    if (status == "rejected") c.rejected += n;
    if (status == "not_found") c.not_found += n;
    if (status == "confirmed" && kind == "entry") c.added += n;
    if (status == "confirmed" && kind == "exit") c.exited += n;
  }
  return c;
}

namespace {

void AddFinding(BatchCounts& c, const std::string& rule, const std::string& status, const std::string& kind,
                std::int64_t n) {
  c.findings_by_rule[rule] += n;
  c.findings += n;
  if (status == "open") c.open += n;
  if (status == "confirmed") c.confirmed += n;
  if (status == "rejected") c.rejected += n;
  if (status == "not_found") c.not_found += n;
  if (status == "confirmed" && kind == "entry") c.added += n;
  if (status == "confirmed" && kind == "exit") c.exited += n;
}

}  // namespace

Result<std::vector<UnitCountsRow>> ScreeningRepo::UnitCounts(const UnitCountsQuery& q) {
  // Keyed by community id (0 = unplaced, split by the batch's path).
  std::map<std::pair<std::int64_t, std::string>, UnitCountsRow> acc;
  auto row = [&](std::optional<std::int64_t> community, const std::string& path) -> UnitCountsRow& {
    auto key = std::make_pair(community.value_or(0), community ? std::string() : path);
    auto it = acc.find(key);
    if (it == acc.end()) {
      UnitCountsRow r;
      r.community_id = community;
      r.unit_path = path;
      it = acc.emplace(key, std::move(r)).first;
    }
    return it->second;
  };
  std::string batch_cond;
  Params p{Prefix(q.path_prefix)};
  if (q.batch_id) {
    p.push_back(*q.batch_id);
    batch_cond = " AND b.id = $2";
  }
  // Department rows: the matched child's community, else the file's; unplaced rows count for
  // batches uploaded inside the prefix. Done batches only (running ones have no match yet).
  TH_ASSIGN_OR_RETURN(
      auto recs,
      c_.Query("SELECT x.cid, x.upath, COUNT(*), SUM(CASE WHEN x.band = 'link' THEN 1 ELSE 0 END) FROM ("
               "SELECT COALESCE(c.community_id, r.community_id) AS cid, COALESCE(o.path, b.unit_path) AS upath, r.band "
               "AS band FROM batch_record r JOIN screening_batch b ON b.id = r.batch_id "
               "LEFT JOIN child c ON c.id = r.child_id "
               "LEFT JOIN org_unit o ON o.id = COALESCE(c.community_id, r.community_id) "
               "WHERE r.origin = 'department' AND b.status = 'done'" + batch_cond +
                   ") x WHERE x.upath LIKE $1 ESCAPE '\\' GROUP BY x.cid, x.upath",
               p));
  for (const auto& r : recs.rows) {
    auto& u = row(r.OptInt(0), r.Text(1));
    u.records += r.Int(2);
    u.matched += r.Int(3);
  }
  TH_ASSIGN_OR_RETURN(auto fs, c_.Query("SELECT f.community_id, f.unit_path, f.rule_id, f.status, f.roll_kind, COUNT(*) "
                                        "FROM finding f JOIN screening_batch b ON b.id = f.batch_id WHERE f.unit_path "
                                        "LIKE $1 ESCAPE '\\'" + batch_cond +
                                            " GROUP BY f.community_id, f.unit_path, f.rule_id, f.status, f.roll_kind",
                                        p));
  for (const auto& r : fs.rows) {
    AddFinding(row(r.OptInt(0), r.Text(1)).counts, r.Text(2), r.Text(3), r.Text(4), r.Int(5));
  }
  Params po = p;
  po.push_back(std::int64_t{q.today});
  TH_ASSIGN_OR_RETURN(auto od, c_.Query("SELECT t.community_id, t.unit_path, COUNT(*) FROM verification_task t JOIN "
                                        "finding f ON f.id = t.finding_id JOIN screening_batch b ON b.id = f.batch_id "
                                        "WHERE t.unit_path LIKE $1 ESCAPE '\\'" + batch_cond +
                                            " AND t.outcome = '' AND t.due_date < " + P(po.size()) +
                                            " GROUP BY t.community_id, t.unit_path",
                                        po));
  for (const auto& r : od.rows) row(r.OptInt(0), r.Text(1)).counts.overdue += r.Int(2);
  std::vector<UnitCountsRow> out;
  for (auto& [k, v] : acc) out.push_back(std::move(v));
  return out;
}

Status ScreeningRepo::InsertRow(BatchRow& b) {
  TH_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query("INSERT INTO batch_record (batch_id, line, name, sex, birth_date, id_enc, id_masked, father_name, "
               "mother_name, guardian_name, hukou_address, hukou_region_code, residence_address, community_id, "
               "school_name, disability_type, disability_grade, assistance, father_state, mother_state, child_id, band, "
               "probability, explanation, phone_enc, origin) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
               "$12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26) RETURNING id",
               {b.batch_id, b.line, b.name, b.sex, b.birth_date, BlobOrNull(b.id_enc), b.id_masked, b.father_name,
                b.mother_name, b.guardian_name, b.hukou_address, b.hukou_region_code, b.residence_address,
                OptInt(b.community_id), b.school_name, b.disability_type, b.disability_grade, b.assistance,
                b.father_state, b.mother_state, OptInt(b.child_id), b.band, OptDouble(b.probability),
                b.explanation, BlobOrNull(b.phone_enc), b.origin}));
  b.id = rows[0].Int(0);
  return Status::Ok();
}

Result<BatchRow> ScreeningRepo::GetRow(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows,
                      c_.Query(std::string("SELECT ") + kRowCols + " FROM batch_record WHERE id = $1", {id}));
  if (rows.empty()) return Status::NotFound("batch_record");
  return RowFrom(rows[0]);
}

Result<std::vector<BatchRow>> ScreeningRepo::Rows(std::int64_t batch_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kRowCols +
                                              " FROM batch_record WHERE batch_id = $1 AND origin = 'department' "
                                              "ORDER BY line, id",
                                          {batch_id}));
  std::vector<BatchRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows.rows) out.push_back(RowFrom(r));
  return out;
}

Status ScreeningRepo::SetRowMatch(const BatchRow& r) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE batch_record SET child_id = $1, band = $2, probability = $3, "
                                         "explanation = $4 WHERE id = $5",
                                         {OptInt(r.child_id), r.band, OptDouble(r.probability), r.explanation, r.id}));
  if (n == 0) return Status::NotFound("batch_record");
  return Status::Ok();
}

Status ScreeningRepo::InsertFinding(FindingRecord& f) {
  TH_ASSIGN_OR_RETURN(auto rows,
                      c_.Query("INSERT INTO finding (batch_id, rule_id, reason, record_id, child_id, community_id, "
                               "unit_path, status, roll_kind, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                               "$10) RETURNING id",
                               {f.batch_id, f.rule_id, f.reason, f.record_id, OptInt(f.child_id), OptInt(f.community_id),
                                f.unit_path, f.status, f.roll_kind, f.created_at}));
  f.id = rows[0].Int(0);
  return Status::Ok();
}

Result<FindingRecord> ScreeningRepo::GetFinding(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string(kFindingSelect) + "WHERE f.id = $1", {id}));
  if (rows.empty()) return Status::NotFound("finding");
  return FindingFrom(rows[0]);
}

Result<std::vector<FindingRecord>> ScreeningRepo::ListFindings(std::int64_t batch_id, const std::string& path_prefix,
                                                               const std::string& rule_id, const std::string& status,
                                                               const Page& page, std::int64_t* total) {
  Params p{batch_id, Prefix(path_prefix)};
  std::string where = "WHERE f.batch_id = $1 AND f.unit_path LIKE $2 ESCAPE '\\'";
  if (!rule_id.empty()) {
    p.push_back(rule_id);
    where += " AND f.rule_id = " + P(p.size());
  }
  if (!status.empty()) {
    p.push_back(status);
    where += " AND f.status = " + P(p.size());
  }
  TH_ASSIGN_OR_RETURN(auto cnt, c_.Query("SELECT COUNT(*) FROM finding f " + where, p));
  *total = cnt[0].Int(0);
  p.push_back(page.page_size);
  p.push_back(page.Offset());
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string(kFindingSelect) + where + " ORDER BY f.id LIMIT " +
                                              P(p.size() - 1) + " OFFSET " + P(p.size()),
                                          p));
  std::vector<FindingRecord> out;
  for (const auto& r : rows.rows) out.push_back(FindingFrom(r));
  return out;
}

Status ScreeningRepo::SetFindingStatus(std::int64_t id, const std::string& status, const std::string& roll_kind) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE finding SET status = $1, roll_kind = $2 WHERE id = $3",
                                         {status, roll_kind, id}));
  if (n == 0) return Status::NotFound("finding");
  return Status::Ok();
}

Status ScreeningRepo::LinkFindingChild(std::int64_t id, std::int64_t child_id) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE finding SET child_id = $1 WHERE id = $2", {child_id, id}));
  if (n == 0) return Status::NotFound("finding");
  return Status::Ok();
}

Status ScreeningRepo::InsertTask(TaskRecord& t) {
  TH_ASSIGN_OR_RETURN(auto rows,
                      c_.Query("INSERT INTO verification_task (finding_id, community_id, unit_path, due_date, outcome, "
                               "note, version, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                               {t.finding_id, OptInt(t.community_id), t.unit_path, std::int64_t{t.due_date}, t.outcome,
                                t.note, t.version, t.created_at}));
  t.id = rows[0].Int(0);
  return Status::Ok();
}

Result<TaskRecord> ScreeningRepo::GetTask(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string(kTaskSelect) + "WHERE t.id = $1", {id}));
  if (rows.empty()) return Status::NotFound("verification_task");
  return TaskFrom(rows[0]);
}

Result<std::vector<TaskRecord>> ScreeningRepo::ListTasks(const TaskQuery& q, const Page& page, std::int64_t* total) {
  Params p{Prefix(q.path_prefix)};
  std::string where = "WHERE t.unit_path LIKE $1 ESCAPE '\\'";
  if (q.open_only) where += " AND t.outcome = ''";
  if (q.done_only) where += " AND t.outcome <> ''";
  if (q.due_before > 0) {
    p.push_back(std::int64_t{q.due_before});
    where += " AND t.due_date < " + P(p.size());
  }
  TH_ASSIGN_OR_RETURN(auto cnt, c_.Query("SELECT COUNT(*) FROM verification_task t " + where, p));
  *total = cnt[0].Int(0);
  p.push_back(page.page_size);
  p.push_back(page.Offset());
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string(kTaskSelect) + where + " ORDER BY t.due_date, t.id LIMIT " +
                                              P(p.size() - 1) + " OFFSET " + P(p.size()),
                                          p));
  std::vector<TaskRecord> out;
  for (const auto& r : rows.rows) out.push_back(TaskFrom(r));
  return out;
}

Status ScreeningRepo::DecideTask(const TaskRecord& t) {
  TH_ASSIGN_OR_RETURN(auto n,
                      c_.Execute("UPDATE verification_task SET outcome = $1, note = $2, decided_by = $3, decided_at = $4, "
                                 "roll_request_id = $5, version = version + 1 WHERE id = $6 AND version = $7 AND "
                                 "outcome = ''",
                                 {t.outcome, t.note, OptInt(t.decided_by), OptInt(t.decided_at),
                                  OptInt(t.roll_request_id), t.id, t.version}));
  if (n == 0) {
    return Status::Error(Code::kConflict, "stale_version", "记录已被他人修改，请刷新后重试",
                         "The record was changed by someone else; reload and try again", "version");
  }
  return Status::Ok();
}

Result<std::vector<MatchChild>> ScreeningRepo::RegistryForMatching(const ChildScope& scope) {
  Params p;
  std::string cond = ScopeCondition(scope, "c", p);
  TH_ASSIGN_OR_RETURN(auto rows,
                      c_.Query("SELECT c.id, c.name, c.sex, c.birth_date, c.id_enc, c.guardian_name, "
                               "c.guardian_phone_enc, c.hukou_address, c.residence_address, c.community_id, "
                               "c.roll_status, c.disability_type, c.disability_grade, c.roll_categories, c.district_id, "
                               "c.street_id, c.school_stage FROM child c WHERE " +
                                   cond + " ORDER BY c.id",
                               p));
  std::vector<MatchChild> out;
  out.reserve(rows.size());
  std::map<std::int64_t, std::size_t> index;
  for (const auto& r : rows.rows) {
    MatchChild m;
    ChildRecord& c = m.child;
    c.id = r.Int(0);
    c.name = r.Text(1);
    c.sex = r.Text(2);
    c.birth_date = static_cast<std::int32_t>(r.Int(3));
    c.id_enc = r.Text(4);
    c.guardian_name = r.Text(5);
    c.guardian_phone_enc = r.Text(6);
    c.hukou_address = r.Text(7);
    c.residence_address = r.Text(8);
    c.community_id = r.Int(9);
    c.roll_status = r.Text(10);
    c.disability_type = r.Text(11);
    c.disability_grade = r.Int(12);
    c.roll_categories = r.Text(13);
    c.district_id = r.Int(14);
    c.street_id = r.Int(15);
    c.school_stage = r.Text(16);
    index[c.id] = out.size();
    out.push_back(std::move(m));
  }
  Params q;
  std::string cond2 = ScopeCondition(scope, "c", q);
  TH_ASSIGN_OR_RETURN(auto members, c_.Query("SELECT m.child_id, m.relation, m.name FROM family_member m JOIN child c "
                                             "ON c.id = m.child_id WHERE " +
                                                 cond2 + " AND m.relation IN ('father', 'mother')",
                                             q));
  for (const auto& r : members.rows) {
    auto it = index.find(r.Int(0));
    if (it == index.end()) continue;
    (r.Text(1) == "father" ? out[it->second].father_name : out[it->second].mother_name) = r.Text(2);
  }
  return out;
}

}  // namespace th::repo
