#include <gtest/gtest.h>
#include <zip.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <random>

#include "io/xlsx_reader.h"
#include "io/xlsx_writer.h"

namespace th::io {
namespace {

using Rows = std::vector<std::vector<std::string>>;
using Files = std::map<std::string, std::string>;  // part name -> content

// Builds a zip archive in memory with libzip (deflated unless `store`).
std::string MakeZip(const Files& files, bool store = false) {
  // libzip writes nothing for an archive without entries; this is its end-of-directory record.
  if (files.empty()) return std::string("PK\x05\x06", 4) + std::string(18, '\0');
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &err);
  zip_t* za = zip_open_from_source(src, ZIP_TRUNCATE, &err);
  EXPECT_NE(za, nullptr);
  zip_source_keep(src);
  for (const auto& [name, content] : files) {
    zip_source_t* s = zip_source_buffer(za, content.data(), content.size(), 0);
    zip_int64_t idx = zip_file_add(za, name.c_str(), s, ZIP_FL_ENC_UTF_8);
    EXPECT_GE(idx, 0);
    zip_set_file_compression(za, static_cast<zip_uint64_t>(idx), store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0);
  }
  EXPECT_EQ(zip_close(za), 0);
  std::string out;
  zip_source_open(src);
  zip_source_seek(src, 0, SEEK_END);
  out.resize(static_cast<std::size_t>(zip_source_tell(src)));
  zip_source_seek(src, 0, SEEK_SET);
  zip_source_read(src, out.data(), out.size());
  zip_source_close(src);
  zip_source_free(src);
  zip_error_fini(&err);
  return out;
}

// One entry of a zip held in memory, or "<missing>".
std::string ZipEntry(const std::string& bytes, const char* name) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  zip_t* za = zip_open_from_source(src, ZIP_RDONLY, &err);
  std::string out = "<missing>";
  if (za) {
    if (zip_file_t* f = zip_fopen(za, name, 0)) {
      out.clear();
      char buf[4096];
      zip_int64_t n;
      while ((n = zip_fread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
      zip_fclose(f);
    }
    zip_discard(za);
  } else {
    zip_source_free(src);
  }
  zip_error_fini(&err);
  return out;
}

constexpr const char* kMainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr const char* kRelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

std::string SheetXml(const std::string& sheet_data) {
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"") + kMainNs +
         "\" xmlns:r=\"" + kRelNs + "\"><dimension ref=\"A1\"/><sheetData>" + sheet_data +
         "</sheetData><pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" "
         "footer=\"0.3\"/></worksheet>";
}

// A workbook as Excel lays it out, with a custom prefix on the workbook's relationship
// attribute and sheet parts named out of order, so lookups must go through the rels.
Files Workbook(const std::string& sheet1, const std::string& sheet2 = "", const std::string& sst = "",
               const std::string& styles = "", bool date1904 = false) {
  Files f;
  f["[Content_Types].xml"] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
      "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";
  f["_rels/.rels"] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships "
      "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
      "Target=\"xl/workbook.xml\"/></Relationships>";
  std::string sheets = "<sheet name=\"名单\" sheetId=\"1\" rel:id=\"rId7\"/>";
  if (!sheet2.empty()) sheets += "<sheet name=\"第二页\" sheetId=\"2\" rel:id=\"rId8\"/>";
  f["xl/workbook.xml"] = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"") + kMainNs +
                         "\" xmlns:rel=\"" + kRelNs + "\">" +
                         (date1904 ? "<workbookPr date1904=\"1\"/>" : "<workbookPr/>") + "<sheets>" + sheets +
                         "</sheets></workbook>";
  std::string rels =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships "
      "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId7\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
      "Target=\"worksheets/sheet2.xml\"/>"
      "<Relationship Id=\"rId8\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
      "Target=\"/xl/worksheets/sheet1.xml\"/>"
      "<Relationship Id=\"rId3\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "
      "Target=\"sharedStrings.xml\"/>"
      "<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
      "Target=\"styles.xml\"/>"
      "</Relationships>";
  f["xl/_rels/workbook.xml.rels"] = rels;
  f["xl/worksheets/sheet2.xml"] = sheet1;  // tab 1 lives in sheet2.xml, see rels
  if (!sheet2.empty()) f["xl/worksheets/sheet1.xml"] = sheet2;
  if (!sst.empty()) {
    f["xl/sharedStrings.xml"] = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"") + kMainNs +
                                "\" count=\"99\" uniqueCount=\"999999999\">" + sst + "</sst>";
  }
  if (!styles.empty()) {
    f["xl/styles.xml"] =
        std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet xmlns=\"") + kMainNs + "\">" + styles +
        "</styleSheet>";
  }
  return f;
}

