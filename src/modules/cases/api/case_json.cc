#include "modules/cases/api/case_json.h"

#include "platform/api/route_context.h"

namespace th::api {

namespace json = boost::json;

json::value GradeJson(const domain::FormSet& forms, const std::string& kind, const std::string& code) {
  if (code.empty()) return nullptr;
  const domain::GradeRule* g = nullptr;
  if (const domain::AssessmentForm* f = forms.ForKind(kind)) g = f->Grade(code);
  for (const auto& f : forms.forms) {
    if (!g && f.kind == kind) g = f.Grade(code);
  }
  if (!g) return json::object{{"code", code}, {"name", code}};
  return json::object{{"code", g->code},     {"name", g->name},           {"name_en", g->name_en},
                      {"level", g->level},   {"level_en", g->level_en},   {"action", g->action},
                      {"action_en", g->action_en}, {"color", g->color}};
}

json::object AssessmentJson(const repo::AssessmentRecord& a, const domain::FormSet& forms) {
  const domain::AssessmentForm* f = forms.Find(a.form_code, a.form_version);
  boost::system::error_code ec;
  json::value answers = json::parse(a.answers_json.empty() ? std::string("{}") : a.answers_json, ec);
  json::value needs = json::parse(a.needs_json.empty() ? std::string("[]") : a.needs_json, ec);
  return json::object{
      {"id", a.id},
      {"child_id", a.child_id},
      {"case_id", OptInt(a.case_id)},
      {"kind", a.kind},
      {"form", json::object{{"code", a.form_code}, {"version", a.form_version}, {"name", f ? f->name : a.form_code},
                            {"name_en", f ? f->name_en : a.form_code}}},
      {"status", a.status},
      {"answers", answers},
      {"score", a.score},
      {"grade", a.status == "completed" ? GradeJson(forms, a.kind, a.grade) : json::value(nullptr)},
      {"needs", a.status == "completed" ? needs : json::value(json::array())},
      {"note", a.note},
      {"assessor", json::object{{"id", a.assessor_user_id}, {"display_name", a.assessor_name}}},
      {"completed_at", OptInt(a.completed_at)},
      {"created_at", a.created_at},
      {"updated_at", a.updated_at},
      {"version", a.version}};
}

json::object CaseJson(const service::CaseView& v, const domain::FormSet& forms, bool detail) {
  const repo::CaseRecord& k = v.record;
  json::object o{
      {"id", k.id},
      {"child", json::object{{"id", k.child_id}, {"name", k.child_name}}},
      {"unit", json::object{{"id", k.unit_id}, {"name", k.unit_name}}},
      {"status", k.status},
      {"source", k.source},
      {"report_id", OptInt(k.report_id)},
      {"reason", k.reason},
      {"worker", k.worker_user_id ? json::value(json::object{{"id", *k.worker_user_id}, {"display_name", k.worker_name}})
                                  : json::value(nullptr)},
      {"grade", GradeJson(forms, "risk", k.grade)},
      {"close_reason", k.close_reason},
      {"opened_at", k.opened_at},
      {"closed_at", OptInt(k.closed_at)},
      {"updated_at", k.updated_at},
      {"version", k.version}};
  if (!detail) return o;
  json::array events;
  for (const auto& e : v.events) {
    events.push_back(json::object{{"id", e.id},
                                  {"at", e.at},
                                  {"user", json::object{{"id", OptInt(e.user_id)}, {"display_name", e.user_name}}},
                                  {"action", e.action},
                                  {"from", e.from_status},
                                  {"to", e.to_status},
                                  {"note", e.note}});
  }
  json::array assessments;
  for (const auto& a : v.assessments) assessments.push_back(AssessmentJson(a, forms));
  json::array actions;
  for (const auto& a : v.actions) actions.push_back(json::string(a));
  o["events"] = std::move(events);
  o["assessments"] = std::move(assessments);
  o["actions"] = std::move(actions);
  return o;
}

json::object FormJson(const domain::AssessmentForm& f) {
  json::array sections;
  for (const auto& s : f.sections) {
    json::array qs;
    for (const auto& q : s.questions) {
      json::array opts;
      for (const auto& op : q.options) {
        opts.push_back(json::object{{"value", op.value}, {"label", op.label}, {"label_en", op.label_en}, {"score", op.score}});
      }
      json::object jq{{"id", q.id},       {"text", q.text},         {"text_en", q.text_en},
                      {"type", q.type},   {"required", q.required}, {"options", std::move(opts)}};
      if (q.type == "number") {
        jq["min"] = q.min;
        jq["max"] = q.max;
      }
      if (!q.need.empty()) jq["need"] = q.need;
      qs.push_back(std::move(jq));
    }
    sections.push_back(json::object{{"id", s.id}, {"title", s.title}, {"title_en", s.title_en}, {"questions", std::move(qs)}});
  }
  json::array grades;
  for (const auto& g : f.grades) {
    grades.push_back(json::object{{"code", g.code},     {"name", g.name},     {"name_en", g.name_en},
                                  {"level", g.level},   {"level_en", g.level_en}, {"action", g.action},
                                  {"action_en", g.action_en}, {"color", g.color}, {"min_score", g.min_score}});
  }
  json::array needs;
  for (const auto& n : f.need_categories) {
    needs.push_back(json::object{{"code", n.code}, {"name", n.name}, {"name_en", n.name_en}});
  }
  return json::object{{"code", f.code},       {"version", f.version},         {"kind", f.kind},
                      {"name", f.name},       {"name_en", f.name_en},         {"region", f.region},
                      {"sections", std::move(sections)}, {"grades", std::move(grades)},
                      {"need_categories", std::move(needs)}};
}

}  // namespace th::api
