// Over 600 lines: the linkage engine's hot kernels (encoding, blocking, comparison, EM, scoring) share private types.
#include "linkage/engine.h"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <climits>
#include <cmath>
#include <ctime>
#include <time.h>
#include <mutex>
#include <random>
#include <thread>
#include <tuple>
#include <unordered_map>

#include <emmintrin.h>

#include "linkage/id.h"
#include "text/date.h"
#include "text/normalize.h"
#include "text/pinyin.h"
#include "text/utf8.h"

namespace th::linkage {
namespace {

using text::SyllableId;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// CPU seconds of the calling thread so far.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

// User + system CPU seconds of the whole process so far (all threads).
double ProcessCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

inline std::uint64_t Mix(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
  h *= 0xFF51AFD7ED558CCDULL;
  return h ^ (h >> 33);
}

std::uint32_t HashString(std::string_view s) {
  std::uint32_t h = 2166136261u;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h == 0 ? 1 : h;
}

// ---------------------------------------------------------------- names

constexpr int kMaxPos = 6;
constexpr int kMaxReadings = 3;

struct NameInfo {
  std::array<std::array<SyllableId, kMaxReadings>, kMaxPos> readings{};
  std::array<SyllableId, kMaxPos> fuzzy{};
  std::uint8_t len = 0;          // positions used (<= kMaxPos)
  std::uint8_t surname_len = 0;  // 1, or 2 for compound surnames
  // A family name (乳名/小名) instead of the registered one: 1 = 小X, 阿X or 叠字 XX (X in
  // nick_core, fuzzy syllable), 2 = no given name at all (大宝/二宝/三宝/小宝/宝宝, 某某之子/之女).
  // nick_surname: written with the child's surname (张小涵, 张大宝), compared on surname_fuzzy_hash.
  // (In what was padding: the struct stays 80 bytes.)
  std::uint8_t nick = 0;
  bool nick_surname = false;
  SyllableId nick_core = 0;
  std::uint64_t fuzzy_hash = 0;        // whole name, fuzzy syllables
  std::uint64_t given_fuzzy_hash = 0;  // given name only
  std::uint64_t surname_fuzzy_hash = 0;
};
static_assert(sizeof(NameInfo) == 80, "NameInfo grew: the name table is read in the hot blocking loop");

constexpr const char* kCompoundSurnames[] = {"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "长孙",
                                             "慕容", "司徒", "令狐", "夏侯", "公孙", "轩辕", "端木", "独孤",
                                             "南宫", "西门", "宇文", "澹台", "呼延", "申屠", "太史", "闻人"};

// Marks the family-name forms of NameInfo::nick, on the name's Han characters `h` (n of them,
// one position each). A registered name of the same shape (张小明, 王娜娜) is marked too: that
// only matters where the names would otherwise be "different" (see NickCompatible).
void DetectNickname(const char32_t* h, int n, NameInfo* info) {
  if (n >= 3 && h[n - 2] == U'之' && (h[n - 1] == U'子' || h[n - 1] == U'女')) {
    info->nick = 2;  // <parent's name>之子: the surname is the parent's, not necessarily the child's
    return;
  }
  int s = 0;  // surname positions before the two-character family name
  if (n == 3 && info->surname_len == 1) s = 1;
  else if (n == 4 && info->surname_len == 2) s = 2;
  else if (n != 2) return;
  const char32_t b0 = h[s], b1 = h[s + 1];
  if (b1 == U'宝' && (b0 == U'大' || b0 == U'二' || b0 == U'三' || b0 == U'小' || b0 == U'宝' || b0 == U'阿')) {
    info->nick = 2;
  } else if (b0 == U'小' || b0 == U'阿' || b0 == b1) {
    info->nick = 1;
    info->nick_core = info->fuzzy[s + 1];
  } else {
    return;
  }
  info->nick_surname = s > 0;
}

NameInfo ComputeNameInfo(std::string_view clean) {
  NameInfo info;
  std::size_t pos = 0;
  bool first = true;
  std::array<char32_t, kMaxPos> han{};
  int han_n = 0, other = 0;
  std::string ascii;
  auto push = [&](const std::vector<SyllableId>& rs) {
    if (rs.empty()) return;
    if (info.len >= kMaxPos) {
      // Long names (transliterated minority names): fold the tail into the last position's hash.
      info.fuzzy_hash = Mix(info.fuzzy_hash, text::FuzzySyllableId(rs[0]));
      return;
    }
    auto& slot = info.readings[info.len];
    for (int i = 0; i < kMaxReadings && i < static_cast<int>(rs.size()); ++i) slot[i] = rs[i];
    info.fuzzy[info.len] = text::FuzzySyllableId(rs[0]);
    ++info.len;
  };
  auto flush = [&] {
    if (!ascii.empty()) {
      push({text::InternSyllable(ascii)});
      ascii.clear();
    }
  };
  while (pos < clean.size()) {
    char32_t c = text::NextCodePoint(clean, &pos);
    if (c < 0x80) {
      if (c >= 'a' && c <= 'z') ascii.push_back(static_cast<char>(c));
      else flush();
      continue;
    }
    flush();
    if (!text::IsHan(c)) continue;
    if (han_n < kMaxPos) han[han_n] = c;
    ++han_n;
    push(text::CharReadings(c, first));
    first = false;
  }
  other = ascii.empty() ? 0 : 1;
  flush();
  info.surname_len = info.len > 0 ? 1 : 0;
  if (info.len >= 3) {
    for (const char* cs : kCompoundSurnames) {
      if (clean.substr(0, 6) == cs) info.surname_len = 2;
    }
  }
  if (han_n == info.len && other == 0 && han_n <= kMaxPos) DetectNickname(han.data(), han_n, &info);
  std::uint64_t h = 0x1234;
  for (int i = 0; i < info.len; ++i) h = Mix(h, info.fuzzy[i]);
  info.fuzzy_hash = Mix(info.fuzzy_hash, h);
  std::uint64_t g = 0x5678, s = 0x9abc;
  for (int i = 0; i < info.len; ++i) {
    if (i < info.surname_len) s = Mix(s, info.fuzzy[i]);
    else g = Mix(g, info.fuzzy[i]);
  }
  info.given_fuzzy_hash = info.len > info.surname_len ? g : 0;
  info.surname_fuzzy_hash = info.surname_len > 0 ? s : 0;
  return info;
}

bool ReadingsIntersect(const std::array<SyllableId, kMaxReadings>& a, const std::array<SyllableId, kMaxReadings>& b) {
  for (SyllableId x : a) {
    if (x == 0) break;
    for (SyllableId y : b) {
      if (y == 0) break;
      if (x == y) return true;
    }
  }
  return false;
}

// A family name (NameInfo::nick) that may stand for the other name: 小涵 / 阿涵 / 涵涵 for 张梓涵
// (X among the given name's syllables), 大宝 or 张建国之子 for any child; written with a surname,
// the surnames agree. Two family names agree when either has no given name or their X agree.
bool NickCompatible(const NameInfo& a, const NameInfo& b) {
  if (!(a.nick | b.nick)) return false;
  const bool surname = a.nick && b.nick ? a.nick_surname && b.nick_surname : (a.nick ? a.nick_surname : b.nick_surname);
  if (surname && a.surname_fuzzy_hash != b.surname_fuzzy_hash) return false;
  if (a.nick && b.nick) return a.nick == 2 || b.nick == 2 || a.nick_core == b.nick_core;
  const NameInfo& n = a.nick ? a : b;
  const NameInfo& r = a.nick ? b : a;
  if (n.nick == 2) return true;
  for (int i = r.surname_len; i < r.len; ++i) {
    if (r.fuzzy[i] == n.nick_core) return true;
  }
  return false;
}

// Name levels: 0 missing, 1 different, 2 close pinyin (or a family name that may stand for the
// other, see NickCompatible), 3 same fuzzy key, 4 same pinyin (any reading of polyphones), 5
// exact (after cleanup and simplification).
int NameLevelRegistered(const NameInfo& a, const NameInfo& b, bool same_code);

int NameLevel(const NameInfo& a, const NameInfo& b, bool same_code) {
  const int level = NameLevelRegistered(a, b, same_code);
  return level == 1 && NickCompatible(a, b) ? 2 : level;
}

// NameLevel without the family-name rule.
int NameLevelRegistered(const NameInfo& a, const NameInfo& b, bool same_code) {
  if (a.len == 0 || b.len == 0) return 0;
  if (same_code) return 5;
  if (a.len == b.len) {
    bool same = true;
    for (int i = 0; i < a.len && same; ++i) same = ReadingsIntersect(a.readings[i], b.readings[i]);
    if (same) return 4;
  }
  if (a.fuzzy_hash == b.fuzzy_hash && a.len == b.len) return 3;
  if (a.len == b.len) {
    int diffs = 0, at = 0;
    for (int i = 0; i < a.len; ++i) {
      if (a.fuzzy[i] != b.fuzzy[i]) ++diffs, at = i;
    }
    // One syllable apart: close, unless it is the surname (王梓涵 / 欧梓涵 are two children).
    if (diffs == 1 && a.len >= 2) return at < std::max(a.surname_len, b.surname_len) ? 1 : 2;
    // Given name characters swapped: 张子涵 / 张涵子.
    if (diffs == 2 && a.len >= 3) {
      for (int i = a.surname_len; i + 1 < a.len; ++i) {
        if (a.fuzzy[i] == b.fuzzy[i + 1] && a.fuzzy[i + 1] == b.fuzzy[i] && a.fuzzy[i] != a.fuzzy[i + 1]) return 2;
      }
    }
    return 1;
  }
  // One syllable dropped or added (张小伟 / 张伟), both with at least two syllables.
  const NameInfo& l = a.len > b.len ? a : b;
  const NameInfo& s = a.len > b.len ? b : a;
  if (l.len == s.len + 1 && s.len >= 2) {
    int i = 0, j = 0, skips = 0;
    while (i < l.len && j < s.len) {
      if (l.fuzzy[i] == s.fuzzy[j]) {
        ++i, ++j;
      } else {
        ++i, ++skips;
      }
    }
    if (j == s.len && skips + (l.len - i) <= 1) return 2;
  }
  return 1;
}

inline std::uint64_t HashName(std::string_view s) {
  std::uint64_t h = std::hash<std::string_view>{}(s);
  return h == 0 ? 1 : h;
}

// Name dictionary: flat open-addressing table of (hash, code) slots; hashes are computed
// on the worker threads during cleanup, so the sequential interning is one probe per name.
class NameTable {
 public:
  NameTable() {
    infos_.emplace_back();  // code 0: empty
    Rehash(1024);
  }
  std::uint32_t Intern(std::string&& clean, std::uint64_t h) {
    if (clean.empty()) return 0;
    if ((names_.size() + 1) * 2 > slots_.size()) Rehash(slots_.size() * 2);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& sl = slots_[i];
      if (sl.code == 0) {
        names_.push_back(std::move(clean));
        sl = {h, static_cast<std::uint32_t>(names_.size())};
        return sl.code;
      }
      if (sl.hash == h && names_[sl.code - 1] == clean) return sl.code;
    }
  }
  std::uint32_t Intern(std::string&& clean) {
    std::uint64_t h = HashName(clean);
    return Intern(std::move(clean), h);
  }
  void Prefetch(std::uint64_t h) const { __builtin_prefetch(&slots_[h & mask_]); }
  void Reserve(std::size_t n) {
    names_.reserve(n);
    std::size_t cap = slots_.size();
    while (cap < n * 2) cap <<= 1;
    if (cap != slots_.size()) Rehash(cap);
  }
  // Computes NameInfo for names interned since the last call, on `threads` threads.
  void ComputeInfos(int threads);
  const NameInfo& Info(std::uint32_t code) const { return infos_[code]; }
  std::size_t size() const { return names_.size(); }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t code = 0;
  };
  void Rehash(std::size_t cap) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    for (const Slot& sl : old) {
      if (sl.code == 0) continue;
      std::size_t i = sl.hash & mask_;
      while (slots_[i].code != 0) i = (i + 1) & mask_;
      slots_[i] = sl;
    }
  }
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::vector<std::string> names_;  // code - 1 -> text
  std::vector<NameInfo> infos_;
};

