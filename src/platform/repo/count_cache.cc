#include "platform/repo/count_cache.h"

#include <variant>

namespace th::repo {

std::optional<CountCache::Count> CountCache::Get(const std::string& key, std::uint64_t generation) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  if (it->second.generation != generation) {
    entries_.erase(it);
    return std::nullopt;
  }
  const auto now = now_();
  if (now - it->second.at <= kTtl) return it->second.count;
  if (now - it->second.claimed <= kClaim) return it->second.count;  // another caller is recounting it
  it->second.claimed = now;  // this caller recounts (and Puts); a failed recount is retried after kClaim
  return std::nullopt;
}

void CountCache::Put(const std::string& key, std::uint64_t generation, Count count) {
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.size() >= 4096) entries_.clear();  // bounded: many distinct filters just start over
  entries_[key] = Entry{count, generation, now_()};
}

std::string CountKey(const std::string& sql, const storage::Params& params) {
  std::string key = sql;
  for (const auto& v : params) {
    key += '\x1f';
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
      key += 'i' + std::to_string(*i);
    } else if (const auto* t = std::get_if<std::string>(&v)) {
      key += 's' + std::to_string(t->size()) + ':' + *t;
    } else if (const auto* d = std::get_if<double>(&v)) {
      key += 'd' + std::to_string(*d);
    } else if (const auto* b = std::get_if<storage::Blob>(&v)) {
      key += 'b' + std::to_string(b->bytes.size()) + ':' + b->bytes;
    } else {
      key += 'n';
    }
  }
  return key;
}

}  // namespace th::repo
