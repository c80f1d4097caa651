#include "platform/work/calendar.h"

#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace th::work {

namespace json = boost::json;
namespace fs = std::filesystem;
using domain::Date;

namespace {

Status Bad(const std::string& zh, const std::string& en) {
  return Status::Invalid("calendar", "invalid_calendar", "工作日历无效: " + zh, "Invalid working-day calendar: " + en);
}

std::string StrOf(const json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

Result<Date> DateIn(const json::value& v, int year, const char* what) {
  if (!v.is_string()) return Bad(std::string(what) + " 应为日期字符串", std::string(what) + " must be a date string");
  auto d = domain::ParseDate(std::string(v.as_string()), what);
  if (!d.ok()) return Bad(std::string(what) + " 日期无效: " + std::string(v.as_string()), std::string(what) + " is not a date");
  if (d->year != year) {
    return Bad(std::string(what) + " 不在 " + std::to_string(year) + " 年: " + d->ToString(),
               std::string(what) + " " + d->ToString() + " is not in " + std::to_string(year));
  }
  return *d;
}

}  // namespace

Status WorkCalendar::AddYear(const std::string& json_text) {
  boost::system::error_code ec;
  json::value root = json::parse(json_text, ec);
  if (ec || !root.is_object()) return Bad("不是 JSON 对象", "not a JSON object");
  const json::object& o = root.as_object();
  HolidayNotice n;
  if (auto* y = o.if_contains("year"); y && y->is_int64()) n.year = static_cast<int>(y->as_int64());
  if (n.year < 2000 || n.year > 2100) return Bad("year 缺失或无效", "year missing or invalid");
  if (notices_.count(n.year)) return Bad(std::to_string(n.year) + " 年重复", "year " + std::to_string(n.year) + " twice");
  auto* notice = o.if_contains("notice");
  if (!notice || !notice->is_object()) return Bad("缺少 notice（国务院通知）", "notice missing");
  n.number = StrOf(notice->as_object(), "number");
  n.title = StrOf(notice->as_object(), "title");
  n.published = StrOf(notice->as_object(), "published");
  n.url = StrOf(notice->as_object(), "url");
  if (n.number.empty() || n.url.rfind("https://", 0) != 0) {
    return Bad("notice 须有 number 和 https 地址", "notice needs a number and an https url");
  }
  auto* hol = o.if_contains("holidays");
  if (!hol || !hol->is_array()) return Bad("缺少 holidays", "holidays missing");
  std::set<std::int64_t> off, makeup;
  for (const auto& h : hol->as_array()) {
    if (!h.is_object()) return Bad("holidays 项应为对象", "holidays entries must be objects");
    const auto& ho = h.as_object();
    auto* range = ho.if_contains("off");
    if (!range || !range->is_object() || !range->as_object().contains("from") || !range->as_object().contains("to")) {
      return Bad("假期缺少 off.from/off.to", "holiday without off.from/off.to");
    }
    TH_ASSIGN_OR_RETURN(Date from, DateIn(range->as_object().at("from"), n.year, "off.from"));
    TH_ASSIGN_OR_RETURN(Date to, DateIn(range->as_object().at("to"), n.year, "off.to"));
    if (to < from || to.ToDays() - from.ToDays() > 10) return Bad("放假区间无效 " + from.ToString(), "bad off range " + from.ToString());
    for (std::int64_t d = from.ToDays(); d <= to.ToDays(); ++d) off.insert(d);
    if (auto* w = ho.if_contains("workdays"); w && w->is_array()) {
      for (const auto& x : w->as_array()) {
        TH_ASSIGN_OR_RETURN(Date m, DateIn(x, n.year, "workdays"));
        makeup.insert(m.ToDays());
      }
    }
  }
  for (std::int64_t d : makeup) {
    if (off.count(d)) return Bad("调休上班日同时是放假日: " + Date::FromDays(d).ToString(), "a make-up day is also off");
  }
  off_.insert(off.begin(), off.end());
  makeup_.insert(makeup.begin(), makeup.end());
  notices_[n.year] = std::move(n);
  return Status::Ok();
}

bool WorkCalendar::IsWorkday(Date d) const {
  const std::int64_t days = d.ToDays();
  if (makeup_.count(days)) return true;
  if (off_.count(days)) return false;
  const std::int64_t dow = ((days % 7) + 7 + 3) % 7;  // 1970-01-01 was a Thursday; 0 = Monday
  return dow < 5;
}

WorkdayResult WorkCalendar::AddWorkdays(Date from, int n) const {
  WorkdayResult r;
  r.date = from;
  n = std::clamp(n, 0, 3660);
  while (n > 0) {
    r.date = r.date.AddDays(1);
    if (!Covers(r.date.year)) r.beyond_calendar = true;
    if (IsWorkday(r.date)) --n;
  }
  return r;
}

Result<WorkCalendar> LoadCalendarDir(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::Invalid("config", "file_not_found", "找不到工作日历目录: " + dir, "Cannot read calendar folder: " + dir);
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("cn-", 0) == 0 && e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    return Status::Invalid("config", "file_not_found", "工作日历目录中没有 cn-YYYY.json: " + dir,
                           "No cn-YYYY.json in calendar folder " + dir);
  }
  WorkCalendar cal;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    Status s = in ? cal.AddYear(ss.str()) : Bad("无法读取", "cannot read");
    const std::string want = "cn-" + std::to_string(cal.last_year()) + ".json";
    if (s.ok() && f.filename().string() != want) s = Bad("文件名与 year 不符", "file name does not match its year");
    if (!s.ok()) {
      return Status::Invalid("config", "invalid_config", "配置文件无效: " + f.string() + ": " + s.message_zh(),
                             "Invalid configuration file " + f.string() + ": " + s.message_en());
    }
  }
  if (cal.last_year() - cal.first_year() + 1 != static_cast<int>(cal.notices().size())) {
    return Status::Invalid("config", "invalid_config", "工作日历年份不连续: " + dir, "Calendar years are not consecutive: " + dir);
  }
  return cal;
}

}  // namespace th::work
