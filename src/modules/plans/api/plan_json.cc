#include "modules/plans/api/plan_json.h"

#include "platform/api/json_io.h"
#include "platform/api/route_context.h"
#include "platform/api/time_json.h"

namespace th::api {

namespace json = boost::json;
using domain::PlanLine;
using domain::PlansConfig;

namespace {

json::value Time(const std::optional<std::int64_t>& ms) { return ms ? json::value(IsoShanghai(*ms)) : json::value(nullptr); }

json::object CodeNames(const std::vector<domain::CodeName>& list, const char* key, json::object o = {}) {
  json::array a;
  for (const auto& c : list) a.push_back(json::object{{"code", c.code}, {"name", c.name}, {"name_en", c.name_en}});
  o[key] = std::move(a);
  return o;
}

json::object LineJson(const PlanLine& l, const PlansConfig& cfg, bool en) {
  json::object j{{"id", l.id}};
  if (l.kind == domain::kLineGoal) {
    j["need_code"] = l.code;
    j["need_name"] = l.name;
    j["goal"] = l.text;
    j["measure"] = l.extra;
  } else if (l.kind == domain::kLineService) {
    j["type"] = l.code;
    j["type_name"] = PlansConfig::NameOf(cfg.service_types, l.code, en);
    j["title"] = l.name;
    j["frequency"] = l.frequency;
    j["frequency_name"] = PlansConfig::NameOf(cfg.frequencies, l.frequency, en);
    j["provider"] = l.extra;
    j["group_id"] = OptInt(l.group_id);
  } else if (l.kind == domain::kLineMember) {
    j["role"] = l.code;
    j["role_name"] = PlansConfig::NameOf(cfg.team_roles, l.code, en);
    j["name"] = l.name;
    j["org"] = l.extra;
    j["phone"] = l.phone;
    j["user_id"] = OptInt(l.owner_user_id);
  } else {
    j["title"] = l.name;
    j["owner_unit_id"] = OptInt(l.owner_unit_id);
    j["owner_role"] = l.owner_role;
    j["owner_user_id"] = OptInt(l.owner_user_id);
    j["due_date"] = l.due_date;
    j["done"] = l.done_at.has_value();
    j["done_at"] = Time(l.done_at);
  }
  return j;
}

}  // namespace

json::object PlanSummaryJson(const repo::PlanRecord& p, bool en) {
  return json::object{{"id", p.id},
                      {"case_id", p.case_id},
                      {"child_id", p.child_id},
                      {"number", p.number},
                      {"status", p.status},
                      {"status_name", domain::PlanStatusName(p.status, en)},
                      {"title", p.title},
                      {"summary", p.summary},
                      {"period_from", p.period_from},
                      {"period_to", p.period_to},
                      {"grade", p.grade},
                      {"approval_required", p.approval_required},
                      {"submitted_at", Time(p.submitted_at)},
                      {"reviewed_at", Time(p.reviewed_at)},
                      {"reviewed_by", OptInt(p.reviewed_by)},
                      {"review_note", p.review_note},
                      {"created_at", IsoShanghai(p.created_at)},
                      {"updated_at", IsoShanghai(p.updated_at)},
                      {"version", p.version}};
}

json::object PlanJson(const service::PlanView& v, const PlansConfig& cfg, bool en) {
  json::object j = PlanSummaryJson(v.plan, en);
  json::array goals, services, team, tasks, actions, overdue;
  for (const auto& l : v.lines) {
    json::array* to = l.kind == domain::kLineGoal      ? &goals
                      : l.kind == domain::kLineService ? &services
                      : l.kind == domain::kLineMember  ? &team
                                                       : &tasks;
    to->push_back(LineJson(l, cfg, en));
  }
  for (const auto& a : v.actions) actions.push_back(json::value(a));
  for (auto id : v.overdue_tasks) overdue.push_back(id);
  j["goals"] = std::move(goals);
  j["services"] = std::move(services);
  j["team"] = std::move(team);
  j["tasks"] = std::move(tasks);
  j["actions"] = std::move(actions);
  j["overdue_tasks"] = std::move(overdue);
  j["phones_revealed"] = v.phones_revealed;
  return j;
}

json::object CasePlansJson(const service::CasePlansView& v, const PlansConfig& cfg, bool en) {
  json::array needs, versions, records, groups;
  for (const auto& n : v.needs) {
    needs.push_back(json::object{{"code", n.code}, {"name", n.name}, {"level", n.level}, {"note", n.note}});
  }
  for (const auto& p : v.versions) versions.push_back(PlanSummaryJson(p, en));
  for (const auto& r : v.records) records.push_back(RecordJson(r, cfg, en));
  for (const auto& g : v.groups) groups.push_back(GroupJson(g, cfg, en));
  return json::object{{"case", json::object{{"id", v.kase.id}, {"child_id", v.kase.child_id}, {"status", v.kase.status},
                                            {"grade", v.kase.grade}, {"unit_id", v.kase.unit_id}}},
                      {"needs", std::move(needs)},
                      {"current", v.current ? json::value(PlanJson(*v.current, cfg, en)) : json::value(nullptr)},
                      {"versions", std::move(versions)},
                      {"records", std::move(records)},
                      {"groups", std::move(groups)},
                      {"can_write", v.can_write},
                      {"can_record", v.can_record}};
}

json::object RecordJson(const repo::ServiceRecordRow& r, const PlansConfig& cfg, bool en) {
  return json::object{{"id", r.id},
                      {"case_id", r.case_id},
                      {"child_id", r.child_id},
                      {"plan_id", OptInt(r.plan_id)},
                      {"served_on", r.served_on},
                      {"service_type", r.service_type},
                      {"service_type_name", PlansConfig::NameOf(cfg.service_types, r.service_type, en)},
                      {"delivered_by", r.delivered_by},
                      {"duration_min", r.duration_min},
                      {"content", r.content},
                      {"outcome", r.outcome},
                      {"created_by", OptInt(r.created_by)},
                      {"created_at", IsoShanghai(r.created_at)},
                      {"version", r.version}};
}

json::object GroupJson(const repo::GroupRecord& g, const PlansConfig& cfg, bool en) {
  return json::object{{"id", g.id},
                      {"unit_id", g.unit_id},
                      {"name", g.name},
                      {"group_type", g.group_type},
                      {"group_type_name", PlansConfig::NameOf(cfg.group_types, g.group_type, en)},
                      {"goal", g.goal},
                      {"facilitator", g.facilitator},
                      {"status", g.status},
                      {"members", g.members},
                      {"sessions", g.sessions},
                      {"created_at", IsoShanghai(g.created_at)},
                      {"version", g.version}};
}

json::object SessionJson(const repo::GroupSessionRecord& s) {
  json::array att;
  for (auto id : s.attendees) att.push_back(id);
  return json::object{{"id", s.id},           {"group_id", s.group_id},       {"held_on", s.held_on},
                      {"topic", s.topic},     {"content", s.content},         {"duration_min", s.duration_min},
                      {"facilitator", s.facilitator}, {"outcome", s.outcome}, {"attendees", std::move(att)},
                      {"created_at", IsoShanghai(s.created_at)}};
}

json::object ConfigJson(const PlansConfig& cfg) {
  json::object o{{"approval_required", cfg.approval_required}};
  o = CodeNames(cfg.service_types, "service_types", std::move(o));
  o = CodeNames(cfg.frequencies, "frequencies", std::move(o));
  o = CodeNames(cfg.team_roles, "team_roles", std::move(o));
  return CodeNames(cfg.group_types, "group_types", std::move(o));
}

json::object DocumentJson(const domain::DocModel& d) {
  json::array blocks;
  for (const auto& b : d.blocks) {
    json::object o{{"kind", b.kind == domain::DocBlock::kHeading ? "heading" : b.kind == domain::DocBlock::kTable ? "table" : "paragraph"}};
    if (b.kind == domain::DocBlock::kTable) {
      json::array rows;
      for (const auto& r : b.rows) {
        json::array cells;
        for (const auto& c : r) cells.push_back(json::value(c));
        rows.push_back(std::move(cells));
      }
      o["rows"] = std::move(rows);
    } else {
      o["text"] = b.text;
    }
    blocks.push_back(std::move(o));
  }
  return json::object{{"title", d.title}, {"blocks", std::move(blocks)}};
}

}  // namespace th::api
