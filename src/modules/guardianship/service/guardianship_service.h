#pragma once
// Guardianship interventions (监护干预, 未成年人保护法 Art 92-95; README.md beside
// src/modules/guardianship). A temporary guardianship (Art 92) is proposed by the station with its
// grounds, approved or rejected by the district 民政 (config: approval_required), placed (Art 93:
// relatives, foster family, rescue protection or welfare institution) with the placement's
// contact, checked at an interval (placement_check work items), and ends returned home, only after
// a passing 家庭监护能力评估 completed since the placement (409 return_assessment_required /
// 422 return_assessment_failed), or converted to long-term guardianship (Art 94), which adoption
// (Art 95) or another end closes; the registry's fallback_guardianship (兜底监护儿童) category is
// set while a long-term guardianship is active. Time limit: the guardianship_limit work item, due
// limit_days after the placement, escalating on the engine.
// Visibility: guardianship.read / write / approve only; scope: the child's community path (copied
// on the row), else 404; every read (detail and list) and every change is audited.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "modules/guardianship/domain/guardianship_config.h"
#include "modules/guardianship/repo/guardianship_repo.h"
#include "platform/service/deps.h"
#include "platform/service/principal.h"

namespace th::storage {
class Connection;
}

namespace th::service {

class ChildService;
class CaseService;

// Counts for the case statistics (cstat's contract, HELPERS.md).
struct GuardianshipCounts {
  std::string group_path;
  std::int64_t temporary_now = 0, returned = 0, long_term_now = 0;
};

struct ProposeGuardianshipInput {
  std::int64_t child_id = 0;
  std::string kind;                  // temporary | long_term
  std::vector<std::string> grounds;  // codes of the kind's checklist, at least one
  std::string reason;                // 2..1000
};

struct PlacementInput {
  std::string kind;  // a placement kind code of the config
  std::string name, contact, phone, address;
  std::int64_t placed_at = 0;  // epoch ms; 0: now
};

struct PlacementCheckInput {
  std::int64_t checked_at = 0;  // epoch ms; 0: now
  std::string child_state;      // a child state code of the config
  std::string notes;
};

struct GuardianshipListParams {
  std::string kind, status, q;
  std::optional<std::int64_t> child_id, unit_id;
  bool open_only = false;
};

// The return assessment as the detail shows it.
struct ReturnAssessmentFacts {
  std::int64_t id = 0;
  std::string status, grade;
  std::optional<std::int64_t> completed_at;
  bool passes = false;  // completed, since the placement, with a passing grade, not superseded
  std::optional<std::int64_t> superseded_by;  // the child's later completed assessment of the kind
};

struct GuardianshipView {
  repo::GuardianshipRecord record;
  std::vector<repo::GuardianshipEventRecord> events;   // detail only: the timeline
  std::vector<repo::PlacementCheckRecord> checks;      // detail only
  std::optional<ReturnAssessmentFacts> return_assessment;  // detail only
  std::vector<std::string> actions;                    // what the caller may do now
};

class GuardianshipService {
 public:
  GuardianshipService(Deps& deps, domain::GuardianshipConfig config, ChildService& children, CaseService& cases);
  ~GuardianshipService();

  const domain::GuardianshipConfig& config() const { return config_; }

