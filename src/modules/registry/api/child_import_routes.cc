#include "modules/registry/api/child_import_routes.h"

#include <boost/json.hpp>

#include "platform/api/json_io.h"
#include "domain/date.h"
#include "io/csv.h"
#include "io/xlsx_writer.h"
#include "platform/service/audit_service.h"
#include "platform/service/services.h"
#include "modules/registry/service/child_import.h"
#include "modules/registry/service/child_service.h"
#include "platform/service/column_mapping.h"
#include "modules/registry/permissions.h"

namespace th::api {

namespace json = boost::json;
using service::Principal;


namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return s;
}

json::object ReportJson(const service::ChildImportReport& r, bool en) {
  json::array rejected;
  for (const auto& x : r.rejected) {
    rejected.push_back(json::object{{"line", x.line},
                                    {"column", x.column},
                                    {"field", x.field},
                                    {"code", x.code},
                                    {"message", en ? x.message_en : x.message}});
  }
  return json::object{{"format", r.format},
                      {"charset", r.charset},
                      {"rows", r.rows},
                      {"valid", r.valid},
                      {"created", r.created},
                      {"rejected_rows", r.rejected_rows},
                      {"rejected", std::move(rejected)},
                      {"rejected_truncated", r.rejected_truncated},
                      {"dry_run", r.dry_run},
                      {"committed", r.committed},
                      {"elapsed_ms", r.elapsed_ms}};
}

// RFC 6266 / 5987: an ASCII fallback plus the UTF-8 name percent-encoded.
std::string ContentDisposition(const std::string& utf8_name, const std::string& ascii_name) {
  static const char* kHex = "0123456789ABCDEF";
  std::string enc;
  for (unsigned char c : utf8_name) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
        c == '_') {
      enc += static_cast<char>(c);
    } else {
      enc += '%';
      enc += kHex[c >> 4];
      enc += kHex[c & 15];
    }
  }
  return "attachment; filename=\"" + ascii_name + "\"; filename*=UTF-8''" + enc;
}

http::Response Download(std::string bytes, const std::string& content_type, const std::string& utf8_name,
                        const std::string& ascii_name) {
  http::Response resp;
  resp.content_type = content_type;
  resp.body = std::move(bytes);
  resp.AddHeader("Content-Disposition", ContentDisposition(utf8_name, ascii_name));
  resp.AddHeader("Cache-Control", "no-store");
  resp.AddHeader("X-Content-Type-Options", "nosniff");
  return resp;
}

bool Flag(const http::Request& req, const char* name) {
  std::string v = QueryStr(req, name);
  return v == "1" || v == "true";
}

}  // namespace

