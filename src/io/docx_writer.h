#pragma once
// A small .docx (Office Open XML word-processing) writer for printable documents such as a
// conference's minutes or a 一人一策 plan: a title, headings, paragraphs and simple tables,
// on A4 paper in a 公文-like style (title 小标宋/宋体 22pt centred, headings 黑体, body 仿宋
// 16pt). A .docx is a zip of XML parts; this writes four ([Content_Types].xml, _rels/.rels,
// word/document.xml, docProps/core.xml) with libzip, in memory.
//
// Text is written as given with two repairs so Word always opens the file: invalid UTF-8 bytes
// become U+FFFD and characters XML 1.0 forbids (control characters other than tab and line
// feed) are dropped; "\n" inside a paragraph or cell becomes a line break. No formula or macro
// content exists in a .docx, so no formula guard is needed. Errors: internal (libzip failure).
//
// Usage:
//   io::DocxDocument doc;
//   doc.Title("个案会商纪要");
//   doc.Heading("一、基本情况");
//   doc.Paragraph("会商时间：2026年11月3日");
//   doc.Table({{"事项", "责任单位", "期限"}, {"入户核查", "区教育局", "2026-11-10"}});
//   TH_ASSIGN_OR_RETURN(std::string bytes, io::WriteDocx(doc, {.title = "个案会商纪要"}));
#include <string>
#include <vector>

#include "base/status.h"

namespace th::io {

enum class DocxAlign { kLeft, kCenter, kRight, kJustify };

struct DocxParagraphStyle {
  bool bold = false;
  DocxAlign align = DocxAlign::kJustify;
  bool indent_first_line = true;  // two characters, as 公文 body text
};

class DocxDocument {
 public:
  // The document title: centred, large, once at the top (may be called again for a subtitle).
  void Title(const std::string& text);
  // A heading, level 1 (黑体 16pt) or 2 (楷体 16pt, bold).
  void Heading(const std::string& text, int level = 1);
  void Paragraph(const std::string& text, DocxParagraphStyle style = {});
  // A table with borders; the first row is the header (bold, shaded) when header_row.
  // Rows may have different lengths; short rows are padded with empty cells.
  void Table(const std::vector<std::vector<std::string>>& rows, bool header_row = true);
  // A page break.
  void PageBreak();

  // The body XML built so far (the inside of <w:body>, without the section properties).
  const std::string& BodyXml() const { return body_; }

 private:
  std::string body_;
};

struct DocxWriteOptions {
  // Document properties (File > Info in Word).
  std::string title;
  std::string subject;
  std::string author = "童护";
  // Printed at the top centre of every page (a watermark text such as the exporter and time); "" none.
  std::string page_header;
};

// The .docx bytes of `doc`.
Result<std::string> WriteDocx(const DocxDocument& doc, const DocxWriteOptions& options = {});

// Escapes text for XML character data and attributes, with the repairs described above.
std::string DocxEscape(const std::string& text);

}  // namespace th::io
