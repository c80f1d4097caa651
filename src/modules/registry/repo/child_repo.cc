#include "modules/registry/repo/child_repo.h"

#include "platform/repo/jurisdiction_repo.h"

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <type_traits>
#include <unordered_map>

namespace th::repo {

using storage::Blob;
using storage::Params;
using storage::Row;
using storage::Value;

namespace {

// Column order shared by Insert, Update and ReadChild (id first, then these).
constexpr const char* kChildCols[] = {
    "household_id", "name", "former_names", "sex", "ethnicity", "birth_date", "id_enc", "id_bidx", "id_masked",
    "no_id_reason", "hukou_registered", "hukou_region_code", "hukou_nature", "hukou_address", "district_id",
    "street_id", "community_id", "grid_id", "residence_address", "resident_since", "school_name", "school_stage",
    "boarding", "health", "disability_type", "disability_grade", "illness", "flow_status", "assistance",
    "parents_not_findable", "director_user_id", "notes", "guardian_name", "guardian_relation",
    "guardian_relation_note", "guardian_member_id", "guardian_phone_enc", "guardian_phone_bidx",
    "guardian_phone_masked", "guardian_id_enc", "guardian_id_masked", "guardian_agreement_date", "categories",
    "next_change_date", "roll_status", "roll_categories", "roll_entered_on", "roll_exited_on", "version",
    "created_at", "created_by", "updated_at", "updated_by"};
constexpr std::size_t kNumChildCols = sizeof(kChildCols) / sizeof(kChildCols[0]);
// A search posting's columns (migration 0007), in the order the inserts give them.
constexpr const char* kPostingCols =
    "token, child_id, own, district_id, street_id, community_id, grid_id, updated_at, birth_date";

Value Opt(const std::optional<std::int64_t>& v) { return v ? Value(*v) : storage::Null(); }
Value BlobOrNull(const std::string& s) { return s.empty() ? storage::Null() : Value(Blob{s}); }
Value TextOrNull(const std::string& s) { return s.empty() ? storage::Null() : Value(s); }
Value I(std::int64_t v) { return Value(v); }

Params ChildParams(const ChildRecord& r) {
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

std::string SelectFrom(Names names) {
  std::string s = "SELECT c.id";
  for (const char* col : kChildCols) {
    s += ", c.";
    s += col;
  }
  if (names == Names::kJoined) {
    return s + ", st.name, cm.name, cm.code, cm.path, gr.name, du.display_name, cu.display_name FROM child c "
               "JOIN org_unit st ON st.id = c.street_id JOIN org_unit cm ON cm.id = c.community_id LEFT JOIN "
               "org_unit gr ON gr.id = c.grid_id LEFT JOIN app_user du ON du.id = c.director_user_id LEFT JOIN "
               "app_user cu ON cu.id = c.created_by";
  }
  return s + ", (SELECT name FROM org_unit WHERE id = c.street_id), (SELECT name FROM org_unit WHERE id = "
             "c.community_id), (SELECT code FROM org_unit WHERE id = c.community_id), (SELECT path FROM org_unit "
             "WHERE id = c.community_id), (SELECT name FROM org_unit WHERE id = c.grid_id), (SELECT display_name "
             "FROM app_user WHERE id = c.director_user_id), (SELECT display_name FROM app_user WHERE id = "
             "c.created_by) FROM child c";
}

ChildRecord ReadChild(const Row& row) {
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
  return r;
}

std::string P(std::size_t n) { return "$" + std::to_string(n); }

constexpr const char* kCategorySelect =
    "SELECT k.child_id, k.code, k.outcome, k.rule_id, k.reason, k.met_since, k.ends_on, k.next_change, k.met, "
    "k.override_met, k.override_reason, k.override_by, k.override_at, u.display_name FROM child_category k "
    "LEFT JOIN app_user u ON u.id = k.override_by ";

CategoryRecord ReadCategory(const Row& r) {
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

Result<std::vector<ChildRecord>> QueryChildren(storage::Connection& c, const std::string& where, const Params& p,
                                               Names names = Names::kJoined) {
  TH_ASSIGN_OR_RETURN(auto rows, c.Query(SelectFrom(names) + " WHERE " + where, p));
  std::vector<ChildRecord> out;
  out.reserve(rows.size());
  for (const Row& r : rows.rows) out.push_back(ReadChild(r));
  return out;
}

constexpr const char* kMemberCols =
    "id, child_id, position, relation, name, id_enc, id_bidx, id_masked, phone_enc, phone_bidx, phone_masked, state, "
    "state_since, restriction_months, disability_type, disability_grade, illness, work_city, work_region_code, "
    "works_outside, lives_with_child";

Params MemberParams(const MemberRecord& m) {
  return {m.child_id,       m.position,           m.relation,         m.name,
          BlobOrNull(m.id_enc), TextOrNull(m.id_bidx), m.id_masked,    BlobOrNull(m.phone_enc),
          TextOrNull(m.phone_bidx), m.phone_masked, m.state,            I(m.state_since),
          m.restriction_months, m.disability_type,  m.disability_grade, m.illness,
          m.work_city,      m.work_region_code,   m.works_outside,    I(m.lives_with_child)};
}

MemberRecord ReadMember(const Row& row) {
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

constexpr const char* kRequestCols =
    "r.id, r.child_id, c.district_id, c.street_id, c.community_id, r.kind, r.category, r.reason, r.evidence, "
    "r.status, r.prior_roll_status, r.proposed_by, r.proposed_at, r.version, r.updated_at, c.name, cm.name, "
    "u.display_name, c.grid_id, r.rule_outcome, r.rule_reason";
// A request's jurisdiction is its child's, read at read time (a child or unit that moves takes
// its requests along; the request's own copies are kept in step by JurisdictionRepo).
constexpr const char* kRequestJoins =
    " FROM roll_request r JOIN child c ON c.id = r.child_id JOIN org_unit cm ON cm.id = c.community_id"
    " LEFT JOIN app_user u ON u.id = r.proposed_by";

RollRequestRecord ReadRequest(const Row& row) {
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


}  // namespace


namespace {
}  // namespace

std::uint64_t ChildRepo::WriteGeneration() { return ChildWriteGeneration(); }

void ChildRepo::NoteWrite() { NoteChildWrite(); }

std::optional<ChildCountCache::Count> ChildCountCache::Get(const std::string& key, std::uint64_t generation) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  if (it->second.generation != generation || std::chrono::steady_clock::now() - it->second.at > kTtl) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.count;
}

void ChildCountCache::Put(const std::string& key, std::uint64_t generation, Count count) {
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.size() >= 4096) entries_.clear();  // bounded: many distinct filters just start over
  entries_[key] = Entry{count, generation, std::chrono::steady_clock::now()};
}

Status ChildRepo::Insert(ChildRecord& r) {
  NoteChildWrite();
  std::string sql = "INSERT INTO child (";
  std::string vals;
  for (std::size_t i = 0; i < kNumChildCols; ++i) {
    if (i) {
      sql += ", ";
      vals += ", ";
    }
    sql += kChildCols[i];
    vals += P(i + 1);
  }
  sql += ") VALUES (" + vals + ") RETURNING id";
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(sql, ChildParams(r)));
  r.id = rows[0].Int(0);
  return NoteCategorySet(r.categories);
}

Status ChildRepo::Update(const ChildRecord& r) {
  NoteChildWrite();
  static const std::string sql = [] {
    std::string s = "UPDATE child SET ";
    std::size_t version_slot = 0;
    for (std::size_t i = 0; i < kNumChildCols; ++i) {
      if (std::string(kChildCols[i]) == "version") version_slot = i + 1;
    }
    for (std::size_t i = 0; i < kNumChildCols; ++i) {
      if (i) s += ", ";
      s += kChildCols[i];
      s += " = ";
      s += i + 1 == version_slot ? "CAST(" + P(i + 1) + " AS BIGINT) + 1" : P(i + 1);
    }
    s += " WHERE id = " + P(kNumChildCols + 1) + " AND version = " + P(version_slot);
    return s;
  }();
  Params p = ChildParams(r);
  p.push_back(r.id);
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute(sql, p));
  if (n == 0) return Status::Stale();
  // The postings carry the row's jurisdiction, sort keys and name (whether a token is the name).
  TH_RETURN_IF_ERROR(c_.Execute("UPDATE search_posting SET own = CASE WHEN token = $1 THEN 1 ELSE 0 END, "
                                "district_id = $2, street_id = $3, community_id = $4, grid_id = $5, updated_at = $6, "
                                "birth_date = $7 WHERE child_id = $8",
                                {r.name, r.district_id, r.street_id, r.community_id, Opt(r.grid_id), r.updated_at,
                                 I(r.birth_date), r.id})
                         .status());
  return NoteCategorySet(r.categories);
}

Status ChildRepo::NoteCategorySet(const std::string& categories) {
  if (categories.empty()) return Status::Ok();
  return c_.Execute("INSERT INTO child_category_set (categories) VALUES ($1) ON CONFLICT DO NOTHING", {categories})
      .status();
}

Result<ChildRecord> ChildRepo::Get(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto v, QueryChildren(c_, "c.id = $1", {id}, Names::kProbed));
  if (v.empty()) return Status::NotFound("child");
  return std::move(v[0]);
}

