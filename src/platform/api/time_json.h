#pragma once
// Times in API answers: ISO-8601 in Asia/Shanghai with its offset, "2026-12-06T14:06:55+08:00"
// (HELPERS.md API contract). Header-only.
#include <cstdint>
#include <string>

#include "base/clock.h"

namespace th::api {

inline std::string IsoShanghai(std::int64_t epoch_ms) {
  std::string s = FormatShanghai(epoch_ms);  // "2026-12-06 14:06:55"
  if (s.size() > 10 && s[10] == ' ') s[10] = 'T';
  return s + "+08:00";
}

}  // namespace th::api
