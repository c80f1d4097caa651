#include "text/pinyin.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "text/normalize.h"
#include "text/utf8.h"

namespace th::text {
namespace {

// Polyphonic characters common in Chinese names and surnames, with the readings ICU may not
// give as primary. Order does not matter: the ICU reading stays primary and these are added.
struct Polyphone {
  const char* ch;
  const char* readings;  // space separated
};
constexpr Polyphone kPolyphones[] = {
    {"单", "shan dan chan"}, {"解", "xie jie"},   {"曾", "zeng ceng"},  {"区", "ou qu"},
    {"仇", "qiu chou"},      {"朴", "piao pu"},   {"查", "zha cha"},    {"盖", "ge gai"},
    {"乐", "yue le"},        {"覃", "qin tan"},   {"长", "zhang chang"}, {"重", "chong zhong"},
    {"行", "xing hang"},     {"朝", "chao zhao"}, {"尉", "yu wei"},     {"蔚", "wei yu"},
    {"折", "she zhe"},       {"召", "shao zhao"}, {"缪", "miao mou miu"}, {"种", "chong zhong"},
    {"秘", "bi mi"},         {"繁", "po fan"},    {"车", "che ju"},     {"宿", "su xiu"},
    {"翟", "zhai di"},       {"句", "gou ju"},    {"都", "du dou"},     {"乘", "cheng sheng"},
    {"贾", "jia gu"},        {"薄", "bo bao"},    {"员", "yun yuan"},   {"和", "he huo"},
    {"莎", "sha suo"},       {"茜", "qian xi"},   {"晟", "sheng cheng"}, {"柏", "bai bo"},
    {"栎", "li yue"},        {"藏", "zang cang"}, {"参", "shen can"},   {"卜", "bu bo"},
    {"石", "shi dan"},       {"万", "wan mo"},    {"叶", "ye xie"},     {"阿", "a e"},
    {"伽", "jia qie ga"},    {"降", "jiang xiang"}, {"强", "qiang jiang"}, {"传", "chuan zhuan"},
    {"奇", "qi ji"},         {"若", "ruo re"},    {"乾", "qian gan"},   {"隽", "jun juan"},
    {"雀", "que qiao"},      {"度", "du duo"},    {"露", "lu lou"},     {"祭", "zhai ji"},
    {"洗", "xian xi"},       {"系", "xi ji"},     {"弄", "nong long"},  {"大", "da dai"},
    {"燕", "yan"},           {"南", "nan na"},    {"那", "na nuo"},     {"皖", "wan"},
    {"沈", "shen chen"},     {"任", "ren"},       {"华", "hua"},        {"便", "bian pian"},
    {"佴", "nai er"},        {"番", "pan fan"},   {"冯", "feng ping"},  {"率", "shuai lu"},
    {"校", "xiao jiao"},     {"椰", "ye"},        {"蕃", "fan bo"},     {"恶", "e wu"},
    {"俞", "yu shu"},        {"颉", "xie jie"},   {"纪", "ji"},         {"铅", "qian yan"},
    {"令", "ling"},          {"员", "yuan yun"},  {"厦", "xia sha"},    {"艾", "ai yi"},
    {"殷", "yin yan"},       {"樊", "fan"},       {"禅", "chan shan"},  {"说", "shuo yue"},
    {"期", "qi ji"},         {"圳", "zhen"},      {"的", "de di"},      {"哈", "ha"},
    {"曲", "qu"},            {"着", "zhe zhuo"},  {"翁", "weng"},      {"澄", "cheng deng"},
    {"婼", "ruo chuo"},      {"芮", "rui"},       {"璟", "jing"},       {"汤", "tang shang"},
    {"鲜", "xian"},          {"宓", "mi fu"},     {"繁", "fan po"},     {"适", "shi kuo"},
    {"省", "sheng xing"},    {"角", "jiao jue"},  {"给", "gei ji"},     {"还", "hai huan"},
};

constexpr char32_t kLo = 0x3400, kHi = 0x9FFF;
constexpr std::size_t kMaxSyllables = 8192;

class PinyinTables {
 public:
  static PinyinTables& Get() {
    static PinyinTables* t = new PinyinTables();
    return *t;
  }

