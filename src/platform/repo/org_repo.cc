#include "platform/repo/org_repo.h"

#include "platform/repo/sql_values.h"

#include <string>

namespace th::repo {

using storage::Params;
using storage::Row;
using storage::Value;

namespace {

constexpr const char* kOrgCols =
    "o.id, o.parent_id, o.code, o.name, o.level, o.path, o.retired, o.version, o.created_at, o.updated_at";
// Children counted with a correlated subquery: unit lists are short (one level).
constexpr const char* kChildCount =
    "(SELECT COUNT(*) FROM org_unit k WHERE k.parent_id = o.id AND k.retired = 0)";

OrgUnit ReadOrg(const Row& r, bool with_count) {
  OrgUnit u;
  u.id = r.Int(0);
  u.parent_id = r.OptInt(1);
  u.code = r.Text(2);
  u.name = r.Text(3);
  u.level = r.Text(4);
  u.path = r.Text(5);
  u.retired = r.Int(6) != 0;
  u.version = r.Int(7);
  u.created_at = r.Int(8);
  u.updated_at = r.Int(9);
  if (with_count) u.child_count = r.Int(10);
  return u;
}

Status ExpectOneRow(Result<std::int64_t> changed) {
  if (!changed.ok()) return changed.status();
  if (*changed == 0) return Status::Stale();
  return Status::Ok();
}

constexpr const char* kAgencyCols =
    "a.id, a.org_unit_id, o.name, a.kind, a.dept_type, a.name, a.contact, a.phone, a.retired, a.version, "
    "a.created_at, a.updated_at";

Agency ReadAgency(const Row& r) {
  Agency a;
  a.id = r.Int(0);
  a.org_unit_id = r.Int(1);
  a.org_unit_name = r.Text(2);
  a.kind = r.Text(3);
  a.dept_type = r.Text(4);
  a.name = r.Text(5);
  a.contact = r.Text(6);
  a.phone = r.Text(7);
  a.retired = r.Int(8) != 0;
  a.version = r.Int(9);
  a.created_at = r.Int(10);
  a.updated_at = r.Int(11);
  return a;
}

}  // namespace

Result<OrgUnit> OrgRepo::Get(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kOrgCols + ", " + kChildCount +
                                              " FROM org_unit o WHERE o.id = $1",
                                          {id}));
  if (rows.empty()) return Status::NotFound("org_unit");
  return ReadOrg(rows[0], true);
}

Result<std::vector<std::string>> OrgRepo::PathNames(const std::string& path) {
  std::vector<std::int64_t> ids;
  std::string sql = "SELECT id, name FROM org_unit WHERE id IN (";
  Params params;
  for (std::size_t start = 1; start < path.size();) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) break;
    ids.push_back(std::stoll(path.substr(start, end - start)));
    params.push_back(ids.back());
    sql += (params.size() > 1 ? ", $" : "$") + std::to_string(params.size());
    start = end + 1;
  }
  std::vector<std::string> names;
  if (ids.empty()) return names;
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(sql + ")", params));
  names.reserve(ids.size());
  for (std::int64_t id : ids) {
    for (const Row& r : rows.rows) {
      if (r.Int(0) == id) {
        names.push_back(r.Text(1));
        break;
      }
    }
  }
  return names;
}

Result<std::string> OrgRepo::GetPath(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT path FROM org_unit WHERE id = $1", {id}));
  if (rows.empty()) return Status::NotFound("org_unit");
  return rows[0].Text(0);
}

Result<OrgUnit> OrgRepo::GetByCode(const std::string& code) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kOrgCols + ", " + kChildCount +
                                              " FROM org_unit o WHERE o.code = $1",
                                          {code}));
  if (rows.empty()) return Status::NotFound("org_unit");
  return ReadOrg(rows[0], true);
}

Result<std::optional<OrgUnit>> OrgRepo::DistrictOn(const std::string& path) {
  // The district is the unit on `path` whose own path is a prefix of it: at most a handful of rows.
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kOrgCols +
                                              " FROM org_unit o WHERE o.level = 'district' AND "
                                              "$1 LIKE o.path || '%' ORDER BY LENGTH(o.path) DESC LIMIT 1",
                                          {path}));
  if (rows.empty()) return std::optional<OrgUnit>();
  return std::optional<OrgUnit>(ReadOrg(rows[0], false));
}

