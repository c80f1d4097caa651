#pragma once
// Entry points for the `tonghu link` and `tonghu demo --linkage` subcommands (plain option
// structs; the CLI parsing lives in src/app). Progress goes to stderr, results to files and
// a summary on stdout. Return values are process exit codes (0 ok, 1 bad input, 2 failure).
#include <cstdint>
#include <string>
#include <vector>

#include "linkage/engine.h"
#include "linkage/generator.h"

namespace th::linkage {

struct LinkOptions {
  std::string registry_path;  // --registry R.csv
  std::string source_path;    // --source S.csv
  std::string out_path;       // --out M.csv: source_id,registry_id,score,band
  double threshold = 0.95;         // --threshold: link at or above this match probability
  double review_threshold = 0.50;  // --review-threshold
  int threads = 2;                 // --threads
  bool explain = false;            // --explain: add an `explanation` column
  bool progress = true;            // progress bar on stderr
  bool utf8_bom = false;           // --bom: write a BOM for Excel
  std::string truth_path;          // --truth truth.csv (from demo): print precision/recall/F1
  std::uint32_t block_cap = 0;     // --block-cap (0: engine default)
  bool id_first = true;            // --no-id-first: exact-ID records also go through fuzzy passes
  bool engine_order = true;        // --input-order: keep records in input order inside the engine
};
int RunLinkCommand(const LinkOptions& options);

struct DemoOptions {
  std::string out_dir = "linkage-demo";  // registry.csv, source.csv, truth.csv, matches.csv
  std::size_t registry_size = 10000;
  std::size_t source_size = 10000;
  std::uint64_t seed = 1;
  bool gbk_source = false;  // write source.csv in GBK, as Excel on Chinese Windows does
  bool run_link = true;     // link the generated files and print the evaluation
  int threads = 2;
};
int RunLinkageDemo(const DemoOptions& options);

// Accuracy of a linkage against ground truth. Only the link band counts as a predicted link.
struct Evaluation {
  std::size_t true_matches = 0, predicted = 0, correct = 0, reviews = 0;
  double precision = 0, recall = 0, f1 = 0;
  // Source records with a non-blank ID field / without one.
  double precision_with_id = 0, recall_with_id = 0, f1_with_id = 0;
  double precision_without_id = 0, recall_without_id = 0, f1_without_id = 0;
  std::size_t with_id = 0, without_id = 0;
  std::vector<double> recall_by_corruption;  // kNumCorruptions, -1 when none present
  std::vector<std::size_t> count_by_corruption;
  // The same among true matches whose source record has a blank ID field.
  std::vector<double> recall_by_corruption_without_id;
  std::vector<std::size_t> count_by_corruption_without_id;
};
Evaluation Evaluate(const GeneratedData& data, const LinkResult& result);
Evaluation Evaluate(const std::vector<Record>& source, const std::vector<std::int32_t>& truth,
                    const std::vector<std::uint32_t>& corruptions, const LinkResult& result);
// Reads truth.csv (source_id,registry_id,corruptions) written by the demo and maps it onto
// already-loaded registry/source records (for `link --truth`).
// Only truth and corruptions are filled (registry/source stay empty).
Result<GeneratedData> LoadTruth(const std::string& path, const std::vector<Record>& registry,
                                const std::vector<Record>& source);
// Multi-line per-stage timing and per-pass blocking report.
std::string FormatStages(const LinkStats& s);
// Multi-line human-readable report of an evaluation and the link stats.
std::string FormatEvaluation(const Evaluation& e, const LinkStats& s);

// source_id,registry_id,score,band[,explanation] for every source record.
std::string MatchesToCsv(const std::vector<Record>& registry, const std::vector<Record>& source,
                         const LinkResult& result, bool explain, bool utf8_bom);

}  // namespace th::linkage
