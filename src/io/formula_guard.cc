#include "io/formula_guard.h"

namespace th::io {

bool LooksLikeFormula(std::string_view v) {
  if (v.empty()) return false;
  switch (v[0]) {
    case '=': case '+': case '-': case '@': case '\t': case '\r': case '\n':
      return true;
    default:
      break;
  }
  // U+FF0B ＋ (EF BC 8B), U+FF0D － (EF BC 8D), U+FF1D ＝ (EF BC 9D), U+FF20 ＠ (EF BC A0).
  if (v.size() >= 3 && static_cast<unsigned char>(v[0]) == 0xEF && static_cast<unsigned char>(v[1]) == 0xBC) {
    const auto c = static_cast<unsigned char>(v[2]);
    return c == 0x8B || c == 0x8D || c == 0x9D || c == 0xA0;
  }
  return false;
}

std::string NeutralizeFormula(std::string_view v) {
  if (!LooksLikeFormula(v)) return std::string(v);
  std::string out;
  out.reserve(v.size() + 1);
  out.push_back('\'');
  out.append(v);
  return out;
}

std::string_view StripFormulaGuard(std::string_view v) {
  if (v.size() >= 2 && v[0] == '\'' && LooksLikeFormula(v.substr(1))) v.remove_prefix(1);
  return v;
}

}  // namespace th::io
