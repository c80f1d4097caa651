#include "linkage/record.h"

#include "io/csv.h"
#include "text/charset.h"

namespace th::linkage {

std::string& RecordField(Record& r, int i) {
  switch (i) {
    case 0: return r.id;
    case 1: return r.name;
    case 2: return r.sex;
    case 3: return r.birth_date;
    case 4: return r.id_number;
    case 5: return r.father_name;
    case 6: return r.mother_name;
    case 7: return r.guardian_name;
    case 8: return r.guardian_phone;
    case 9: return r.hukou_address;
    default: return r.residence_address;
  }
}

const std::string& RecordField(const Record& r, int i) { return RecordField(const_cast<Record&>(r), i); }

Result<std::vector<Record>> ParseRecordsCsv(std::string_view bytes, LoadReport* report) {
  text::Charset cs;
  TH_ASSIGN_OR_RETURN(std::string utf8, text::DecodeToUtf8(bytes, &cs));
  if (report) report->charset = text::CharsetName(cs);
  // Stream rows straight into records: a 1M-row file never exists as a table of strings.
  io::CsvReader reader(utf8);
  std::vector<std::string> fields;
  TH_ASSIGN_OR_RETURN(bool got, reader.Next(&fields));
  if (!got) return Status::Invalid("file", "csv_empty", "CSV 文件为空（缺少表头）", "CSV file is empty (no header)");
  std::array<int, kRecordColumns.size()> col;
  col.fill(-1);
  int found = 0;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::string h = fields[i];
    while (!h.empty() && (h.back() == ' ' || h.back() == '\t')) h.pop_back();
    while (!h.empty() && (h.front() == ' ' || h.front() == '\t')) h.erase(h.begin());
    for (std::size_t c = 0; c < kRecordColumns.size(); ++c) {
      if (h == kRecordColumns[c] && col[c] < 0) {
        col[c] = static_cast<int>(i);
        ++found;
      }
    }
  }
  if (found == 0) {
    return Status::Invalid("file", "linkage_no_columns", "表头中没有任何标准列（id,name,sex,birth_date,...）",
                           "the header has none of the standard columns (id,name,sex,birth_date,...)");
  }
  if (report) {
    for (std::size_t c = 0; c < kRecordColumns.size(); ++c) {
      if (col[c] < 0) report->missing_columns.emplace_back(kRecordColumns[c]);
    }
  }
  const std::size_t header_size = fields.size();
  std::vector<Record> out;
  out.reserve(utf8.size() / 120 + 16);
  for (;;) {
    TH_ASSIGN_OR_RETURN(bool more, reader.Next(&fields));
    if (!more) break;
    if (fields.size() != header_size && report) {
      if (report->ragged_rows++ == 0) report->first_ragged_line = reader.record_line();
    }
    Record r;
    for (std::size_t c = 0; c < kRecordColumns.size(); ++c) {
      if (col[c] >= 0 && static_cast<std::size_t>(col[c]) < fields.size()) {
        RecordField(r, static_cast<int>(c)) = std::move(fields[col[c]]);
      }
    }
    if (r.id.empty()) r.id = std::to_string(out.size() + 1);
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<Record>> LoadRecordsCsv(const std::string& path, LoadReport* report) {
  TH_ASSIGN_OR_RETURN(std::string bytes, io::ReadFileBytes(path));
  return ParseRecordsCsv(bytes, report);
}

std::string RecordsToCsv(const std::vector<Record>& records, bool utf8_bom) {
  std::string out;
  out.reserve(records.size() * 160 + 256);
  io::CsvWriter w(&out, utf8_bom);
  for (auto c : kRecordColumns) w.Field(c);
  w.EndRow();
  for (const auto& r : records) {
    for (int i = 0; i < static_cast<int>(kRecordColumns.size()); ++i) w.Field(RecordField(r, i));
    w.EndRow();
  }
  return out;
}

}  // namespace th::linkage
