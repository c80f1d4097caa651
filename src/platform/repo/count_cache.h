#pragma once
// List totals for a few seconds. Paging through a filtered list asks the same count on every page, and counting up
// to a list's cap of index entries is much of a list request's work. An entry is used only while the caller's write
// generation is the one it was stored with (a process-wide counter its repository bumps on every write that changes
// what the count filters on: ChildWriteGeneration for the registry, VisitsRepo::WriteGeneration for the visit-due
// list) and for at most kTtl, so a change made by another server (or a command-line run) shows in the total within
// kTtl. The key is the count's SQL and parameters (CountKey), which include the caller's jurisdiction. Thread-safe;
// one per list (the service or repository owns it).
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "storage/connection.h"

namespace th::repo {

class CountCache {
 public:
  static constexpr std::chrono::seconds kTtl{5};
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
  };
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

// The cache key of a count: its SQL and its parameters' values.
std::string CountKey(const std::string& sql, const storage::Params& params);

}  // namespace th::repo