  SyllableId Intern(std::string_view s) {
    std::lock_guard<std::mutex> lock(mu_);
    return InternLocked(s);
  }
  const std::string& Text(SyllableId id) const {
    static const std::string kEmpty;
    if (id == 0 || id >= count_.load(std::memory_order_acquire)) return kEmpty;
    return texts_[id];
  }

  // Packed primary readings: general in the low 16 bits, surname in the high 16 bits.
  SyllableId Primary(char32_t c, bool surname) {
    std::uint32_t packed = 0;
    if (c >= kLo && c <= kHi) {
      auto& slot = slots_[c - kLo];
      packed = slot.load(std::memory_order_acquire);
      if (packed == 0) {
        std::lock_guard<std::mutex> lock(mu_);
        packed = slot.load(std::memory_order_relaxed);
        if (packed == 0) {
          packed = ComputeLocked(c);
          slot.store(packed, std::memory_order_release);
        }
      }
    } else if (IsHan(c)) {
      std::lock_guard<std::mutex> lock(mu_);
      packed = ComputeLocked(c);
    } else {
      return 0;
    }
    return static_cast<SyllableId>(surname ? (packed >> 16) : (packed & 0xFFFF));
  }

  SyllableId Fuzzy(SyllableId id) {
    if (id == 0 || id >= kMaxSyllables) return 0;
    SyllableId f = fuzzy_[id].load(std::memory_order_acquire);
    if (f != 0) return f;
    std::string text = Text(id);
    std::string fz = FuzzySyllable(text);
    std::lock_guard<std::mutex> lock(mu_);
    f = InternLocked(fz);
    fuzzy_[id].store(f, std::memory_order_release);
    return f;
  }

  const std::vector<SyllableId>* Extras(char32_t c) {
    std::call_once(poly_once_, [this] {
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& p : kPolyphones) {
        std::size_t pos = 0;
        char32_t ch = NextCodePoint(p.ch, &pos);
        auto& v = polyphones_[ch];
        std::string_view r = p.readings;
        while (!r.empty()) {
          std::size_t sp = r.find(' ');
          std::string_view w = r.substr(0, sp);
          SyllableId id = InternLocked(w);
          if (std::find(v.begin(), v.end(), id) == v.end()) v.push_back(id);
          r = sp == std::string_view::npos ? std::string_view() : r.substr(sp + 1);
        }
      }
    });
    auto it = polyphones_.find(c);
    return it == polyphones_.end() ? nullptr : &it->second;
  }

 private:
  PinyinTables() {
    texts_.resize(kMaxSyllables);
    texts_[0] = "";
  }

  SyllableId InternLocked(std::string_view s) {
    auto it = ids_.find(std::string(s));
    if (it != ids_.end()) return it->second;
    std::uint32_t n = count_.load(std::memory_order_relaxed);
    if (n >= kMaxSyllables) return 0;  // table full: treat as unknown
    texts_[n] = std::string(s);
    ids_.emplace(std::string(s), static_cast<SyllableId>(n));
    count_.store(n + 1, std::memory_order_release);
    return static_cast<SyllableId>(n);
  }

  std::string Transliterate(icu::Transliterator* t, char32_t c) {
    icu::UnicodeString u(static_cast<UChar32>(c));
    t->transliterate(u);
    std::string out, r;
    u.toUTF8String(r);
    for (char ch : r) {
      if (ch >= 'a' && ch <= 'z') out.push_back(ch);
      else if (ch >= 'A' && ch <= 'Z') out.push_back(static_cast<char>(ch - 'A' + 'a'));
    }
    return out;
  }

