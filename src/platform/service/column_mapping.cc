#include "platform/service/column_mapping.h"

#include <boost/json.hpp>
#include <set>

namespace th::service {

namespace json = boost::json;

std::string HeaderKey(std::string_view h) {
  std::string out;
  std::size_t i = 0;
  while (i < h.size()) {
    unsigned char c = static_cast<unsigned char>(h[i]);
    auto starts = [&](const char* s) { return h.compare(i, std::char_traits<char>::length(s), s) == 0; };
    if (c == ' ' || c == '\t' || c == '*') { ++i; continue; }
    if (starts("\u3000")) { i += 3; continue; }
    if (starts("＊")) { i += 3; continue; }
    if (starts("（")) { out += '('; i += 3; continue; }
    if (starts("）")) { out += ')'; i += 3; continue; }
    if (starts("／")) { out += '/'; i += 3; continue; }
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    ++i;
  }
  return out;
}

ImportMapping SuggestMapping(const std::vector<ImportField>& fields, const std::vector<std::string>& columns) {
  ImportMapping m;
  std::vector<std::string> keys;
  keys.reserve(columns.size());
  for (const auto& c : columns) keys.push_back(HeaderKey(c));
  std::set<std::size_t> used;
  for (const auto& f : fields) {
    // Aliases in priority order: the first alias present wins.
    for (const char* h : f.headers) {
      std::string hk = HeaderKey(h);
      bool found = false;
      for (std::size_t i = 0; i < columns.size(); ++i) {
        if (used.count(i) || keys[i] != hk) continue;
        m[f.key] = columns[i];
        used.insert(i);
        found = true;
        break;
      }
      if (found) break;
    }
  }
  return m;
}

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
