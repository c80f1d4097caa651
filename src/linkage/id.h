#pragma once
// 公民身份号码 rules the linkage engine needs (GB 11643-1999), kept inside th_linkage so the
// engine does not depend on src/domain. Packs IDs into integers for the hot path.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace th::linkage {

enum class IdKind : std::uint8_t {
  kEmpty,        // blank field
  kValid,        // 18 characters, valid date and checksum (15-digit input upgraded)
  kBadChecksum,  // 18 characters with a plausible date but a wrong check character
  kInvalid,      // wrong length, characters or date
  kNotAnId,      // a school number that is not an ID (J..., L...) or other non-ID code
};

struct IdAnalysis {
  IdKind kind = IdKind::kEmpty;
  std::string normalized;  // 18 characters for kValid / kBadChecksum, else empty
  std::uint64_t key = 0;   // PackId(normalized) for kValid / kBadChecksum, else 0
  std::int32_t birth_days = 0;  // days since 1970-01-01 from the ID (kValid / kBadChecksum)
  int birth_year = 0;
  char sex = 0;  // 'M' / 'F'
  bool upgraded_from_15 = false;
  bool school_prefix = false;  // "G" + ID school number (学籍号)
};

// The ISO 7064 MOD 11-2 check character ('0'-'9' or 'X') of 17 digits.
char IdCheckChar(std::string_view first17);

// Upgrades a 15-digit ID (yymmdd, 19xx) to 18 digits with its check character; "" if the
// input is not 15 digits.
std::string UpgradeId15(std::string_view id15);

// Classifies a raw ID field: trims, maps full-width digits and x/×, strips a "G" school
// prefix, upgrades 15 digits, validates the date (1900-2100) and checksum.
IdAnalysis AnalyzeId(std::string_view raw);

// Packs an 18-character ID (digits, 'X' last) into base 11; 0 for anything else.
std::uint64_t PackId(std::string_view id18);
// Inverse of PackId.
std::string UnpackId(std::uint64_t key);

// True when two packed IDs differ by exactly one character or by one adjacent swap.
bool IdsAreNear(std::uint64_t a, std::uint64_t b);

// All valid IDs one substitution or one adjacent transposition away from `id18` (which
// usually failed its checksum): candidates for what was meant. Packed keys.
std::vector<std::uint64_t> NearValidIds(std::string_view id18);
// The same keys in the same order from a packed key, without allocating: the checksum is
// updated per candidate instead of recomputed. Writes at most kMaxNearValidIds keys to `out`
// and returns their count (0 for key 0).
inline constexpr int kMaxNearValidIds = 18 * 10 + 17;
int NearValidIdKeys(std::uint64_t key, std::uint64_t* out);

// True when an ID is a guardian's typed into the child's field: born at least 15 years
// before the child's stated birth date, or, when that is unknown (INT32_MIN), an adult (18+)
// at `reference_days`.
bool LooksLikeAdultId(std::int32_t id_birth_days, std::int32_t stated_birth_days, std::int32_t reference_days);

}  // namespace th::linkage