  std::uint32_t ComputeLocked(char32_t c) {
    if (!general_) {
      UErrorCode st = U_ZERO_ERROR;
      general_.reset(icu::Transliterator::createInstance("Han-Latin; Latin-ASCII", UTRANS_FORWARD, st));
      if (U_FAILURE(st)) general_.reset();
      st = U_ZERO_ERROR;
      names_.reset(icu::Transliterator::createInstance("Han-Latin/Names; Latin-ASCII", UTRANS_FORWARD, st));
      if (U_FAILURE(st)) names_.reset();
    }
    std::string g = general_ ? Transliterate(general_.get(), c) : std::string();
    std::string n = names_ ? Transliterate(names_.get(), c) : g;
    // A character ICU cannot romanize keeps a private token so equal characters still agree.
    if (g.empty()) g = "u" + std::to_string(static_cast<std::uint32_t>(c));
    if (n.empty()) n = g;
    SyllableId gi = InternLocked(g), ni = InternLocked(n);
    return static_cast<std::uint32_t>(gi) | (static_cast<std::uint32_t>(ni) << 16);
  }

  std::mutex mu_;
  std::unique_ptr<icu::Transliterator> general_, names_;
  std::unordered_map<std::string, SyllableId> ids_;
  std::vector<std::string> texts_;
  std::atomic<std::uint32_t> count_{1};
  std::array<std::atomic<std::uint32_t>, kHi - kLo + 1> slots_{};
  std::array<std::atomic<SyllableId>, kMaxSyllables> fuzzy_{};
  std::once_flag poly_once_;
  std::unordered_map<char32_t, std::vector<SyllableId>> polyphones_;
};

// Appends the syllable tokens of a cleaned name as (readings) groups.
template <typename Fn>
void ForEachToken(std::string_view clean, Fn&& fn) {
  std::size_t pos = 0;
  bool first_han = true;
  std::string ascii;
  auto flush = [&] {
    if (!ascii.empty()) {
      fn(char32_t{0}, InternSyllable(ascii), false);
      ascii.clear();
    }
  };
  while (pos < clean.size()) {
    char32_t c = NextCodePoint(clean, &pos);
    if (c < 0x80) {
      if (c >= 'a' && c <= 'z') ascii.push_back(static_cast<char>(c));
      else if (c >= 'A' && c <= 'Z') ascii.push_back(static_cast<char>(c - 'A' + 'a'));
      else flush();
      continue;
    }
    flush();
    if (!IsHan(c)) continue;
    fn(c, SyllableId{0}, first_han);
    first_han = false;
  }
  flush();
}

}  // namespace

SyllableId InternSyllable(std::string_view syllable) { return PinyinTables::Get().Intern(syllable); }
const std::string& SyllableText(SyllableId id) { return PinyinTables::Get().Text(id); }

std::string FuzzySyllable(std::string_view s) {
  std::string out(s);
  if (out.size() >= 2 && (out[0] == 'z' || out[0] == 'c' || out[0] == 's') && out[1] == 'h') {
    out.erase(1, 1);
  } else if (!out.empty() && out[0] == 'n' && out != "ng" && out != "n") {
    out[0] = 'l';
  } else if (!out.empty() && out[0] == 'f') {
    out[0] = 'h';
  }
  if (out.size() >= 3 && out.compare(out.size() - 2, 2, "ng") == 0) {
    char v = out[out.size() - 3];
    if (v == 'a' || v == 'e' || v == 'i') out.pop_back();
  }
  return out;
}

SyllableId FuzzySyllableId(SyllableId id) { return PinyinTables::Get().Fuzzy(id); }

SyllableId PrimaryReading(char32_t c, bool surname) { return PinyinTables::Get().Primary(c, surname); }