namespace {

// LIKE pattern matching `code` as one element of a ',a,b,' list ('_' and '%' escaped).
std::string CodeListPattern(const std::string& code) {
  std::string s = "%,";
  for (char ch : code) {
    if (ch == '_' || ch == '%' || ch == '\\') s += '\\';
    s += ch;
  }
  return s + ",%";
}

// Whether `q` filters on a status, the school stage or sex (columns only the child row has).
bool HasEqualityFilters(const ChildQuery& q) {
  return !q.flow_status.empty() || !q.roll_status.empty() || !q.school_stage.empty() || !q.sex.empty();
}

// Conditions on the child row itself (aliased c): equality filters and the birth-date range
// on `birth` (the column or an expression: "c.birth_date + 0" is one no index seeks on, so that
// a page streamed in sort order is not planned (PostgreSQL) as a birth-date range seek plus a
// sort; a search ranges over its postings' copy, "t.birth_date").
std::string RowFilters(const ChildQuery& q, Params& p, const std::string& birth = "c.birth_date") {
  std::string where;
  auto eq = [&](const char* col, const std::string& v) {
    if (v.empty()) return;
    p.push_back(v);
    where += std::string(" AND c.") + col + " = " + P(p.size());
  };
  eq("flow_status", q.flow_status);
  eq("roll_status", q.roll_status);
  eq("school_stage", q.school_stage);
  eq("sex", q.sex);
  if (q.birth_from) {
    p.push_back(static_cast<std::int64_t>(q.birth_from));
    where += " AND " + birth + " >= " + P(p.size());
  }
  if (q.birth_to) {
    p.push_back(static_cast<std::int64_t>(q.birth_to));
    where += " AND " + birth + " <= " + P(p.size());
  }
  return where;
}

struct SortSpec {
  std::string key = "updated_at";
  bool desc = true;
};

SortSpec ParseSort(const std::string& sort) {
  SortSpec s;
  std::string k = sort;
  s.desc = !k.empty() && k[0] == '-';
  if (s.desc) k = k.substr(1);
  s.key = k == "name" || k == "birth_date" || k == "id" ? k : "updated_at";
  return s;
}

// ORDER BY clause. `sort_matches`: written as expressions no index provides, so the planner
// seeks the matches on the filter index and sorts them (bounded by the count cap) instead of
// walking the sort-order index past non-matching entries.
std::string OrderBy(const SortSpec& s, bool sort_matches) {
  auto term = [&](const std::string& key) {
    std::string t = "c." + key;
    if (sort_matches) t += key == "name" ? " || ''" : " + 0";
    return t + (s.desc ? " DESC" : " ASC");
  };
  std::string order = term(s.key);
  if (s.key != "id") order += ", " + term("id");
  return order;
}

// Loads the children with these ids (joined names) in the given order.
Result<std::vector<ChildRecord>> LoadInOrder(storage::Connection& c, const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return std::vector<ChildRecord>{};
  Params p;
  std::string in;
  for (std::int64_t id : ids) {
    p.push_back(id);
    if (p.size() > 1) in += ", ";
    in += P(p.size());
  }
  TH_ASSIGN_OR_RETURN(auto rows, QueryChildren(c, "c.id IN (" + in + ")", p));
  std::vector<ChildRecord> out;
  out.reserve(ids.size());
  for (std::int64_t id : ids) {
    for (auto& r : rows) {
      if (r.id == id) {
        out.push_back(std::move(r));
        break;
      }
    }
  }
  return out;
}

}  // namespace