  // Proposes an intervention: guardianship.write, the child in scope (404), one open intervention
  // per child (409 guardianship_open), kind temporary|long_term, grounds of that kind's checklist
  // (400 naming `grounds`), a reason. Approved at once when approval_required is false; otherwise
  // opens guardianship_approve for the district. Closes the child's guardianship_check item.
  Result<GuardianshipView> Propose(const Principal& who, const ProposeGuardianshipInput& in);
  Result<std::vector<GuardianshipView>> List(const Principal& who, const GuardianshipListParams& p,
                                             const repo::Page& page, std::int64_t* total);
  Result<GuardianshipView> Get(const Principal& who, std::int64_t id);
  // approve | reject a proposal: guardianship.approve; a rejection needs a note. A long-term
  // guardianship approved becomes active (and the child fallback_guardianship).
  Result<GuardianshipView> Decide(const Principal& who, std::int64_t id, const std::string& action,
                                  const std::string& note, std::int64_t version);
  // An approved temporary guardianship is placed (guardianship.write): opens placement_check and
  // guardianship_limit (due limit_days after placed_at).
  Result<GuardianshipView> Place(const Principal& who, std::int64_t id, const PlacementInput& in,
                                 std::int64_t version);
  // A check during the placement (guardianship.write): the next placement_check falls due
  // check_interval_days after it.
  Result<GuardianshipView> RecordCheck(const Principal& who, std::int64_t id, const PlacementCheckInput& in,
                                       std::int64_t version);
  // Links the child's completed return assessment (kind of the config) to the placed guardianship
  // (guardianship.write); 400 invalid_assessment when it is another child's, another kind or a draft.
  Result<GuardianshipView> LinkReturnAssessment(const Principal& who, std::int64_t id, std::int64_t assessment_id,
                                                std::int64_t version);
  // The child goes home (guardianship.write): 409 return_assessment_required without a linked
  // assessment completed since the placement, 409 return_assessment_superseded when the child has a
  // later completed assessment of the kind (the latest one decides), 409 return_assessment_failed
  // when its grade does not pass. Closes the placement's work items.
  Result<GuardianshipView> Return(const Principal& who, std::int64_t id, const std::string& note,
                                  std::int64_t version);
  // A placed temporary guardianship becomes long-term (guardianship.approve) on Art 94 grounds.
  Result<GuardianshipView> Convert(const Principal& who, std::int64_t id, const std::vector<std::string>& grounds,
                                   const std::string& note, std::int64_t version);
  // Ends an active long-term guardianship (guardianship.approve): end_kind adopted (Art 95) or
  // ended, on `ended_at` (not before the day of its decision: 400 before_start) with a note; clears
  // fallback_guardianship. An approved temporary guardianship that was never placed can be ended
  // (end_kind ended only; adopted is 409 invalid_state), so that it does not stay open for ever.
  Result<GuardianshipView> End(const Principal& who, std::int64_t id, const std::string& end_kind,
                               std::int64_t ended_at, const std::string& note, std::int64_t version);
  // Closes the child's open guardianship_check with a note (no intervention needed):
  // guardianship.write, the child in scope (404). 409 invalid_state (field child_id) when no check
  // is open: nothing is closed or audited.
  Status CloseCheck(const Principal& who, std::int64_t child_id, const std::string& note);

  // A red (alarm) grade: opens a guardianship_check for the child's street social workers unless one
  // is open or the child has an open intervention (idempotent). In the caller's transaction; the app
  // calls it only when config/cases/cases.json alarm.start_guardianship_check is on.
  Status OnAlarmGrade(storage::Connection& c, std::int64_t child_id, const std::string& grade, std::int64_t at);

  // The child of intervention `id` (no permission check: for the app's wiring, e.g. the warnings
  // module resolving an overdue `guardianship_limit` item to its child), nullopt when none.
  Result<std::optional<std::int64_t>> ChildOf(storage::Connection& c, std::int64_t id);

  // Case statistics: per group path (the first that prefixes the row's unit_path), the temporary
  // guardianships now (approved or placed), returns home in [from, to) and long-term now, of the
  // interventions under `scope_path`. One row per group, in the order given; no permission check
  // (the caller checks its own and passes the caller's path).
  Result<std::vector<GuardianshipCounts>> CountsByGroup(storage::Connection& c, const std::string& scope_path,
                                                        const std::vector<std::string>& group_paths, std::int64_t from,
                                                        std::int64_t to);

 private:
  using Step = std::function<Status(storage::Connection&, repo::GuardianshipRecord&)>;
  // Loads `id` in scope, checks `permission`, the version, the statuses allowed (409
  // invalid_state), runs `step`, writes the row, the timeline event and the audit entry
  // (guardianship.<action>), in one transaction; then returns the detail.
  Result<GuardianshipView> Change(const Principal& who, std::int64_t id, std::int64_t version, const char* permission,
                                  const std::vector<std::string>& from, const std::string& action,
                                  const std::string& note, const Step& step);
  Result<repo::GuardianshipRecord> LoadScoped(storage::Connection& c, const Principal& who, std::int64_t id);
  Status Record(storage::Connection& c, const Principal* who, const repo::GuardianshipRecord& g,
                const std::string& action, const std::string& from, const std::string& note);
  Status CheckGrounds(const std::string& kind, const std::vector<std::string>& grounds) const;
  Status Activate(storage::Connection& c, const Principal& who, repo::GuardianshipRecord& g);
  // The open intervention's items to its (moved) street and district, from the row's copies.
  Status ReassignItems(storage::Connection& c, const repo::GuardianshipRecord& g);
  Status OpenPlacementCheck(storage::Connection& c, const repo::GuardianshipRecord& g, std::int64_t from);
  Result<std::optional<ReturnAssessmentFacts>> ReturnFacts(storage::Connection& c,
                                                           const repo::GuardianshipRecord& g);
  std::vector<std::string> ActionsFor(const Principal& who, const repo::GuardianshipRecord& g) const;

  Deps& deps_;
  domain::GuardianshipConfig config_;
  ChildService& children_;
  CaseService& cases_;
  std::shared_ptr<AuditQueue> read_audit_;  // Deps::read_audit
};

}  // namespace th::service
