#pragma once
// The plans module's permissions (granted in config/roles.json; README.md beside this file).
// Reading plans, service records and groups needs the cases module's case.read and the case in
// scope (CaseService::LoadInScope).
#include <array>
#include <string_view>

namespace th::perm {

inline constexpr const char* kPlanWrite = "plan.write";      // draft, revise and submit a plan; mark tasks done
inline constexpr const char* kPlanApprove = "plan.approve";  // the station approves or returns a plan
inline constexpr const char* kServiceWrite = "service.write";  // service records, group services and sessions

inline constexpr std::array<std::string_view, 3> kPlansPermissions = {kPlanWrite, kPlanApprove, kServiceWrite};

}  // namespace th::perm