Result<std::vector<ChildRecord>> ChildRepo::List(const ChildQuery& q, const Page& page, std::int64_t* total,
                                                 bool* total_capped, ChildCountCache* counts) {
  bool capped_local = false;
  bool& capped = total_capped ? *total_capped : capped_local;
  capped = false;
  if (!q.tokens.empty()) return Search(q, page, total, &capped);
  // Counted up to kCountCap: beyond that the total reads "at least kCountCap" (total_capped).
  // With a category the count runs on the (scope, categories, birth_date, ...) indexes over
  // the category lists that contain the code (child_category_set), so it reads only matching
  // index entries. When all matches were counted (at most kCountCap) the page is sorted from
  // that same set; otherwise matches are dense and the page streams from the covering
  // (scope, updated_at, id, filters...) index in sort order, stopping at the page end.
  Params p;
  std::string where = ScopeCondition(q.scope, "c", p);
  if (q.unit) where += " AND " + ScopeCondition(*q.unit, "c", p);
  std::string cat_set, cat_like;
  if (!q.category.empty()) {
    p.push_back(CodeListPattern(q.category));
    cat_like = " AND c.categories LIKE " + P(p.size()) + " ESCAPE '\\'";
    cat_set = " AND c.categories IN (SELECT categories FROM child_category_set WHERE categories LIKE " + P(p.size()) +
              " ESCAPE '\\')";
  }
  std::string stream_where = where;
  {
    Params same_numbers = p;
    stream_where += RowFilters(q, same_numbers, "c.birth_date + 0");
  }
  where += RowFilters(q, p);
  const std::string count_sql = "SELECT COUNT(*) FROM (SELECT 1 FROM child c WHERE " + where + cat_set + " LIMIT " +
                                std::to_string(kCountCap + 1) + ") t";
  std::string cache_key;
  const std::uint64_t generation = WriteGeneration();
  std::optional<ChildCountCache::Count> cached;
  if (counts) {
    cache_key = count_sql;
    for (const auto& v : p) {
      cache_key += '\x1f';
      if (const auto* i = std::get_if<std::int64_t>(&v)) {
        cache_key += std::to_string(*i);
      } else if (const auto* t = std::get_if<std::string>(&v)) {
        cache_key += *t;
      }
    }
    cached = counts->Get(cache_key, generation);
  }
  if (cached) {
    *total = cached->total;
    capped = cached->capped;
  } else {
    TH_ASSIGN_OR_RETURN(auto cnt, c_.Query(count_sql, p));
    *total = cnt[0].Int(0);
    if (*total > kCountCap) {
      *total = kCountCap;
      capped = true;
    }
    if (counts) counts->Put(cache_key, generation, {*total, capped});
  }
  if (*total == 0 || (page.Offset() >= *total && !capped)) return std::vector<ChildRecord>{};
  std::string order = OrderBy(ParseSort(q.sort), !capped && !cat_set.empty());
  p.push_back(page.page_size);
  p.push_back(page.Offset());
  const std::string page_sql = "SELECT c.id FROM child c WHERE " +
                               (capped ? stream_where + cat_like : where + cat_set) + " ORDER BY " + order +
                               " LIMIT " + P(p.size() - 1) + " OFFSET " + P(p.size());
  storage::Rows idrows;
  if (capped && c_.dialect().engine() == storage::Engine::kPostgres && !c_.InTransaction()) {
    // PostgreSQL underestimates how many rows pass the category/date filters and would sort
    // the whole scope; the matches are dense (the count hit the cap), so walking the covering
    // index in order is the cheap plan. enable_sort=off for this one statement makes it so.
    // Without a sort the planner (1M children) splits that walk over parallel workers (Gather
    // Merge), whose start-up made the page 13-21 ms instead of 2-4 ms: one process walks it.
    storage::Transaction tx(c_);
    TH_RETURN_IF_ERROR(tx.Begin());
    TH_RETURN_IF_ERROR(c_.Execute("SET LOCAL enable_sort = off").status());
    TH_RETURN_IF_ERROR(c_.Execute("SET LOCAL max_parallel_workers_per_gather = 0").status());
    TH_ASSIGN_OR_RETURN(idrows, c_.Query(page_sql, p));
    TH_RETURN_IF_ERROR(tx.Commit());
  } else {
    TH_ASSIGN_OR_RETURN(idrows, c_.Query(page_sql, p));
  }
  std::vector<std::int64_t> ids;
  for (const Row& r : idrows.rows) ids.push_back(r.Int(0));
  return LoadInOrder(c_, ids);
}

