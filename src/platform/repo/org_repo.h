#pragma once
// SQL for org_unit and agency. Callers (services) own transactions and authorization.
#include <vector>

#include "base/status.h"
#include "platform/repo/records.h"
#include "storage/connection.h"

namespace th::repo {

class OrgRepo {
 public:
  explicit OrgRepo(storage::Connection& c) : c_(c) {}

  // The unit or kNotFound.
  Result<OrgUnit> Get(std::int64_t id);
  Result<OrgUnit> GetByCode(const std::string& code);
  // Names of the units on `path` ("/1/5/12/"), root first, in one query.
  Result<std::vector<std::string>> PathNames(const std::string& path);
  // Just the unit's path (for scope checks on hot paths), or kNotFound.
  Result<std::string> GetPath(std::int64_t id);
  // The district unit at or above the unit with path `path` (the deepest level "district" on it).
  Result<std::optional<OrgUnit>> DistrictOn(const std::string& path);
  // The first active district by code (e.g. the public report page's default).
  Result<std::optional<OrgUnit>> FirstDistrict();
  // Direct children (with child_count), ordered by code.
  Result<std::vector<OrgUnit>> ListChildren(std::int64_t parent_id, bool include_retired);
  // Units under `path_prefix` (inclusive) whose name or code contains `q`; paged, with total.
  Result<std::vector<OrgUnit>> Search(const std::string& path_prefix, const std::string& q,
                                      const Page& page, std::int64_t* total);
  // All units (for import / tree export), ordered by path.
  Result<std::vector<OrgUnit>> ListSubtree(const std::string& path_prefix);
  // Inserts and fills id and path (parent path + id + '/'). Duplicate code → kConflict "duplicate".
  Status Insert(OrgUnit& u);
  // Optimistic updates: kConflict stale_version when `version` does not match.
  Status Rename(std::int64_t id, const std::string& name, std::int64_t version, std::int64_t now);
  // Re-parents the unit and rewrites the path of its whole subtree.
  Status Move(const OrgUnit& unit, const OrgUnit& new_parent, std::int64_t version, std::int64_t now);
  Status Retire(std::int64_t id, std::int64_t version, std::int64_t now);
  Result<std::int64_t> CountActiveChildren(std::int64_t id);
  Result<std::int64_t> CountActiveUsers(std::int64_t id);

  // Agencies.
  Result<Agency> GetAgency(std::int64_t id);
  // Agencies of units under `path_prefix`, optionally of one unit and kind; paged.
  Result<std::vector<Agency>> ListAgencies(const std::string& path_prefix, std::optional<std::int64_t> unit,
                                           const std::string& kind, const Page& page, std::int64_t* total);
  Status InsertAgency(Agency& a);
  Status UpdateAgency(const Agency& a, std::int64_t now);  // uses a.version as the expected version
  Status RetireAgency(std::int64_t id, std::int64_t version, std::int64_t now);

 private:
  storage::Connection& c_;
};

}  // namespace th::repo
