#pragma once
// The cases module's deployment config (config/cases.json): the form used per assessment kind,
// the deadline rules (new child on the roll, yearly reassessment, yearly guardianship assessment
// for the categories listed) and what a red grade starts. Parsed in case_config.cc.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"

namespace th::domain {

struct CaseConfig {
  std::map<std::string, std::string> forms;  // kind (risk|needs|guardianship) → form code
  int new_child_days = 30;                   // a new protected child assessed within this
  int repeat_days = 365;                     // every child reassessed within this of the last
  int open_before_days = 30;                 // the reassessment item opens this long before due
  std::vector<std::string> guardianship_categories;  // category codes (config/categories)
  // A red grade (any grade listed) may start a conference or a guardianship check: the switch and
  // the grades; the listener is wired by the app.
  bool red_starts_conference = false;
  bool red_starts_guardianship_check = false;
  std::vector<std::string> alarm_grades = {"red"};
};

// Parses config/cases.json; errors name the file and the key.
Result<CaseConfig> ParseCaseConfig(const std::string& json, const std::string& file);

}  // namespace th::domain