template <typename Fn>
void ParallelFor(std::size_t n, int threads, std::size_t chunk, Fn&& fn) {
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (;;) {
      std::size_t b = next.fetch_add(chunk);
      if (b >= n) return;
      fn(b, std::min(n, b + chunk));
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

void NameTable::ComputeInfos(int threads) {
  std::size_t from = infos_.size();
  infos_.resize(names_.size() + 1);
  // Warm the pinyin tables single-threaded for the first names to keep lock contention low.
  ParallelFor(infos_.size() - from, threads, 2048, [&](std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) infos_[from + i] = ComputeNameInfo(names_[from + i - 1]);
  });
}

// ---------------------------------------------------------------- encoded records

constexpr std::int32_t kNoDate = INT32_MIN;

struct Encoded {
  std::vector<std::uint32_t> name, father, mother, guardian;
  std::vector<std::int32_t> birth;  // days since epoch
  std::vector<std::uint32_t> ymd;   // y << 16 | m << 8 | d
  std::vector<std::uint8_t> sex;    // 0 unknown, 1 male, 2 female
  std::vector<std::uint64_t> id;    // packed 18-char ID (valid or bad checksum), 0 none
  std::vector<std::uint8_t> id_valid;
  std::vector<std::uint64_t> phone;
  std::vector<std::array<std::uint32_t, 4>> addr_h, addr_r;
  std::vector<std::uint8_t> addr_h_n, addr_r_n;
  std::size_t size() const { return name.size(); }
};

// text::CleanName, with a shortcut for the usual name: only basic-block Han characters
// (U+4E00..U+9FFF, well-formed 3-byte UTF-8) that are already simplified. CleanName returns
// such a name unchanged (no NFKC needed, no dots, spaces or punctuation, simplification is the
// identity), so it is copied without decoding twice and re-encoding; ~40% less time per name.
std::string CleanNameFast(std::string_view raw) {
  const auto* p = reinterpret_cast<const unsigned char*>(raw.data());
  const std::size_t n = raw.size();
  bool plain = n > 0 && n % 3 == 0;
  for (std::size_t i = 0; plain && i < n; i += 3) {
    if ((p[i] & 0xF0) != 0xE0 || (p[i + 1] & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80) {
      plain = false;
      break;
    }
    auto c = static_cast<char32_t>((p[i] & 0x0F) << 12 | (p[i + 1] & 0x3F) << 6 | (p[i + 2] & 0x3F));
    plain = c >= 0x4E00 && c <= 0x9FFF && text::SimplifiedChar(c) == c;
  }
  return plain ? std::string(raw) : text::CleanName(raw);
}

std::uint8_t ParseSex(std::string_view s) {
  std::string t = text::CleanName(s);
  if (t == "男" || t == "m" || t == "male" || t == "1") return 1;
  if (t == "女" || t == "f" || t == "female" || t == "2") return 2;
  return 0;
}

std::uint64_t ParsePhone(std::string_view s) {
  // ASCII (nearly every phone): the digits in order, as CleanIdLike keeps them, without
  // building a string; anything else takes the general path below.
  char digits[16];
  std::size_t n = 0;
  bool ascii = true;
  for (unsigned char c : s) {
    if (c >= 0x80) {
      ascii = false;
      break;
    }
    if (c >= '0' && c <= '9') {
      if (n < sizeof digits) digits[n] = static_cast<char>(c);
      ++n;
    }
  }
  if (ascii) {
    std::size_t off = (n == 13 && digits[0] == '8' && digits[1] == '6') ? 2 : 0;
    if (n - off < 7 || n - off > 15) return 0;
    std::uint64_t v = 0;
    for (std::size_t i = off; i < n; ++i) v = v * 10 + static_cast<std::uint64_t>(digits[i] - '0');
    return v;
  }
  std::string d = text::CleanIdLike(s);
  d.erase(std::remove(d.begin(), d.end(), 'X'), d.end());
  if (d.size() == 13 && d.compare(0, 2, "86") == 0) d.erase(0, 2);
  if (d.size() < 7 || d.size() > 15) return 0;
  return std::stoull(d);
}

int AddressPrefixes(std::string_view address, std::array<std::uint32_t, 4>* out) {
  std::string clean = text::CleanName(address);
  if (clean.empty()) return 0;
  int n = 0;
  std::size_t pos = 0;
  char32_t prev = 0;
  while (pos < clean.size() && n < 4) {
    char32_t c = text::NextCodePoint(clean, &pos);
    bool boundary = c == U'省' || c == U'市' || c == U'区' || c == U'县' || c == U'旗' || c == U'州' || c == U'盟' ||
                    c == U'镇' || c == U'乡' || (c == U'道' && prev == U'街');
    // "街" followed by "道" ends at 道; a 区 right after 自治 is the province's end.
    if (boundary) (*out)[n++] = HashString(std::string_view(clean).substr(0, pos));
    prev = c;
  }
  if (n == 0) (*out)[n++] = HashString(clean);
  return n;
}

// ParseDate and address cleanup dominate normalization (4 µs and 3 µs per call at 1M), but
// their inputs repeat: a few thousand birth dates in a handful of formats, and addresses
// whose region prefix (all that AddressPrefixes keeps) comes from a few hundred streets.
// Per-thread memo tables keyed by the raw text keep the exact results of the slow path.
constexpr std::size_t kMemoLimit = 1 << 20;

struct SvHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using SvMap = std::unordered_map<std::string, V, SvHash, std::equal_to<>>;

std::int32_t ParseBirthMemo(std::string_view raw) {
  thread_local SvMap<std::int32_t> memo;
  if (raw.empty()) return kNoDate;
  // The two usual forms, 2015-03-07 (or / .) and 20150307, read directly: text::ParseDate
  // gives these exactly y-m-d when IsValidDate, else an error.
  auto digits = [&](std::size_t from, std::size_t n) {
    int v = 0;
    for (std::size_t k = from; k < from + n; ++k) {
      char c = raw[k];
      if (c < '0' || c > '9') return -1;
      v = v * 10 + (c - '0');
    }
    return v;
  };
  int y = -1, m = -1, dd = -1;
  if (raw.size() == 10 && raw[4] == raw[7] && (raw[4] == '-' || raw[4] == '/' || raw[4] == '.')) {
    y = digits(0, 4), m = digits(5, 2), dd = digits(8, 2);
  } else if (raw.size() == 8) {
    y = digits(0, 4), m = digits(4, 2), dd = digits(6, 2);
  }
  if (y >= 0 && m >= 0 && dd >= 0) return text::IsValidDate(y, m, dd) ? text::DaysFromCivil({y, m, dd}) : kNoDate;
  auto it = memo.find(raw);
  if (it != memo.end()) return it->second;
  std::int32_t v = kNoDate;
  auto d = text::ParseDate(raw);
  if (d.ok()) v = text::DaysFromCivil(*d);
  if (memo.size() >= kMemoLimit) memo.clear();
  memo.emplace(std::string(raw), v);
  return v;
}

// Byte length of the raw prefix ending at the 4th administrative boundary character (only
// characters whose simplified form is a boundary 省/市/区/县/旗/州/盟/镇/乡, or 道 right after
// 街, count), or the whole string when there are fewer. AddressPrefixes of that prefix equals
// AddressPrefixes of the whole string: every boundary it counts is also one after cleanup, so
// the first four boundaries after cleanup lie inside the prefix.
// 省 市 区 县 旗 州 盟 镇 乡 and the traditional forms that simplify to one (區 縣 鎮 鄉), as a bitmap
// over U+4E00..U+9FFF (all of them lie there): one load per character instead of a chain of
// compares. A form missing here only makes the prefix longer, never wrong.
constexpr char32_t kHanFirst = 0x4E00, kHanEnd = 0xA000;
constexpr auto kBoundaryBits = [] {
  std::array<std::uint64_t, (kHanEnd - kHanFirst + 63) / 64> bits{};
  for (char32_t c : {U'省', U'市', U'区', U'區', U'县', U'縣', U'旗', U'州', U'盟', U'镇', U'鎮', U'乡', U'鄉'}) {
    bits[(c - kHanFirst) >> 6] |= std::uint64_t{1} << ((c - kHanFirst) & 63);
  }
  return bits;
}();
inline bool IsBoundaryChar(char32_t c) {
  const std::uint32_t x = static_cast<std::uint32_t>(c) - kHanFirst;
  return x < kHanEnd - kHanFirst && ((kBoundaryBits[x >> 6] >> (x & 63)) & 1);
}

std::size_t AddressRegionPrefixLength(std::string_view raw) {
  const auto* p = reinterpret_cast<const unsigned char*>(raw.data());
  const std::size_t size = raw.size();
  std::size_t pos = 0;
  int n = 0;
  char32_t prev = 0;
  while (pos < size) {
    char32_t c;
    // Inline decoding of well-formed 3-byte sequences (all Han); anything else as CleanName reads it.
    if ((p[pos] & 0xF0) == 0xE0 && pos + 2 < size && (p[pos + 1] & 0xC0) == 0x80 && (p[pos + 2] & 0xC0) == 0x80) {
      c = static_cast<char32_t>((p[pos] & 0x0F) << 12 | (p[pos + 1] & 0x3F) << 6 | (p[pos + 2] & 0x3F));
      pos += 3;
    } else {
      c = text::NextCodePoint(raw, &pos);
    }
    bool boundary = IsBoundaryChar(c) || (c == U'道' && prev == U'街');
    if (boundary && ++n == 4) return pos;
    prev = c;
  }
  return size;
}

struct AddrMemo {
  std::array<std::uint32_t, 4> h{};
  int n = 0;
};

int AddressPrefixesMemo(std::string_view raw, std::array<std::uint32_t, 4>* out) {
  thread_local SvMap<AddrMemo> memo;
  if (raw.empty()) return 0;
  std::string_view key = raw.substr(0, AddressRegionPrefixLength(raw));
  auto it = memo.find(key);
  if (it == memo.end()) {
    AddrMemo m;
    m.n = AddressPrefixes(key, &m.h);
    if (memo.size() >= kMemoLimit) memo.clear();
    it = memo.emplace(std::string(key), m).first;
  }
  *out = it->second.h;
  return it->second.n;
}

struct EncodeCounts {
  std::size_t valid = 0, bad = 0, invalid = 0, not_id = 0, adult = 0, upgraded = 0, school = 0;
};

// Long (hot path): one pass per record over every field, on all threads.
void Encode(const std::vector<Record>& recs, NameTable* names, std::int32_t reference_days, int threads, Encoded* e,
            EncodeCounts* counts, double* intern_seconds) {
  std::size_t n = recs.size();
  e->name.resize(n), e->father.resize(n), e->mother.resize(n), e->guardian.resize(n);
  e->birth.resize(n), e->ymd.resize(n), e->sex.resize(n), e->id.resize(n), e->id_valid.resize(n);
  e->phone.resize(n), e->addr_h.resize(n), e->addr_r.resize(n), e->addr_h_n.resize(n), e->addr_r_n.resize(n);
  std::vector<std::array<std::string, 4>> clean(n);
  std::vector<std::array<std::uint64_t, 4>> hashes(n);
  std::mutex mu;
  ParallelFor(n, threads, 4096, [&](std::size_t b, std::size_t end) {
    EncodeCounts local;
    for (std::size_t i = b; i < end; ++i) {
      const Record& r = recs[i];
      clean[i][0] = CleanNameFast(r.name);
      clean[i][1] = CleanNameFast(r.father_name);
      clean[i][2] = CleanNameFast(r.mother_name);
      // The guardian is usually the father or the mother: reuse their cleanup.
      if (r.guardian_name == r.father_name) clean[i][3] = clean[i][1];
      else if (r.guardian_name == r.mother_name) clean[i][3] = clean[i][2];
      else clean[i][3] = CleanNameFast(r.guardian_name);
      for (int k = 0; k < 4; ++k) hashes[i][k] = HashName(clean[i][k]);
      std::int32_t birth = ParseBirthMemo(r.birth_date);
      std::uint8_t sex = r.sex == "男" ? 1 : r.sex == "女" ? 2 : ParseSex(r.sex);
      IdAnalysis id = AnalyzeId(r.id_number);
      std::uint64_t key = 0;
      bool valid = false;
      switch (id.kind) {
        case IdKind::kValid:
        case IdKind::kBadChecksum:
          if (LooksLikeAdultId(id.birth_days, birth, reference_days)) {
            ++local.adult;  // a guardian's ID in the child's field: not this child's identity
            break;
          }
          key = id.key;
          valid = id.kind == IdKind::kValid;
          ++(valid ? local.valid : local.bad);
          local.upgraded += id.upgraded_from_15;
          local.school += id.school_prefix;
          if (valid && birth == kNoDate) birth = id.birth_days;
          if (valid && sex == 0) sex = id.sex == 'M' ? 1 : 2;
          break;
        case IdKind::kInvalid: ++local.invalid; break;
        case IdKind::kNotAnId: ++local.not_id; break;
        case IdKind::kEmpty: break;
      }
      e->id[i] = key;
      e->id_valid[i] = valid;
      e->birth[i] = birth;
      if (birth != kNoDate) {
        text::Date d = text::CivilFromDays(birth);
        e->ymd[i] = static_cast<std::uint32_t>(d.year) << 16 | static_cast<std::uint32_t>(d.month) << 8 |
                    static_cast<std::uint32_t>(d.day);
      } else {
        e->ymd[i] = 0;
      }
      e->sex[i] = sex;
      e->phone[i] = ParsePhone(r.guardian_phone);
      e->addr_h_n[i] = static_cast<std::uint8_t>(AddressPrefixesMemo(r.hukou_address, &e->addr_h[i]));
      if (r.residence_address == r.hukou_address) {  // half the records live where they are registered
        e->addr_r[i] = e->addr_h[i], e->addr_r_n[i] = e->addr_h_n[i];
      } else {
        e->addr_r_n[i] = static_cast<std::uint8_t>(AddressPrefixesMemo(r.residence_address, &e->addr_r[i]));
      }
    }
    std::lock_guard<std::mutex> lock(mu);
    counts->valid += local.valid, counts->bad += local.bad, counts->invalid += local.invalid;
    counts->not_id += local.not_id, counts->adult += local.adult, counts->upgraded += local.upgraded;
    counts->school += local.school;
  });
  // Interning is sequential (one dictionary shared by both sides, so equal names get equal codes).
  auto ti = Clock::now();
  for (std::size_t i = 0; i < n; ++i) {
    if (i + 8 < n) {
      for (int k = 0; k < 4; ++k) names->Prefetch(hashes[i + 8][k]);
    }
    e->name[i] = names->Intern(std::move(clean[i][0]), hashes[i][0]);
    e->father[i] = names->Intern(std::move(clean[i][1]), hashes[i][1]);
    e->mother[i] = names->Intern(std::move(clean[i][2]), hashes[i][2]);
    e->guardian[i] = names->Intern(std::move(clean[i][3]), hashes[i][3]);
  }
  *intern_seconds += SecondsSince(ti);
}

// ---------------------------------------------------------------- comparators on codes

int BirthLevel(std::int32_t a, std::int32_t b, std::uint32_t ya, std::uint32_t yb) {
  if (a == kNoDate || b == kNoDate) return 0;
  if (a == b) return 5;
  std::uint32_t y1 = ya >> 16, m1 = (ya >> 8) & 0xFF, d1 = ya & 0xFF;
  std::uint32_t y2 = yb >> 16, m2 = (yb >> 8) & 0xFF, d2 = yb & 0xFF;
  if (y1 == y2 && m1 == d2 && d1 == m2) return 4;
  if (a - b == 1 || b - a == 1) return 3;
  if (y1 == y2 && m1 == m2) return 2;
  return 1;
}

int IdLevel(std::uint64_t a, std::uint64_t b) {
  if (a == 0 || b == 0) return 0;
  if (a == b) return 3;
  return IdsAreNear(a, b) ? 2 : 1;
}

int AddressLevelOne(const std::array<std::uint32_t, 4>& a, int na, const std::array<std::uint32_t, 4>& b, int nb) {
  if (na == 0 || nb == 0) return 0;
  int shared = 0;
  while (shared < na && shared < nb && a[shared] == b[shared]) ++shared;
  return 1 + shared;  // 1 different .. 5 same street
}

// Cache-friendly packed record: everything one comparison reads, in one 64-byte-aligned
// struct of two cache lines, so a candidate pair costs the registry record's two lines
// (prefetched ahead; with the engine order they are mostly in L2 already). NameInfos are
// only read for long names and for polyphones that could make a "same pinyin" level.
struct alignas(64) PRec {
  std::uint64_t id_lo = 0, id_hi = 0;  // ID digits 0..8 / 9..17 as nibbles; bit 63 of id_lo: present
  // Name signature, 10 bits per position (up to kMaxPos = 6 positions): primary reading
  // ids in `rd`, fuzzy syllable ids in `fz`, name length in fz's top 4 bits; `poly` has the
  // top bit of a position's field set when that character has more than one reading.
  std::uint64_t rd = 0, fz = 0, poly = 0;
  std::uint32_t name = 0;
  std::int32_t birth = kNoDate;
  std::uint32_t ymd = 0;
  std::uint32_t phone = 0;                 // folded hash, 0 none
  std::array<std::uint32_t, 4> g{};        // father, mother, guardian name codes (4th always 0)
  std::array<std::uint32_t, 4> gf{};       // their fuzzy-pinyin hashes (folded, 0 none)
  std::array<std::uint64_t, 2> addr{};     // hukou / residence: 4 prefix hashes of 16 bits, low first
  std::uint8_t addr_n = 0;                 // levels present: hukou in the low nibble, residence high
  std::uint8_t sex = 0;
  std::uint8_t nlen = 0, nsur = 0;
  std::uint8_t slow = 0;                   // name longer than the signature holds: use NameInfo
  std::uint8_t nick = 0;                   // NameInfo::nick
  std::uint8_t nick_surname = 0;           // NameInfo::nick_surname
  std::uint16_t nick_core = 0;             // NameInfo::nick_core (fuzzy syllable id)
};

static_assert(sizeof(PRec) == 128);  // two whole cache lines, both prefetched

constexpr int kSigBits = 10;
constexpr std::uint64_t SigRepeat(std::uint64_t v) {
  std::uint64_t r = 0;
  for (int i = 0; i < kMaxPos; ++i) r |= v << (kSigBits * i);
  return r;
}
constexpr std::uint64_t kSigL = SigRepeat(0x1FF);  // low 9 bits of every field
constexpr std::uint64_t kSigH = SigRepeat(0x200);  // top bit of every field
constexpr std::uint64_t kSigFields = kSigL | kSigH;

// Top bit of each 10-bit field of x (within the 60 signature bits) that is nonzero.
inline std::uint64_t NonzeroFields(std::uint64_t x) { return (((x & kSigL) + kSigL) | x) & kSigH; }
inline unsigned SigField(std::uint64_t v, int i) { return static_cast<unsigned>(v >> (kSigBits * i)) & 0x3FF; }

// Every position shares a reading (polyphones included): NameLevel's level 4.
bool SameReadings(const NameInfo& a, const NameInfo& b) {
  if (a.len != b.len) return false;
  for (int i = 0; i < a.len; ++i) {
    if (!ReadingsIntersect(a.readings[i], b.readings[i])) return false;
  }
  return true;
}

// NameLevel on signatures, for two non-empty, different, non-`slow` names: the same result
// as NameLevel (level 3 compares fuzzy syllables, NameLevel their hash; for names this short
// the hash is of exactly those syllables). NameInfos are loaded only when the primary
// readings differ only at polyphone positions.
// Top bits of the signature fields holding the surname's syllables (the first one or two).
inline std::uint64_t SurnameFields(int nsur) { return nsur >= 2 ? (0x200ULL | 0x200ULL << kSigBits) : 0x200ULL; }

inline int NameLevelSig(const PRec& a, const PRec& b, const NameTable& names) {
  const std::uint64_t x = a.fz ^ b.fz;
  const int n = a.nlen;
  if ((x >> 60) == 0) {  // same length
    const std::uint64_t rdiff = NonzeroFields(a.rd ^ b.rd);
    if (rdiff == 0) return 4;
    if ((rdiff & ~(a.poly | b.poly)) == 0 && SameReadings(names.Info(a.name), names.Info(b.name))) return 4;
    const std::uint64_t fdiff = NonzeroFields(x & kSigFields);
    const int diffs = std::popcount(fdiff);
    if (diffs == 0) return 3;
    // One syllable apart: close, unless it is the surname (王梓涵 / 欧梓涵 are two children).
    if (diffs == 1 && n >= 2) return (fdiff & SurnameFields(std::max(a.nsur, b.nsur))) ? 1 : 2;
    if (diffs == 2 && n >= 3) {
      // Given name characters swapped: 张子涵 / 张涵子.
      for (int i = a.nsur; i + 1 < n; ++i) {
        unsigned ai = SigField(a.fz, i), ai1 = SigField(a.fz, i + 1);
        if (ai == SigField(b.fz, i + 1) && ai1 == SigField(b.fz, i) && ai != ai1) return 2;
      }
    }
    return 1;
  }
  // One syllable dropped or added (张小伟 / 张伟), both with at least two syllables.
  const PRec& l = a.nlen > b.nlen ? a : b;
  const PRec& s = a.nlen > b.nlen ? b : a;
  if (l.nlen == s.nlen + 1 && s.nlen >= 2) {
    int i = 0, j = 0, skips = 0;
    while (i < l.nlen && j < s.nlen) {
      if (SigField(l.fz, i) == SigField(s.fz, j)) ++i, ++j;
      else ++i, ++skips;
    }
    if (j == s.nlen && skips + (l.nlen - i) <= 1) return 2;
  }
  return 1;
}

inline std::uint32_t Fold32(std::uint64_t x) {
  auto v = static_cast<std::uint32_t>(x ^ (x >> 32));
  return v == 0 ? 1 : v;
}
inline std::uint16_t Fold16(std::uint32_t x) {
  auto v = static_cast<std::uint16_t>(x ^ (x >> 16));
  return v == 0 ? 1 : v;
}

// Base-11 packed key -> two nibble words (digits 0..8, 9..17), present bit set.
void IdNibbles(std::uint64_t key, std::uint64_t* lo, std::uint64_t* hi) {
  *lo = *hi = 0;
  if (key == 0) return;
  // Two 9-digit halves (each < 11^9 < 2^32), so the divisions by 11 are 32-bit ones.
  constexpr std::uint64_t kPow9 = 2357947691ULL;  // 11^9
  const std::uint64_t k = key - 1;
  auto lo_half = static_cast<std::uint32_t>(k % kPow9), hi_half = static_cast<std::uint32_t>(k / kPow9);
  int d[18];
  for (int i = 17; i >= 9; --i) d[i] = static_cast<int>(lo_half % 11), lo_half /= 11;
  for (int i = 8; i >= 0; --i) d[i] = static_cast<int>(hi_half % 11), hi_half /= 11;
  for (int i = 0; i < 9; ++i) *lo = *lo << 4 | static_cast<std::uint64_t>(d[i]);
  for (int i = 9; i < 18; ++i) *hi = *hi << 4 | static_cast<std::uint64_t>(d[i]);
  *lo |= 1ULL << 63;
}

// Nonzero nibbles of x as a mask with one bit (the low one) per differing nibble.
inline std::uint64_t NibbleDiffs(std::uint64_t x) {
  x = (x | (x >> 1) | (x >> 2) | (x >> 3)) & 0x111111111ULL;
  return x;
}

// Same levels as IdLevel on packed keys (exact / near: one substitution or adjacent swap /
// different), on nibbles: no division in the hot path.
inline int IdLevelNib(const PRec& a, const PRec& b) {
  if (!(a.id_lo >> 63) || !(b.id_lo >> 63)) return 0;
  if (a.id_lo == b.id_lo && a.id_hi == b.id_hi) return 3;
  std::uint64_t dl = NibbleDiffs((a.id_lo ^ b.id_lo) & 0xFFFFFFFFFULL), dh = NibbleDiffs(a.id_hi ^ b.id_hi);
  // Count of set nibble-low bits (at most 9 per word): one multiply sums them into bits 32..35.
  int nd = static_cast<int>((((dl * 0x111111111ULL) >> 32) & 0xF) + (((dh * 0x111111111ULL) >> 32) & 0xF));
  if (nd == 1) return 2;
  if (nd != 2) return 1;
  // Two differing digits: near only when adjacent and swapped. 36-bit words, digit i at
  // nibble (8 - i % 9) of its word.
  auto digit = [](const PRec& r, int i) -> unsigned {
    std::uint64_t w = i < 9 ? r.id_lo : r.id_hi;
    return static_cast<unsigned>((w >> (4 * (8 - i % 9))) & 0xF);
  };
  int pos[2], n = 0;
  for (int i = 0; i < 18 && n < 2; ++i) {
    if (digit(a, i) != digit(b, i)) pos[n++] = i;
  }
  return (pos[1] == pos[0] + 1 && digit(a, pos[0]) == digit(b, pos[1]) && digit(a, pos[1]) == digit(b, pos[0])) ? 2 : 1;
}

// BirthLevel as a chain of conditional moves: in blocked pairs "same day or not" is a coin
// toss, which a branch mispredicts half the time.
inline int BirthLevelFast(const PRec& a, const PRec& b) {
  const bool missing = (a.birth == kNoDate) | (b.birth == kNoDate);
  const std::int64_t d = static_cast<std::int64_t>(a.birth) - b.birth;
  const std::uint32_t ya = a.ymd, yb = b.ymd;
  const bool swap = ((ya >> 16) == (yb >> 16)) & (((ya >> 8) & 0xFF) == (yb & 0xFF)) &
                    ((ya & 0xFF) == ((yb >> 8) & 0xFF));
  int l = (ya >> 8) == (yb >> 8) ? 2 : 1;
  l = (d == 1) | (d == -1) ? 3 : l;
  l = swap ? 4 : l;
  l = d == 0 ? 5 : l;
  return missing ? 0 : l;
}

// Address level of two prefix-hash words with na / nb levels: 0 missing, else 1 + the
// number of leading levels that agree (hashes are nonzero; lanes past the last level are 0).
inline int AddrLevel64(std::uint64_t a, int na, std::uint64_t b, int nb) {
  if (na == 0 || nb == 0) return 0;
  std::uint64_t x = a ^ b;
  int same = x == 0 ? 4 : std::countr_zero(x) >> 4;
  return 1 + std::min(same, na);
}

// Levels -> pattern without a loop (mixed radix, kFieldLevels order).
inline std::uint32_t PackLevels(int id, int name, int birth, int sex, int guardian, int phone, int addr) {
  std::uint32_t p = static_cast<std::uint32_t>(id);
  p = p * kFieldLevels[kFieldName] + static_cast<std::uint32_t>(name);
  p = p * kFieldLevels[kFieldBirth] + static_cast<std::uint32_t>(birth);
  p = p * kFieldLevels[kFieldSex] + static_cast<std::uint32_t>(sex);
  p = p * kFieldLevels[kFieldGuardian] + static_cast<std::uint32_t>(guardian);
  p = p * kFieldLevels[kFieldPhone] + static_cast<std::uint32_t>(phone);
  p = p * kFieldLevels[kFieldAddress] + static_cast<std::uint32_t>(addr);
  return p;
}

struct Comparer {
  const NameTable* names;

  [[gnu::noinline, gnu::cold]] int NickLevelSlow(const PRec& a, const PRec& b) const {
    return NickCompatible(names->Info(a.name), names->Info(b.name)) ? 2 : 1;
  }
  // NickCompatible on the packed signatures (one in 17 department records carries a family
  // name, so this runs for several % of the pairs): syllable 0 is the surname, the fuzzy
  // syllables of the given name follow. Long or compound-surname names take the NameInfos.
  int NickLevel(const PRec& a, const PRec& b) const {
    if ((a.slow | b.slow) || a.nsur != 1 || b.nsur != 1 || ((a.nick_core | b.nick_core) >> kSigBits)) {
      return NickLevelSlow(a, b);
    }
    const bool surname = a.nick && b.nick ? (a.nick_surname & b.nick_surname) : (a.nick ? a.nick_surname : b.nick_surname);
    if (surname && SigField(a.fz, 0) != SigField(b.fz, 0)) return 1;
    if (a.nick && b.nick) return (a.nick == 2 || b.nick == 2 || a.nick_core == b.nick_core) ? 2 : 1;
    const PRec& n = a.nick ? a : b;
    const PRec& r = a.nick ? b : a;
    if (n.nick == 2) return 2;
    for (int i = 1; i < r.nlen; ++i) {
      if (SigField(r.fz, i) == n.nick_core) return 2;
    }
    return 1;
  }

  // Guardians crossed (any of a's three against any of b's): 3 exact, 2 same fuzzy key, 1
  // different, 0 missing. Nine lane compares in three SSE2 steps.
  static int GuardianLevel(const PRec& a, const PRec& b) {
    const __m128i zero = _mm_setzero_si128();
    const __m128i ga = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a.g.data()));
    const __m128i gb = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b.g.data()));
    const int present_a = ~_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(ga, zero))) & 0xF;
    const int present_b = ~_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(gb, zero))) & 0xF;
    if (!present_a || !present_b) return 0;
    const __m128i fa = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a.gf.data()));
    __m128i exact = zero, fuzzy = zero;
    for (int y = 0; y < 3; ++y) {
      // b's lane y against all of a's lanes; a zero lane of b only equals a's zero lanes,
      // which the present mask drops.
      exact = _mm_or_si128(exact, _mm_cmpeq_epi32(ga, _mm_set1_epi32(static_cast<int>(b.g[y]))));
      fuzzy = _mm_or_si128(fuzzy, _mm_cmpeq_epi32(fa, _mm_set1_epi32(static_cast<int>(b.gf[y]))));
    }
    if (_mm_movemask_ps(_mm_castsi128_ps(exact)) & present_a) return 3;
    if (_mm_movemask_ps(_mm_castsi128_ps(fuzzy)) & present_a) return 2;
    return 1;
  }

  [[gnu::always_inline]] inline std::uint32_t Pattern(const PRec& a, const PRec& b) const {
    int id = IdLevelNib(a, b);
    int name;
    if (a.name == b.name) name = a.nlen ? 5 : 0;
    else if (a.nlen == 0 || b.nlen == 0) name = 0;
    else if (!(a.slow | b.slow)) name = NameLevelSig(a, b, *names);
    else name = NameLevel(names->Info(a.name), names->Info(b.name), false);
    // A family name (乳名) on either side: read the NameInfos only when the names differ, out of
    // line so the common path stays as it was.
    if (name == 1 && ((a.nick | b.nick) != 0)) [[unlikely]] name = NickLevel(a, b);
    int birth = BirthLevelFast(a, b);
    int sex = (a.sex == 0 || b.sex == 0) ? 0 : (a.sex == b.sex ? 2 : 1);
    int guardian = GuardianLevel(a, b);
    int phone = (a.phone == 0 || b.phone == 0) ? 0 : (a.phone == b.phone ? 2 : 1);
    const int ah = a.addr_n & 0xF, ar = a.addr_n >> 4, bh = b.addr_n & 0xF, br = b.addr_n >> 4;
    int addr = std::max(std::max(AddrLevel64(a.addr[0], ah, b.addr[0], bh), AddrLevel64(a.addr[1], ar, b.addr[1], br)),
                        std::max(AddrLevel64(a.addr[0], ah, b.addr[1], br), AddrLevel64(a.addr[1], ar, b.addr[0], bh)));
    return PackLevels(id, name, birth, sex, guardian, phone, addr);
  }
};

