#include "linkage/commands.h"

#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <unordered_map>

#include "io/csv.h"
#include "text/charset.h"

namespace th::linkage {
namespace {

void PrintError(const Status& s) { std::fprintf(stderr, "error: %s\n", s.message_en().c_str()); }

// A progress bar on stderr, redrawn when the percentage changes.
struct ProgressBar {
  std::string stage;
  int last = -1;
  void operator()(const char* st, double f) {
    int pct = static_cast<int>(f * 100);
    if (stage == st && pct == last) return;
    stage = st;
    last = pct;
    int filled = pct / 5;
    std::fprintf(stderr, "\r%-10s [%.*s%*s] %3d%%", st, filled, "####################", 20 - filled, "", pct);
    if (pct >= 100) std::fprintf(stderr, "\n");
    std::fflush(stderr);
  }
};

void Prf(std::size_t correct, std::size_t predicted, std::size_t truth, double* p, double* r, double* f) {
  *p = predicted ? static_cast<double>(correct) / predicted : 1.0;
  *r = truth ? static_cast<double>(correct) / truth : 1.0;
  *f = (*p + *r) > 0 ? 2 * *p * *r / (*p + *r) : 0;
}

}  // namespace

std::string MatchesToCsv(const std::vector<Record>& registry, const std::vector<Record>& source,
                         const LinkResult& result, bool explain, bool utf8_bom) {
  std::string out;
  out.reserve(source.size() * 40);
  io::CsvWriter w(&out, utf8_bom);
  w.WriteRow({"source_id", "registry_id", "score", "band"});
  if (explain) out.insert(out.size() - 2, ",explanation");
  char buf[32];
  for (std::size_t i = 0; i < source.size(); ++i) {
    const Match& m = result.matches[i];
    w.Field(source[i].id);
    bool show = m.registry_index >= 0 && m.band != Band::kNoLink;
    w.Field(show ? std::string_view(registry[m.registry_index].id) : std::string_view());
    std::snprintf(buf, sizeof buf, "%.4f", m.registry_index >= 0 ? m.probability : 0.0);
    w.Field(buf);
    w.Field(BandName(m.band));
    if (explain) w.Field(m.registry_index >= 0 ? ExplainText(result.model, m) : "");
    w.EndRow();
  }
  return out;
}

std::string FormatStages(const LinkStats& s) {
  std::string out;
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "stages (wall s): normalize %.2f (intern %.2f, name pinyin %.2f, order %.2f)  index %.2f  pack %.2f  "
                "block+compare %.2f  em %.2f  score %.2f  = engine %.2f (process CPU %.2f s)\n",
                s.seconds_encode, s.seconds_intern, s.seconds_name_info, s.seconds_order, s.seconds_index, s.seconds_pack,
                s.seconds_compare, s.seconds_em, s.seconds_score, s.seconds_total, s.cpu_seconds_total);
  out += buf;
  std::snprintf(buf, sizeof buf,
                "stages (process CPU s): normalize %.2f  index %.2f  pack %.2f  block+compare %.2f  em %.2f  score %.2f\n",
                s.cpu_stage[0], s.cpu_stage[1], s.cpu_stage[2], s.cpu_stage[3], s.cpu_stage[4], s.cpu_stage[5]);
  out += buf;
  double cpu = s.cpu_seconds_dedupe + s.cpu_seconds_compare;
  for (double x : s.cpu_seconds_pass) cpu += x;
  std::snprintf(buf, sizeof buf,
                "block+compare (thread CPU s): %.2f = blocking passes %.2f, dedupe %.2f, compare %.2f  "
                "(%.1fM pairs, %.2fM pairs/s per thread in compare)\n",
                cpu, cpu - s.cpu_seconds_dedupe - s.cpu_seconds_compare, s.cpu_seconds_dedupe, s.cpu_seconds_compare,
                s.candidate_pairs / 1e6, s.cpu_seconds_compare > 0 ? s.candidate_pairs / s.cpu_seconds_compare / 1e6 : 0);
  out += buf;
  std::snprintf(buf, sizeof buf, "settled by exact ID first: %zu source records; guardian pass skipped (exact name + birth found): %zu\n",
                s.id_first_settled, s.guardian_pass_skipped);
  out += buf;
  for (int p = 0; p < kNumPasses; ++p) {
    std::snprintf(buf, sizeof buf,
                  "  pass %-28s %6.2f thread CPU s  %11zu pairs proposed  %8zu blocks over cap (%zu sub-blocked)",
                  PassName(p), s.cpu_seconds_pass[p], s.pass_pairs[p], s.skipped_blocks[p], s.sub_blocks[p]);
    out += buf;
    if (s.true_pairs) {
      std::snprintf(buf, sizeof buf, "  true pairs found %zu (only this pass %zu)", s.pass_true_found[p], s.pass_true_only[p]);
      out += buf;
    }
    out += "\n";
  }
  return out;
}

