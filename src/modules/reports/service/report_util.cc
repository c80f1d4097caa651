#include <sodium.h>

#include "domain/date.h"
#include "modules/reports/service/report_internal.h"
#include "text/date.h"
#include "text/field.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace th::service::reports_internal {

namespace {
constexpr std::string_view kAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";  // 32: no I, O, 0, 1
}

std::string NewTrackingCode() {
  unsigned char bytes[12];
  randombytes_buf(bytes, sizeof bytes);
  std::string out;
  for (int i = 0; i < 12; ++i) {
    if (i && i % 4 == 0) out += '-';
    out += kAlphabet[bytes[i] % 32];
  }
  return out;
}

std::string NormalizeTrackingCode(std::string_view typed) {
  std::string out;
  for (char ch : typed) {
    if (ch == '-' || ch == ' ') continue;
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    if (kAlphabet.find(ch) == std::string_view::npos) return "";
    out += ch;
    if (out.size() > 12) return "";
  }
  return out.size() == 12 ? out : "";
}

Result<std::string> CleanPhone(const std::string& raw, const std::string& field) {
  if (raw.empty()) return std::string();
  std::string p = text::CleanIdLike(raw);
  if (p.size() < 7 || p.size() > 12 || p.find_first_not_of("0123456789") != std::string::npos) {
    return Status::Invalid(field, "invalid_phone", "电话号码无效", "Invalid phone number");
  }
  return p;
}

Result<std::string> CleanDateTime(const std::string& raw, const std::string& field, std::int64_t now_ms) {
  if (raw.empty()) return std::string();
  auto bad = [&] {
    return Status::Invalid(field, "invalid_datetime", "时间格式应为 YYYY-MM-DD 或 YYYY-MM-DD HH:MM，且不晚于今天",
                           "Use YYYY-MM-DD or YYYY-MM-DD HH:MM, not in the future");
  };
  if (raw.size() != 10 && raw.size() != 16) return bad();
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char ch = raw[i];
    const bool digit = ch >= '0' && ch <= '9';
    if (i == 4 || i == 7) {
      if (ch != '-') return bad();
    } else if (i == 10) {
      if (ch != ' ' && ch != 'T') return bad();
    } else if (i == 13) {
      if (ch != ':') return bad();
    } else if (!digit) {
      return bad();
    }
  }
  const int y = std::stoi(raw.substr(0, 4)), m = std::stoi(raw.substr(5, 2)), d = std::stoi(raw.substr(8, 2));
  if (!domain::IsValidDate(y, m, d) || y < 2000) return bad();
  std::string out = raw.substr(0, 10);
  if (raw.size() == 16) {
    const int hh = std::stoi(raw.substr(11, 2)), mm = std::stoi(raw.substr(14, 2));
    if (hh > 23 || mm > 59) return bad();
    out += " " + raw.substr(11, 5);
  }
  const domain::Date tomorrow = domain::Date::FromEpochMillisShanghai(now_ms).AddDays(1);
  if (domain::Date::Of(y, m, d) > tomorrow) return bad();
  return out;
}

Status CheckPurpose(const std::string& purpose) {
  TH_ASSIGN_OR_RETURN(auto p, text::CleanText(purpose, "purpose", text::TextRule{200, text::TextShape::kLine}));
  if (text::DecodeUtf8(p).size() < 2) {
    return Status::Invalid("purpose", "purpose_required", "请说明查看目的(2-200字)",
                           "State the purpose (2-200 characters)");
  }
  return Status::Ok();
}

}  // namespace th::service::reports_internal
