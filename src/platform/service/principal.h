#pragma once
// Who is acting, resolved from the session by AuthService::Authenticate. Every service call that
// reads or changes data takes one; jurisdiction is `org_path` (the caller's subtree).
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace th::service {

struct Principal {
  std::int64_t user_id = 0;
  std::string username;
  std::string display_name;
  std::string role;
  std::set<std::string> permissions;
  std::int64_t org_unit_id = 0;
  // The agency the user works for (a member department's liaison, a reporting unit's reporter),
  // if any: work items owned by an agency reach only its users.
  std::optional<std::int64_t> agency_id;
  std::string org_path;  // "/1/2/"
  std::string org_name;
  std::string org_code;
  std::string org_level;
  std::vector<std::string> org_path_names;  // names from the root down to the unit
  bool must_change_password = false;
  std::string session_hash;
  std::string csrf_token;
  std::string client_ip;

  bool Can(const std::string& permission) const { return permissions.count(permission) > 0; }
  // True when `path` (a unit's path) lies in this principal's subtree.
  bool Covers(const std::string& path) const { return path.compare(0, org_path.size(), org_path) == 0; }
};

}  // namespace th::service
