#include "modules/plans/repo/plan_repo.h"

#include <map>

#include "platform/repo/sql_values.h"

namespace th::repo {

using storage::Params;
using storage::Row;

namespace {

// With the member and session counts (lists and single reads alike).
constexpr const char* kGroupSelect =
    "SELECT g.id, g.unit_id, g.unit_path, g.name, g.group_type, g.goal, g.facilitator, g.status, g.created_by, "
    "g.version, g.created_at, g.updated_at, "
    "(SELECT COUNT(*) FROM group_member m WHERE m.group_id = g.id), "
    "(SELECT COUNT(*) FROM group_session s WHERE s.group_id = g.id) FROM group_service g ";

GroupRecord GroupFrom(const Row& r) {
  GroupRecord g;
  std::size_t i = 0;
  g.id = r.Int(i++);
  g.unit_id = r.Int(i++);
  g.unit_path = r.Text(i++);
  g.name = r.Text(i++);
  g.group_type = r.Text(i++);
  g.goal = r.Text(i++);
  g.facilitator = r.Text(i++);
  g.status = r.Text(i++);
  g.created_by = r.OptInt(i++);
  g.version = r.Int(i++);
  g.created_at = r.Int(i++);
  g.updated_at = r.Int(i++);
  g.members = r.Int(i++);
  g.sessions = r.Int(i++);
  return g;
}

Result<std::vector<GroupRecord>> Groups(storage::Connection& c, const std::string& sql, const Params& p) {
  TH_ASSIGN_OR_RETURN(auto rows, c.Query(sql, p));
  std::vector<GroupRecord> out;
  for (const auto& r : rows.rows) out.push_back(GroupFrom(r));
  return out;
}

}  // namespace

Status GroupRepo::Insert(GroupRecord& g) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("INSERT INTO group_service (unit_id, unit_path, name, group_type, goal, "
                                          "facilitator, status, created_by, version, created_at, updated_at) VALUES "
                                          "($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9) RETURNING id",
                                          {g.unit_id, g.unit_path, g.name, g.group_type, g.goal, g.facilitator, g.status,
                                           OptInt(g.created_by), g.created_at}));
  g.id = rows[0].Int(0);
  g.version = 1;
  g.updated_at = g.created_at;
  return Status::Ok();
}

Result<GroupRecord> GroupRepo::Get(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto v, Groups(c_, std::string(kGroupSelect) + "WHERE g.id = $1", {id}));
  if (v.empty()) return Status::NotFound("group_service");
  return v[0];
}

Status GroupRepo::Update(GroupRecord& g, std::int64_t now) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE group_service SET name = $1, goal = $2, facilitator = $3, status = $4, "
                                         "version = version + 1, updated_at = $5 WHERE id = $6 AND version = $7",
                                         {g.name, g.goal, g.facilitator, g.status, now, g.id, g.version}));
  if (n == 0) {
    return Status::Error(Code::kConflict, "stale_version", "小组已被他人修改，请刷新后重试",
                         "The group was changed by someone else; reload and try again", "version");
  }
  ++g.version;
  g.updated_at = now;
  return Status::Ok();
}

Result<std::vector<GroupRecord>> GroupRepo::List(const std::string& prefix, const Page& page, std::int64_t* total) {
  const std::string like = LikeEscape(prefix) + "%";
  TH_ASSIGN_OR_RETURN(auto count,
                      c_.Query("SELECT COUNT(*) FROM group_service WHERE unit_path LIKE $1 ESCAPE '\\'", {like}));
  if (total) *total = count[0].Int(0);
  return Groups(c_, std::string(kGroupSelect) + "WHERE g.unit_path LIKE $1 ESCAPE '\\' ORDER BY g.id DESC LIMIT $2 OFFSET $3",
                {like, page.page_size, page.Offset()});
}

Result<std::vector<GroupRecord>> GroupRepo::ForCase(std::int64_t case_id) {
  const storage::Statement st = ForCaseStatement(case_id);
  return Groups(c_, st.sql, st.params);
}

storage::Statement GroupRepo::ForCaseStatement(std::int64_t case_id) {
  return {std::string(kGroupSelect) + "WHERE g.id IN (SELECT group_id FROM group_member WHERE case_id = $1) ORDER BY g.id",
          {case_id}};
}

std::vector<GroupRecord> GroupRepo::GroupsFrom(const storage::Rows& rows) {
  std::vector<GroupRecord> out;
  out.reserve(rows.size());
  for (const auto& r : rows.rows) out.push_back(GroupFrom(r));
  return out;
}

Status GroupRepo::AddMember(const GroupMemberRow& m) {
  return c_.Execute("INSERT INTO group_member (group_id, case_id, child_id, unit_path, joined_at) VALUES ($1, $2, $3, $4, $5)",
                    {m.group_id, m.case_id, m.child_id, m.unit_path, m.joined_at})
      .status();
}

Status GroupRepo::RemoveMember(std::int64_t group_id, std::int64_t case_id) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("DELETE FROM group_member WHERE group_id = $1 AND case_id = $2", {group_id, case_id}));
  if (n == 0) return Status::NotFound("group_member");
  return Status::Ok();
}

Result<std::vector<GroupMemberRow>> GroupRepo::Members(std::int64_t group_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT group_id, case_id, child_id, unit_path, joined_at FROM group_member "
                                          "WHERE group_id = $1 ORDER BY joined_at, case_id",
                                          {group_id}));
  std::vector<GroupMemberRow> out;
  for (const auto& r : rows.rows) out.push_back(GroupMemberRow{r.Int(0), r.Int(1), r.Int(2), r.Text(3), r.Int(4)});
  return out;
}

Status GroupRepo::InsertSession(GroupSessionRecord& s) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("INSERT INTO group_session (group_id, held_on, topic, content, duration_min, "
                                          "facilitator, outcome, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, "
                                          "$7, $8, $9) RETURNING id",
                                          {s.group_id, s.held_on, s.topic, s.content, s.duration_min, s.facilitator,
                                           s.outcome, OptInt(s.created_by), s.created_at}));
  s.id = rows[0].Int(0);
  for (auto case_id : s.attendees) {
    TH_RETURN_IF_ERROR(
        c_.Execute("INSERT INTO group_attendance (session_id, case_id) VALUES ($1, $2)", {s.id, case_id}).status());
  }
  return Status::Ok();
}

Result<std::vector<GroupSessionRecord>> GroupRepo::Sessions(std::int64_t group_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT id, group_id, held_on, topic, content, duration_min, facilitator, "
                                          "outcome, created_by, created_at FROM group_session WHERE group_id = $1 "
                                          "ORDER BY held_on DESC, id DESC",
                                          {group_id}));
  std::vector<GroupSessionRecord> out;
  std::map<std::int64_t, std::size_t> at;
  for (const auto& r : rows.rows) {
    at[r.Int(0)] = out.size();
    out.push_back(GroupSessionRecord{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5), r.Text(6),
                                     r.Text(7), r.OptInt(8), r.Int(9), {}});
  }
  TH_ASSIGN_OR_RETURN(auto att, c_.Query("SELECT a.session_id, a.case_id FROM group_attendance a JOIN group_session s ON "
                                         "s.id = a.session_id WHERE s.group_id = $1 ORDER BY a.case_id",
                                         {group_id}));
  for (const auto& r : att.rows) {
    auto it = at.find(r.Int(0));
    if (it != at.end()) out[it->second].attendees.push_back(r.Int(1));
  }
  return out;
}

}  // namespace th::repo