Result<std::vector<ChildRecord>> ChildRepo::Search(const ChildQuery& q, const Page& page, std::int64_t* total,
                                                   bool* capped) {
  // Start from the rarest token (posting list sizes counted up to a cap on the token index).
  std::size_t rare = 0;
  if (q.tokens.size() > 1) {
    std::int64_t best = -1;
    for (std::size_t i = 0; i < q.tokens.size(); ++i) {
      TH_ASSIGN_OR_RETURN(auto n, c_.Query("SELECT COUNT(*) FROM (SELECT 1 FROM search_posting WHERE token = $1 LIMIT " +
                                               std::to_string(kCountCap) + ") t",
                                           {q.tokens[i]}));
      if (best < 0 || n[0].Int(0) < best) {
        best = n[0].Int(0);
        rare = i;
      }
    }
    if (best == 0) {
      *total = 0;
      return std::vector<ChildRecord>{};
    }
  }
  // Candidates: the rarest token's postings, newest child first, that are in scope and match
  // the other tokens and the filters; at most kSearchCap (+1 to know there are more). The
  // posting carries the jurisdiction, the birth date, updated_at and whether the token is the
  // child's own name, so without row filters (category, statuses, stage, sex) or a sort by name
  // the candidates are consecutive entries of the covering token index and no child row is read
  // until the page's; with them each candidate also joins its child row.
  SortSpec sort = ParseSort(q.sort);
  const bool by_name = sort.key == "name";
  const bool join = by_name || !q.category.empty() || HasEqualityFilters(q);
  Params p;
  p.push_back(q.tokens[rare]);
  std::string where = "t.token = $1 AND " + ScopeCondition(q.scope, "t", p);
  if (q.unit) where += " AND " + ScopeCondition(*q.unit, "t", p);
  std::string others;  // the other tokens, for the exact-name test
  for (std::size_t i = 0; i < q.tokens.size(); ++i) {
    if (i == rare) continue;
    p.push_back(q.tokens[i]);
    others += (others.empty() ? "" : ", ") + P(p.size());
    where += " AND EXISTS (SELECT 1 FROM search_posting o WHERE o.token = " + P(p.size()) +
             " AND o.child_id = t.child_id)";
  }
  if (!q.category.empty()) {
    p.push_back(CodeListPattern(q.category));
    where += " AND c.categories LIKE " + P(p.size()) + " ESCAPE '\\'";
  }
  where += RowFilters(q, p, "t.birth_date");
  // Exact whole-name matches (the child's own name equals a query word) rank first.
  std::string exact = "t.own = 1";
  if (!others.empty()) {
    exact += " OR EXISTS (SELECT 1 FROM search_posting e WHERE e.token IN (" + others +
             ") AND e.child_id = t.child_id AND e.own = 1)";
  }
  const std::string key = sort.key == "birth_date" ? "t.birth_date" : sort.key == "updated_at" ? "t.updated_at" : "0";
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT t.child_id, CASE WHEN " + exact + " THEN 1 ELSE 0 END, " + key +
                                              (by_name ? ", c.name" : "") + " FROM search_posting t" +
                                              (join ? " JOIN child c ON c.id = t.child_id" : "") + " WHERE " + where +
                                              " ORDER BY t.child_id DESC LIMIT " + std::to_string(kSearchCap + 1),
                                          p));
  struct Cand {
    std::int64_t id, key;
    bool exact;
  };
  std::vector<Cand> cands;
  cands.reserve(rows.size());
  for (const Row& r : rows.rows) cands.push_back(Cand{r.Int(0), r.Int(2), r.Int(1) != 0});
  if (static_cast<std::int64_t>(cands.size()) > kSearchCap) {
    cands.resize(static_cast<std::size_t>(kSearchCap));
    *capped = true;
  }
  *total = static_cast<std::int64_t>(cands.size());
  // Exact whole-name matches first, then the requested order (default newest change first).
  std::vector<std::string> names;
  if (by_name) {
    names.reserve(cands.size());
    for (std::size_t i = 0; i < cands.size(); ++i) {
      names.push_back(rows.rows[i].Text(3));
      cands[i].key = static_cast<std::int64_t>(i);  // index into names
    }
  }
  std::sort(cands.begin(), cands.end(), [&](const Cand& a, const Cand& b) {
    if (a.exact != b.exact) return a.exact;
    int cmp = by_name ? names[static_cast<std::size_t>(a.key)].compare(names[static_cast<std::size_t>(b.key)])
                      : (a.key < b.key ? -1 : a.key > b.key);
    if (cmp == 0) cmp = a.id < b.id ? -1 : a.id > b.id;
    return sort.desc ? cmp > 0 : cmp < 0;
  });
  // Offset() is never negative and at most Page::kNoRows; the page is the candidates in
  // [first, first + size) clipped to the list, all in std::size_t (no signed overflow).
  std::vector<std::int64_t> ids;
  const auto first = static_cast<std::size_t>(page.Offset());
  const auto size = static_cast<std::size_t>(std::max<std::int64_t>(page.page_size, 0));
  for (std::size_t i = first; i < cands.size() && i - first < size; ++i) ids.push_back(cands[i].id);
  return LoadInOrder(c_, ids);
}

Result<std::vector<ChildRecord>> ChildRepo::FindByIdBidx(const std::string& bidx) {
  return QueryChildren(c_, "c.id_bidx = $1 ORDER BY c.id", {bidx});
}

Result<std::vector<ChildRecord>> ChildRepo::FindByNameBirth(const std::string& name, std::int32_t birth_date) {
  return QueryChildren(c_, "c.name = $1 AND c.birth_date = $2 ORDER BY c.id",
                       {name, static_cast<std::int64_t>(birth_date)});
}

Result<std::vector<ChildRecord>> ChildRepo::Household(const std::string& household_id, std::int64_t exclude_id) {
  return QueryChildren(c_, "c.household_id = $1 AND c.id <> $2 ORDER BY c.birth_date, c.id", {household_id, exclude_id});
}

Result<std::vector<std::int64_t>> ChildRepo::DueForRefresh(std::int32_t date, std::int64_t after_id, int limit) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT id FROM child WHERE next_change_date > 0 AND next_change_date <= $1 "
                                          "AND id > $2 ORDER BY id LIMIT $3",
                                          {static_cast<std::int64_t>(date), after_id, static_cast<std::int64_t>(limit)}));
  std::vector<std::int64_t> out;
  for (const Row& r : rows.rows) out.push_back(r.Int(0));
  return out;
}

Result<std::vector<ChildRecord>> ChildRepo::ChildrenBetween(std::int64_t lo, std::int64_t hi) {
  // The id range as a subquery keeps the planner on the child's primary key (with the joins in
  // the outer query SQLite would otherwise start from the org units and sort every child).
  return QueryChildren(c_, "c.id IN (SELECT id FROM child WHERE id >= $1 AND id <= $2) ORDER BY c.id", {lo, hi});
}

