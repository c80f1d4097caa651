#include "linkage/id.h"

#include <climits>

#include "text/date.h"
#include "text/normalize.h"

namespace th::linkage {
namespace {

constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kCheck[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

int DigitValue(char c) { return c == 'X' ? 10 : c - '0'; }

void UnpackDigits(std::uint64_t key, int out[18]) {
  for (int i = 17; i >= 0; --i) {
    out[i] = static_cast<int>(key % 11);
    key /= 11;
  }
}

bool ValidDigits(const int d[18]) {
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    if (d[i] > 9) return false;
    sum += d[i] * kWeights[i];
  }
  int want = kCheck[sum % 11] == 'X' ? 10 : kCheck[sum % 11] - '0';
  return d[17] == want;
}

std::uint64_t PackDigits(const int d[18]) {
  std::uint64_t k = 0;
  for (int i = 0; i < 18; ++i) k = k * 11 + static_cast<std::uint64_t>(d[i]);
  return k + 1;  // never 0
}

}  // namespace

char IdCheckChar(std::string_view first17) {
  int sum = 0;
  for (int i = 0; i < 17 && i < static_cast<int>(first17.size()); ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheck[sum % 11];
}

std::string UpgradeId15(std::string_view id15) {
  if (id15.size() != 15 || !AllDigits(id15)) return {};
  std::string s;
  s.reserve(18);
  s.append(id15.substr(0, 6));
  s.append("19");
  s.append(id15.substr(6));
  s.push_back(IdCheckChar(s));
  return s;
}

std::uint64_t PackId(std::string_view id) {
  if (id.size() != 18 || !AllDigits(id.substr(0, 17))) return 0;
  if (!(id[17] == 'X' || (id[17] >= '0' && id[17] <= '9'))) return 0;
  int d[18];
  for (int i = 0; i < 18; ++i) d[i] = DigitValue(id[i]);
  return PackDigits(d);
}

std::string UnpackId(std::uint64_t key) {
  if (key == 0) return {};
  int d[18];
  UnpackDigits(key - 1, d);
  std::string s(18, '0');
  for (int i = 0; i < 18; ++i) s[i] = d[i] == 10 ? 'X' : static_cast<char>('0' + d[i]);
  return s;
}

// Long: one decision table over the forms of a Chinese ID number (15/18 digits, checksum, school numbers).
IdAnalysis AnalyzeId(std::string_view raw) {
  IdAnalysis a;
  // Fast path for the common case, 18 ASCII characters (17 digits + digit/X/x): no trimming,
  // NFKC or cleanup needed, no allocation besides `normalized`. Same results as below.
  if (raw.size() == 18 && AllDigits(raw.substr(0, 17)) &&
      ((raw[17] >= '0' && raw[17] <= '9') || raw[17] == 'X' || raw[17] == 'x')) {
    auto num = [&](int b, int n) {
      int v = 0;
      for (int i = b; i < b + n; ++i) v = v * 10 + (raw[i] - '0');
      return v;
    };
    int y = num(6, 4), m = num(10, 2), d = num(12, 2);
    if (y < 1900 || y > 2100 || !text::IsValidDate(y, m, d)) {
      a.kind = IdKind::kInvalid;
      return a;
    }
    a.normalized.assign(raw);
    if (a.normalized[17] == 'x') a.normalized[17] = 'X';
    a.key = PackId(a.normalized);
    a.birth_year = y;
    a.birth_days = text::DaysFromCivil(text::Date{y, m, d});
    a.sex = ((raw[16] - '0') % 2 == 1) ? 'M' : 'F';
    a.kind = IdCheckChar(a.normalized) == a.normalized[17] ? IdKind::kValid : IdKind::kBadChecksum;
    return a;
  }
  // Detect school-number prefixes before CleanIdLike drops letters.
  bool ascii = true;
  for (char c : raw) ascii &= static_cast<unsigned char>(c) < 0x80;
  std::string trimmed = ascii ? std::string(raw) : text::Nfkc(raw);  // ICU only for full-width input
  std::size_t b = trimmed.find_first_not_of(" \t");
  if (b == std::string::npos) return a;
  char first = trimmed[b];
  if (first == 'J' || first == 'j' || first == 'L' || first == 'l') {
    a.kind = IdKind::kNotAnId;
    return a;
  }
  if (first == 'G' || first == 'g') a.school_prefix = true;
  std::string s = text::CleanIdLike(trimmed);
  if (s.empty()) {
    a.kind = IdKind::kInvalid;
    return a;
  }
  if (s.size() == 15) {
    s = UpgradeId15(s);
    a.upgraded_from_15 = !s.empty();
  }
  if (s.size() != 18 || !AllDigits(std::string_view(s).substr(0, 17)) ||
      std::string_view(s).substr(0, 17).find('X') != std::string_view::npos) {
    a.kind = IdKind::kInvalid;
    return a;
  }
  int y = std::stoi(s.substr(6, 4)), m = std::stoi(s.substr(10, 2)), d = std::stoi(s.substr(12, 2));
  if (y < 1900 || y > 2100 || !text::IsValidDate(y, m, d)) {
    a.kind = IdKind::kInvalid;
    return a;
  }
  a.normalized = s;
  a.key = PackId(s);
  a.birth_year = y;
  a.birth_days = text::DaysFromCivil(text::Date{y, m, d});
  a.sex = ((s[16] - '0') % 2 == 1) ? 'M' : 'F';
  a.kind = IdCheckChar(s) == s[17] ? IdKind::kValid : IdKind::kBadChecksum;
  return a;
}

bool IdsAreNear(std::uint64_t a, std::uint64_t b) {
  if (a == 0 || b == 0 || a == b) return false;
  int x[18], y[18];
  UnpackDigits(a - 1, x);
  UnpackDigits(b - 1, y);
  int diff[18], nd = 0;
  for (int i = 0; i < 18; ++i) {
    if (x[i] != y[i]) {
      if (nd == 2) return false;
      diff[nd++] = i;
    }
  }
  if (nd == 1) return true;
  return nd == 2 && diff[1] == diff[0] + 1 && x[diff[0]] == y[diff[1]] && x[diff[1]] == y[diff[0]];
}

std::vector<std::uint64_t> NearValidIds(std::string_view id18) {
  std::vector<std::uint64_t> out;
  std::uint64_t key = PackId(id18);
  if (key == 0) return out;
  int d[18];
  UnpackDigits(key - 1, d);
  for (int i = 0; i < 18; ++i) {
    int orig = d[i];
    int max = i == 17 ? 10 : 9;
    for (int v = 0; v <= max; ++v) {
      if (v == orig) continue;
      d[i] = v;
      if (ValidDigits(d)) out.push_back(PackDigits(d));
    }
    d[i] = orig;
  }
  for (int i = 0; i + 1 < 18; ++i) {
    if (d[i] == d[i + 1]) continue;
    std::swap(d[i], d[i + 1]);
    if (ValidDigits(d)) out.push_back(PackDigits(d));
    std::swap(d[i], d[i + 1]);
  }
  return out;
}

int NearValidIdKeys(std::uint64_t key, std::uint64_t* out) {
  if (key == 0) return 0;
  int d[18];
  UnpackDigits(key - 1, d);
  std::uint64_t pow11[18];  // pow11[k] = 11^k: the place value of digit 17 - k
  pow11[0] = 1;
  for (int k = 1; k < 18; ++k) pow11[k] = pow11[k - 1] * 11;
  int sum = 0, bad = 0;  // weighted sum of digits 0..16, count of those above 9
  for (int i = 0; i < 17; ++i) sum += d[i] * kWeights[i], bad += d[i] > 9;
  auto want = [](int s) { return kCheck[s % 11] == 'X' ? 10 : kCheck[s % 11] - '0'; };
  auto delta = [](std::uint64_t k, int from, int to, std::uint64_t place) {
    return to >= from ? k + static_cast<std::uint64_t>(to - from) * place : k - static_cast<std::uint64_t>(from - to) * place;
  };
  int n = 0;
  for (int i = 0; i < 18; ++i) {
    const int orig = d[i];
    const int max = i == 17 ? 10 : 9;
    for (int v = 0; v <= max; ++v) {
      if (v == orig) continue;
      bool valid;
      if (i < 17) valid = bad - (orig > 9) == 0 && d[17] == want(sum + kWeights[i] * (v - orig));
      else valid = bad == 0 && v == want(sum);
      if (valid) out[n++] = delta(key, orig, v, pow11[17 - i]);
    }
  }
  for (int i = 0; i + 1 < 18; ++i) {
    const int a = d[i], b = d[i + 1];
    if (a == b) continue;
    bool valid;
    if (i + 1 < 17) {
      valid = bad == 0 && d[17] == want(sum + kWeights[i] * (b - a) + kWeights[i + 1] * (a - b));
    } else {  // digits 16 and 17: the check character moves into the weighted part
      valid = bad - (a > 9) + (b > 9) == 0 && a == want(sum + kWeights[16] * (b - a));
    }
    if (valid) out[n++] = delta(delta(key, a, b, pow11[17 - i]), b, a, pow11[16 - i]);
  }
  return n;
}

bool LooksLikeAdultId(std::int32_t id_birth_days, std::int32_t stated_birth_days, std::int32_t reference_days) {
  constexpr std::int32_t kYear = 365;
  if (stated_birth_days != INT32_MIN) return stated_birth_days - id_birth_days >= 15 * kYear;
  return reference_days - id_birth_days >= 18 * kYear + 4;
}

}  // namespace th::linkage