Result<GeneratedData> LoadTruth(const std::string& path, const std::vector<Record>& registry,
                                const std::vector<Record>& source) {
  auto t = io::ReadCsvFile(path);
  if (!t.ok()) return t.status();
  int cs = t->ColumnIndex("source_id"), cr = t->ColumnIndex("registry_id"), cc = t->ColumnIndex("corruptions");
  if (cs < 0 || cr < 0) {
    return Status::Invalid("truth", "truth_columns", "真值文件缺少 source_id/registry_id 列",
                           "truth file needs source_id and registry_id columns");
  }
  GeneratedData d;
  std::unordered_map<std::string, std::int32_t> reg_index, src_index;
  reg_index.reserve(registry.size());
  src_index.reserve(source.size());
  for (std::size_t i = 0; i < registry.size(); ++i) reg_index.emplace(registry[i].id, static_cast<std::int32_t>(i));
  for (std::size_t i = 0; i < source.size(); ++i) src_index.emplace(source[i].id, static_cast<std::int32_t>(i));
  d.truth.assign(source.size(), -1);
  d.corruptions.assign(source.size(), 0);
  for (const auto& row : t->rows) {
    auto s = src_index.find(row[cs]);
    if (s == src_index.end()) continue;
    if (!row[cr].empty()) {
      auto r = reg_index.find(row[cr]);
      if (r != reg_index.end()) d.truth[s->second] = r->second;
    }
    if (cc >= 0) {
      std::string_view v = row[cc];
      while (!v.empty()) {
        std::size_t bar = v.find('|');
        std::string_view name = v.substr(0, bar);
        for (int b = 0; b < kNumCorruptions; ++b) {
          if (name == CorruptionName(b)) d.corruptions[s->second] |= 1u << b;
        }
        if (bar == std::string_view::npos) break;
        v.remove_prefix(bar + 1);
      }
    }
  }
  return d;
}

