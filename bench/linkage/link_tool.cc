// Standalone driver for the linkage entry points until src/app wires `tonghu link` and
// `tonghu demo --linkage`:
//   tonghu_link_tool link --registry R.csv --source S.csv --out M.csv [--threshold 0.95]
//       [--review-threshold 0.5] [--threads 2] [--explain] [--bom] [--truth truth.csv]
//       [--block-cap N] [--no-id-first] [--input-order] [--no-progress]
//   tonghu_link_tool idjoin --registry R.csv --source S.csv [--truth truth.csv] [--threads 2]
//   tonghu_link_tool demo [--out-dir DIR] [--registry-size N] [--source-size N] [--seed S] [--gbk] [--no-link]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "linkage/commands.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s link|demo [options]\n", argv[0]);
    return 1;
  }
  std::string cmd = argv[1];
  auto val = [&](int& i) -> const char* {
    if (i + 1 >= argc) {
      std::fprintf(stderr, "missing value for %s\n", argv[i]);
      std::exit(1);
    }
    return argv[++i];
  };
  if (cmd == "link") {
    th::linkage::LinkOptions o;
    for (int i = 2; i < argc; ++i) {
      std::string a = argv[i];
      if (a == "--registry") o.registry_path = val(i);
      else if (a == "--source") o.source_path = val(i);
      else if (a == "--out") o.out_path = val(i);
      else if (a == "--threshold") o.threshold = std::atof(val(i));
      else if (a == "--review-threshold") o.review_threshold = std::atof(val(i));
      else if (a == "--threads") o.threads = std::atoi(val(i));
      else if (a == "--explain") o.explain = true;
      else if (a == "--bom") o.utf8_bom = true;
      else if (a == "--no-progress") o.progress = false;
      else if (a == "--truth") o.truth_path = val(i);
      else if (a == "--block-cap") o.block_cap = static_cast<std::uint32_t>(std::strtoul(val(i), nullptr, 10));
      else if (a == "--no-id-first") o.id_first = false;
      else if (a == "--input-order") o.engine_order = false;
      else return std::fprintf(stderr, "unknown option %s\n", a.c_str()), 1;
    }
    if (o.registry_path.empty() || o.source_path.empty() || o.out_path.empty()) {
      std::fprintf(stderr, "--registry, --source and --out are required\n");
      return 1;
    }
    return th::linkage::RunLinkCommand(o);
  }
  if (cmd == "demo") {
    th::linkage::DemoOptions o;
    for (int i = 2; i < argc; ++i) {
      std::string a = argv[i];
      if (a == "--out-dir") o.out_dir = val(i);
      else if (a == "--registry-size") o.registry_size = std::strtoull(val(i), nullptr, 10);
      else if (a == "--source-size") o.source_size = std::strtoull(val(i), nullptr, 10);
      else if (a == "--seed") o.seed = std::strtoull(val(i), nullptr, 10);
      else if (a == "--threads") o.threads = std::atoi(val(i));
      else if (a == "--gbk") o.gbk_source = true;
      else if (a == "--no-link") o.run_link = false;
      else return std::fprintf(stderr, "unknown option %s\n", a.c_str()), 1;
    }
    return th::linkage::RunLinkageDemo(o);
  }
  if (cmd == "idjoin") {
    std::string reg_path, src_path, truth_path;
    int threads = 2;
    for (int i = 2; i < argc; ++i) {
      std::string a = argv[i];
      if (a == "--registry") reg_path = val(i);
      else if (a == "--source") src_path = val(i);
      else if (a == "--truth") truth_path = val(i);
      else if (a == "--threads") threads = std::atoi(val(i));
      else return std::fprintf(stderr, "unknown option %s\n", a.c_str()), 1;
    }
    auto reg = th::linkage::LoadRecordsCsv(reg_path);
    auto src = th::linkage::LoadRecordsCsv(src_path);
    if (!reg.ok() || !src.ok()) return std::fprintf(stderr, "cannot read inputs\n"), 1;
    auto r = th::linkage::ExactIdJoin(*reg, *src, threads);
    std::printf("exact-ID join %zu x %zu: %zu registry IDs, %zu source IDs, %zu matched, %zu ambiguous\n", reg->size(),
                src->size(), r.registry_keys, r.source_keys, r.matched, r.ambiguous);
    std::printf("time %.3fs on %d threads (normalize+pack IDs %.3f, sort %.3f, merge %.3f)\n", r.seconds_total, threads,
                r.seconds_normalize, r.seconds_sort, r.seconds_merge);
    if (!truth_path.empty()) {
      auto t = th::linkage::LoadTruth(truth_path, *reg, *src);
      if (!t.ok()) return std::fprintf(stderr, "cannot read truth\n"), 1;
      std::size_t correct = 0, truth_n = 0;
      for (std::size_t i = 0; i < src->size(); ++i) {
        truth_n += t->truth[i] >= 0;
        correct += r.match[i] >= 0 && r.match[i] == t->truth[i];
      }
      double p = r.matched ? static_cast<double>(correct) / r.matched : 1, rc = truth_n ? static_cast<double>(correct) / truth_n : 1;
      std::printf("against truth: precision %.4f recall %.4f F1 %.4f\n", p, rc, p + rc > 0 ? 2 * p * rc / (p + rc) : 0);
    }
    return 0;
  }
  std::fprintf(stderr, "unknown command %s\n", cmd.c_str());
  return 1;
}
