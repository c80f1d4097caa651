#pragma once
// What the plans module needs of a case (the cases module's CaseService, issue 12's contract),
// behind an interface so that the plans service can be tested alone and built before cases.
// The app adapts the cases module's CaseFactsSource to it (src/app/plans_case_access.h).
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "base/status.h"
#include "platform/service/principal.h"
#include "storage/connection.h"

namespace th::service {

struct PlanCase {
  std::int64_t id = 0, child_id = 0, unit_id = 0;
  std::string unit_path;  // the child's unit path (scope)
  std::int64_t district_unit_id = 0;
  std::string status;  // intake|assessing|planning|intervening|reviewing|closed
  std::optional<std::int64_t> worker_user_id;
  std::string grade;
};

struct PlanNeed {
  std::string code, name;
  int level = 0;
  std::string note;
};

class CaseAccess {
 public:
  virtual ~CaseAccess() = default;
  // case.read and the case in the caller's scope, else 403 / 404.
  virtual Result<PlanCase> LoadInScope(storage::Connection& c, const Principal& who, std::int64_t case_id) = 0;
  // The latest completed needs assessment's needs (empty when none).
  virtual Result<std::vector<PlanNeed>> LatestNeeds(storage::Connection& c, std::int64_t case_id) = 0;
  // Both of the above (the cases module reads them in one round trip on PostgreSQL).
  virtual Result<std::pair<PlanCase, std::vector<PlanNeed>>> LoadWithNeeds(storage::Connection& c, const Principal& who,
                                                                          std::int64_t case_id) {
    TH_ASSIGN_OR_RETURN(auto k, LoadInScope(c, who, case_id));
    TH_ASSIGN_OR_RETURN(auto needs, LatestNeeds(c, case_id));
    return std::make_pair(std::move(k), std::move(needs));
  }
  // Moves the case (audited, in the caller's transaction; 409 invalid_state on a wrong move).
  virtual Status MoveIn(storage::Connection& c, const Principal& who, std::int64_t case_id, const std::string& to,
                        const std::string& note) = 0;
  // Calls `fn` inside every transaction that closes a case (PlanService registers OnCaseClosed).
  virtual void OnClosed(std::function<Status(storage::Connection&, std::int64_t case_id)> fn) = 0;
};

}  // namespace th::service
