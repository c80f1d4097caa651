#include "platform/work/work_config.h"

#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace th::work {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kHourMs = 3600LL * 1000;
constexpr std::int64_t kDayMs = 24 * kHourMs;
constexpr std::int64_t kShanghaiOffsetMs = 8 * kHourMs;

Status Bad(const std::string& zh, const std::string& en) {
  return Status::Invalid("workflows", "invalid_workflow", "流程配置无效: " + zh, "Invalid workflow config: " + en);
}

Result<Duration> DurationOf(const json::object& o, const char* key, const std::string& kind, bool required) {
  Duration d;
  auto* v = o.if_contains(key);
  if (!v) {
    if (required) return Bad(kind + " 缺少 " + key, kind + " lacks " + key);
    d.amount = 0;
    d.unit = "hours";
    return d;
  }
  if (!v->is_object()) return Bad(kind + "." + key + " 应为对象", kind + "." + key + " must be an object");
  const auto& x = v->as_object();
  auto* unit = x.if_contains("unit");
  auto* amount = x.if_contains("amount");
  if (!unit || !unit->is_string() || !amount || !amount->is_int64()) {
    return Bad(kind + "." + key + " 须有 unit 和 amount", kind + "." + key + " needs unit and amount");
  }
  d.unit = std::string(unit->as_string());
  d.amount = static_cast<int>(amount->as_int64());
  if ((d.unit != "workdays" && d.unit != "hours") || d.amount < 0 || d.amount > 3650) {
    return Bad(kind + "." + key + " 的 unit 应为 workdays 或 hours，amount 0..3650",
               kind + "." + key + ": unit workdays|hours, amount 0..3650");
  }
  return d;
}

std::string Str(const json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

std::int64_t EndOfDayShanghai(domain::Date d) { return (d.ToDays() + 1) * kDayMs - kShanghaiOffsetMs - 1; }

std::int64_t WorkConfig::After(const Duration& d, std::int64_t start_ms, const WorkCalendar& cal, bool* beyond) {
  if (d.unit == "hours") return start_ms + d.amount * kHourMs;
  WorkdayResult r = cal.AddWorkdays(domain::Date::FromEpochMillisShanghai(start_ms), d.amount);
  if (r.beyond_calendar && beyond) *beyond = true;
  return EndOfDayShanghai(r.date);
}

Status WorkConfig::AddFile(const std::string& json_text) {
  boost::system::error_code ec;
  json::value root = json::parse(json_text, ec);
  if (ec || !root.is_object() || !root.as_object().contains("kinds") || !root.as_object().at("kinds").is_array()) {
    return Bad("应为 {\"kinds\": [...]}", "expected {\"kinds\": [...]}");
  }
  for (const auto& k : root.as_object().at("kinds").as_array()) {
    if (!k.is_object()) return Bad("kinds 项应为对象", "kinds entries must be objects");
    const auto& o = k.as_object();
    KindConfig c;
    c.kind = Str(o, "kind");
    c.name = Str(o, "name");
    c.name_en = Str(o, "name_en");
    c.act_permission = Str(o, "act_permission");
    if (c.kind.empty() || c.name.empty() || c.act_permission.empty()) {
      return Bad("kind、name、act_permission 必填", "kind, name and act_permission are required");
    }
    if (kinds_.count(c.kind)) return Bad(c.kind + " 重复", c.kind + " appears twice");
    TH_ASSIGN_OR_RETURN(c.clock, DurationOf(o, "clock", c.kind, true));
    TH_ASSIGN_OR_RETURN(c.warn_before, DurationOf(o, "warn_before", c.kind, false));
    TH_ASSIGN_OR_RETURN(c.district_after, DurationOf(o, "district_after", c.kind, true));
    if (c.warn_before.unit != "hours") return Bad(c.kind + ".warn_before 须以 hours 计", c.kind + ".warn_before must be in hours");
    if (c.clock.amount == 0) return Bad(c.kind + ".clock 不能为 0", c.kind + ".clock must be positive");
    kinds_[c.kind] = std::move(c);
  }
  return Status::Ok();
}

const KindConfig* WorkConfig::Find(const std::string& kind) const {
  auto it = kinds_.find(kind);
  return it == kinds_.end() ? nullptr : &it->second;
}

Deadlines WorkConfig::DeadlinesFor(const std::string& kind, std::int64_t start_ms, const WorkCalendar& cal) const {
  static const KindConfig kDefault{"", "", "", "", {"workdays", 5}, {"hours", 24}, {"workdays", 5}};
  const KindConfig* k = Find(kind);
  if (!k) k = &kDefault;
  Deadlines d;
  d.due_at = After(k->clock, start_ms, cal, &d.beyond_calendar);
  d.warn_at = std::max(start_ms, d.due_at - k->warn_before.amount * kHourMs);
  d.district_at = After(k->district_after, d.due_at, cal, &d.beyond_calendar);
  return d;
}

Result<WorkConfig> LoadWorkflowDir(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::Invalid("config", "file_not_found", "找不到流程配置目录: " + dir, "Cannot read workflow folder: " + dir);
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  WorkConfig cfg;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    Status s = in ? cfg.AddFile(ss.str()) : Bad("无法读取", "cannot read");
    if (!s.ok()) {
      return Status::Invalid("config", "invalid_config", "配置文件无效: " + f.string() + ": " + s.message_zh(),
                             "Invalid configuration file " + f.string() + ": " + s.message_en());
    }
  }
  return cfg;
}

}  // namespace th::work
