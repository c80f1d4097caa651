// ChildRepo: roll requests and their steps.
#include "modules/registry/repo/child_repo_internal.h"

namespace th::repo {

using namespace child_repo_internal;  // NOLINT: this file is part of the registry repository

Status ChildRepo::InsertRequest(RollRequestRecord& r) {
  TH_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query("INSERT INTO roll_request (child_id, district_id, street_id, community_id, kind, category, reason, "
               "evidence, status, prior_roll_status, proposed_by, proposed_at, version, updated_at, rule_outcome, "
               "rule_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $12, $13, $14) RETURNING id",
               {r.child_id, r.district_id, r.street_id, r.community_id, r.kind, r.category, r.reason, r.evidence,
                r.status, r.prior_roll_status, r.proposed_by, r.proposed_at, r.rule_outcome, r.rule_reason}));
  r.id = rows[0].Int(0);
  r.version = 1;
  r.updated_at = r.proposed_at;
  return Status::Ok();
}

Result<RollRequestRecord> ChildRepo::GetRequest(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kRequestCols + kRequestJoins + " WHERE r.id = $1",
                                          {id}));
  if (rows.empty()) return Status::NotFound("roll_request");
  return ReadRequest(rows[0]);
}

Status ChildRepo::SetRequestStatus(std::int64_t id, const std::string& status, std::int64_t version,
                                   std::int64_t now) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE roll_request SET status = $1, version = version + 1, updated_at = $2 "
                                         "WHERE id = $3 AND version = $4",
                                         {status, now, id, version}));
  if (n == 0) return Status::Stale();
  return Status::Ok();
}

Result<std::optional<std::int64_t>> ChildRepo::OpenRequestIdFor(std::int64_t child_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT id FROM roll_request WHERE child_id = $1 AND status IN "
                                          "('pending_review', 'pending_confirm') ORDER BY id DESC LIMIT 1",
                                          {child_id}));
  if (rows.empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(rows[0].Int(0));
}

Result<std::vector<RollRequestRecord>> ChildRepo::ListRequests(const RollQuery& q, const Page& page,
                                                               std::int64_t* total) {
  Params p;
  std::string where = ScopeCondition(q.scope, "c", p);
  if (q.proposed_by) {
    p.push_back(*q.proposed_by);
    where += " AND r.proposed_by = " + P(p.size());
  }
  if (!q.status.empty()) {
    p.push_back(q.status);
    where += " AND r.status = " + P(p.size());
  }
  TH_ASSIGN_OR_RETURN(auto cnt, c_.Query("SELECT COUNT(*) FROM roll_request r JOIN child c ON c.id = r.child_id WHERE " +
                                              where,
                                          p));
  *total = cnt[0].Int(0);
  p.push_back(page.page_size);
  p.push_back(page.Offset());
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kRequestCols + kRequestJoins + " WHERE " + where +
                                              " ORDER BY r.updated_at DESC, r.id DESC LIMIT " + P(p.size() - 1) +
                                              " OFFSET " + P(p.size()),
                                          p));
  std::vector<RollRequestRecord> out;
  for (const Row& r : rows.rows) out.push_back(ReadRequest(r));
  return out;
}

Status ChildRepo::InsertStep(RollStepRecord& s) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("INSERT INTO roll_step (request_id, action, by_user_id, by_name, at, note) "
                                          "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                                          {s.request_id, s.action, Opt(s.by_user_id), s.by_name, s.at, s.note}));
  s.id = rows[0].Int(0);
  return Status::Ok();
}

Result<std::vector<RollStepRecord>> ChildRepo::Steps(std::int64_t request_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT id, request_id, action, by_user_id, by_name, at, note FROM roll_step "
                                          "WHERE request_id = $1 ORDER BY id",
                                          {request_id}));
  std::vector<RollStepRecord> out;
  for (const Row& r : rows.rows) {
    RollStepRecord s;
    s.id = r.Int(0);
    s.request_id = r.Int(1);
    s.action = r.Text(2);
    s.by_user_id = r.OptInt(3);
    s.by_name = r.Text(4);
    s.at = r.Int(5);
    s.note = r.Text(6);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace th::repo
