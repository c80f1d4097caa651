#pragma once
// 公民身份号码 (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit sequence
// (odd = male), 1 check character (ISO 7064 MOD 11-2; 'X' = 10).
#include <string>
#include <string_view>

#include "base/status.h"
#include "domain/date.h"

namespace th::domain {

struct IdNumberInfo {
  std::string normalized;  // 18 chars, upper-case X, 15-digit input upgraded
  std::string region;      // first 6 digits
  int birth_year = 0, birth_month = 0, birth_day = 0;
  char sex = 0;            // 'M' or 'F' (from the 17th digit)
  bool upgraded_from_15 = false;
};

// The check character for the first 17 digits ('0'-'9' or 'X'). `first17` must be 17 digits.
char IdCheckChar(std::string_view first17);

// Validates and normalizes: trims spaces (spaces inside, as in "4403 0720 ...", are dropped
// too; ASCII, U+3000 and U+00A0), full-width digits and 'ｘ/x' accepted, a 15-digit
// number is upgraded (19 + yymmdd, recomputed check char). Errors (field "id_number"):
// invalid_id_length, invalid_id_chars, invalid_id_birth_date (impossible or future date
// relative to `today_yyyymmdd` when non-zero), invalid_id_checksum ("身份证号校验位错误").
Result<IdNumberInfo> ParseIdNumber(std::string_view input, int today_yyyymmdd = 0);

// The birth date encoded in the number.
Date BirthDateOf(const IdNumberInfo& info);
// Cross-checks a parsed number against the stated birth date and sex (unset date or sex 0 are
// not checked). Errors (field "id_number"): id_birth_date_mismatch ("身份证号中的出生日期与填写的
// 出生日期不一致"), id_sex_mismatch.
Status CheckIdMatches(const IdNumberInfo& info, Date birth_date, char sex);

// "4403**********123X" style mask: first 4 and last 4 kept.
std::string MaskIdNumber(std::string_view normalized);
// "138****5678": first 3 and last 4 kept for 11-digit phones; otherwise keep last 4.
std::string MaskPhone(std::string_view phone);

}  // namespace th::domain