Result<std::int64_t> ChildRepo::MaxId() {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT COALESCE(MAX(id), 0) FROM child"));
  return rows[0].Int(0);
}

Result<bool> ChildRepo::SetDerivedIfVersion(std::int64_t id, std::int64_t version, const std::string& categories,
                                            std::int32_t next_change_date) {
  NoteChildWrite();
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE child SET categories = $1, next_change_date = $2 WHERE id = $3 AND "
                                         "version = $4",
                                         {categories, static_cast<std::int64_t>(next_change_date), id, version}));
  if (n == 0) return false;
  TH_RETURN_IF_ERROR(NoteCategorySet(categories));
  return true;
}

Result<std::unordered_map<std::int64_t, std::vector<MemberRecord>>> ChildRepo::MembersBetween(std::int64_t lo,
                                                                                              std::int64_t hi) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kMemberCols +
                                              " FROM family_member WHERE child_id >= $1 AND child_id <= $2 "
                                              "ORDER BY child_id, position, id",
                                          {lo, hi}));
  std::unordered_map<std::int64_t, std::vector<MemberRecord>> out;
  for (const Row& r : rows.rows) {
    MemberRecord m = ReadMember(r);
    out[m.child_id].push_back(std::move(m));
  }
  return out;
}

Result<std::unordered_map<std::int64_t, std::vector<CategoryRecord>>> ChildRepo::CategoriesBetween(std::int64_t lo,
                                                                                                   std::int64_t hi) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string(kCategorySelect) + "WHERE k.child_id >= $1 AND k.child_id <= $2",
                                          {lo, hi}));
  std::unordered_map<std::int64_t, std::vector<CategoryRecord>> out;
  for (const Row& r : rows.rows) {
    CategoryRecord k = ReadCategory(r);
    out[k.child_id].push_back(std::move(k));
  }
  return out;
}

Result<std::vector<std::int64_t>> ChildRepo::IdsAfter(std::int64_t after_id, int limit) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT id FROM child WHERE id > $1 ORDER BY id LIMIT $2",
                                          {after_id, static_cast<std::int64_t>(limit)}));
  std::vector<std::int64_t> out;
  for (const Row& r : rows.rows) out.push_back(r.Int(0));
  return out;
}

Status ChildRepo::SetGuardianMember(std::int64_t id, std::optional<std::int64_t> member_id) {
  return c_.Execute("UPDATE child SET guardian_member_id = $1 WHERE id = $2", {Opt(member_id), id}).status();
}

Status ChildRepo::SetDerived(std::int64_t id, const std::string& categories, std::int32_t next_change_date) {
  NoteChildWrite();
  // Unchanged values write nothing (no row or index churn in the nightly refresh).
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE child SET categories = $1, next_change_date = $2 WHERE id = $3 AND "
                                         "(categories <> $1 OR next_change_date <> $2)",
                                         {categories, static_cast<std::int64_t>(next_change_date), id}));
  return n == 0 ? Status::Ok() : NoteCategorySet(categories);
}

Result<std::int64_t> ChildRepo::Count() {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT COUNT(*) FROM child"));
  return rows[0].Int(0);
}

Result<std::vector<MemberRecord>> ChildRepo::Members(std::int64_t child_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kMemberCols +
                                              " FROM family_member WHERE child_id = $1 ORDER BY position, id",
                                          {child_id}));
  std::vector<MemberRecord> out;
  for (const Row& r : rows.rows) out.push_back(ReadMember(r));
  return out;
}

Status ChildRepo::InsertMember(MemberRecord& m) {
  TH_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query("INSERT INTO family_member (child_id, position, relation, name, id_enc, id_bidx, id_masked, phone_enc, "
               "phone_bidx, phone_masked, state, state_since, restriction_months, disability_type, disability_grade, "
               "illness, work_city, work_region_code, works_outside, lives_with_child) VALUES ($1, $2, $3, $4, $5, "
               "$6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id",
               MemberParams(m)));
  m.id = rows[0].Int(0);
  return Status::Ok();
}

Status ChildRepo::UpdateMember(const MemberRecord& m) {
  Params p = MemberParams(m);
  p.push_back(m.id);
  TH_ASSIGN_OR_RETURN(
      auto n,
      c_.Execute("UPDATE family_member SET child_id = $1, position = $2, relation = $3, name = $4, id_enc = $5, "
                 "id_bidx = $6, id_masked = $7, phone_enc = $8, phone_bidx = $9, phone_masked = $10, state = $11, "
                 "state_since = $12, restriction_months = $13, disability_type = $14, disability_grade = $15, "
                 "illness = $16, work_city = $17, work_region_code = $18, works_outside = $19, "
                 "lives_with_child = $20 WHERE id = $21 AND child_id = $1",
                 p));
  if (n == 0) return Status::NotFound("member_id");
  return Status::Ok();
}

Status ChildRepo::DeleteMember(std::int64_t child_id, std::int64_t member_id) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("DELETE FROM family_member WHERE id = $1 AND child_id = $2",
                                         {member_id, child_id}));
  if (n == 0) return Status::NotFound("member_id");
  return Status::Ok();
}

Result<std::vector<CategoryRecord>> ChildRepo::Categories(std::int64_t child_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string(kCategorySelect) + "WHERE k.child_id = $1", {child_id}));
  std::vector<CategoryRecord> out;
  for (const Row& r : rows.rows) out.push_back(ReadCategory(r));
  return out;
}

Status ChildRepo::InsertCategories(std::int64_t child_id, const std::vector<CategoryRecord>& rows) {
  for (const auto& k : rows) {
    TH_RETURN_IF_ERROR(c_.Execute("INSERT INTO child_category (child_id, code, outcome, rule_id, reason, met_since, "
                                  "ends_on, next_change, met, override_met, override_reason, override_by, "
                                  "override_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, NULL, NULL, NULL)",
                                  {child_id, k.code, k.outcome, k.rule_id, k.reason, std::int64_t{k.met_since},
                                   std::int64_t{k.ends_on}, std::int64_t{k.next_change}, std::int64_t{k.met}})
                           .status());
  }
  return Status::Ok();
}

