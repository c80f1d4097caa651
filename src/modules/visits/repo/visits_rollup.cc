// The daily visit rollup (table visit_rollup, migration 0031): kept in the transaction that writes visit rows
// (VisitsService::Record, the move hooks, the bulk demo load), read by the case statistics (casestats repo).
// One set-based statement per change: the contributions of the visits matching a condition, summed per rollup
// key, added to (or taken from) the rows with an upsert, as dispatch_rollup.cc keeps dispatch_rollup.
#include "modules/visits/repo/visits_repo.h"

namespace th::repo {

namespace {

// The rollup rows of the visits `where` selects (alias v): done / on_time on the visit's day, due on its due day.
std::string Contributions(const std::string& where) {
  return "SELECT v.district_id AS district_id, v.visited_on AS day, v.street_id AS street_id, v.community_id AS "
         "community_id, v.grade AS grade, 1 AS done, v.on_time AS on_time, 0 AS due FROM visit v WHERE " + where +
         " UNION ALL SELECT v.district_id, v.due_on, v.street_id, v.community_id, v.grade, 0, 0, 1 FROM visit v WHERE (" +
         where + ") AND v.due_on <> 0";
}

}  // namespace

Status VisitsRepo::RollupVisits(const std::string& where, const storage::Params& p, int sign) {
  const std::string s = sign < 0 ? "-" : "";
  // WHERE 1 = 1: SQLite's upsert after INSERT ... SELECT needs a WHERE (its parser's ON ambiguity).
  return c_
      .Execute("INSERT INTO visit_rollup (district_id, day, street_id, community_id, grade, done, on_time, due) "
               "SELECT x.district_id, x.day, x.street_id, x.community_id, x.grade, " + s + "SUM(x.done), " + s +
                   "SUM(x.on_time), " + s + "SUM(x.due) FROM (" + Contributions(where) +
                   ") x WHERE 1 = 1 GROUP BY x.district_id, x.day, x.street_id, x.community_id, x.grade "
                   "ON CONFLICT (community_id, grade, day, district_id, street_id) DO UPDATE SET "
                   "done = visit_rollup.done + excluded.done, on_time = visit_rollup.on_time + excluded.on_time, "
                   "due = visit_rollup.due + excluded.due",
               p)
      .status();
}

Status VisitsRepo::RebuildRollup() {
  TH_RETURN_IF_ERROR(c_.Execute("DELETE FROM visit_rollup", {}).status());
  return RollupVisits("1 = 1", {}, 1);
}

}  // namespace th::repo
