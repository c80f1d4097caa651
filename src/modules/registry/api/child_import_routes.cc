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

// Value of `key=` in a header such as `form-data; name="file"; filename="a.csv"`.
std::string HeaderParam(std::string_view h, std::string_view key) {
  std::size_t pos = 0;
  while (pos < h.size()) {
    std::size_t semi = h.find(';', pos);
    std::string_view part = h.substr(pos, semi == std::string_view::npos ? std::string_view::npos : semi - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > key.size() && Lower(std::string(part.substr(0, key.size()))) == key && part[key.size()] == '=') {
      std::string_view v = part.substr(key.size() + 1);
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      return std::string(v);
    }
    if (semi == std::string_view::npos) break;
    pos = semi + 1;
  }
  return "";
}

Status BadUpload(const std::string& zh, const std::string& en) {
  return Status::Invalid("file", "invalid_upload", zh, en);
}

}  // namespace

// The uploaded file: a raw body (text/csv, the XLSX MIME type, application/octet-stream) or
// multipart/form-data with a part named "file" (and optionally "mapping" and "sheet").
// Long: the multipart/form-data parser (boundaries, part headers, limits) in one pass over the body.
Result<Upload> ReadUpload(const http::Request& req) {
  Upload u;
  std::string ct = Lower(req.Header("content-type"));
  u.file_name = req.Query("file_name").value_or("");
  if (ct.rfind("multipart/form-data", 0) == 0) {
    std::string boundary = HeaderParam(req.Header("content-type"), "boundary");
    if (boundary.empty()) return BadUpload("multipart 缺少 boundary", "multipart body without a boundary");
    std::string delim = "--" + boundary;
    std::string_view body = req.body;
    std::size_t pos = body.find(delim);
    bool have_file = false;
    while (pos != std::string_view::npos) {
      pos += delim.size();
      if (body.substr(pos, 2) == "--") break;  // closing delimiter
      if (body.substr(pos, 2) != "\r\n") return BadUpload("multipart 格式错误", "Malformed multipart body");
      pos += 2;
      std::size_t head_end = body.find("\r\n\r\n", pos);
      if (head_end == std::string_view::npos) return BadUpload("multipart 格式错误", "Malformed multipart body");
      std::string_view head = body.substr(pos, head_end - pos);
      std::size_t data_start = head_end + 4;
      std::size_t next = body.find("\r\n" + delim, data_start);
      if (next == std::string_view::npos) return BadUpload("multipart 格式错误", "Malformed multipart body");
      std::string_view data = body.substr(data_start, next - data_start);
      std::string disposition;
      std::size_t line_start = 0;
      while (line_start < head.size()) {
        std::size_t le = head.find("\r\n", line_start);
        std::string_view line = head.substr(line_start, le == std::string_view::npos ? std::string_view::npos : le - line_start);
        std::size_t colon = line.find(':');
        if (colon != std::string_view::npos && Lower(std::string(line.substr(0, colon))) == "content-disposition") {
          disposition = std::string(line.substr(colon + 1));
        }
        if (le == std::string_view::npos) break;
        line_start = le + 2;
      }
      std::string name = HeaderParam(disposition, "name");
      if (name == "file") {
        u.bytes = data;
        if (u.file_name.empty()) u.file_name = HeaderParam(disposition, "filename");
        have_file = true;
      } else if (name == "mapping") {
        u.mapping_json = std::string(data);
      } else if (name == "sheet") {
        u.sheet = std::string(data);
      }
      pos = next + 2;
    }
    if (!have_file) return BadUpload("请上传文件(表单字段 file)", "Upload the file as the form field \"file\"");
    return u;
  }
  static const char* kAccepted[] = {"", "text/csv", "text/plain", "application/csv", "application/vnd.ms-excel",
                                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                    "application/octet-stream"};
  std::string base = ct.substr(0, ct.find(';'));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  bool ok = false;
  for (const char* a : kAccepted) ok = ok || base == a;
  if (!ok) {
    return Status::Error(Code::kUnsupportedMedia, "unsupported_media_type",
                         "请上传 CSV 或 XLSX 文件(text/csv、XLSX 类型或 multipart/form-data)",
                         "Upload a CSV or XLSX file (text/csv, the XLSX type, or multipart/form-data)", "file");
  }
  u.bytes = req.body;
  return u;
}

Result<service::ImportMapping> ParseMapping(const std::string& text) { return service::ParseMappingJson(text); }

namespace {

json::object FieldJson(const service::ImportField& f) {
  json::array headers;
  for (const char* h : f.headers) headers.push_back(json::string(h));
  return json::object{{"key", f.key}, {"label", f.label}, {"label_en", f.label_en}, {"required", f.required},
                      {"headers", std::move(headers)}};
}

json::object MappingJson(const service::ImportMapping& m) {
  json::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return o;
}

json::array Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.push_back(json::string(s));
  return a;
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
          json::array sample;
          for (std::size_t i = 0; i < p.sample.size(); ++i) {
            sample.push_back(json::object{{"line", p.sample_lines[i]}, {"cells", Strings(p.sample[i])}});
          }
          json::array fields;
          for (const auto& f : service::ChildImportFields()) fields.push_back(FieldJson(f));
          return JsonResponse(json::object{{"upload_token", token},
                                           {"expires_at", expires_at ? json::value(expires_at) : json::value(nullptr)},
                                           {"format", p.format},
                                           {"charset", p.charset},
                                           {"file_name", up.file_name},
                                           {"rows", p.rows},
                                           {"columns", Strings(p.columns)},
                                           {"mapping", MappingJson(p.mapping)},
                                           {"unmapped_columns", Strings(p.unmapped_columns)},
                                           {"missing_required", Strings(p.missing_required)},
                                           {"sample", std::move(sample)},
                                           {"fields", std::move(fields)}});
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
