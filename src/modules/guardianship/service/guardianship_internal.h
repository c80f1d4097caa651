#pragma once
// Helpers shared by the guardianship service's files. Internal.
#include <string>

#include "modules/guardianship/repo/guardianship_repo.h"
#include "platform/work/work_hooks.h"

namespace th::service::guardianship_internal {

inline constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
inline constexpr const char* kSubject = "guardianship";            // work items of an intervention
inline constexpr const char* kChildSubject = "guardianship_child";  // guardianship_check (per child)

inline Status Conflict(const std::string& code, const std::string& zh, const std::string& en,
                       const std::string& field) {
  return Status::Error(Code::kConflict, code, zh, en, field);
}

// A work item of `kind` on the intervention, owned by the child's street social workers.
inline work::WorkOpen ItemOf(const repo::GuardianshipRecord& g, const std::string& kind, const std::string& title,
                             std::int64_t started_at) {
  work::WorkOpen w;
  w.kind = kind;
  w.subject_type = kSubject;
  w.subject_id = g.id;
  w.title = title;
  w.label = (g.child_name.empty() ? "" : g.child_name + " · ") + "监护干预 #" + std::to_string(g.id);
  w.link = "/guardianship/" + std::to_string(g.id);
  w.owner_unit_id = g.street_unit_id;
  w.owner_role = "social_worker";
  w.started_at = started_at;
  return w;
}

// placement_check and guardianship_limit are due at a date the module computes from its config; their
// kind's clock is one hour (config/workflows/guardianship.json), so the item starts an hour before.
inline std::int64_t StartFor(std::int64_t due_at) { return due_at - 3600LL * 1000; }

// A plausible time given by a person: after 2000-01-01 and at most a day ahead of `now`.
inline Status CheckTime(std::int64_t at, std::int64_t now, const std::string& field) {
  if (at < 946684800000LL || at > now + kDayMs) {
    return Status::Invalid(field, "invalid_date", "日期不合理", "Implausible date");
  }
  return Status::Ok();
}

// A placement's phone as people write it: digits with spaces or hyphens, a leading + for a country
// code, 7-15 digits (so that the page can dial it); else 400 invalid_phone.
inline Status CheckPhone(const std::string& phone, const std::string& field) {
  std::size_t digits = 0;
  bool ok = true;
  for (std::size_t i = 0; i < phone.size() && ok; ++i) {
    const char ch = phone[i];
    if (ch >= '0' && ch <= '9') ++digits;
    else ok = ch == '-' || ch == ' ' || (ch == '+' && i == 0);
  }
  if (!ok || digits < 7 || digits > 15) {
    return Status::Invalid(field, "invalid_phone", "电话号码格式不正确(7-15位数字)", "Invalid phone number (7-15 digits)");
  }
  return Status::Ok();
}

}  // namespace th::service::guardianship_internal