// Styles for the fixtures: s=0 General, s=1 built-in 14 (date), s=2 custom 164 (年月日),
// s=3 built-in 22 (date-time), s=4 built-in 20 (time), s=5 custom 165 "0.00".
// cellStyleXfs come first with a date format to check that only cellXfs count.
const char* kStyles =
    "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"0.00\"/></numFmts>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"6\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/>"
    "<xf numFmtId=\"164\"/><xf numFmtId=\"22\"/><xf numFmtId=\"20\"/><xf numFmtId=\"165\"/></cellXfs>";

TEST(XlsxRoundTripTest, WriterOutputReadsBackAsText) {
  const std::vector<std::string> header = {"姓名", "身份证号", "电话", "邮编", "备注"};
  const Rows rows = {
      {"张小明", "110101200001011234", "13800138000", "010020", "留守儿童，父母在深圳务工"},
      {"李\"华\"", "44030420101231002X", "", "", ""},
      {"", "", "", "", ""},  // an all-empty row is skipped like a blank CSV line
      {"王 芳 ", "", "0755-12345678", "", "多行\n备注 & <标签>"},
      {"Ünïcödé 😀", "000123", "1e5", "TRUE", "_x0041_ stays literal"},
  };
  for (bool constant_memory : {false, true}) {
    SCOPED_TRACE(constant_memory ? "constant_memory" : "in memory");
    XlsxWriteOptions opt;
    opt.sheet_name = "儿童名单";
    opt.constant_memory = constant_memory;
    auto bytes = WriteXlsx(header, rows, opt);
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    EXPECT_EQ(SniffSpreadsheet(*bytes), SpreadsheetFormat::kXlsx);

    auto info = ReadXlsxWorkbookInfo(*bytes);
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    ASSERT_EQ(info->sheets.size(), 1u);
    EXPECT_EQ(info->sheets[0].name, "儿童名单");
    EXPECT_FALSE(info->date1904);

    auto table = ParseXlsx(*bytes);
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    EXPECT_EQ(table->header, header);
    const Rows want = {rows[0], rows[1], rows[3], rows[4]};
    EXPECT_EQ(table->rows, want);
    EXPECT_EQ(table->row_lines, (std::vector<std::int64_t>{2, 3, 5, 6}));
    EXPECT_TRUE(table->ragged.empty());
    EXPECT_EQ(table->ColumnIndex("身份证号"), 1);

    // The sheet is named explicitly too.
    XlsxOptions ropt;
    ropt.sheet = "儿童名单";
    auto named = ParseXlsx(*bytes, ropt);
    ASSERT_TRUE(named.ok()) << named.status().ToString();
    EXPECT_EQ(named->rows, want);
  }
}

TEST(XlsxWriterTest, FormulaLookingCellsAreDefused) {
  const std::vector<std::string> header = {"=cmd|' /C calc'!A0", "备注"};
  const Rows rows = {{"-2+3+cmd|' /C calc'!A0", "@SUM(1)"}, {"+1", "正常"}, {"\t=1", "-5"}};
  for (bool constant_memory : {false, true}) {
    XlsxWriteOptions opt;
    opt.constant_memory = constant_memory;
    auto bytes = WriteXlsx(header, rows, opt);
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    auto table = ParseXlsx(*bytes);
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    EXPECT_EQ(table->header, (std::vector<std::string>{"'=cmd|' /C calc'!A0", "备注"}));
    const Rows want = {{"'-2+3+cmd|' /C calc'!A0", "'@SUM(1)"}, {"'+1", "正常"}, {"'\t=1", "'-5"}};
    EXPECT_EQ(table->rows, want);
  }
}

TEST(XlsxRoundTripTest, ControlCharactersAndInvalidUtf8) {
  const std::vector<std::string> header = {"a"};
  const Rows rows = {{"tab\there"}, {"bell\x07!"}, {"bad \xFF byte"}, {"_x005F_ and _xD83D_"}, {"\x01\x1F"}};
  for (bool constant_memory : {false, true}) {
    XlsxWriteOptions opt;
    opt.constant_memory = constant_memory;
    auto bytes = WriteXlsx(header, rows, opt);
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    auto table = ParseXlsx(*bytes);
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    const Rows want = {{"tab\there"}, {"bell\x07!"}, {"bad \xEF\xBF\xBD byte"}, {"_x005F_ and _xD83D_"}, {"\x01\x1F"}};
    EXPECT_EQ(table->rows, want) << constant_memory;
  }
}

