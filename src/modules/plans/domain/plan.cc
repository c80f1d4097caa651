#include "modules/plans/domain/plan.h"

#include "domain/date.h"

namespace th::domain {

const CodeName* PlansConfig::Find(const std::vector<CodeName>& list, const std::string& code) {
  for (const auto& c : list) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

std::string PlansConfig::NameOf(const std::vector<CodeName>& list, const std::string& code, bool en) {
  const CodeName* c = Find(list, code);
  if (!c) return code;
  return en && !c->name_en.empty() ? c->name_en : c->name;
}

bool PlanEditable(const std::string& status) { return status == kPlanDraft || status == kPlanReturned; }

std::string PlanStatusName(const std::string& s, bool en) {
  if (s == kPlanDraft) return en ? "Draft" : "草稿";
  if (s == kPlanSubmitted) return en ? "Awaiting approval" : "待审批";
  if (s == kPlanApproved) return en ? "Approved" : "已批准";
  if (s == kPlanReturned) return en ? "Returned" : "已退回";
  if (s == kPlanSuperseded) return en ? "Superseded" : "已被新版本替代";
  return s;
}

namespace {

std::string Where(const std::string& kind, std::size_t i, const char* field) {
  return kind + "s[" + std::to_string(i) + "]." + field;
}

Status CheckCode(const std::vector<CodeName>& list, const std::string& kind, std::size_t i, const std::string& code) {
  if (code.empty()) return Status::Required(Where(kind, i, "code"));
  if (!PlansConfig::Find(list, code)) return Status::InvalidEnum(Where(kind, i, "code"), code);
  return Status::Ok();
}

Status CheckOne(const PlansConfig& cfg, const PlanLine& l, std::size_t i, bool complete) {
  if (l.kind == kLineGoal) {
    if (l.code.empty() && l.name.empty()) return Status::Required(Where(l.kind, i, "need"));
    if (complete && l.text.empty()) return Status::Required(Where(l.kind, i, "goal"));
    return Status::Ok();
  }
  if (l.kind == kLineService) {
    TH_RETURN_IF_ERROR(CheckCode(cfg.service_types, l.kind, i, l.code));
    if (l.name.empty()) return Status::Required(Where(l.kind, i, "title"));
    if (l.frequency.empty()) return Status::Required(Where(l.kind, i, "frequency"));
    if (!PlansConfig::Find(cfg.frequencies, l.frequency)) {
      return Status::InvalidEnum(Where(l.kind, i, "frequency"), l.frequency);
    }
    return Status::Ok();
  }
  if (l.kind == kLineMember) {
    TH_RETURN_IF_ERROR(CheckCode(cfg.team_roles, l.kind, i, l.code));
    if (l.name.empty()) return Status::Required(Where(l.kind, i, "name"));
    if (l.phone.find('*') == std::string::npos && !PlausiblePhone(l.phone)) {  // '*': sent back masked
      return Status::Invalid(Where(l.kind, i, "phone"), "invalid_phone", "电话号码格式不正确", "Invalid phone number");
    }
    return Status::Ok();
  }
  if (l.kind == kLineTask) {
    if (l.name.empty()) return Status::Required(Where(l.kind, i, "title"));
    if (!l.owner_user_id && (!l.owner_unit_id || l.owner_role.empty())) {
      return Status::Invalid(Where(l.kind, i, "owner"), "required", "请指定任务负责单位和角色或负责人",
                             "A task needs an owner: a unit and role, or a user");
    }
    if (l.due_date.empty()) return Status::Required(Where(l.kind, i, "due_date"));
    auto d = ParseDate(l.due_date, Where(l.kind, i, "due_date"));
    if (!d.ok()) return d.status();
    return Status::Ok();
  }
  return Status::InvalidEnum("kind", l.kind);
}

}  // namespace

Status CheckPlanLines(const PlansConfig& cfg, const std::vector<PlanLine>& lines, bool complete) {
  std::size_t counts[4] = {0, 0, 0, 0};
  const char* kinds[4] = {kLineGoal, kLineService, kLineMember, kLineTask};
  const std::size_t caps[4] = {kMaxGoals, kMaxServices, kMaxMembers, kMaxTasks};
  for (const auto& l : lines) {
    int k = -1;
    for (int j = 0; j < 4; ++j) {
      if (l.kind == kinds[j]) k = j;
    }
    if (k < 0) return Status::InvalidEnum("kind", l.kind);
    TH_RETURN_IF_ERROR(CheckOne(cfg, l, counts[k], complete));
    if (++counts[k] > caps[k]) {
      return Status::Invalid(std::string(kinds[k]) + "s", "too_many_lines", "条目过多(最多" + std::to_string(caps[k]) + "条)",
                             "Too many lines (at most " + std::to_string(caps[k]) + ")");
    }
  }
  return Status::Ok();
}

bool PlausiblePhone(const std::string& p) {
  if (p.empty()) return true;
  if (p.size() < 3 || p.size() > 20) return false;
  for (char c : p) {
    if (!(c >= '0' && c <= '9') && c != ' ' && c != '+' && c != '-') return false;
  }
  return true;
}

std::string MaskPhone(const std::string& p) {
  if (p.empty()) return p;
  if (p.size() >= 11) return p.substr(0, 3) + "****" + p.substr(p.size() - 4);
  if (p.size() <= 2) return std::string(p.size(), '*');
  return std::string(p.size() - 2, '*') + p.substr(p.size() - 2);
}

}  // namespace th::domain