// Long: a flat list of route registrations (preview, import, template, export), one lambda each.
void RegisterChildImportRoutes(http::Router& r, service::Services& s, service::ChildService& cs,
                               const ChildRouteHelpers& h) {
  auto transfer = std::make_shared<service::ChildTransfer>(cs, s.deps());
  const Clock* clock = &s.deps().clock;
  auto A = h.authed;

  r.Add("POST", "/api/v1/children/import/preview",
        A([transfer](http::Request& req, const Principal& who) -> Result<http::Response> {
          // A new file is staged and its token returned; ?upload_token= previews a staged one
          // again (another sheet) without sending it.
          std::string token = QueryStr(req, "upload_token");
          std::string staged_bytes;
          Upload up;
          std::int64_t expires_at = 0;
          if (!token.empty()) {
            TH_ASSIGN_OR_RETURN(staged_bytes, transfer->LoadStaged(who, token, &up.file_name));
            up.bytes = staged_bytes;
          } else {
            TH_ASSIGN_OR_RETURN(up, ReadUpload(req));
          }
          std::string sheet = up.sheet.empty() ? QueryStr(req, "sheet") : up.sheet;
          TH_ASSIGN_OR_RETURN(auto p, transfer->Preview(who, up.bytes, sheet, 10));
          if (token.empty()) {
            // Staged only once it parses: a broken file is answered without being kept.
            TH_ASSIGN_OR_RETURN(auto st, transfer->Stage(who, up.bytes, up.file_name));
            token = st.token;
            expires_at = st.expires_at;
          }
          json::object out = SheetPreviewJson(p, service::ChildImportFields(), up.file_name);
          out["upload_token"] = token;
          out["expires_at"] = expires_at ? json::value(expires_at) : json::value(nullptr);
          return JsonResponse(std::move(out));
        }));

  r.Add("POST", "/api/v1/children/import",
        A([transfer](http::Request& req, const Principal& who) -> Result<http::Response> {
          service::ChildImportOptions o;
          std::string token = QueryStr(req, "upload_token");
          std::string staged_bytes;
          Upload up;
          o.dry_run = Flag(req, "dry_run");
          if (Lower(req.Header("content-type")).rfind("application/json", 0) == 0) {
            // A staged upload: {"upload_token", "mapping", "sheet", "dry_run"}.
            TH_RETURN_IF_ERROR(Body::Parse(req, {"upload_token", "mapping", "sheet", "dry_run"}).status());
            json::object b = json::parse(req.body).as_object();
            auto str = [&](const char* k) -> Result<std::string> {
              if (!b.contains(k) || b.at(k).is_null()) return std::string();
              if (!b.at(k).is_string()) {
                return Status::Invalid(k, "invalid_type", std::string("字段 ") + k + " 应为字符串",
                                       std::string("Field ") + k + " must be a string");
              }
              return std::string(b.at(k).as_string());
            };
            TH_ASSIGN_OR_RETURN(token, str("upload_token"));
            TH_ASSIGN_OR_RETURN(up.sheet, str("sheet"));
            if (b.contains("dry_run") && b.at("dry_run").is_bool()) o.dry_run = b.at("dry_run").as_bool();
            if (b.contains("mapping") && !b.at("mapping").is_null()) up.mapping_json = json::serialize(b.at("mapping"));
            if (token.empty()) {
              return Status::Required("upload_token");
            }
          }
          if (!token.empty()) {
            std::string name;
            TH_ASSIGN_OR_RETURN(staged_bytes, transfer->LoadStaged(who, token, &name));
            up.bytes = staged_bytes;
            up.file_name = req.Query("file_name").value_or(name);
          } else {
            TH_ASSIGN_OR_RETURN(up, ReadUpload(req));
          }
          o.sheet = up.sheet.empty() ? QueryStr(req, "sheet") : up.sheet;
          o.file_name = up.file_name;
          TH_ASSIGN_OR_RETURN(o.mapping, ParseMapping(up.mapping_json.empty() ? QueryStr(req, "mapping") : up.mapping_json));
          TH_ASSIGN_OR_RETURN(auto report, transfer->Import(who, up.bytes, o));
          staged_bytes.clear();
          staged_bytes.shrink_to_fit();
          // A committed upload is used up; a dry run or a rejected one stays for the next try.
          if (report.committed && !token.empty()) (void)transfer->DropStaged(token);
          bool en = WantsEnglish(req);
          json::object out = ReportJson(report, en);
          if (!report.dry_run && !report.committed) {
            // Same shape as the org-unit import: an error naming the file, with the rows.
            Status st = Status::Invalid("file", "import_rejected",
                                        "有" + std::to_string(report.rejected_rows) + "行未通过校验，未导入任何数据",
                                        std::to_string(report.rejected_rows) +
                                            " rows were rejected; nothing was imported");
            http::Response resp = ErrorResponse(req, st);
            json::value v = json::parse(resp.body);
            for (auto& [k, val] : out) v.as_object()[k] = val;
            resp.body = json::serialize(v);
            return resp;
          }
          return JsonResponse(out, report.committed ? 201 : 200);
        }));

  r.Add("GET", "/api/v1/children/import/template",
        A([](http::Request& req, const Principal& who) -> Result<http::Response> {
          if (!who.Can(perm::kChildWrite)) return Status::Forbidden();
          std::vector<std::string> header;
          for (const auto& f : service::ChildImportFields()) header.push_back(f.label);
          std::string format = QueryStr(req, "format").empty() ? "xlsx" : QueryStr(req, "format");
          if (format == "csv") {
            std::string out;
            io::CsvWriter w(&out, /*utf8_bom=*/true);
            w.WriteRow(header);
            return Download(std::move(out), "text/csv; charset=utf-8", "儿童导入模板.csv", "children_template.csv");
          }
          if (format != "xlsx") {
            return Status::Invalid("format", "invalid_enum", "format 应为 xlsx 或 csv", "format must be xlsx or csv");
          }
          io::XlsxWriteOptions wo;
          wo.sheet_name = "儿童名册";
          TH_ASSIGN_OR_RETURN(auto bytes, io::WriteXlsx(header, {}, wo));
          return Download(std::move(bytes), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          "儿童导入模板.xlsx", "children_template.xlsx");
        }));

  r.Add("GET", "/api/v1/children/export",
        A([transfer, clock](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(service::ChildListParams p, ChildListParamsFrom(req));
          service::ChildExportOptions o;
          o.format = QueryStr(req, "format").empty() ? "xlsx" : QueryStr(req, "format");
          o.reveal = Flag(req, "reveal");
          o.purpose = QueryStr(req, "purpose");
          TH_ASSIGN_OR_RETURN(auto e, transfer->Export(who, p, o));
          std::string stamp = domain::Date::FromEpochMillisShanghai(clock->NowMillis()).ToString();
          std::string ascii = "children_" + stamp + "." + o.format;
          http::Response resp = Download(std::move(e.bytes), e.content_type, e.file_name, ascii);
          resp.AddHeader("X-Export-Rows", std::to_string(e.rows));
          resp.AddHeader("X-Export-Masked", e.masked ? "1" : "0");
          return resp;
        }));
}

}  // namespace th::api
