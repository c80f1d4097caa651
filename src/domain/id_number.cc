#include "domain/id_number.h"

#include "domain/date.h"

namespace th::domain {

namespace {

constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kCheckChars[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
constexpr std::string_view kField = "id_number";

Status LengthError(std::size_t n) {
  return Status::Invalid(std::string(kField), "invalid_id_length",
                         "身份证号长度应为18位（或旧版15位），实际为" + std::to_string(n) + "位",
                         "ID number must have 18 (or legacy 15) characters, got " +
                             std::to_string(n));
}
Status CharsError() {
  return Status::Invalid(std::string(kField), "invalid_id_chars",
                         "身份证号只能包含数字，末位可为X",
                         "ID number may contain only digits, with X allowed as the last character");
}
Status DateError(std::string_view why_zh, std::string_view why_en) {
  return Status::Invalid(std::string(kField), "invalid_id_birth_date",
                         "身份证号中的出生日期" + std::string(why_zh),
                         "The birth date in the ID number " + std::string(why_en));
}

// Appends the ASCII form of one input code point; false for anything not allowed. Full-width
// digits (U+FF10..U+FF19) and Ｘ/ｘ (U+FF38/U+FF58) come from IMEs and Excel sheets.
// Spaces (ASCII, tab, U+3000, U+00A0) anywhere are dropped: people type "4403 0719 ...".
bool NormalizeInto(std::string_view in, std::string* out) {
  std::size_t i = 0;
  while (i < in.size()) {
    const unsigned char c = static_cast<unsigned char>(in[i]);
    if (c >= '0' && c <= '9') {
      out->push_back(static_cast<char>(c));
      ++i;
    } else if (c == 'x' || c == 'X') {
      out->push_back('X');
      ++i;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
    } else if (c == 0xEF && i + 2 < in.size()) {
      const unsigned char c1 = static_cast<unsigned char>(in[i + 1]);
      const unsigned char c2 = static_cast<unsigned char>(in[i + 2]);
      if (c1 == 0xBC && c2 >= 0x90 && c2 <= 0x99) {
        out->push_back(static_cast<char>('0' + (c2 - 0x90)));
      } else if ((c1 == 0xBC && c2 == 0xB8) || (c1 == 0xBD && c2 == 0x98)) {
        out->push_back('X');
      } else {
        return false;
      }
      i += 3;
    } else if (c == 0xE3 && i + 2 < in.size() && static_cast<unsigned char>(in[i + 1]) == 0x80 &&
               static_cast<unsigned char>(in[i + 2]) == 0x80) {
      i += 3;  // ideographic space
    } else if (c == 0xC2 && i + 1 < in.size() && static_cast<unsigned char>(in[i + 1]) == 0xA0) {
      i += 2;  // no-break space
    } else {
      return false;
    }
  }
  return true;
}

bool AllDigits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

int Num(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

char IdCheckChar(std::string_view first17) {
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheckChars[sum % 11];
}

Result<IdNumberInfo> ParseIdNumber(std::string_view input, int today_yyyymmdd) {
  IdNumberInfo info;
  std::string& s = info.normalized;
  s.reserve(18);
  if (!NormalizeInto(input, &s)) return CharsError();
  if (s.size() != 18 && s.size() != 15) return LengthError(s.size());
  if (s.size() == 15) {
    if (!AllDigits(s)) return CharsError();
    // GB 11643-1989 numbers: 6 region + yymmdd + 3 sequence; all issued to people born 19xx.
    s.insert(6, "19");
    s.push_back(IdCheckChar(s));
    info.upgraded_from_15 = true;
  } else if (!AllDigits(std::string_view(s).substr(0, 17)) ||
             !(s[17] == 'X' || (s[17] >= '0' && s[17] <= '9'))) {
    return CharsError();
  }
  const std::string_view v = s;
  info.region = std::string(v.substr(0, 6));
  info.birth_year = Num(v.substr(6, 4));
  info.birth_month = Num(v.substr(10, 2));
  info.birth_day = Num(v.substr(12, 2));
  if (info.birth_year < 1900 || !IsValidDate(info.birth_year, info.birth_month, info.birth_day)) {
    return DateError("无效：" + std::string(v.substr(6, 8)),
                     "is not a real date: " + std::string(v.substr(6, 8)));
  }
  const int birth = info.birth_year * 10000 + info.birth_month * 100 + info.birth_day;
  if (today_yyyymmdd != 0 && birth > today_yyyymmdd) {
    return DateError("晚于今天：" + std::string(v.substr(6, 8)),
                     "is in the future: " + std::string(v.substr(6, 8)));
  }
  if (!info.upgraded_from_15 && IdCheckChar(v) != v[17]) {
    return Status::Invalid(std::string(kField), "invalid_id_checksum", "身份证号校验位错误",
                           "ID number checksum is wrong");
  }
  info.sex = (v[16] - '0') % 2 == 1 ? 'M' : 'F';
  return info;
}

Date BirthDateOf(const IdNumberInfo& info) {
  return Date::Of(info.birth_year, info.birth_month, info.birth_day);
}

Status CheckIdMatches(const IdNumberInfo& info, Date birth_date, char sex) {
  if (birth_date.IsSet() && BirthDateOf(info) != birth_date) {
    return Status::Invalid(std::string(kField), "id_birth_date_mismatch",
                           "身份证号中的出生日期(" + BirthDateOf(info).ToString() +
                               ")与填写的出生日期(" + birth_date.ToString() + ")不一致",
                           "The birth date in the ID number (" + BirthDateOf(info).ToString() +
                               ") differs from the stated birth date (" + birth_date.ToString() + ")");
  }
  if (sex != 0 && sex != info.sex) {
    return Status::Invalid(std::string(kField), "id_sex_mismatch",
                           std::string("身份证号显示性别为") + (info.sex == 'M' ? "男" : "女") +
                               "，与填写的性别不一致",
                           std::string("The ID number says ") +
                               (info.sex == 'M' ? "male" : "female") + ", unlike the stated sex");
  }
  return Status::Ok();
}

std::string MaskIdNumber(std::string_view normalized) {
  const std::size_t n = normalized.size();
  if (n <= 8) return std::string(n, '*');
  std::string out(normalized.substr(0, 4));
  out.append(n - 8, '*');
  out.append(normalized.substr(n - 4));
  return out;
}

std::string MaskPhone(std::string_view phone) {
  const std::size_t n = phone.size();
  if (n == 11) return std::string(phone.substr(0, 3)) + "****" + std::string(phone.substr(7));
  if (n <= 4) return std::string(n, '*');
  return std::string(n - 4, '*') + std::string(phone.substr(n - 4));
}

}  // namespace th::domain