std::vector<PRec> PackRecords(const Encoded& e, const NameTable& names, int threads) {
  std::vector<PRec> out(e.size());
  ParallelFor(e.size(), threads, 8192, [&](std::size_t b, std::size_t end) {
    for (std::size_t i = b; i < end; ++i) {
      // NameInfos are scattered over ~100 MB: fetch the ones of a few records ahead.
      if (i + 8 < end) {
        __builtin_prefetch(&names.Info(e.name[i + 8]));
        __builtin_prefetch(&names.Info(e.father[i + 8]));
        __builtin_prefetch(&names.Info(e.mother[i + 8]));
        __builtin_prefetch(&names.Info(e.guardian[i + 8]));
      }
      PRec& r = out[i];
      IdNibbles(e.id[i], &r.id_lo, &r.id_hi);
      r.name = e.name[i];
      r.birth = e.birth[i];
      r.ymd = e.ymd[i];
      r.phone = e.phone[i] ? Fold32(e.phone[i] * 0x9E3779B97F4A7C15ULL) : 0;
      r.g = {e.father[i], e.mother[i], e.guardian[i], 0};
      for (int k = 0; k < 3; ++k) r.gf[k] = r.g[k] ? Fold32(names.Info(r.g[k]).fuzzy_hash) : 0;
      auto addr_word = [](const std::array<std::uint32_t, 4>& h, int n) {
        std::uint64_t w = 0;
        for (int k = 0; k < n; ++k) w |= static_cast<std::uint64_t>(Fold16(h[k])) << (16 * k);
        return w;
      };
      r.addr[0] = addr_word(e.addr_h[i], e.addr_h_n[i]);
      r.addr[1] = addr_word(e.addr_r[i], e.addr_r_n[i]);
      r.addr_n = static_cast<std::uint8_t>(e.addr_h_n[i] | e.addr_r_n[i] << 4);
      r.sex = e.sex[i];
      const NameInfo& ni = names.Info(r.name);
      r.nlen = ni.len, r.nsur = ni.surname_len, r.nick = ni.nick;
      r.nick_surname = ni.nick_surname, r.nick_core = ni.nick_core;
      r.slow = ni.len >= kMaxPos;
      for (int k = 0; k < ni.len && !r.slow; ++k) {
        SyllableId rd = ni.readings[k][0], fz = ni.fuzzy[k];
        if (rd >= (1u << kSigBits) || fz >= (1u << kSigBits)) r.slow = 1;  // rare interned ASCII tokens
        r.rd |= static_cast<std::uint64_t>(rd) << (kSigBits * k);
        r.fz |= static_cast<std::uint64_t>(fz) << (kSigBits * k);
        if (ni.readings[k][1] != 0) r.poly |= 0x200ULL << (kSigBits * k);
      }
      if (r.slow) r.rd = r.fz = r.poly = 0;
      else r.fz |= static_cast<std::uint64_t>(ni.len) << 60;
    }
  });
  return out;
}