TEST(XlsxWriterTest, LayoutAndMetadata) {
  XlsxWriteOptions opt;
  opt.sheet_name = "导出";
  opt.title = "困境儿童名单";
  opt.column_widths = {0, 30};  // 0: measured
  auto bytes = WriteXlsx({"姓名", "身份证号", "x"}, {{"张三", "1", "y"}, {"李四"}, {"王五", "", "", "extra"}}, opt);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  std::string sheet = ZipEntry(*bytes, "xl/worksheets/sheet1.xml");
  EXPECT_NE(sheet.find("ySplit=\"1\""), std::string::npos) << sheet;       // frozen header
  EXPECT_NE(sheet.find("<autoFilter ref=\"A1:C4\"/>"), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("width=\"30.7109375\""), std::string::npos) << sheet;  // explicit width
  EXPECT_NE(sheet.find("width=\"8.7109375\""), std::string::npos) << sheet;   // "姓名": min width 8
  std::string styles = ZipEntry(*bytes, "xl/styles.xml");
  EXPECT_NE(styles.find("<b/>"), std::string::npos);
  EXPECT_NE(styles.find("numFmtId=\"49\""), std::string::npos) << styles;  // built-in "@"
  std::string core = ZipEntry(*bytes, "docProps/core.xml");
  EXPECT_NE(core.find("<dc:title>困境儿童名单</dc:title>"), std::string::npos) << core;
  EXPECT_NE(core.find("<dc:creator>童护</dc:creator>"), std::string::npos) << core;

  // The longer row is kept and reported as ragged by the reader.
  auto table = ParseXlsx(*bytes);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_EQ(table->ragged.size(), 1u);
  EXPECT_EQ(table->ragged[0].line, 4);
  EXPECT_EQ(table->ragged[0].fields, 4u);
  EXPECT_EQ(table->rows[2], (std::vector<std::string>{"王五", "", ""}));
}

TEST(XlsxWriterTest, Errors) {
  struct Case {
    const char* name;
    std::vector<std::string> header;
    Rows rows;
    std::string sheet;
    const char* code;
  };
  const Case cases[] = {
      {"slash in sheet name", {"a"}, {}, "a/b", "xlsx_bad_sheet_name"},
      {"long sheet name", {"a"}, {}, std::string(32, 'x'), "xlsx_bad_sheet_name"},
      {"empty sheet name", {"a"}, {}, "", "xlsx_bad_sheet_name"},
      {"cell too long", {"a"}, {{std::string(32768, 'x')}}, "Sheet1", "xlsx_cell_too_long"},
      {"too many columns", std::vector<std::string>(16385, "h"), {}, "Sheet1", "xlsx_too_many_columns"},
  };
  for (const auto& c : cases) {
    XlsxWriteOptions opt;
    opt.sheet_name = c.sheet;
    auto r = WriteXlsx(c.header, c.rows, opt);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.status().error_code(), c.code) << c.name;
    EXPECT_FALSE(r.status().message_zh().empty());
  }
  // 32767 characters (not bytes) is allowed: 32767 Han characters are 98301 bytes.
  std::string han;
  for (int i = 0; i < 32767; ++i) han += "童";
  auto ok = WriteXlsx({"a"}, {{han}});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  auto back = ParseXlsx(*ok);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->rows[0][0], han);
}

TEST(XlsxWriterTest, WritesFile) {
  char dir[] = "/tmp/xlsx_test_XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string path = std::string(dir) + "/out.xlsx";
  ASSERT_TRUE(WriteXlsxFile(path, {"编号"}, {{"007"}}).ok());
  auto table = ReadXlsxFile(path);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->rows, (Rows{{"007"}}));
  std::remove(path.c_str());
  rmdir(dir);
}

