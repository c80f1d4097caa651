#include "base/status.h"

#include <gtest/gtest.h>

#include "base/clock.h"

namespace th {
namespace {

Result<int> Half(int x) {
  if (x % 2) return Status::Invalid("x", "odd", "必须为偶数", "must be even");
  return x / 2;
}

Result<int> Quarter(int x) {
  TH_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(StatusTest, PropagatesFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().field(), "x");
  EXPECT_EQ(r.status().ToString(), "invalid_argument/odd(x): must be even");
}

// The common input errors: one code, one field, one wording each (the API shows them as they are).
TEST(StatusTest, CommonInputErrors) {
  struct Case {
    Status s;
    Code code;
    const char *error_code, *field, *zh, *en;
  };
  const Case cases[] = {
      {Status::Required("version"), Code::kInvalidArgument, "required", "version", "缺少必填字段: version",
       "Missing required field: version"},
      {Status::InvalidEnum("sex", "x"), Code::kInvalidArgument, "invalid_enum", "sex", "取值无效: sex = x",
       "Invalid value for sex: x"},
      {Status::TooLong("purpose", 200), Code::kInvalidArgument, "too_long", "purpose", "内容过长: purpose 最多200个字",
       "Too long: purpose has at most 200 characters"},
      {Status::InvalidState("confirmed"), Code::kConflict, "invalid_state", "status", "当前状态(confirmed)不允许该操作",
       "Not allowed in the current state (confirmed)"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.s.code(), c.code) << c.error_code;
    EXPECT_EQ(c.s.error_code(), c.error_code);
    EXPECT_EQ(c.s.field(), c.field);
    EXPECT_EQ(c.s.message_zh(), c.zh);
    EXPECT_EQ(c.s.message_en(), c.en);
  }
}

TEST(ClockTest, FormatsInShanghai) {
  struct Case { std::int64_t ms; const char* shanghai; const char* iso; };
  const Case cases[] = {
      {0, "1970-01-01 08:00:00", "1970-01-01T00:00:00.000Z"},
      {1795356415123, "2026-11-22 22:06:55", "2026-11-22T14:06:55.123Z"},
      {1795363200000 - 1, "2026-11-22 23:59:59", "2026-11-22T15:59:59.999Z"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FormatShanghai(c.ms), c.shanghai);
    EXPECT_EQ(FormatIsoUtc(c.ms), c.iso);
  }
}

}  // namespace
}  // namespace th

#include "base/json_writer.h"

namespace th {
namespace {
TEST(JsonWriterTest, EscapesAndOrders) {
  std::string s = JsonObjectWriter()
                      .Str("name", "布吉\"街道\"\n")
                      .Int("version", 2)
                      .Bool("retired", false)
                      .OptInt("parent", std::nullopt)
                      .Str("ctl", std::string("a\x01", 2))
                      .Finish();
  EXPECT_EQ(s, "{\"name\":\"布吉\\\"街道\\\"\\n\",\"version\":2,\"retired\":false,\"parent\":null,\"ctl\":\"a\\u0001\"}");
  EXPECT_EQ(JsonObjectWriter().Finish(), "{}");
}
}  // namespace
}  // namespace th
