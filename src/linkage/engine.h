#pragma once
// The record-linkage engine: links each source (department) record to at most one registry
// child. Pipeline: normalize and integer-code every field (names interned once per distinct
// value, pinyin as syllable ids), block with a union of capped passes, compare with
// agreement levels, estimate Fellegi–Sunter m/u by EM on the candidate pairs, score with a
// term-frequency adjustment for names, pick the best candidate per source record, band it
// (link / review / no link), and keep what is needed to explain every decision.
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "linkage/record.h"

namespace th::linkage {

enum Field : int { kFieldId, kFieldName, kFieldBirth, kFieldSex, kFieldGuardian, kFieldPhone, kFieldAddress, kNumFields };
inline constexpr int kMaxLevels = 6;
// Number of agreement levels per field, level 0 always meaning "missing on either side".
inline constexpr std::array<int, kNumFields> kFieldLevels = {4, 6, 6, 3, 4, 3, 6};

// "id", "name", ...
const char* FieldName(int field);
// Human label of a level: name 5 -> "exact", name 4 -> "same_pinyin", ...
const char* LevelName(int field, int level);

enum class Band : std::uint8_t { kNoLink, kReview, kLink };
const char* BandName(Band b);  // "no_link" / "review" / "link"

enum BlockingPass : int { kPassId, kPassBirthSurname, kPassYearMonthDayGiven, kPassFuzzyNameYear, kPassGuardianSurname, kNumPasses };
const char* PassName(int pass);

// Fellegi–Sunter parameters: m = P(level | match), u = P(level | non-match) over levels >= 1.
struct FsModel {
  double lambda = 0.0;  // prior share of matches among candidate pairs
  std::array<std::array<double, kMaxLevels>, kNumFields> m{}, u{};
  int iterations = 0;
  bool converged = false;
  // log2(m/u) per level; 0 for level 0 (missing).
  double Weight(int field, int level) const;
};

// Comparison patterns: mixed-radix encoding of one level per field.
std::uint32_t EncodePattern(const std::array<std::uint8_t, kNumFields>& levels);
std::array<std::uint8_t, kNumFields> DecodePattern(std::uint32_t pattern);
std::uint32_t NumPatterns();

// EM for Fellegi–Sunter under conditional independence, on a histogram of comparison
// patterns (counts indexed by pattern). `init` gives the starting point; returns the fit.
// With `fix_u` only m and lambda are re-estimated (u stays as given, e.g. from random pairs).
FsModel FitFellegiSunter(const std::vector<std::uint64_t>& pattern_counts, const FsModel& init, int max_iterations = 200,
                         double tolerance = 1e-7, bool fix_u = false);

// The model a batch leans on when its own evidence is thin: m near the fit on generated data
// with the household fields softened, u from random pairs of that fit (lambda 0.1, unused by
// Link, which takes the match share expected from the candidate count instead).
FsModel DefaultPriorModel();

struct LinkOptions;  // commands.h

struct LinkConfig {
  double link_threshold = 0.95;    // match probability at or above which a pair is linked
  double review_threshold = 0.50;  // at or above: review; below: no link
  // A link whose runner-up is within this many log2 units is sent to review instead
  // (twins, same-name siblings).
  double ambiguity_margin = 2.0;
  int threads = 2;
  // A block larger than this (registry side) is replaced by its sub-block (one more field:
  // birth month or sex), itself skipped when over block_cap * sub_block_factor.
  std::uint32_t block_cap = 24;
  bool sub_block = true;
  std::uint32_t sub_block_factor = 2;
  // Per-pass caps (0: block_cap). The ID pass is never capped.
  std::array<std::uint32_t, kNumPasses> pass_cap{};
  // A source record whose valid ID finds exactly one registry child, confirmed by a name at
  // least "close" (the birth date is part of the ID, so it cannot confirm), skips the fuzzy passes.
  bool id_first = true;
  // A source record with a registry child of exactly the same name and birth date among its
  // birth-date + surname candidates skips the guardian pass.
  bool skip_guardian_when_exact = true;
  bool tf_adjust = true;
  // Keep both sides sorted by birth date inside the engine, so the records a
  // chunk of source records is compared with sit close together in memory. Results do not
  // depend on it (ties go to the lower registry input position either way).
  bool engine_order = true;
  int em_max_iterations = 200;
  // Weight of the prior in pseudo-observations: lambda is blended with the share expected from
  // the candidate count (half the source records matched) against the candidate pairs, m with
  // DefaultPriorModel() against the matches EM found, u with it against the random pairs. The
  // prior fades out linearly and is gone at 100 x prior_strength of evidence, so large batches
  // keep their own fit; a batch of a few records leans on the prior instead of an EM fit to a
  // handful of pairs. 0 = EM and random pairs alone.
  double prior_strength = 100;
  // Below this many source records, u is also estimated from random pairs of two registry
  // children (a batch of a few records shows too few values to tell chance agreement).
  std::size_t small_batch_records = 1000;
  // Day count (since 1970-01-01) used to tell adult IDs; 0 = today.
  std::int32_t reference_days = 0;
  // Evaluation hook: the true registry index of each source record (-1 = none); when set,
  // pair completeness of blocking is measured.
  const std::vector<std::int32_t>* truth = nullptr;
  // Benchmark hook: when set, receives every candidate pair (source index, registry index) in
  // the order the compare stage visits them.
  std::vector<std::pair<std::uint32_t, std::uint32_t>>* candidate_pairs_out = nullptr;
  // Called from the main thread with a stage name and 0..1 progress.
  std::function<void(const char* stage, double fraction)> progress;
};

struct Match {
  std::int32_t registry_index = -1;  // -1: no candidate
  double weight = 0;                 // total log2 Bayes factor including the prior
  double probability = 0;
  Band band = Band::kNoLink;
  std::uint32_t pattern = 0;
  float tf_adjustment = 0;           // added to the name weight (exact agreement only)
  std::int32_t runner_up = -1;
  double runner_up_weight = 0;
};

struct FieldContribution {
  int field = 0;
  int level = 0;
  double weight = 0;
};

struct LinkStats {
  std::size_t registry_records = 0, source_records = 0;
  std::size_t candidate_pairs = 0;
  std::array<std::size_t, kNumPasses> pass_pairs{};       // pairs each pass proposed (before union)
  std::array<std::size_t, kNumPasses> skipped_blocks{};   // blocks over the cap (probes)
  std::array<std::size_t, kNumPasses> sub_blocks{};       // ... of which replaced by their sub-block
  // Blocking pair completeness (only with LinkConfig::truth): true pairs among candidates.
  std::size_t true_pairs = 0, true_pairs_found = 0;
  double pair_completeness = 0;
  std::size_t ids_valid = 0, ids_bad_checksum = 0, ids_invalid = 0, ids_not_an_id = 0, ids_adult = 0,
              ids_upgraded = 0, ids_school = 0;
  std::size_t links = 0, reviews = 0, no_links = 0;
  std::array<std::size_t, kNumPasses> pass_true_found{};  // true pairs each pass proposed (with truth)
  std::array<std::size_t, kNumPasses> pass_true_only{};   // ... that no other pass proposed
  std::size_t id_first_settled = 0;                       // source records settled by exact ID
  std::size_t guardian_pass_skipped = 0;                  // records with an exact name + birth candidate
  // Wall seconds per stage: normalize (encode, of which intern and name infos), index,
  // pack, blocking + compare (one parallel phase), EM, score.
  // seconds_order: sorting both sides into the engine order (part of normalize).
  double seconds_encode = 0, seconds_intern = 0, seconds_name_info = 0, seconds_order = 0, seconds_index = 0,
         seconds_pack = 0, seconds_compare = 0, seconds_em = 0, seconds_score = 0;
  // Process CPU seconds per stage: normalize, index, pack, block+compare, EM, score.
  std::array<double, 6> cpu_stage{};
  // Thread CPU seconds (summed over threads) inside the blocking + compare phase.
  std::array<double, kNumPasses> cpu_seconds_pass{};
  double cpu_seconds_dedupe = 0, cpu_seconds_compare = 0;
  // Process CPU seconds (user + system, all threads) spent inside Link: on a busy shared
  // machine wall times stretch, this does not (much).
  double cpu_seconds_total = 0;
  double seconds_total = 0;
};

struct LinkResult {
  std::vector<Match> matches;  // one per source record, same order
  FsModel model;
  LinkStats stats;
};

// Links `source` against `registry`. Never fails on data content (bad fields are treated as
// missing); fails only on impossible configuration (thresholds out of order).
Result<LinkResult> Link(const std::vector<Record>& registry, const std::vector<Record>& source, const LinkConfig& config);

// Per-field levels and weights of a match (the TF adjustment is folded into the name weight).
std::vector<FieldContribution> Explain(const FsModel& model, const Match& match);
// "name=exact(+9.1) birth=exact(+7.9) id=missing(0) ..." for logs and CSV.
std::string ExplainText(const FsModel& model, const Match& match);

// Address components by administrative level: hashes of the prefixes ending at 省/市/区/县/
// 旗/州/盟/街道/镇/乡, at most 4. Exposed for tests.
std::vector<std::uint32_t> AddressPrefixHashes(std::string_view address);

// Comparators on raw values, exposed for table-driven tests (the engine uses the same code on
// integer-coded data).
int CompareNames(std::string_view a, std::string_view b);
int CompareBirthDates(std::string_view a, std::string_view b);
int CompareAddresses(std::string_view a, std::string_view b);
int CompareIds(std::string_view a, std::string_view b);

// Exact-ID join: every valid ID (GB 11643 checksum, 15 -> 18 upgraded, G prefix stripped)
// packed to a uint64 on `threads` threads, both sides sorted (in parallel), one merge.
// A registry ID held by several children is ambiguous: its source records get no match.
struct IdJoinResult {
  std::vector<std::int32_t> match;  // per source record: registry index or -1
  std::size_t registry_keys = 0, source_keys = 0, matched = 0, ambiguous = 0;
  double seconds_normalize = 0, seconds_sort = 0, seconds_merge = 0, seconds_total = 0;
};
IdJoinResult ExactIdJoin(const std::vector<Record>& registry, const std::vector<Record>& source, int threads = 2);

// Test hooks: ID level on packed keys through the engine's nibble fast path (must equal
// CompareIds / IdsAreNear), and the byte length of the raw address prefix that address
// levels depend on (AddressPrefixHashes of it equals that of the whole address).
int CompareIdKeysNibbles(std::uint64_t a, std::uint64_t b);
// The phone key the engine compares (digits as a number, +86 dropped, 0 when not 7-15 digits).
std::uint64_t PhoneKey(std::string_view raw);
// The birth date the engine uses, as days since 1970-01-01 (INT32_MIN: none or unreadable).
std::int32_t BirthDayNumber(std::string_view raw);
// The name cleanup the engine uses (text::CleanName with a shortcut for plain simplified names).
std::string EngineCleanName(std::string_view raw);
std::size_t AddressRegionPrefixBytes(std::string_view raw);

// The engine's comparison + scoring kernel on pre-encoded records, for benchmarks: encodes
// and packs both sides once (as Link does), then compares given (source, registry) pairs to
// patterns and adds their pattern weight plus the TF term, as the scoring loop does.
class ScoringKernel {
 public:
  // With `engine_order` the packed records are kept in Link's internal order (LinkConfig::
  // engine_order), and Score takes indices in that order (see ToEngineOrder); otherwise
  // Score takes input positions and records stay in input order.
  ScoringKernel(const std::vector<Record>& registry, const std::vector<Record>& source, int threads = 2,
                bool engine_order = false);
  ~ScoringKernel();
  // Maps input positions to the kernel's record order, in place (identity without engine_order).
  void ToEngineOrder(std::uint32_t* source_index, std::uint32_t* registry_index, std::size_t n) const;
  // Returns the sum of weights (a checksum); patterns[k] gets each pair's pattern.
  double Score(const std::uint32_t* source_index, const std::uint32_t* registry_index, std::size_t n,
               std::uint32_t* patterns) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace th::linkage