TEST(XlsxReaderTest, HandBuiltWorkbook) {
  const std::string sst =
      "<si><t>姓名</t></si>"
      "<si><t>出生日期</t></si>"
      "<si><r><rPr><b/></rPr><t>身份</t></r><r><t xml:space=\"preserve\">证号 </t></r></si>"  // rich text
      "<si><t>张三</t><rPh sb=\"0\" eb=\"1\"><t>ZHANG</t></rPh></si>"                          // phonetic dropped
      "<si><t>tab_x0009_x</t></si>"
      "<si><t/></si>";
  const std::string sheet1 = SheetXml(
      // header: A1 shared, B1 shared, C1 rich shared, D1 inline rich, E1 number header
      "<row r=\"1\" spans=\"1:5\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
      "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"inlineStr\"><is><r><t>备</t></r><r><t>注</t></r></is></c>"
      "<c r=\"E1\"><v>2024</v></c><c r=\"F1\" s=\"1\"/></row>"
      // sparse: B missing; an ID number typed as a number; a formula with a cached value
      "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>3</v></c><c r=\"C2\"><v>1.10101200001011E+17</v></c>"
      "<c r=\"D2\" t=\"str\"><f>A2&amp;\"!\"</f><v>张三!</v></c><c r=\"E2\" s=\"5\"><v>12.0</v></c></row>"
      // gap: rows 3-4 absent; cells without r follow the previous one
      "<row r=\"5\"><c t=\"inlineStr\"><is><t>李四</t></is></c><c s=\"1\"><v>36526</v></c>"
      "<c t=\"b\"><v>1</v></c><c t=\"e\"><v>#N/A</v></c><c><v>0.5</v></c></row>"
      // only formatting, no values: skipped
      "<row r=\"6\"><c r=\"A6\" s=\"1\"/><c r=\"B6\" t=\"s\"><v>5</v></c></row>"
      // row without r follows row 6; dates in every format kind; lowercase ref
      "<row><c r=\"a7\" t=\"s\"><v>4</v></c><c r=\"B7\" s=\"2\"><v>44197</v></c><c r=\"C7\" s=\"3\"><v>45000.5</v></c>"
      "<c r=\"D7\" s=\"4\"><v>0.75</v></c><c r=\"E7\" t=\"d\"><v>2021-03-04T00:00:00</v></c></row>");
  const std::string sheet2 = SheetXml("<row r=\"3\"><c r=\"C3\" t=\"inlineStr\"><is><t>只有一列</t></is></c></row>"
                                      "<row r=\"4\"><c r=\"C4\"><v>-3</v></c></row>");
  const std::string bytes = MakeZip(Workbook(sheet1, sheet2, sst, kStyles));

  auto info = ReadXlsxWorkbookInfo(bytes);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  ASSERT_EQ(info->sheets.size(), 2u);
  EXPECT_EQ(info->sheets[0].name, "名单");
  EXPECT_EQ(info->sheets[1].name, "第二页");

  auto t = ParseXlsx(bytes);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->header, (std::vector<std::string>{"姓名", "出生日期", "身份证号", "备注", "2024"}));
  const Rows want = {
      {"张三", "", "1.10101200001011E+17", "张三!", "12"},
      {"李四", "2000-01-01", "TRUE", "#N/A", "0.5"},
      {"tab\tx", "2021-01-01", "2023-03-15 12:00:00", "18:00:00", "2021-03-04"},
  };
  EXPECT_EQ(t->rows, want);
  EXPECT_EQ(t->row_lines, (std::vector<std::int64_t>{2, 5, 7}));

  XlsxOptions second;
  second.sheet = "第二页";
  auto t2 = ParseXlsx(bytes, second);
  ASSERT_TRUE(t2.ok()) << t2.status().ToString();
  EXPECT_EQ(t2->header, (std::vector<std::string>{"", "", "只有一列"}));
  EXPECT_EQ(t2->rows, (Rows{{"", "", "-3"}}));
  EXPECT_EQ(t2->row_lines, (std::vector<std::int64_t>{4}));

  // The same bytes arrive through the format-sniffing entry point.
  auto via = ParseSpreadsheet(bytes);
  ASSERT_TRUE(via.ok());
  EXPECT_EQ(via->rows, want);
}

// Serial numbers through date formats, both date systems.
TEST(XlsxReaderTest, DateSerials) {
  struct Case {
    const char* serial;
    int style;
    bool date1904;
    const char* want;
  };
  const Case cases[] = {
      {"1", 1, false, "1900-01-01"},
      {"59", 1, false, "1900-02-28"},
      {"60", 1, false, "1900-02-29"},  // Excel's fictitious leap day
      {"61", 1, false, "1900-03-01"},
      {"0", 1, false, "1900-01-00"},
      {"36526", 1, false, "2000-01-01"},
      {"42063", 2, false, "2015-02-28"},
      {"43890", 1, false, "2020-02-29"},
      {"44197.99999999", 1, false, "2021-01-02"},  // rounds to the next midnight
      {"2958465", 1, false, "9999-12-31"},
      {"2958466", 1, false, "2958466"},  // past 9999: shown as the number
      {"-1", 1, false, "-1"},
      {"0", 1, true, "1904-01-01"},
      {"42735", 1, true, "2021-01-01"},
      {"42735.25", 3, true, "2021-01-01 06:00:00"},
      {"0.5", 4, false, "12:00:00"},
      {"44197", 0, false, "44197"},  // General: a number
      {"44197", 5, false, "44197"},  // "0.00": a number
      {"abc", 1, false, "abc"},      // not a number at all: kept
  };
  for (const auto& c : cases) {
    std::string sheet = SheetXml("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>d</t></is></c></row>"
                                 "<row r=\"2\"><c r=\"A2\" s=\"" + std::to_string(c.style) + "\"><v>" + c.serial +
                                 "</v></c></row>");
    auto t = ParseXlsx(MakeZip(Workbook(sheet, "", "", kStyles, c.date1904)));
    ASSERT_TRUE(t.ok()) << c.serial << ": " << t.status().ToString();
    ASSERT_EQ(t->rows.size(), 1u) << c.serial;
    EXPECT_EQ(t->rows[0][0], c.want) << c.serial << " style " << c.style << (c.date1904 ? " 1904" : "");
  }
}