std::vector<SyllableId> CharReadings(char32_t c, bool surname) {
  std::vector<SyllableId> out;
  SyllableId p = PrimaryReading(c, surname);
  if (p == 0) return out;
  out.push_back(p);
  if (const auto* extras = PinyinTables::Get().Extras(c)) {
    for (SyllableId e : *extras) {
      if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
    }
  }
  return out;
}

std::vector<SyllableId> NameSyllables(std::string_view clean_name) {
  std::vector<SyllableId> out;
  ForEachToken(clean_name, [&](char32_t c, SyllableId ascii, bool first) {
    out.push_back(c == 0 ? ascii : PrimaryReading(c, first));
  });
  return out;
}

std::string Pinyin(std::string_view name) {
  std::string out;
  for (SyllableId s : NameSyllables(CleanName(name))) out += SyllableText(s);
  return out;
}

std::string PinyinInitials(std::string_view name) {
  std::string out;
  for (SyllableId s : NameSyllables(CleanName(name))) {
    const std::string& t = SyllableText(s);
    if (!t.empty()) out.push_back(t[0]);
  }
  return out;
}

std::string FuzzyPinyin(std::string_view name) {
  std::string out;
  for (SyllableId s : NameSyllables(CleanName(name))) out += SyllableText(FuzzySyllableId(s));
  return out;
}

PinyinKeySet PinyinKeys(std::string_view name, std::size_t max_variants) {
  PinyinKeySet keys;
  std::vector<std::vector<SyllableId>> groups;
  ForEachToken(CleanName(name), [&](char32_t c, SyllableId ascii, bool first) {
    if (c == 0) groups.push_back({ascii});
    else groups.push_back(CharReadings(c, first));
  });
  if (max_variants == 0) max_variants = 1;
  // Expand combinations breadth-first so the primary reading (index 0 everywhere) comes first.
  std::vector<std::vector<SyllableId>> combos{{}};
  for (const auto& g : groups) {
    std::vector<std::vector<SyllableId>> next;
    for (std::size_t r = 0; r < g.size(); ++r) {
      for (const auto& c : combos) {
        if (next.size() >= max_variants) break;
        auto n = c;
        n.push_back(g[r]);
        next.push_back(std::move(n));
      }
    }
    // Keep the primary first: sort by number of non-primary choices is implied by the loop
    // order above (r = 0 first), which preserves the all-primary combination at index 0.
    combos = std::move(next);
  }
  for (const auto& c : combos) {
    std::string full, ini;
    for (SyllableId s : c) {
      const std::string& t = SyllableText(s);
      full += t;
      if (!t.empty()) ini.push_back(t[0]);
    }
    if (std::find(keys.full.begin(), keys.full.end(), full) == keys.full.end()) keys.full.push_back(full);
    if (std::find(keys.initials.begin(), keys.initials.end(), ini) == keys.initials.end()) keys.initials.push_back(ini);
  }
  if (!keys.full.empty()) keys.primary = keys.full.front();
  for (const auto& g : groups) {
    if (!g.empty()) keys.fuzzy += SyllableText(FuzzySyllableId(g[0]));
  }
  return keys;
}

void AppendPrefixes(std::string_view key, std::vector<std::string>* out) {
  for (std::size_t n = 1; n < key.size(); ++n) out->emplace_back(key.substr(0, n));
}

std::vector<std::string> PinyinSearchKeys(std::string_view name, std::size_t max_variants) {
  PinyinKeySet keys = PinyinKeys(name, max_variants);
  std::vector<std::string> out;
  for (const std::string& f : keys.full) {
    if (f.empty()) continue;
    out.push_back(f);
    AppendPrefixes(f, &out);
  }
  for (const std::string& ini : keys.initials) {
    // One letter per character: the run from character i on is the initials of the name's tail.
    for (std::size_t i = 0; i < ini.size(); ++i) {
      std::string_view run = std::string_view(ini).substr(i);
      out.emplace_back(run);
      AppendPrefixes(run, &out);
    }
  }
  return out;
}

}  // namespace th::text
