#pragma once
// Helpers shared by the cases service's files (case_service.cc, case_assessments.cc). Internal.
#include <functional>
#include <string>

#include "modules/cases/permissions.h"
#include "modules/cases/service/case_service.h"
#include "modules/cases/service/case_workflow.h"
#include "modules/registry/service/child_service.h"

namespace th::service::case_internal {

inline Status Bad(const std::string& field, const std::string& code, const std::string& zh, const std::string& en) {
  return Status::Invalid(field, code, zh, en);
}

// Characters of a UTF-8 string (for length limits).
inline std::size_t Chars(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

inline std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// A note or reason of min..max characters (required when min > 0).
inline Status CheckNote(const std::string& s, const std::string& field, std::size_t min, std::size_t max) {
  const std::size_t n = Chars(Trim(s));
  if (min > 0 && n < min) return Status::Required(field);
  if (n > max) return Status::TooLong(field, static_cast<std::int64_t>(max));
  return Status::Ok();
}

// Runs `fn` on a pooled connection outside any transaction: for reads. InTransaction begins IMMEDIATE on SQLite,
// i.e. takes the single writer's lock, so reads in one queue behind every other request (bench/cases).
inline Status ReadOnly(storage::Database& db, const std::function<Status(storage::Connection&)>& fn) {
  TH_ASSIGN_OR_RETURN(auto h, db.Acquire());
  return fn(*h);
}

inline constexpr const char* kDueSubject = "child_assessment";  // work items of assessment deadlines

}  // namespace th::service::case_internal
