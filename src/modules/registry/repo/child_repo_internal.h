#pragma once
// Helpers shared by the registry repository's files (child_repo.cc, child_search_repo.cc,
// child_roll_repo.cc, child_bulk_writer.cc): row <-> record mapping and the child SELECT list.
// Internal to th_registry_repo.
#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <type_traits>
#include <unordered_map>

#include "modules/registry/repo/child_repo.h"
#include "platform/repo/jurisdiction_repo.h"

namespace th::repo::child_repo_internal {

using storage::Blob;
using storage::Params;
using storage::Row;
using storage::Value;

// Column order shared by Insert, Update and ReadChild (id first, then these).
inline constexpr const char* kChildCols[] = {
    "household_id", "name", "former_names", "sex", "ethnicity", "birth_date", "id_enc", "id_bidx", "id_masked",
    "no_id_reason", "hukou_registered", "hukou_region_code", "hukou_nature", "hukou_address", "district_id",
    "street_id", "community_id", "grid_id", "residence_address", "resident_since", "school_name", "school_stage",
    "boarding", "health", "disability_type", "disability_grade", "illness", "flow_status", "assistance",
    "parents_not_findable", "director_user_id", "notes", "guardian_name", "guardian_relation",
    "guardian_relation_note", "guardian_member_id", "guardian_phone_enc", "guardian_phone_bidx",
    "guardian_phone_masked", "guardian_id_enc", "guardian_id_masked", "guardian_agreement_date", "categories",
    "next_change_date", "roll_status", "roll_categories", "roll_entered_on", "roll_exited_on", "version",
    "created_at", "created_by", "updated_at", "updated_by"};
inline constexpr std::size_t kNumChildCols = sizeof(kChildCols) / sizeof(kChildCols[0]);
// A search posting's columns (migration 0007), in the order the inserts give them.
inline constexpr const char* kPostingCols =
    "token, child_id, own, district_id, street_id, community_id, grid_id, updated_at, birth_date";

inline Value Opt(const std::optional<std::int64_t>& v) { return v ? Value(*v) : storage::Null(); }
inline Value BlobOrNull(const std::string& s) { return s.empty() ? storage::Null() : Value(Blob{s}); }
inline Value TextOrNull(const std::string& s) { return s.empty() ? storage::Null() : Value(s); }
inline Value I(std::int64_t v) { return Value(v); }

inline Params ChildParams(const ChildRecord& r) {
  return {r.household_id, r.name, r.former_names, r.sex, r.ethnicity, I(r.birth_date), BlobOrNull(r.id_enc),
          TextOrNull(r.id_bidx), r.id_masked, r.no_id_reason, I(r.hukou_registered), r.hukou_region_code,
          r.hukou_nature, r.hukou_address, r.district_id, r.street_id, r.community_id, Opt(r.grid_id),
          r.residence_address, I(r.resident_since), r.school_name, r.school_stage, I(r.boarding), r.health,
          r.disability_type, r.disability_grade, r.illness, r.flow_status, r.assistance, I(r.parents_not_findable),
          Opt(r.director_user_id), r.notes, r.guardian_name, r.guardian_relation, r.guardian_relation_note,
          Opt(r.guardian_member_id), BlobOrNull(r.guardian_phone_enc), TextOrNull(r.guardian_phone_bidx),
          r.guardian_phone_masked, BlobOrNull(r.guardian_id_enc), r.guardian_id_masked,
          I(r.guardian_agreement_date), r.categories, I(r.next_change_date), r.roll_status, r.roll_categories,
          I(r.roll_entered_on), I(r.roll_exited_on), r.version, r.created_at, Opt(r.created_by), r.updated_at,
          Opt(r.updated_by)};
}

// How a child query gets the unit and user names that ChildRecord carries (the community's code is
// also the residence region the category rules compare with the hukou): joined (the query's FROM),
// or probed (scalar subqueries, for one child: PostgreSQL's generic plan for the joins hashes the
// small org_unit table twice per execution, about 10 % of a one-row read, while for a page of 20
// rows the joins were 20 % cheaper than 140 probes).
enum class Names { kJoined, kProbed };

inline std::string SelectFrom(Names names) {
  std::string s = "SELECT c.id";
  for (const char* col : kChildCols) {
    s += ", c.";
    s += col;
  }
  if (names == Names::kJoined) {
    return s + ", st.name, cm.name, cm.code, cm.path, gr.name, du.display_name, cu.display_name, c.risk_grade, "
               "c.risk_graded_at FROM child c "
               "JOIN org_unit st ON st.id = c.street_id JOIN org_unit cm ON cm.id = c.community_id LEFT JOIN "
               "org_unit gr ON gr.id = c.grid_id LEFT JOIN app_user du ON du.id = c.director_user_id LEFT JOIN "
               "app_user cu ON cu.id = c.created_by";
  }
  return s + ", (SELECT name FROM org_unit WHERE id = c.street_id), (SELECT name FROM org_unit WHERE id = "
             "c.community_id), (SELECT code FROM org_unit WHERE id = c.community_id), (SELECT path FROM org_unit "
             "WHERE id = c.community_id), (SELECT name FROM org_unit WHERE id = c.grid_id), (SELECT display_name "
             "FROM app_user WHERE id = c.director_user_id), (SELECT display_name FROM app_user WHERE id = "
             "c.created_by), c.risk_grade, c.risk_graded_at FROM child c";
}

inline ChildRecord ReadChild(const Row& row) {
  ChildRecord r;
  std::size_t i = 0;
  r.id = row.Int(i++);
  r.household_id = row.Text(i++);
  r.name = row.Text(i++);
  r.former_names = row.Text(i++);
  r.sex = row.Text(i++);
  r.ethnicity = row.Text(i++);
  r.birth_date = static_cast<std::int32_t>(row.Int(i++));
  r.id_enc = row.Text(i++);
  r.id_bidx = row.Text(i++);
  r.id_masked = row.Text(i++);
  r.no_id_reason = row.Text(i++);
  r.hukou_registered = row.Int(i++) != 0;
  r.hukou_region_code = row.Text(i++);
  r.hukou_nature = row.Text(i++);
  r.hukou_address = row.Text(i++);
  r.district_id = row.Int(i++);
  r.street_id = row.Int(i++);
  r.community_id = row.Int(i++);
  r.grid_id = row.OptInt(i++);
  r.residence_address = row.Text(i++);
  r.resident_since = static_cast<std::int32_t>(row.Int(i++));
  r.school_name = row.Text(i++);
  r.school_stage = row.Text(i++);
  r.boarding = row.Int(i++) != 0;
  r.health = row.Text(i++);
  r.disability_type = row.Text(i++);
  r.disability_grade = row.Int(i++);
  r.illness = row.Text(i++);
  r.flow_status = row.Text(i++);
  r.assistance = row.Int(i++);
  r.parents_not_findable = row.Int(i++) != 0;
  r.director_user_id = row.OptInt(i++);
  r.notes = row.Text(i++);
  r.guardian_name = row.Text(i++);
  r.guardian_relation = row.Text(i++);
  r.guardian_relation_note = row.Text(i++);
  r.guardian_member_id = row.OptInt(i++);
  r.guardian_phone_enc = row.Text(i++);
  r.guardian_phone_bidx = row.Text(i++);
  r.guardian_phone_masked = row.Text(i++);
  r.guardian_id_enc = row.Text(i++);
  r.guardian_id_masked = row.Text(i++);
  r.guardian_agreement_date = static_cast<std::int32_t>(row.Int(i++));
  r.categories = row.Text(i++);
  r.next_change_date = static_cast<std::int32_t>(row.Int(i++));
  r.roll_status = row.Text(i++);
  r.roll_categories = row.Text(i++);
  r.roll_entered_on = static_cast<std::int32_t>(row.Int(i++));
  r.roll_exited_on = static_cast<std::int32_t>(row.Int(i++));
  r.version = row.Int(i++);
  r.created_at = row.Int(i++);
  r.created_by = row.OptInt(i++);
  r.updated_at = row.Int(i++);
  r.updated_by = row.OptInt(i++);
  r.street_name = row.Text(i++);
  r.community_name = row.Text(i++);
  r.community_code = row.Text(i++);
  r.community_path = row.Text(i++);
  r.grid_name = row.Text(i++);
  r.director_name = row.Text(i++);
  r.created_by_name = row.Text(i++);
  r.risk_grade = row.Text(i++);
  r.risk_graded_at = row.OptInt(i++);
  return r;
}

inline std::string P(std::size_t n) { return "$" + std::to_string(n); }

inline constexpr const char* kCategorySelect =
    "SELECT k.child_id, k.code, k.outcome, k.rule_id, k.reason, k.met_since, k.ends_on, k.next_change, k.met, "
    "k.override_met, k.override_reason, k.override_by, k.override_at, u.display_name FROM child_category k "
    "LEFT JOIN app_user u ON u.id = k.override_by ";

inline CategoryRecord ReadCategory(const Row& r) {
  CategoryRecord k;
  k.child_id = r.Int(0);
  k.code = r.Text(1);
  k.outcome = r.Text(2);
  k.rule_id = r.Text(3);
  k.reason = r.Text(4);
  k.met_since = static_cast<std::int32_t>(r.Int(5));
  k.ends_on = static_cast<std::int32_t>(r.Int(6));
  k.next_change = static_cast<std::int32_t>(r.Int(7));
  k.met = r.Int(8) != 0;
  if (!r.IsNull(9)) k.override_met = r.Int(9) != 0;
  k.override_reason = r.Text(10);
  k.override_by = r.OptInt(11);
  k.override_at = r.OptInt(12);
  k.override_by_name = r.Text(13);
  return k;
}

inline Result<std::vector<ChildRecord>> QueryChildren(storage::Connection& c, const std::string& where, const Params& p,
                                               Names names = Names::kJoined) {
  TH_ASSIGN_OR_RETURN(auto rows, c.Query(SelectFrom(names) + " WHERE " + where, p));
  std::vector<ChildRecord> out;
  out.reserve(rows.size());
  for (const Row& r : rows.rows) out.push_back(ReadChild(r));
  return out;
}

inline constexpr const char* kMemberCols =
    "id, child_id, position, relation, name, id_enc, id_bidx, id_masked, phone_enc, phone_bidx, phone_masked, state, "
    "state_since, restriction_months, disability_type, disability_grade, illness, work_city, work_region_code, "
    "works_outside, lives_with_child";

inline Params MemberParams(const MemberRecord& m) {
  return {m.child_id,       m.position,           m.relation,         m.name,
          BlobOrNull(m.id_enc), TextOrNull(m.id_bidx), m.id_masked,    BlobOrNull(m.phone_enc),
          TextOrNull(m.phone_bidx), m.phone_masked, m.state,            I(m.state_since),
          m.restriction_months, m.disability_type,  m.disability_grade, m.illness,
          m.work_city,      m.work_region_code,   m.works_outside,    I(m.lives_with_child)};
}

inline MemberRecord ReadMember(const Row& row) {
  MemberRecord m;
  std::size_t i = 0;
  m.id = row.Int(i++);
  m.child_id = row.Int(i++);
  m.position = row.Int(i++);
  m.relation = row.Text(i++);
  m.name = row.Text(i++);
  m.id_enc = row.Text(i++);
  m.id_bidx = row.Text(i++);
  m.id_masked = row.Text(i++);
  m.phone_enc = row.Text(i++);
  m.phone_bidx = row.Text(i++);
  m.phone_masked = row.Text(i++);
  m.state = row.Text(i++);
  m.state_since = static_cast<std::int32_t>(row.Int(i++));
  m.restriction_months = row.Int(i++);
  m.disability_type = row.Text(i++);
  m.disability_grade = row.Int(i++);
  m.illness = row.Text(i++);
  m.work_city = row.Text(i++);
  m.work_region_code = row.Text(i++);
  m.works_outside = row.Text(i++);
  m.lives_with_child = row.Int(i++) != 0;
  return m;
}

inline constexpr const char* kRequestCols =
    "r.id, r.child_id, c.district_id, c.street_id, c.community_id, r.kind, r.category, r.reason, r.evidence, "
    "r.status, r.prior_roll_status, r.proposed_by, r.proposed_at, r.version, r.updated_at, c.name, cm.name, "
    "u.display_name, c.grid_id, r.rule_outcome, r.rule_reason";
// A request's jurisdiction is its child's, read at read time (a child or unit that moves takes
// its requests along; the request's own copies are kept in step by JurisdictionRepo).
inline constexpr const char* kRequestJoins =
    " FROM roll_request r JOIN child c ON c.id = r.child_id JOIN org_unit cm ON cm.id = c.community_id"
    " LEFT JOIN app_user u ON u.id = r.proposed_by";

inline RollRequestRecord ReadRequest(const Row& row) {
  RollRequestRecord r;
  std::size_t i = 0;
  r.id = row.Int(i++);
  r.child_id = row.Int(i++);
  r.district_id = row.Int(i++);
  r.street_id = row.Int(i++);
  r.community_id = row.Int(i++);
  r.kind = row.Text(i++);
  r.category = row.Text(i++);
  r.reason = row.Text(i++);
  r.evidence = row.Text(i++);
  r.status = row.Text(i++);
  r.prior_roll_status = row.Text(i++);
  r.proposed_by = row.Int(i++);
  r.proposed_at = row.Int(i++);
  r.version = row.Int(i++);
  r.updated_at = row.Int(i++);
  r.child_name = row.Text(i++);
  r.community_name = row.Text(i++);
  r.proposed_by_name = row.Text(i++);
  if (!row.IsNull(i)) r.grid_id = row.Int(i);
  ++i;
  r.rule_outcome = row.Text(i++);
  r.rule_reason = row.Text(i++);
  return r;
}

}  // namespace th::repo::child_repo_internal
