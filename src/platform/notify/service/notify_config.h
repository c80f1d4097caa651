#pragma once
// The delivery configuration of notifications, config/notify.json (see docs/API.md "Notifications"):
//
//   {"sms": {"enabled": false, "url": "http://127.0.0.1:9000/sms", "timeout_ms": 5000,
//            "max_attempts": 6, "backoff_ms": 60000, "max_backoff_ms": 3600000},
//    "worker": {"interval_ms": 10000, "batch": 50, "lease_ms": 120000}}
//
// Off by default: without the file, or with "enabled": false, no outbox rows are written and no
// worker runs. The gateway receives POST JSON {"id", "to", "text", "link"} (Idempotency-Key header
// "tonghu-outbox-<id>"); a 2xx answer is delivery, anything else a failed attempt.
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace th::notify {

struct SmsChannelConfig {
  bool enabled = false;
  std::string url;  // http://host[:port]/path (plain HTTP: a gateway on the local network or a local relay)
  std::int64_t timeout_ms = 5000;
  int max_attempts = 6;                  // then the row is given up (gave_up_at)
  std::int64_t backoff_ms = 60'000;      // after attempt n: backoff_ms * 2^(n-1), at most max_backoff_ms
  std::int64_t max_backoff_ms = 3'600'000;
};

struct NotifyConfig {
  SmsChannelConfig sms;
  std::int64_t interval_ms = 10'000;  // worker poll interval
  int batch = 50;                     // rows claimed per pass
  std::int64_t lease_ms = 120'000;    // a claimed row is due again after this if its worker died
  bool AnyChannel() const { return sms.enabled; }
};

// Parses the file's text; errors name the file and the field (invalid_config).
Result<NotifyConfig> ParseNotifyConfig(std::string_view json, const std::string& file_name);
// <config_dir>/notify.json; a missing file is the default (everything off), an unreadable or
// invalid one an error naming it.
Result<NotifyConfig> LoadNotifyConfig(const std::string& config_dir);

}  // namespace th::notify
