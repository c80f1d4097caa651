#include "io/csv.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "text/charset.h"

namespace th::io {
namespace {

using Rows = std::vector<std::vector<std::string>>;

Result<Rows> ReadAll(std::string_view text, CsvOptions opt = {}) {
  CsvReader r(text, opt);
  Rows rows;
  std::vector<std::string> f;
  for (;;) {
    TH_ASSIGN_OR_RETURN(bool more, r.Next(&f));
    if (!more) break;
    rows.push_back(f);
  }
  return rows;
}

TEST(CsvReaderTest, ParsesRfc4180) {
  struct Case { std::string in; Rows want; };
  const Case cases[] = {
      {"a,b,c\n1,2,3\n", {{"a", "b", "c"}, {"1", "2", "3"}}},
      {"a,b\r\n1,2\r\n", {{"a", "b"}, {"1", "2"}}},
      {"a,b\r1,2", {{"a", "b"}, {"1", "2"}}},
      {"\"x,y\",z\n", {{"x,y", "z"}}},
      {"\"he said \"\"hi\"\"\",2\n", {{"he said \"hi\"", "2"}}},
      {"\"line1\nline2\",2\n", {{"line1\nline2", "2"}}},
      {"\"line1\r\nline2\",2\r\n", {{"line1\r\nline2", "2"}}},
      {"a,,c\n", {{"a", "", "c"}}},
      {"a,b,\n", {{"a", "b", ""}}},
      {",\n", {{"", ""}}},
      {"\"\",x\n", {{"", "x"}}},
      {"a\n\n\nb\n", {{"a"}, {"b"}}},
      {"张伟,男\n", {{"张伟", "男"}}},
      {"no newline at end", {{"no newline at end"}}},
      {"", {}},
  };
  for (const auto& c : cases) {
    auto r = ReadAll(c.in);
    ASSERT_TRUE(r.ok()) << c.in << ": " << r.status().ToString();
    EXPECT_EQ(*r, c.want) << c.in;
  }
}

TEST(CsvReaderTest, MalformedQuotingNamesTheLine) {
  struct Case { std::string in; const char* code; const char* line; };
  const Case cases[] = {
      {"a,b\n\"open,2\n3,4\n", "csv_unterminated_quote", "line 2"},
      {"a,b\n1,2\n\"x\"y,2\n", "csv_bad_quote", "line 3"},
      {"a,b\n1,ab\"c\n", "csv_bad_quote", "line 2"},
      {"\"multi\nline\",ok\n\"x\"y\n", "csv_bad_quote", "line 3"},
  };
  for (const auto& c : cases) {
    auto r = ReadAll(c.in);
    ASSERT_FALSE(r.ok()) << c.in;
    EXPECT_EQ(r.status().error_code(), c.code) << c.in;
    EXPECT_NE(r.status().message_en().find(c.line), std::string::npos) << r.status().message_en();
  }
  CsvOptions lenient;
  lenient.lenient_quotes = true;
  auto r = ReadAll("1,ab\"c\n", lenient);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0][1], "ab\"c");
}

TEST(CsvReaderTest, RecordLines) {
  CsvReader r("h\n\"a\nb\"\nc\n");
  std::vector<std::string> f;
  std::vector<std::int64_t> lines;
  while (*r.Next(&f)) lines.push_back(r.record_line());
  EXPECT_EQ(lines, (std::vector<std::int64_t>{1, 2, 4}));
}

TEST(ParseCsvTest, RaggedRowsReportedWithLines) {
  auto t = ParseCsv("id,name,sex\n1,张伟,男\n2,李娜\n3,王芳,女,extra\n");
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->rows.size(), 3u);
  for (const auto& row : t->rows) EXPECT_EQ(row.size(), 3u);
  ASSERT_EQ(t->ragged.size(), 2u);
  EXPECT_EQ(t->ragged[0].line, 3);
  EXPECT_EQ(t->ragged[0].fields, 2u);
  EXPECT_EQ(t->ragged[1].line, 4);
  CsvOptions strict;
  strict.allow_ragged = false;
  auto s = ParseCsv("id,name\n1\n", strict);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().error_code(), "csv_ragged_row");
  EXPECT_NE(s.status().message_en().find("line 2"), std::string::npos);
}

TEST(ParseCsvTest, BomAndHeaderTrim) {
  auto t = ParseCsv("\xEF\xBB\xBFid, name \r\n1,张伟\r\n");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->charset, text::Charset::kUtf8Bom);
  EXPECT_EQ(t->header, (std::vector<std::string>{"id", "name"}));
  EXPECT_EQ(t->ColumnIndex("name"), 1);
  EXPECT_EQ(t->ColumnIndex("sex"), -1);
  EXPECT_FALSE(ParseCsv("").ok());
}

