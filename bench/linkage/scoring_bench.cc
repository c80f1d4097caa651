// Google Benchmark of the linkage comparison + scoring kernel (ScoringKernel::Score, the code
// Link runs per candidate pair) on realistic candidate pairs: generated registry and source
// (same generator as `tonghu_link_tool demo`). Per source record, in source order as Link
// visits them: its best and runner-up candidates from a full Link run (true matches, twins,
// siblings: the expensive near-agreeing pairs) plus 6 random registry records (cheap
// non-matches with random-access loads), so about 1 in 4 pairs is a near-match.
//   build-linkperf/bench/linkage/linkage_scoring_bench [--benchmark_filter=...]
// Env TH_BENCH_N sets the registry/source size (default 200000).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include "linkage/engine.h"
#include "linkage/generator.h"

namespace {

struct Fixture {
  th::linkage::GeneratedData data;
  std::unique_ptr<th::linkage::ScoringKernel> kernel;
  std::vector<std::uint32_t> src, reg;
};

const Fixture& Get() {
  static Fixture* f = [] {
    auto* x = new Fixture;
    th::linkage::GeneratorOptions g;
    const char* n = std::getenv("TH_BENCH_N");
    g.registry_size = g.source_size = n ? std::strtoull(n, nullptr, 10) : 200000;
    x->data = th::linkage::GenerateLinkageData(g);
    th::linkage::LinkConfig cfg;
    auto res = th::linkage::Link(x->data.registry, x->data.source, cfg);
    std::mt19937_64 rng(5);
    for (std::size_t i = 0; i < x->data.source.size(); ++i) {
      const auto& m = res->matches[i];
      auto add = [&](std::int32_t j) {
        if (j >= 0) x->src.push_back(static_cast<std::uint32_t>(i)), x->reg.push_back(static_cast<std::uint32_t>(j));
      };
      add(m.registry_index);
      add(m.runner_up);
      // Non-matches: random registry records.
      for (int k = 0; k < 6; ++k) add(static_cast<std::int32_t>(rng() % x->data.registry.size()));
    }
    x->kernel = std::make_unique<th::linkage::ScoringKernel>(x->data.registry, x->data.source, 2);
    return x;
  }();
  return *f;
}

void BM_CompareAndScore(benchmark::State& state) {
  const Fixture& f = Get();
  const int threads = static_cast<int>(state.range(0));
  std::vector<std::vector<std::uint32_t>> patterns(threads, std::vector<std::uint32_t>(f.src.size()));
  for (auto _ : state) {
    std::vector<std::thread> pool;
    double sums[8] = {};
    std::size_t per = (f.src.size() + threads - 1) / threads;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        std::size_t b = t * per, e = std::min(f.src.size(), b + per);
        if (b < e) sums[t] = f.kernel->Score(f.src.data() + b, f.reg.data() + b, e - b, patterns[t].data() + b);
      });
    }
    for (auto& th : pool) th.join();
    benchmark::DoNotOptimize(sums);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * f.src.size()));
  state.counters["pairs_per_s_per_thread"] = benchmark::Counter(
      static_cast<double>(state.iterations() * f.src.size()) / threads, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CompareAndScore)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
