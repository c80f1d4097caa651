// Request parsing for the dispatch routes: nested targets, booleans, dates, list filters.
#include <boost/json.hpp>

#include "domain/date.h"
#include "http/message.h"
#include "modules/dispatch/service/dispatch_service.h"
#include "platform/api/json_io.h"

namespace th::api {

namespace json = boost::json;

namespace {

Status BadType(const std::string& field, const char* zh_type, const char* en_type) {
  return Status::Invalid(field, "invalid_type", field + " 应为" + zh_type, field + " must be " + en_type);
}

Result<service::DispatchTargetInput> TargetFrom(const json::value& v, const std::string& field) {
  if (!v.is_object()) return BadType(field, "对象", "an object");
  const json::object& o = v.as_object();
  service::DispatchTargetInput t;
  for (const auto& kv : o) {
    const std::string k(kv.key());
    const json::value& x = kv.value();
    if (k == "agency_id" || k == "unit_id") {
      if (x.is_null()) continue;
      if (!x.is_int64() || x.as_int64() <= 0) {
        return Status::Invalid(field + "." + k, "invalid_id", "编号无效: " + k, "Invalid id: " + k);
      }
      (k == "agency_id" ? t.agency_id : t.unit_id) = x.as_int64();
    } else if (k == "instructions") {
      if (!x.is_string() && !x.is_null()) return BadType(field + ".instructions", "文本", "text");
      if (x.is_string()) t.instructions = std::string(x.as_string());
    } else if (k == "designated") {
      if (!x.is_bool()) return BadType(field + ".designated", "true 或 false", "true or false");
      t.designated = x.as_bool();
    } else {
      return Status::Invalid(field + "." + k, "unknown_field", "未知字段: " + k, "Unknown field: " + k);
    }
  }
  return t;
}

Result<json::value> ParseJsonText(const std::string& text, const std::string& field) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return Status::Invalid(field, "malformed_json", "JSON 格式错误", "Malformed JSON");
  return v;
}

Result<std::optional<bool>> OptBool(const Body& b, const char* key) {
  if (!b.Has(key)) return std::optional<bool>{};
  const std::string text = b.Json(key);
  if (text == "true") return std::optional<bool>{true};
  if (text == "false") return std::optional<bool>{false};
  return BadType(key, "true 或 false", "true or false");
}

}  // namespace

Result<service::DispatchInput> DispatchInputFrom(const http::Request& req) {
  TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"version", "lead", "co"}));
  service::DispatchInput in;
  TH_ASSIGN_OR_RETURN(in.version, b.Int("version"));
  if (!b.Has("lead")) return Status::Required("lead");
  TH_ASSIGN_OR_RETURN(auto lead, ParseJsonText(b.Json("lead"), "lead"));
  TH_ASSIGN_OR_RETURN(in.lead, TargetFrom(lead, "lead"));
  if (b.Has("co")) {
    TH_ASSIGN_OR_RETURN(auto co, ParseJsonText(b.Json("co"), "co"));
    if (!co.is_array()) return BadType("co", "数组", "an array");
    if (co.as_array().size() > service::DispatchService::kMaxCo) {
      return Status::Invalid("co", "too_many", "协办单位过多", "Too many co-handling units");
    }
    for (std::size_t i = 0; i < co.as_array().size(); ++i) {
      TH_ASSIGN_OR_RETURN(auto t, TargetFrom(co.as_array()[i], "co." + std::to_string(i)));
      in.co.push_back(std::move(t));
    }
  }
  return in;
}

Result<service::OrderActionInput> ActionInputFrom(const http::Request& req) {
  TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"action", "version", "note", "due_date", "reached", "satisfied",
                                                "verified", "attachment_ids", "outcome",
                                                "reply_to_reporter"}));
  service::OrderActionInput in;
  TH_ASSIGN_OR_RETURN(in.action, b.Str("action"));
  TH_ASSIGN_OR_RETURN(in.version, b.Int("version"));
  TH_ASSIGN_OR_RETURN(auto note, b.MaybeStr("note"));
  in.note = note.value_or("");
  TH_ASSIGN_OR_RETURN(auto due, b.MaybeStr("due_date"));
  if (due && !due->empty()) {
    TH_ASSIGN_OR_RETURN(auto d, domain::ParseDate(*due, "due_date"));
    in.due_date = d;
  }
  TH_ASSIGN_OR_RETURN(auto reached, b.MaybeStr("reached"));
  in.reached = reached.value_or("");
  TH_ASSIGN_OR_RETURN(in.satisfied, OptBool(b, "satisfied"));
  TH_ASSIGN_OR_RETURN(in.verified, OptBool(b, "verified"));
  TH_ASSIGN_OR_RETURN(auto outcome, b.MaybeStr("outcome"));
  in.outcome = outcome.value_or("");
  TH_ASSIGN_OR_RETURN(auto reply, b.MaybeStr("reply_to_reporter"));
  in.reply_to_reporter = reply.value_or("");
  if (b.Has("attachment_ids")) {
    TH_ASSIGN_OR_RETURN(auto ids, ParseJsonText(b.Json("attachment_ids"), "attachment_ids"));
    if (!ids.is_array() || ids.as_array().size() > 20) return BadType("attachment_ids", "编号数组", "an array of ids");
    for (const auto& x : ids.as_array()) {
      if (!x.is_int64() || x.as_int64() <= 0) return BadType("attachment_ids", "编号数组", "an array of ids");
      in.attachment_ids.push_back(x.as_int64());
    }
  }
  return in;
}

Result<service::DispatchListParams> ListParamsFrom(const http::Request& req) {
  service::DispatchListParams p;
  p.status = QueryStr(req, "status");
  const std::string overdue = QueryStr(req, "overdue");
  if (!overdue.empty() && overdue != "0" && overdue != "1" && overdue != "true" && overdue != "false") {
    return Status::InvalidEnum("overdue", overdue);
  }
  p.overdue = overdue == "1" || overdue == "true";
  TH_ASSIGN_OR_RETURN(p.agency_id, QueryInt(req, "agency_id", false));
  TH_ASSIGN_OR_RETURN(p.unit_id, QueryInt(req, "unit_id", false));
  TH_ASSIGN_OR_RETURN(p.report_id, QueryInt(req, "report_id", false));
  return p;
}

Status StatsQueryFrom(const http::Request& req, domain::Date* from, domain::Date* to, std::string* by) {
  *by = QueryStr(req, "by").empty() ? "department" : QueryStr(req, "by");
  const std::string f = QueryStr(req, "from"), t = QueryStr(req, "to");
  if (f.empty()) return Status::Required("from");
  if (t.empty()) return Status::Required("to");
  TH_ASSIGN_OR_RETURN(*from, domain::ParseDate(f, "from"));
  TH_ASSIGN_OR_RETURN(auto last, domain::ParseDate(t, "to"));
  *to = last.AddDays(1);  // `to` is the last day included
  return Status::Ok();
}

http::Response XlsxDownload(std::string bytes, const std::string& name) {
  http::Response resp;
  resp.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  resp.body = std::move(bytes);
  resp.AddHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
  resp.AddHeader("Cache-Control", "no-store");
  resp.AddHeader("X-Content-Type-Options", "nosniff");
  return resp;
}

}  // namespace th::api
