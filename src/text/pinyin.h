#pragma once
// Pinyin for Chinese names, built on ICU `Han-Latin/Names; Latin-ASCII` (surname readings
// for the first character, general readings after) plus a built-in table of polyphonic
// characters common in names, so that 单 matches both "dan" and "shan".
//
// Syllables are interned as small integers (SyllableId) so the linkage engine can compare
// and hash them without strings. ICU is called at most once per code point and per role
// (surname / given name); after that every lookup is a lock-free table read. Thread-safe.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace th::text {

using SyllableId = std::uint16_t;  // 0 is "none"

// The id of a toneless ASCII syllable ("zhang"), interning it if new.
SyllableId InternSyllable(std::string_view syllable);
// The text of an interned syllable; "" for 0 or an unknown id.
const std::string& SyllableText(SyllableId id);

// Fuzzy form of a syllable for dialect-tolerant matching: initials zh/z ch/c sh/s n/l f/h
// merge, finals an/ang en/eng in/ing merge. "zhang" -> "zan", "fei" -> "hei", "ning" -> "lin".
std::string FuzzySyllable(std::string_view syllable);
SyllableId FuzzySyllableId(SyllableId id);

// Readings of one character. `surname` selects the surname reading as primary (单 -> shan).
// The first element is the primary reading; further elements are other readings from the
// built-in polyphone table. Non-Han code points give an empty list.
std::vector<SyllableId> CharReadings(char32_t c, bool surname);
// The primary reading only (0 for non-Han); the hot path of the linkage engine.
SyllableId PrimaryReading(char32_t c, bool surname);

// Primary syllables of a cleaned name (see CleanName). Han characters give one syllable
// each; runs of ASCII letters give one token each; digits and others are skipped.
std::vector<SyllableId> NameSyllables(std::string_view clean_name);

// Primary full pinyin without separators: "张伟" -> "zhangwei", "单田芳" -> "shantianfang".
// Cleans the name first (CleanName).
std::string Pinyin(std::string_view name);
// First letter of each syllable: "张伟" -> "zw".
std::string PinyinInitials(std::string_view name);
// Primary pinyin with every syllable in fuzzy form: "张宁" -> "zanlin".
std::string FuzzyPinyin(std::string_view name);

// Search and matching keys of a name.
struct PinyinKeySet {
  std::string primary;                // "zhangwei"
  std::vector<std::string> full;      // every reading combination, primary first, capped
  std::vector<std::string> initials;  // distinct initials of those combinations, primary first
  std::string fuzzy;                  // fuzzy key of the primary reading
};
// All keys of a name (cleaned first). Polyphones expand to every combination, at most
// `max_variants` (the primary always comes first). "单乐" -> full {shanle, shanyue, danle,
// danyue}, initials {sl, sy, dl, dy}.
PinyinKeySet PinyinKeys(std::string_view name, std::size_t max_variants = 16);

// Appends every prefix of `key` shorter than itself to `out` ("zzw" -> "z", "zz"): a key found
// by each prefix as it is typed. Prefixes end on byte boundaries: for ASCII keys only.
void AppendPrefixes(std::string_view key, std::vector<std::string>* out);

// Keys that find a name while its pinyin is typed: every full reading of PinyinKeys and every
// run of initials from any character on, each with all its prefixes. "张志伟" -> zhangzhiwei,
// z, zh, ..., zhangzhiwe; zzw, zz; zw (志伟); w. Not deduplicated. Cleans the name first.
std::vector<std::string> PinyinSearchKeys(std::string_view name, std::size_t max_variants = 4);

}  // namespace th::text
