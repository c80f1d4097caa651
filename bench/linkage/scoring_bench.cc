// Google Benchmark of the linkage comparison + scoring kernel (ScoringKernel::Score, the code
// Link runs per candidate pair: packed-record comparison to a pattern, then pattern weight +
// TF term) on realistic pairs: generated registry and source (same generator as
// `tonghu_link_tool demo`), pairs = every candidate pair Link's blocking produced, in the order
// Link's compare stage visits them (LinkConfig::candidate_pairs_out).
//   build-linkperf/bench/linkage/linkage_scoring_bench [--benchmark_filter=...]
// BM_CompareAndScore: wall time on 1 or 2 threads; BM_CompareAndScoreCpu: one thread, CPU
// time (pairs per CPU-second of a core; steadier on a shared machine). Both use the packed
// records in Link's internal order (LinkConfig::engine_order: sorted by birth date) and the
// pairs in the order its compare stage visits them; BM_CompareAndScoreCpuInputOrder runs the
// same pairs on records kept in input order, visited as Link with engine_order = false visits
// them (source records in input order: the layout and order before engine ordering).
// Env TH_BENCH_N sets the registry/source size (default 200000).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

#include "linkage/engine.h"
#include "linkage/generator.h"

namespace {

struct Fixture {
  th::linkage::GeneratedData data;
  std::unique_ptr<th::linkage::ScoringKernel> kernel, input_order_kernel;
  std::vector<std::uint32_t> src, reg;              // engine order
  std::vector<std::uint32_t> input_src, input_reg;  // input positions
};

const Fixture& Get() {
  static Fixture* f = [] {
    auto* x = new Fixture;
    th::linkage::GeneratorOptions g;
    const char* n = std::getenv("TH_BENCH_N");
    g.registry_size = g.source_size = n ? std::strtoull(n, nullptr, 10) : 200000;
    x->data = th::linkage::GenerateLinkageData(g);
    th::linkage::LinkConfig cfg;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
    cfg.candidate_pairs_out = &pairs;
    auto res = th::linkage::Link(x->data.registry, x->data.source, cfg);
    for (const auto& [i, j] : pairs) x->src.push_back(i), x->reg.push_back(j);
    cfg.engine_order = false;
    res = th::linkage::Link(x->data.registry, x->data.source, cfg);
    for (const auto& [i, j] : pairs) x->input_src.push_back(i), x->input_reg.push_back(j);
    x->kernel = std::make_unique<th::linkage::ScoringKernel>(x->data.registry, x->data.source, 2, true);
    x->kernel->ToEngineOrder(x->src.data(), x->reg.data(), x->src.size());
    x->input_order_kernel = std::make_unique<th::linkage::ScoringKernel>(x->data.registry, x->data.source, 2, false);
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

// The same work on the benchmark thread, timed by CPU time: pairs per CPU-second of one core,
// which a shared, loaded machine stretches much less than wall time.
void BM_CompareAndScoreCpu(benchmark::State& state) {
  const Fixture& f = Get();
  std::vector<std::uint32_t> patterns(f.src.size());
  for (auto _ : state) {
    double sum = f.kernel->Score(f.src.data(), f.reg.data(), f.src.size(), patterns.data());
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * f.src.size()));
}
BENCHMARK(BM_CompareAndScoreCpu)->Unit(benchmark::kMillisecond);

// The same pairs, in the same visiting order, on records packed in input order.
void BM_CompareAndScoreCpuInputOrder(benchmark::State& state) {
  const Fixture& f = Get();
  std::vector<std::uint32_t> patterns(f.input_src.size());
  for (auto _ : state) {
    double sum = f.input_order_kernel->Score(f.input_src.data(), f.input_reg.data(), f.input_src.size(), patterns.data());
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * f.input_src.size()));
}
BENCHMARK(BM_CompareAndScoreCpuInputOrder)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