int RunLinkCommand(const LinkOptions& o) {
  auto t0 = std::chrono::steady_clock::now();
  LoadReport rr, sr;
  std::fprintf(stderr, "reading %s\n", o.registry_path.c_str());
  auto reg = LoadRecordsCsv(o.registry_path, &rr);
  if (!reg.ok()) return PrintError(reg.status()), 1;
  std::fprintf(stderr, "reading %s\n", o.source_path.c_str());
  auto src = LoadRecordsCsv(o.source_path, &sr);
  if (!src.ok()) return PrintError(src.status()), 1;
  double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  LinkConfig cfg;
  cfg.link_threshold = o.threshold;
  cfg.review_threshold = o.review_threshold;
  cfg.threads = o.threads;
  cfg.id_first = o.id_first;
  cfg.engine_order = o.engine_order;
  if (o.block_cap) cfg.block_cap = o.block_cap;
  GeneratedData truth;
  if (!o.truth_path.empty()) {
    auto td = LoadTruth(o.truth_path, *reg, *src);
    if (!td.ok()) return PrintError(td.status()), 1;
    truth = std::move(td).value();
    cfg.truth = &truth.truth;
  }
  ProgressBar bar;
  if (o.progress) cfg.progress = std::ref(bar);
  auto res = Link(*reg, *src, cfg);
  if (!res.ok()) return PrintError(res.status()), 1;
  Status w = io::WriteFileBytes(o.out_path, MatchesToCsv(*reg, *src, *res, o.explain, o.utf8_bom));
  if (!w.ok()) return PrintError(w), 2;
  const LinkStats& s = res->stats;
  std::printf("registry: %zu records (%s)  source: %zu records (%s)\n", reg->size(), rr.charset.c_str(), src->size(),
              sr.charset.c_str());
  std::printf("link: %zu  review: %zu  no link: %zu  -> %s\n", s.links, s.reviews, s.no_links, o.out_path.c_str());
  std::printf("candidate pairs: %zu  EM iterations: %d (%s)  match share: %.4f\n", s.candidate_pairs,
              res->model.iterations, res->model.converged ? "converged" : "not converged", res->model.lambda);
  std::printf("source IDs: %zu valid, %zu bad checksum, %zu invalid, %zu not an ID, %zu adult IDs in child field\n",
              s.ids_valid, s.ids_bad_checksum, s.ids_invalid, s.ids_not_an_id, s.ids_adult);
  std::printf("time: load %.2fs, engine %.2fs on %d threads\n", load_s, s.seconds_total, cfg.threads);
  std::printf("%s", FormatStages(s).c_str());
  if (cfg.truth) std::printf("%s", FormatEvaluation(Evaluate(*src, truth.truth, truth.corruptions, *res), s).c_str());
  if (!sr.missing_columns.empty()) {
    std::string m;
    for (const auto& c : sr.missing_columns) m += " " + c;
    std::printf("source columns absent:%s\n", m.c_str());
  }
  if (sr.ragged_rows) std::printf("source ragged rows: %zu (first at line %lld)\n", sr.ragged_rows, static_cast<long long>(sr.first_ragged_line));
  return 0;
}

Evaluation Evaluate(const GeneratedData& data, const LinkResult& result) {
  return Evaluate(data.source, data.truth, data.corruptions, result);
}

Evaluation Evaluate(const std::vector<Record>& source, const std::vector<std::int32_t>& truth,
                    const std::vector<std::uint32_t>& corruptions, const LinkResult& result) {
  Evaluation e;
  std::size_t t_id = 0, p_id = 0, c_id = 0, t_no = 0, p_no = 0, c_no = 0;
  std::vector<std::size_t> corr_true(kNumCorruptions, 0), corr_found(kNumCorruptions, 0);
  std::vector<std::size_t> corr_true_no(kNumCorruptions, 0), corr_found_no(kNumCorruptions, 0);
  for (std::size_t i = 0; i < source.size(); ++i) {
    const Match& m = result.matches[i];
    bool has_id = !source[i].id_number.empty();
    (has_id ? e.with_id : e.without_id)++;
    bool predicted = m.band == Band::kLink;
    bool correct = predicted && m.registry_index == truth[i];
    bool is_true = truth[i] >= 0;
    e.reviews += m.band == Band::kReview;
    e.true_matches += is_true, e.predicted += predicted, e.correct += correct;
    (has_id ? t_id : t_no) += is_true;
    (has_id ? p_id : p_no) += predicted;
    (has_id ? c_id : c_no) += correct;
    if (is_true) {
      for (int b = 0; b < kNumCorruptions; ++b) {
        if ((corruptions[i] >> b) & 1u) {
          ++corr_true[b];
          corr_found[b] += correct;
          if (!has_id) ++corr_true_no[b], corr_found_no[b] += correct;
        }
      }
    }
  }
  Prf(e.correct, e.predicted, e.true_matches, &e.precision, &e.recall, &e.f1);
  Prf(c_id, p_id, t_id, &e.precision_with_id, &e.recall_with_id, &e.f1_with_id);
  Prf(c_no, p_no, t_no, &e.precision_without_id, &e.recall_without_id, &e.f1_without_id);
  for (int b = 0; b < kNumCorruptions; ++b) {
    e.count_by_corruption.push_back(corr_true[b]);
    e.recall_by_corruption.push_back(corr_true[b] ? static_cast<double>(corr_found[b]) / corr_true[b] : -1);
    e.count_by_corruption_without_id.push_back(corr_true_no[b]);
    e.recall_by_corruption_without_id.push_back(corr_true_no[b] ? static_cast<double>(corr_found_no[b]) / corr_true_no[b]
                                                                : -1);
  }
  return e;
}

