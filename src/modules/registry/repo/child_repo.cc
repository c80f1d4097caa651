// ChildRepo: child rows, family members, category verdicts, search tokens, history (lists and search: child_search_repo.cc; roll requests: child_roll_repo.cc; bulk loads: child_bulk_writer.cc).
#include "modules/registry/repo/child_repo.h"

#include "modules/registry/repo/child_repo_internal.h"

namespace th::repo {

using namespace child_repo_internal;  // NOLINT: this file is part of the registry repository

namespace {
}  // namespace

std::uint64_t ChildRepo::WriteGeneration() { return ChildWriteGeneration(); }

void ChildRepo::NoteWrite() { NoteChildWrite(); }

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

Status ChildRepo::SetRiskGrade(std::int64_t id, const std::string& grade, std::int64_t at) {
  NoteChildWrite();
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE child SET risk_grade = $1, risk_graded_at = $2 WHERE id = $3",
                                         {grade, at, id}));
  if (n == 0) return Status::NotFound("child");
  return Status::Ok();
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

}  // namespace th::repo
