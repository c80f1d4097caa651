// Request bodies of the plans routes: plans with their lines, service records, groups, sessions.
#include <boost/json.hpp>

#include "modules/plans/api/plan_json.h"
#include "platform/api/json_io.h"

namespace th::api {

namespace json = boost::json;
using domain::PlanLine;

namespace {

Status Bad(const std::string& field, const char* zh, const char* en) {
  return Status::Invalid(field, "invalid_type", field + " 应为" + zh, field + " must be " + en);
}

// One line's field: `key` of the request maps to a member of PlanLine.
struct FieldMap {
  const char* key;
  enum Type { kText, kId } type;
  std::string PlanLine::*text;
  std::optional<std::int64_t> PlanLine::*id;
};

const std::vector<FieldMap>& FieldsOf(const std::string& kind) {
  static const std::vector<FieldMap> goal = {
      {"need_code", FieldMap::kText, &PlanLine::code, nullptr}, {"need_name", FieldMap::kText, &PlanLine::name, nullptr},
      {"goal", FieldMap::kText, &PlanLine::text, nullptr},      {"measure", FieldMap::kText, &PlanLine::extra, nullptr}};
  static const std::vector<FieldMap> service = {
      {"type", FieldMap::kText, &PlanLine::code, nullptr},      {"title", FieldMap::kText, &PlanLine::name, nullptr},
      {"frequency", FieldMap::kText, &PlanLine::frequency, nullptr}, {"provider", FieldMap::kText, &PlanLine::extra, nullptr},
      {"group_id", FieldMap::kId, nullptr, &PlanLine::group_id}};
  static const std::vector<FieldMap> member = {
      {"role", FieldMap::kText, &PlanLine::code, nullptr}, {"name", FieldMap::kText, &PlanLine::name, nullptr},
      {"org", FieldMap::kText, &PlanLine::extra, nullptr}, {"phone", FieldMap::kText, &PlanLine::phone, nullptr},
      {"user_id", FieldMap::kId, nullptr, &PlanLine::owner_user_id}};
  static const std::vector<FieldMap> task = {
      {"title", FieldMap::kText, &PlanLine::name, nullptr},
      {"owner_unit_id", FieldMap::kId, nullptr, &PlanLine::owner_unit_id},
      {"owner_role", FieldMap::kText, &PlanLine::owner_role, nullptr},
      {"owner_user_id", FieldMap::kId, nullptr, &PlanLine::owner_user_id},
      {"due_date", FieldMap::kText, &PlanLine::due_date, nullptr}};
  return kind == domain::kLineGoal ? goal : kind == domain::kLineService ? service : kind == domain::kLineMember ? member : task;
}

Result<PlanLine> LineFrom(const json::value& v, const std::string& kind, const std::string& where) {
  if (!v.is_object()) return Bad(where, "对象", "an object");
  PlanLine l;
  l.kind = kind;
  const auto& fields = FieldsOf(kind);
  for (const auto& kv : v.as_object()) {
    const std::string k(kv.key());
    const json::value& x = kv.value();
    const std::string f = where + "." + k;
    // Read-only fields of a line as the server sends it (names of codes, the done state) are ignored.
    if (k == "id" || k == "done" || k == "done_at" || k == "type_name" || k == "frequency_name" || k == "role_name") {
      if (k == "id" && x.is_int64()) l.id = x.as_int64();  // the line edited (keeps a masked phone)
      continue;
    }
    const FieldMap* m = nullptr;
    for (const auto& fm : fields) {
      if (k == fm.key) m = &fm;
    }
    if (!m) return Status::Invalid(f, "unknown_field", "未知字段: " + k, "Unknown field: " + k);
    if (x.is_null()) continue;
    if (m->type == FieldMap::kText) {
      if (!x.is_string()) return Bad(f, "文本", "text");
      l.*(m->text) = std::string(x.as_string());
    } else {
      if (!x.is_int64() || x.as_int64() <= 0) return Status::Invalid(f, "invalid_id", "编号无效: " + k, "Invalid id: " + k);
      l.*(m->id) = x.as_int64();
    }
  }
  return l;
}

Status LinesFrom(const std::string& text, const char* key, const std::string& kind, std::vector<PlanLine>* out) {
  if (text.empty()) return Status::Ok();
  json::value v = json::parse(text);
  if (!v.is_array()) return Bad(key, "数组", "an array");
  std::size_t i = 0;
  for (const auto& e : v.as_array()) {
    TH_ASSIGN_OR_RETURN(auto l, LineFrom(e, kind, std::string(key) + "[" + std::to_string(i++) + "]"));
    out->push_back(std::move(l));
  }
  return Status::Ok();
}

std::string StrOr(const Body& b, const char* key) { return b.OptStr(key).value_or(""); }

}  // namespace

Result<service::PlanInput> PlanInputFrom(const http::Request& req, bool update) {
  TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"title", "summary", "period_from", "period_to", "goals", "services",
                                                "team", "tasks", "version"}));
  service::PlanInput in;
  in.title = StrOr(b, "title");
  in.summary = StrOr(b, "summary");
  in.period_from = StrOr(b, "period_from");
  in.period_to = StrOr(b, "period_to");
  in.lines_given = b.Has("goals") || b.Has("services") || b.Has("team") || b.Has("tasks");
  TH_RETURN_IF_ERROR(LinesFrom(b.Json("goals"), "goals", domain::kLineGoal, &in.lines));
  TH_RETURN_IF_ERROR(LinesFrom(b.Json("services"), "services", domain::kLineService, &in.lines));
  TH_RETURN_IF_ERROR(LinesFrom(b.Json("team"), "team", domain::kLineMember, &in.lines));
  TH_RETURN_IF_ERROR(LinesFrom(b.Json("tasks"), "tasks", domain::kLineTask, &in.lines));
  if (update) {
    TH_ASSIGN_OR_RETURN(in.version, b.Int("version"));
  }
  return in;
}

