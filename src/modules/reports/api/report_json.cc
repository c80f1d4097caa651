#include "modules/reports/api/report_json.h"

#include "platform/api/route_context.h"

namespace th::api {

namespace json = boost::json;

namespace {

json::value Opt(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }
json::value OptStr(const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); }

json::array Situations(const std::string& stored, const domain::ReportConfig& cfg, bool en) {
  json::array out;
  for (const auto& code : domain::SplitSituations(stored)) {
    const auto* s = cfg.Situation(code);
    out.push_back(json::object{{"code", code}, {"name", s ? (en && !s->name_en.empty() ? s->name_en : s->name) : code}});
  }
  return out;
}

}  // namespace

// Long: one flat mapping of the report's fields to the documented shape (docs/API.md).
json::object ReportJson(const service::ReportView& v, const domain::ReportConfig& cfg, bool en) {
  const auto& r = v.report;
  const auto* cat = cfg.Category(r.category);
  json::object o{{"id", r.id},
                 {"channel", r.channel},
                 {"channel_name", domain::ChannelName(r.channel, en)},
                 {"status", r.status},
                 {"status_name", v.reporter_only ? domain::PublicStatusName(r.status, en)
                                                 : domain::ReportStatusName(r.status, en)},
                 {"public_status_name", domain::PublicStatusName(r.status, en)},
                 {"sensitive", r.sensitive},
                 {"masked", v.masked},
                 {"reporter_only", v.reporter_only},
                 {"mine", v.mine},
                 {"situations", Situations(r.situations, cfg, en)},
                 {"description", v.masked ? json::value(nullptr) : json::value(r.description)},
                 {"place", v.masked ? json::value(nullptr) : json::value(r.place)},
                 {"child", json::object{{"id", Opt(r.child_id)},
                                        {"name", v.masked ? json::value(nullptr) : OptStr(r.child_name)},
                                        {"age", Opt(r.child_age)},
                                        {"school", v.masked ? json::value(nullptr) : OptStr(r.child_school)}}},
                 {"seen_at", OptStr(r.seen_at)},
                 {"police", json::object{{"reported", r.police_reported},
                                         {"station", r.police_station},
                                         {"reported_at", OptStr(r.police_reported_at)},
                                         {"receipt_no", r.police_receipt_no}}},
                 {"told", json::object{{"civil_affairs", r.told_civil_affairs}, {"education", r.told_education}}},
                 {"reporter", json::object{{"masked", true}}},
                 {"result", r.status == domain::kReportClosed ? OptStr(r.reply) : json::value(nullptr)},
                 {"created_at", r.created_at},
                 {"updated_at", r.updated_at},
                 {"version", r.version}};
  if (!v.reporter_only) {
    o["urgency"] = OptStr(r.urgency);
    o["urgency_name"] = r.urgency.empty() ? json::value(nullptr) : json::value(domain::UrgencyName(r.urgency, en));
    o["category"] = OptStr(r.category);
    o["category_name"] = cat ? json::value(en && !cat->name_en.empty() ? cat->name_en : cat->name) : json::value(nullptr);
    o["unit"] = json::object{{"id", r.unit_id}, {"name", r.unit_name}};
    o["district_unit_id"] = r.district_unit_id;
    o["finding_id"] = Opt(r.finding_id);
    o["triage_note"] = r.triage_note;
    o["triaged_at"] = Opt(r.triaged_at);
    o["outcome"] = OptStr(r.outcome);
    o["reply_to_reporter"] = OptStr(r.reply);
    o["closed_at"] = Opt(r.closed_at);
    json::array atts;
    for (const auto& a : v.attachments) atts.push_back(AttachmentJson(a));
    o["attachments"] = std::move(atts);
  }
  if (!v.tracking_code.empty()) o["tracking_code"] = v.tracking_code;
  return o;
}

json::object AttachmentJson(const repo::AttachmentRecord& a) {
  return json::object{{"id", a.id},           {"report_id", a.report_id}, {"source", a.source},
                      {"content_type", a.content_type}, {"size_bytes", a.size_bytes}, {"sha256", a.sha256},
                      {"created_at", a.created_at}};
}

json::object ShiftJson(const repo::DutyShiftRecord& s) {
  return json::object{{"id", s.id},
                      {"user", json::object{{"id", s.user_id}, {"display_name", s.user_name},
                                            {"phone_masked", s.user_phone_masked}}},
                      {"starts_at", s.starts_at},
                      {"ends_at", s.ends_at},
                      {"note", s.note},
                      {"created_at", s.created_at},
                      {"version", s.version}};
}

json::object HandoverJson(const repo::HandoverRecord& h) {
  return json::object{{"id", h.id},
                      {"shift_id", Opt(h.shift_id)},
                      {"note", h.note},
                      {"created_by", json::object{{"id", h.created_by}, {"display_name", h.created_by_name}}},
                      {"created_at", h.created_at}};
}

}  // namespace th::api