Result<std::optional<OrgUnit>> OrgRepo::FirstDistrict() {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kOrgCols +
                                          " FROM org_unit o WHERE o.level = 'district' AND o.retired = 0 "
                                          "ORDER BY o.code LIMIT 1"));
  if (rows.empty()) return std::optional<OrgUnit>();
  return std::optional<OrgUnit>(ReadOrg(rows[0], false));
}

Result<std::vector<OrgUnit>> OrgRepo::ListChildren(std::int64_t parent_id, bool include_retired) {
  std::string sql = std::string("SELECT ") + kOrgCols + ", " + kChildCount +
                    " FROM org_unit o WHERE o.parent_id = $1";
  if (!include_retired) sql += " AND o.retired = 0";
  sql += " ORDER BY o.code";
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(sql, {parent_id}));
  std::vector<OrgUnit> out;
  out.reserve(rows.size());
  for (const Row& r : rows.rows) out.push_back(ReadOrg(r, true));
  return out;
}

Result<std::vector<OrgUnit>> OrgRepo::Search(const std::string& path_prefix, const std::string& q,
                                             const Page& page, std::int64_t* total) {
  std::string where = " FROM org_unit o WHERE o.path LIKE $1 AND (o.name LIKE $2 ESCAPE '\\' OR o.code LIKE $2 ESCAPE '\\')";
  Params p{path_prefix + "%", "%" + LikeEscape(q) + "%"};
  TH_ASSIGN_OR_RETURN(auto count, c_.Query("SELECT COUNT(*)" + where, p));
  *total = count[0].Int(0);
  p.push_back(page.page_size);
  p.push_back(page.Offset());
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kOrgCols + ", " + kChildCount + where +
                                              " ORDER BY o.path LIMIT $3 OFFSET $4",
                                          p));
  std::vector<OrgUnit> out;
  for (const Row& r : rows.rows) out.push_back(ReadOrg(r, true));
  return out;
}

Result<std::vector<OrgUnit>> OrgRepo::ListSubtree(const std::string& path_prefix) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kOrgCols +
                                              " FROM org_unit o WHERE o.path LIKE $1 ORDER BY o.path",
                                          {path_prefix + "%"}));
  std::vector<OrgUnit> out;
  for (const Row& r : rows.rows) out.push_back(ReadOrg(r, false));
  return out;
}

Status OrgRepo::Insert(OrgUnit& u) {
  // The path needs the new id, so insert with a placeholder path and fix it up.
  TH_ASSIGN_OR_RETURN(auto rows,
                      c_.Query("INSERT INTO org_unit (parent_id, code, name, level, path, retired, version, "
                               "created_at, updated_at) VALUES ($1, $2, $3, $4, '', 0, 1, $5, $5) RETURNING id",
                               {OptInt(u.parent_id), u.code, u.name, u.level, u.created_at}));
  u.id = rows[0].Int(0);
  std::string parent_path = "/";
  if (u.parent_id) {
    TH_ASSIGN_OR_RETURN(auto p, c_.Query("SELECT path FROM org_unit WHERE id = $1", {*u.parent_id}));
    if (p.empty()) return Status::NotFound("parent_id");
    parent_path = p[0].Text(0);
  }
  u.path = parent_path + std::to_string(u.id) + "/";
  u.version = 1;
  u.updated_at = u.created_at;
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE org_unit SET path = $1 WHERE id = $2", {u.path, u.id}));
  (void)n;
  return Status::Ok();
}

Status OrgRepo::Rename(std::int64_t id, const std::string& name, std::int64_t version, std::int64_t now) {
  return ExpectOneRow(c_.Execute(
      "UPDATE org_unit SET name = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4",
      {name, now, id, version}));
}

