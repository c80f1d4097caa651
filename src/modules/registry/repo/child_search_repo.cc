// ChildRepo: the list and the search (postings), with the count cache.
#include "modules/registry/repo/child_repo_internal.h"

namespace th::repo {

using namespace child_repo_internal;  // NOLINT: this file is part of the registry repository

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
  return !q.flow_status.empty() || !q.roll_status.empty() || !q.school_stage.empty() || !q.sex.empty() ||
         !q.risk_grade.empty();
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
  eq("risk_grade", q.risk_grade);
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

// Long: builds one list query (filters, scope, sort, cached count) whose parts share the parameter list.
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
    cache_key = CountKey(count_sql, p);
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

// Long: builds one posting-intersection query (tokens, scope, filters, cached count) whose parts share the parameter list.
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

}  // namespace th::repo