std::string FormatEvaluation(const Evaluation& e, const LinkStats& s) {
  std::string out;
  char buf[256];
  std::snprintf(buf, sizeof buf, "overall:    precision %.4f  recall %.4f  F1 %.4f  (%zu true, %zu linked, %zu review)\n",
                e.precision, e.recall, e.f1, e.true_matches, e.predicted, e.reviews);
  out += buf;
  std::snprintf(buf, sizeof buf, "with ID:    precision %.4f  recall %.4f  F1 %.4f  (%zu source records)\n",
                e.precision_with_id, e.recall_with_id, e.f1_with_id, e.with_id);
  out += buf;
  std::snprintf(buf, sizeof buf, "without ID: precision %.4f  recall %.4f  F1 %.4f  (%zu source records)\n",
                e.precision_without_id, e.recall_without_id, e.f1_without_id, e.without_id);
  out += buf;
  std::snprintf(buf, sizeof buf, "blocking:   pair completeness %.4f (%zu/%zu), %zu candidate pairs\n", s.pair_completeness,
                s.true_pairs_found, s.true_pairs, s.candidate_pairs);
  out += buf;
  out += "recall by corruption (true matches carrying it; and those without an ID):\n";
  for (int b = 0; b < kNumCorruptions; ++b) {
    if (e.recall_by_corruption[b] < 0) continue;
    char no_id[64] = "-";
    if (e.count_by_corruption_without_id[b]) {
      std::snprintf(no_id, sizeof no_id, "%.4f", e.recall_by_corruption_without_id[b]);
    }
    std::snprintf(buf, sizeof buf, "  %-18s %.4f  (n=%zu)   without ID %s  (n=%zu)\n", CorruptionName(b),
                  e.recall_by_corruption[b], e.count_by_corruption[b], no_id, e.count_by_corruption_without_id[b]);
    out += buf;
  }
  return out;
}

int RunLinkageDemo(const DemoOptions& o) {
  ::mkdir(o.out_dir.c_str(), 0755);
  GeneratorOptions g;
  g.registry_size = o.registry_size;
  g.source_size = o.source_size;
  g.seed = o.seed;
  std::fprintf(stderr, "generating %zu registry and %zu source records (seed %llu)\n", g.registry_size, g.source_size,
               static_cast<unsigned long long>(g.seed));
  GeneratedData data = GenerateLinkageData(g);
  std::string reg_path = o.out_dir + "/registry.csv", src_path = o.out_dir + "/source.csv";
  Status s = io::WriteFileBytes(reg_path, RecordsToCsv(data.registry));
  if (s.ok()) {
    std::string src_csv = RecordsToCsv(data.source);
    if (o.gbk_source) {
      auto gbk = text::Utf8ToGb18030(src_csv);
      if (!gbk.ok()) return PrintError(gbk.status()), 2;
      src_csv = std::move(gbk).value();
    }
    s = io::WriteFileBytes(src_path, src_csv);
  }
  if (s.ok()) s = io::WriteFileBytes(o.out_dir + "/truth.csv", TruthToCsv(data));
  if (!s.ok()) return PrintError(s), 2;
  std::printf("wrote %s, %s, %s/truth.csv\n", reg_path.c_str(), src_path.c_str(), o.out_dir.c_str());
  if (!o.run_link) return 0;
  LinkConfig cfg;
  cfg.threads = o.threads;
  cfg.truth = &data.truth;
  ProgressBar bar;
  cfg.progress = std::ref(bar);
  auto res = Link(data.registry, data.source, cfg);
  if (!res.ok()) return PrintError(res.status()), 1;
  s = io::WriteFileBytes(o.out_dir + "/matches.csv", MatchesToCsv(data.registry, data.source, *res, true, false));
  if (!s.ok()) return PrintError(s), 2;
  std::printf("%s", FormatEvaluation(Evaluate(data, *res), res->stats).c_str());
  std::printf("%s", FormatStages(res->stats).c_str());
  std::printf("engine time %.2fs on %d threads; matches with explanations in %s/matches.csv\n", res->stats.seconds_total,
              o.threads, o.out_dir.c_str());
  return 0;
}

}  // namespace th::linkage
