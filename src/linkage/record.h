#pragma once
// The standard record both linkage inputs use. Any column may be blank or absent.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace th::linkage {

struct Record {
  std::string id, name, sex, birth_date, id_number, father_name, mother_name, guardian_name, guardian_phone,
      hukou_address, residence_address;
};

// Column names in file order: id,name,sex,birth_date,id_number,father_name,mother_name,
// guardian_name,guardian_phone,hukou_address,residence_address.
inline constexpr std::array<std::string_view, 11> kRecordColumns = {
    "id",          "name",          "sex",           "birth_date",     "id_number",        "father_name",
    "mother_name", "guardian_name", "guardian_phone", "hukou_address", "residence_address"};

// Field `i` (0..10, kRecordColumns order) of a record.
std::string& RecordField(Record& r, int i);
const std::string& RecordField(const Record& r, int i);

struct LoadReport {
  std::string charset;              // "UTF-8" / "GB18030" ...
  std::vector<std::string> missing_columns;
  std::size_t ragged_rows = 0;      // rows with a field count different from the header
  std::int64_t first_ragged_line = 0;
};

// Parses CSV bytes (UTF-8 or GBK/GB18030, detected) with a header naming some of the
// standard columns (unknown columns are ignored). Rows without an `id` get their 1-based
// row number as id. Errors are those of the CSV reader (with line numbers) or
// linkage_no_columns when no standard column is present.
Result<std::vector<Record>> ParseRecordsCsv(std::string_view bytes, LoadReport* report = nullptr);
// Reads the file at `path` then ParseRecordsCsv.
Result<std::vector<Record>> LoadRecordsCsv(const std::string& path, LoadReport* report = nullptr);
// Writes records with the standard header (UTF-8, optional BOM).
std::string RecordsToCsv(const std::vector<Record>& records, bool utf8_bom = false);

}  // namespace th::linkage
