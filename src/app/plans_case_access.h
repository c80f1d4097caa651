#pragma once
// The cases module's CaseFactsSource as the plans module's CaseAccess (header-only, in the app: the app builds
// one over the cases module's service and hands it to PlansModule).
#include "modules/cases/service/case_service.h"
#include "modules/plans/service/case_access.h"

namespace th::service {

class CaseFactsAccess : public CaseAccess {
 public:
  explicit CaseFactsAccess(CaseFactsSource& cases) : cases_(cases) {}
  Result<PlanCase> LoadInScope(storage::Connection& c, const Principal& who, std::int64_t case_id) override {
    TH_ASSIGN_OR_RETURN(auto f, cases_.LoadInScope(c, who, case_id));
    return Case(f);
  }
  Result<std::vector<PlanNeed>> LatestNeeds(storage::Connection& c, std::int64_t case_id) override {
    TH_ASSIGN_OR_RETURN(auto needs, cases_.LatestNeeds(c, case_id));
    return Needs(std::move(needs));
  }
  Result<std::pair<PlanCase, std::vector<PlanNeed>>> LoadWithNeeds(storage::Connection& c, const Principal& who,
                                                                  std::int64_t case_id) override {
    TH_ASSIGN_OR_RETURN(auto got, cases_.LoadWithNeeds(c, who, case_id));
    return std::make_pair(Case(got.first), Needs(std::move(got.second)));
  }
  Status MoveIn(storage::Connection& c, const Principal& who, std::int64_t case_id, const std::string& to,
                const std::string& note) override {
    return cases_.MoveIn(c, who, case_id, to, note);
  }
  void OnClosed(std::function<Status(storage::Connection&, std::int64_t case_id)> fn) override {
    cases_.AddClosedListener(std::move(fn));
  }

 private:
  static PlanCase Case(const CaseFacts& f) {
    return PlanCase{f.id, f.child_id, f.unit_id, f.unit_path, f.district_unit_id, f.status, f.worker_user_id, f.grade};
  }
  static std::vector<PlanNeed> Needs(std::vector<NeedFacts> needs) {
    std::vector<PlanNeed> out;
    for (auto& n : needs) out.push_back(PlanNeed{std::move(n.code), std::move(n.name), n.level, std::move(n.note)});
    return out;
  }
  CaseFactsSource& cases_;
};

}  // namespace th::service