Result<service::ServiceInput> ServiceInputFrom(const http::Request& req) {
  TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"served_on", "service_type", "delivered_by", "duration_min", "content",
                                                "outcome", "plan_id"}));
  service::ServiceInput in;
  in.served_on = StrOr(b, "served_on");
  in.service_type = StrOr(b, "service_type");
  in.delivered_by = StrOr(b, "delivered_by");
  in.content = StrOr(b, "content");
  in.outcome = StrOr(b, "outcome");
  TH_ASSIGN_OR_RETURN(auto d, b.MaybeInt("duration_min"));
  if (!d) return Status::Required("duration_min");
  in.duration_min = *d;
  TH_ASSIGN_OR_RETURN(in.plan_id, b.MaybeInt("plan_id"));
  return in;
}

Result<service::GroupInput> GroupInputFrom(const http::Request& req) {
  TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"unit_id", "name", "group_type", "goal", "facilitator"}));
  service::GroupInput in;
  TH_ASSIGN_OR_RETURN(auto unit, b.MaybeInt("unit_id"));
  in.unit_id = unit.value_or(0);
  in.name = StrOr(b, "name");
  in.group_type = StrOr(b, "group_type");
  in.goal = StrOr(b, "goal");
  in.facilitator = StrOr(b, "facilitator");
  return in;
}

Result<service::SessionInput> SessionInputFrom(const http::Request& req) {
  TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"held_on", "topic", "content", "duration_min", "facilitator", "outcome",
                                                "attendees"}));
  service::SessionInput in;
  in.held_on = StrOr(b, "held_on");
  in.topic = StrOr(b, "topic");
  in.content = StrOr(b, "content");
  in.facilitator = StrOr(b, "facilitator");
  in.outcome = StrOr(b, "outcome");
  TH_ASSIGN_OR_RETURN(auto d, b.MaybeInt("duration_min"));
  if (!d) return Status::Required("duration_min");
  in.duration_min = *d;
  const std::string att = b.Json("attendees");
  if (!att.empty()) {
    json::value v = json::parse(att);
    if (!v.is_array()) return Bad("attendees", "数组", "an array");
    for (const auto& e : v.as_array()) {
      if (!e.is_int64() || e.as_int64() <= 0) return Status::Invalid("attendees", "invalid_id", "编号无效", "Invalid id");
      in.attendees.push_back(e.as_int64());
    }
  }
  return in;
}

}  // namespace th::api
