// Bringing a child's file into agreement with a confirmed finding (issue 9 item 13): which of
// the file's fields the department's record contradicts, for the rule that fired, and the
// ChildInput that writes what the 儿童主任 confirmed.
#include <set>

#include "modules/registry/domain/child.h"
#include "modules/screening/service/screening_service.h"

namespace th::service {
namespace {

constexpr std::pair<const char*, std::uint32_t> kAssistCodes[] = {{"dibao", domain::kAssistDibao},
                                                                   {"tekun", domain::kAssistTekun},
                                                                   {"low_income", domain::kAssistLowIncome},
                                                                   {"temporary", domain::kAssistTemporary},
                                                                   {"medical", domain::kAssistMedical}};
constexpr std::pair<const char*, const char*> kAssistZh[] = {
    {"dibao", "低保"}, {"tekun", "特困"}, {"low_income", "低收入"}, {"temporary", "临时救助"}, {"medical", "医疗救助"}};

std::vector<std::string> SplitCodes(const std::string& s) {
  std::vector<std::string> out;
  std::size_t b = 0;
  while (b <= s.size()) {
    std::size_t e = s.find(',', b);
    if (e == std::string::npos) e = s.size();
    if (e > b) out.push_back(s.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

std::string AssistCodesOf(std::int64_t bits) {
  std::string out;
  for (const auto& [code, bit] : kAssistCodes) {
    if (bits & bit) out += (out.empty() ? "" : ",") + std::string(code);
  }
  return out;
}

std::string AssistZh(const std::string& codes) {
  std::string out;
  for (const auto& c : SplitCodes(codes)) {
    const char* zh = c.c_str();
    for (const auto& [code, name] : kAssistZh) {
      if (c == code) zh = name;
    }
    out += (out.empty() ? "" : "、") + std::string(zh);
  }
  return out.empty() ? "无" : out;
}

template <typename E>
std::string ZhOfCode(const std::string& code) {
  E v{};
  if (code.empty() || !domain::ParseEnum(code, &v)) return code.empty() ? "(部门未注明)" : code;
  return std::string(domain::ZhOf(v));
}

std::string GradeZh(std::int64_t g) { return g > 0 ? std::to_string(g) + "级" : "无"; }

}  // namespace

std::vector<FileChange> FileChangesFor(const ScreeningRule& rule, const repo::BatchRow& rec,
                                       const repo::ChildRecord& child) {
  std::vector<FileChange> out;
  auto add = [&](const char* field, const char* label, const char* label_en, std::string file_value,
                 std::string dept_value, std::string file_text, std::string dept_text) {
    out.push_back({field, label, label_en, std::move(file_value), std::move(dept_value), std::move(file_text),
                   std::move(dept_text)});
  };
  if (!rule.disability_grades.empty() && rec.disability_grade > 0) {
    if (child.health != "disabled") {
      add("health", "健康状况", "Health", child.health, "disabled", ZhOfCode<domain::HealthStatus>(child.health), "残疾");
    }
    domain::DisabilityType t{};
    std::string type;
    if (!rec.disability_type.empty() && domain::ParseEnum(rec.disability_type, &t)) type = std::string(domain::CodeOf(t));
    // A department that names no type leaves the choice to the worker when the file has none.
    if ((!type.empty() && type != child.disability_type) || (type.empty() && child.disability_type == "none")) {
      add("disability_type", "残疾类别", "Disability type", child.disability_type, type,
          ZhOfCode<domain::DisabilityType>(child.disability_type), ZhOfCode<domain::DisabilityType>(type));
    }
    if (rec.disability_grade != child.disability_grade) {
      add("disability_grade", "残疾等级", "Disability grade", std::to_string(child.disability_grade),
          std::to_string(rec.disability_grade), GradeZh(child.disability_grade), GradeZh(rec.disability_grade));
    }
  }
  if (!rule.assistance.empty() && !rec.assistance.empty()) {
    const std::string have = AssistCodesOf(child.assistance);
    std::set<std::string> all;
    for (const auto& c : SplitCodes(have)) all.insert(c);
    bool missing = false;
    for (const auto& c : SplitCodes(rec.assistance)) missing |= all.insert(c).second;
    if (missing) {
      std::string want;
      for (const auto& [code, bit] : kAssistCodes) {
        if (all.count(code)) want += (want.empty() ? "" : ",") + std::string(code);
      }
      add("assistance", "救助类型", "Assistance", have, want, AssistZh(have), AssistZh(want));
    }
  }
  return out;
}

Result<ChildInput> FileChangeInput(const std::vector<FileChange>& changes,
                                   const std::map<std::string, std::string>& values) {
  ChildInput in;
  for (const auto& [k, v] : values) {
    bool known = false;
    for (const auto& c : changes) known |= c.field == k;
    if (!known) {
      return Status::Invalid("file." + k, "unknown_field", "该核查不修改档案的此项: " + k,
                             "This verification does not change " + k);
    }
  }
  for (const auto& c : changes) {
    auto it = values.find(c.field);
    if (it == values.end() || it->second.empty()) {
      return Status::Invalid("file." + c.field, "file_change_required",
                             "请核对并确认写入档案的" + c.label + "(档案现为" + c.file_text + "，部门数据为" +
                                 c.department_text + ")",
                             "Confirm the value of " + c.label_en + " to write to the file");
    }
    const std::string& v = it->second;
    in.present.insert(c.field);
    if (c.field == "health") in.health = v;
    if (c.field == "disability_type") in.disability_type = v;
    if (c.field == "assistance") in.assistance = SplitCodes(v);
    if (c.field == "disability_grade") {
      if (v.size() != 1 || v[0] < '0' || v[0] > '4') {
        return Status::Invalid("file.disability_grade", "out_of_range", "残疾等级应为0-4", "disability_grade must be 0-4");
      }
      in.disability_grade = v[0] - '0';
    }
  }
  return in;
}

}  // namespace th::service