// ---------------------------------------------------------------- engine order

// The order the engine keeps records in internally: by birth date, then input position.
// Most candidate pairs share the birth date or at least the year (the date is part of the
// ID, and three blocking passes key on it), so with both sides in this order a chunk of
// source records meets its candidates in a small, contiguous stretch of the registry (a few
// hundred KB at 1M, cache-resident) instead of anywhere in 128 MB. A counting sort by day
// (records without a date first); std::sort only for absurd date ranges.
std::vector<std::uint32_t> EngineOrder(const Encoded& e) {
  const std::size_t n = e.size();
  std::vector<std::uint32_t> order(n);
  std::int32_t lo = INT32_MAX, hi = INT32_MIN;
  for (std::int32_t d : e.birth) {
    if (d == kNoDate) continue;
    lo = std::min(lo, d), hi = std::max(hi, d);
  }
  if (lo > hi) lo = hi = 0;
  const std::uint64_t range = static_cast<std::uint64_t>(static_cast<std::int64_t>(hi) - lo) + 2;
  if (range > 4 * static_cast<std::uint64_t>(n) + (1u << 16)) {
    std::vector<std::pair<std::int64_t, std::uint32_t>> keys(n);
    for (std::size_t i = 0; i < n; ++i) keys[i] = {e.birth[i], static_cast<std::uint32_t>(i)};
    std::sort(keys.begin(), keys.end());
    for (std::size_t i = 0; i < n; ++i) order[i] = keys[i].second;
    return order;
  }
  auto slot = [&](std::int32_t d) -> std::size_t { return d == kNoDate ? 0 : static_cast<std::size_t>(d - lo) + 1; };
  std::vector<std::uint32_t> start(range + 1, 0);
  for (std::int32_t d : e.birth) ++start[slot(d) + 1];
  for (std::size_t k = 1; k < start.size(); ++k) start[k] += start[k - 1];
  for (std::size_t i = 0; i < n; ++i) order[start[slot(e.birth[i])]++] = static_cast<std::uint32_t>(i);
  return order;
}

// Reorders every column of `e`: new row k is old row order[k].
void PermuteEncoded(Encoded* e, const std::vector<std::uint32_t>& order) {
  auto apply = [&](auto& v) {
    std::remove_reference_t<decltype(v)> out(v.size());
    for (std::size_t k = 0; k < order.size(); ++k) out[k] = v[order[k]];
    v.swap(out);
  };
  apply(e->name), apply(e->father), apply(e->mother), apply(e->guardian);
  apply(e->birth), apply(e->ymd), apply(e->sex), apply(e->id), apply(e->id_valid), apply(e->phone);
  apply(e->addr_h), apply(e->addr_r), apply(e->addr_h_n), apply(e->addr_r_n);
}

std::vector<std::uint32_t> Inverse(const std::vector<std::uint32_t>& order) {
  std::vector<std::uint32_t> inv(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) inv[order[k]] = static_cast<std::uint32_t>(k);
  return inv;
}

// ---------------------------------------------------------------- blocking

// key -> contiguous group of registry indices; open addressing over hashed keys, built in
// O(n). A slot holds key, start and count together: a probe is one cache miss plus the
// members' line.
class GroupIndex {
 public:
  // With `group_sizes`, entry e's group size is written to (*group_sizes)[e].
  void Build(std::vector<std::pair<std::uint64_t, std::uint32_t>>& entries,
             std::vector<std::uint32_t>* group_sizes = nullptr) {
    std::size_t cap = 16;
    while (cap < entries.size() * 2) cap <<= 1;
    mask_ = cap - 1;
    slots_.assign(cap, Slot{});
    // Slots are random cache misses: prefetched a few entries ahead in every pass over them.
    constexpr std::size_t kAhead = 16;
    const std::size_t n = entries.size();
    std::vector<std::uint32_t> entry_slot(n);
    for (std::size_t e = 0; e < n; ++e) {
      if (e + kAhead < n) __builtin_prefetch(&slots_[Pos(entries[e + kAhead].first)], 1);
      std::uint64_t k = entries[e].first;
      std::size_t h = Pos(k);
      while (slots_[h].key != 0 && slots_[h].key != k) h = (h + 1) & mask_;
      slots_[h].key = k;
      ++slots_[h].count;
      entry_slot[e] = static_cast<std::uint32_t>(h);
    }
    std::uint32_t total = 0;
    for (Slot& sl : slots_) {
      sl.start = total;
      total += sl.count;
    }
    if (group_sizes) {
      group_sizes->resize(n);
      for (std::size_t e = 0; e < n; ++e) {
        if (e + kAhead < n) __builtin_prefetch(&slots_[entry_slot[e + kAhead]]);
        (*group_sizes)[e] = slots_[entry_slot[e]].count;
      }
    }
    // `start` serves as the write cursor of its group, then is moved back.
    members_.resize(n);
    for (std::size_t e = 0; e < n; ++e) {
      if (e + kAhead < n) __builtin_prefetch(&slots_[entry_slot[e + kAhead]], 1);
      members_[slots_[entry_slot[e]].start++] = entries[e].second;
    }
    for (Slot& sl : slots_) sl.start -= sl.count;
  }
  void Prefetch(std::uint64_t key) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[Pos(key)]);
  }
  // Registry indices with `key` (count 0 when none).
  std::pair<const std::uint32_t*, std::uint32_t> Find(std::uint64_t key) const {
    if (slots_.empty()) return {nullptr, 0};
    for (std::size_t h = Pos(key);; h = (h + 1) & mask_) {
      const Slot& sl = slots_[h];
      if (sl.key == key) return {members_.data() + sl.start, sl.count};
      if (sl.key == 0) return {nullptr, 0};
    }
  }

 private:
  struct Slot {
    std::uint64_t key = 0;
    std::uint32_t start = 0, count = 0;
  };
  std::size_t Pos(std::uint64_t k) const { return static_cast<std::size_t>((k * 0x9E3779B97F4A7C15ULL) >> 20) & mask_; }
  std::size_t mask_ = 0;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> members_;
};

// The NameInfos PassKeys(pass, e, names, i, ...) will read, requested ahead of time.
inline void PrefetchNameInfos(int pass, const Encoded& e, const NameTable& names, std::size_t i) {
  if (pass == kPassId) return;
  __builtin_prefetch(&names.Info(e.name[i]));
  if (pass == kPassGuardianSurname) {
    __builtin_prefetch(&names.Info(e.father[i]));
    __builtin_prefetch(&names.Info(e.mother[i]));
    __builtin_prefetch(&names.Info(e.guardian[i]));
  }
}

