#include "modules/conferences/api/conferences_module.h"

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "platform/service/services.h"

namespace th::api {

void RegisterConferenceRoutes(http::Router& r, service::ConferenceService& svc, const RouteContext& ctx);

ConferencesModule::ConferencesModule(service::Services& platform, service::ChildService& children,
                                     domain::ConferenceConfig config)
    : conferences_(platform.deps(), children, std::move(config)) {}

void ConferencesModule::RegisterRoutes(http::Router& r, const RouteContext& ctx) {
  RegisterConferenceRoutes(r, conferences_, ctx);
}

Result<domain::ConferenceConfig> ConferencesModule::ParseConfig(const std::string& text) {
  auto bad = [](const std::string& zh, const std::string& en) {
    return Status::Invalid("config", "invalid_config", zh, en);
  };
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return bad("JSON 格式错误", "Malformed JSON");
  const auto* reasons = v.as_object().if_contains("reasons");
  if (!reasons || !reasons->is_array() || reasons->as_array().empty()) {
    return bad("reasons 应为非空数组", "reasons must be a non-empty array");
  }
  domain::ConferenceConfig cfg;
  std::set<std::string> seen;
  for (const auto& x : reasons->as_array()) {
    if (!x.is_object()) return bad("reasons 的元素应为对象", "Each reason must be an object");
    const auto& o = x.as_object();
    auto str = [&](const char* k) {
      const auto* s = o.if_contains(k);
      return s && s->is_string() ? std::string(s->as_string()) : std::string();
    };
    domain::ConferenceReason r{str("code"), str("name"), str("name_en"), false};
    if (const auto* n = o.if_contains("note_required"); n && n->is_bool()) r.note_required = n->as_bool();
    if (r.code.empty() || r.name.empty()) return bad("启动事由需有 code 和 name", "Each reason needs code and name");
    if (!seen.insert(r.code).second) return bad("启动事由编码重复: " + r.code, "Duplicate reason code: " + r.code);
    if (r.name_en.empty()) r.name_en = r.name;
    cfg.reasons.push_back(std::move(r));
  }
  return cfg;
}

Result<domain::ConferenceConfig> ConferencesModule::LoadConfig(const std::string& config_dir) {
  const std::string path = (std::filesystem::path(config_dir) / "conferences" / "config.json").string();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::Invalid("config", "config_missing", "缺少配置文件: " + path, "Missing configuration file: " + path);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto cfg = ParseConfig(ss.str());
  if (!cfg.ok()) {
    return Status::Invalid("config", cfg.status().error_code(), path + ": " + cfg.status().message_zh(),
                           path + ": " + cfg.status().message_en());
  }
  return cfg;
}

}  // namespace th::api
