#include "platform/work/work_routes.h"

#include <boost/json.hpp>

#include <cstdio>

#include "platform/api/json_io.h"
#include "platform/service/services.h"
#include "platform/work/work_item_detail.h"
#include "platform/work/work_service.h"
#include "platform/service/audit_service.h"

namespace th::api {

namespace json = boost::json;
using service::Principal;

namespace {

// "2026-10-12T23:59:59+08:00" (deadlines are shown in Asia/Shanghai).
std::string IsoShanghai(std::int64_t ms) {
  const std::int64_t s = ms / 1000 + 8 * 3600;
  const domain::Date d = domain::Date::FromDays(s / 86400 - (s % 86400 < 0 ? 1 : 0));
  std::int64_t sec = ((s % 86400) + 86400) % 86400;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%sT%02lld:%02lld:%02lld+08:00", d.ToString().c_str(), static_cast<long long>(sec / 3600),
                static_cast<long long>(sec / 60 % 60), static_cast<long long>(sec % 60));
  return buf;
}

json::object ItemJson(const work::WorkService& w, const work::WorkItemRecord& r, std::int64_t now, bool en) {
  return json::object{{"id", r.id},
                      {"kind", r.kind},
                      {"kind_name", w.KindName(r.kind, en)},
                      {"title", r.title},
                      {"subject", json::object{{"type", r.subject_type}, {"id", r.subject_id}, {"label", r.label}}},
                      {"unit", json::object{{"id", r.owner_unit_id}, {"name", r.unit_name}}},
                      {"owner_role", r.owner_role},
                      {"state", r.state},
                      {"due_at", IsoShanghai(r.due_at)},
                      {"overdue", r.due_at < now},
                      {"beyond_calendar", (r.due_flags & 1) != 0},
                      {"escalation_level", r.escalation_level},
                      {"link", r.link},
                      {"version", r.version}};
}

json::array CountsJson(const work::WorkService& w, const std::vector<work::KindCount>& counts, bool en) {
  json::array out;
  for (const auto& k : counts) {
    out.push_back(json::object{{"kind", k.kind},
                               {"kind_name", w.KindName(k.kind, en)},
                               {"count", k.count},
                               {"overdue", k.overdue},
                               {"due_today", k.due_today}});
  }
  return out;
}

// GET /work-items/{id}: the item (as in the inbox, with its start and escalation times), its steps,
// its escalations and the actions the caller may take now.
json::object DetailJson(const work::WorkService& w, const work::WorkItemDetail& d, std::int64_t now, bool en) {
  json::object o = ItemJson(w, d.item, now, en);
  o["is_open"] = d.item.is_open;
  o["started_at"] = IsoShanghai(d.item.started_at);
  o["warn_at"] = IsoShanghai(d.item.warn_at);
  o["district_at"] = IsoShanghai(d.item.district_at);
  o["round"] = d.item.round;
  o["closed_at"] = d.item.closed_at ? json::value(IsoShanghai(*d.item.closed_at)) : json::value(nullptr);
  json::array steps;
  for (const auto& s : d.steps) {
    steps.push_back(json::object{{"id", s.id},
                                 {"action", s.action},
                                 {"from_state", s.from_state},
                                 {"to_state", s.to_state},
                                 {"by", s.by_user_id ? json::value(json::object{{"id", *s.by_user_id}, {"name", s.by_name}})
                                                     : json::value(nullptr)},
                                 {"at", IsoShanghai(s.at)},
                                 {"note", s.note},
                                 {"due_at", s.due_at ? json::value(IsoShanghai(*s.due_at)) : json::value(nullptr)}});
  }
  json::array escalations;
  for (const auto& e : d.escalations) {
    escalations.push_back(json::object{{"id", e.id},
                                       {"round", e.round},
                                       {"level", e.level},
                                       {"step", e.step},
                                       {"unit", json::object{{"id", e.target_unit_id}, {"name", e.target_unit_name}}},
                                       {"at", IsoShanghai(e.at)}});
  }
  json::array actions;
  for (const auto& a : d.actions) actions.push_back(json::value(a));
  o["steps"] = std::move(steps);
  o["escalations"] = std::move(escalations);
  o["actions"] = std::move(actions);
  return o;
}

void RegisterItemRoutes(http::Router& r, work::WorkService* w, const RouteContext& helpers) {
  r.Add("GET", "/api/v1/work-items/{id}",
        helpers.authed([w](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto d, work::ItemDetail(*w, who, id));
          return JsonResponse(DetailJson(*w, d, w->deps().clock.NowMillis(), WantsEnglish(req)));
        }));
  r.Add("POST", "/api/v1/work-items/{id}/actions",
        helpers.authed([w](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"action", "note", "version", "due_date"}));
          TH_ASSIGN_OR_RETURN(auto action, b.Str("action"));
          TH_ASSIGN_OR_RETURN(auto note, b.MaybeStr("note"));
          TH_ASSIGN_OR_RETURN(auto version, b.Int("version"));
          TH_ASSIGN_OR_RETURN(auto due_text, b.MaybeStr("due_date"));
          std::optional<domain::Date> due;
          if (due_text && !due_text->empty()) {
            TH_ASSIGN_OR_RETURN(due, domain::ParseDate(*due_text, "due_date"));
          }
          TH_ASSIGN_OR_RETURN(auto d, work::ItemAction(*w, who, id, action, note.value_or(""), version, due));
          return JsonResponse(DetailJson(*w, d, w->deps().clock.NowMillis(), WantsEnglish(req)));
        }));
}

}  // namespace

void RegisterWorkRoutes(http::Router& r, service::Services& s, const RouteContext& helpers) {
  work::WorkService* w = work::FindWork(s.deps());
  if (!w) return;
  r.Add("GET", "/api/v1/inbox", helpers.authed([w, helpers](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto page, helpers.page_from(req));
          TH_ASSIGN_OR_RETURN(auto inbox, w->Inbox(who, QueryStr(req, "kind"), page));
          const bool en = WantsEnglish(req);
          const std::int64_t now = w->deps().clock.NowMillis();
          json::array items;
          for (const auto& i : inbox.items) items.push_back(ItemJson(*w, i, now, en));
          return JsonResponse(json::object{{"items", std::move(items)},
                                           {"total", inbox.total},
                                           {"page", page.page},
                                           {"page_size", page.page_size},
                                           {"counts", CountsJson(*w, inbox.counts, en)}});
        }));
  r.Add("GET", "/api/v1/inbox/overdue",
        helpers.authed([w, helpers](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto page, helpers.page_from(req));
          TH_ASSIGN_OR_RETURN(auto unit, QueryInt(req, "unit_id", false));
          // state=extension_requested: the pending extension requests (overdue or not) instead.
          const std::string state = QueryStr(req, "state");
          if (!state.empty() && state != "extension_requested") {
            return Status::Invalid("state", "invalid_enum", "未知的状态: " + state, "Unknown state: " + state);
          }
          std::int64_t total = 0;
          bool capped = false;
          TH_ASSIGN_OR_RETURN(auto rows,
                              w->Overdue(who, unit, QueryStr(req, "kind"), page, &total, !state.empty(), &capped));
          const bool en = WantsEnglish(req);
          const std::int64_t now = w->deps().clock.NowMillis();
          json::array items;
          for (const auto& i : rows) items.push_back(ItemJson(*w, i, now, en));
          return JsonResponse(json::object{
              {"items", std::move(items)}, {"total", total}, {"total_capped", capped}, {"page", page.page},
              {"page_size", page.page_size}});
        }));
  RegisterItemRoutes(r, w, helpers);
}

}  // namespace th::api
