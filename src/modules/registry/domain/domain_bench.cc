// Measures the demo generator and the nightly category re-evaluation.
// Build: ninja -C build-domain domain_bench
// Run:   build-domain/src/domain/domain_bench [children=1000000] [seed=1]   (from the repo root)
// Prints the time to generate N children and to evaluate every category rule for each.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "modules/registry/domain/categories.h"
#include "modules/registry/domain/category_config.h"
#include "modules/registry/domain/demo_generator.h"
#include "domain/region.h"

namespace {
std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

// Long: a benchmark driver, read top to bottom.
int main(int argc, char** argv) {
  using namespace th::domain;
  using Clock = std::chrono::steady_clock;
  const std::int64_t n = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
  const std::uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
  auto regions = ParseRegionCsv(Read("config/regions/demo_district.csv"));
  auto counties = ParseHukouCountiesCsv(Read("config/regions/hukou_counties.csv"));
  auto config = ParseCategoryConfig(Read("config/categories/guangdong.json"));
  if (!regions.ok() || !counties.ok() || !config.ok()) {
    std::fprintf(stderr, "run from the repository root (config/ not found or invalid)\n");
    return 1;
  }
  DemoOptions opt;
  opt.seed = seed;
  opt.children = n;
  opt.today = Date::Of(2026, 11, 22);
  opt.communities = CommunitiesOf(*regions);
  opt.hukou_counties = *counties;
  auto gen = DemoGenerator::Create(opt);
  if (!gen.ok()) return 1;

  std::printf("command: domain_bench %lld %llu; hardware threads: %u\n",
              static_cast<long long>(n), static_cast<unsigned long long>(seed),
              std::thread::hardware_concurrency());
  // Generate in chunks of households (storage reused), evaluate each chunk after generating it,
  // and time the two phases separately.
  constexpr std::size_t kChunk = 4096;
  std::vector<DemoHousehold> chunk(kChunk);
  Evaluation eval;
  std::map<std::string, std::int64_t> met;
  std::int64_t evaluated = 0, due_within_30_days = 0;
  const Date horizon = opt.today.AddDays(30);
  Clock::duration gen_time{}, eval_time{};
  bool more = true;
  while (more) {
    auto t0 = Clock::now();
    std::size_t filled = 0;
    while (filled < kChunk && (more = (*gen)->Next(&chunk[filled]))) ++filled;
    auto t1 = Clock::now();
    for (std::size_t i = 0; i < filled; ++i) {
      for (const Child& c : chunk[i].children) {
        EvaluateCategories(c, *config, opt.today, &eval);
        ++evaluated;
        for (const auto& v : eval.verdicts)
          if (v.outcome == Outcome::kMet) ++met[v.category_code];
        if (eval.next_change.IsSet() && eval.next_change <= horizon) ++due_within_30_days;
      }
    }
    auto t2 = Clock::now();
    gen_time += t1 - t0;
    eval_time += t2 - t1;
  }
  auto secs = [](Clock::duration d) { return std::chrono::duration<double>(d).count(); };
  std::printf("generated %lld children in %lld households: %.2f s (%.0f children/s)\n",
              static_cast<long long>((*gen)->children_generated()),
              static_cast<long long>((*gen)->households_generated()), secs(gen_time),
              static_cast<double>(n) / secs(gen_time));
  std::printf("evaluated all category rules for %lld children: %.2f s (%.0f children/s)\n",
              static_cast<long long>(evaluated), secs(eval_time),
              static_cast<double>(evaluated) / secs(eval_time));
  std::printf("verdicts due to change within 30 days: %lld\n", static_cast<long long>(due_within_30_days));
  for (const auto& [code, count] : met) {
    std::printf("  %-24s %8lld  (%.2f%%)\n", code.c_str(), static_cast<long long>(count),
                100.0 * static_cast<double>(count) / static_cast<double>(evaluated));
  }
  return 0;
}