// Numbers in General cells: integers without ".0"; anything a double cannot hold exactly is
// returned as stored, so a long ID typed as a number is never silently "rounded" into a
// plausible-looking wrong ID.
TEST(XlsxReaderTest, NumberText) {
  struct Case {
    const char* stored;
    const char* want;
  };
  const Case cases[] = {
      {"12", "12"},
      {"12.0", "12"},
      {"1E3", "1000"},
      {"-0", "0"},
      {"-42", "-42"},
      {"0.1", "0.1"},
      {"0.30000000000000004", "0.30000000000000004"},
      {"9007199254740991", "9007199254740991"},
      {"9007199254740993", "9007199254740993"},       // past 2^53: digits as stored
      {"110101200001011234", "110101200001011234"},   // a writer that kept every digit
      {"1.10101200001011E+17", "1.10101200001011E+17"},  // Excel: the last digits are gone
      {"NaN?", "NaN?"},
  };
  for (const auto& c : cases) {
    std::string sheet = SheetXml("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>n</t></is></c></row>"
                                 "<row r=\"2\"><c r=\"A2\"><v>" + std::string(c.stored) + "</v></c></row>");
    auto t = ParseXlsx(MakeZip(Workbook(sheet)));
    ASSERT_TRUE(t.ok()) << c.stored << ": " << t.status().ToString();
    EXPECT_EQ(t->rows.at(0).at(0), c.want) << c.stored;
  }
}

// Custom number formats decide date / date-time / time / number.
TEST(XlsxReaderTest, CustomFormatDetection) {
  struct Case {
    const char* format;  // as in the XML attribute (already escaped)
    const char* want;    // for serial 44197.25
  };
  const Case cases[] = {
      {"yyyy/m/d", "2021-01-01"},
      {"yyyy-mm-dd", "2021-01-01"},
      {"d-mmm-yy", "2021-01-01"},
      {"mmm", "2021-01-01"},
      {"[$-804]yyyy&quot;年&quot;m&quot;月&quot;", "2021-01-01"},
      {"[DBNum1][$-804]yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;", "2021-01-01"},
      {"yyyy-mm-dd hh:mm:ss", "2021-01-01 06:00:00"},
      {"h:mm", "06:00:00"},
      {"mm:ss", "06:00:00"},
      {"[h]:mm", "06:00:00"},
      {"0.00", "44197.25"},
      {"#,##0", "44197.25"},
      {"[Red]0.00", "44197.25"},
      {"&quot;day&quot;0", "44197.25"},  // quoted text is not a date token
      {"\\d0", "44197.25"},             // neither is an escaped one
      {"0;[Red]-yyyy", "44197.25"},     // only the first section counts
      {"@", "44197.25"},
      {"General", "44197.25"},
  };
  for (const auto& c : cases) {
    std::string styles = std::string("<numFmts count=\"1\"><numFmt numFmtId=\"170\" formatCode=\"") + c.format +
                         "\"/></numFmts><cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"170\"/></cellXfs>";
    std::string sheet = SheetXml("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>d</t></is></c></row>"
                                 "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>44197.25</v></c></row>");
    auto t = ParseXlsx(MakeZip(Workbook(sheet, "", "", styles)));
    ASSERT_TRUE(t.ok()) << c.format << ": " << t.status().ToString();
    EXPECT_EQ(t->rows.at(0).at(0), c.want) << c.format;
  }
}

TEST(XlsxReaderTest, RaggedRows) {
  std::string sheet = SheetXml(
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>b</t></is></c>"
      "<c r=\"C1\" t=\"inlineStr\"><is><t> </t></is></c></row>"  // blank trailing header cell is dropped
      "<row r=\"2\"><c r=\"A2\"><v>1</v></c></row>"
      "<row r=\"3\"><c r=\"A3\"><v>1</v></c><c r=\"XFD3\"><v>9</v></c></row>"
      "<row r=\"4\"><c r=\"D4\"><v>4</v></c></row>");
  std::string bytes = MakeZip(Workbook(sheet));
  auto t = ParseXlsx(bytes);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->header, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(t->rows, (Rows{{"1", ""}, {"1", ""}, {"", ""}}));
  ASSERT_EQ(t->ragged.size(), 2u);
  EXPECT_EQ(t->ragged[0].line, 3);
  EXPECT_EQ(t->ragged[0].fields, 16384u);
  EXPECT_EQ(t->ragged[1].line, 4);
  EXPECT_EQ(t->ragged[1].fields, 4u);

  XlsxOptions strict;
  strict.allow_ragged = false;
  auto r = ParseXlsx(bytes, strict);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().error_code(), "xlsx_ragged_row");
  EXPECT_NE(r.status().message_en().find("row 3"), std::string::npos) << r.status().message_en();
}

