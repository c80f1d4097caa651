#pragma once
// Normalizers for Chinese personal data: Unicode NFKC, traditional -> simplified, name
// cleanup, search n-grams. All functions are thread-safe; ICU objects are created once and
// results are cached per code point, so the hot path does no ICU call.
#include <string>
#include <string_view>
#include <vector>

namespace th::text {

// Unicode NFKC (full-width letters and digits become ASCII, ideographic space becomes a
// space, compatibility ideographs become unified ones). Invalid UTF-8 is replaced by U+FFFD.
std::string Nfkc(std::string_view utf8);

// Traditional -> simplified Chinese, character by character (ICU `Traditional-Simplified`,
// cached per code point). Non-Han text is returned unchanged.
std::string ToSimplified(std::string_view utf8);

// The simplified form of one code point (itself when it has none).
char32_t SimplifiedChar(char32_t c);

// Canonical form of a person's name for comparison: NFKC, whitespace and middle dots
// (· • ‧ ・ ･ ∙ ⋅ .) removed, punctuation removed, ASCII letters lower-cased,
// Han characters simplified. "張 偉" -> "张伟", "阿卜杜拉·买买提" -> "阿卜杜拉买买提",
// "Ｔｏｍ" -> "tom". Returns an empty string when nothing name-like remains.
std::string CleanName(std::string_view utf8);

// Search tokens over the Han characters of a cleaned name: every unigram, then every
// bigram of adjacent Han characters. "张子涵" -> {张, 子, 涵, 张子, 子涵}.
std::vector<std::string> HanNgrams(std::string_view clean_name);

// The leading parts of a cleaned name of Han characters only, from `min_chars` characters up to
// one short of the whole: "欧阳娜娜" -> {欧阳娜} (min 3). Empty for shorter or mixed names.
std::vector<std::string> HanPrefixes(std::string_view clean_name, std::size_t min_chars = 3);

// Keeps only ASCII digits and 'X' (upper-cased) after NFKC; maps '×' and 'ｘ' to 'X'.
// For ID numbers and phones typed with full-width characters or spaces: "４４０３ 01x" -> "440301X".
std::string CleanIdLike(std::string_view utf8);

}  // namespace th::text