Status OrgRepo::Move(const OrgUnit& unit, const OrgUnit& new_parent, std::int64_t version, std::int64_t now) {
  TH_RETURN_IF_ERROR(ExpectOneRow(c_.Execute(
      "UPDATE org_unit SET parent_id = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4",
      {new_parent.id, now, unit.id, version})));
  std::string new_path = new_parent.path + std::to_string(unit.id) + "/";
  // Rewrite the prefix of every path in the subtree (the unit included).
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE org_unit SET path = $1 || SUBSTR(path, $2) WHERE path LIKE $3",
                                         {new_path, static_cast<std::int64_t>(unit.path.size() + 1),
                                          unit.path + "%"}));
  (void)n;
  return Status::Ok();
}

Status OrgRepo::Retire(std::int64_t id, std::int64_t version, std::int64_t now) {
  return ExpectOneRow(c_.Execute(
      "UPDATE org_unit SET retired = 1, version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3",
      {now, id, version}));
}

Result<std::int64_t> OrgRepo::CountActiveChildren(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows,
                      c_.Query("SELECT COUNT(*) FROM org_unit WHERE parent_id = $1 AND retired = 0", {id}));
  return rows[0].Int(0);
}

Result<std::int64_t> OrgRepo::CountActiveUsers(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows,
                      c_.Query("SELECT COUNT(*) FROM app_user WHERE org_unit_id = $1 AND disabled = 0", {id}));
  return rows[0].Int(0);
}

Result<Agency> OrgRepo::GetAgency(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kAgencyCols +
                                              " FROM agency a JOIN org_unit o ON o.id = a.org_unit_id WHERE a.id = $1",
                                          {id}));
  if (rows.empty()) return Status::NotFound("agency");
  return ReadAgency(rows[0]);
}

Result<std::vector<Agency>> OrgRepo::ListAgencies(const std::string& path_prefix,
                                                  std::optional<std::int64_t> unit, const std::string& kind,
                                                  const Page& page, std::int64_t* total) {
  std::string where = " FROM agency a JOIN org_unit o ON o.id = a.org_unit_id WHERE o.path LIKE $1";
  Params p{path_prefix + "%"};
  if (unit) {
    p.push_back(*unit);
    where += " AND a.org_unit_id = $" + std::to_string(p.size());
  }
  if (!kind.empty()) {
    p.push_back(kind);
    where += " AND a.kind = $" + std::to_string(p.size());
  }
  TH_ASSIGN_OR_RETURN(auto count, c_.Query("SELECT COUNT(*)" + where, p));
  *total = count[0].Int(0);
  p.push_back(page.page_size);
  p.push_back(page.Offset());
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kAgencyCols + where +
                                              " ORDER BY o.path, a.kind, a.name LIMIT $" +
                                              std::to_string(p.size() - 1) + " OFFSET $" +
                                              std::to_string(p.size()),
                                          p));
  std::vector<Agency> out;
  for (const Row& r : rows.rows) out.push_back(ReadAgency(r));
  return out;
}

Status OrgRepo::InsertAgency(Agency& a) {
  TH_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query("INSERT INTO agency (org_unit_id, kind, dept_type, name, contact, phone, retired, version, "
               "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, 1, $7, $7) RETURNING id",
               {a.org_unit_id, a.kind, TextOrNull(a.dept_type), a.name, TextOrNull(a.contact),
                TextOrNull(a.phone), a.created_at}));
  a.id = rows[0].Int(0);
  a.version = 1;
  a.updated_at = a.created_at;
  return Status::Ok();
}

Status OrgRepo::UpdateAgency(const Agency& a, std::int64_t now) {
  return ExpectOneRow(c_.Execute(
      "UPDATE agency SET kind = $1, dept_type = $2, name = $3, contact = $4, phone = $5, org_unit_id = $6, "
      "version = version + 1, updated_at = $7 WHERE id = $8 AND version = $9",
      {a.kind, TextOrNull(a.dept_type), a.name, TextOrNull(a.contact), TextOrNull(a.phone), a.org_unit_id, now,
       a.id, a.version}));
}

Status OrgRepo::RetireAgency(std::int64_t id, std::int64_t version, std::int64_t now) {
  return ExpectOneRow(c_.Execute(
      "UPDATE agency SET retired = 1, version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3",
      {now, id, version}));
}

}  // namespace th::repo
