#include "domain/id_number.h"

#include <gtest/gtest.h>

namespace th::domain {
namespace {

constexpr int kToday = 20261122;

TEST(IdNumberTest, CheckChar) {
  EXPECT_EQ(IdCheckChar("11010519491231002"), 'X');
  EXPECT_EQ(IdCheckChar("44030720100501001"), '8');
  EXPECT_EQ(IdCheckChar("44030719900101001"), '0');
}

TEST(IdNumberTest, Valid) {
  struct Case {
    const char* input;
    const char* normalized;
    const char* region;
    int y, m, d;
    char sex;
    bool upgraded;
  } cases[] = {
      {"11010519491231002X", "11010519491231002X", "110105", 1949, 12, 31, 'F', false},
      {"11010519491231002x", "11010519491231002X", "110105", 1949, 12, 31, 'F', false},
      {" 440307201005010018 ", "440307201005010018", "440307", 2010, 5, 1, 'M', false},
      {"4403 0720 1005 0100 18", "440307201005010018", "440307", 2010, 5, 1, 'M', false},
      // 2012-02-29 exists; sequence 123 is odd: male.
      {"43052420120229123X", "43052420120229123X", "430524", 2012, 2, 29, 'M', false},
      // Full-width digits and full-width Ｘ, as typed with a Chinese IME.
      {"４３０５２４２０１２０２２９１２３Ｘ", "43052420120229123X", "430524", 2012, 2, 29, 'M', false},
      {"４３０５２４２０１２０２２９１２３ｘ", "43052420120229123X", "430524", 2012, 2, 29, 'M', false},
      {"\xE3\x80\x80" "450921201512315678", "450921201512315678", "450921", 2015, 12, 31, 'M', false},
      // 15-digit legacy number: 19 inserted, check char computed.
      {"130503670401001", "130503196704010016", "130503", 1967, 4, 1, 'M', true},
  };
  for (const auto& c : cases) {
    auto r = ParseIdNumber(c.input, kToday);
    ASSERT_TRUE(r.ok()) << c.input << ": " << r.status().ToString();
    EXPECT_EQ(r->normalized, c.normalized) << c.input;
    EXPECT_EQ(r->region, c.region);
    EXPECT_EQ(r->birth_year, c.y);
    EXPECT_EQ(r->birth_month, c.m);
    EXPECT_EQ(r->birth_day, c.d);
    EXPECT_EQ(r->sex, c.sex) << c.input;
    EXPECT_EQ(r->upgraded_from_15, c.upgraded);
  }
}

TEST(IdNumberTest, Invalid) {
  struct Case {
    const char* input;
    int today;
    const char* error_code;
  } cases[] = {
      {"110105194912310021", kToday, "invalid_id_checksum"},  // should end in X
      {"440307201005010017", kToday, "invalid_id_checksum"},
      {"44030720100501001", kToday, "invalid_id_length"},     // 17
      {"4403072010050100188", kToday, "invalid_id_length"},   // 19
      {"", kToday, "invalid_id_length"},
      {"1301056704010", kToday, "invalid_id_length"},
      {"44030720100501001A", kToday, "invalid_id_chars"},
      {"4403072010X5010018", kToday, "invalid_id_chars"},
      {"13050367040100X", kToday, "invalid_id_chars"},        // X not allowed in 15-digit
      {"张三", kToday, "invalid_id_chars"},
      {"440307-20100501-0018", kToday, "invalid_id_chars"},
      // Impossible dates: checksums below are correct for the digits, the date is what fails.
      {"44030720100230001X", kToday, "invalid_id_birth_date"},  // Feb 30
      {"440307202302290014", kToday, "invalid_id_birth_date"},  // 2023 is not a leap year
      {"440307201013010018", kToday, "invalid_id_birth_date"},  // month 13
      {"440307201001000015", kToday, "invalid_id_birth_date"},  // day 0
      {"440307189901010017", kToday, "invalid_id_birth_date"},  // before 1900
      {"440307202612010014", kToday, "invalid_id_birth_date"},  // future relative to today
  };
  for (const auto& c : cases) {
    auto r = ParseIdNumber(c.input, c.today);
    ASSERT_FALSE(r.ok()) << c.input;
    EXPECT_EQ(r.status().error_code(), c.error_code) << c.input << ": " << r.status().ToString();
    EXPECT_EQ(r.status().field(), "id_number");
  }
  EXPECT_EQ(ParseIdNumber("110105194912310021").status().message_zh(), "身份证号校验位错误");
  // Without `today` a future date is not checked.
  EXPECT_TRUE(ParseIdNumber("440307202612010014", 0).ok());
}

TEST(IdNumberTest, CrossCheck) {
  auto info = ParseIdNumber("43052420120229123X");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(BirthDateOf(*info), Date::Of(2012, 2, 29));
  struct Case {
    Date birth;
    char sex;
    const char* error_code;  // "" = ok
  } cases[] = {
      {Date::Of(2012, 2, 29), 'M', ""},
      {Date{}, 0, ""},
      {Date::Of(2012, 2, 28), 'M', "id_birth_date_mismatch"},
      {Date::Of(2012, 2, 29), 'F', "id_sex_mismatch"},
  };
  for (const auto& c : cases) {
    Status st = CheckIdMatches(*info, c.birth, c.sex);
    EXPECT_EQ(st.error_code(), c.error_code) << c.birth.ToString() << c.sex;
    if (!st.ok()) {
      EXPECT_EQ(st.field(), "id_number");
    }
  }
}

TEST(IdNumberTest, Masks) {
  struct Case {
    const char* in;
    const char* id_mask;
    const char* phone_mask;
  } cases[] = {
      {"44030720100501001X", "4403**********001X", "**************001X"},
      {"13812345678", "1381***5678", "138****5678"},
      {"075528001234", "0755****1234", "********1234"},
      {"1234", "****", "****"},
      {"", "", ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(MaskIdNumber(c.in), c.id_mask) << c.in;
    EXPECT_EQ(MaskPhone(c.in), c.phone_mask) << c.in;
  }
}

}  // namespace
}  // namespace th::domain
