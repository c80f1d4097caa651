#pragma once
// Small UTF-8 helpers shared by the text normalizers. No ICU here: these run per character
// in hot loops of the linkage engine.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace th::text {

// Decodes one code point at `*pos` and advances it. Invalid bytes decode as U+FFFD and
// advance by one byte, so the loop always terminates.
char32_t NextCodePoint(std::string_view s, std::size_t* pos);

// Appends `c` as UTF-8.
void AppendUtf8(char32_t c, std::string* out);

// All code points of `s` (invalid bytes become U+FFFD).
std::vector<char32_t> DecodeUtf8(std::string_view s);

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s);

// True for CJK unified ideographs (basic block, extension A, B-F, compatibility).
bool IsHan(char32_t c);

}  // namespace th::text