Status ChildRepo::ReplaceCategories(std::int64_t child_id, const std::vector<CategoryRecord>& rows) {
  TH_RETURN_IF_ERROR(c_.Execute("DELETE FROM child_category WHERE child_id = $1", {child_id}).status());
  for (const CategoryRecord& k : rows) {
    TH_RETURN_IF_ERROR(
        c_.Execute("INSERT INTO child_category (child_id, code, outcome, rule_id, reason, met_since, ends_on, "
                   "next_change, met, override_met, override_reason, override_by, override_at) VALUES ($1, $2, $3, "
                   "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                   {child_id, k.code, k.outcome, k.rule_id, k.reason, I(k.met_since), I(k.ends_on), I(k.next_change),
                    I(k.met), k.override_met ? Value(I(*k.override_met)) : storage::Null(),
                    k.override_met ? Value(k.override_reason) : storage::Null(), Opt(k.override_by),
                    Opt(k.override_at)})
            .status());
  }
  return Status::Ok();
}

Status ChildRepo::ReplaceTokens(const ChildRecord& r, const std::vector<std::string>& tokens) {
  TH_RETURN_IF_ERROR(c_.Execute("DELETE FROM search_posting WHERE child_id = $1", {r.id}).status());
  return InsertTokens(r, tokens);
}

Status ChildRepo::InsertTokens(const ChildRecord& r, const std::vector<std::string>& tokens) {
  // Batches of up to 16 rows per statement: few distinct SQL texts (statement cache) and far
  // fewer round trips than one row per statement. $1..$7 are the child's columns.
  constexpr std::size_t kBatch = 16;
  for (std::size_t start = 0; start < tokens.size(); start += kBatch) {
    std::size_t n = std::min(kBatch, tokens.size() - start);
    std::string sql = "INSERT INTO search_posting (" + std::string(kPostingCols) + ") VALUES ";
    Params p{r.id, r.district_id, r.street_id, r.community_id, Opt(r.grid_id), r.updated_at, I(r.birth_date)};
    for (std::size_t i = 0; i < n; ++i) {
      const std::string& token = tokens[start + i];
      p.push_back(token);
      p.push_back(I(token == r.name ? 1 : 0));
      if (i) sql += ", ";
      sql += "(" + P(p.size() - 1) + ", $1, " + P(p.size()) + ", $2, $3, $4, $5, $6, $7)";
    }
    TH_RETURN_IF_ERROR(c_.Execute(sql, p).status());
  }
  return Status::Ok();
}

Status ChildRepo::SyncPostings(std::int64_t child_id) {
  return c_
      .Execute("UPDATE search_posting SET (district_id, street_id, community_id, grid_id, updated_at, birth_date) = "
               "(SELECT district_id, street_id, community_id, grid_id, updated_at, birth_date FROM child WHERE id = $1) "
               "WHERE child_id = $1",
               {child_id})
      .status();
}

Result<std::vector<AuditEntry>> ChildRepo::History(std::int64_t child_id, const Page& page, std::int64_t* total) {
  const std::string where =
      " FROM audit_log WHERE object_type = 'child' AND object_id = $1 AND action <> 'child.read' AND "
      "action <> 'child.reveal' AND action <> 'child.photo_read'";
  std::string oid = std::to_string(child_id);
  TH_ASSIGN_OR_RETURN(auto cnt, c_.Query("SELECT COUNT(*)" + where, {oid}));
  *total = cnt[0].Int(0);
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT seq, at, actor_id, actor_name, action, purpose, before_json, "
                                          "after_json" + where + " ORDER BY seq DESC LIMIT $2 OFFSET $3",
                                          {oid, page.page_size, page.Offset()}));
  std::vector<AuditEntry> out;
  for (const Row& r : rows.rows) {
    AuditEntry e;
    e.seq = r.Int(0);
    e.at = r.Int(1);
    e.actor_id = r.OptInt(2);
    e.actor_name = r.Text(3);
    e.action = r.Text(4);
    e.purpose = r.Text(5);
    e.before_json = r.Text(6);
    e.after_json = r.Text(7);
    e.object_type = "child";
    e.object_id = oid;
    out.push_back(std::move(e));
  }
  return out;
}

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


namespace {

// Rows in the next multi-row statement: the largest power of two not above `remaining` or
// `max_rows`, so each table gets at most log2(max_rows) + 1 distinct statement texts.
std::size_t ChunkRows(std::size_t remaining, std::size_t max_rows) {
  std::size_t n = 1;
  while (n * 2 <= remaining && n * 2 <= max_rows) n *= 2;
  return n;
}

// "($1, $2), ($3, $4), ..." for `rows` rows of `cols` parameters; with `bigint`, every
// parameter is cast (a VALUES list outside INSERT gives PostgreSQL no column type to infer).
std::string ValuesList(std::size_t rows, std::size_t cols, bool bigint = false) {
  std::string s;
  std::size_t n = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    s += r ? ", (" : "(";
    for (std::size_t c = 0; c < cols; ++c) {
      if (c) s += ", ";
      s += bigint ? "CAST(" + P(++n) + " AS BIGINT)" : P(++n);
    }
    s += ')';
  }
  return s;
}

enum class BulkTable { kChild, kMember, kGuardian, kCategory, kCategorySet, kToken };

constexpr const char* kMemberInsertCols =
    "child_id, position, relation, name, id_enc, id_bidx, id_masked, phone_enc, phone_bidx, phone_masked, state, "
    "state_since, restriction_months, disability_type, disability_grade, illness, work_city, work_region_code, "
    "works_outside, lives_with_child";
constexpr std::size_t kNumMemberInsertCols = 20;
constexpr std::size_t kNumCategoryCols = 13;

