#include "platform/repo/scope_sql.h"

namespace th::repo {

namespace {

std::string P(std::size_t n) { return "$" + std::to_string(n); }

bool IsScopeColumn(const std::string& c) {
  return c == "district_id" || c == "street_id" || c == "community_id" || c == "grid_id";
}

}  // namespace

std::string ScopeCondition(const ChildScope& scope, const std::string& alias, storage::Params& params) {
  params.push_back(scope.id);
  if (IsScopeColumn(scope.column)) return alias + "." + scope.column + " = " + P(params.size());
  if (scope.column == "city") {
    return alias + ".district_id IN (SELECT id FROM org_unit WHERE parent_id = " + P(params.size()) + ")";
  }
  // Unknown scope: match nothing rather than everything.
  return "1 = 0 AND " + alias + ".id = " + P(params.size());
}

}  // namespace th::repo
