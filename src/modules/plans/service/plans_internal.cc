#include "modules/plans/service/plans_internal.h"

#include <map>

#include "domain/date.h"
#include "text/field.h"

namespace th::service::plans_detail {

Status Audit(Deps& deps, storage::Connection& c, const Principal& who, const std::string& action,
             const std::string& type, std::int64_t id, const std::string& unit_path, const std::string& after) {
  return WriteAudit(c, deps.clock, &who, who.client_ip, {action, type, std::to_string(id), unit_path, "", after, ""});
}

namespace {

Status Clean(std::string* v, const std::string& field, text::TextRule rule) {
  TH_ASSIGN_OR_RETURN(*v, text::CleanText(*v, field, rule));
  return Status::Ok();
}

std::string Field(const std::string& kind, std::size_t i, const char* f) {
  return kind + "s[" + std::to_string(i) + "]." + f;
}

}  // namespace

Status CleanPlanInput(const domain::PlansConfig& cfg, PlanInput* in) {
  TH_RETURN_IF_ERROR(Clean(&in->title, "title", text::kLineText));
  TH_RETURN_IF_ERROR(Clean(&in->summary, "summary", text::kLongText));
  for (auto* d : {&in->period_from, &in->period_to}) {
    if (d->empty()) continue;
    TH_RETURN_IF_ERROR(domain::ParseDate(*d, d == &in->period_from ? "period_from" : "period_to").status());
  }
  if (!in->period_from.empty() && !in->period_to.empty() && in->period_to < in->period_from) {
    return Status::Invalid("period_to", "invalid_period", "计划结束日期不能早于开始日期",
                           "The plan cannot end before it starts");
  }
  std::map<std::string, std::size_t> counts;
  for (auto& l : in->lines) {
    const std::size_t i = counts[l.kind]++;
    TH_RETURN_IF_ERROR(Clean(&l.code, Field(l.kind, i, "code"), text::kShortText));
    TH_RETURN_IF_ERROR(Clean(&l.name, Field(l.kind, i, "name"), text::kLineText));
    TH_RETURN_IF_ERROR(Clean(&l.text, Field(l.kind, i, "goal"), text::kLongText));
    TH_RETURN_IF_ERROR(Clean(&l.extra, Field(l.kind, i, "extra"), text::kLineText));
    TH_RETURN_IF_ERROR(Clean(&l.frequency, Field(l.kind, i, "frequency"), text::kShortText));
    TH_RETURN_IF_ERROR(Clean(&l.phone, Field(l.kind, i, "phone"), text::kShortText));
    TH_RETURN_IF_ERROR(Clean(&l.owner_role, Field(l.kind, i, "owner_role"), text::kShortText));
    l.done_at.reset();
    l.done_by.reset();
  }
  return domain::CheckPlanLines(cfg, in->lines, false);
}

std::int64_t StreetOf(const std::string& path, std::int64_t district_id) {
  const std::string marker = "/" + std::to_string(district_id) + "/";
  const auto at = path.find(marker);
  if (at == std::string::npos) return 0;
  const auto from = at + marker.size();
  if (from >= path.size()) return district_id;
  const auto end = path.find('/', from);
  if (end == std::string::npos) return district_id;
  return std::stoll(path.substr(from, end - from));
}

std::vector<domain::PlanLine> MaskedLines(std::vector<domain::PlanLine> lines) {
  for (auto& l : lines) l.phone = domain::MaskPhone(l.phone);
  return lines;
}

Status CheckPastDate(const std::string& value, const char* field, std::int64_t now) {
  if (value.empty()) return Status::Required(field);
  TH_ASSIGN_OR_RETURN(auto d, domain::ParseDate(value, field));
  if (d > domain::Date::FromEpochMillisShanghai(now) || d.year < 2000) {
    return Status::Invalid(field, "invalid_date", "日期不能晚于今天", "The date cannot be in the future");
  }
  return Status::Ok();
}

}  // namespace th::service::plans_detail
