#include "text/field.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "text/utf8.h"

namespace th::text {

namespace {

bool IsTrimSpace(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 || c == 0x3000; }

std::string Str(std::string_view f) { return std::string(f); }

Status TooLong(std::string_view field, TextRule rule) {
  return Status::TooLong(Str(field), static_cast<std::int64_t>(rule.max_chars));
}

Status BadChar(std::string_view field, std::size_t index, char32_t c) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(c));
  const std::string at = std::to_string(index + 1);
  return Status::Invalid(Str(field), "invalid_text",
                         "含有不允许的字符(" + std::string(hex) + ", 第" + at + "个字): " + Str(field),
                         "Forbidden character " + std::string(hex) + " at position " + at + " in " + Str(field));
}

}  // namespace

bool IsForbiddenChar(char32_t c, TextShape shape) {
  if (c == '\n' || c == '\t') return shape == TextShape::kLine;
  if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) return true;              // C0, DEL, C1 controls
  if (c == 0x2028 || c == 0x2029) return true;                         // line / paragraph separators
  if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) return true;  // bidi overrides
  if (c == 0x200E || c == 0x200F || c == 0x061C) return true;          // direction marks
  if (c == 0xFEFF || c == 0xFFFE || c == 0xFFFF) return true;          // BOM, non-characters
  if (c >= 0xFFF9 && c <= 0xFFFB) return true;                         // interlinear annotation
  return false;
}

Status CheckText(std::string_view value, std::string_view field, TextRule rule) {
  if (!IsValidUtf8(value)) {
    return Status::Invalid(Str(field), "invalid_text", "文本编码无效(须为UTF-8): " + Str(field),
                           "Invalid UTF-8 in " + Str(field));
  }
  // Cheap bound first so a 500 KB value costs no decode: a code point has at most 4 bytes.
  if (value.size() > static_cast<std::size_t>(rule.max_chars) * 4) return TooLong(field, rule);
  std::size_t pos = 0, n = 0;
  while (pos < value.size()) {
    char32_t c = NextCodePoint(value, &pos);
    if (IsForbiddenChar(c, rule.shape)) return BadChar(field, n, c);
    if (++n > rule.max_chars) return TooLong(field, rule);
  }
  return Status::Ok();
}

Result<std::string> CleanText(std::string_view value, std::string_view field, TextRule rule) {
  if (!IsValidUtf8(value)) return CheckText(value, field, rule);
  std::vector<char32_t> cps = DecodeUtf8(value);  // bounded by the request body limit
  std::size_t b = 0, e = cps.size();
  while (b < e && IsTrimSpace(cps[b])) ++b;
  while (e > b && IsTrimSpace(cps[e - 1])) --e;
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = b; i < e; ++i) {
    char32_t c = cps[i];
    if (c == '\r' && rule.shape == TextShape::kLong) {
      if (i + 1 < e && cps[i + 1] == '\n') continue;  // CRLF -> LF
      c = '\n';
    }
    AppendUtf8(c, &out);
  }
  TH_RETURN_IF_ERROR(CheckText(out, field, rule));
  return out;
}

std::string_view TrimSpace(std::string_view v) {
  // Cut ASCII blanks and the two multi-byte spaces people paste: NBSP (C2 A0) and U+3000 (E3 80 80).
  for (;;) {
    if (!v.empty() && (v.front() == ' ' || v.front() == '\t' || v.front() == '\r' || v.front() == '\n')) {
      v.remove_prefix(1);
    } else if (v.substr(0, 2) == "\xc2\xa0") {
      v.remove_prefix(2);
    } else if (v.substr(0, 3) == "\xe3\x80\x80") {
      v.remove_prefix(3);
    } else {
      break;
    }
  }
  for (;;) {
    if (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r' || v.back() == '\n')) {
      v.remove_suffix(1);
    } else if (v.size() >= 2 && v.substr(v.size() - 2) == "\xc2\xa0") {
      v.remove_suffix(2);
    } else if (v.size() >= 3 && v.substr(v.size() - 3) == "\xe3\x80\x80") {
      v.remove_suffix(3);
    } else {
      break;
    }
  }
  return v;
}

Result<std::string> CleanRequiredText(std::string_view value, std::string_view field, TextRule rule) {
  TH_ASSIGN_OR_RETURN(std::string v, CleanText(value, field, rule));
  if (v.empty()) {
    return Status::Required(Str(field));
  }
  return v;
}

std::string ScrubText(std::string_view value, TextRule rule) {
  std::string out;
  out.reserve(std::min<std::size_t>(value.size(), static_cast<std::size_t>(rule.max_chars) * 4));
  std::size_t pos = 0, n = 0;
  const std::string_view v = TrimSpace(value);
  while (pos < v.size() && n < rule.max_chars) {
    char32_t c = NextCodePoint(v, &pos);  // invalid bytes decode as U+FFFD
    if (c == '\r' && rule.shape == TextShape::kLong) c = '\n';
    if (IsForbiddenChar(c, rule.shape)) c = ' ';
    AppendUtf8(c, &out);
    ++n;
  }
  return std::string(TrimSpace(out));
}

Status CheckRegionCode(std::string_view code, std::string_view field) {
  if (code.empty()) return Status::Ok();
  const bool digits = std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits || (code.size() != 6 && code.size() != 9 && code.size() != 12)) {
    return Status::Invalid(Str(field), "invalid_region_code", "区划代码应为6位、9位或12位数字: " + Str(field),
                           "A region code has 6, 9 or 12 digits: " + Str(field));
  }
  return Status::Ok();
}

}  // namespace th::text
