#include <expat.h>
#include <gtest/gtest.h>
#include <zip.h>

#include <map>
#include <string>

#include "io/docx_writer.h"

namespace th::io {
namespace {

// Every part of the zip `bytes` by name; fails the test when it is no zip.
std::map<std::string, std::string> Unzip(const std::string& bytes) {
  std::map<std::string, std::string> parts;
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  zip_t* za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  EXPECT_NE(za, nullptr) << zip_error_strerror(&err);
  if (za == nullptr) return parts;
  for (zip_int64_t i = 0; i < zip_get_num_entries(za, 0); ++i) {
    zip_stat_t st;
    zip_stat_index(za, static_cast<zip_uint64_t>(i), 0, &st);
    std::string content(st.size, '\0');
    zip_file_t* f = zip_fopen_index(za, static_cast<zip_uint64_t>(i), 0);
    EXPECT_EQ(zip_fread(f, content.data(), st.size), static_cast<zip_int64_t>(st.size));
    zip_fclose(f);
    parts[st.name] = content;
  }
  zip_discard(za);
  return parts;
}

// True when `xml` is well-formed XML.
bool WellFormed(const std::string& xml) {
  XML_Parser p = XML_ParserCreate("UTF-8");
  bool ok = XML_Parse(p, xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_OK;
  XML_ParserFree(p);
  return ok;
}

TEST(DocxWriter, ZipWithContentTypesAndTheText) {
  DocxDocument doc;
  doc.Title("个案会商纪要");
  doc.Heading("一、基本情况");
  doc.Paragraph("会商时间：2026年11月3日 <上午> & \"线上\"");
  doc.Table({{"事项", "责任单位", "期限"}, {"入户核查", "区教育局"}});
  doc.PageBreak();
  DocxParagraphStyle centred;
  centred.bold = true;
  centred.align = DocxAlign::kCenter;
  doc.Paragraph("第一行\n第二行", centred);
  DocxWriteOptions o;
  o.title = "纪要";
  o.page_header = "张三 导出";
  auto bytes = WriteDocx(doc, o);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  ASSERT_EQ(bytes->substr(0, 2), "PK");
  auto parts = Unzip(*bytes);
  ASSERT_TRUE(parts.count("[Content_Types].xml"));
  ASSERT_TRUE(parts.count("word/document.xml"));
  ASSERT_TRUE(parts.count("_rels/.rels"));
  ASSERT_TRUE(parts.count("word/header1.xml"));
  for (const auto& [name, xml] : parts) EXPECT_TRUE(WellFormed(xml)) << name;
  const std::string& d = parts["word/document.xml"];
  EXPECT_NE(d.find("个案会商纪要"), std::string::npos);
  EXPECT_NE(d.find("&lt;上午&gt; &amp; &quot;线上&quot;"), std::string::npos);
  EXPECT_NE(d.find("区教育局"), std::string::npos);
  EXPECT_NE(d.find("第一行</w:t><w:br/><w:t xml:space=\"preserve\">第二行"), std::string::npos);
  EXPECT_NE(d.find("w:headerReference"), std::string::npos);
  EXPECT_NE(parts["[Content_Types].xml"].find("/word/header1.xml"), std::string::npos);
  EXPECT_NE(parts["docProps/core.xml"].find("<dc:title>纪要</dc:title>"), std::string::npos);
  // The short row is padded: 2 rows x 3 cells.
  std::size_t cells = 0;
  for (std::size_t at = d.find("<w:tc>"); at != std::string::npos; at = d.find("<w:tc>", at + 1)) ++cells;
  EXPECT_EQ(cells, 6u);
}

TEST(DocxWriter, NoHeaderPartWithoutPageHeader) {
  DocxDocument doc;
  doc.Paragraph("x");
  auto bytes = WriteDocx(doc);
  ASSERT_TRUE(bytes.ok());
  auto parts = Unzip(*bytes);
  EXPECT_FALSE(parts.count("word/header1.xml"));
  EXPECT_EQ(parts["word/document.xml"].find("headerReference"), std::string::npos);
}

TEST(DocxWriter, RepairsBytesWordWouldReject) {
  // A control character is dropped; an invalid byte becomes U+FFFD; the XML stays well-formed.
  std::string bad = std::string("a\x01") + "b\xff" + "c";
  EXPECT_EQ(DocxEscape(bad), "ab\xEF\xBF\xBD" "c");
  DocxDocument doc;
  doc.Paragraph(bad);
  doc.Table({{bad}});
  DocxWriteOptions o;
  o.title = bad;
  auto parts = Unzip(*WriteDocx(doc, o));
  EXPECT_TRUE(WellFormed(parts["word/document.xml"]));
  EXPECT_TRUE(WellFormed(parts["docProps/core.xml"]));
}

}  // namespace
}  // namespace th::io
