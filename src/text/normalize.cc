#include "text/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>
#include <mutex>

#include "text/utf8.h"

namespace th::text {
namespace {

// Lazily filled table of simplified forms for the BMP Han range. Transliterator creation
// costs ~100 ms and a call ~10 us, so each code point is transliterated at most once;
// readers see a filled slot through an acquire load without taking the lock.
constexpr char32_t kTableLo = 0x3400, kTableHi = 0x9FFF;

class SimplifiedTable {
 public:
  static SimplifiedTable& Get() {
    static SimplifiedTable* t = new SimplifiedTable();
    return *t;
  }
  char32_t Lookup(char32_t c) {
    if (c < kTableLo || c > kTableHi) return c;
    auto& slot = slots_[c - kTableLo];
    char32_t v = slot.load(std::memory_order_acquire);
    if (v != 0) return v;
    std::lock_guard<std::mutex> lock(mu_);
    v = slot.load(std::memory_order_relaxed);
    if (v != 0) return v;
    v = c;
    if (!translit_) {
      UErrorCode st = U_ZERO_ERROR;
      translit_.reset(icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, st));
      if (U_FAILURE(st)) translit_.reset();
    }
    if (translit_) {
      icu::UnicodeString u(static_cast<UChar32>(c));
      translit_->transliterate(u);
      if (u.countChar32() == 1) v = static_cast<char32_t>(u.char32At(0));
    }
    slot.store(v, std::memory_order_release);
    return v;
  }

 private:
  SimplifiedTable() = default;
  std::mutex mu_;
  std::unique_ptr<icu::Transliterator> translit_;
  std::array<std::atomic<char32_t>, kTableHi - kTableLo + 1> slots_{};
};

bool IsDotOrSpace(char32_t c) {
  switch (c) {
    case ' ': case '\t': case '\r': case '\n': case 0xA0: case 0x3000:
    case '.': case 0xB7: case 0x387: case 0x2022: case 0x2027: case 0x2219: case 0x22C5:
    case 0x30FB: case 0xFF65: case 0x16EB: case 0x2E31: case 0x2010: case 0x2011:
      return true;
    default:
      return false;
  }
}

// Fast path: plain ASCII and BMP Han text is already NFKC-stable for our purposes.
bool NeedsNfkc(std::string_view s) {
  std::size_t pos = 0;
  while (pos < s.size()) {
    char32_t c = NextCodePoint(s, &pos);
    if (c < 0x80) continue;
    if (c >= 0x4E00 && c <= 0x9FFF) continue;
    return true;
  }
  return false;
}

}  // namespace

std::string Nfkc(std::string_view utf8) {
  UErrorCode st = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCInstance(st);
  if (U_FAILURE(st)) return std::string(utf8);
  icu::UnicodeString in = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  icu::UnicodeString out = n->normalize(in, st);
  if (U_FAILURE(st)) return std::string(utf8);
  std::string r;
  out.toUTF8String(r);
  return r;
}

char32_t SimplifiedChar(char32_t c) { return SimplifiedTable::Get().Lookup(c); }

std::string ToSimplified(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  std::size_t pos = 0;
  while (pos < utf8.size()) AppendUtf8(SimplifiedChar(NextCodePoint(utf8, &pos)), &out);
  return out;
}

std::string CleanName(std::string_view utf8) {
  std::string normalized;
  std::string_view s = utf8;
  if (NeedsNfkc(utf8)) {
    normalized = Nfkc(utf8);
    s = normalized;
  }
  std::string out;
  out.reserve(s.size());
  std::size_t pos = 0;
  while (pos < s.size()) {
    char32_t c = NextCodePoint(s, &pos);
    if (IsDotOrSpace(c)) continue;
    if (c < 0x80) {
      if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c - 'A' + 'a'));
      else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(static_cast<char>(c));
      continue;  // ASCII punctuation
    }
    if (IsHan(c)) {
      AppendUtf8(SimplifiedChar(c), &out);
      continue;
    }
    // Keep letters of other scripts (e.g. Uyghur, Tibetan names typed natively); drop
    // general punctuation, symbols and U+FFFD.
    if ((c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFE30 && c <= 0xFE6F) ||
        (c >= 0xFF00 && c <= 0xFFEF) || c == 0xFFFD) {
      continue;
    }
    AppendUtf8(c, &out);
  }
  return out;
}

std::vector<std::string> HanNgrams(std::string_view clean_name) {
  std::vector<char32_t> han;
  std::size_t pos = 0;
  while (pos < clean_name.size()) {
    char32_t c = NextCodePoint(clean_name, &pos);
    if (IsHan(c)) han.push_back(c);
  }
  std::vector<std::string> out;
  for (char32_t c : han) {
    std::string t;
    AppendUtf8(c, &t);
    out.push_back(std::move(t));
  }
  for (std::size_t i = 0; i + 1 < han.size(); ++i) {
    std::string t;
    AppendUtf8(han[i], &t);
    AppendUtf8(han[i + 1], &t);
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<std::string> HanPrefixes(std::string_view clean_name, std::size_t min_chars) {
  std::vector<std::size_t> ends;  // byte offset after each character
  std::size_t pos = 0;
  while (pos < clean_name.size()) {
    if (!IsHan(NextCodePoint(clean_name, &pos))) return {};
    ends.push_back(pos);
  }
  std::vector<std::string> out;
  for (std::size_t n = std::max<std::size_t>(min_chars, 1); n < ends.size(); ++n) {
    out.emplace_back(clean_name.substr(0, ends[n - 1]));
  }
  return out;
}

std::string CleanIdLike(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    char32_t c = NextCodePoint(utf8, &pos);
    if (c >= 0xFF10 && c <= 0xFF19) c = c - 0xFF10 + '0';  // full-width digits
    if (c >= '0' && c <= '9') out.push_back(static_cast<char>(c));
    else if (c == 'x' || c == 'X' || c == 0xD7 /* × */ || c == 0xFF58 || c == 0xFF38) out.push_back('X');
  }
  return out;
}

}  // namespace th::text
