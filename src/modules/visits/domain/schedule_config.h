#pragma once
// Visit frequency (走访频次) as data: config/visits/schedule.json. Pure rules: which interval a
// child gets from its risk grade and roll categories, and when its next visit falls due.
#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/date.h"

namespace th::domain {

struct VisitGradeRule {
  std::string code, name, name_en, color;
  int days = 30;
};
struct VisitCategoryRule {
  std::string code;
  int days = 30;
};

struct VisitScheduleConfig {
  std::vector<VisitGradeRule> grades;
  std::vector<VisitCategoryRule> categories;
  int default_days = 30;
  int first_visit_days = 15;
  int due_soon_days = 7;
  std::int64_t version = 1;

  const VisitGradeRule* FindGrade(const std::string& code) const;
};

// Parses the file's text. Errors (invalid_config) name the key: grades/categories must be lists of
// {code, days} with 1 <= days <= 366 and unique codes; default_days and first_visit_days 1..366.
Result<VisitScheduleConfig> ParseVisitScheduleConfig(const std::string& text);

// The interval a child gets: the shortest of its grade's rule ("grade:red") and the rules of its
// roll categories (",left_behind,migrant," as the registry stores them: "category:left_behind");
// default_days ("default") when none applies.
struct VisitInterval {
  int days = 30;
  std::string rule;
};
VisitInterval IntervalFor(const VisitScheduleConfig& cfg, const std::string& grade, const std::string& categories);

// The next visit due: the last visit + interval, or, never visited, `planned_from` + the interval
// (first_visit_days when `first` — a child new on the roll — whichever is shorter).
Date NextDue(const VisitScheduleConfig& cfg, const VisitInterval& in, Date last_visit, Date planned_from, bool first);

}  // namespace th::domain
