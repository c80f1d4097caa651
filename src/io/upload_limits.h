#pragma once
// The caps every spreadsheet upload is read with (child import, screening upload), so that one
// upload's memory stays bounded whatever the file's shape (docs/API.md "Limits",
// docs/PERFORMANCE.md "Upload memory"). Generic readers keep their larger defaults.
#include <cstddef>
#include <cstdint>

#include "io/csv.h"
#include "io/xlsx_reader.h"

namespace th::io {

inline constexpr std::size_t kUploadMaxColumns = 256;
inline constexpr std::size_t kUploadMaxCellBytes = 8 * 1024;       // a 2,000-character note in Han fits
inline constexpr std::uint64_t kUploadMaxTableBytes = 40ull << 20;  // a parsed table (XLSX: + shared strings) in memory
inline constexpr std::uint64_t kUploadMaxUncompressed = 100ull << 20;

inline CsvOptions UploadCsvOptions() {
  CsvOptions o;
  o.max_columns = kUploadMaxColumns;
  o.max_field_bytes = kUploadMaxCellBytes;
  o.max_memory_bytes = kUploadMaxTableBytes;
  return o;
}

inline XlsxOptions UploadXlsxOptions() {
  XlsxOptions o;
  o.max_columns = static_cast<std::int32_t>(kUploadMaxColumns);
  o.max_cell_bytes = kUploadMaxCellBytes;
  o.max_memory_bytes = kUploadMaxTableBytes;
  o.max_uncompressed_bytes = kUploadMaxUncompressed;
  return o;
}

}  // namespace th::io
