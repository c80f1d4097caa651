#pragma once
// Case statistics (个案统计, issue 12 "Measures"; README.md beside src/modules/casestats): for the
// caller's subtree, one row per unit one level below the caller's (a district's streets, a street's
// communities; a community's caller gets one row, the community), a row "其他" for what lies in the
// caller's own unit outside every group (shown only when not empty) and the total: cases open now by
// risk grade, opened and closed; assessments done and their deadlines met; plans approved and in force;
// group services; service sessions; visits due, done and overdue by grade; conferences held and
// decisions made, done and overdue; with a guardianship source (the app wires it), the children in
// temporary guardianship now, returned home and in long-term guardianship. Counts only: no names.
//
// Permission casestat.read (403); the caller's unit must be a district, street or community (404
// otherwise). Results are kept kCacheMs per (unit, period) by this server.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/date.h"
#include "modules/casestats/domain/case_stats.h"
#include "platform/service/deps.h"
#include "platform/service/principal.h"

namespace th::storage {
class Connection;
}

namespace th::service {

// One group's guardianship counts from the guardianship module (HELPERS.md contract: the app adapts
// GuardianshipService::CountsByGroup to this). Rows in the order of `group_paths`; each child counts
// under the first group path that prefixes its unit path; `returned` counts returns home in [from, to).
struct GuardianshipGroupCounts {
  std::string group_path;
  std::int64_t temporary_now = 0, returned = 0, long_term_now = 0;
};
using GuardianshipCountsSource = std::function<Result<std::vector<GuardianshipGroupCounts>>(
    storage::Connection&, const std::string& scope_path, const std::vector<std::string>& group_paths,
    std::int64_t from, std::int64_t to)>;

// A risk grade of the deployment's risk form, for the columns and the chart.
struct GradeInfo {
  std::string code, name, name_en, color;
  bool optional = false;  // another risk form's grade: a column only when the data has it
};

struct CaseStatsView {
  domain::Date from, to;  // to: the day after the last day
  std::int64_t from_ms = 0, to_ms = 0;
  std::string unit_name, unit_level;
  std::vector<GradeInfo> grades;  // the risk form's, most serious first
  bool has_guardianship = false;  // false: the columns are absent (no source wired), not zero
  std::vector<domain::CaseStatsRow> rows;
  domain::CaseStatsRow total;
};

class CaseStatsService {
 public:
  CaseStatsService(Deps& deps, std::vector<GradeInfo> grades);

  // Set at start-up by the app before serving (not thread-safe); unset: no guardianship columns.
  void SetGuardianshipSource(GuardianshipCountsSource src) { guardianship_ = std::move(src); }

  // The statistics of [from, to) (dates in Asia/Shanghai; to > from, at most 3660 days: 400 invalid_range).
  Result<CaseStatsView> Stats(const Principal& who, domain::Date from, domain::Date to);
  // The same as an XLSX workbook, watermarked with the caller and time; audited (casestat.export).
  Result<std::string> StatsXlsx(const Principal& who, domain::Date from, domain::Date to, bool en);

  static constexpr std::int64_t kCacheMs = 30000;

 private:
  Result<CaseStatsView> Compute(const Principal& who, domain::Date from, domain::Date to);

  Deps& deps_;
  std::vector<GradeInfo> grades_;
  GuardianshipCountsSource guardianship_;
  struct Cached {
    std::int64_t expires = 0;
    CaseStatsView view;
  };
  std::mutex mu_;
  std::map<std::string, Cached> cache_;
};

}  // namespace th::service
