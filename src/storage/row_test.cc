#include <gtest/gtest.h>

#include <limits>

#include "storage/connection.h"

namespace th::storage {
namespace {

struct RowCase {
  const char* what;
  Value cell;
  std::int64_t as_int;
  double as_real;
  std::string as_text;
  bool is_null;
};

TEST(RowTest, AccessorsConvertLosslesslyAndNullReadsAsDefault) {
  const std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  const std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  const RowCase cases[] = {
      {"null", Null(), 0, 0.0, "", true},
      {"int", std::int64_t{42}, 42, 42.0, "42", false},
      {"int max", kMax, kMax, 9223372036854775807.0, "9223372036854775807", false},
      {"int min", kMin, kMin, -9223372036854775808.0, "-9223372036854775808", false},
      {"whole double", 7.0, 7, 7.0, "7", false},
      {"fraction", 2.5, 0, 2.5, "2.5", false},
      {"huge double", 1e300, 0, 1e300, "1e+300", false},
      {"int text", std::string("-17"), -17, -17.0, "-17", false},
      {"real text", std::string("0.25"), 0, 0.25, "0.25", false},
      {"chinese text", std::string("童护"), 0, 0.0, "童护", false},
      {"blob", Blob{std::string("a\0b", 3)}, 0, 0.0, std::string("a\0b", 3), false},
  };
  for (const RowCase& c : cases) {
    SCOPED_TRACE(c.what);
    Row row({c.cell});
    EXPECT_EQ(row.size(), 1u);
    EXPECT_EQ(row.IsNull(0), c.is_null);
    EXPECT_EQ(row.Int(0), c.as_int);
    EXPECT_DOUBLE_EQ(row.Real(0), c.as_real);
    EXPECT_EQ(row.Text(0), c.as_text);
    EXPECT_EQ(row.OptInt(0).has_value(), !c.is_null);
    EXPECT_EQ(row.OptText(0).has_value(), !c.is_null);
    if (!c.is_null) {
      EXPECT_EQ(*row.OptInt(0), c.as_int);
      EXPECT_EQ(*row.OptText(0), c.as_text);
    }
  }
}

TEST(RowTest, OutOfRangeIndexThrowsInsteadOfReadingGarbage) {
  Row row({std::int64_t{1}});
  EXPECT_THROW(row.at(1), std::out_of_range);
}

}  // namespace
}  // namespace th::storage