// The `rows`-row statement of a bulk table (built once per thread and size).
const std::string& BulkSql(BulkTable t, std::size_t rows) {
  static thread_local std::map<std::pair<BulkTable, std::size_t>, std::string> cache;
  std::string& sql = cache[{t, rows}];
  if (!sql.empty()) return sql;
  switch (t) {
    case BulkTable::kChild: {
      sql = "INSERT INTO child (";
      for (std::size_t i = 0; i < kNumChildCols; ++i) {
        if (i) sql += ", ";
        sql += kChildCols[i];
      }
      sql += ") VALUES " + ValuesList(rows, kNumChildCols) + " RETURNING id, household_id, name";
      break;
    }
    case BulkTable::kMember:
      sql = std::string("INSERT INTO family_member (") + kMemberInsertCols + ") VALUES " +
            ValuesList(rows, kNumMemberInsertCols) + " RETURNING id, child_id, position";
      break;
    case BulkTable::kGuardian:
      // VALUES columns are named column1, column2 on both engines. The id range (the rows'
      // lowest and highest child id) bounds the child rows any plan reads: PostgreSQL reuses a
      // generic plan made while the table was small, and a hash join over a sequential scan of
      // `child` per statement made a million-child load quadratic.
      sql = "UPDATE child SET guardian_member_id = v.column2 FROM (VALUES " + ValuesList(rows, 2, true) +
            ") AS v WHERE child.id = v.column1 AND child.id BETWEEN " + P(2 * rows + 1) + " AND " + P(2 * rows + 2);
      break;
    case BulkTable::kCategory:
      sql = "INSERT INTO child_category (child_id, code, outcome, rule_id, reason, met_since, ends_on, next_change, "
            "met, override_met, override_reason, override_by, override_at) VALUES " +
            ValuesList(rows, kNumCategoryCols);
      break;
    case BulkTable::kCategorySet:
      sql = "INSERT INTO child_category_set (categories) VALUES " + ValuesList(rows, 1) + " ON CONFLICT DO NOTHING";
      break;
    case BulkTable::kToken:
      sql = "INSERT INTO search_posting (" + std::string(kPostingCols) + ") VALUES " + ValuesList(rows, 9);
      break;
  }
  return sql;
}

// Writes rows [0, total) of `t` in statements of at most `max_rows` rows. add_row(i, params)
// appends row i's parameters; on_result(start, n, rows), for statements with RETURNING, gets
// what a statement of n rows starting at row `start` returned.
template <typename AddRow, typename OnResult>
Status WriteRows(storage::Connection& c, BulkTable t, std::size_t total, std::size_t max_rows, AddRow add_row,
                 OnResult on_result) {
  Params p;
  for (std::size_t start = 0; start < total;) {
    std::size_t n = ChunkRows(total - start, max_rows);
    p.clear();
    for (std::size_t i = start; i < start + n; ++i) add_row(i, p);
    const std::string& sql = BulkSql(t, n);
    if constexpr (std::is_same_v<OnResult, std::nullptr_t>) {
      TH_RETURN_IF_ERROR(c.Execute(sql, p).status());
    } else {
      TH_ASSIGN_OR_RETURN(auto rows, c.Query(sql, p));
      TH_RETURN_IF_ERROR(on_result(start, n, rows));
    }
    start += n;
  }
  return Status::Ok();
}

void Append(Params& to, Params from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

// Rows per statement. The child row has 53 parameters (256 rows: 13,568, below SQLite's 32,766
// and PostgreSQL's 65,535 bound parameters); the narrow tables take more rows per statement.
constexpr std::size_t kMaxChildRows = 256;
constexpr std::size_t kMaxRows = 1024;

}  // namespace

Status ChildBulkWriter::Add(NewChildRows rows) {
  queue_.push_back(std::move(rows));
  if (queue_.size() >= batch_) return Flush();
  return Status::Ok();
}

Status ChildBulkWriter::Flush() {
  if (queue_.empty()) return Status::Ok();
  NoteChildWrite();
  Status s = WriteChildren();
  if (s.ok()) s = WriteMembers();
  if (s.ok()) {
    std::vector<std::pair<const NewChildRows*, const CategoryRecord*>> cats;
    for (const auto& n : queue_) {
      for (const auto& k : n.categories) cats.emplace_back(&n, &k);
    }
    s = WriteRows(
        c_, BulkTable::kCategory, cats.size(), kMaxRows,
        [&](std::size_t i, Params& p) {
          const CategoryRecord& k = *cats[i].second;
          Append(p, {cats[i].first->child.id, k.code, k.outcome, k.rule_id, k.reason, I(k.met_since), I(k.ends_on),
                     I(k.next_change), I(k.met), k.override_met ? Value(I(*k.override_met)) : storage::Null(),
                     k.override_met ? Value(k.override_reason) : storage::Null(), Opt(k.override_by),
                     Opt(k.override_at)});
        },
        nullptr);
  }
  if (s.ok()) {
    std::vector<std::pair<const ChildRecord*, const std::string*>> tokens;
    for (const auto& n : queue_) {
      for (const auto& t : n.tokens) tokens.emplace_back(&n.child, &t);
    }
    s = c_.dialect().engine() == storage::Engine::kPostgres
            ? WritePostingsPg(tokens)
            : WriteRows(
                  c_, BulkTable::kToken, tokens.size(), kMaxRows,
                  [&](std::size_t i, Params& p) {
                    const ChildRecord& r = *tokens[i].first;
                    const std::string& token = *tokens[i].second;
                    Append(p, {token, r.id, I(token == r.name ? 1 : 0), r.district_id, r.street_id, r.community_id,
                               Opt(r.grid_id), r.updated_at, I(r.birth_date)});
                  },
                  nullptr);
  }
  queue_.clear();
  return s;
}

