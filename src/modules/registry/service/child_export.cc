// ChildTransfer: the export of the children list (masked unless revealed, audited, formula-safe).
#include "modules/registry/service/child_import_internal.h"

namespace th::service {

using namespace child_import_internal;  // NOLINT: this file is part of the registry service

// ---- export ----

namespace {

std::string DateText(std::int32_t yyyymmdd) {
  if (yyyymmdd <= 0) return "";
  auto d = domain::DateFromYyyymmdd(yyyymmdd);
  return d.ok() ? d->ToString() : "";
}

const char* RollZh(const std::string& s) {
  if (s == "not_on_roll") return "未在册";
  if (s == "proposed") return "增员审核中";
  if (s == "on_roll") return "在册";
  if (s == "exit_proposed") return "减员审核中";
  if (s == "exited") return "已退出";
  return "";
}

}  // namespace

// Long: one streaming pass (page through the list, mask or reveal, neutralise formulas, write XLSX/CSV) with one audit entry.
Result<ChildExport> ChildTransfer::Export(const Principal& who, const ChildListParams& filters,
                                          const ChildExportOptions& o) {
  if (!who.Can(perm::kChildRead)) return Status::Forbidden();
  if (o.format != "xlsx" && o.format != "csv") {
    return Status::Invalid("format", "invalid_enum", "format 应为 xlsx 或 csv", "format must be xlsx or csv");
  }
  std::size_t purpose_len = text::DecodeUtf8(o.purpose).size();
  if (purpose_len > 200 || !text::IsValidUtf8(o.purpose)) {
    return Status::Invalid("purpose", "too_long", "用途说明过长(最多200字)", "purpose is too long (200 characters at most)");
  }
  TH_RETURN_IF_ERROR(text::CheckText(o.purpose, "purpose", text::kLineText));
  if (o.reveal) {
    if (!who.Can(perm::kChildReveal) && !who.Can(perm::kChildExport)) return Status::Forbidden();
    if (purpose_len < 2) {
      return Status::Invalid("purpose", "purpose_required", "导出完整身份证号和电话须说明用途(2-200字)",
                             "State the purpose (2-200 characters) to export full identifiers");
    }
  }
  const bool masked = !o.reveal;
  ChildListParams p = filters;
  if (p.sort.empty()) p.sort = "id";

  static const char* kHeader[] = {"姓名", "性别", "出生日期", "年龄", "身份证号", "户籍地区划代码", "户籍性质",
                                  "户籍地址", "街道", "社区", "社区代码", "网格", "现住址", "流动状态", "就学阶段",
                                  "学校", "健康状况", "类别", "在册状态", "监护人姓名", "监护人关系", "监护人电话",
                                  "更新时间"};
  std::vector<std::string> header(std::begin(kHeader), std::end(kHeader));
  std::vector<std::vector<std::string>> rows;
  const std::int64_t now = deps_.clock.NowMillis();
  const domain::Date today = domain::Date::FromEpochMillisShanghai(now);
  std::int64_t total = 0;
  constexpr std::int64_t kPage = 1000;
  for (std::int64_t page = 1;; ++page) {
    TH_ASSIGN_OR_RETURN(auto batch, children_.List(who, p, repo::Page{page, kPage}, &total));
    if (static_cast<std::int64_t>(rows.size() + batch.size()) > o.max_rows) {
      return Status::Error(Code::kPayloadTooLarge, "export_too_large",
                           "符合条件的儿童超过" + std::to_string(o.max_rows) + "人，请缩小筛选范围",
                           "More than " + std::to_string(o.max_rows) + " children match; narrow the filters",
                           "filters");
    }
    for (const auto& c : batch) {
      std::vector<std::string> r;
      r.reserve(header.size());
      r.push_back(c.name);
      r.push_back(ZhOfCode<domain::Sex>(c.sex));
      r.push_back(DateText(c.birth_date));
      auto bd = domain::DateFromYyyymmdd(c.birth_date);
      r.push_back(bd.ok() ? std::to_string(domain::AgeOn(*bd, today)) : "");
      if (masked) {
        r.push_back(c.id_masked);
      } else {
        TH_ASSIGN_OR_RETURN(auto id, children_.UnsealIdNumber(c));
        r.push_back(std::move(id));
      }
      r.push_back(c.hukou_region_code);
      r.push_back(c.hukou_nature == "unknown" ? "" : ZhOfCode<domain::HukouNature>(c.hukou_nature));
      r.push_back(c.hukou_address);
      r.push_back(c.street_name);
      r.push_back(c.community_name);
      r.push_back(c.community_code);
      r.push_back(c.grid_name);
      r.push_back(c.residence_address);
      r.push_back(c.flow_status == "unknown" ? "" : ZhOfCode<domain::FlowStatus>(c.flow_status));
      r.push_back(c.school_stage == "unknown" ? "" : ZhOfCode<domain::SchoolStage>(c.school_stage));
      r.push_back(c.school_name);
      r.push_back(c.health == "unknown" ? "" : ZhOfCode<domain::HealthStatus>(c.health));
      std::string cats;
      std::size_t start = 0;
      while (start < c.categories.size()) {
        std::size_t end = c.categories.find(',', start);
        if (end == std::string::npos) end = c.categories.size();
        if (end > start) {
          std::string code = c.categories.substr(start, end - start);
          const domain::CategoryDef* d = children_.categories().Find(code);
          cats += (cats.empty() ? "" : "、") + (d ? d->name : code);
        }
        start = end + 1;
      }
      r.push_back(cats);
      r.push_back(RollZh(c.roll_status));
      r.push_back(c.guardian_name);
      r.push_back(c.guardian_name.empty() ? "" : ZhOfCode<domain::Relation>(c.guardian_relation));
      if (masked) {
        r.push_back(c.guardian_phone_masked);
      } else {
        TH_ASSIGN_OR_RETURN(auto ph, children_.UnsealGuardianPhone(c));
        r.push_back(std::move(ph));
      }
      r.push_back(domain::Date::FromEpochMillisShanghai(c.updated_at).ToString());
      rows.push_back(std::move(r));
    }
    // Not `total`: a list total may be capped; the last page is the short one.
    if (static_cast<std::int64_t>(batch.size()) < kPage) break;
  }

  ChildExport out;
  out.rows = static_cast<std::int64_t>(rows.size());
  out.masked = masked;
  const std::string mark = WatermarkText(who, deps_.clock.NowMillis());  // the pages' watermark text
  std::string stamp = today.ToString();
  stamp.erase(std::remove(stamp.begin(), stamp.end(), '-'), stamp.end());
  if (o.format == "xlsx") {
    io::XlsxWriteOptions wo;
    wo.sheet_name = "儿童名册";
    wo.title = "儿童名册";
    wo.comments = masked ? "身份证号、电话已脱敏" : "含完整身份证号和电话，用途: " + o.purpose;
    wo.constant_memory = rows.size() > 20000;
    wo.subject = mark;
    wo.page_header = mark;  // printed at the top and bottom of every page
    TH_ASSIGN_OR_RETURN(out.bytes, io::WriteXlsx(header, rows, wo));
    out.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    out.file_name = "儿童名册_" + stamp + ".xlsx";
  } else {
    io::CsvWriter w(&out.bytes, /*utf8_bom=*/true);
    w.WriteRow(header);
    for (const auto& r : rows) {
      for (const auto& v : r) w.Field(v);  // CsvWriter defuses formula-looking cells
      w.EndRow();
    }
    w.Field(kExportWatermarkPrefix + mark);  // the last line; our import skips it
    w.EndRow();
    out.content_type = "text/csv; charset=utf-8";
    out.file_name = "儿童名册_" + stamp + ".csv";
  }

  // Audited before the file leaves the service: no audit entry, no file.
  JsonObjectWriter w;
  w.Str("format", o.format).Int("rows", out.rows).Bool("masked", masked);
  auto opt = [&w](const char* k, const std::string& v) {
    if (!v.empty()) w.Str(std::string("filter.") + k, v);
  };
  opt("q", filters.q);
  opt("category", filters.category);
  opt("flow_status", filters.flow_status);
  opt("roll_status", filters.roll_status);
  opt("school_stage", filters.school_stage);
  opt("sex", filters.sex);
  opt("sort", filters.sort);
  if (filters.org_unit_id) w.Int("filter.org_unit_id", *filters.org_unit_id);
  if (filters.age_min) w.Int("filter.age_min", *filters.age_min);
  if (filters.age_max) w.Int("filter.age_max", *filters.age_max);
  std::string after = w.Finish();
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"child.export", "child", "", who.org_path, "", after, o.purpose});
  }));
  return out;
}

}  // namespace th::service
