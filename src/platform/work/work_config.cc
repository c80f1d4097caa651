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
    if (auto* vs = o.if_contains("variants")) {
      if (!vs->is_object()) return Bad(c.kind + ".variants 应为对象", c.kind + ".variants must be an object");
      for (const auto& [name, v] : vs->as_object()) {
        const std::string where = c.kind + ".variants." + std::string(name);
        if (!v.is_object()) return Bad(where + " 应为对象", where + " must be an object");
        const auto& vo = v.as_object();
        for (const auto& [key, unused] : vo) {
          if (key != "clock" && key != "warn_before" && key != "district_after") {
            return Bad(where + " 的未知项: " + std::string(key), where + ": unknown key " + std::string(key));
          }
        }
        ClockVariant cv{c.clock, c.warn_before, c.district_after};
        if (vo.contains("clock")) {
          TH_ASSIGN_OR_RETURN(cv.clock, DurationOf(vo, "clock", where, true));
        }
        if (vo.contains("warn_before")) {
          TH_ASSIGN_OR_RETURN(cv.warn_before, DurationOf(vo, "warn_before", where, true));
        }
        if (vo.contains("district_after")) {
          TH_ASSIGN_OR_RETURN(cv.district_after, DurationOf(vo, "district_after", where, true));
        }
        if (cv.warn_before.unit != "hours") return Bad(where + ".warn_before 须以 hours 计", where + ".warn_before must be in hours");
        if (cv.clock.amount == 0) return Bad(where + ".clock 不能为 0", where + ".clock must be positive");
        c.variants[std::string(name)] = cv;
      }
    }
    kinds_[c.kind] = std::move(c);
  }
  return Status::Ok();
}

const KindConfig* WorkConfig::Find(const std::string& kind) const {
  auto it = kinds_.find(kind);
  return it == kinds_.end() ? nullptr : &it->second;
}

Deadlines WorkConfig::DeadlinesFor(const std::string& kind, std::int64_t start_ms, const WorkCalendar& cal,
                                   const std::string& variant) const {
  ClockVariant c{{"workdays", 5}, {"hours", 24}, {"workdays", 5}};  // unknown kinds
  if (const KindConfig* k = Find(kind)) {
    auto v = k->variants.find(variant);
    c = v != k->variants.end() ? v->second : ClockVariant{k->clock, k->warn_before, k->district_after};
  }
  Deadlines d;
  d.due_at = After(c.clock, start_ms, cal, &d.beyond_calendar);
  d.warn_at = std::max(start_ms, d.due_at - c.warn_before.amount * kHourMs);
  d.district_at = After(c.district_after, d.due_at, cal, &d.beyond_calendar);
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
