#include "platform/service/roles.h"

#include <boost/json.hpp>

namespace th::service {

namespace json = boost::json;

namespace {

Status BadRoles(const std::string& what) {
  return Status::Invalid("roles", "invalid_roles", "角色配置有误: " + what, "Invalid roles: " + what);
}

bool IsPermissionName(std::string_view p) {
  const auto dot = p.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == p.size()) return false;
  for (char c : p) {
    if (!(c == '.' || c == '_' || (c >= 'a' && c <= 'z'))) return false;
  }
  return true;
}

std::string StrOf(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

Result<RoleTable> RoleTable::Parse(std::string_view json_text) {
  boost::system::error_code ec;
  json::value doc = json::parse(json_text, ec);
  if (ec || !doc.is_object()) return BadRoles("not a JSON object");
  const json::value* list = doc.as_object().if_contains("roles");
  if (!list || !list->is_array() || list->as_array().empty()) return BadRoles("\"roles\" must be a non-empty array");
  RoleTable t;
  std::set<std::string> codes;
  for (const auto& v : list->as_array()) {
    if (!v.is_object()) return BadRoles("each role must be an object");
    const json::object& o = v.as_object();
    Role r;
    r.code = StrOf(o, "code");
    r.name = StrOf(o, "name");
    r.name_en = StrOf(o, "name_en");
    if (r.code.empty() || !codes.insert(r.code).second) return BadRoles("empty or duplicate code: " + r.code);
    if (r.name.empty() || r.name_en.empty()) return BadRoles(r.code + ": name and name_en are required");
    const json::value* rank = o.if_contains("rank");
    if (!rank || !rank->is_int64() || rank->as_int64() < 0 || rank->as_int64() > 1000) {
      return BadRoles(r.code + ": rank must be an integer 0..1000");
    }
    r.rank = static_cast<int>(rank->as_int64());
    const json::value* perms = o.if_contains("permissions");
    if (!perms || !perms->is_array()) return BadRoles(r.code + ": permissions must be an array");
    for (const auto& p : perms->as_array()) {
      if (!p.is_string() || !IsPermissionName(p.as_string())) return BadRoles(r.code + ": invalid permission");
      r.permissions.insert(std::string(p.as_string()));
    }
    t.roles_.push_back(std::move(r));
  }
  return t;
}

const Role* RoleTable::Find(const std::string& code) const {
  for (const Role& r : roles_) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

int RoleTable::Rank(const std::string& code) const {
  const Role* r = Find(code);
  return r ? r->rank : 0;
}

std::set<std::string> RoleTable::Permissions() const {
  std::set<std::string> all;
  for (const Role& r : roles_) all.insert(r.permissions.begin(), r.permissions.end());
  return all;
}

}  // namespace th::service
