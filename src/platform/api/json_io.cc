#include "platform/api/json_io.h"

#include <charconv>

#include "text/field.h"

namespace th::api {

namespace json = boost::json;

namespace {

std::string Trim(std::string_view s) { return std::string(text::TrimSpace(s)); }

// True for "application/json" with optional parameters, where a charset, if given, is UTF-8
// (RFC 8259 JSON is UTF-8; "text/plain; charset=json" or "application/json-patch" are not JSON here).
bool IsJsonMediaType(std::string_view ct) {
  std::string lower;
  for (char ch : ct) lower += (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
  std::string_view v = lower;
  std::size_t semi = v.find(';');
  std::string_view type = text::TrimSpace(v.substr(0, semi));
  if (type != "application/json") return false;
  while (semi != std::string_view::npos) {
    v.remove_prefix(semi + 1);
    semi = v.find(';');
    std::string_view param = text::TrimSpace(v.substr(0, semi));
    if (param.rfind("charset=", 0) == 0) {
      std::string_view cs = param.substr(8);
      if (cs.size() >= 2 && cs.front() == '"' && cs.back() == '"') cs = cs.substr(1, cs.size() - 2);
      if (cs != "utf-8" && cs != "utf8") return false;
    }
  }
  return true;
}

Status TypeError(const char* key, const char* want_zh, const char* want_en) {
  return Status::Invalid(key, "invalid_type", std::string("字段 ") + key + " 应为" + want_zh,
                         std::string("Field ") + key + " must be " + want_en);
}

int HttpStatus(Code c) {
  switch (c) {
    case Code::kOk: return 200;
    case Code::kInvalidArgument: return 400;
    case Code::kUnauthenticated: return 401;
    case Code::kPermissionDenied: return 403;
    case Code::kNotFound: return 404;
    case Code::kConflict: return 409;
    case Code::kPayloadTooLarge: return 413;
    case Code::kUnsupportedMedia: return 415;
    case Code::kLocked: return 423;
    case Code::kTooManyRequests: return 429;
    case Code::kInternal: return 500;
    case Code::kUnavailable: return 503;
  }
  return 500;
}

}  // namespace

Result<Body> Body::Parse(const http::Request& req, std::initializer_list<const char*> allowed) {
  // A body needs Content-Type application/json; a request without a body may leave the type out.
  std::string ct = req.Header("content-type");
  if ((!ct.empty() || !req.body.empty()) && !IsJsonMediaType(ct)) {
    return Status::Error(Code::kUnsupportedMedia, "unsupported_media_type",
                         "请求体须为JSON，Content-Type 应为 application/json",
                         "The request body must be JSON sent as Content-Type: application/json", "content-type");
  }
  boost::system::error_code ec;
  json::value v = json::parse(req.body.empty() ? std::string_view("{}") : std::string_view(req.body), ec);
  if (ec) {
    return Status::Invalid("", "malformed_json", "请求体不是有效的JSON", "The request body is not valid JSON");
  }
  if (!v.is_object()) {
    return Status::Invalid("", "malformed_json", "请求体须为JSON对象", "The request body must be a JSON object");
  }
  Body b;
  b.obj_ = std::move(v.as_object());
  for (const auto& kv : b.obj_) {
    bool ok = false;
    for (const char* a : allowed) ok |= kv.key() == a;
    if (!ok) {
      std::string k(kv.key());
      return Status::Invalid(k, "unknown_field", "未知字段: " + k, "Unknown field: " + k);
    }
  }
  return b;
}

std::string Body::Json(const char* key) const {
  return Has(key) ? boost::json::serialize(obj_.at(key)) : std::string();
}

Result<std::string> Body::Str(const char* key) const {
  TH_ASSIGN_OR_RETURN(auto v, MaybeStr(key));
  if (!v || v->empty()) {
    return Status::Required(key);
  }
  return *v;
}

Result<std::optional<std::string>> Body::MaybeStr(const char* key) const {
  auto it = obj_.find(key);
  if (it == obj_.end() || it->value().is_null()) return std::optional<std::string>();
  if (!it->value().is_string()) return TypeError(key, "字符串", "a string");
  return std::optional<std::string>(Trim(std::string_view(it->value().as_string())));
}

std::optional<std::string> Body::OptStr(const char* key) const {
  auto r = MaybeStr(key);
  return r.ok() ? *r : std::nullopt;
}

Result<std::int64_t> Body::Int(const char* key) const {
  TH_ASSIGN_OR_RETURN(auto v, MaybeInt(key));
  if (!v) {
    return Status::Required(key);
  }
  return *v;
}

Result<std::optional<std::int64_t>> Body::MaybeInt(const char* key) const {
  auto it = obj_.find(key);
  if (it == obj_.end() || it->value().is_null()) return std::optional<std::int64_t>();
  const json::value& v = it->value();
  if (v.is_int64()) return std::optional<std::int64_t>(v.as_int64());
  if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return std::optional<std::int64_t>(static_cast<std::int64_t>(v.as_uint64()));
  }
  return TypeError(key, "整数", "an integer");
}

bool WantsEnglish(const http::Request& req) {
  std::string al = req.Header("accept-language");
  return al.size() >= 2 && (al[0] == 'e' || al[0] == 'E') && (al[1] == 'n' || al[1] == 'N');
}

http::Response ErrorResponse(const http::Request& req, const Status& s) {
  json::object err;
  err["code"] = s.error_code().empty() ? "error" : s.error_code();
  err["field"] = s.field();
  err["message"] = WantsEnglish(req) ? s.message_en() : s.message_zh();
  http::Response r;
  r.status = HttpStatus(s.code());
  r.body = json::serialize(json::object{{"error", std::move(err)}});
  return r;
}

http::Response JsonResponse(const json::value& v, int status) {
  http::Response r;
  r.status = status;
  r.body = json::serialize(v);
  return r;
}

http::Response NoContent() {
  http::Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Result<std::int64_t> ParseId(const std::string& s, const char* field) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) {
    return Status::Invalid(field, "invalid_id", std::string("编号无效: ") + field, std::string("Invalid id: ") + field);
  }
  return v;
}

std::string QueryStr(const http::Request& req, const char* name) { return req.Query(name).value_or(""); }

Result<std::optional<std::int64_t>> QueryInt(const http::Request& req, const char* name, bool allow_zero) {
  auto q = req.Query(name);
  if (!q || q->empty()) return std::optional<std::int64_t>();
  if (allow_zero && *q == "0") return std::optional<std::int64_t>(0);
  TH_ASSIGN_OR_RETURN(auto v, ParseId(*q, name));
  return std::optional<std::int64_t>(v);
}

}  // namespace th::api