std::string Ole2Header() {
  std::string s("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  s.resize(4096, '\0');
  return s;
}

TEST(XlsxReaderTest, BrokenInputsAreErrors) {
  const std::string good_sheet = SheetXml("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
  const std::string good = MakeZip(Workbook(good_sheet));
  std::mt19937 rng(42);
  std::string random(2000, '\0');
  for (auto& c : random) c = static_cast<char>(rng());
  Files no_workbook = Workbook(good_sheet);
  no_workbook.erase("xl/workbook.xml");
  Files no_sheet_part = Workbook(good_sheet);
  no_sheet_part.erase("xl/worksheets/sheet2.xml");
  Files no_sheets = Workbook(good_sheet);
  no_sheets["xl/workbook.xml"] = std::string("<workbook xmlns=\"") + kMainNs + "\"><sheets/></workbook>";
  Files bad_workbook = Workbook(good_sheet);
  bad_workbook["xl/workbook.xml"] = "<workbook><sheets><sheet name=\"a\"</sheets>";

  struct Case {
    const char* name;
    std::string bytes;
    const char* code;
    XlsxOptions options = {};
    const char* field = "file";
  };
  XlsxOptions missing_sheet;
  missing_sheet.sheet = "不存在";
  const Case cases[] = {
      {"empty", "", "xlsx_not_zip"},
      {"random bytes", random, "xlsx_not_zip"},
      {"csv text", "姓名,身份证号\n", "xlsx_not_zip"},
      {"OLE2 header", Ole2Header(), "xlsx_encrypted"},
      {"truncated zip", good.substr(0, good.size() / 2), "xlsx_corrupt"},
      {"zip header only", good.substr(0, 30), "xlsx_corrupt"},
      {"empty zip", MakeZip({}), "xlsx_no_workbook"},
      {"zip without workbook", MakeZip(no_workbook), "xlsx_no_workbook"},
      {"workbook without sheets", MakeZip(no_sheets), "xlsx_no_sheets"},
      {"sheet part missing", MakeZip(no_sheet_part), "xlsx_corrupt"},
      {"malformed workbook xml", MakeZip(bad_workbook), "xlsx_bad_xml"},
      {"malformed sheet xml", MakeZip(Workbook(SheetXml("<row r=\"1\"><c r=\"A1\"><v>1</c></row>"))),
       "xlsx_bad_xml"},
      {"sheet xml cut off", MakeZip(Workbook(good_sheet.substr(0, good_sheet.size() - 20))), "xlsx_bad_xml"},
      {"not xml at all", MakeZip(Workbook("\x01\x02 binary")), "xlsx_bad_xml"},
      {"doctype with entities",
       MakeZip(Workbook("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
                        "\"&a;&a;&a;&a;&a;&a;&a;&a;\">]><worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&b;"
                        "</t></is></c></row></sheetData></worksheet>")),
       "xlsx_bad_xml"},
      {"shared string out of range",
       MakeZip(Workbook(SheetXml("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>3</v></c></row>"), "", "<si><t>x</t></si>")),
       "xlsx_bad_shared_string"},
      {"shared string without table", MakeZip(Workbook(SheetXml("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"))),
       "xlsx_bad_shared_string"},
      {"bad cell ref", MakeZip(Workbook(SheetXml("<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>"))), "xlsx_bad_cell_ref"},
      {"row 0", MakeZip(Workbook(SheetXml("<row r=\"0\"><c><v>1</v></c></row>"))), "xlsx_bad_cell_ref"},
      {"column past XFD", MakeZip(Workbook(SheetXml("<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>"))),
       "xlsx_bad_cell_ref"},
      {"row past 1048576", MakeZip(Workbook(SheetXml("<row r=\"1048577\"><c><v>1</v></c></row>"))),
       "xlsx_bad_cell_ref"},
      {"empty sheet", MakeZip(Workbook(SheetXml(""))), "xlsx_empty"},
      {"unknown sheet", good, "xlsx_sheet_not_found", missing_sheet, "sheet"},
  };
  for (const auto& c : cases) {
    auto r = ParseXlsx(c.bytes, c.options);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.status().error_code(), c.code) << c.name << ": " << r.status().ToString();
    EXPECT_EQ(r.status().field(), c.field) << c.name;
    EXPECT_FALSE(r.status().message_zh().empty()) << c.name;
    EXPECT_NE(r.status().message_zh(), r.status().message_en()) << c.name;
  }
  auto ole = ParseSpreadsheet(Ole2Header());
  ASSERT_FALSE(ole.ok());
  EXPECT_EQ(ole.status().error_code(), "xlsx_encrypted");
  EXPECT_EQ(ole.status().message_zh().rfind("文件已加密或为旧版xls格式", 0), 0u) << ole.status().message_zh();
}

TEST(XlsxReaderTest, MalformedXmlNamesPartAndLine) {
  auto r = ParseXlsx(MakeZip(Workbook("<worksheet>\n<sheetData>\n<row>\n</sheetData>")));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message_en().find("xl/worksheets/sheet2.xml line 4"), std::string::npos)
      << r.status().message_en();
}

