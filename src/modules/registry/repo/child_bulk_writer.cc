// ChildBulkWriter: multi-row INSERTs for bulk loads (the demo loader).
#include "modules/registry/repo/child_repo_internal.h"

namespace th::repo {

using namespace child_repo_internal;  // NOLINT: this file is part of the registry repository

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
