#pragma once
// List totals for a few seconds. Paging through a filtered list asks the same count on every page, and counting up
// to a list's cap of index entries is much of a list request's work. An entry is used only while the caller's write
// generation is the one it was stored with (a process-wide counter its repository bumps on every write that changes
// what the count filters on: ChildWriteGeneration for the registry, VisitsRepo::WriteGeneration for the visit-due
// list) and for at most kTtl, so a change made by another server (or a command-line run) shows in the total within
// kTtl. The key is the count's SQL and parameters (CountKey), which include the caller's jurisdiction. Thread-safe;
// one per list (the service or repository owns it).
// Single flight: when an entry is only older than kTtl (same generation), the first caller gets nothing and
// recounts (then Puts) while the callers meanwhile get the old count, for up to kClaim, so 16 clients of one large
// list do not all count the same rows at once. After a write (a new generation) everyone counts.
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "storage/connection.h"

namespace th::repo {

class CountCache {
 public:
  static constexpr std::chrono::seconds kTtl{5};
  static constexpr std::chrono::seconds kClaim{2};
  // The time it keeps entries by: steady_clock by default; a service driven by an injected clock passes it.
  using Now = std::function<std::chrono::steady_clock::time_point()>;
  explicit CountCache(Now now = [] { return std::chrono::steady_clock::now(); }) : now_(std::move(now)) {}
  struct Count {
    std::int64_t total = 0;
    bool capped = false;
  };
  std::optional<Count> Get(const std::string& key, std::uint64_t generation);
  void Put(const std::string& key, std::uint64_t generation, Count count);

 private:
  struct Entry {
    Count count;
    std::uint64_t generation;
    std::chrono::steady_clock::time_point at;
    std::chrono::steady_clock::time_point claimed{};  // a caller is recounting since then (expired entries only)
  };
  Now now_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

// The cache key of a count: its SQL and its parameters' values.
std::string CountKey(const std::string& sql, const storage::Params& params);

}  // namespace th::repo
