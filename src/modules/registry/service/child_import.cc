// ChildTransfer: column mapping, preview and import of children (staged uploads: child_staging.cc; export: child_export.cc).
// About 600 lines: mapping, preview and the import row loop of one import.
#include "modules/registry/service/child_import.h"

#include "modules/registry/service/child_import_internal.h"

namespace th::service {

using namespace child_import_internal;  // NOLINT: this file is part of the registry service

const std::vector<ImportField>& ChildImportFields() { return kFields; }

ImportMapping SuggestImportMapping(const std::vector<std::string>& columns) { return SuggestMapping(kFields, columns); }

Result<ImportPreview> ChildTransfer::Preview(const Principal& who, std::string_view bytes, const std::string& sheet,
                                             std::size_t sample_rows) {
  if (!who.Can(perm::kChildWrite)) return Status::Forbidden();
  return PreviewSheet(bytes, sheet, kFields, sample_rows);
}

// Rows as the import reads them: a parsed table (XLSX) or a CSV streamed record by record, so a
// 100,000-row file is never held as 1.7 million strings at once.
struct ChildTransfer::RowSource {
  std::vector<std::string> header;
  text::Charset charset = text::Charset::kUtf8;
  std::int64_t rows = 0;  // data rows, known before the first Next
  // The next data row, exactly header.size() cells, and its line; false at the end.
  std::function<Result<bool>(std::vector<std::string>* cells, std::int64_t* line)> next;
};

Result<ChildImportReport> ChildTransfer::Import(const Principal& who, std::string_view bytes,
                                                const ChildImportOptions& o) {
  if (!who.Can(perm::kChildWrite)) return Status::Forbidden();
  std::string format = io::SniffSpreadsheet(bytes) == io::SpreadsheetFormat::kXlsx ? "xlsx" : "csv";
  if (io::SniffSpreadsheet(bytes) != io::SpreadsheetFormat::kCsv) {
    io::XlsxOptions xo = io::UploadXlsxOptions();
    xo.sheet = o.sheet;
    // The row cap applies to XLSX while reading (header row included).
    xo.max_rows = o.max_rows + 1;
    TH_ASSIGN_OR_RETURN(auto t, io::ParseSpreadsheet(bytes, {}, xo));
    return ImportTable(who, t, format, o);
  }
  // CSV: decoded once, counted in a first pass (cheap: no rows kept), then read again row by
  // row while validating and writing.
  RowSource src;
  TH_ASSIGN_OR_RETURN(std::string utf8, text::DecodeToUtf8(bytes, &src.charset));
  std::vector<std::string> fields;
  {
    io::CsvReader counter(utf8, io::UploadCsvOptions());
    TH_ASSIGN_OR_RETURN(bool got, counter.Next(&fields));
    if (!got) return Status::Invalid("file", "csv_empty", "CSV 文件为空（缺少表头）", "CSV file is empty (no header)");
    // Headers trimmed as io::ParseCsv does (spaces and tabs), so a preview's column names match.
    for (const auto& h : fields) {
      std::size_t b = h.find_first_not_of(" \t"), e = h.find_last_not_of(" \t");
      src.header.push_back(b == std::string::npos ? std::string() : h.substr(b, e - b + 1));
    }
    for (;;) {
      TH_ASSIGN_OR_RETURN(bool more, counter.Next(&fields));
      if (!more) break;
      ++src.rows;
    }
  }
  io::CsvReader reader(utf8, io::UploadCsvOptions());
  TH_RETURN_IF_ERROR(reader.Next(&fields).status());  // the header
  const std::size_t width = src.header.size();
  src.next = [&reader, width](std::vector<std::string>* cells, std::int64_t* line) -> Result<bool> {
    TH_ASSIGN_OR_RETURN(bool more, reader.Next(cells));
    if (!more) return false;
    // As ParseCsv: a ragged row is padded or truncated; validation then names what is missing.
    cells->resize(width);
    *line = reader.record_line();
    return true;
  };
  return ImportRows(who, src, format, o);
}

Result<ChildImportReport> ChildTransfer::ImportTable(const Principal& who, const io::CsvTable& t,
                                                     const std::string& format, const ChildImportOptions& o) {
  RowSource src;
  src.header = t.header;
  src.charset = t.charset;
  src.rows = static_cast<std::int64_t>(t.rows.size());
  std::size_t i = 0;
  src.next = [&t, &i](std::vector<std::string>* cells, std::int64_t* line) -> Result<bool> {
    if (i >= t.rows.size()) return false;
    *cells = t.rows[i];
    *line = t.row_lines[i];
    ++i;
    return true;
  };
  return ImportRows(who, src, format, o);
}

// Long: the row loop of an all-or-nothing import: every cell check reports against the same row and mapping; splitting it would pass a dozen locals around.
Result<ChildImportReport> ChildTransfer::ImportRows(const Principal& who, RowSource& t, const std::string& format,
                                                    const ChildImportOptions& o) {
  auto started = std::chrono::steady_clock::now();
  if (!who.Can(perm::kChildWrite)) return Status::Forbidden();
  if (t.rows == 0) {
    return Status::Invalid("file", "import_empty", "文件中没有数据行", "The file has no data rows");
  }
  if (t.rows > o.max_rows) {
    return Status::Error(Code::kPayloadTooLarge, "import_too_many_rows",
                         "单次导入最多" + std::to_string(o.max_rows) + "行，请拆分文件",
                         "At most " + std::to_string(o.max_rows) + " rows per import; split the file", "file");
  }
  // Mapping: field key → column index (the platform's check); the required columns depend on the
  // caller (a community's own users may leave out the community) and are checked below.
  TH_ASSIGN_OR_RETURN(std::vector<int> col, MapColumns(kFields, o.mapping, t.header, /*check_required=*/false));
  auto column_of = [&](const char* key) -> int {
    const ImportField* f = FindField(key);
    return f ? col[static_cast<std::size_t>(f - kFields.data())] : -1;
  };

  // Units once per import: codes and names resolve in memory; scope is the caller's path.
  Units units;
  std::int64_t default_community = 0;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_ASSIGN_OR_RETURN(units.all, repo::OrgRepo(*h).ListSubtree(""));
  }
  for (const auto& u : units.all) {
    units.by_code[u.code] = &u;
    units.by_id[u.id] = &u;
    if (u.level == "community") units.communities_by_name[u.name].push_back(&u);
    if (u.id == who.org_unit_id && u.level == "community") default_community = u.id;
  }
  std::vector<std::string> missing;
  if (column_of("name") < 0) missing.push_back("name(姓名)");
  if (column_of("community") < 0 && default_community == 0) missing.push_back("community(社区)");
  if (column_of("id_number") < 0 && column_of("no_id_reason") < 0) missing.push_back("id_number(身份证号)");
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    return Status::Invalid("file", "missing_columns", "缺少必需的列: " + list, "Required columns are missing: " + list);
  }

  ChildImportReport report;
  report.format = format;
  report.charset = CharsetLabel(t.charset);
  report.rows = t.rows;
  report.dry_run = o.dry_run;
  auto add_reject = [&](ImportReject r) {
    if (report.rejected.size() < o.max_rejects) {
      report.rejected.push_back(std::move(r));
    } else {
      report.rejected_truncated = true;
    }
  };
  auto header_of = [&](const std::string& key) -> std::string {
    int c = column_of(key.c_str());
    return c >= 0 ? t.header[static_cast<std::size_t>(c)] : std::string();
  };
  // Ragged rows are not fatal: the reader padded or truncated them; a row that lost cells will
  // usually fail validation anyway, and the user sees why.

  std::unordered_map<std::string, std::int64_t> seen_ids;   // normalized ID → first line
  std::unordered_map<std::string, std::int64_t> seen_keys;  // name|birth|community → first line
  const std::int32_t today = domain::Date::FromEpochMillisShanghai(deps_.clock.NowMillis()).ToYyyymmdd();
  domain::Evaluation scratch;
  std::string purpose = o.file_name.empty() ? "import" : "import: " + o.file_name;

  // Runs every row on `c`; writes only when `write` and no row has been rejected so far.
  auto run = [&](storage::Connection& c, bool write) -> Status {
    NewChild n;
    PreparedChild p;
    std::vector<ImportReject> row_rejects;
    std::vector<std::string> cells;
    std::int64_t line = 0;
    for (;;) {
      TH_ASSIGN_OR_RETURN(bool more, t.next(&cells, &line));
      if (!more) break;
      if (IsExportWatermarkRow(cells)) continue;  // the last line of our own CSV export
      row_rejects.clear();
      // Every mapped cell passes the shared text validator first (a NUL or control character is
      // named with its row and column); a cell our export defused ("'=x") reads back as typed.
      for (std::size_t k = 0; k < kFields.size(); ++k) {
        if (col[k] < 0) continue;
        std::string& cell = cells[static_cast<std::size_t>(col[k])];
        cell = std::string(io::StripFormulaGuard(text::TrimSpace(cell)));
        // Line breaks typed into a cell (Alt+Enter) become a space except in the notes.
        if (std::string_view(kFields[k].key) != "notes") cell = FoldLineBreaks(cell);
        Status s = text::CheckText(cell, kFields[k].key, text::kCell);
        if (!s.ok()) {
          row_rejects.push_back(RejectOf(line, kFields[k].key, t.header[static_cast<std::size_t>(col[k])], s));
          cell.clear();
        }
      }
      auto get = [&](const char* key) -> std::string {
        int c = column_of(key);
        return c >= 0 ? Trim(cells[static_cast<std::size_t>(c)]) : std::string();
      };
      auto bad = [&](const char* key, const char* code, const std::string& zh, const std::string& en) {
        row_rejects.push_back({line, header_of(key), key, code, zh, en});
      };
      n = NewChild{};
      ChildInput& ci = n.child;
      auto set = [&](const char* key, std::string* dst) {
        std::string v = get(key);
        if (v.empty()) return;
        *dst = std::move(v);
        ci.present.insert(key);
      };
      set("name", &ci.name);
      ci.present.insert("name");
      {
        std::string v = get("former_names");
        if (!v.empty()) {
          ci.former_names = SplitList(v);
          ci.present.insert("former_names");
        }
      }
      set("sex", &ci.sex);
      set("ethnicity", &ci.ethnicity);
      set("id_number", &ci.id_number);
      set("no_id_reason", &ci.no_id_reason);
      ci.birth_date = NormalizeDate(get("birth_date"));
      if (ci.birth_date.empty() && !ci.id_number.empty()) {
        // The number carries the birth date; the service still cross-checks the rest.
        auto id = domain::ParseIdNumber(ci.id_number, today);
        if (id.ok()) ci.birth_date = domain::BirthDateOf(*id).ToString();
      }
      ci.present.insert("birth_date");
      if (std::string v = get("hukou_registered"); !v.empty()) {
        auto b = ParseBool(v);
        if (!b) {
          bad("hukou_registered", "invalid_enum", "应填写“是”或“否”: " + v, "Use 是 or 否 (yes/no): " + v);
        } else {
          ci.hukou_registered = *b;
          ci.present.insert("hukou_registered");
        }
      }
      set("hukou_region_code", &ci.hukou_region_code);
      set("hukou_nature", &ci.hukou_nature);
      set("hukou_address", &ci.hukou_address);
      set("residence_address", &ci.residence_address);
      if (std::string v = NormalizeDate(get("resident_since")); !v.empty()) {
        ci.resident_since = v;
        ci.present.insert("resident_since");
      }
      set("school_name", &ci.school_name);
      set("school_stage", &ci.school_stage);
      if (std::string v = get("boarding"); !v.empty()) {
        auto b = ParseBool(v);
        if (!b) {
          bad("boarding", "invalid_enum", "应填写“是”或“否”: " + v, "Use 是 or 否 (yes/no): " + v);
        } else {
          ci.boarding = *b;
          ci.present.insert("boarding");
        }
      }
      set("health", &ci.health);
      set("disability_type", &ci.disability_type);
      if (std::string v = get("disability_grade"); !v.empty()) {
        auto g = ParseGrade(v);
        if (!g) {
          bad("disability_grade", "out_of_range", "残疾等级应为1-4级: " + v, "Disability grade must be 1-4: " + v);
        } else {
          ci.disability_grade = *g;
          ci.present.insert("disability_grade");
        }
      }
      set("illness", &ci.illness);
      set("flow_status", &ci.flow_status);
      if (std::string v = get("assistance"); !v.empty()) {
        ci.assistance = SplitList(v);
        ci.present.insert("assistance");
      }
      set("notes", &ci.notes);

      // Community: a code, or a name unique within the caller's jurisdiction.
      std::string community_path;
      {
        std::string v = get("community");
        const repo::OrgUnit* u = nullptr;
        if (v.empty() && column_of("community") < 0 && default_community) {
          u = units.by_id[default_community];
        } else if (v.empty()) {
          bad("community", "required", "缺少必填字段: 社区", "Missing required field: community");
        } else if (auto it = units.by_code.find(v); it != units.by_code.end()) {
          u = it->second;
          if (!who.Covers(u->path)) {
            bad("community", "out_of_jurisdiction", "社区不在您的管辖范围内: " + v,
                "The community is outside your jurisdiction: " + v);
            u = nullptr;
          } else if (u->level != "community") {
            bad("community", "invalid_level", "不是社区/村: " + v, "Not a community: " + v);
            u = nullptr;
          }
        } else {
          auto nt = units.communities_by_name.find(v);
          std::vector<const repo::OrgUnit*> inside;
          std::size_t outside = 0;
          if (nt != units.communities_by_name.end()) {
            for (const auto* x : nt->second) {
              if (who.Covers(x->path)) inside.push_back(x); else ++outside;
            }
          }
          if (inside.size() == 1) {
            u = inside[0];
          } else if (inside.size() > 1) {
            bad("community", "ambiguous_community", "社区名称不唯一，请填写社区代码: " + v,
                "Several communities have this name; use the code: " + v);
          } else if (outside > 0) {
            bad("community", "out_of_jurisdiction", "社区不在您的管辖范围内: " + v,
                "The community is outside your jurisdiction: " + v);
          } else {
            bad("community", "unknown_community", "未知的社区: " + v, "Unknown community: " + v);
          }
        }
        if (u) {
          ci.community_id = u->id;
          ci.present.insert("community_id");
          community_path = u->path;
          if (std::string g = get("grid"); !g.empty()) {
            const repo::OrgUnit* grid = nullptr;
            for (const auto& x : units.all) {
              if (x.level == "grid" && x.parent_id.value_or(0) == u->id && (x.name == g || x.code == g)) grid = &x;
            }
            if (!grid) {
              bad("grid", "invalid_grid", "网格不属于该社区: " + g, "The grid is not in this community: " + g);
            } else {
              ci.grid_id = grid->id;
              ci.present.insert("grid_id");
            }
          }
        }
      }

      // Parents.
      std::vector<std::string> member_prefix;
      for (const char* rel : {"father", "mother"}) {
        std::string pre = rel;
        MemberInput m;
        m.relation = rel;
        m.present.insert("relation");
        bool any = false;
        auto mset = [&](const char* suffix, std::string* dst, bool date = false) {
          std::string v = get((pre + "_" + suffix).c_str());
          if (v.empty()) return;
          *dst = date ? NormalizeDate(v) : v;
          m.present.insert(suffix);
          any = true;
        };
        mset("name", &m.name);
        mset("id_number", &m.id_number);
        mset("phone", &m.phone);
        mset("state", &m.state);
        mset("state_since", &m.state_since, true);
        mset("work_city", &m.work_city);
        if (std::string v = get((pre + "_restriction_months").c_str()); !v.empty()) {
          auto months = ParseCount(v);
          std::string key = pre + "_restriction_months";
          if (!months) {
            row_rejects.push_back({line, header_of(key), key, "out_of_range", "刑期月数应为整数: " + v,
                                   "Sentence months must be a whole number: " + v});
          } else {
            m.restriction_months = *months;
            m.present.insert("restriction_months");
            any = true;
          }
        }
        if (!any) continue;
        m.present.insert("name");
        n.family.push_back(std::move(m));
        member_prefix.push_back(pre);
      }
      // Guardian.
      {
        GuardianInput g;
        g.name = get("guardian_name");
        g.relation = get("guardian_relation");
        g.phone = get("guardian_phone");
        g.id_number = get("guardian_id_number");
        g.agreement_date = NormalizeDate(get("guardian_agreement_date"));
        if (!g.name.empty() || !g.phone.empty() || !g.id_number.empty() || !g.relation.empty()) {
          // The guardian is one of the listed parents when named or related as one.
          domain::Relation rel{};
          bool rel_ok = !g.relation.empty() && domain::ParseEnum(g.relation, &rel);
          for (std::size_t k = 0; k < n.family.size(); ++k) {
            bool by_rel = rel_ok && domain::CodeOf(rel) == n.family[k].relation;
            bool by_name = !g.name.empty() && g.name == n.family[k].name;
            if (by_rel || by_name) {
              n.guardian_member_index = static_cast<int>(k);
              if (g.relation.empty()) g.relation = n.family[k].relation;
              if (g.name.empty()) g.name = n.family[k].name;
            }
          }
          n.guardian = std::move(g);
        }
      }

      // Duplicates within the file.
      if (!ci.id_number.empty()) {
        auto id = domain::ParseIdNumber(ci.id_number, today);
        if (id.ok()) {
          auto [it, fresh] = seen_ids.emplace(id->normalized, line);
          if (!fresh) {
            bad("id_number", "duplicate_row", "与第" + std::to_string(it->second) + "行身份证号重复",
                "Same ID number as line " + std::to_string(it->second));
          }
        }
      } else if (!ci.name.empty()) {
        std::string key = ci.name + "|" + ci.birth_date + "|" + std::to_string(ci.community_id);
        auto [it, fresh] = seen_keys.emplace(key, line);
        if (!fresh) {
          bad("name", "duplicate_row", "与第" + std::to_string(it->second) + "行姓名、出生日期、社区相同",
              "Same name, birth date and community as line " + std::to_string(it->second));
        }
      }

      if (row_rejects.empty()) {
        Status s = children_.PrepareNew(c, who, n, &p);
        if (!s.ok()) {
          if (s.code() == Code::kInternal || s.code() == Code::kUnavailable || s.code() == Code::kPermissionDenied) {
            return s;
          }
          // Map the service's field back to the import column.
          std::string field = s.field();
          if (field.rfind("family[", 0) == 0) {
            std::size_t close = field.find("].");
            std::size_t k = static_cast<std::size_t>(std::atoi(field.c_str() + 7));
            if (close != std::string::npos && k < member_prefix.size()) {
              field = member_prefix[k] + "_" + field.substr(close + 2);
            }
          } else if (field.rfind("guardian.", 0) == 0) {
            field = "guardian_" + field.substr(9);
          } else if (field == "community_id") {
            field = "community";
          } else if (field == "grid_id") {
            field = "grid";
          }
          if (s.error_code() == "duplicate") {
            row_rejects.push_back({line, header_of("id_number"), "id_number", "duplicate_existing",
                                   "已有儿童档案使用该身份证号", "A child file with this ID number already exists"});
          } else {
            row_rejects.push_back(RejectOf(line, field, header_of(field), s));
          }
        }
      }
      if (!row_rejects.empty()) {
        ++report.rejected_rows;
        for (auto& r : row_rejects) add_reject(std::move(r));
        continue;
      }
      ++report.valid;
      if (write && report.rejected_rows == 0) {
        TH_RETURN_IF_ERROR(children_.InsertPrepared(c, who, p, community_path, purpose, &scratch, /*compact_audit=*/true));
        ++report.created;
      }
    }
    return Status::Ok();
  };

  if (o.dry_run) {
    // Validation only: no transaction, so no write lock is held while reading.
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_RETURN_IF_ERROR(run(*h, false));
  } else {
    // One transaction for the whole file (all or nothing). The connection's page cache is
    // enlarged until after the commit (the scope outlives the transaction object).
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    repo::BulkWriteScope bulk(*h, o.sqlite_cache_mib);
    Status tx = [&]() -> Status {
      storage::Connection& c = *h;
      storage::Transaction t(c);
      TH_RETURN_IF_ERROR(t.Begin());
      TH_RETURN_IF_ERROR(run(c, true));
      if (report.rejected_rows > 0) {
        // Roll back (the Transaction's destructor): nothing half-written.
        return Status::Error(Code::kConflict, "rollback", "", "");
      }
      TH_RETURN_IF_ERROR(WriteAudit(c, deps_.clock, &who, who.client_ip,
                                    {"child.import", "child", "", who.org_path, "",
                                     JsonObjectWriter()
                                         .Str("file", o.file_name)
                                         .Str("format", report.format)
                                         .Str("charset", report.charset)
                                         .Int("rows", report.rows)
                                         .Int("created", report.created)
                                         .Finish(),
                                     purpose}));
      return t.Commit();
    }();
    if (!tx.ok() && tx.error_code() != "rollback") return tx;
    report.committed = tx.ok();
    if (!report.committed) report.created = 0;
  }
  std::stable_sort(report.rejected.begin(), report.rejected.end(),
                   [](const ImportReject& a, const ImportReject& b) { return a.line < b.line; });
  report.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
                          .count();
  return report;
}

}  // namespace th::service
