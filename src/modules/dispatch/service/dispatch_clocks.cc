#include "modules/dispatch/service/dispatch_clocks.h"

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

namespace th::service {

namespace json = boost::json;

namespace {

Status Bad(const std::string& zh, const std::string& en) {
  return Status::Invalid("config", "invalid_config", "派单时限配置无效: " + zh, "Invalid dispatch clocks: " + en);
}

Result<work::Duration> DurationOf(const json::object& o, const char* key, const std::string& where,
                                  const work::Duration& fallback) {
  auto* v = o.if_contains(key);
  if (!v) return fallback;
  if (!v->is_object()) return Bad(where + "." + key + " 应为对象", where + "." + key + " must be an object");
  const auto& x = v->as_object();
  auto* unit = x.if_contains("unit");
  auto* amount = x.if_contains("amount");
  if (!unit || !unit->is_string() || !amount || !amount->is_int64()) {
    return Bad(where + "." + key + " 须有 unit 和 amount", where + "." + key + " needs unit and amount");
  }
  work::Duration d{std::string(unit->as_string()), static_cast<int>(amount->as_int64())};
  if ((d.unit != "workdays" && d.unit != "hours") || d.amount <= 0 || d.amount > 3650) {
    return Bad(where + "." + key + " 的 unit 应为 workdays 或 hours，amount 1..3650",
               where + "." + key + ": unit workdays|hours, amount 1..3650");
  }
  return d;
}

}  // namespace

Result<DispatchClocks> DispatchClocks::Parse(const std::string& json_text) {
  boost::system::error_code ec;
  json::value root = json::parse(json_text, ec);
  if (ec || !root.is_object() || !root.as_object().contains("kinds") || !root.as_object().at("kinds").is_array()) {
    return Bad("应为 {\"kinds\": [...]}", "expected {\"kinds\": [...]}");
  }
  DispatchClocks out;
  for (const auto& k : root.as_object().at("kinds").as_array()) {
    if (!k.is_object() || !k.as_object().contains("variants")) continue;
    const auto& o = k.as_object();
    const std::string kind = o.contains("kind") && o.at("kind").is_string() ? std::string(o.at("kind").as_string()) : "";
    const auto& vs = o.at("variants");
    if (!vs.is_object()) return Bad(kind + ".variants 应为对象", kind + ".variants must be an object");
    for (const auto& [name, v] : vs.as_object()) {
      const std::string where = kind + ".variants." + std::string(name);
      if (!v.is_object()) return Bad(where + " 应为对象", where + " must be an object");
      work::KindConfig c;
      c.kind = kind;
      TH_ASSIGN_OR_RETURN(c.clock, DurationOf(v.as_object(), "clock", where, {"", 0}));
      if (c.clock.amount == 0) return Bad(where + " 缺少 clock", where + " lacks clock");
      TH_ASSIGN_OR_RETURN(c.warn_before, DurationOf(v.as_object(), "warn_before", where, {"hours", 24}));
      TH_ASSIGN_OR_RETURN(c.district_after, DurationOf(v.as_object(), "district_after", where, c.clock));
      if (c.warn_before.unit != "hours") return Bad(where + ".warn_before 须以 hours 计", where + ".warn_before in hours");
      out.variants_[kind][std::string(name)] = std::move(c);
    }
  }
  return out;
}

Result<DispatchClocks> DispatchClocks::Load(const std::string& config_dir) {
  const std::string path = config_dir + "/workflows/dispatch.json";
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::Invalid("config", "file_not_found", "找不到配置文件: " + path, "Cannot read configuration file: " + path);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto r = Parse(ss.str());
  if (!r.ok()) {
    return Status::Invalid("config", "invalid_config", "配置文件无效: " + path + ": " + r.status().message_zh(),
                           "Invalid configuration file " + path + ": " + r.status().message_en());
  }
  return r;
}

const work::KindConfig* DispatchClocks::Find(const std::string& kind, const std::string& variant) const {
  auto k = variants_.find(kind);
  if (k == variants_.end()) return nullptr;
  auto v = k->second.find(variant);
  return v == k->second.end() ? nullptr : &v->second;
}

}  // namespace th::service
