#pragma once
// Pieces the reports service's files share (not part of the module's interface).
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "security/crypto.h"

namespace th::service::reports_internal {

// Key-ring contexts of the sealed reporter fields, attachments and the tracking code's index.
inline constexpr const char* kCtxReporterName = "reports:reporter_name";
inline constexpr const char* kCtxReporterPhone = "reports:reporter_phone";
inline constexpr const char* kIdxReporterPhone = "reports:reporter_phone_idx";
inline constexpr const char* kCtxAttachment = "reports:attachment";
inline constexpr const char* kIdxTracking = "reports:tracking";

inline constexpr std::size_t kMaxAttachmentBytes = 5u << 20;
inline constexpr std::int64_t kMaxStaffAttachments = 20;

// A new tracking code: 12 characters of an unambiguous alphabet in groups of four
// ("K7QM-2XDP-9HFA", 60 random bits).
std::string NewTrackingCode();
// The code as typed (lower case, spaces, dashes) → its 12 characters; "" when it cannot be one.
std::string NormalizeTrackingCode(std::string_view typed);
inline std::string TrackingHash(const security::KeyRing& keys, const std::string& normalized) {
  return keys.BlindIndex(normalized, kIdxTracking);
}


// A phone number as typed → digits (7-12), "" when empty; invalid_phone naming `field`.
Result<std::string> CleanPhone(const std::string& raw, const std::string& field);
// "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" (or with 'T'), not after `now_ms` + 1 day; "" allowed.
// invalid_datetime naming `field`. Returns the canonical "YYYY-MM-DD HH:MM" / "YYYY-MM-DD".
Result<std::string> CleanDateTime(const std::string& raw, const std::string& field, std::int64_t now_ms);
// A purpose for a reveal: 2..200 characters after trimming (purpose_required / too_long).
Status CheckPurpose(const std::string& purpose);

}  // namespace th::service::reports_internal
