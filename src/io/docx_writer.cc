#include "io/docx_writer.h"

#include <zip.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <utility>

#include "text/utf8.h"

namespace th::io {
namespace {

constexpr const char* kXmlHead = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
constexpr const char* kW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr const char* kR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

bool XmlAllowed(char32_t c) {
  if (c == 0x9 || c == 0xA || c == 0xD) return true;
  if (c < 0x20) return false;
  if (c >= 0xD800 && c <= 0xDFFF) return false;
  return c != 0xFFFE && c != 0xFFFF;
}

// Runs for `text`: each line a <w:t>, separated by <w:br/>; `rpr` is the run properties XML.
std::string Runs(const std::string& text, const std::string& rpr) {
  std::string out = "<w:r>" + rpr;
  std::size_t start = 0;
  while (true) {
    std::size_t nl = text.find('\n', start);
    std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out += "<w:t xml:space=\"preserve\">" + DocxEscape(line) + "</w:t>";
    if (nl == std::string::npos) break;
    out += "<w:br/>";
    start = nl + 1;
  }
  return out + "</w:r>";
}

std::string Fonts(const std::string& east_asia, int half_points, bool bold) {
  std::string r = "<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"" +
                  east_asia + "\"/>";
  if (bold) r += "<w:b/>";
  r += "<w:sz w:val=\"" + std::to_string(half_points) + "\"/><w:szCs w:val=\"" + std::to_string(half_points) +
       "\"/></w:rPr>";
  return r;
}

const char* AlignName(DocxAlign a) {
  switch (a) {
    case DocxAlign::kLeft: return "left";
    case DocxAlign::kCenter: return "center";
    case DocxAlign::kRight: return "right";
    case DocxAlign::kJustify: return "both";
  }
  return "both";
}

std::string Cell(const std::string& text, bool header, int width_twips) {
  std::string tc = "<w:tc><w:tcPr><w:tcW w:w=\"" + std::to_string(width_twips) + "\" w:type=\"dxa\"/>";
  if (header) tc += "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E7E6E6\"/>";
  tc += "</w:tcPr><w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\"/>";
  if (header) tc += "<w:jc w:val=\"center\"/>";
  tc += "</w:pPr>" + Runs(text, Fonts(header ? "黑体" : "仿宋", 24, header)) + "</w:p></w:tc>";
  return tc;
}

// Adds one part; the bytes must outlive zip_close (they live in `parts`).
Status AddPart(zip_t* za, const std::string& name, const std::string& bytes) {
  zip_source_t* s = zip_source_buffer(za, bytes.data(), bytes.size(), 0);
  if (s == nullptr) return Status::Internal(std::string("zip_source_buffer: ") + zip_strerror(za));
  if (zip_file_add(za, name.c_str(), s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
    zip_source_free(s);
    return Status::Internal(std::string("zip_file_add: ") + zip_strerror(za));
  }
  return Status::Ok();
}

// Zips `parts` (name, bytes) into memory.
Result<std::string> Zip(const std::vector<std::pair<std::string, std::string>>& parts) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &err);
  if (src == nullptr) {
    zip_error_fini(&err);
    return Status::Internal("zip_source_buffer_create failed");
  }
  zip_source_keep(src);  // survives zip_close so the bytes can be read back
  std::unique_ptr<zip_source_t, decltype(&zip_source_free)> holder(src, zip_source_free);
  zip_t* za = zip_open_from_source(src, ZIP_TRUNCATE, &err);
  if (za == nullptr) {
    std::string detail = zip_error_strerror(&err);
    zip_error_fini(&err);
    return Status::Internal("zip_open_from_source: " + detail);
  }
  zip_error_fini(&err);
  for (const auto& [name, bytes] : parts) {
    Status st = AddPart(za, name, bytes);
    if (!st.ok()) {
      zip_discard(za);
      return st;
    }
  }
  if (zip_close(za) != 0) {
    std::string detail = zip_strerror(za);
    zip_discard(za);
    return Status::Internal("zip_close: " + detail);
  }
  if (zip_source_open(src) != 0) return Status::Internal("zip_source_open failed");
  zip_source_seek(src, 0, SEEK_END);
  zip_int64_t size = zip_source_tell(src);
  zip_source_seek(src, 0, SEEK_SET);
  std::string out(static_cast<std::size_t>(std::max<zip_int64_t>(size, 0)), '\0');
  zip_int64_t got = size > 0 ? zip_source_read(src, out.data(), static_cast<zip_uint64_t>(size)) : 0;
  zip_source_close(src);
  if (got != size) return Status::Internal("zip_source_read short");
  return out;
}

std::string ContentTypes(bool header) {
  std::string x = std::string(kXmlHead) +
                  "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                  "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                  "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                  "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
                  "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
                  "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/"
                  "vnd.openxmlformats-package.core-properties+xml\"/>";
  if (header) {
    x += "<Override PartName=\"/word/header1.xml\" ContentType=\"application/"
         "vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>";
  }
  return x + "</Types>";
}

std::string RootRels() {
  return std::string(kXmlHead) +
         "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
         "officeDocument\" Target=\"word/document.xml\"/>"
         "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
         "core-properties\" Target=\"docProps/core.xml\"/></Relationships>";
}

std::string CoreProps(const DocxWriteOptions& o) {
  return std::string(kXmlHead) +
         "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
         "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>" + DocxEscape(o.title) + "</dc:title><dc:subject>" +
         DocxEscape(o.subject) + "</dc:subject><dc:creator>" + DocxEscape(o.author) +
         "</dc:creator></cp:coreProperties>";
}

std::string HeaderPart(const std::string& text) {
  return std::string(kXmlHead) + "<w:hdr xmlns:w=\"" + kW + "\"><w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>" +
         Runs(text, Fonts("宋体", 18, false)) + "</w:p></w:hdr>";
}

std::string DocumentPart(const DocxDocument& doc, bool header) {
  // A4 (11906 x 16838 twips); 公文 margins: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
  std::string sect = "<w:sectPr>";
  if (header) sect += "<w:headerReference w:type=\"default\" r:id=\"rIdH1\"/>";
  sect += "<w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" "
          "w:left=\"1588\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/></w:sectPr>";
  return std::string(kXmlHead) + "<w:document xmlns:w=\"" + kW + "\" xmlns:r=\"" + kR + "\"><w:body>" +
         doc.BodyXml() + sect + "</w:body></w:document>";
}

}  // namespace

