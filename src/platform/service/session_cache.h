#pragma once
// A short-lived in-process cache of resolved sessions, so the per-request authentication costs no
// database round trip. Entries live at most `ttl_ms`; logout, password and account changes on this
// server invalidate at once. With several servers on one PostgreSQL, a revocation made on another
// server takes effect here within ttl_ms (default 5 s) — the price of not querying on every request.
#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "platform/service/principal.h"

namespace th::service {

struct CachedSession {
  Principal principal;
  std::int64_t expires_at = 0;    // absolute expiry of the session
  std::int64_t last_seen_db = 0;  // last_seen_at as stored when cached
  std::int64_t cached_at = 0;
};

class SessionCache {
 public:
  explicit SessionCache(std::int64_t ttl_ms) : ttl_ms_(ttl_ms) {}
  // The entry for `token_hash` if cached less than ttl ago.
  std::optional<CachedSession> Get(const std::string& token_hash, std::int64_t now) const;
  void Put(const std::string& token_hash, CachedSession s);
  void Erase(const std::string& token_hash);
  void EraseUser(std::int64_t user_id);
  void Clear();

 private:
  const std::int64_t ttl_ms_;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, CachedSession> map_;
};

}  // namespace th::service
