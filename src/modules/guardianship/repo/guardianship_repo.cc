#include "modules/guardianship/repo/guardianship_repo.h"

#include "platform/repo/sql_values.h"

namespace th::repo {

using storage::Params;
using storage::Row;
using storage::Value;

namespace {

std::string P(std::size_t n) { return "$" + std::to_string(n); }

constexpr const char* kSelect =
    "SELECT g.id, g.child_id, g.unit_id, g.unit_path, g.street_unit_id, g.district_unit_id, g.kind, g.status, "
    "g.grounds, g.reason, g.proposed_by, g.proposed_at, g.decided_by, g.decided_at, g.decision_note, "
    "g.placement_kind, g.placement_name, g.placement_contact, g.placement_phone, g.placement_address, g.placed_at, "
    "g.limit_at, g.return_assessment_id, g.returned_at, g.converted_at, g.ended_at, g.end_kind, g.end_note, "
    "g.created_at, g.updated_at, g.version, c.name, u.name "
    "FROM guardianship g JOIN child c ON c.id = g.child_id JOIN org_unit u ON u.id = g.unit_id";

constexpr const char* kOpenStatuses = "('proposed', 'approved', 'placed', 'active')";

GuardianshipRecord From(const Row& r) {
  GuardianshipRecord g;
  std::size_t i = 0;
  g.id = r.Int(i++);
  g.child_id = r.Int(i++);
  g.unit_id = r.Int(i++);
  g.unit_path = r.Text(i++);
  g.street_unit_id = r.Int(i++);
  g.district_unit_id = r.Int(i++);
  g.kind = r.Text(i++);
  g.status = r.Text(i++);
  g.grounds = r.Text(i++);
  g.reason = r.Text(i++);
  g.proposed_by = r.Int(i++);
  g.proposed_at = r.Int(i++);
  g.decided_by = r.OptInt(i++);
  g.decided_at = r.OptInt(i++);
  g.decision_note = r.Text(i++);
  g.placement_kind = r.Text(i++);
  g.placement_name = r.Text(i++);
  g.placement_contact = r.Text(i++);
  g.placement_phone = r.Text(i++);
  g.placement_address = r.Text(i++);
  g.placed_at = r.OptInt(i++);
  g.limit_at = r.OptInt(i++);
  g.return_assessment_id = r.OptInt(i++);
  g.returned_at = r.OptInt(i++);
  g.converted_at = r.OptInt(i++);
  g.ended_at = r.OptInt(i++);
  g.end_kind = r.Text(i++);
  g.end_note = r.Text(i++);
  g.created_at = r.Int(i++);
  g.updated_at = r.Int(i++);
  g.version = r.Int(i++);
  g.child_name = r.Text(i++);
  g.unit_name = r.Text(i++);
  return g;
}

}  // namespace

Status GuardianshipRepo::Insert(GuardianshipRecord& r) {
  TH_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query("INSERT INTO guardianship (child_id, unit_id, unit_path, street_unit_id, district_unit_id, kind, status, "
               "grounds, reason, proposed_by, proposed_at, decided_by, decided_at, decision_note, created_at, "
               "updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1) "
               "RETURNING id",
               {r.child_id, r.unit_id, r.unit_path, r.street_unit_id, r.district_unit_id, r.kind, r.status, r.grounds,
                r.reason, r.proposed_by, r.proposed_at, OptInt(r.decided_by), OptInt(r.decided_at), r.decision_note,
                r.created_at, r.updated_at}));
  if (rows.empty()) return Status::Internal("guardianship insert returned no id");
  r.id = rows[0].Int(0);
  r.version = 1;
  return Status::Ok();
}

Result<GuardianshipRecord> GuardianshipRepo::Get(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string(kSelect) + " WHERE g.id = $1", {id}));
  if (rows.empty()) return Status::NotFound("guardianship");
  return From(rows[0]);
}

Result<std::optional<GuardianshipRecord>> GuardianshipRepo::OpenOf(std::int64_t child_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string(kSelect) + " WHERE g.child_id = $1 AND g.status IN " +
                                              kOpenStatuses,
                                          {child_id}));
  if (rows.empty()) return std::optional<GuardianshipRecord>();
  return std::optional<GuardianshipRecord>(From(rows[0]));
}

Status GuardianshipRepo::Update(const GuardianshipRecord& r, std::int64_t version) {
  TH_ASSIGN_OR_RETURN(
      auto n,
      c_.Execute("UPDATE guardianship SET kind = $1, status = $2, grounds = $3, reason = $4, decided_by = $5, "
                 "decided_at = $6, decision_note = $7, placement_kind = $8, placement_name = $9, "
                 "placement_contact = $10, placement_phone = $11, placement_address = $12, placed_at = $13, "
                 "limit_at = $14, return_assessment_id = $15, returned_at = $16, converted_at = $17, ended_at = $18, "
                 "end_kind = $19, end_note = $20, updated_at = $21, version = version + 1 "
                 "WHERE id = $22 AND version = $23",
                 {r.kind, r.status, r.grounds, r.reason, OptInt(r.decided_by), OptInt(r.decided_at), r.decision_note,
                  r.placement_kind, r.placement_name, r.placement_contact, r.placement_phone, r.placement_address,
                  OptInt(r.placed_at), OptInt(r.limit_at), OptInt(r.return_assessment_id), OptInt(r.returned_at),
                  OptInt(r.converted_at), OptInt(r.ended_at), r.end_kind, r.end_note, r.updated_at, r.id, version}));
  if (n == 0) return Status::Stale();
  return Status::Ok();
}