// Every prefix and many random corruptions of a valid file: errors, never a crash.
TEST(XlsxReaderTest, MutationsNeverCrash) {
  auto good = WriteXlsx({"姓名", "身份证号"}, {{"张三", "110101200001011234"}, {"李四", "x"}});
  ASSERT_TRUE(good.ok());
  const std::string stored = MakeZip(Workbook(SheetXml("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"), "",
                                              "<si><t>名字</t></si>", kStyles),
                                     /*store=*/true);
  int ok = 0;
  for (const std::string* base : std::vector<const std::string*>{&*good, &stored}) {
    for (std::size_t n = 0; n < base->size(); n += 7) ok += ParseXlsx(base->substr(0, n)).ok();
    std::mt19937 rng(7);
    for (int i = 0; i < 2000; ++i) {
      std::string m = *base;
      for (int k = 0; k < 1 + static_cast<int>(rng() % 4); ++k) m[rng() % m.size()] = static_cast<char>(rng());
      ok += ParseXlsx(m).ok();  // a flip inside stored text can still be a valid file
    }
  }
  EXPECT_LT(ok, 4000);
}

TEST(XlsxReaderTest, ZipBombAndSizeCaps) {
  // 8 MB of whitespace inside sheetData deflates to a few KB.
  std::string sheet = SheetXml("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>" + std::string(8 << 20, ' '));
  std::string bomb = MakeZip(Workbook(sheet));
  EXPECT_LT(bomb.size(), 64u << 10);
  XlsxOptions small;
  small.max_uncompressed_bytes = 1 << 20;
  auto r = ParseXlsx(bomb, small);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().error_code(), "xlsx_too_large");
  EXPECT_EQ(r.status().code(), Code::kPayloadTooLarge);
  EXPECT_TRUE(ParseXlsx(bomb).ok());  // the default 200 MB cap admits it

  // Declared sizes patched down to 100 bytes in both headers: the lie must not get past the
  // byte count taken while decompressing.
  std::string liar = bomb;
  const std::string name = "xl/worksheets/sheet2.xml";
  for (std::size_t at = 0; (at = liar.find("PK", at)) != std::string::npos; ++at) {
    auto put32 = [&](std::size_t off) {
      if (off + 4 <= liar.size()) std::memcpy(&liar[off], "\x64\x00\x00\x00", 4);
    };
    if (liar.compare(at, 4, "PK\x01\x02") == 0 && liar.compare(at + 46, name.size(), name) == 0) put32(at + 24);
    if (liar.compare(at, 4, "PK\x03\x04") == 0 && liar.compare(at + 30, name.size(), name) == 0) put32(at + 22);
  }
  ASSERT_NE(liar, bomb);
  auto lied = ParseXlsx(liar, small);
  ASSERT_FALSE(lied.ok());

  EXPECT_TRUE(lied.status().error_code() == "xlsx_too_large" || lied.status().error_code() == "xlsx_corrupt")
      << lied.status().ToString();

  // Row and cell caps.
  std::string many;
  for (int i = 1; i <= 50; ++i) many += "<row r=\"" + std::to_string(i) + "\"><c><v>1</v></c><c><v>2</v></c></row>";
  std::string rows_bytes = MakeZip(Workbook(SheetXml(many)));
  XlsxOptions few_rows;
  few_rows.max_rows = 10;
  auto rr = ParseXlsx(rows_bytes, few_rows);
  ASSERT_FALSE(rr.ok());
  EXPECT_EQ(rr.status().error_code(), "xlsx_too_many_rows");
  XlsxOptions few_cells;
  few_cells.max_cells = 60;
  auto rc = ParseXlsx(rows_bytes, few_cells);
  ASSERT_FALSE(rc.ok());
  EXPECT_EQ(rc.status().error_code(), "xlsx_too_many_cells");
  few_rows.max_rows = 50;
  EXPECT_TRUE(ParseXlsx(rows_bytes, few_rows).ok());
}

TEST(XlsxReaderTest, HiddenAndChartSheetsAreNotTheDefault) {
  Files f = Workbook(SheetXml("<row r=\"1\"><c t=\"inlineStr\"><is><t>hidden</t></is></c></row>"),
                     SheetXml("<row r=\"1\"><c t=\"inlineStr\"><is><t>visible</t></is></c></row>"));
  std::string& wb = f["xl/workbook.xml"];
  wb.replace(wb.find("sheetId=\"1\""), 11, "sheetId=\"1\" state=\"hidden\"");
  auto t = ParseXlsx(MakeZip(f));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->header, (std::vector<std::string>{"visible"}));
  auto info = ReadXlsxWorkbookInfo(MakeZip(f));
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(info->sheets[0].hidden);
  EXPECT_FALSE(info->sheets[1].hidden);
}

