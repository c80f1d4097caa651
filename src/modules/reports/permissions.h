#pragma once
// The reports module's permissions (granted in config/roles.json; README.md beside this file).
#include <array>
#include <string_view>

namespace th::perm {

inline constexpr const char* kReportRead = "report.read";          // list and read reports in the subtree
inline constexpr const char* kReportWrite = "report.write";        // record hotline, field and screening reports
inline constexpr const char* kReportTriage = "report.triage";      // the center: triage, link a child, close
inline constexpr const char* kReportReveal = "report.reveal";      // see who reported (purpose, audited)
inline constexpr const char* kReportMandatory = "report.mandatory";  // a reporting unit's own mandatory reports
inline constexpr const char* kDutyManage = "duty.manage";          // the 24-hour duty roster

inline constexpr std::array<std::string_view, 6> kReportsPermissions = {
    kReportRead, kReportWrite, kReportTriage, kReportReveal, kReportMandatory, kDutyManage};

}  // namespace th::perm