std::string DocxEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    char32_t c = text::NextCodePoint(text, &pos);
    if (!XmlAllowed(c)) continue;
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: text::AppendUtf8(c, &out);
    }
  }
  return out;
}

void DocxDocument::Title(const std::string& text) {
  body_ += "<w:p><w:pPr><w:jc w:val=\"center\"/><w:spacing w:before=\"240\" w:after=\"360\"/></w:pPr>" +
           Runs(text, Fonts("方正小标宋简体", 44, false)) + "</w:p>";
}

void DocxDocument::Heading(const std::string& text, int level) {
  bool first = level <= 1;
  body_ += "<w:p><w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:after=\"60\"/><w:ind w:firstLineChars=\"200\" "
           "w:firstLine=\"640\"/></w:pPr>" +
           Runs(text, Fonts(first ? "黑体" : "楷体", 32, !first)) + "</w:p>";
}

void DocxDocument::Paragraph(const std::string& text, DocxParagraphStyle style) {
  std::string ppr = std::string("<w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"560\" w:lineRule=\"exact\"/>") +
                    (style.indent_first_line ? "<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/>" : "") +
                    "<w:jc w:val=\"" + AlignName(style.align) + "\"/></w:pPr>";
  body_ += "<w:p>" + ppr + Runs(text, Fonts("仿宋", 32, style.bold)) + "</w:p>";
}

void DocxDocument::Table(const std::vector<std::vector<std::string>>& rows, bool header_row) {
  std::size_t cols = 0;
  for (const auto& r : rows) cols = std::max(cols, r.size());
  if (cols == 0) return;
  const int total = 8844;  // text width in twips (A4 minus the margins)
  const int w = total / static_cast<int>(cols);
  std::string t = "<w:tbl><w:tblPr><w:tblW w:w=\"" + std::to_string(total) +
                  "\" w:type=\"dxa\"/><w:tblBorders>";
  for (const char* side : {"top", "left", "bottom", "right", "insideH", "insideV"}) {
    t += std::string("<w:") + side + " w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>";
  }
  t += "</w:tblBorders><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>";
  for (std::size_t i = 0; i < cols; ++i) t += "<w:gridCol w:w=\"" + std::to_string(w) + "\"/>";
  t += "</w:tblGrid>";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    bool head = header_row && r == 0;
    t += head ? "<w:tr><w:trPr><w:tblHeader/></w:trPr>" : "<w:tr>";
    for (std::size_t c = 0; c < cols; ++c) t += Cell(c < rows[r].size() ? rows[r][c] : "", head, w);
    t += "</w:tr>";
  }
  body_ += t + "</w:tbl><w:p/>";
}

void DocxDocument::PageBreak() { body_ += "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>"; }

Result<std::string> WriteDocx(const DocxDocument& doc, const DocxWriteOptions& options) {
  const bool header = !options.page_header.empty();
  std::vector<std::pair<std::string, std::string>> parts;
  parts.emplace_back("[Content_Types].xml", ContentTypes(header));
  parts.emplace_back("_rels/.rels", RootRels());
  parts.emplace_back("word/document.xml", DocumentPart(doc, header));
  parts.emplace_back("docProps/core.xml", CoreProps(options));
  if (header) {
    parts.emplace_back("word/_rels/document.xml.rels",
                       std::string(kXmlHead) +
                           "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                           "<Relationship Id=\"rIdH1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
                           "relationships/header\" Target=\"header1.xml\"/></Relationships>");
    parts.emplace_back("word/header1.xml", HeaderPart(options.page_header));
  }
  return Zip(parts);
}

}  // namespace th::io