// A real GBK fixture: written to disk as GB18030 bytes by ICU, read back through the file API.
TEST(ParseCsvTest, GbkFileFixture) {
  const std::string utf8 =
      "id,name,sex,birth_date,hukou_address\r\n"
      "1,张伟,男,2015年3月7日,\"广东省深圳市龙岗区, 坂田街道\"\r\n"
      "2,欧阳娜娜,女,2016/1/2,\"江苏省仪征市\r\n真州镇\"\r\n"
      "3,單田芳,男,20140101,北京市\r\n";
  auto gbk = text::Utf8ToGb18030(utf8);
  ASSERT_TRUE(gbk.ok());
  ASSERT_NE(*gbk, utf8);
  std::string path = ::testing::TempDir() + "/gbk_fixture.csv";
  ASSERT_TRUE(WriteFileBytes(path, *gbk).ok());
  auto t = ReadCsvFile(path);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->charset, text::Charset::kGb18030);
  ASSERT_EQ(t->rows.size(), 3u);
  EXPECT_EQ(t->rows[0][1], "张伟");
  EXPECT_EQ(t->rows[0][4], "广东省深圳市龙岗区, 坂田街道");
  EXPECT_EQ(t->rows[1][4], "江苏省仪征市\r\n真州镇");
  EXPECT_EQ(t->rows[2][1], "單田芳");
  EXPECT_EQ(t->row_lines, (std::vector<std::int64_t>{2, 3, 5}));
  std::remove(path.c_str());
  EXPECT_EQ(ReadCsvFile(path).status().error_code(), "file_not_found");
}

TEST(CsvWriterTest, QuotesOnlyWhenNeeded) {
  std::string out;
  CsvWriter w(&out, /*utf8_bom=*/true);
  w.WriteRow({"id", "name"});
  w.WriteRow({"1", "a,b"});
  w.WriteRow({"2", "say \"hi\""});
  w.WriteRow({"3", "two\nlines"});
  w.WriteRow({"4", " padded"});
  w.WriteRow({"5", ""});
  EXPECT_EQ(out,
            "\xEF\xBB\xBFid,name\r\n1,\"a,b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"two\nlines\"\r\n4,\" padded\"\r\n5,\r\n");
  // What we write, we read back.
  auto t = ParseCsv(out);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->rows[1][1], "say \"hi\"");
  EXPECT_EQ(t->rows[2][1], "two\nlines");
  EXPECT_EQ(t->rows[3][1], " padded");
}

TEST(CsvReaderTest, UploadCapsColumnsCellsAndMemory) {
  // The review's file: 1,000,000 columns in one line (7.9 MB) is refused at field 257.
  std::string wide;
  for (int i = 0; i < 1000000; ++i) wide += i ? ",x" : "x";
  CsvOptions o;
  o.max_columns = 256;
  auto r = ReadAll(wide, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().error_code(), "csv_too_many_columns");
  EXPECT_EQ(r.status().code(), Code::kPayloadTooLarge);
  EXPECT_NE(r.status().message_zh().find("第1行"), std::string::npos) << r.status().message_zh();
  EXPECT_TRUE(ReadAll(std::string("a,b\n1,2\n"), o).ok());

  CsvOptions cell;
  cell.max_field_bytes = 8192;
  for (const std::string& text : {"a\n" + std::string(9000, 'x') + "\n", "a\n\"" + std::string(9000, 'x') + "\"\n"}) {
    auto c = ReadAll(text, cell);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.status().error_code(), "csv_cell_too_long");
    EXPECT_NE(c.status().message_zh().find("第2行"), std::string::npos);
  }

  // Rows of empty fields are padded strings: the table's memory is what is budgeted.
  std::string header, empty_rows;
  for (int c = 0; c < 200; ++c) header += c ? ",h" + std::to_string(c) : "h0";
  for (int i = 0; i < 3000; ++i) empty_rows += "1\n";
  CsvOptions mem;
  mem.max_memory_bytes = 8ull << 20;
  auto m = ParseCsv(header + "\n" + empty_rows, mem);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().error_code(), "csv_too_large_in_memory");
  mem.max_memory_bytes = 64ull << 20;
  EXPECT_TRUE(ParseCsv(header + "\n" + empty_rows, mem).ok());
}

}  // namespace
}  // namespace th::io