Result<std::vector<GuardianshipRecord>> GuardianshipRepo::List(const GuardianshipFilter& f, const Page& page,
                                                               std::int64_t* total) {
  Params p;
  p.push_back(LikeEscape(f.path_prefix) + "%");
  std::string where = " WHERE g.unit_path LIKE $1 ESCAPE '\\'";
  if (!f.unit_prefix.empty()) {
    p.push_back(LikeEscape(f.unit_prefix) + "%");
    where += " AND g.unit_path LIKE " + P(p.size()) + " ESCAPE '\\'";
  }
  if (!f.kind.empty()) {
    p.push_back(f.kind);
    where += " AND g.kind = " + P(p.size());
  }
  if (!f.status.empty()) {
    p.push_back(f.status);
    where += " AND g.status = " + P(p.size());
  }
  if (f.open_only) where += std::string(" AND g.status IN ") + kOpenStatuses;
  if (f.child_id) {
    p.push_back(*f.child_id);
    where += " AND g.child_id = " + P(p.size());
  }
  if (!f.q.empty()) {
    p.push_back("%" + LikeEscape(f.q) + "%");
    where += " AND c.name LIKE " + P(p.size()) + " ESCAPE '\\'";
  }
  TH_ASSIGN_OR_RETURN(auto count,
                      c_.Query("SELECT COUNT(*) FROM guardianship g JOIN child c ON c.id = g.child_id" + where, p));
  *total = count.empty() ? 0 : count[0].Int(0);
  Params q = p;
  q.push_back(page.page_size);
  q.push_back(page.Offset());
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string(kSelect) + where + " ORDER BY g.id DESC LIMIT " +
                                              P(q.size() - 1) + " OFFSET " + P(q.size()),
                                          q));
  std::vector<GuardianshipRecord> out;
  for (const auto& r : rows.rows) out.push_back(From(r));
  return out;
}

Status GuardianshipRepo::AddEvent(GuardianshipEventRecord& e) {
  return TimelineRepo(c_, kGuardianshipTimeline).Add(e);
}

Result<std::vector<GuardianshipEventRecord>> GuardianshipRepo::Events(std::int64_t id) {
  return TimelineRepo(c_, kGuardianshipTimeline).List(id);
}

Status GuardianshipRepo::AddCheck(PlacementCheckRecord& r) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("INSERT INTO guardianship_placement_check (guardianship_id, checked_at, "
                                          "checked_by, child_state, notes, created_at) VALUES ($1, $2, $3, $4, $5, $6) "
                                          "RETURNING id",
                                          {r.guardianship_id, r.checked_at, r.checked_by, r.child_state, r.notes,
                                           r.created_at}));
  if (rows.empty()) return Status::Internal("placement check insert returned no id");
  r.id = rows[0].Int(0);
  return Status::Ok();
}

Result<std::vector<PlacementCheckRecord>> GuardianshipRepo::Checks(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT k.id, k.guardianship_id, k.checked_at, k.checked_by, k.child_state, "
                                          "k.notes, k.created_at, u.display_name FROM guardianship_placement_check k "
                                          "LEFT JOIN app_user u ON u.id = k.checked_by WHERE k.guardianship_id = $1 "
                                          "ORDER BY k.checked_at, k.id",
                                          {id}));
  std::vector<PlacementCheckRecord> out;
  for (const auto& r : rows.rows) {
    out.push_back({r.Int(0), r.Int(1), r.Int(2), r.Int(3), r.Text(4), r.Text(5), r.Int(6), r.Text(7)});
  }
  return out;
}

Result<std::vector<GuardianshipCountRow>> GuardianshipRepo::CountRows(const std::string& scope_prefix,
                                                                      std::int64_t from, std::int64_t to) {
  TH_ASSIGN_OR_RETURN(auto rows,
                      c_.Query(std::string("SELECT unit_path, kind, status, returned_at FROM guardianship "
                                           "WHERE unit_path LIKE $1 ESCAPE '\\' AND (status IN ") +
                                   kOpenStatuses + " OR (returned_at >= $2 AND returned_at < $3))",
                               {LikeEscape(scope_prefix) + "%", from, to}));
  std::vector<GuardianshipCountRow> out;
  for (const auto& r : rows.rows) out.push_back({r.Text(0), r.Text(1), r.Text(2), r.OptInt(3)});
  return out;
}