// The surname(s) a record's child is blocked under: its own, or for a family name written
// without one (小涵, 大宝, 张建国之子) the father's and the mother's (the fields may be swapped).
// Unused slots are 0.
inline const std::array<std::uint64_t, 2>& ChildSurnames(const Encoded& e, const NameTable& names, std::size_t i,
                                                         const NameInfo& name, std::array<std::uint64_t, 2>& out) {
  out = {name.surname_fuzzy_hash, 0};
  if (name.nick && !name.nick_surname) [[unlikely]] {
    out[0] = e.father[i] ? names.Info(e.father[i]).surname_fuzzy_hash : 0;
    out[1] = e.mother[i] ? names.Info(e.mother[i]).surname_fuzzy_hash : 0;
    if (out[1] == out[0]) out[1] = 0;
  }
  return out;
}

// Blocking keys of record i for a pass; `source` adds near-valid IDs for failed checksums.
// With `refine`, the same keys (same order) split by one more field, for sub-blocking a
// block that is over its cap: birth month for the name+year and guardian passes, sex for
// the birth-date passes.
int PassKeys(int pass, const Encoded& e, const NameTable& names, std::size_t i, bool source, std::uint64_t* out,
             int max_out, bool refine = false) {
  int n = 0;
  std::uint64_t sub = 0;
  if (refine) {
    sub = (pass == kPassFuzzyNameYear || pass == kPassGuardianSurname) ? ((e.ymd[i] >> 8) & 0xFF) + 0x100
                                                                       : e.sex[i] + 0x200u;
  }
  auto put = [&](std::uint64_t k) {
    if (refine) k = Mix(k, sub);
    if (n < max_out) out[n++] = Mix(static_cast<std::uint64_t>(pass) + 1, k) | 1;
  };
  const NameInfo& name = names.Info(e.name[i]);
  std::uint32_t ymd = e.ymd[i];
  std::array<std::uint64_t, 2> surnames;
  switch (pass) {
    case kPassId:
      if (e.id[i] != 0) {
        put(e.id[i]);
        if (source && !e.id_valid[i]) {
          std::uint64_t near[kMaxNearValidIds];
          int m = NearValidIdKeys(e.id[i], near);
          for (int k = 0; k < m; ++k) put(near[k]);
        }
      }
      break;
    case kPassBirthSurname:
      if (e.birth[i] != kNoDate) {
        for (std::uint64_t sh : ChildSurnames(e, names, i, name, surnames)) {
          if (sh) put(Mix(sh, static_cast<std::uint64_t>(e.birth[i])));
        }
      }
      break;
    case kPassYearMonthDayGiven:
      if (ymd != 0 && name.given_fuzzy_hash != 0) {
        std::uint32_t m = (ymd >> 8) & 0xFF, d = ymd & 0xFF;
        std::uint64_t md = std::min(m, d) * 64 + std::max(m, d);
        put(Mix(Mix(name.given_fuzzy_hash, ymd >> 16), md));
      }
      break;
    case kPassFuzzyNameYear:
      if (ymd != 0 && name.len != 0) put(Mix(name.fuzzy_hash, ymd >> 16));
      break;
    case kPassGuardianSurname:
      // Guardian + child surname + birth year: siblings born in other years and the many
      // children of common guardian names (王伟) stay out of the block.
      for (std::uint64_t sh : ChildSurnames(e, names, i, name, surnames)) {
        if (sh == 0) continue;
        for (std::uint32_t g : {e.father[i], e.mother[i], e.guardian[i]}) {
          if (g != 0) put(Mix(Mix(names.Info(g).fuzzy_hash, sh), ymd >> 16));
        }
      }
      break;
    default: break;
  }
  return n;
}

// ---------------------------------------------------------------- EM

// Level counts per field (levels >= 1) of a pattern histogram.
std::array<std::array<double, kMaxLevels>, kNumFields> LevelCounts(const std::vector<std::uint64_t>& counts) {
  std::array<std::array<double, kMaxLevels>, kNumFields> c{};
  for (std::uint32_t p = 0; p < counts.size(); ++p) {
    if (!counts[p]) continue;
    auto lv = DecodePattern(p);
    for (int f = 0; f < kNumFields; ++f) c[f][lv[f]] += static_cast<double>(counts[p]);
  }
  return c;
}

FsModel InitialModel(const std::vector<std::uint64_t>& random_counts, double lambda) {
  FsModel m;
  m.lambda = lambda;
  for (int f = 0; f < kNumFields; ++f) {
    int L = kFieldLevels[f];
    // m: most mass on the top level, decreasing below it.
    double total = 0;
    for (int l = 1; l < L; ++l) total += (l == L - 1) ? 8.0 : 1.0 / (L - l);
    for (int l = 1; l < L; ++l) m.m[f][l] = ((l == L - 1) ? 8.0 : 1.0 / (L - l)) / total;
    // u: level shares among random pairs (Laplace-smoothed).
    std::array<double, kMaxLevels> c{};
    for (std::uint32_t p = 0; p < random_counts.size(); ++p) {
      if (!random_counts[p]) continue;
      int lv = DecodePattern(p)[f];
      c[lv] += static_cast<double>(random_counts[p]);
    }
    double sum = 0;
    for (int l = 1; l < L; ++l) sum += c[l] + 1.0;
    for (int l = 1; l < L; ++l) m.u[f][l] = (c[l] + 1.0) / sum;
  }
  return m;
}

}  // namespace

// ---------------------------------------------------------------- public helpers

const char* FieldName(int f) {
  static const char* kNames[] = {"id", "name", "birth_date", "sex", "guardians", "phone", "address"};
  return f >= 0 && f < kNumFields ? kNames[f] : "?";
}

const char* LevelName(int f, int l) {
  if (l == 0) return "missing";
  switch (f) {
    case kFieldId: { static const char* k[] = {"", "different", "near", "exact"}; return k[l]; }
    case kFieldName: { static const char* k[] = {"", "different", "close_pinyin", "same_fuzzy", "same_pinyin", "exact"}; return k[l]; }
    case kFieldBirth: { static const char* k[] = {"", "different", "same_year_month", "off_by_one_day", "month_day_swapped", "exact"}; return k[l]; }
    case kFieldSex: { static const char* k[] = {"", "different", "same"}; return k[l]; }
    case kFieldGuardian: { static const char* k[] = {"", "different", "same_fuzzy", "exact"}; return k[l]; }
    case kFieldPhone: { static const char* k[] = {"", "different", "same"}; return k[l]; }
    case kFieldAddress: { static const char* k[] = {"", "different", "same_province", "same_city", "same_county", "same_street"}; return k[l]; }
  }
  return "?";
}

const char* BandName(Band b) {
  switch (b) {
    case Band::kLink: return "link";
    case Band::kReview: return "review";
    case Band::kNoLink: return "no_link";
  }
  return "no_link";
}

const char* PassName(int p) {
  static const char* k[] = {"id", "birth_date+surname", "year+{month,day}+given_name", "fuzzy_name+year",
                            "guardian+surname"};
  return p >= 0 && p < kNumPasses ? k[p] : "?";
}

FsModel DefaultPriorModel() {
  FsModel p;
  p.lambda = 0.1;
  // m: near the fit on generated data (1M x 1M), with the household fields softened: in real
  // exchanges guardians, phones and addresses change more often than the generator changes them.
  // u: chance agreement in the same fit (random registry x department pairs).
  const double m[kNumFields][kMaxLevels] = {
      {0, 0.03, 0.055, 0.915},                        // id: different, near, exact
      {0, 0.03, 0.06, 0.005, 0.04, 0.865},            // name: different, close, fuzzy, pinyin, exact
      {0, 0.005, 0.005, 0.045, 0.015, 0.93},          // birth: different, y-m, +-1 day, m/d swap, exact
      {0, 0.02, 0.98},                                // sex
      {0, 0.01, 0.04, 0.95},                          // guardians: different, fuzzy, exact
      {0, 0.05, 0.95},                                // phone
      {0, 0.02, 0.01, 0.02, 0.10, 0.85},              // address: different .. same street
  };
  const double u[kNumFields][kMaxLevels] = {
      {0, 0.99998, 0.00001, 0.00001},
      {0, 0.9924, 0.0074, 0.00005, 0.000065, 0.0001},
      {0, 0.995, 0.0045, 0.0003, 0.00005, 0.00015},
      {0, 0.5, 0.5},
      {0, 0.9995, 0.00015, 0.00035},
      {0, 0.99999, 0.00001},
      {0, 0.644, 0.122, 0.079, 0.087, 0.068},
  };
  for (int f = 0; f < kNumFields; ++f) {
    for (int l = 0; l < kMaxLevels; ++l) p.m[f][l] = m[f][l], p.u[f][l] = u[f][l];
  }
  return p;
}

double FsModel::Weight(int f, int l) const {
  if (l == 0) return 0;
  return std::log2(std::max(m[f][l], 1e-9) / std::max(u[f][l], 1e-9));
}

std::uint32_t EncodePattern(const std::array<std::uint8_t, kNumFields>& lv) {
  std::uint32_t p = 0;
  for (int f = 0; f < kNumFields; ++f) p = p * static_cast<std::uint32_t>(kFieldLevels[f]) + lv[f];
  return p;
}

std::array<std::uint8_t, kNumFields> DecodePattern(std::uint32_t p) {
  std::array<std::uint8_t, kNumFields> lv{};
  for (int f = kNumFields - 1; f >= 0; --f) {
    lv[f] = static_cast<std::uint8_t>(p % static_cast<std::uint32_t>(kFieldLevels[f]));
    p /= static_cast<std::uint32_t>(kFieldLevels[f]);
  }
  return lv;
}

std::uint32_t NumPatterns() {
  std::uint32_t n = 1;
  for (int L : kFieldLevels) n *= static_cast<std::uint32_t>(L);
  return n;
}

FsModel FitFellegiSunter(const std::vector<std::uint64_t>& counts, const FsModel& init, int max_iterations,
                         double tolerance, bool fix_u) {
  FsModel model = init;
  struct P {
    std::array<std::uint8_t, kNumFields> lv;
    double c;
  };
  std::vector<P> pats;
  for (std::uint32_t p = 0; p < counts.size(); ++p) {
    if (counts[p]) pats.push_back({DecodePattern(p), static_cast<double>(counts[p])});
  }
  double total = 0;
  for (const auto& p : pats) total += p.c;
  if (total == 0) return model;
  for (int it = 0; it < max_iterations; ++it) {
    std::array<std::array<double, kMaxLevels>, kNumFields> mc{}, uc{};
    double match_mass = 0;
    for (const auto& p : pats) {
      double lm = std::log(model.lambda), lu = std::log(1 - model.lambda);
      for (int f = 0; f < kNumFields; ++f) {
        int l = p.lv[f];
        if (l == 0) continue;
        lm += std::log(std::max(model.m[f][l], 1e-12));
        lu += std::log(std::max(model.u[f][l], 1e-12));
      }
      double g = 1.0 / (1.0 + std::exp(lu - lm));
      match_mass += g * p.c;
      for (int f = 0; f < kNumFields; ++f) {
        mc[f][p.lv[f]] += g * p.c;
        uc[f][p.lv[f]] += (1 - g) * p.c;
      }
    }
    FsModel next = model;
    next.lambda = std::clamp(match_mass / total, 1e-6, 1 - 1e-6);
    double delta = std::abs(next.lambda - model.lambda);
    for (int f = 0; f < kNumFields; ++f) {
      double ms = 0, us = 0;
      for (int l = 1; l < kFieldLevels[f]; ++l) ms += mc[f][l], us += uc[f][l];
      for (int l = 1; l < kFieldLevels[f]; ++l) {
        // A tiny prior keeps unseen levels finite (and weights bounded).
        next.m[f][l] = (mc[f][l] + 1e-3) / (ms + 1e-3 * kFieldLevels[f]);
        if (!fix_u) next.u[f][l] = (uc[f][l] + 1e-3) / (us + 1e-3 * kFieldLevels[f]);
        delta = std::max({delta, std::abs(next.m[f][l] - model.m[f][l]), std::abs(next.u[f][l] - model.u[f][l])});
      }
    }
    next.iterations = it + 1;
    model = next;
    if (delta < tolerance) {
      model.converged = true;
      break;
    }
  }
  return model;
}

std::vector<std::uint32_t> AddressPrefixHashes(std::string_view address) {
  std::array<std::uint32_t, 4> a{};
  int n = AddressPrefixes(address, &a);
  return std::vector<std::uint32_t>(a.begin(), a.begin() + n);
}

int CompareNames(std::string_view a, std::string_view b) {
  std::string ca = text::CleanName(a), cb = text::CleanName(b);
  return NameLevel(ComputeNameInfo(ca), ComputeNameInfo(cb), !ca.empty() && ca == cb);
}

int CompareBirthDates(std::string_view a, std::string_view b) {
  auto da = text::ParseDate(a), db = text::ParseDate(b);
  if (!da.ok() || !db.ok()) return 0;
  auto pack = [](const text::Date& d) {
    return static_cast<std::uint32_t>(d.year) << 16 | static_cast<std::uint32_t>(d.month) << 8 | static_cast<std::uint32_t>(d.day);
  };
  return BirthLevel(text::DaysFromCivil(*da), text::DaysFromCivil(*db), pack(*da), pack(*db));
}

