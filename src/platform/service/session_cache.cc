#include "platform/service/session_cache.h"

namespace th::service {

std::optional<CachedSession> SessionCache::Get(const std::string& token_hash, std::int64_t now) const {
  if (ttl_ms_ <= 0) return std::nullopt;
  std::shared_lock lock(mu_);
  auto it = map_.find(token_hash);
  if (it == map_.end() || now - it->second.cached_at >= ttl_ms_ || now < it->second.cached_at) {
    return std::nullopt;
  }
  return it->second;
}

void SessionCache::Put(const std::string& token_hash, CachedSession s) {
  if (ttl_ms_ <= 0) return;
  std::unique_lock lock(mu_);
  // Bounded: a flood of distinct sessions cannot grow memory without limit.
  if (map_.size() >= 100000) map_.clear();
  map_[token_hash] = std::move(s);
}

void SessionCache::Erase(const std::string& token_hash) {
  std::unique_lock lock(mu_);
  map_.erase(token_hash);
}

void SessionCache::EraseUser(std::int64_t user_id) {
  std::unique_lock lock(mu_);
  for (auto it = map_.begin(); it != map_.end();) {
    it = it->second.principal.user_id == user_id ? map_.erase(it) : std::next(it);
  }
}

void SessionCache::Clear() {
  std::unique_lock lock(mu_);
  map_.clear();
}

}  // namespace th::service
