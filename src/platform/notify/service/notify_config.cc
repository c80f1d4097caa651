// A config parser: the one place below api where Boost.JSON is allowed (DESIGN.md, layering).
#include "platform/notify/service/notify_config.h"

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace th::notify {

namespace json = boost::json;

namespace {

Status Bad(const std::string& file, const std::string& field, const std::string& why, const std::string& why_en) {
  return Status::Error(Code::kInvalidArgument, "invalid_config", "配置文件 " + file + " 的 " + field + " 无效: " + why,
                       "Invalid " + field + " in " + file + ": " + why_en, field);
}

Status ReadInt(const json::object& o, const char* key, const std::string& file, const std::string& prefix,
               std::int64_t lo, std::int64_t hi, std::int64_t* out) {
  auto it = o.find(key);
  if (it == o.end()) return Status::Ok();
  if (!it->value().is_int64() || it->value().as_int64() < lo || it->value().as_int64() > hi) {
    return Bad(file, prefix + key, "须为 " + std::to_string(lo) + " 到 " + std::to_string(hi) + " 的整数",
               "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
  }
  *out = it->value().as_int64();
  return Status::Ok();
}

Status ParseSms(const json::object& o, const std::string& file, SmsChannelConfig* sms) {
  if (auto it = o.find("enabled"); it != o.end()) {
    if (!it->value().is_bool()) return Bad(file, "sms.enabled", "须为 true 或 false", "must be true or false");
    sms->enabled = it->value().as_bool();
  }
  if (auto it = o.find("url"); it != o.end()) {
    if (!it->value().is_string()) return Bad(file, "sms.url", "须为字符串", "must be a string");
    sms->url = std::string(it->value().as_string());
  }
  if (sms->enabled && sms->url.rfind("http://", 0) != 0) return Bad(file, "sms.url", "须以 http:// 开头", "must start with http://");
  TH_RETURN_IF_ERROR(ReadInt(o, "timeout_ms", file, "sms.", 100, 120'000, &sms->timeout_ms));
  std::int64_t attempts = sms->max_attempts;
  TH_RETURN_IF_ERROR(ReadInt(o, "max_attempts", file, "sms.", 1, 100, &attempts));
  sms->max_attempts = static_cast<int>(attempts);
  TH_RETURN_IF_ERROR(ReadInt(o, "backoff_ms", file, "sms.", 1, 86'400'000, &sms->backoff_ms));
  TH_RETURN_IF_ERROR(ReadInt(o, "max_backoff_ms", file, "sms.", 1, 7 * 86'400'000LL, &sms->max_backoff_ms));
  return Status::Ok();
}

}  // namespace

Result<NotifyConfig> ParseNotifyConfig(std::string_view text, const std::string& file) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Bad(file, "(file)", "不是 JSON 对象", "not a JSON object");
  NotifyConfig cfg;
  const json::object& root = v.as_object();
  if (auto it = root.find("sms"); it != root.end()) {
    if (!it->value().is_object()) return Bad(file, "sms", "须为对象", "must be an object");
    TH_RETURN_IF_ERROR(ParseSms(it->value().as_object(), file, &cfg.sms));
  }
  if (auto it = root.find("worker"); it != root.end()) {
    if (!it->value().is_object()) return Bad(file, "worker", "须为对象", "must be an object");
    const json::object& w = it->value().as_object();
    TH_RETURN_IF_ERROR(ReadInt(w, "interval_ms", file, "worker.", 10, 3'600'000, &cfg.interval_ms));
    std::int64_t batch = cfg.batch;
    TH_RETURN_IF_ERROR(ReadInt(w, "batch", file, "worker.", 1, 1000, &batch));
    cfg.batch = static_cast<int>(batch);
    TH_RETURN_IF_ERROR(ReadInt(w, "lease_ms", file, "worker.", 1000, 3'600'000, &cfg.lease_ms));
  }
  return cfg;
}

Result<NotifyConfig> LoadNotifyConfig(const std::string& config_dir) {
  const std::filesystem::path path = std::filesystem::path(config_dir) / "notify.json";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return NotifyConfig{};
  std::ifstream in(path);
  if (!in) return Bad(path.string(), "(file)", "无法读取", "cannot be read");
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseNotifyConfig(ss.str(), path.string());
}

}  // namespace th::notify
