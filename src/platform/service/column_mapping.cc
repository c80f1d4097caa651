#include "platform/service/column_mapping.h"

#include <boost/json.hpp>

namespace th::service {

namespace json = boost::json;

Result<std::map<std::string, std::string>> ParseMappingJson(std::string_view text) {
  std::map<std::string, std::string> m;
  if (text.empty()) return m;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    return Status::Invalid("mapping", "invalid_mapping", "mapping 应为 JSON 对象 {\"字段\":\"列名\"}",
                           "mapping must be a JSON object {\"field\":\"column header\"}");
  }
  for (const auto& [k, val] : v.as_object()) {
    if (val.is_null()) continue;
    if (!val.is_string()) {
      return Status::Invalid("mapping", "invalid_mapping", "mapping 的值应为列名字符串", "mapping values are column headers");
    }
    m[std::string(k)] = std::string(val.as_string());
  }
  return m;
}

std::string MappingToJson(const std::map<std::string, std::string>& m) {
  json::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return json::serialize(o);
}

}  // namespace th::service
