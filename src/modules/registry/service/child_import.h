#pragma once
// Bulk import and export of the child registry (一人一档).
//
// Import: a spreadsheet upload (CSV in UTF-8 or GBK/GB18030 as Excel saves it, or XLSX) is
// parsed with io::ParseSpreadsheet, its columns are mapped to fields (Chinese headers such as
// 姓名, 身份证号, 父亲状态 are recognised; the client may send its own mapping), and every row goes
// through the same validation as a child created by hand (ChildService::PrepareNew). The upload
// is all-or-nothing: when any row is rejected nothing is written and the report lists each
// rejected row with its line, column and reason; a dry run validates only. The write runs in one
// transaction with one `child.create` audit entry per child plus one `child.import` entry with
// the counts.
//
// Export: the list a caller sees (same filters as ChildService::List) as XLSX or CSV, ID numbers
// and phones masked unless the caller has child.reveal or child.export, asks for plain values
// and states a purpose. Every export is audited as `child.export`.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "modules/registry/service/child_service.h"
#include "platform/service/deps.h"
#include "platform/service/column_mapping.h"  // ImportField, ImportMapping, SuggestMapping
#include "platform/service/sheet_import.h"    // SheetPreview, PreviewSheet

namespace th::io {
struct CsvTable;
}

namespace th::service {


// Every importable field, in template order.
const std::vector<ImportField>& ChildImportFields();


// Suggests a mapping for `columns` from the known header names (each column used once).
ImportMapping SuggestImportMapping(const std::vector<std::string>& columns);

// The preview of an upload (platform/service/sheet_import.h), with the children's fields.
using ImportPreview = SheetPreview;

struct ImportReject {
  std::int64_t line = 0;   // 1-based line (CSV) or spreadsheet row (XLSX)
  std::string column;      // header of the offending column ("" when it is the whole row)
  std::string field;       // field key ("id_number", "father_state", ...)
  std::string code;        // error code ("invalid_id_checksum", "duplicate_row", ...)
  std::string message;     // zh-CN
  std::string message_en;
};

struct ChildImportReport {
  std::string format, charset;
  std::int64_t rows = 0;           // data rows read
  std::int64_t valid = 0;          // rows that passed validation
  std::int64_t created = 0;        // children written (0 unless committed)
  std::int64_t rejected_rows = 0;  // rows with at least one reject
  std::vector<ImportReject> rejected;  // by line; at most max_rejects entries
  bool rejected_truncated = false;
  bool dry_run = false;
  bool committed = false;
  std::int64_t elapsed_ms = 0;
};

struct ChildImportOptions {
  bool dry_run = false;
  // Empty: the suggested mapping. Otherwise exactly these fields (unknown keys or headers are
  // an error naming them).
  ImportMapping mapping;
  std::string sheet;            // XLSX sheet name; empty = first visible sheet
  std::string file_name;        // for the audit entry
  std::size_t max_rejects = 1000;
  std::int64_t max_rows = 200000;  // data rows per upload; more → 413 import_too_many_rows
  // SQLite page cache for the import's transaction (default 2 MiB would spill dirty pages to
  // the WAL over and over); restored after the commit.
  std::int64_t sqlite_cache_mib = 64;
};

struct ChildExportOptions {
  std::string format = "xlsx";  // xlsx | csv
  bool reveal = false;          // plain identifiers: needs child.reveal or child.export + purpose
  std::string purpose;
  std::int64_t max_rows = 100000;  // more matching rows → 413 export_too_large
};

struct ChildExport {
  std::string bytes;
  std::string content_type;
  std::string file_name;  // UTF-8, e.g. 儿童名册_20260921.xlsx
  std::int64_t rows = 0;
  bool masked = true;
};

class ChildTransfer {
 public:
  ChildTransfer(ChildService& children, Deps& deps) : children_(children), deps_(deps) {}

  // Parses the upload and suggests a mapping. Needs child.write. Errors: the parser's (field
  // "file": csv_*, xlsx_*), import_empty.
  Result<ImportPreview> Preview(const Principal& who, std::string_view bytes, const std::string& sheet = "",
                                std::size_t sample_rows = 10);

  // Validates every row and, unless dry_run or any row was rejected, writes them all in one
  // transaction. A report with rejects is a successful result (nothing written); errors are
  // for the request as a whole: forbidden, bad mapping (invalid_mapping, field "mapping"),
  // missing required columns (missing_columns), unreadable file, too many rows.
  Result<ChildImportReport> Import(const Principal& who, std::string_view bytes, const ChildImportOptions& o);
  // Import over an already parsed table.
  Result<ChildImportReport> ImportTable(const Principal& who, const io::CsvTable& t, const std::string& format,
                                        const ChildImportOptions& o);

  // The filtered list as a file. Needs child.read; plain identifiers need reveal=true,
  // child.reveal or child.export, and a purpose of 2-200 characters (purpose_required).
  Result<ChildExport> Export(const Principal& who, const ChildListParams& filters, const ChildExportOptions& o);

  // Upload staging (import_upload, migration 0006): the file is kept between preview, dry run and
  // import so the client sends it once, in the database so that several servers on one
  // PostgreSQL share it. Sealed at rest, owned by the uploader, expires after upload_ttl_ms.
  struct StagedUpload {
    std::string token;
    std::string file_name;
    std::int64_t size_bytes = 0;
    std::int64_t expires_at = 0;  // epoch ms
  };
  // Needs child.write. Also deletes every expired upload. Per user at most max_staged_uploads
  // unexpired uploads (429 upload_quota_count) of max_staged_bytes together (413 upload_quota_bytes).
  Result<StagedUpload> Stage(const Principal& who, std::string_view bytes, const std::string& file_name);
  // The bytes of the caller's own unexpired upload; anything else (unknown, expired, another
  // user's) → kNotFound upload_not_found, field "upload_token". *file_name gets its name.
  Result<std::string> LoadStaged(const Principal& who, const std::string& token, std::string* file_name);
  // Deletes the upload (after a committed import). Errors are ignored by callers: it expires anyway.
  Status DropStaged(const std::string& token);
  void set_upload_ttl_ms(std::int64_t ms) { upload_ttl_ms_ = ms; }
  std::int64_t upload_ttl_ms() const { return upload_ttl_ms_; }
  void set_staging_quota(std::int64_t count, std::int64_t bytes) {
    max_staged_uploads_ = count;
    max_staged_bytes_ = bytes;
  }

 private:
  struct RowSource;
  Result<ChildImportReport> ImportRows(const Principal& who, RowSource& src, const std::string& format,
                                       const ChildImportOptions& o);

  ChildService& children_;
  Deps& deps_;
  std::int64_t upload_ttl_ms_ = 3600 * 1000;
  std::int64_t max_staged_uploads_ = 5;
  std::int64_t max_staged_bytes_ = 100ll << 20;
};

}  // namespace th::service