int CompareAddresses(std::string_view a, std::string_view b) {
  std::array<std::uint32_t, 4> x{}, y{};
  int nx = AddressPrefixes(a, &x), ny = AddressPrefixes(b, &y);
  return AddressLevelOne(x, nx, y, ny);
}

int CompareIds(std::string_view a, std::string_view b) {
  auto key = [](std::string_view s) -> std::uint64_t {
    IdAnalysis x = AnalyzeId(s);
    return (x.kind == IdKind::kValid || x.kind == IdKind::kBadChecksum) ? x.key : 0;
  };
  return IdLevel(key(a), key(b));
}

std::vector<FieldContribution> Explain(const FsModel& model, const Match& match) {
  std::vector<FieldContribution> out;
  if (match.registry_index < 0) return out;
  auto lv = DecodePattern(match.pattern);
  for (int f = 0; f < kNumFields; ++f) {
    double w = model.Weight(f, lv[f]);
    if (f == kFieldName && lv[f] == 5) w += match.tf_adjustment;
    out.push_back({f, lv[f], w});
  }
  return out;
}

std::string ExplainText(const FsModel& model, const Match& match) {
  std::string s;
  char buf[96];
  for (const auto& c : Explain(model, match)) {
    std::snprintf(buf, sizeof buf, "%s%s=%s(%+.1f)", s.empty() ? "" : " ", FieldName(c.field), LevelName(c.field, c.level),
                  c.weight);
    s += buf;
  }
  return s;
}

// Guardians, phone and address describe the household, not the child: siblings agree on
// all three. Their positive evidence is counted once (the strongest), negatives all count.
double PatternEvidence(const std::array<std::array<double, kMaxLevels>, kNumFields>& w,
                       const std::array<std::uint8_t, kNumFields>& lv) {
  double s = 0, household = 0;
  for (int f = 0; f < kNumFields; ++f) {
    double x = w[f][lv[f]];
    if (f == kFieldGuardian || f == kFieldPhone || f == kFieldAddress) {
      if (x > 0) household = std::max(household, x);
      else s += x;
    } else {
      s += x;
    }
  }
  return s + household;
}

// ---------------------------------------------------------------- Link

// Stage 3 of Link works on chunks of kLinkChunk source records (i_local fits 11 bits of the pair
// key): per record its candidates' registry indexes and patterns, and how many it has.
constexpr std::size_t kLinkChunk = 2048;
struct LinkChunk {
  std::vector<std::uint32_t> cand, pattern, count;
};

// Stage 5 of Link: each source record's best candidate (weights from `model` plus the name's
// term-frequency term), its runner-up and band, into (*matches)[input position].
// Long (hot kernel): the per-pattern tables and the band rules are built next to the loop that uses them.
void ScoreMatches(const FsModel& model, const std::vector<LinkChunk>& chunks, const Encoded& src, const Encoded& reg,
                  const std::vector<std::uint32_t>& src_order, const std::vector<std::uint32_t>& reg_order,
                  const std::vector<float>& tf, const LinkConfig& cfg, int threads, std::vector<Match>* matches) {
  std::array<std::array<double, kMaxLevels>, kNumFields> w{};
  for (int f = 0; f < kNumFields; ++f) {
    for (int l = 0; l < kFieldLevels[f]; ++l) w[f][l] = model.Weight(f, l);
  }
  // Per-pattern weight table: scoring a pair is one lookup plus the TF term.
  std::vector<float> pattern_weight(NumPatterns());
  std::vector<std::uint8_t> name_exact(NumPatterns()), link_allowed(NumPatterns()), id_different(NumPatterns()),
      review_allowed(NumPatterns());
  const double prior = std::log2(model.lambda / (1 - model.lambda));
  for (std::uint32_t p = 0; p < NumPatterns(); ++p) {
    auto lv = DecodePattern(p);
    pattern_weight[p] = static_cast<float>(prior + PatternEvidence(w, lv));
    name_exact[p] = lv[kFieldName] == 5;
    id_different[p] = lv[kFieldId] == 1;
    // Review ("is this the same child?") needs some evidence of this child beyond birth date, sex
    // and street: a name at least close, an ID at least near, or a guardian or the phone. A name-
    // and-date coincidence (another name born the same day, even in the same street) is no finding.
    review_allowed[p] = lv[kFieldId] >= 2 || lv[kFieldName] >= 2 || lv[kFieldGuardian] >= 2 || lv[kFieldPhone] == 2;
    // A link needs the child's own identity: an exact ID, or a name at least the same fuzzy
    // key together with a birth date that is not different. A name only "close" (one
    // syllable of two differs: 张伟 / 张强 as much as 李晴 / 李睛) needs more: a near ID or the
    // household (guardian, phone or street) agreeing too. Household agreement alone (twins,
    // siblings) can reach review, never link.
    const bool household = lv[kFieldGuardian] >= 2 || lv[kFieldPhone] == 2 || lv[kFieldAddress] == 5;
    link_allowed[p] = lv[kFieldId] == 3 ||
                      (lv[kFieldBirth] != 1 && (lv[kFieldName] >= 3 ||
                                                (lv[kFieldName] == 2 && (household || lv[kFieldId] == 2))));
  }
  matches->assign(src.size(), Match{});
  ParallelFor(chunks.size(), threads, 1, [&](std::size_t cb, std::size_t ce) {
    for (std::size_t c = cb; c < ce; ++c) {
      const LinkChunk& out = chunks[c];
      std::size_t off = 0;
      for (std::size_t k = 0; k < out.count.size(); ++k) {
        std::size_t i = c * kLinkChunk + k;
        Match& m = (*matches)[src_order[i]];
        double best = -1e300, second = -1e300;
        // Registry input positions; equal weights go to the lower position, whatever the
        // engine order (the same choice as visiting candidates by input position).
        std::int32_t best_j = -1, second_j = -1;
        std::uint32_t best_p = 0;
        float best_tf = 0;
        const bool src_id_valid = src.id_valid[i] != 0;
        for (std::uint32_t q = 0; q < out.count[k]; ++q, ++off) {
          std::uint32_t j = out.cand[off], p = out.pattern[off];
          // Two valid ID numbers more than one substitution or adjacent swap apart (a checksum
          // catches every single typo) belong to two children: decisive, whatever the other
          // fields say. The pair is no candidate at all (not best, not runner-up).
          if (id_different[p] && src_id_valid && reg.id_valid[j]) continue;
          float adj = name_exact[p] ? tf[j] : 0.f;
          double s = pattern_weight[p] + adj;
          auto pos = static_cast<std::int32_t>(reg_order[j]);
          if (s > best || (s == best && pos < best_j)) {
            second = best, second_j = best_j;
            best = s, best_j = pos, best_p = p, best_tf = adj;
          } else if (s > second || (s == second && pos < second_j)) {
            second = s, second_j = pos;
          }
        }
        if (best_j < 0) continue;
        m.registry_index = best_j;
        m.weight = best;
        m.probability = 1.0 / (1.0 + std::exp2(-best));
        m.pattern = best_p;
        m.tf_adjustment = best_tf;
        m.runner_up = second_j;
        m.runner_up_weight = second_j >= 0 ? second : 0;
        if (m.probability >= cfg.link_threshold) {
          bool ambiguous = second_j >= 0 && best - second < cfg.ambiguity_margin &&
                           1.0 / (1.0 + std::exp2(-second)) >= cfg.review_threshold;
          m.band = (ambiguous || !link_allowed[best_p]) ? Band::kReview : Band::kLink;
        } else if (m.probability >= cfg.review_threshold) {
          m.band = Band::kReview;
        }
        if (m.band == Band::kReview && !review_allowed[best_p]) m.band = Band::kNoLink;
      }
    }
  });
}


// Term-frequency adjustments of exact name agreement for the registry `reg` (in engine order
// when `engine_order`): log2(expected chance agreement / this name's frequency) per record,
// within its birth year; 0 for records without a name.
void NameFrequencyAdjustments(const Encoded& reg, std::size_t name_count, bool engine_order, std::vector<float>* out) {
  std::vector<float>& tf = *out;
  // Records by birth day (the engine order already is), so every birth year is one run;
  // per run, counts per name code in a flat array (reset after the run). Over a run,
  // the sum of each record's name count is the sum of c^2 over its distinct names.
  std::vector<std::uint32_t> by_day;
  if (!engine_order) by_day = EngineOrder(reg);
  auto at = [&](std::size_t k) -> std::size_t { return by_day.empty() ? k : by_day[k]; };
  std::vector<std::uint32_t> count(name_count + 1, 0);
  for (std::size_t b = 0; b < reg.size();) {
    const std::uint32_t year = reg.ymd[at(b)] >> 16;
    std::size_t e = b;
    while (e < reg.size() && (reg.ymd[at(e)] >> 16) == year) ++e;
    double total = 0, sum_c2 = 0;
    for (std::size_t k = b; k < e; ++k) {
      std::uint32_t nm = reg.name[at(k)];
      if (nm) ++count[nm], ++total;
    }
    for (std::size_t k = b; k < e; ++k) {
      std::uint32_t nm = reg.name[at(k)];
      if (nm) sum_c2 += count[nm];
    }
    for (std::size_t k = b; k < e; ++k) {
      std::size_t j = at(k);
      if (!reg.name[j]) continue;
      // log2(expected frequency of a chance exact agreement / frequency of this name).
      tf[j] = static_cast<float>(std::clamp(std::log2(sum_c2 / (total * count[reg.name[j]])), -8.0, 8.0));
    }
    for (std::size_t k = b; k < e; ++k) count[reg.name[at(k)]] = 0;
    b = e;
  }
}

// Stage 4 of Link: the Fellegi-Sunter model. m and the match share by EM on the candidate
// pairs' pattern histogram `counts`; u from random pairs (by input position, so the sample does
// not depend on the engine order); a prior blended in for small batches.
// Long: the random-pair sample, EM and the prior blend are one estimate, kept together.
FsModel EstimateModel(const std::vector<PRec>& psrc, const std::vector<PRec>& preg,
                      const std::vector<std::uint32_t>& src_pos, const std::vector<std::uint32_t>& reg_pos,
                      const Comparer& cmp, const std::vector<std::uint64_t>& counts, std::size_t candidate_pairs,
                      const LinkConfig& cfg) {
  const std::size_t n_src = src_pos.size(), n_reg = reg_pos.size();
  FsModel model;
  std::vector<std::uint64_t> random_counts(NumPatterns(), 0);
  if (!n_src || !n_reg) {
    model = InitialModel(random_counts, 0.5);
  } else {
    std::mt19937_64 rng(42);
    std::size_t samples = std::min<std::size_t>(200000, n_src * n_reg);
    for (std::size_t k = 0; k < samples; ++k) {
      // Drawn by input position, so the sample does not depend on the engine order.
      const PRec& x = psrc[src_pos[rng() % n_src]];
      ++random_counts[cmp.Pattern(x, preg[reg_pos[rng() % n_reg]])];
    }
    // A small batch shows only its own few names and dates: chance agreement is then also
    // read off pairs of two different registry children (a large sample, whatever the
    // batch size).
    if (n_src < cfg.small_batch_records && n_reg >= 2) {
      std::size_t reg_samples = std::min<std::size_t>(200000, n_reg * (n_reg - 1));
      for (std::size_t k = 0; k < reg_samples; ++k) {
        std::size_t x = rng() % n_reg, y = rng() % (n_reg - 1);
        if (y >= x) ++y;
        ++random_counts[cmp.Pattern(preg[reg_pos[x]], preg[reg_pos[y]])];
      }
    }
    double lambda = candidate_pairs ? std::clamp(0.5 * static_cast<double>(n_src) / candidate_pairs, 1e-4, 0.5) : 0.1;
    // EM (m, u, lambda free) on the identity candidates gives m and the match share. For
    // scoring, u = P(level | non-match) is taken from random pairs: u fitted on blocked pairs
    // makes agreement on the blocking fields look worthless and household fields decisive,
    // and EM with u pinned to random pairs drifts to lambda = 1 on blocked data.
    FsModel init = InitialModel(random_counts, lambda);
    FsModel em = FitFellegiSunter(counts, init, cfg.em_max_iterations);
    model = em;
    model.u = init.u;
    // EM on a handful of candidate pairs is no estimate at all (a two-record batch fits
    // lambda to 0 or 1 and m to whatever those pairs show): blend with the prior in
    // proportion to the evidence, as prior_strength pseudo-observations against the
    // candidate pairs (lambda), the matches EM found (m) and the random pairs per field
    // (u, on top of the +1 smoothing). The prior fades out linearly and is gone once the
    // evidence reaches 100 x prior_strength, so large batches keep their own fit.
    if (cfg.prior_strength > 0) {
      const FsModel prior = DefaultPriorModel();
      const double k = cfg.prior_strength;
      auto pseudo = [k](double n) { return k * std::max(0.0, 1.0 - n / (100.0 * k)); };
      double pairs = 0;
      for (std::uint64_t c : counts) pairs += static_cast<double>(c);
      const double matches = em.lambda * pairs;
      const double k_pairs = pseudo(pairs), k_matches = pseudo(matches);
      FsModel& out = model;
      if (k_pairs > 0) {
        out.lambda = std::clamp((em.lambda * pairs + lambda * k_pairs) / (pairs + k_pairs), 1e-6, 1 - 1e-6);
      }
      const auto rc = LevelCounts(random_counts);
      for (int f = 0; f < kNumFields; ++f) {
        double rsum = 0;
        for (int l = 1; l < kFieldLevels[f]; ++l) rsum += rc[f][l];
        const double k_random = pseudo(rsum);
        for (int l = 1; l < kFieldLevels[f]; ++l) {
          if (k_matches > 0) out.m[f][l] = (em.m[f][l] * matches + prior.m[f][l] * k_matches) / (matches + k_matches);
          if (k_random > 0) {
            out.u[f][l] = (rc[f][l] + 1.0 + prior.u[f][l] * k_random) / (rsum + (kFieldLevels[f] - 1) + k_random);
          }
        }
      }
    }
  }
  return model;
}


