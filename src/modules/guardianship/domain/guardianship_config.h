#pragma once
// The guardianship module's deployment config (config/guardianship/guardianship.json): the Art 92
// and Art 94 grounds as checklists, whether a proposal needs the district's approval, the
// placement kinds (Art 93), the temporary guardianship's time limit and the placement check
// interval, the return assessment (the cases module's form kind and the grades that pass) and the
// child states a check records. Parsed in guardianship_config.cc; pure.
#include <string>
#include <vector>

#include "base/status.h"

namespace th::domain {

struct GuardianshipCode {
  std::string code, name, name_en;
};

struct GuardianshipConfig {
  bool approval_required = true;
  int limit_days = 365;          // temporary guardianship: from the placement to the limit
  int check_interval_days = 30;  // placement check: from the placement or the last check
  std::string return_kind = "guardianship";  // the assessment kind of the return assessment
  std::vector<std::string> pass_grades;      // its grades that allow the return
  std::vector<GuardianshipCode> temporary_grounds, long_term_grounds, placement_kinds, child_states;

  // The list for `kind` ("temporary" | "long_term").
  const std::vector<GuardianshipCode>& Grounds(const std::string& kind) const {
    return kind == "temporary" ? temporary_grounds : long_term_grounds;
  }
  static const GuardianshipCode* Find(const std::vector<GuardianshipCode>& list, const std::string& code) {
    for (const auto& c : list) {
      if (c.code == code) return &c;
    }
    return nullptr;
  }
  bool Passes(const std::string& grade) const {
    for (const auto& g : pass_grades) {
      if (g == grade) return true;
    }
    return false;
  }
};

// Parses the file's text; errors (400 invalid_guardianship_config) name `file` and the key.
Result<GuardianshipConfig> ParseGuardianshipConfig(const std::string& json, const std::string& file);

}  // namespace th::domain
