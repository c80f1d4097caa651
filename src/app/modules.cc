#include "app/modules.h"

#include "app/bootstrap.h"
#include "modules/accounts/api/accounts_module.h"
#include "modules/cases/api/cases_module.h"
#include "modules/casestats/api/casestats_module.h"
#include "modules/conferences/api/conferences_module.h"
#include "modules/dispatch/api/dispatch_module.h"
#include "modules/guardianship/api/guardianship_module.h"
#include "modules/plans/api/plans_module.h"
#include "app/plans_case_access.h"
#include "modules/registry/api/registry_module.h"
#include "modules/reports/api/reports_module.h"
#include "modules/screening/api/screening_module.h"
#include "modules/visits/api/visits_module.h"
#include "modules/warnings/api/warnings_module.h"
#include "modules/workbench/api/workbench_module.h"
#include "platform/notify/api/notification_routes.h"
#include "platform/work/work_routes.h"
#include "platform/work/work_service.h"
#include "platform/service/services.h"

#include <algorithm>
#include <filesystem>

#include <fstream>
#include <sstream>

namespace th::app {

namespace {

// config/reports/categories.json (a missing or invalid file is an error naming it).
Result<domain::ReportConfig> LoadReportConfig(const std::string& config_dir) {
  const std::string path = (std::filesystem::path(config_dir) / "reports" / "categories.json").string();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::Invalid("config", "config_missing", "缺少配置文件: " + path, "Missing configuration file: " + path);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto cfg = domain::ParseReportConfig(ss.str());
  if (!cfg.ok()) {
    return Status::Invalid("config", cfg.status().error_code(), path + ": " + cfg.status().message_zh(),
                           path + ": " + cfg.status().message_en());
  }
  return cfg;
}


}  // namespace

Modules::Modules(service::Services& platform) : platform_(platform) {
  auto accounts = std::make_unique<api::AccountsModule>(platform_);
  accounts_ = accounts.get();
  list_.push_back(std::move(accounts));
}

Modules::~Modules() {
  StopWorkers();
  while (!list_.empty()) list_.pop_back();
}

Status Modules::Configure(const std::string& config_dir, const std::string& categories) {
  if (registry_) return Status::Internal("modules already configured");
  TH_ASSIGN_OR_RETURN(auto cfg, LoadCategoryConfig(config_dir, categories));
  TH_ASSIGN_OR_RETURN(auto rules, LoadScreeningRules(config_dir));
  auto registry = std::make_unique<api::RegistryModule>(platform_, std::move(cfg));
  auto screening = std::make_unique<api::ScreeningModule>(platform_, registry->children(), std::move(rules));
  auto workbench = std::make_unique<api::WorkbenchModule>(platform_, &registry->children().categories());
  TH_ASSIGN_OR_RETURN(auto report_cfg, LoadReportConfig(config_dir));
  auto reports = std::make_unique<api::ReportsModule>(platform_, std::move(report_cfg), registry->children(),
                                                      &screening->screening());
  TH_ASSIGN_OR_RETURN(auto dispatch_clocks, service::DispatchClocks::Load(config_dir));
  auto dispatch = std::make_unique<api::DispatchModule>(platform_, reports->reports(), std::move(dispatch_clocks));
  domain::CaseConfig case_cfg;
  domain::FormSet case_forms;
  TH_RETURN_IF_ERROR(api::LoadCasesConfig(config_dir, &case_cfg, &case_forms));
  auto cases = std::make_unique<api::CasesModule>(platform_, std::move(case_cfg), std::move(case_forms),
                                                  registry->children());
  cases_ = cases.get();
  TH_ASSIGN_OR_RETURN(auto visit_cfg, api::LoadVisitScheduleConfig(config_dir));
  auto visits = std::make_unique<api::VisitsModule>(platform_, registry->children(), std::move(visit_cfg));
  visits_ = visits.get();
  // A completed risk assessment re-plans the child's visits from the new grade (in its transaction).
  cases_->cases().AddGradeListener([v = &visits_->visits()](storage::Connection& c, std::int64_t child_id,
                                                            const std::string& grade, std::int64_t graded_at) {
    return v->OnGrade(c, child_id, grade, graded_at);
  });
  registry_ = registry.get();
  screening_ = screening.get();
  reports_ = reports.get();
  dispatch_ = dispatch.get();
  list_.push_back(std::move(registry));
  list_.push_back(std::move(screening));
  list_.push_back(std::move(reports));
  list_.push_back(std::move(dispatch));
  list_.push_back(std::move(cases));
  TH_RETURN_IF_ERROR(ConfigurePlans(config_dir));
  list_.push_back(std::move(visits));
  TH_ASSIGN_OR_RETURN(auto conference_cfg, api::ConferencesModule::LoadConfig(config_dir));
  auto conferences = std::make_unique<api::ConferencesModule>(platform_, registry_->children(), std::move(conference_cfg));
  conferences_ = conferences.get();
  list_.push_back(std::move(conferences));
  TH_RETURN_IF_ERROR(ConfigureGuardianship(config_dir));
  TH_RETURN_IF_ERROR(ConfigureWarnings(config_dir));
  WireConferences();
  // Case statistics over cases, plans, visits and conferences; the guardianship columns from
  // GuardianshipService::CountsByGroup.
  auto casestats = std::make_unique<api::CaseStatsModule>(platform_, cases_->cases());
  casestats_ = casestats.get();
  if (guardianship_ != nullptr) {
    casestats_->stats().SetGuardianshipSource(
        [g = &guardianship_->guardianship()](storage::Connection& c, const std::string& scope,
                                             const std::vector<std::string>& groups, std::int64_t from,
                                             std::int64_t to) -> Result<std::vector<service::GuardianshipGroupCounts>> {
          TH_ASSIGN_OR_RETURN(auto rows, g->CountsByGroup(c, scope, groups, from, to));
          std::vector<service::GuardianshipGroupCounts> out;
          out.reserve(rows.size());
          for (const auto& r : rows) out.push_back({r.group_path, r.temporary_now, r.returned, r.long_term_now});
          return out;
        });
  }
  list_.push_back(std::move(casestats));
  list_.push_back(std::move(workbench));
  return CheckWorkKinds(config_dir);
}

Status Modules::CheckWorkKinds(const std::string& config_dir) const {
  const work::WorkService* engine = work::FindWork(platform_.deps());
  if (!engine) return Status::Ok();  // commands that run without the engine
  for (const auto& m : list_) {
    for (const auto& kind : m->WorkKinds()) {
      if (!engine->config().Find(kind)) {
        return Status::Invalid("config", "invalid_config",
                               "流程配置缺少模块 " + std::string(m->name()) + " 的待办类型 " + kind + ": " + config_dir +
                                   "/workflows",
                               "The workflow config lacks kind " + kind + " of module " + std::string(m->name()) +
                                   ": " + config_dir + "/workflows");
      }
    }
  }
  return Status::Ok();
}

void Modules::RegisterRoutes(http::Router& r, const api::ApiOptions& options) {
  const api::RouteContext ctx = api::MakeRouteContext(platform_);
  api::RegisterPlatformRoutes(r, platform_, ctx, options);
  // The platform's parts: the work engine's inbox (when installed) and the notifications.
  api::RegisterWorkRoutes(r, platform_, ctx);
  api::RegisterNotificationRoutes(r, platform_, ctx);
  for (auto& m : list_) m->RegisterRoutes(r, ctx);
}

void Modules::StartWorkers() {
  for (auto& m : list_) m->StartWorkers();
}

void Modules::StopWorkers() {
  for (auto it = list_.rbegin(); it != list_.rend(); ++it) (*it)->StopWorkers();
}

std::vector<std::string_view> Modules::Names() const {
  std::vector<std::string_view> out;
  for (const auto& m : list_) out.push_back(m->name());
  return out;
}

service::Accounts& Modules::accounts() { return accounts_->accounts(); }
service::ChildService* Modules::children() { return registry_ ? &registry_->children() : nullptr; }
service::ScreeningService* Modules::screening() { return screening_ ? &screening_->screening() : nullptr; }
service::ConferenceService* Modules::conferences() {
  return conferences_ ? &conferences_->conferences() : nullptr;
}
service::ReportService* Modules::reports() { return reports_ ? &reports_->reports() : nullptr; }
service::CaseService* Modules::cases() { return cases_ ? &cases_->cases() : nullptr; }
service::DispatchService* Modules::dispatch() { return dispatch_ ? &dispatch_->dispatch() : nullptr; }
service::PlanService* Modules::plans() { return plans_ ? &plans_->plans() : nullptr; }

// The plans module (config/workflows/plans.json) over the cases module's service.
Status Modules::ConfigurePlans(const std::string& config_dir) {
  TH_ASSIGN_OR_RETURN(auto cfg, api::LoadPlansConfig(config_dir));
  plan_cases_ = std::make_unique<service::CaseFactsAccess>(cases_->cases());
  auto plans = std::make_unique<api::PlansModule>(platform_, *plan_cases_, std::move(cfg));
  plans_ = plans.get();
  list_.push_back(std::move(plans));
  return Status::Ok();
}
// The conferences module and the cases module: a conference's case is loaded through the cases module (in the
// caller's scope: the convene form's case check, the case page's GET /cases/{id}/conferences); an alarm grade
// (config/cases/cases.json alarm: start_conference, grades) opens the conference_needed item in the grading
// transaction.
void Modules::WireConferences() {
  service::CaseService* cases = &cases_->cases();
  service::ConferenceService* conf = &conferences_->conferences();
  conf->SetCaseLookup([cases](storage::Connection& c, const service::Principal& who,
                              std::int64_t case_id) -> Result<service::CaseRef> {
    TH_ASSIGN_OR_RETURN(auto k, cases->LoadInScope(c, who, case_id));
    return service::CaseRef{k.child_id, k.unit_path};
  });
  const domain::CaseConfig& cfg = cases->config();
  if (!cfg.red_starts_conference) return;
  cases->AddGradeListener([conf, grades = cfg.alarm_grades](storage::Connection& c, std::int64_t child_id,
                                                            const std::string& grade, std::int64_t graded_at) {
    if (std::find(grades.begin(), grades.end(), grade) == grades.end()) return Status::Ok();
    return conf->OnAlarmGrade(c, child_id, grade, graded_at);
  });
}

service::VisitsService* Modules::visits() { return visits_ ? &visits_->visits() : nullptr; }


// The guardianship module (config/guardianship/guardianship.json) over the registry and cases. A
// red (alarm) grade opens a guardianship check when config/cases/cases.json alarm says so.
Status Modules::ConfigureGuardianship(const std::string& config_dir) {
  TH_ASSIGN_OR_RETURN(auto cfg, api::GuardianshipModule::LoadConfig(config_dir));
  TH_RETURN_IF_ERROR(api::GuardianshipModule::CheckReturnGrades(cfg, cases_->cases().forms(), config_dir));
  auto guardianship = std::make_unique<api::GuardianshipModule>(platform_, std::move(cfg), registry_->children(),
                                                                cases_->cases());
  guardianship_ = guardianship.get();
  const domain::CaseConfig& cases_cfg = cases_->cases().config();
  if (cases_cfg.red_starts_guardianship_check) {
    cases_->cases().AddGradeListener([g = &guardianship_->guardianship(), grades = cases_cfg.alarm_grades](
                                         storage::Connection& c, std::int64_t child_id, const std::string& grade,
                                         std::int64_t graded_at) -> Status {
      if (std::find(grades.begin(), grades.end(), grade) == grades.end()) return Status::Ok();
      return g->OnAlarmGrade(c, child_id, grade, graded_at);
    });
  }
  list_.push_back(std::move(guardianship));
  return Status::Ok();
}
service::GuardianshipService* Modules::guardianship() {
  return guardianship_ ? &guardianship_->guardianship() : nullptr;
}
// The warnings module (config/warnings/*.json): re-evaluates a child's rules when its grade, file,
// family, roll or reports change (in those transactions), and nightly.
Status Modules::ConfigureWarnings(const std::string& config_dir) {
  TH_ASSIGN_OR_RETURN(auto cfg, api::LoadWarningConfig(config_dir));
  auto warnings = std::make_unique<api::WarningsModule>(platform_, registry_->children(), std::move(cfg));
  warnings_ = warnings.get();
  service::WarningService* w = &warnings_->warnings();
  // An overdue temporary-guardianship limit is an item on the intervention: its child comes from guardianship.
  if (guardianship_ != nullptr) {
    w->AddSubjectResolver("guardianship", [g = &guardianship_->guardianship()](storage::Connection& c, std::int64_t id) {
      return g->ChildOf(c, id);
    });
  }
  cases_->cases().AddGradeListener([w](storage::Connection& c, std::int64_t child_id, const std::string& grade,
                                       std::int64_t graded_at) { return w->OnGrade(c, child_id, grade, graded_at); });
  reports_->reports().AddChildLinkListener(
      [w](storage::Connection& c, std::int64_t child_id) { return w->OnChildChanged(c, child_id); });
  list_.push_back(std::move(warnings));
  return Status::Ok();
}
service::WarningService* Modules::warnings() { return warnings_ ? &warnings_->warnings() : nullptr; }

}  // namespace th::app