// Long (hot kernel): stages 1-3 (encode, index, candidates) share the encoded sides, indexes and the compare workers' per-thread state; stages 4 and 5 are EstimateModel and ScoreMatches.
Result<LinkResult> Link(const std::vector<Record>& registry, const std::vector<Record>& source, const LinkConfig& cfg) {
  if (!(cfg.review_threshold <= cfg.link_threshold) || cfg.link_threshold > 1 || cfg.review_threshold < 0) {
    return Status::Invalid("threshold", "invalid_threshold", "阈值须满足 0 ≤ 复核阈值 ≤ 链接阈值 ≤ 1",
                           "thresholds must satisfy 0 <= review <= link <= 1");
  }
  const int threads = std::max(1, cfg.threads);
  auto progress = [&](const char* stage, double f) {
    if (cfg.progress) cfg.progress(stage, f);
  };
  auto t_all = Clock::now();
  const double cpu_start = ProcessCpuSeconds();
  double cpu_mark = cpu_start;
  LinkResult result;
  LinkStats& st = result.stats;
  st.registry_records = registry.size();
  st.source_records = source.size();
  std::int32_t reference_days = cfg.reference_days;
  if (reference_days == 0) reference_days = static_cast<std::int32_t>(std::time(nullptr) / 86400);

  // 1. Encode both sides against one name dictionary.
  auto t = Clock::now();
  progress("normalize", 0);
  NameTable names;
  names.Reserve((registry.size() + source.size()) * 2);
  Encoded reg, src;
  EncodeCounts rc, sc;
  Encode(registry, &names, reference_days, threads, &reg, &rc, &st.seconds_intern);
  progress("normalize", 0.5);
  Encode(source, &names, reference_days, threads, &src, &sc, &st.seconds_intern);
  auto tn = Clock::now();
  names.ComputeInfos(threads);
  st.seconds_name_info = SecondsSince(tn);
  st.ids_valid = sc.valid, st.ids_bad_checksum = sc.bad, st.ids_invalid = sc.invalid, st.ids_not_an_id = sc.not_id;
  st.ids_adult = sc.adult, st.ids_upgraded = sc.upgraded, st.ids_school = sc.school;
  // Engine order (see EngineOrder): from here on both sides are indexed in it; results are
  // mapped back to input positions at the end. Identity order when disabled.
  std::vector<std::uint32_t> reg_order, src_order;
  {
    auto to = Clock::now();
    auto order = [&](Encoded* e, std::vector<std::uint32_t>* out) {
      if (cfg.engine_order) {
        *out = EngineOrder(*e);
        PermuteEncoded(e, *out);
      } else {
        out->resize(e->size());
        for (std::size_t k = 0; k < out->size(); ++k) (*out)[k] = static_cast<std::uint32_t>(k);
      }
    };
    if (threads > 1) {
      std::thread other([&] { order(&src, &src_order); });
      order(&reg, &reg_order);
      other.join();
    } else {
      order(&reg, &reg_order);
      order(&src, &src_order);
    }
    st.seconds_order = SecondsSince(to);
  }
  const std::vector<std::uint32_t> src_pos = Inverse(src_order), reg_pos = Inverse(reg_order);
  // Truth in engine order.
  std::vector<std::int32_t> truth_e;
  if (cfg.truth) {
    truth_e.resize(src.size());
    for (std::size_t i = 0; i < src.size(); ++i) {
      std::int32_t j = (*cfg.truth)[src_order[i]];
      truth_e[i] = j >= 0 ? static_cast<std::int32_t>(reg_pos[static_cast<std::size_t>(j)]) : -1;
    }
  }
  st.seconds_encode = SecondsSince(t);
  st.cpu_stage[0] = ProcessCpuSeconds() - cpu_mark, cpu_mark = ProcessCpuSeconds();
  progress("normalize", 1);

  // 2. Index the registry for every blocking pass; term frequencies of names by birth year.
  t = Clock::now();
  std::array<GroupIndex, kNumPasses> index, sub_index;
  std::array<std::uint32_t, kNumPasses> caps;
  for (int p = 0; p < kNumPasses; ++p) caps[p] = cfg.pass_cap[p] ? cfg.pass_cap[p] : cfg.block_cap;
  // One task per pass plus the TF table, spread over the threads (largest first).
  auto build_pass = [&](int p) {
    std::vector<std::pair<std::uint64_t, std::uint32_t>> entries;
    std::uint64_t keys[64], sub[64];
    entries.reserve(registry.size() * (p == kPassGuardianSurname ? 3 : 1));
    for (std::size_t j = 0; j < reg.size(); ++j) {
      if (j + 8 < reg.size()) PrefetchNameInfos(p, reg, names, j + 8);
      int n = PassKeys(p, reg, names, j, false, keys, 64);
      for (int k = 0; k < n; ++k) entries.emplace_back(keys[k], static_cast<std::uint32_t>(j));
    }
    const bool sub_blocks = p != kPassId && cfg.sub_block;
    std::vector<std::uint32_t> sizes;
    index[p].Build(entries, sub_blocks ? &sizes : nullptr);
    if (!sub_blocks) return;
    // Sub-blocks of the blocks over the cap. Entries are in record order, each record's keys
    // in PassKeys order, so the k-th entry of record j pairs with its k-th sub key (and only
    // records with a key over the cap compute sub keys).
    std::vector<std::pair<std::uint64_t, std::uint32_t>> sub_entries;
    for (std::size_t e = 0; e < entries.size();) {
      const std::uint32_t j = entries[e].second;
      std::size_t end = e;
      bool any = false;
      for (; end < entries.size() && entries[end].second == j; ++end) any |= sizes[end] > caps[p];
      if (any) {
        PassKeys(p, reg, names, j, false, sub, 64, true);
        for (std::size_t x = e; x < end; ++x) {
          if (sizes[x] > caps[p]) sub_entries.emplace_back(sub[x - e], j);
        }
      }
      e = end;
    }
    sub_index[p].Build(sub_entries);
  };
  std::vector<float> tf(reg.size(), 0.f);
  auto build_tf = [&] {
    if (cfg.tf_adjust) NameFrequencyAdjustments(reg, names.size(), cfg.engine_order, &tf);
  };
  {
    const int tasks[] = {kPassGuardianSurname, kPassFuzzyNameYear, kPassBirthSurname, kPassYearMonthDayGiven, kPassId, -1};
    ParallelFor(std::size(tasks), threads, 1, [&](std::size_t b, std::size_t e) {
      for (std::size_t k = b; k < e; ++k) tasks[k] < 0 ? build_tf() : build_pass(tasks[k]);
    });
  }
  st.seconds_index = SecondsSince(t);
  st.cpu_stage[1] = ProcessCpuSeconds() - cpu_mark, cpu_mark = ProcessCpuSeconds();

  // 3. Candidates and comparison patterns, per chunk of source records, on all threads.
  //    Per chunk: passes run one after another over the chunk's records (the exact-ID pass
  //    first: a record whose ID finds one registry child that its name or birth date confirms
  //    is settled and skipped by the fuzzy passes), each proposal is a packed 64-bit key
  //    (record in chunk | registry index | pass bit), one sort + merge dedupes the union, then
  //    every unique pair is compared once.
  t = Clock::now();
  const std::vector<PRec> preg = PackRecords(reg, names, threads);
  const std::vector<PRec> psrc = PackRecords(src, names, threads);
  st.seconds_pack = SecondsSince(t);
  st.cpu_stage[2] = ProcessCpuSeconds() - cpu_mark, cpu_mark = ProcessCpuSeconds();
  t = Clock::now();
  Comparer cmp{&names};
  constexpr std::size_t kChunk = kLinkChunk;
  constexpr int kPassBits = 5;
  static_assert(kNumPasses <= kPassBits);
  std::size_t nchunks = (src.size() + kChunk - 1) / kChunk;
  using ChunkOut = LinkChunk;
  std::vector<ChunkOut> chunks(nchunks);
  std::vector<std::vector<std::uint64_t>> hist(threads, std::vector<std::uint64_t>(NumPatterns(), 0));
  struct alignas(64) ThreadStats {
    std::array<std::size_t, kNumPasses> pass_pairs{}, skipped{}, sub_blocks{}, true_found{}, true_only{};
    std::array<double, kNumPasses> pass_seconds{};
    double dedupe_seconds = 0, compare_seconds = 0;
    std::size_t true_pairs = 0, found = 0, id_first = 0, exact_name_birth = 0;
  };
  std::vector<ThreadStats> tstats(threads);
  std::atomic<std::size_t> next_chunk{0}, done_chunks{0};
  constexpr std::uint64_t kGuardianOnly = 1ULL << kPassGuardianSurname;
  auto compare_worker = [&](int tid) {
    std::vector<std::uint64_t> pairs, sorted, key_buf;
    std::vector<std::uint32_t> bucket(kChunk + 1), key_off;
    std::array<std::uint8_t, kChunk> settled{};
    std::uint64_t keys[64], sub[64];
    auto& h = hist[tid];
    auto& ts = tstats[tid];
    for (;;) {
      std::size_t c = next_chunk.fetch_add(1);
      if (c >= nchunks) return;
      ChunkOut& out = chunks[c];
      std::size_t b = c * kChunk, e = std::min(src.size(), b + kChunk);
      pairs.clear();
      settled.fill(0);
      for (int p = 0; p < kNumPasses; ++p) {
        double tp = ThreadCpuSeconds();
        const std::uint64_t bit = 1ULL << p;
        // The chunk's keys for this pass first, each one's hash slot prefetched: the probes
        // below then mostly hit the cache instead of waiting on one miss after another.
        key_off.assign(1, 0);
        key_buf.clear();
        for (std::size_t i = b; i < e; ++i) {
          const std::uint64_t il = i - b;
          if (i + 8 < e) PrefetchNameInfos(p, src, names, i + 8);
          if (!(settled[il] == 1 || (settled[il] == 2 && p == kPassGuardianSurname))) {
            int n = PassKeys(p, src, names, i, true, keys, 64);
            for (int k = 0; k < n; ++k) index[p].Prefetch(keys[k]), key_buf.push_back(keys[k]);
          }
          key_off.push_back(static_cast<std::uint32_t>(key_buf.size()));
        }
        for (std::size_t i = b; i < e; ++i) {
          const std::uint64_t il = i - b;
          if (settled[il] == 1 || (settled[il] == 2 && p == kPassGuardianSurname)) continue;
          const std::uint64_t* keys = key_buf.data() + key_off[il];
          const int n = static_cast<int>(key_off[il + 1] - key_off[il]);
          bool have_sub = false;
          for (int k = 0; k < n; ++k) {
            auto [ptr, cnt] = index[p].Find(keys[k]);
            if (cnt == 0) continue;
            if (cnt > caps[p] && p != kPassId) {
              // Over the cap: the sub-block (one more field) if that is small enough.
              ++ts.skipped[p];
              if (!cfg.sub_block) continue;
              if (!have_sub) PassKeys(p, src, names, i, true, sub, 64, true), have_sub = true;
              std::tie(ptr, cnt) = sub_index[p].Find(sub[k]);
              if (cnt == 0 || cnt > caps[p] * cfg.sub_block_factor) continue;
              ++ts.sub_blocks[p];
            }
            ts.pass_pairs[p] += cnt;
            for (std::uint32_t q = 0; q < cnt; ++q) pairs.push_back(il << 37 | static_cast<std::uint64_t>(ptr[q]) << kPassBits | bit);
            // A registry child with exactly this name and birth date: the guardian pass (for
            // records whose name and date are both damaged) is not needed for this record.
            if (p == kPassBirthSurname && cfg.skip_guardian_when_exact && settled[il] == 0) {
              for (std::uint32_t q = 0; q < cnt; ++q) {
                if (reg.name[ptr[q]] == src.name[i] && reg.birth[ptr[q]] == src.birth[i]) {
                  settled[il] = 2;
                  ++ts.exact_name_birth;
                  break;
                }
              }
            }
            // Exact valid ID naming one registry child whose name agrees at least "close":
            // settled by ID, no fuzzy passes for this record.
            if (p == kPassId && k == 0 && cfg.id_first && cnt == 1 && src.id_valid[i]) {
              const PRec& a = psrc[i];
              const PRec& r = preg[ptr[0]];
              // The birth date is part of the ID, so only the name can confirm it.
              int name = a.name == r.name ? 5 : NameLevel(names.Info(a.name), names.Info(r.name), false);
              if (name >= 2) {
                settled[il] = 1;
                ++ts.id_first;
              }
            }
          }
        }
        ts.pass_seconds[p] += ThreadCpuSeconds() - tp;
      }
      // Union of the passes: sort the packed keys, merge equal (record, registry) keys by
      // OR-ing their pass bits.
      double td = ThreadCpuSeconds();
      // Counting sort by record in chunk (the top bits), then each record's few keys by
      // insertion sort: linear instead of a full sort of the chunk's keys.
      {
        std::fill(bucket.begin(), bucket.end(), 0u);
        for (std::uint64_t key : pairs) ++bucket[(key >> 37) + 1];
        for (std::size_t r = 1; r < bucket.size(); ++r) bucket[r] += bucket[r - 1];
        sorted.resize(pairs.size());
        for (std::uint64_t key : pairs) sorted[bucket[key >> 37]++] = key;
        std::size_t from = 0;
        for (std::size_t r = 0; r + 1 < bucket.size(); ++r) {
          std::size_t to = bucket[r];
          for (std::size_t x = from + 1; x < to; ++x) {
            std::uint64_t v = sorted[x];
            std::size_t y = x;
            for (; y > from && sorted[y - 1] > v; --y) sorted[y] = sorted[y - 1];
            sorted[y] = v;
          }
          from = to;
        }
        pairs.swap(sorted);
      }
      std::size_t w = 0;
      for (std::size_t r = 0; r < pairs.size(); ++r) {
        if (w > 0 && (pairs[w - 1] >> kPassBits) == (pairs[r] >> kPassBits)) pairs[w - 1] |= pairs[r];
        else pairs[w++] = pairs[r];
      }
      pairs.resize(w);
      ts.dedupe_seconds += ThreadCpuSeconds() - td;
      double tc = ThreadCpuSeconds();
      out.count.assign(e - b, 0);
      out.cand.resize(pairs.size());
      out.pattern.resize(pairs.size());
      std::size_t q = 0;
      for (std::size_t i = b; i < e; ++i) {
        const std::uint64_t il = i - b;
        const PRec& a = psrc[i];
        std::size_t start = q;
        std::int32_t truth_j = cfg.truth ? truth_e[i] : -1;
        bool found = false;
        for (; q < pairs.size() && (pairs[q] >> 37) == il; ++q) {
          auto j = static_cast<std::uint32_t>(pairs[q] >> kPassBits);
          if (q + 8 < pairs.size()) {
            const char* pf = reinterpret_cast<const char*>(&preg[static_cast<std::uint32_t>(pairs[q + 8] >> kPassBits)]);
            __builtin_prefetch(pf);
            __builtin_prefetch(pf + 64);
          }
          std::uint64_t mask = pairs[q] & ((1ULL << kPassBits) - 1);
          std::uint32_t pat = cmp.Pattern(a, preg[j]);
          // Pairs found only through a guardian are mostly siblings: scored, but kept out of
          // the EM histogram, or EM learns "same household" instead of "same child".
          if (mask != kGuardianOnly) ++h[pat];
          out.cand[q] = j;
          out.pattern[q] = pat;
          if (static_cast<std::int32_t>(j) == truth_j) {
            found = true;
            for (int p = 0; p < kNumPasses; ++p) ts.true_found[p] += (mask >> p) & 1;
            if (std::popcount(mask) == 1) ts.true_only[std::countr_zero(mask)]++;
          }
        }
        out.count[il] = static_cast<std::uint32_t>(q - start);
        if (truth_j >= 0) {
          ++ts.true_pairs;
          ts.found += found;
        }
      }
      ts.compare_seconds += ThreadCpuSeconds() - tc;
      done_chunks.fetch_add(1);
      if (tid == 0) progress("compare", static_cast<double>(done_chunks.load()) / nchunks);
    }
  };
  {
    std::vector<std::thread> pool;
    for (int tid = 1; tid < threads; ++tid) pool.emplace_back(compare_worker, tid);
    compare_worker(0);
    for (auto& th : pool) th.join();
  }
  std::vector<std::uint64_t> counts(NumPatterns(), 0);
  for (const auto& h : hist) {
    for (std::size_t p = 0; p < counts.size(); ++p) counts[p] += h[p];
  }
  for (const auto& ts : tstats) {
    for (int p = 0; p < kNumPasses; ++p) {
      st.pass_pairs[p] += ts.pass_pairs[p], st.skipped_blocks[p] += ts.skipped[p], st.sub_blocks[p] += ts.sub_blocks[p];
      st.pass_true_found[p] += ts.true_found[p], st.pass_true_only[p] += ts.true_only[p];
      st.cpu_seconds_pass[p] += ts.pass_seconds[p];
    }
    st.cpu_seconds_dedupe += ts.dedupe_seconds, st.cpu_seconds_compare += ts.compare_seconds;
    st.true_pairs += ts.true_pairs, st.true_pairs_found += ts.found;
    st.id_first_settled += ts.id_first;
    st.guardian_pass_skipped += ts.exact_name_birth;
  }
  for (const auto& c : chunks) st.candidate_pairs += c.cand.size();
  if (cfg.candidate_pairs_out) {
    auto& out = *cfg.candidate_pairs_out;
    out.clear();
    out.reserve(st.candidate_pairs);
    for (std::size_t c = 0; c < nchunks; ++c) {
      std::size_t off = 0;
      for (std::size_t k = 0; k < chunks[c].count.size(); ++k) {
        for (std::uint32_t q = 0; q < chunks[c].count[k]; ++q, ++off) {
          out.emplace_back(src_order[c * kChunk + k], reg_order[chunks[c].cand[off]]);
        }
      }
    }
  }
  st.pair_completeness = st.true_pairs ? static_cast<double>(st.true_pairs_found) / st.true_pairs : 0;
  st.seconds_compare = SecondsSince(t);
  st.cpu_stage[3] = ProcessCpuSeconds() - cpu_mark, cpu_mark = ProcessCpuSeconds();
  progress("compare", 1);

  // 4. EM on the pattern histogram; u from random pairs; a prior for small batches.
  t = Clock::now();
  result.model = EstimateModel(psrc, preg, src_pos, reg_pos, cmp, counts, st.candidate_pairs, cfg);
  st.seconds_em = SecondsSince(t);
  st.cpu_stage[4] = ProcessCpuSeconds() - cpu_mark, cpu_mark = ProcessCpuSeconds();
  progress("em", 1);

  // 5. Score: best candidate per source record, bands.
  t = Clock::now();
  ScoreMatches(result.model, chunks, src, reg, src_order, reg_order, tf, cfg, threads, &result.matches);
  for (const auto& m : result.matches) {
    if (m.band == Band::kLink) ++st.links;
    else if (m.band == Band::kReview) ++st.reviews;
    else ++st.no_links;
  }
  st.seconds_score = SecondsSince(t);
  st.cpu_stage[5] = ProcessCpuSeconds() - cpu_mark, cpu_mark = ProcessCpuSeconds();
  st.seconds_total = SecondsSince(t_all);
  st.cpu_seconds_total = ProcessCpuSeconds() - cpu_start;
  progress("score", 1);
  return result;
}


