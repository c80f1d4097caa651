#include "base/status.h"

namespace th {

namespace {
const char* CodeName(Code c) {
  switch (c) {
    case Code::kOk: return "ok";
    case Code::kInvalidArgument: return "invalid_argument";
    case Code::kUnauthenticated: return "unauthenticated";
    case Code::kPermissionDenied: return "permission_denied";
    case Code::kNotFound: return "not_found";
    case Code::kConflict: return "conflict";
    case Code::kPayloadTooLarge: return "payload_too_large";
    case Code::kUnsupportedMedia: return "unsupported_media";
    case Code::kLocked: return "locked";
    case Code::kTooManyRequests: return "too_many_requests";
    case Code::kInternal: return "internal";
    case Code::kUnavailable: return "unavailable";
  }
  return "unknown";
}
}  // namespace

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string s = CodeName(code_);
  s += "/" + error_code_;
  if (!field_.empty()) s += "(" + field_ + ")";
  s += ": " + message_en();
  return s;
}

}  // namespace th