// PostgreSQL: all postings of the queue in one statement of nine array parameters (one per
// column) expanded by unnest. A multi-row VALUES list of 1,024 postings has 9,216 parameters, and
// PostgreSQL initialises and evaluates an expression per parameter on every execution: at 1M
// children that was the largest share of the load's server time. SQLite has no arrays and no
// such cost, and takes the VALUES form.
Status ChildBulkWriter::WritePostingsPg(const std::vector<std::pair<const ChildRecord*, const std::string*>>& postings) {
  if (postings.empty()) return Status::Ok();
  std::array<std::string, 9> cols;
  for (auto& col : cols) col = "{";
  auto add_int = [](std::string& col, std::int64_t v) {
    if (col.size() > 1) col += ',';
    col += std::to_string(v);
  };
  for (const auto& [r, token] : postings) {
    // Text element: double-quoted, with backslash and double quote escaped (array_in's rules).
    std::string& t = cols[0];
    t += t.size() > 1 ? ",\"" : "\"";
    for (char ch : *token) {
      if (ch == '"' || ch == '\\') t += '\\';
      t += ch;
    }
    t += '"';
    add_int(cols[1], r->id);
    add_int(cols[2], *token == r->name ? 1 : 0);
    add_int(cols[3], r->district_id);
    add_int(cols[4], r->street_id);
    add_int(cols[5], r->community_id);
    if (r->grid_id) {
      add_int(cols[6], *r->grid_id);
    } else {
      cols[6] += cols[6].size() > 1 ? ",NULL" : "NULL";
    }
    add_int(cols[7], r->updated_at);
    add_int(cols[8], r->birth_date);
  }
  Params p;
  for (auto& col : cols) p.push_back(std::move(col += '}'));
  static const std::string sql = "INSERT INTO search_posting (" + std::string(kPostingCols) +
                                 ") SELECT * FROM unnest(CAST($1 AS TEXT[]), CAST($2 AS BIGINT[]), "
                                 "CAST($3 AS INTEGER[]), CAST($4 AS BIGINT[]), CAST($5 AS BIGINT[]), "
                                 "CAST($6 AS BIGINT[]), CAST($7 AS BIGINT[]), CAST($8 AS BIGINT[]), "
                                 "CAST($9 AS INTEGER[]))";
  return c_.Execute(sql, p).status();
}

Status ChildBulkWriter::WriteChildren() {
  TH_RETURN_IF_ERROR(WriteRows(
      c_, BulkTable::kChild, queue_.size(), kMaxChildRows,
      [&](std::size_t i, Params& p) { Append(p, ChildParams(queue_[i].child)); },
      [&](std::size_t start, std::size_t n, const storage::Rows& rows) -> Status {
        if (rows.size() != n) return Status::Internal("bulk child insert: row count");
        // Both engines number the rows of one INSERT in the order of its VALUES list (the
        // sequence on PostgreSQL, max rowid + 1 on SQLite), so ascending ids are the rows in
        // order; the order RETURNING lists them in is unspecified, hence the sort. The name
        // check turns an engine that numbered otherwise into an error, not misattributed rows.
        std::vector<std::pair<std::int64_t, std::size_t>> ids;
        ids.reserve(n);
        for (std::size_t r = 0; r < n; ++r) ids.emplace_back(rows[r].Int(0), r);
        std::sort(ids.begin(), ids.end());
        for (std::size_t k = 0; k < n; ++k) {
          const Row& row = rows[ids[k].second];
          ChildRecord& child = queue_[start + k].child;
          if (row.Text(1) != child.household_id || row.Text(2) != child.name) {
            return Status::Internal("bulk child insert: returned ids do not follow the inserted rows");
          }
          child.id = ids[k].first;
        }
        return Status::Ok();
      }));
  // The category lists the list filter expands to (NoteCategorySet), once per distinct value.
  std::vector<std::string> sets;
  for (const auto& n : queue_) {
    if (!n.child.categories.empty()) sets.push_back(n.child.categories);
  }
  std::sort(sets.begin(), sets.end());
  sets.erase(std::unique(sets.begin(), sets.end()), sets.end());
  return WriteRows(
      c_, BulkTable::kCategorySet, sets.size(), kMaxRows, [&](std::size_t i, Params& p) { p.push_back(sets[i]); },
      nullptr);
}

Status ChildBulkWriter::WriteMembers() {
  std::vector<std::pair<NewChildRows*, MemberRecord*>> members;
  std::unordered_map<std::int64_t, NewChildRows*> by_child;
  for (auto& n : queue_) {
    by_child[n.child.id] = &n;
    for (auto& m : n.members) {
      m.child_id = n.child.id;
      m.id = 0;
      members.emplace_back(&n, &m);
    }
  }
  TH_RETURN_IF_ERROR(WriteRows(
      c_, BulkTable::kMember, members.size(), kMaxRows,
      [&](std::size_t i, Params& p) { Append(p, MemberParams(*members[i].second)); },
      [&](std::size_t, std::size_t n, const storage::Rows& rows) -> Status {
        if (rows.size() != n) return Status::Internal("bulk member insert: row count");
        // (child_id, position) names the member: no reliance on RETURNING's order.
        for (const Row& row : rows.rows) {
          auto it = by_child.find(row.Int(1));
          MemberRecord* found = nullptr;
          if (it != by_child.end()) {
            for (auto& m : it->second->members) {
              if (m.position == row.Int(2) && m.id == 0) found = &m;
            }
          }
          if (!found) return Status::Internal("bulk member insert: returned an unknown member");
          found->id = row.Int(0);
        }
        return Status::Ok();
      }));
  std::vector<std::pair<std::int64_t, std::int64_t>> guardians;  // child id, member id
  for (auto& n : queue_) {
    if (n.guardian_member < 0 || static_cast<std::size_t>(n.guardian_member) >= n.members.size()) continue;
    n.child.guardian_member_id = n.members[static_cast<std::size_t>(n.guardian_member)].id;
    guardians.emplace_back(n.child.id, *n.child.guardian_member_id);
  }
  Params p;
  for (std::size_t start = 0; start < guardians.size();) {
    std::size_t n = ChunkRows(guardians.size() - start, kMaxRows);
    p.clear();
    std::int64_t lo = guardians[start].first, hi = lo;
    for (std::size_t i = start; i < start + n; ++i) {
      p.push_back(guardians[i].first);
      p.push_back(guardians[i].second);
      lo = std::min(lo, guardians[i].first);
      hi = std::max(hi, guardians[i].first);
    }
    p.push_back(lo);
    p.push_back(hi);
    TH_RETURN_IF_ERROR(c_.Execute(BulkSql(BulkTable::kGuardian, n), p).status());
    start += n;
  }
  return Status::Ok();
}

}  // namespace th::repo
