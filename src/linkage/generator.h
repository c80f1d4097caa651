#pragma once
// Synthetic registry and department files with ground truth, for tests, the demo and the
// benchmarks. Deterministic by seed. Children live in households (siblings and twins share
// parents, address, phone, and twins a birth date: the hard negatives); names follow
// surname frequencies and concentrate on popular given names by birth year; department
// records carry the corruptions seen in real exchanges.
#include <cstdint>
#include <string>
#include <vector>

#include "linkage/record.h"

namespace th::linkage {

enum Corruption : int {
  kCorrIdMissing, kCorrIdTypo, kCorrIdSwap, kCorrId15, kCorrIdGuardian, kCorrIdSchool, kCorrHomophone,
  kCorrSimilarChar, kCorrTraditional, kCorrMonthDaySwap, kCorrDateOffByOne, kCorrDateFormat, kCorrNickname,
  kCorrGuardianSwap, kCorrNameSpacing, kCorrMoved, kCorrFieldsMissing,
  // Not drawn on their own: which family name (乳名/小名) a kCorrNickname record carries, with or
  // without the surname: 小X, 阿X, a reduplicated 叠字 name (XX), 大宝/二宝/三宝 by birth order,
  // or <father's name>之子/之女.
  kCorrNickXiao, kCorrNickA, kCorrNickReduplicated, kCorrNickBao, kCorrNickChildOf, kNumCorruptions
};
// Corruptions drawn at random (the nickname kinds come with kCorrNickname).
inline constexpr int kNumDrawnCorruptions = kCorrFieldsMissing + 1;
// "id_missing", "id_typo", ...
const char* CorruptionName(int c);

struct GeneratorOptions {
  std::size_t registry_size = 10000;
  std::size_t source_size = 10000;
  double source_match_rate = 0.7;    // share of source records that are registry children
  double registry_without_id = 0.3;  // registry children with a blank ID
  double corrupted_share = 0.6;      // source records with 1-2 corruptions
  std::uint64_t seed = 1;
};

struct GeneratedData {
  std::vector<Record> registry, source;
  std::vector<std::int32_t> truth;         // per source record: registry index or -1
  std::vector<std::uint32_t> corruptions;  // per source record: bit set of Corruption
};

// Generates a registry and a department file. Registry ids are "R<n>", source ids "S<n>".
GeneratedData GenerateLinkageData(const GeneratorOptions& options);

// truth.csv: source_id,registry_id,corruptions ("id_typo|homophone").
std::string TruthToCsv(const GeneratedData& data);

}  // namespace th::linkage