Status GuardianshipRepo::MoveChild(std::int64_t child_id, std::int64_t unit_id, std::int64_t street_id,
                                   std::int64_t district_id, const std::string& unit_path) {
  return c_.Execute("UPDATE guardianship SET unit_id = $1, street_unit_id = $2, district_unit_id = $3, unit_path = $4 "
                    "WHERE child_id = $5",
                    {unit_id, street_id, district_id, unit_path, child_id})
      .status();
}

Status GuardianshipRepo::MoveUnitPaths(const std::string& old_path, const std::string& new_path) {
  return c_.Execute("UPDATE guardianship SET unit_path = $1 || SUBSTR(unit_path, CAST($2 AS INTEGER)) "
                    "WHERE unit_path LIKE $3 ESCAPE '\\'",
                    {new_path, static_cast<std::int64_t>(old_path.size() + 1), LikeEscape(old_path) + "%"})
      .status();
}

Result<std::vector<GuardianshipRecord>> GuardianshipRepo::OpenUnits(const std::string& where, const Value& param) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT id, child_id, street_unit_id, district_unit_id FROM guardianship "
                                          "WHERE " + where + " AND status IN " + kOpenStatuses + " ORDER BY id",
                                          {param}));
  std::vector<GuardianshipRecord> out;
  for (const auto& r : rows.rows) {
    GuardianshipRecord g;
    g.id = r.Int(0);
    g.child_id = r.Int(1);
    g.street_unit_id = r.Int(2);
    g.district_unit_id = r.Int(3);
    out.push_back(std::move(g));
  }
  return out;
}

Result<std::vector<GuardianshipRecord>> GuardianshipRepo::RefreshUnitsUnder(const std::string& path) {
  const std::string under = LikeEscape(path) + "%";
  TH_RETURN_IF_ERROR(
      c_.Execute("UPDATE guardianship SET street_unit_id = (SELECT cm.parent_id FROM org_unit cm WHERE cm.id = "
                 "guardianship.unit_id), district_unit_id = (SELECT s.parent_id FROM org_unit s JOIN org_unit cm ON "
                 "cm.parent_id = s.id WHERE cm.id = guardianship.unit_id) WHERE unit_path LIKE $1 ESCAPE '\\'",
                 {under})
          .status());
  return OpenUnits("unit_path LIKE $1 ESCAPE '\\'", under);
}

Result<std::vector<GuardianshipRecord>> GuardianshipRepo::MoveGridChildren(std::int64_t grid_id) {
  const std::string of_grid = "child_id IN (SELECT id FROM child WHERE grid_id = $1)";
  TH_RETURN_IF_ERROR(
      c_.Execute("UPDATE guardianship SET "
                 "unit_id = (SELECT gr.parent_id FROM org_unit gr WHERE gr.id = $1), "
                 "unit_path = (SELECT cm.path FROM org_unit cm JOIN org_unit gr ON gr.parent_id = cm.id "
                 "WHERE gr.id = $1), "
                 "street_unit_id = (SELECT cm.parent_id FROM org_unit cm JOIN org_unit gr ON gr.parent_id = cm.id "
                 "WHERE gr.id = $1), "
                 "district_unit_id = (SELECT s.parent_id FROM org_unit s JOIN org_unit cm ON cm.parent_id = s.id "
                 "JOIN org_unit gr ON gr.parent_id = cm.id WHERE gr.id = $1) WHERE " + of_grid,
                 {grid_id})
          .status());
  return OpenUnits(of_grid, grid_id);
}

Result<std::vector<std::pair<std::int64_t, std::int64_t>>> GuardianshipRepo::CheckedChildrenOfGrid(
    std::int64_t grid_id) {
  TH_ASSIGN_OR_RETURN(auto rows,
                      c_.Query("SELECT c.id, cm.parent_id FROM child c JOIN org_unit gr ON gr.id = c.grid_id "
                               "JOIN org_unit cm ON cm.id = gr.parent_id WHERE c.grid_id = $1 AND c.id IN "
                               "(SELECT subject_id FROM work_item WHERE subject_type = 'guardianship_child' AND "
                               "kind = 'guardianship_check' AND is_open = 1) ORDER BY c.id",
                               {grid_id}));
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  for (const auto& r : rows.rows) out.emplace_back(r.Int(0), r.Int(1));
  return out;
}

Result<std::vector<std::pair<std::int64_t, std::int64_t>>> GuardianshipRepo::CheckedChildrenUnder(
    const std::string& path) {
  TH_ASSIGN_OR_RETURN(auto rows,
                      c_.Query("SELECT c.id, cm.parent_id FROM child c JOIN org_unit cm ON cm.id = c.community_id "
                               "WHERE cm.path LIKE $1 ESCAPE '\\' AND c.id IN (SELECT subject_id FROM work_item "
                               "WHERE subject_type = 'guardianship_child' AND kind = 'guardianship_check' AND "
                               "is_open = 1) ORDER BY c.id",
                               {LikeEscape(path) + "%"}));
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  for (const auto& r : rows.rows) out.emplace_back(r.Int(0), r.Int(1));
  return out;
}

}  // namespace th::repo
