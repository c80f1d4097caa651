#pragma once
// Work kinds and their clocks and escalation ladders, from config/workflows/*.json. A clock is
// measured in working days (counting starts the next day, the deadline is the end of that day,
// Asia/Shanghai) or natural hours. Pure logic.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "platform/work/calendar.h"

namespace th::work {

struct Duration {
  std::string unit = "workdays";  // workdays | hours
  int amount = 0;
};

// A clock variant of a kind (e.g. "urgent"): the durations it overrides.
struct ClockVariant {
  Duration clock, warn_before, district_after;
};

struct KindConfig {
  std::string kind;      // roll_review
  std::string name;      // 名册申请审核
  std::string name_en;
  std::string act_permission;  // who works the item (roll.review)
  Duration clock;              // the deadline from the start
  Duration warn_before;        // the warning before the deadline (hours only)
  Duration district_after;     // after the deadline: the district is told
  // Named variants ("variants": {"urgent": {"clock": ..., "warn_before": ..., "district_after": ...}}):
  // a module picks one per item (WorkOpen::variant); missing durations are the kind's own.
  std::map<std::string, ClockVariant> variants;
};

// The deadlines of one item, computed when it opens (or when an extension is approved).
struct Deadlines {
  std::int64_t warn_at = 0, due_at = 0, district_at = 0;
  bool beyond_calendar = false;
};

// The end (23:59:59.999) of `d` in Asia/Shanghai, as epoch milliseconds.
std::int64_t EndOfDayShanghai(domain::Date d);

class WorkConfig {
 public:
  // Parses one file ({"kinds":[...]}); errors name the kind.
  Status AddFile(const std::string& json_text);
  const KindConfig* Find(const std::string& kind) const;
  const std::map<std::string, KindConfig>& kinds() const { return kinds_; }
  // The deadlines of an item of `kind` (its clock `variant`, "" or unknown: the kind's own)
  // started at `start_ms`. Unknown kinds: 5 working days.
  Deadlines DeadlinesFor(const std::string& kind, std::int64_t start_ms, const WorkCalendar& cal,
                         const std::string& variant = "") const;
  // The deadline `d` after `start_ms` (working days end at the end of the day).
  static std::int64_t After(const Duration& d, std::int64_t start_ms, const WorkCalendar& cal, bool* beyond);

 private:
  std::map<std::string, KindConfig> kinds_;
};

// Loads every *.json under `dir` (config/workflows). Errors name the file.
Result<WorkConfig> LoadWorkflowDir(const std::string& dir);

}  // namespace th::work
