#pragma once
// Org units (the jurisdiction tree 市 → 区/县 → 街道/乡镇 → 社区/村 → 网格) and agencies attached
// to them. Every call is scoped to the caller's subtree: anything outside reads as not found.
#include <optional>
#include <shared_mutex>
#include <unordered_map>
#include <string>
#include <vector>

#include "platform/service/deps.h"
#include "platform/service/sheet_import.h"

namespace th::service {

// Level names in tree order.
extern const std::vector<std::string> kOrgLevels;  // city, district, street, community, grid
// Index in kOrgLevels or -1.
int OrgLevelIndex(const std::string& level);
// The level a 12-digit 统计用区划代码 denotes (city/district/street/community), or an error
// naming `field` (invalid_region_code). Grids use local codes: see CheckGridCode.
Result<std::string> LevelFromRegionCode(const std::string& code, const std::string& field);
// Checks `code` for a unit of `level` under a parent with `parent_code` / `parent_level`.
Status CheckUnitCode(const std::string& code, const std::string& level, const std::string& parent_code,
                     const std::string& parent_level, const std::string& field);

struct OrgImportRow {
  int line = 0;  // 1-based line in the file, for the report
  std::string code, name, level, parent_code;
};
struct OrgImportReject {
  int line = 0;
  std::string code;
  std::string message;  // zh-CN
  std::string message_en;
};
struct OrgImportReport {
  std::string format, charset;  // set by ImportSheet: "csv"|"xlsx", text::CharsetName
  std::int64_t rows = 0;        // data rows read (ImportSheet)
  int created = 0;
  int updated = 0;
  int unchanged = 0;
  std::vector<OrgImportReject> rejected;
};

// The columns an org-unit file maps onto: code and name required, level and parent_code optional
// (inferred from a 12-digit 统计用区划代码). Headers recognised: 单位代码/代码/区划代码/code,
// 单位名称/名称/name, 层级/级别/level, 上级代码/上级单位代码/parent_code (org_import.cc).
const std::vector<ImportField>& OrgImportFields();

struct OrgSheetImport {
  ImportMapping mapping;  // empty: the suggested one (so code,name,level,parent_code headers need none)
  std::string sheet;      // XLSX sheet; empty: the first visible one
  bool dry_run = false;
  std::int64_t max_rows = 20000;
};

class OrgService {
 public:
  explicit OrgService(Deps& deps) : deps_(deps) {}

  Result<repo::OrgUnit> Get(const Principal& who, std::int64_t id);
  // Children of `parent_id`, or the caller's root as a one-item list when absent.
  Result<std::vector<repo::OrgUnit>> ListChildren(const Principal& who, std::optional<std::int64_t> parent_id,
                                                  bool include_retired);
  Result<std::vector<repo::OrgUnit>> Search(const Principal& who, const std::string& q, const repo::Page& page,
                                            std::int64_t* total);
  // Names from the root down to the unit at `path`, e.g. {"深圳市", "龙岗区"}.
  Result<std::vector<std::string>> PathNames(const std::string& path);
  Result<repo::OrgUnit> Create(const Principal& who, std::int64_t parent_id, const std::string& code,
                               const std::string& name, const std::string& level);
  Result<repo::OrgUnit> Rename(const Principal& who, std::int64_t id, const std::string& name, std::int64_t version);
  Result<repo::OrgUnit> Move(const Principal& who, std::int64_t id, std::int64_t new_parent_id, std::int64_t version);
  Result<repo::OrgUnit> Retire(const Principal& who, std::int64_t id, std::int64_t version);
  // All-or-nothing import of rows (already decoded from CSV). With rejects nothing is written and
  // the report lists them; `dry_run` validates only.
  Result<OrgImportReport> Import(const Principal& who, const std::vector<OrgImportRow>& rows, bool dry_run);
  // The upload's facts, columns, first rows and suggested mapping. Needs org.manage. Errors: the
  // parser's (field "file").
  Result<SheetPreview> PreviewImport(const Principal& who, std::string_view bytes, const std::string& sheet,
                                     std::size_t sample_rows = 10);
  // Reads the upload (CSV in UTF-8 or GBK, XLSX), maps columns to OrgImportFields and runs Import:
  // all or nothing, rows with the wrong number of fields rejected too. A level may be written as
  // its code or its Chinese name (市, 区, 县, 街道, 乡镇, 社区, 村, 网格). Errors for the file as a
  // whole: forbidden, invalid_mapping, missing_columns, import_empty, import_too_many_rows, parser's.
  Result<OrgImportReport> ImportSheet(const Principal& who, std::string_view bytes, const OrgSheetImport& o);

  // Agencies.
  Result<std::vector<repo::Agency>> ListAgencies(const Principal& who, std::optional<std::int64_t> unit,
                                                 const std::string& kind, const repo::Page& page, std::int64_t* total);
  Result<repo::Agency> GetAgency(const Principal& who, std::int64_t id);
  Result<repo::Agency> CreateAgency(const Principal& who, repo::Agency a);
  Result<repo::Agency> UpdateAgency(const Principal& who, repo::Agency a);
  Result<repo::Agency> RetireAgency(const Principal& who, std::int64_t id, std::int64_t version);

 private:
  // Loads the unit and checks it lies in the caller's subtree (else kNotFound).
  Result<repo::OrgUnit> Scoped(storage::Connection& c, const Principal& who, std::int64_t id);
  // Drops cached listings and sessions (whose jurisdiction names may have changed). Called after a
  // write commits, so a concurrent reader cannot re-cache the old rows.
  void AfterWrite(bool sessions_too);
  Status CheckAgency(const repo::Agency& a);
  Deps& deps_;
  // Child listings of a unit, cached briefly: the tree is read on every page and changes rarely.
  // Another server's changes show here within options.org_cache_ms.
  struct CachedChildren {
    std::int64_t at = 0;
    std::string parent_path;
    std::vector<repo::OrgUnit> units;
  };
  std::shared_mutex cache_mu_;
  std::unordered_map<std::int64_t, CachedChildren> children_cache_;  // key: parent id * 2 + include_retired
};

// Audit snapshot of a unit.
std::string OrgUnitJson(const repo::OrgUnit& u);

}  // namespace th::service
