#pragma once
// Request body parsing with unknown-field detection, and response helpers.
#include <boost/json.hpp>
#include <initializer_list>
#include <optional>
#include <string>

#include "base/status.h"
#include "http/message.h"

namespace th::api {

// A parsed JSON object body whose keys were checked against an allow-list.
class Body {
 public:
  // Parses `req.body` as a JSON object; strings are trimmed (text::TrimSpace). Errors: malformed_json,
  // unknown_field (names it), 415 unsupported_media_type unless Content-Type is application/json
  // (charset, if any, UTF-8); a request with neither body nor Content-Type is an empty object.
  static Result<Body> Parse(const http::Request& req, std::initializer_list<const char*> allowed);

  bool Has(const char* key) const { return obj_.contains(key) && !obj_.at(key).is_null(); }
  // Required string (trimmed); error names the field.
  Result<std::string> Str(const char* key) const;
  std::optional<std::string> OptStr(const char* key) const;  // wrong type → treated as error by StrOr
  Result<std::optional<std::string>> MaybeStr(const char* key) const;
  Result<std::int64_t> Int(const char* key) const;
  Result<std::optional<std::int64_t>> MaybeInt(const char* key) const;
  // The value of `key` as JSON text, as sent (objects and arrays too); "" when absent or null.
  std::string Json(const char* key) const;

 private:
  boost::json::object obj_;
};

// Status → HTTP response with {"error":{code,field,message}} in the request's language.
http::Response ErrorResponse(const http::Request& req, const Status& s);
http::Response JsonResponse(const boost::json::value& v, int status = 200);
http::Response NoContent();
// True when the request prefers English (Accept-Language starts with "en").
bool WantsEnglish(const http::Request& req);
// Parses a path parameter or query value as a positive int64.
Result<std::int64_t> ParseId(const std::string& s, const char* field);
// A query parameter's value, "" when absent.
std::string QueryStr(const http::Request& req, const char* name);
// A query parameter as a positive int64 (or 0 when allow_zero); empty when absent or blank;
// invalid_id naming the parameter otherwise.
Result<std::optional<std::int64_t>> QueryInt(const http::Request& req, const char* name, bool allow_zero);

}  // namespace th::api
