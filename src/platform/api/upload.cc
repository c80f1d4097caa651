#include "platform/api/upload.h"

#include "platform/api/json_io.h"
#include "platform/api/time_json.h"

#include <memory>

#include <string>

namespace th::api {

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

boost::json::array Strings(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& s : v) a.push_back(boost::json::string(s));
  return a;
}

}  // namespace

boost::json::object ImportFieldJson(const service::ImportField& f) {
  boost::json::array headers;
  for (const char* h : f.headers) headers.push_back(boost::json::string(h));
  return boost::json::object{{"key", f.key}, {"label", f.label}, {"label_en", f.label_en}, {"required", f.required},
                             {"headers", std::move(headers)}};
}

boost::json::object SheetPreviewJson(const service::SheetPreview& p, const std::vector<service::ImportField>& fields,
                                     const std::string& file_name) {
  boost::json::array sample;
  for (std::size_t i = 0; i < p.sample.size(); ++i) {
    sample.push_back(boost::json::object{{"line", p.sample_lines[i]}, {"cells", Strings(p.sample[i])}});
  }
  boost::json::object mapping;
  for (const auto& [k, v] : p.mapping) mapping[k] = v;
  boost::json::array fs;
  for (const auto& f : fields) fs.push_back(ImportFieldJson(f));
  return boost::json::object{{"format", p.format},
                             {"charset", p.charset},
                             {"file_name", file_name},
                             {"rows", p.rows},
                             {"columns", Strings(p.columns)},
                             {"mapping", std::move(mapping)},
                             {"unmapped_columns", Strings(p.unmapped_columns)},
                             {"missing_required", Strings(p.missing_required)},
                             {"sample", std::move(sample)},
                             {"fields", std::move(fs)}};
}

http::Response InlineFile(std::string content_type, std::string bytes) {
  http::Response resp;
  resp.content_type = std::move(content_type);
  resp.body = std::move(bytes);
  resp.AddHeader("Cache-Control", "private, no-store");
  resp.AddHeader("X-Content-Type-Options", "nosniff");
  resp.AddHeader("Content-Disposition", "inline");
  return resp;
}

boost::json::object StoredFileJson(const repo::StoredFile& f, const char* owner_key) {
  return boost::json::object{{"id", f.id},       {owner_key, f.owner_id},
                             {"name", f.name},   {"content_type", f.content_type},
                             {"size", f.size},   {"created_at", IsoShanghai(f.created_at)}};
}

void AddAttachmentRoutes(http::Router& r, const RouteContext& ctx, AttachmentRoutes routes) {
  auto shared = std::make_shared<AttachmentRoutes>(std::move(routes));
  r.Add("POST", shared->path, ctx.authed([shared](http::Request& req, const service::Principal& who) -> Result<http::Response> {
    TH_ASSIGN_OR_RETURN(auto owner, QueryInt(req, shared->owner_param, false));
    if (!owner) return Status::Required(shared->owner_param);
    TH_ASSIGN_OR_RETURN(auto f, shared->upload(who, *owner, QueryStr(req, "name"), req.body));
    return JsonResponse(StoredFileJson(f, shared->owner_param), 201);
  }));
  r.Add("GET", shared->path + "/{id}", ctx.authed([shared](http::Request& req, const service::Principal& who) -> Result<http::Response> {
    TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
    TH_ASSIGN_OR_RETURN(auto owner, QueryInt(req, shared->owner_param, false));
    if (!owner) return Status::Required(shared->owner_param);
    TH_ASSIGN_OR_RETURN(auto f, shared->read(who, *owner, id));
    return InlineFile(std::move(f.content_type), std::move(f.data));
  }));
}

}  // namespace th::api
