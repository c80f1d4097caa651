#pragma once
// Reports (发现报告): value types and pure rules, no I/O. The workflow of a report's status, the
// public names of statuses, the channels and urgencies, and the configuration
// (config/reports/categories.json: categories, the nine situations of 意见 Art 4, the public
// page's limits).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace th::domain {

// Statuses: received (待研判) → triaged (已研判) → dispatched (处置中) → feedback (待回访) → closed.
inline constexpr const char* kReportReceived = "received";
inline constexpr const char* kReportTriaged = "triaged";
inline constexpr const char* kReportDispatched = "dispatched";
inline constexpr const char* kReportFeedback = "feedback";
inline constexpr const char* kReportClosed = "closed";

bool IsReportStatus(std::string_view s);
bool IsReportChannel(std::string_view s);   // mandatory | hotline | field | public | screening
bool IsReportUrgency(std::string_view s);   // immediate | 24h | routine
// True when the workflow allows `from` → `to`:
//   received → triaged | dispatched | closed;  triaged → triaged | dispatched | closed;
//   dispatched → dispatched | feedback | triaged (every order returned) | closed (the center closes the
//   order);  feedback → closed | dispatched (重办).
bool ReportMoveAllowed(std::string_view from, std::string_view to);
// The staff name of a status (待研判 …) and the name the public and reporters see
// (received/triaged 已受理, dispatched/feedback 处理中, closed 已办结), zh-CN or en.
std::string ReportStatusName(std::string_view status, bool en = false);
std::string PublicStatusName(std::string_view status, bool en = false);
std::string ChannelName(std::string_view channel, bool en = false);
std::string UrgencyName(std::string_view urgency, bool en = false);
// Open statuses: the report still needs the center (received, triaged).
bool NeedsTriage(std::string_view status);

struct ReportCategory {
  std::string code, name, name_en;
  bool sensitive = false;
};
struct ReportSituation {
  std::string code, name, name_en;
  bool sensitive = false;
  bool urgent = false;
};
struct PublicIntake {
  std::string district_code;        // "" = the first district by code
  int per_address = 5;              // reports per client address per window
  std::int64_t window_seconds = 600;
  std::size_t max_body_bytes = 16384;
  int max_photos = 3;
  std::int64_t photo_hours = 24;
};

struct ReportConfig {
  std::vector<ReportCategory> categories;
  std::vector<ReportSituation> situations;
  PublicIntake intake;

  const ReportCategory* Category(std::string_view code) const;
  const ReportSituation* Situation(std::string_view code) const;
  // Sensitive when the category is, or any situation is.
  bool Sensitive(std::string_view category, const std::vector<std::string>& situations) const;
  bool Urgent(const std::vector<std::string>& situations) const;
};

// Parses config/reports/categories.json; invalid_report_config naming what is wrong.
Result<ReportConfig> ParseReportConfig(std::string_view json_text);

// Situation codes as stored (",s1,s4,") and back.
std::string JoinSituations(const std::vector<std::string>& codes);
std::vector<std::string> SplitSituations(std::string_view stored);

}  // namespace th::domain
