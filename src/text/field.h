#pragma once
// The one validator for text that people type or upload (every write endpoint and every imported
// cell goes through it; docs/API.md "Limits" lists the rules). A value is accepted when it is
// well-formed UTF-8, holds no NUL or other control character (newline and tab only in long text),
// no bidirectional override or line/paragraph separator, and has at most the rule's number of
// characters (code points) after trimming.
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace th::text {

enum class TextShape : std::uint8_t {
  kLine,  // one line: no control character at all
  kLong,  // free text: newline (CRLF and CR become LF) and tab allowed
};

struct TextRule {
  std::uint32_t max_chars;
  TextShape shape;
};

// The documented rules (docs/API.md "Limits"). Lengths are in characters: a Han character counts 1.
inline constexpr TextRule kPersonName{50, TextShape::kLine};  // children, family, guardians, users
inline constexpr TextRule kUnitName{60, TextShape::kLine};    // org units, agencies, data sources
inline constexpr TextRule kShortText{50, TextShape::kLine};   // ethnicity, relation note, city, contact
inline constexpr TextRule kLineText{200, TextShape::kLine};   // addresses, school, illness, no-ID reason
inline constexpr TextRule kLongText{2000, TextShape::kLong};  // notes, reasons, evidence
inline constexpr TextRule kCell{2000, TextShape::kLong};      // any imported spreadsheet cell (then its field's rule)

// Trims whitespace (ASCII, NBSP, ideographic space) at both ends, turns CRLF/CR into LF in long text
// and checks `rule`. Errors name `field`: invalid_text (bad UTF-8 or a forbidden character, with its
// position), too_long (with the limit). Pure; thread-safe.
Result<std::string> CleanText(std::string_view value, std::string_view field, TextRule rule);

// `value` without whitespace (ASCII space, tab, CR, LF, NBSP, ideographic space U+3000) at either end.
std::string_view TrimSpace(std::string_view value);

// CleanText for a value that must be present: "required" when empty after trimming.
Result<std::string> CleanRequiredText(std::string_view value, std::string_view field, TextRule rule);

// CleanText's checks on a value that is already trimmed; OK when `value` is accepted unchanged.
Status CheckText(std::string_view value, std::string_view field, TextRule rule);

// True for a character no text field accepts in `shape` (see the file comment).
bool IsForbiddenChar(char32_t c, TextShape shape);

// For data we keep but must not refuse row by row (department records uploaded for screening):
// invalid UTF-8 becomes U+FFFD, every forbidden character a space, the result is trimmed and cut
// to rule.max_chars characters. Always accepted by CheckText(…, rule).
std::string ScrubText(std::string_view value, TextRule rule);

// An administrative region code: 6 (county), 9 (township) or 12 (village) ASCII digits. "" is
// accepted (the field is optional); anything else is invalid_region_code naming `field`.
Status CheckRegionCode(std::string_view code, std::string_view field);

}  // namespace th::text
