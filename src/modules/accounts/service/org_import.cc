// OrgService: the org-unit import from a spreadsheet with a column mapping (the row checks and the
// all-or-nothing write are OrgService::Import in org_service.cc).
#include <algorithm>
#include <map>

#include "modules/accounts/permissions.h"
#include "modules/accounts/service/org_service.h"
#include "text/charset.h"

namespace th::service {

namespace {

const std::vector<ImportField> kOrgFields = {
    {"code", "单位代码", "code", {"单位代码", "代码", "区划代码", "统计用区划代码", "单位编码", "编码", "code"}, true},
    {"name", "单位名称", "name", {"单位名称", "名称", "单位", "name"}, true},
    {"level", "层级", "level", {"层级", "级别", "单位层级", "level"}},
    {"parent_code", "上级代码", "parent code",
     {"上级代码", "上级单位代码", "上级区划代码", "父级代码", "parent_code", "parent code", "parent"}},
};

// A level as written in a file: its code, or a Chinese name.
std::string NormalizeLevel(const std::string& v) {
  static const std::map<std::string, std::string> kNames = {
      {"市", "city"},         {"地级市", "city"},     {"区", "district"}, {"县", "district"},
      {"区县", "district"},   {"区/县", "district"},  {"街道", "street"}, {"乡镇", "street"},
      {"乡", "street"},       {"镇", "street"},       {"街道/乡镇", "street"}, {"社区", "community"},
      {"村", "community"},    {"社区/村", "community"}, {"网格", "grid"},
  };
  std::string k;
  for (char ch : v) {
    if (ch != ' ' && ch != '\t') k += static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
  }
  auto it = kNames.find(k);
  return it == kNames.end() ? k : it->second;
}

std::string Trim(const std::string& s) {
  std::size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

}  // namespace

const std::vector<ImportField>& OrgImportFields() { return kOrgFields; }

Result<SheetPreview> OrgService::PreviewImport(const Principal& who, std::string_view bytes, const std::string& sheet,
                                               std::size_t sample_rows) {
  if (!who.Can(perm::kOrgManage)) return Status::Forbidden();
  return PreviewSheet(bytes, sheet, kOrgFields, sample_rows);
}

Result<OrgImportReport> OrgService::ImportSheet(const Principal& who, std::string_view bytes, const OrgSheetImport& o) {
  if (!who.Can(perm::kOrgManage)) return Status::Forbidden();
  TH_ASSIGN_OR_RETURN(auto t, ReadSheet(bytes, o.sheet, o.max_rows));
  TH_ASSIGN_OR_RETURN(auto col, MapColumns(kOrgFields, o.mapping, t.header));
  std::map<std::int64_t, bool> ragged;
  for (const auto& r : t.ragged) ragged[r.line] = true;
  std::vector<OrgImportRow> rows;
  rows.reserve(t.rows.size());
  auto cell = [&col](const std::vector<std::string>& cells, std::size_t f) {
    return col[f] < 0 ? std::string() : Trim(cells[static_cast<std::size_t>(col[f])]);
  };
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    if (ragged.count(t.row_lines[i])) continue;
    OrgImportRow row;
    row.line = static_cast<int>(t.row_lines[i]);
    row.code = cell(t.rows[i], 0);
    row.name = cell(t.rows[i], 1);
    row.level = NormalizeLevel(cell(t.rows[i], 2));
    row.parent_code = cell(t.rows[i], 3);
    rows.push_back(std::move(row));
  }
  // A row that cannot be read is rejected like any other: the rest is checked, nothing written.
  TH_ASSIGN_OR_RETURN(auto report, Import(who, rows, o.dry_run || !ragged.empty()));
  for (const auto& r : t.ragged) {
    report.rejected.push_back({static_cast<int>(r.line), "", "列数与表头不一致", "wrong number of fields"});
  }
  if (!ragged.empty()) {
    std::sort(report.rejected.begin(), report.rejected.end(),
              [](const OrgImportReject& a, const OrgImportReject& b) { return a.line < b.line; });
  }
  report.format = SheetFormat(bytes);
  report.charset = text::CharsetName(t.charset);
  report.rows = static_cast<std::int64_t>(t.rows.size());
  return report;
}

}  // namespace th::service
