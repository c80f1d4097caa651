#pragma once
// Scope SQL for lists (../shared/DESIGN.md "Access is enforced in the service layer"): rows that
// copy their jurisdiction as district_id / street_id / community_id / grid_id columns are
// selected by one condition, the same for every module's list.
#include <cstdint>
#include <string>

#include "storage/connection.h"

namespace th::repo {

// Where a caller may look: children whose `column` equals `id`. column is one of district_id,
// street_id, community_id, grid_id, or "city" (children of the districts under city `id`).
struct ChildScope {
  std::string column;
  std::int64_t id = 0;
};

// SQL condition (with parameters appended to `params`) selecting rows of `scope` on the table
// aliased `alias`. An unknown column matches nothing.
std::string ScopeCondition(const ChildScope& scope, const std::string& alias, storage::Params& params);

}  // namespace th::repo