TEST(SpreadsheetTest, SniffAndDispatch) {
  EXPECT_EQ(SniffSpreadsheet("a,b\n"), SpreadsheetFormat::kCsv);
  EXPECT_EQ(SniffSpreadsheet(""), SpreadsheetFormat::kCsv);
  EXPECT_EQ(SniffSpreadsheet(Ole2Header()), SpreadsheetFormat::kOle2);
  EXPECT_EQ(SniffSpreadsheet(std::string("PK\x03\x04", 4)), SpreadsheetFormat::kXlsx);
  auto csv = ParseSpreadsheet("姓名,编号\n张三,007\n");
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(csv->rows, (Rows{{"张三", "007"}}));
  EXPECT_EQ(csv->row_lines, (std::vector<std::int64_t>{2}));
  auto xlsx = WriteXlsx({"姓名", "编号"}, {{"张三", "007"}});
  ASSERT_TRUE(xlsx.ok());
  auto t = ParseSpreadsheet(*xlsx);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->rows, csv->rows);
  EXPECT_EQ(t->row_lines, csv->row_lines);
  EXPECT_EQ(t->header, csv->header);
}

}  // namespace
}  // namespace th::io

namespace th::io {
namespace {

// The review's file: cells A1 and XFD1, then 1,200 one-cell rows. Read with the generic
// defaults it becomes 1,200 x 16,384 strings (600+ MB); upload limits refuse it at the header.
std::string WideSparseXlsx(int rows) {
  std::string data = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>姓名</t></is></c>"
                     "<c r=\"XFD1\" t=\"inlineStr\"><is><t>x</t></is></c></row>";
  for (int i = 2; i <= rows + 1; ++i) data += "<row r=\"" + std::to_string(i) + "\"><c><v>1</v></c></row>";
  return MakeZip(Workbook(SheetXml(data)));
}

TEST(XlsxUploadLimitsTest, WideSparseSheetIsRefusedAtTheHeader) {
  XlsxOptions o;
  o.max_columns = 256;
  auto t = ParseXlsx(WideSparseXlsx(1200), o);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().error_code(), "xlsx_too_many_columns");
  EXPECT_EQ(t.status().code(), Code::kPayloadTooLarge);
  EXPECT_NE(t.status().message_zh().find("256列"), std::string::npos) << t.status().message_zh();
}

TEST(XlsxUploadLimitsTest, MemoryBudgetCountsPaddingOfSparseRows) {
  // 200 header columns, then one-cell rows: small file, each row padded to 200 strings.
  std::string data = "<row r=\"1\">";
  for (int c = 0; c < 200; ++c) data += "<c t=\"inlineStr\"><is><t>h" + std::to_string(c) + "</t></is></c>";
  data += "</row>";
  for (int i = 2; i <= 3001; ++i) data += "<row r=\"" + std::to_string(i) + "\"><c><v>1</v></c></row>";
  std::string bytes = MakeZip(Workbook(SheetXml(data)));
  XlsxOptions o;
  o.max_memory_bytes = 8ull << 20;  // 3,000 rows x 200 x 32 B = 19 MB padded
  auto t = ParseXlsx(bytes, o);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().error_code(), "xlsx_too_large_in_memory");
  o.max_memory_bytes = 64ull << 20;
  EXPECT_TRUE(ParseXlsx(bytes, o).ok());
}

TEST(XlsxUploadLimitsTest, SharedStringsAndCellsAreCapped) {
  std::string sst;  // Workbook() wraps it in <sst>
  for (int i = 0; i < 20000; ++i) sst += "<si><t>" + std::string(40, 'a') + std::to_string(i) + "</t></si>";
  std::string bytes = MakeZip(Workbook(SheetXml("<row r=\"1\"><c t=\"s\"><v>0</v></c></row>"), "", sst));
  XlsxOptions o;
  o.max_memory_bytes = 1ull << 20;  // 20,000 x ~80 B
  auto t = ParseXlsx(bytes, o);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().error_code(), "xlsx_too_large_in_memory");

  std::string big = "<row r=\"1\"><c t=\"inlineStr\"><is><t>" + std::string(10000, 'x') + "</t></is></c></row>";
  XlsxOptions cell;
  cell.max_cell_bytes = 8192;
  auto c = ParseXlsx(MakeZip(Workbook(SheetXml(big))), cell);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().error_code(), "xlsx_cell_too_long");
}

}  // namespace
}  // namespace th::io