// ---------------------------------------------------------------- test and benchmark hooks

int CompareIdKeysNibbles(std::uint64_t a, std::uint64_t b) {
  PRec x, y;
  IdNibbles(a, &x.id_lo, &x.id_hi);
  IdNibbles(b, &y.id_lo, &y.id_hi);
  return IdLevelNib(x, y);
}

std::size_t AddressRegionPrefixBytes(std::string_view raw) { return AddressRegionPrefixLength(raw); }

std::uint64_t PhoneKey(std::string_view raw) { return ParsePhone(raw); }

std::int32_t BirthDayNumber(std::string_view raw) { return ParseBirthMemo(raw); }

std::string EngineCleanName(std::string_view raw) { return CleanNameFast(raw); }

struct ScoringKernel::Impl {
  NameTable names;
  std::vector<PRec> preg, psrc;
  std::vector<std::uint32_t> reg_pos, src_pos;  // input position -> kernel order (empty: identity)
  std::vector<float> tf;
  std::vector<float> pattern_weight;
  std::vector<std::uint8_t> name_exact;
};

ScoringKernel::ScoringKernel(const std::vector<Record>& registry, const std::vector<Record>& source, int threads,
                             bool engine_order)
    : impl_(std::make_unique<Impl>()) {
  Encoded reg, src;
  EncodeCounts c;
  double ignored = 0;
  Encode(registry, &impl_->names, 0, threads, &reg, &c, &ignored);
  Encode(source, &impl_->names, 0, threads, &src, &c, &ignored);
  impl_->names.ComputeInfos(threads);
  if (engine_order) {
    auto ro = EngineOrder(reg), so = EngineOrder(src);
    PermuteEncoded(&reg, ro), PermuteEncoded(&src, so);
    impl_->reg_pos = Inverse(ro), impl_->src_pos = Inverse(so);
  }
  impl_->preg = PackRecords(reg, impl_->names, threads);
  impl_->psrc = PackRecords(src, impl_->names, threads);
  impl_->tf.assign(reg.size(), 0.5f);
  // A fixed plausible model (weights only matter for cost, not for the measurement).
  impl_->pattern_weight.resize(NumPatterns());
  impl_->name_exact.resize(NumPatterns());
  for (std::uint32_t p = 0; p < NumPatterns(); ++p) {
    auto lv = DecodePattern(p);
    float w = -5;
    for (int f = 0; f < kNumFields; ++f) w += lv[f] == 0 ? 0.f : (lv[f] == kFieldLevels[f] - 1 ? 6.f : -2.f + lv[f]);
    impl_->pattern_weight[p] = w;
    impl_->name_exact[p] = lv[kFieldName] == 5;
  }
}

ScoringKernel::~ScoringKernel() = default;

void ScoringKernel::ToEngineOrder(std::uint32_t* source_index, std::uint32_t* registry_index, std::size_t n) const {
  if (impl_->reg_pos.empty()) return;
  for (std::size_t k = 0; k < n; ++k) {
    source_index[k] = impl_->src_pos[source_index[k]];
    registry_index[k] = impl_->reg_pos[registry_index[k]];
  }
}

double ScoringKernel::Score(const std::uint32_t* source_index, const std::uint32_t* registry_index, std::size_t n,
                            std::uint32_t* patterns) const {
  const Impl& m = *impl_;
  Comparer cmp{&m.names};
  double sum = 0;
  for (std::size_t k = 0; k < n; ++k) {
    std::uint32_t i = source_index[k], j = registry_index[k];
    if (k + 8 < n) {
      const char* p = reinterpret_cast<const char*>(&m.preg[registry_index[k + 8]]);
      __builtin_prefetch(p);
      __builtin_prefetch(p + 64);
    }
    std::uint32_t p = cmp.Pattern(m.psrc[i], m.preg[j]);
    patterns[k] = p;
    sum += m.pattern_weight[p] + (m.name_exact[p] ? m.tf[j] : 0.f);
  }
  return sum;
}


// ---------------------------------------------------------------- exact-ID join

IdJoinResult ExactIdJoin(const std::vector<Record>& registry, const std::vector<Record>& source, int threads) {
  IdJoinResult r;
  auto t0 = Clock::now();
  threads = std::max(1, threads);
  using KeyIdx = std::pair<std::uint64_t, std::uint32_t>;
  auto keys_of = [&](const std::vector<Record>& recs) {
    std::vector<std::uint64_t> k(recs.size(), 0);
    ParallelFor(recs.size(), threads, 8192, [&](std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) {
        IdAnalysis a = AnalyzeId(recs[i].id_number);
        if (a.kind == IdKind::kValid) k[i] = a.key;
      }
    });
    std::vector<KeyIdx> out;
    out.reserve(recs.size());
    for (std::size_t i = 0; i < recs.size(); ++i) {
      if (k[i]) out.emplace_back(k[i], static_cast<std::uint32_t>(i));
    }
    return out;
  };
  std::vector<KeyIdx> rk = keys_of(registry), sk = keys_of(source);
  r.registry_keys = rk.size(), r.source_keys = sk.size();
  r.seconds_normalize = SecondsSince(t0);
  auto t1 = Clock::now();
  if (threads > 1) {
    std::thread other([&] { std::sort(sk.begin(), sk.end()); });
    std::sort(rk.begin(), rk.end());
    other.join();
  } else {
    std::sort(rk.begin(), rk.end());
    std::sort(sk.begin(), sk.end());
  }
  r.seconds_sort = SecondsSince(t1);
  auto t2 = Clock::now();
  r.match.assign(source.size(), -1);
  std::size_t a = 0;
  for (std::size_t b = 0; b < sk.size(); ++b) {
    std::uint64_t key = sk[b].first;
    while (a < rk.size() && rk[a].first < key) ++a;
    if (a == rk.size() || rk[a].first != key) continue;
    if (a + 1 < rk.size() && rk[a + 1].first == key) {
      ++r.ambiguous;
      continue;
    }
    r.match[sk[b].second] = static_cast<std::int32_t>(rk[a].second);
    ++r.matched;
  }
  r.seconds_merge = SecondsSince(t2);
  r.seconds_total = SecondsSince(t0);
  return r;
}
}  // namespace th::linkage
