#include "modules/guardianship/api/guardianship_json.h"

#include "domain/id_number.h"
#include "platform/api/json_io.h"
#include "platform/api/route_context.h"

namespace th::api {

namespace json = boost::json;

namespace {

json::array CodeNames(const std::vector<domain::GuardianshipCode>& list) {
  json::array out;
  for (const auto& c : list) out.push_back(json::object{{"code", c.code}, {"name", c.name}, {"name_en", c.name_en}});
  return out;
}

json::value Named(const std::vector<domain::GuardianshipCode>& list, const std::string& code) {
  if (code.empty()) return nullptr;
  const domain::GuardianshipCode* c = domain::GuardianshipConfig::Find(list, code);
  return json::object{{"code", code}, {"name", c ? c->name : code}, {"name_en", c ? c->name_en : code}};
}

json::array Grounds(const domain::GuardianshipConfig& cfg, const repo::GuardianshipRecord& g) {
  json::array out;
  std::size_t start = 0;
  while (start < g.grounds.size()) {
    std::size_t end = g.grounds.find(',', start);
    if (end == std::string::npos) end = g.grounds.size();
    const std::string code = g.grounds.substr(start, end - start);
    out.push_back(Named(cfg.Grounds(g.kind), code));
    start = end + 1;
  }
  return out;
}

json::value Placement(const domain::GuardianshipConfig& cfg, const repo::GuardianshipRecord& g) {
  if (g.placement_kind.empty()) return nullptr;
  return json::object{{"kind", Named(cfg.placement_kinds, g.placement_kind)},
                      {"name", g.placement_name},
                      {"contact", g.placement_contact},
                      // Masked everywhere; POST /children/{child}/reveal (target placement) shows it.
                      {"phone_masked", g.placement_phone.empty() ? "" : domain::MaskPhone(g.placement_phone)},
                      {"address", g.placement_address},
                      {"placed_at", OptInt(g.placed_at)},
                      {"limit_at", OptInt(g.limit_at)}};
}

}  // namespace

json::object GuardianshipJson(const service::GuardianshipView& v, const domain::GuardianshipConfig& cfg, bool detail) {
  const repo::GuardianshipRecord& g = v.record;
  json::array actions;
  for (const auto& a : v.actions) actions.push_back(json::value(a));
  json::object o{{"id", g.id},
                 {"child", json::object{{"id", g.child_id}, {"name", g.child_name}}},
                 {"unit", json::object{{"id", g.unit_id}, {"name", g.unit_name}}},
                 {"kind", g.kind},
                 {"status", g.status},
                 {"grounds", Grounds(cfg, g)},
                 {"reason", g.reason},
                 {"proposed_at", g.proposed_at},
                 {"decided_at", OptInt(g.decided_at)},
                 {"decision_note", g.decision_note},
                 {"placement", Placement(cfg, g)},
                 {"return_assessment_id", OptInt(g.return_assessment_id)},
                 {"returned_at", OptInt(g.returned_at)},
                 {"converted_at", OptInt(g.converted_at)},
                 {"ended_at", OptInt(g.ended_at)},
                 {"end_kind", g.end_kind},
                 {"end_note", g.end_note},
                 {"updated_at", g.updated_at},
                 {"version", g.version},
                 {"actions", std::move(actions)}};
  if (!detail) return o;
  json::array events, checks;
  for (const auto& e : v.events) {
    events.push_back(json::object{{"id", e.id},         {"at", e.at},           {"action", e.action},
                                  {"from", e.from_status}, {"to", e.to_status}, {"note", e.note},
                                  {"user", e.user_name}});
  }
  for (const auto& k : v.checks) {
    checks.push_back(json::object{{"id", k.id},
                                  {"checked_at", k.checked_at},
                                  {"checker", k.checker_name},
                                  {"child_state", Named(cfg.child_states, k.child_state)},
                                  {"notes", k.notes}});
  }
  o["events"] = std::move(events);
  o["checks"] = std::move(checks);
  if (v.return_assessment) {
    const auto& a = *v.return_assessment;
    o["return_assessment"] = json::object{{"id", a.id},
                                          {"status", a.status},
                                          {"grade", a.grade},
                                          {"completed_at", OptInt(a.completed_at)},
                                          {"passes", a.passes},
                                          {"superseded_by", OptInt(a.superseded_by)}};
  } else {
    o["return_assessment"] = nullptr;
  }
  return o;
}

json::object GuardianshipConfigJson(const domain::GuardianshipConfig& cfg) {
  json::array pass;
  for (const auto& g : cfg.pass_grades) pass.push_back(json::value(g));
  return json::object{{"approval_required", cfg.approval_required},
                      {"limit_days", cfg.limit_days},
                      {"check_interval_days", cfg.check_interval_days},
                      {"return_assessment", json::object{{"kind", cfg.return_kind}, {"pass_grades", std::move(pass)}}},
                      {"grounds", json::object{{"temporary", CodeNames(cfg.temporary_grounds)},
                                               {"long_term", CodeNames(cfg.long_term_grounds)}}},
                      {"placement_kinds", CodeNames(cfg.placement_kinds)},
                      {"child_states", CodeNames(cfg.child_states)}};
}

}  // namespace th::api
