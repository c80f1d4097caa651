#include "service/screening_service.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

#include <spdlog/spdlog.h>

#include <chrono>

#include "base/json_writer.h"
#include "domain/child.h"
#include "domain/date.h"
#include "domain/id_number.h"
#include "io/csv.h"
#include "io/upload_limits.h"
#include "io/xlsx_reader.h"
#include "linkage/engine.h"
#include "platform/work/work_hooks.h"
#include "repo/org_repo.h"
#include "text/date.h"
#include "text/field.h"
#include "text/utf8.h"

namespace th::service {

namespace {

constexpr const char* kCtxRecordId = "screening.id_number";
constexpr const char* kCtxRecordPhone = "screening.guardian_phone";

const std::vector<ImportField> kFields = {
    {"name", "姓名", "Name", {"姓名", "儿童姓名", "学生姓名", "名字", "name"}, true},
    {"sex", "性别", "Sex", {"性别", "sex"}},
    {"birth_date", "出生日期", "Birth date", {"出生日期", "出生年月日", "出生年月", "生日", "birth_date"}},
    {"id_number", "身份证号", "ID number",
     {"身份证号", "公民身份号码", "身份证号码", "证件号码", "身份证", "学籍号", "全国学籍号", "残疾证号", "id_number"}},
    {"father_name", "父亲姓名", "Father's name", {"父亲姓名", "父亲", "father_name"}},
    {"mother_name", "母亲姓名", "Mother's name", {"母亲姓名", "母亲", "mother_name"}},
    {"guardian_name", "监护人姓名", "Guardian name", {"监护人姓名", "监护人", "户主姓名", "户主", "guardian_name"}},
    {"guardian_phone", "监护人电话", "Guardian phone", {"监护人电话", "联系电话", "电话", "手机", "guardian_phone"}},
    {"hukou_address", "户籍地址", "Hukou address", {"户籍地址", "户籍地", "户籍所在地", "户口所在地", "hukou_address"}},
    {"hukou_region_code", "户籍地区划代码", "Hukou region code",
     {"户籍地区划代码", "户籍区划代码", "户籍地代码", "hukou_region_code"}},
    {"residence_address", "现住址", "Residence address",
     {"现住址", "居住地址", "现居住地址", "家庭住址", "住址", "residence_address"}},
    {"community", "社区", "Community (code or name)",
     {"社区代码", "社区", "所在社区", "社区(村)", "村(社区)", "村居", "community"}},
    {"school_name", "学校", "School", {"学校", "就读学校", "学校名称", "school_name"}},
    {"disability_type", "残疾类别", "Disability type", {"残疾类别", "残疾类型", "disability_type"}},
    {"disability_grade", "残疾等级", "Disability grade", {"残疾等级", "残疾级别", "disability_grade"}},
    {"assistance", "救助类型", "Assistance", {"救助类型", "保障类型", "救助类别", "保障类别", "assistance"}},
    {"father_state", "父亲状态", "Father's state", {"父亲状态", "父亲情况", "father_state"}},
    {"mother_state", "母亲状态", "Mother's state", {"母亲状态", "母亲情况", "mother_state"}},
};

std::string Trim(std::string_view s) {
  auto sp = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  std::size_t b = 0, e = s.size();
  while (b < e && sp(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && sp(static_cast<unsigned char>(s[e - 1]))) --e;
  while (e - b >= 3 && s.substr(b, 3) == "\u3000") b += 3;
  while (e - b >= 3 && s.substr(e - 3, 3) == "\u3000") e -= 3;
  return std::string(s.substr(b, e - b));
}

bool Contains(std::string_view hay, std::string_view needle) {
  return !needle.empty() && hay.find(needle) != std::string_view::npos;
}

// 一级/1/一/Ⅰ → 1 ... 4; 0 when unreadable.
std::int64_t ParseGrade(const std::string& v) {
  static const std::pair<const char*, int> kMap[] = {{"一", 1}, {"二", 2}, {"三", 3}, {"四", 4}, {"1", 1},
                                                    {"2", 2},  {"3", 3},  {"4", 4},  {"Ⅰ", 1}, {"Ⅱ", 2}};
  for (const auto& [s, g] : kMap) {
    if (Contains(v, s)) return g;
  }
  return 0;
}

// "低保;特困" / "dibao" → "dibao,tekun".
std::string ParseAssistance(const std::string& v) {
  static const std::pair<const char*, const char*> kMap[] = {
      {"低保", "dibao"},     {"dibao", "dibao"},         {"特困", "tekun"},       {"tekun", "tekun"},
      {"低收入", "low_income"}, {"临时救助", "temporary"}, {"医疗救助", "medical"}};
  std::set<std::string> codes;
  for (const auto& [s, c] : kMap) {
    if (Contains(v, s)) codes.insert(c);
  }
  std::string out;
  for (const auto& c : codes) out += (out.empty() ? "" : ",") + c;
  return out;
}

std::string ParseState(const std::string& v) {
  if (v.empty()) return "";
  domain::MemberState s{};
  if (domain::ParseEnum(v, &s)) return std::string(domain::CodeOf(s));
  if (Contains(v, "羁押") || Contains(v, "拘留") || Contains(v, "服刑") || Contains(v, "在押")) return "imprisoned";
  if (Contains(v, "死亡") || Contains(v, "已故") || Contains(v, "去世")) return "dead";
  return "";
}

std::string StateZh(const std::string& code) {
  if (code.empty()) return "-";
  domain::MemberState s{};
  if (domain::ParseEnum(code, &s)) return std::string(domain::ZhOf(s));
  return code;
}

std::string ParseSex(const std::string& v) {
  domain::Sex s{};
  if (!v.empty() && domain::ParseEnum(v, &s)) return std::string(domain::CodeOf(s));
  return "";
}

std::string AssistanceZh(const std::string& codes) {
  std::string out;
  auto add = [&](const char* code, const char* zh) {
    if (Contains("," + codes + ",", std::string(",") + code + ",")) out += (out.empty() ? "" : "、") + std::string(zh);
  };
  add("dibao", "低保");
  add("tekun", "特困");
  add("low_income", "低收入");
  add("temporary", "临时救助");
  add("medical", "医疗救助");
  return out;
}

std::string Replace(std::string s, const std::map<std::string, std::string>& vars) {
  for (const auto& [k, v] : vars) {
    std::string key = "{" + k + "}";
    for (std::size_t pos = s.find(key); pos != std::string::npos; pos = s.find(key, pos + v.size())) {
      s.replace(pos, key.size(), v);
    }
  }
  return s;
}

std::string FormatProbability(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", p);
  return buf;
}

std::string BirthString(std::int32_t yyyymmdd) {
  auto d = domain::DateFromYyyymmdd(yyyymmdd);
  return d.ok() ? d->ToString() : std::string();
}

bool Visible(const Principal& who, const std::string& unit_path) { return who.Covers(unit_path); }

std::mutex g_mu;
std::map<Services*, std::unique_ptr<ScreeningService>>& Registry() {
  static std::map<Services*, std::unique_ptr<ScreeningService>> r;
  return r;
}

}  // namespace

const std::vector<ImportField>& ScreeningFields() { return kFields; }

ImportMapping SuggestScreeningMapping(const std::vector<std::string>& columns) {
  return SuggestMapping(kFields, columns);
}

ScreeningService* FindScreeningService(Services& s) {
  std::lock_guard<std::mutex> lock(g_mu);
  auto it = Registry().find(&s);
  return it == Registry().end() ? nullptr : it->second.get();
}

void InstallScreeningService(Services& s, std::unique_ptr<ScreeningService> svc) {
  std::lock_guard<std::mutex> lock(g_mu);
  Registry()[&s] = std::move(svc);
}

ScreeningService::ScreeningService(Deps& deps, ChildService& children, ScreeningRules rules)
    : deps_(deps), children_(children), rules_(std::move(rules)) {}

std::int32_t ScreeningService::Today() const {
  return domain::Date::FromEpochMillisShanghai(deps_.clock.NowMillis()).ToYyyymmdd();
}

Result<repo::DataSourceRecord> ScreeningService::CreateSource(const Principal& who, const DataSourceInput& in) {
  if (!who.Can("screening.manage")) return Status::Forbidden();
  std::size_t len = text::DecodeUtf8(in.name).size();
  if (len == 0) return Status::Invalid("name", "required", "请填写数据源名称", "A name is required");
  TH_RETURN_IF_ERROR(text::CheckText(in.name, "name", text::kUnitName));
  for (const auto& [k, v] : in.mapping) {
    bool known = std::any_of(kFields.begin(), kFields.end(), [&](const ImportField& f) { return k == f.key; });
    if (!known) {
      return Status::Invalid("mapping", "invalid_mapping", "列映射中的字段未知: " + k, "Unknown field in mapping: " + k);
    }
    TH_RETURN_IF_ERROR(text::CheckText(v, "mapping." + k, text::kLineText));
  }
  repo::DataSourceRecord s;
  s.org_unit_id = who.org_unit_id;
  s.unit_path = who.org_path;
  s.name = in.name;
  s.dept_type = in.dept_type;
  s.mapping_json = MappingToJson(in.mapping);
  s.created_by = who.user_id;
  s.created_at = deps_.clock.NowMillis();
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    TH_RETURN_IF_ERROR(repo::ScreeningRepo(c).InsertSource(s));
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"screening.source_create", "data_source", std::to_string(s.id), who.org_path, "",
                       JsonObjectWriter().Str("name", s.name).Str("dept_type", s.dept_type).Finish(), ""});
  }));
  return s;
}

Result<std::vector<repo::DataSourceRecord>> ScreeningService::ListSources(const Principal& who) {
  if (!who.Can("screening.manage") && !who.Can("screening.verify")) return Status::Forbidden();
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  return repo::ScreeningRepo(*h).ListSources(who.org_path);
}

Result<BatchView> ScreeningService::Upload(const Principal& who, std::string_view bytes, const BatchUploadOptions& o) {
  if (!who.Can("screening.manage")) return Status::Forbidden();
  const std::int64_t now = deps_.clock.NowMillis();
  const std::int32_t today = Today();

  repo::DataSourceRecord source;
  std::vector<repo::OrgUnit> units;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    auto s = repo::ScreeningRepo(*h).GetSource(o.source_id);
    // A source is usable from its own unit's subtree (a district's source serves its streets).
    if (!s.ok() || !(Visible(who, s->unit_path) || who.org_path.rfind(s->unit_path, 0) == 0)) {
      return Status::Error(Code::kNotFound, "not_found", "数据源不存在或不在您的管辖范围内",
                           "No such data source in your jurisdiction", "source_id");
    }
    source = *s;
    TH_ASSIGN_OR_RETURN(units, repo::OrgRepo(*h).ListSubtree(who.org_path));
  }

  io::XlsxOptions xo = io::UploadXlsxOptions();
  xo.sheet = o.sheet;
  xo.max_rows = o.max_rows + 1;
  TH_ASSIGN_OR_RETURN(auto t, io::ParseSpreadsheet(bytes, io::UploadCsvOptions(), xo));
  if (t.rows.empty()) return Status::Invalid("file", "import_empty", "文件中没有数据行", "The file has no data rows");
  if (static_cast<std::int64_t>(t.rows.size()) > o.max_rows) {
    return Status::Error(Code::kPayloadTooLarge, "import_too_many_rows",
                         "单次上传最多" + std::to_string(o.max_rows) + "行，请拆分文件",
                         "At most " + std::to_string(o.max_rows) + " rows per upload; split the file", "file");
  }
  ImportMapping mapping = o.mapping;
  if (mapping.empty()) {
    TH_ASSIGN_OR_RETURN(mapping, ParseMappingJson(source.mapping_json));
  }
  if (mapping.empty()) mapping = SuggestScreeningMapping(t.header);
  std::map<std::string, int> col;
  for (const auto& [key, header] : mapping) {
    bool known = std::any_of(kFields.begin(), kFields.end(), [&](const ImportField& f) { return key == f.key; });
    if (!known) {
      return Status::Invalid("mapping", "invalid_mapping", "列映射中的字段未知: " + key, "Unknown field in mapping: " + key);
    }
    int idx = t.ColumnIndex(header);
    if (idx < 0) {
      return Status::Invalid("mapping", "invalid_mapping", "文件中没有列: " + header,
                             "The file has no column named " + header);
    }
    col[key] = idx;
  }
  if (!col.count("name")) {
    return Status::Invalid("file", "missing_columns", "缺少必需的列: name(姓名)", "Required columns are missing: name(姓名)");
  }

  // Communities of the jurisdiction by code and name; the county code prefix for hukou checks.
  std::map<std::string, const repo::OrgUnit*> community_by_code;
  std::map<std::string, std::vector<const repo::OrgUnit*>> community_by_name;
  for (const auto& u : units) {
    if (u.level != "community") continue;
    community_by_code[u.code] = &u;
    community_by_name[u.name].push_back(&u);
  }
  // Department rows, normalized.
  std::vector<repo::BatchRow> rows(t.rows.size());
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    auto get = [&](const char* key) -> std::string {
      auto it = col.find(key);
      // Department data is kept, cleaned (no control characters, at most 200 characters), not refused.
      return it == col.end() ? std::string()
                             : text::ScrubText(Trim(t.rows[i][static_cast<std::size_t>(it->second)]), text::kLineText);
    };
    repo::BatchRow& r = rows[i];
    r.line = t.row_lines[i];
    r.name = get("name");
    r.sex = ParseSex(get("sex"));
    if (std::string b = get("birth_date"); !b.empty()) {
      auto d = text::ParseDate(b);
      if (d.ok()) r.birth_date = text::FormatDate(*d);
    }
    std::string id = get("id_number");
    if (!id.empty() && (id[0] == 'G' || id[0] == 'g') && id.size() == 19) id = id.substr(1);  // 学籍号 G + ID
    auto parsed = domain::ParseIdNumber(id, today);
    if (parsed.ok()) {
      r.id_enc = deps_.keys.Encrypt(parsed->normalized, kCtxRecordId);
      r.id_masked = domain::MaskIdNumber(parsed->normalized);
      if (r.birth_date.empty()) r.birth_date = domain::BirthDateOf(*parsed).ToString();
      if (r.sex.empty()) r.sex = parsed->sex == 'M' ? "male" : "female";
    } else if (!id.empty()) {
      // Sealed as given: the engine treats it as a near-ID or ignores it.
      r.id_enc = deps_.keys.Encrypt(id, kCtxRecordId);
      r.id_masked = domain::MaskIdNumber(id);
    }
    r.father_name = get("father_name");
    r.mother_name = get("mother_name");
    r.guardian_name = get("guardian_name");
    if (std::string phone = get("guardian_phone"); !phone.empty()) {
      r.phone_enc = deps_.keys.Encrypt(phone, kCtxRecordPhone);
    }
    r.hukou_address = get("hukou_address");
    r.hukou_region_code = get("hukou_region_code");
    if (r.hukou_region_code.empty() && parsed.ok()) r.hukou_region_code = parsed->region;
    r.residence_address = get("residence_address");
    if (std::string cm = get("community"); !cm.empty()) {
      if (auto it = community_by_code.find(cm); it != community_by_code.end()) {
        r.community_id = it->second->id;
      } else if (auto jt = community_by_name.find(cm); jt != community_by_name.end() && jt->second.size() == 1) {
        r.community_id = jt->second[0]->id;
      }
    }
    if (!r.community_id && !r.residence_address.empty()) {
      // The longest community name the address mentions, when unique.
      std::size_t best = 0;
      int hits = 0;
      for (const auto& [name, list] : community_by_name) {
        if (list.size() != 1 || !Contains(r.residence_address, name)) continue;
        if (name.size() > best) {
          best = name.size();
          hits = 1;
          r.community_id = list[0]->id;
        } else if (name.size() == best) {
          ++hits;
        }
      }
      if (hits > 1) r.community_id.reset();
    }
    r.school_name = get("school_name");
    r.disability_type = get("disability_type");
    r.disability_grade = ParseGrade(get("disability_grade"));
    r.assistance = ParseAssistance(get("assistance"));
    r.father_state = ParseState(get("father_state"));
    r.mother_state = ParseState(get("mother_state"));
  }

  // The batch and its rows in one transaction; the worker does the rest.
  repo::ScreeningBatchRecord batch;
  batch.source_id = source.id;
  batch.org_unit_id = who.org_unit_id;
  batch.unit_path = who.org_path;
  batch.file_name = o.file_name;
  batch.uploaded_by = who.user_id;
  batch.status = "queued";
  batch.stage = "queued";
  batch.total = static_cast<std::int64_t>(rows.size());
  batch.created_at = now;
  batch.reference_date = today;
  batch.complete_roster = o.complete_roster;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    repo::ScreeningRepo repo(c);
    TH_RETURN_IF_ERROR(repo.InsertBatch(batch));
    for (auto& r : rows) {
      r.batch_id = batch.id;
      TH_RETURN_IF_ERROR(repo.InsertRow(r));
    }
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"screening.upload", "screening_batch", std::to_string(batch.id), who.org_path, "",
                       JsonObjectWriter()
                           .Int("source_id", source.id)
                           .Str("file_name", o.file_name)
                           .Int("rows", batch.total)
                           .Bool("complete_roster", o.complete_roster)
                           .Finish(),
                       o.file_name.empty() ? "screening" : "screening: " + o.file_name});
  }));
  {
    std::lock_guard<std::mutex> lock(hook_mu_);
    if (on_queued_) on_queued_();
  }
  return GetBatch(who, batch.id);
}

namespace {

// What a rule is checked against: a department row with its best registry match, or (for
// registry_absent rules) a registry child no row matched.
struct Subject {
  const repo::BatchRow* row = nullptr;          // null for registry_absent
  const repo::MatchChild* child = nullptr;      // matched / absent child
  bool lives_here = false, hukou_outside = false;
  int child_age = 0;
};

bool In(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// True when `rule`'s batch.*, record.* and child.* conditions hold for `s` (bands and fallback
// are the caller's).
bool RuleHolds(const ScreeningRule& rule, const repo::ScreeningBatchRecord& batch, const std::string& dept_type,
               const Subject& s) {
  if (!rule.source_dept_types.empty() && !In(rule.source_dept_types, dept_type)) return false;
  if (rule.complete_roster && *rule.complete_roster != batch.complete_roster) return false;
  if (const repo::BatchRow* r = s.row) {
    if (!rule.disability_grades.empty() &&
        std::find(rule.disability_grades.begin(), rule.disability_grades.end(), r->disability_grade) ==
            rule.disability_grades.end()) {
      return false;
    }
    if (!rule.assistance.empty()) {
      bool any = false;
      for (const auto& a : rule.assistance) any = any || Contains("," + r->assistance + ",", "," + a + ",");
      if (!any) return false;
    }
    if (!rule.parent_states.empty()) {
      auto in = [&](const std::string& st) { return !st.empty() && In(rule.parent_states, st); };
      if (!in(r->father_state) && !in(r->mother_state)) return false;
    }
    if (rule.school && *rule.school != !r->school_name.empty()) return false;
    if (rule.hukou_outside_district && *rule.hukou_outside_district != s.hukou_outside) return false;
    if (rule.lives_in_jurisdiction && *rule.lives_in_jurisdiction != s.lives_here) return false;
  } else if (!rule.disability_grades.empty() || !rule.assistance.empty() || !rule.parent_states.empty() ||
             rule.school || rule.hukou_outside_district) {
    return false;
  }
  bool needs_child = rule.child_disabled || !rule.child_roll_status.empty() || rule.child_age_at_least ||
                     rule.child_age_min || rule.child_age_max || !rule.child_school_stage_not.empty();
  if (!needs_child) return true;
  if (!s.child) return false;
  const repo::ChildRecord& c = s.child->child;
  if (rule.child_disabled) {
    bool disabled = c.disability_type != "none" && c.disability_grade > 0;
    if (disabled != *rule.child_disabled) return false;
  }
  if (!rule.child_roll_status.empty() && !In(rule.child_roll_status, c.roll_status)) return false;
  if (rule.child_age_at_least && s.child_age < *rule.child_age_at_least) return false;
  if (rule.child_age_min && s.child_age < *rule.child_age_min) return false;
  if (rule.child_age_max && s.child_age > *rule.child_age_max) return false;
  if (In(rule.child_school_stage_not, c.school_stage)) return false;
  return true;
}

// A finding decided in memory, written at the end.
struct PendingFinding {
  const ScreeningRule* rule = nullptr;
  std::size_t row = 0;                       // index into the batch's rows (record rules)
  const repo::MatchChild* child = nullptr;   // registry_absent: the absent child
  std::string reason;
  std::optional<std::int64_t> community_id;
};

constexpr const char* kStopping = "screening_stopping";
constexpr const char* kClaimLost = "screening_claim_lost";

}  // namespace

Result<std::int64_t> ScreeningService::RunPending() {
  std::int64_t n = 0;
  while (!stop_.load()) {
    TH_ASSIGN_OR_RETURN(bool ran, RunOne());
    if (!ran) break;
    ++n;
  }
  return n;
}

Result<std::int64_t> ScreeningService::RecoverInterrupted(std::optional<std::int64_t> stale_ms) {
  const std::int64_t now = deps_.clock.NowMillis();
  const std::int64_t stale = stale_ms.value_or(rules_.stale_after_seconds * 1000);
  std::int64_t n = 0;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(n, repo::ScreeningRepo(c).RecoverStale(
                               now - stale, rules_.max_attempts,
                               "处理多次中断(服务器停止或崩溃)，已停止重试; 请重新上传 / processing was interrupted " +
                                   std::to_string(rules_.max_attempts) + " times; upload the file again",
                               now));
    return Status::Ok();
  }));
  return n;
}

Result<bool> ScreeningService::RunOne() {
  std::optional<std::int64_t> id;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_ASSIGN_OR_RETURN(id, repo::ScreeningRepo(*h).NextQueued());
  }
  if (!id) return false;
  bool claimed = false;
  std::int64_t attempt = 0;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    repo::ScreeningRepo repo(c);
    TH_ASSIGN_OR_RETURN(claimed, repo.Claim(*id, deps_.clock.NowMillis()));
    if (!claimed) return Status::Ok();
    TH_ASSIGN_OR_RETURN(auto b, repo.GetBatch(*id));
    attempt = b.attempts;
    return Status::Ok();
  }));
  if (!claimed) return true;  // another worker took it; look for the next one
  Status st = Process(*id, attempt);
  if (st.ok() || st.error_code() == kClaimLost) return true;
  const bool requeue = st.error_code() == kStopping;
  std::string error = requeue ? "" : st.message_zh() + (st.message_en() != st.message_zh() ? " / " + st.message_en() : "");
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    return repo::ScreeningRepo(c).EndAttempt(*id, attempt, requeue, error, deps_.clock.NowMillis()).status();
  }));
  return true;
}

Status ScreeningService::Process(std::int64_t batch_id, std::int64_t attempt) {
  repo::ScreeningBatchRecord batch;
  repo::DataSourceRecord source;
  repo::OrgUnit caller_unit;
  std::vector<repo::OrgUnit> units;
  std::vector<repo::BatchRow> rows;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    repo::ScreeningRepo repo(*h);
    TH_ASSIGN_OR_RETURN(batch, repo.GetBatch(batch_id));
    TH_ASSIGN_OR_RETURN(source, repo.GetSource(batch.source_id));
    TH_ASSIGN_OR_RETURN(caller_unit, repo::OrgRepo(*h).Get(batch.org_unit_id));
    TH_ASSIGN_OR_RETURN(units, repo::OrgRepo(*h).ListSubtree(batch.unit_path));
    TH_ASSIGN_OR_RETURN(rows, repo.Rows(batch_id));
  }
  const std::int64_t total = static_cast<std::int64_t>(rows.size());
  const domain::Date ref_date = [&] {
    auto d = domain::DateFromYyyymmdd(batch.reference_date);
    return d.ok() ? *d : domain::Date::FromEpochMillisShanghai(batch.created_at);
  }();

  // Stage and records processed, committed so every server sees them; written at each stage
  // change and about every 5% within one. A lost claim or a stop request ends the attempt here.
  std::string last_stage;
  std::int64_t last_written = 0;
  auto progress = [&](const std::string& stage, std::int64_t processed) -> Status {
    const std::int64_t step = std::max<std::int64_t>(1, total / 20);
    if (stage == last_stage && processed < total && processed - last_written < step) return Status::Ok();
    if (stop_.load()) {
      return Status::Error(Code::kUnavailable, kStopping, "服务器正在停止，批次已重新排队", "Server stopping; batch re-queued");
    }
    last_stage = stage;
    last_written = processed;
    bool still = false;
    TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
      TH_ASSIGN_OR_RETURN(still, repo::ScreeningRepo(c).Progress(batch_id, attempt, stage, processed,
                                                                 deps_.clock.NowMillis()));
      return Status::Ok();
    }));
    if (!still) return Status::Error(Code::kConflict, kClaimLost, "批次已由其他进程处理", "Batch claimed elsewhere");
    return Status::Ok();
  };
  TH_RETURN_IF_ERROR(progress("loading", 0));

  std::map<std::int64_t, const repo::OrgUnit*> unit_by_id;
  for (const auto& u : units) unit_by_id[u.id] = &u;
  auto path_of = [&](std::int64_t unit_id) -> std::string {
    if (auto it = unit_by_id.find(unit_id); it != unit_by_id.end()) return it->second->path;
    return batch.unit_path;
  };
  std::string county_prefix;
  if (caller_unit.code.size() >= 6 && caller_unit.level != "city") county_prefix = caller_unit.code.substr(0, 6);
  if (caller_unit.level == "city" && caller_unit.code.size() >= 4) county_prefix = caller_unit.code.substr(0, 4);

  // Registry of the uploader's jurisdiction, identifiers unsealed in memory for the engine only.
  repo::ChildScope scope;
  if (caller_unit.level == "city") scope = {"city", caller_unit.id};
  else if (caller_unit.level == "district") scope = {"district_id", caller_unit.id};
  else if (caller_unit.level == "street") scope = {"street_id", caller_unit.id};
  else if (caller_unit.level == "community") scope = {"community_id", caller_unit.id};
  else scope = {"grid_id", caller_unit.id};
  std::vector<repo::MatchChild> registry;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_ASSIGN_OR_RETURN(registry, repo::ScreeningRepo(*h).RegistryForMatching(scope));
  }
  std::vector<linkage::Record> reg(registry.size()), src(rows.size());
  for (std::size_t i = 0; i < registry.size(); ++i) {
    const repo::ChildRecord& c = registry[i].child;
    linkage::Record& r = reg[i];
    r.id = std::to_string(c.id);
    r.name = c.name;
    r.sex = c.sex;
    r.birth_date = BirthString(c.birth_date);
    auto id = children_.UnsealIdNumber(c);
    if (id.ok()) r.id_number = *id;
    r.father_name = registry[i].father_name;
    r.mother_name = registry[i].mother_name;
    r.guardian_name = c.guardian_name;
    auto phone = children_.UnsealGuardianPhone(c);
    if (phone.ok()) r.guardian_phone = *phone;
    r.hukou_address = c.hukou_address;
    r.residence_address = c.residence_address;
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const repo::BatchRow& row = rows[i];
    linkage::Record& r = src[i];
    r.id = std::to_string(row.line);
    r.name = row.name;
    r.sex = row.sex;
    r.birth_date = row.birth_date;
    if (!row.id_enc.empty()) {
      TH_ASSIGN_OR_RETURN(r.id_number, deps_.keys.Decrypt(row.id_enc, kCtxRecordId));
    }
    if (!row.phone_enc.empty()) {
      TH_ASSIGN_OR_RETURN(r.guardian_phone, deps_.keys.Decrypt(row.phone_enc, kCtxRecordPhone));
    }
    r.father_name = row.father_name;
    r.mother_name = row.mother_name;
    r.guardian_name = row.guardian_name;
    r.hukou_address = row.hukou_address;
    r.residence_address = row.residence_address;
  }
  TH_RETURN_IF_ERROR(progress("matching", 0));
  linkage::LinkConfig cfg;
  cfg.link_threshold = rules_.link_threshold;
  cfg.review_threshold = rules_.review_threshold;
  cfg.reference_days = text::DaysFromCivil({ref_date.year, ref_date.month, ref_date.day});
  Status stage_error;
  cfg.progress = [&](const char*, double fraction) {
    if (!stage_error.ok()) return;
    stage_error = progress("matching", static_cast<std::int64_t>(fraction * static_cast<double>(total)));
  };
  auto linked = linkage::Link(reg, src, cfg);
  if (!linked.ok()) return linked.status();
  TH_RETURN_IF_ERROR(stage_error);
  TH_RETURN_IF_ERROR(progress("rules", 0));

  auto age_of = [&](const repo::MatchChild& mc) {
    auto b = domain::DateFromYyyymmdd(mc.child.birth_date);
    return b.ok() ? domain::AgeOn(*b, ref_date) : 0;
  };
  std::vector<PendingFinding> pending;
  std::set<std::int64_t> seen_children;  // matched (link) or candidates (review) of some row
  batch.records = batch.matched = batch.review = batch.unmatched = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    repo::BatchRow& r = rows[i];
    const linkage::Match& m = linked->matches[i];
    const repo::MatchChild* mc = m.registry_index >= 0 && m.band != linkage::Band::kNoLink
                                     ? &registry[static_cast<std::size_t>(m.registry_index)]
                                     : nullptr;
    r.band = linkage::BandName(m.band);
    r.probability = m.probability;
    if (mc) {
      r.child_id = mc->child.id;
      seen_children.insert(mc->child.id);
    }
    // The best candidate's field agreement, even below review, so a worker can see why.
    if (m.registry_index >= 0) r.explanation = linkage::ExplainText(linked->model, m);
    ++batch.records;
    if (m.band == linkage::Band::kLink) ++batch.matched;
    if (m.band == linkage::Band::kReview) ++batch.review;
    if (m.band == linkage::Band::kNoLink) ++batch.unmatched;

    Subject subj;
    subj.row = &r;
    subj.child = mc;
    subj.lives_here = r.community_id.has_value();
    if (!county_prefix.empty()) {
      if (r.hukou_region_code.size() >= county_prefix.size()) {
        subj.hukou_outside = r.hukou_region_code.compare(0, county_prefix.size(), county_prefix) != 0;
      } else if (!r.hukou_address.empty()) {
        subj.hukou_outside = !Contains(r.hukou_address, caller_unit.name);
      }
    }
    subj.child_age = mc ? age_of(*mc) : 0;
    std::map<std::string, std::string> vars = {
        {"name", r.name},
        {"birth_date", r.birth_date},
        {"disability_type", r.disability_type},
        {"disability_grade", std::to_string(r.disability_grade)},
        {"assistance", AssistanceZh(r.assistance)},
        {"school_name", r.school_name},
        {"hukou_address", r.hukou_address.empty() ? r.hukou_region_code : r.hukou_address},
        {"father_state", StateZh(r.father_state)},
        {"mother_state", StateZh(r.mother_state)},
        {"child_name", mc ? mc->child.name : ""},
        {"child_roll_status", mc ? mc->child.roll_status : ""},
        {"child_age", std::to_string(subj.child_age)},
        {"probability", FormatProbability(m.probability)},
        {"file_name", batch.file_name},
        {"source_name", source.name},
    };
    bool fired = false;
    for (const ScreeningRule& rule : rules_.rules) {
      if (rule.applies_to != "record") continue;
      if (rule.fallback && fired) continue;
      if (!rule.bands.empty() && !In(rule.bands, r.band)) continue;
      if (!RuleHolds(rule, batch, source.dept_type, subj)) continue;
      fired = true;
      PendingFinding f;
      f.rule = &rule;
      f.row = i;
      f.child = mc;
      f.reason = Replace(rule.reason, vars);
      f.community_id = mc ? std::optional<std::int64_t>(mc->child.community_id) : r.community_id;
      pending.push_back(std::move(f));
    }
    TH_RETURN_IF_ERROR(progress("rules", static_cast<std::int64_t>(i) + 1));
  }
  // Registry children no row matched (only for the batches such a rule accepts: a complete
  // roster from the named source types).
  for (const ScreeningRule& rule : rules_.rules) {
    if (rule.applies_to != "registry_absent") continue;
    if (!In(rule.source_dept_types, source.dept_type) || !batch.complete_roster) continue;
    for (const auto& mc : registry) {
      if (seen_children.count(mc.child.id)) continue;
      Subject subj;
      subj.child = &mc;
      subj.child_age = age_of(mc);
      if (!RuleHolds(rule, batch, source.dept_type, subj)) continue;
      PendingFinding f;
      f.rule = &rule;
      f.child = &mc;
      f.reason = Replace(rule.reason, {{"child_name", mc.child.name},
                                       {"child_birth_date", BirthString(mc.child.birth_date)},
                                       {"child_age", std::to_string(subj.child_age)},
                                       {"child_roll_status", mc.child.roll_status},
                                       {"file_name", batch.file_name.empty() ? "-" : batch.file_name},
                                       {"source_name", source.name}});
      f.community_id = mc.child.community_id;
      pending.push_back(std::move(f));
    }
  }
  TH_RETURN_IF_ERROR(progress("writing", total));
  TH_RETURN_IF_ERROR(Fault("before_write"));

  // Match results, findings, tasks and status done in one transaction: until it commits the
  // batch shows none of them, and a failure leaves none of them.
  const std::int64_t now = deps_.clock.NowMillis();
  const std::int32_t due = ref_date.AddDays(rules_.due_days).ToYyyymmdd();
  return InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    repo::ScreeningRepo repo(c);
    for (const auto& r : rows) {
      if (r.child_id || r.band != "no_link" || !r.explanation.empty()) TH_RETURN_IF_ERROR(repo.SetRowMatch(r));
    }
    std::int64_t findings = 0;
    for (auto& p : pending) {
      repo::FindingRecord f;
      f.batch_id = batch_id;
      f.rule_id = p.rule->id;
      f.reason = p.reason;
      if (p.rule->applies_to == "registry_absent") {
        // The subject has no department row: a registry-origin row stands for the child.
        repo::BatchRow stand_in;
        stand_in.batch_id = batch_id;
        stand_in.origin = "registry";
        stand_in.name = p.child->child.name;
        stand_in.sex = p.child->child.sex;
        stand_in.birth_date = BirthString(p.child->child.birth_date);
        stand_in.community_id = p.child->child.community_id;
        stand_in.child_id = p.child->child.id;
        stand_in.band = "no_link";
        TH_RETURN_IF_ERROR(repo.InsertRow(stand_in));
        f.record_id = stand_in.id;
      } else {
        f.record_id = rows[p.row].id;
      }
      if (p.child) f.child_id = p.child->child.id;
      f.community_id = p.community_id;
      f.unit_path = f.community_id ? path_of(*f.community_id) : batch.unit_path;
      f.created_at = now;
      TH_RETURN_IF_ERROR(repo.InsertFinding(f));
      repo::TaskRecord task;
      task.finding_id = f.id;
      task.community_id = f.community_id;
      task.unit_path = f.unit_path;
      task.due_date = due;
      task.created_at = now;
      TH_RETURN_IF_ERROR(repo.InsertTask(task));
      TH_RETURN_IF_ERROR(work::VerificationTaskChanged(deps_.work.get(), c, task.id));  // work item for the 儿童主任
      ++findings;
    }
    TH_RETURN_IF_ERROR(Fault("after_findings"));
    batch.processed = total;
    batch.finished_at = now;
    TH_ASSIGN_OR_RETURN(bool finished, repo.Finish(batch, attempt));
    if (!finished) return Status::Error(Code::kConflict, kClaimLost, "批次已由其他进程处理", "Batch claimed elsewhere");
    // The uploader stays the actor of record; the worker acts on their upload.
    Principal actor;
    actor.user_id = batch.uploaded_by;
    actor.username = "screening-worker";
    actor.display_name = batch.uploaded_by_name.empty() ? "后台排查" : batch.uploaded_by_name;
    actor.org_path = batch.unit_path;
    return WriteAudit(c, deps_.clock, &actor, "",
                      {"screening.batch", "screening_batch", std::to_string(batch_id), batch.unit_path, "",
                       JsonObjectWriter()
                           .Int("source_id", source.id)
                           .Str("file_name", batch.file_name)
                           .Int("records", batch.records)
                           .Int("matched", batch.matched)
                           .Int("review", batch.review)
                           .Int("findings", findings)
                           .Int("attempt", attempt)
                           .Finish(),
                       batch.file_name.empty() ? "screening" : "screening: " + batch.file_name});
  });
}

Result<BatchView> ScreeningService::GetBatch(const Principal& who, std::int64_t id) {
  if (!who.Can("screening.manage")) return Status::Forbidden();
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  repo::ScreeningRepo repo(*h);
  auto b = repo.GetBatch(id);
  if (!b.ok() || !Visible(who, b->unit_path)) return Status::NotFound("screening_batch");
  BatchView v{*b, {}};
  TH_ASSIGN_OR_RETURN(v.counts, repo.Counts(id, Today()));
  return v;
}

Result<std::vector<BatchView>> ScreeningService::ListBatches(const Principal& who, const repo::Page& page,
                                                             std::int64_t* total) {
  if (!who.Can("screening.manage")) return Status::Forbidden();
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  repo::ScreeningRepo repo(*h);
  TH_ASSIGN_OR_RETURN(auto list, repo.ListBatches(who.org_path, page, total));
  KeepCovered(who, &list, [](const auto& b) -> const std::string& { return b.unit_path; }, "screening_batch");
  std::vector<BatchView> out;
  for (auto& b : list) {
    BatchView v{std::move(b), {}};
    TH_ASSIGN_OR_RETURN(v.counts, repo.Counts(v.batch.id, Today()));
    out.push_back(std::move(v));
  }
  return out;
}

Result<FindingView> ScreeningService::LoadFindingView(storage::Connection& c, const repo::FindingRecord& f) {
  FindingView v;
  v.finding = f;
  v.rule = rules_.Find(f.rule_id);
  TH_ASSIGN_OR_RETURN(v.record, repo::ScreeningRepo(c).GetRow(f.record_id));
  if (f.child_id) {
    auto child = repo::ChildRepo(c).Get(*f.child_id);
    if (child.ok()) v.child = std::move(*child);
  }
  if (v.child && v.rule && f.status == "open") v.file_changes = FileChangesFor(*v.rule, v.record, *v.child);
  return v;
}

Result<std::vector<FindingView>> ScreeningService::ListFindings(const Principal& who, std::int64_t batch_id,
                                                                const std::string& rule_id, const std::string& status,
                                                                const repo::Page& page, std::int64_t* total) {
  TH_RETURN_IF_ERROR(GetBatch(who, batch_id).status());
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  TH_ASSIGN_OR_RETURN(auto list,
                      repo::ScreeningRepo(*h).ListFindings(batch_id, who.org_path, rule_id, status, page, total));
  KeepCovered(who, &list, [](const auto& f) -> const std::string& { return f.unit_path; }, "finding");
  std::vector<FindingView> out;
  for (const auto& f : list) {
    TH_ASSIGN_OR_RETURN(auto v, LoadFindingView(*h, f));
    out.push_back(std::move(v));
  }
  return out;
}

Result<TaskView> ScreeningService::LoadTaskView(storage::Connection& c, const repo::TaskRecord& t) {
  TaskView v;
  v.task = t;
  TH_ASSIGN_OR_RETURN(auto f, repo::ScreeningRepo(c).GetFinding(t.finding_id));
  TH_ASSIGN_OR_RETURN(v.finding, LoadFindingView(c, f));
  v.overdue = t.outcome.empty() && t.due_date < Today();
  return v;
}

Result<std::vector<TaskView>> ScreeningService::ListTasks(const Principal& who, const std::string& queue,
                                                          const std::string& status, const repo::Page& page,
                                                          std::int64_t* total) {
  if (!who.Can("screening.verify") && !who.Can("screening.manage")) return Status::Forbidden();
  repo::TaskQuery q;
  q.path_prefix = who.org_path;
  if (queue == "mine") {
    q.open_only = true;
  } else if (queue == "overdue") {
    q.open_only = true;
    q.due_before = Today();
  } else if (!queue.empty()) {
    return Status::Invalid("queue", "invalid_enum", "queue 应为 mine 或 overdue", "queue must be mine or overdue");
  }
  if (status == "open") {
    q.open_only = true;
  } else if (status == "done") {
    q.done_only = true;
  } else if (!status.empty()) {
    return Status::Invalid("status", "invalid_enum", "status 应为 open 或 done", "status must be open or done");
  }
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  TH_ASSIGN_OR_RETURN(auto list, repo::ScreeningRepo(*h).ListTasks(q, page, total));
  KeepCovered(who, &list, [](const auto& t) -> const std::string& { return t.unit_path; }, "verification_task");
  std::vector<TaskView> out;
  for (const auto& t : list) {
    TH_ASSIGN_OR_RETURN(auto v, LoadTaskView(*h, t));
    out.push_back(std::move(v));
  }
  return out;
}

Result<TaskView> ScreeningService::GetTask(const Principal& who, std::int64_t id) {
  if (!who.Can("screening.verify") && !who.Can("screening.manage")) return Status::Forbidden();
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  auto t = repo::ScreeningRepo(*h).GetTask(id);
  if (!t.ok() || !Visible(who, t->unit_path)) return Status::NotFound("verification_task");
  return LoadTaskView(*h, *t);
}

Result<OutcomeResult> ScreeningService::RecordOutcome(const Principal& who, std::int64_t task_id,
                                                      const std::string& outcome, const std::string& note,
                                                      std::int64_t version, const OutcomeFile& file) {
  if (!who.Can("screening.verify")) return Status::Forbidden();
  if (outcome != "confirmed" && outcome != "rejected" && outcome != "not_found") {
    return Status::Invalid("outcome", "invalid_enum", "核查结果应为 confirmed、rejected 或 not_found",
                           "outcome must be confirmed, rejected or not_found");
  }
  if (outcome == "rejected" && text::DecodeUtf8(note).size() < 2) {
    return Status::Invalid("note", "required", "请填写不属实的原因", "A reason is required when rejecting");
  }
  TH_RETURN_IF_ERROR(text::CheckText(note, "note", text::kLongText));
  TH_ASSIGN_OR_RETURN(auto view, GetTask(who, task_id));
  if (!view.task.outcome.empty()) {
    return Status::Error(Code::kConflict, "invalid_state", "该核查任务已有结果", "This task has already been decided",
                         "outcome");
  }
  if (view.task.version != version) {
    return Status::Error(Code::kConflict, "stale_version", "记录已被他人修改，请刷新后重试",
                         "The record was changed by someone else; reload and try again", "version");
  }
  OutcomeResult result;
  const ScreeningRule* rule = view.finding.rule;
  const auto& child = view.finding.child;
  const auto& rec = view.finding.record;
  std::string kind;  // the roll request a confirmation proposes, if any
  if (outcome == "confirmed" && rule) {
    if (child && rule->action == "roll_entry") {
      if (child->roll_status == "not_on_roll" || child->roll_status == "exited") {
        kind = "entry";
      } else if (child->roll_status == "on_roll" &&
                 !Contains("," + child->roll_categories + ",", "," + rule->category + ",")) {
        kind = "change";
      }
    } else if (child && rule->action == "roll_exit" && child->roll_status == "on_roll") {
      kind = "exit";
    } else if (!child && rule->action != "none") {
      SuggestedChild s;
      s.name = rec.name;
      s.sex = rec.sex;
      s.birth_date = rec.birth_date;
      s.id_number_masked = rec.id_masked;
      s.community_id = view.task.community_id;
      s.residence_address = rec.residence_address;
      s.hukou_address = rec.hukou_address;
      s.hukou_region_code = rec.hukou_region_code;
      s.school_name = rec.school_name;
      s.flow_status = rule->flow_status;
      s.father_name = rec.father_name;
      s.mother_name = rec.mother_name;
      s.guardian_name = rec.guardian_name;
      s.category = rule->category;
      result.suggested_child = std::move(s);
    }
  }
  // The file is brought into agreement with what the worker confirmed (see the header).
  std::optional<ChildInput> file_input;
  std::optional<std::int64_t> register_child;
  if (outcome == "confirmed") {
    TH_ASSIGN_OR_RETURN(file_input, ConfirmedFileInput(who, view, file));
    if (!child && rule && rule->action != "none") {  // a child not in the registry: register first
      TH_ASSIGN_OR_RETURN(register_child, RegisteredChild(who, file));
      result.suggested_child.reset();  // registered already: the finding is linked to that file
    }
  }
  if (!kind.empty()) {
    if (!who.Can("roll.propose")) {
      return Status::Error(Code::kPermissionDenied, "roll_propose_required",
                           "确认该线索会发起名册" + std::string(kind == "exit" ? "退出" : "纳入") +
                               "申请，需由社区儿童主任(具有发起增减员申请权限)登记",
                           "Confirming this finding proposes a roll " + kind +
                               " request, which needs the roll.propose permission (the community's child director)",
                           "outcome");
    }
    if (kind != "exit") {
      const domain::CategoryDef* def = children_.categories().Find(rule->category);
      if (!def || def->kind != domain::CategoryKind::kProtected) {
        return Status::Internal("screening rule " + rule->id + " names category " + rule->category +
                                " which is not a protected category");
      }
    }
  }
  repo::TaskRecord t = view.task;
  t.outcome = outcome;
  t.note = note;
  t.decided_by = who.user_id;
  t.decided_at = deps_.clock.NowMillis();
  // The roll request (the registry's propose step), the task's decision and the finding's status
  // in one transaction: either the 儿童主任's confirmation and its request both exist or neither.
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    repo::ScreeningRepo repo(c);
    if (file_input) {
      auto updated = children_.UpdateIn(c, who, child->id, *file_input, *file.child_version,
                                        "排查核查 #" + std::to_string(task_id) + ": " +
                                            (rule ? rule->name : view.finding.finding.rule_id));
      if (!updated.ok() && updated.status().error_code() == "stale_version") {
        return Status::Error(Code::kConflict, "stale_version", "儿童档案已被他人修改，请刷新后重新核对",
                             "The child's file was changed by someone else; reload and check again",
                             "child_version");
      }
      if (!updated.ok()) return updated.status();
      if (rule->action == "roll_entry" && !Contains(updated->categories, "," + rule->category + ",")) {
        return Status::Invalid("file", "file_disagrees",
                               "按确认的数据修改后，档案仍不符合该类别的认定条件，请核对后再确认",
                               "With the confirmed values the file still does not meet the category's rule");
      }
    }
    if (register_child) {
      TH_RETURN_IF_ERROR(repo.LinkFindingChild(t.finding_id, *register_child));
    }
    if (!kind.empty()) {
      ChildService::ProposalInput p;
      p.kind = kind;
      p.category = rule->category;
      p.reason = view.finding.finding.reason;
      p.evidence = "排查批次 #" + std::to_string(view.finding.finding.batch_id) + " 核查任务 #" +
                   std::to_string(task_id) + (note.empty() ? "" : ": " + note);
      p.field = "outcome";
      p.verification_task_id = task_id;
      TH_ASSIGN_OR_RETURN(std::int64_t request_id, children_.ProposeIn(c, who, child->id, p));
      t.roll_request_id = request_id;
      TH_RETURN_IF_ERROR(Fault("after_roll_request"));
    }
    TH_RETURN_IF_ERROR(repo.DecideTask(t));
    TH_RETURN_IF_ERROR(work::VerificationTaskChanged(deps_.work.get(), c, task_id));  // closes its work item
    TH_RETURN_IF_ERROR(repo.SetFindingStatus(t.finding_id, outcome, kind));
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"screening.verify", "verification_task", std::to_string(task_id), t.unit_path, "",
                       JsonObjectWriter()
                           .Str("outcome", outcome)
                           .Str("rule_id", view.finding.finding.rule_id)
                           .OptInt("child_id", view.finding.finding.child_id)
                           .OptInt("roll_request_id", t.roll_request_id)
                           .Finish(),
                       note});
  }));
  if (t.roll_request_id) {
    TH_ASSIGN_OR_RETURN(auto req, children_.GetRequest(who, *t.roll_request_id));
    result.roll_request = std::move(req);
  }
  TH_ASSIGN_OR_RETURN(result.task, GetTask(who, task_id));
  return result;
}

Result<std::optional<ChildInput>> ScreeningService::ConfirmedFileInput(const Principal& who, const TaskView& view,
                                                                     const OutcomeFile& file) {
  const auto& changes = view.finding.file_changes;
  if (changes.empty()) {
    if (!file.values.empty()) {
      return Status::Invalid("file", "unknown_field", "该核查不修改档案", "This verification changes no file field");
    }
    return std::optional<ChildInput>();
  }
  if (!who.Can("child.write")) {
    return Status::Error(Code::kPermissionDenied, "child_write_required",
                         "确认该线索会按部门数据修改儿童档案，需由有档案编辑权限的社区儿童主任登记",
                         "Confirming this finding changes the child's file, which needs the child.write permission",
                         "outcome");
  }
  if (!file.child_version) {
    return Status::Invalid("child_version", "required", "缺少儿童档案版本号", "child_version is required");
  }
  TH_ASSIGN_OR_RETURN(auto in, FileChangeInput(changes, file.values));
  return std::optional<ChildInput>(std::move(in));
}

Result<std::int64_t> ScreeningService::RegisteredChild(const Principal& who, const OutcomeFile& file) {
  if (!file.child_id) {
    return Status::Error(Code::kConflict, "child_file_required",
                         "该儿童尚未建档：请先按部门数据为其建档，再选择该档案完成核查",
                         "The child has no file yet: register the child, then choose that file to confirm",
                         "child_id");
  }
  TH_ASSIGN_OR_RETURN(auto f, children_.Get(who, *file.child_id));
  return f.child.id;
}

Result<UnitStatsView> ScreeningService::UnitStats(const Principal& who, std::optional<std::int64_t> unit_id,
                                                  std::optional<std::int64_t> batch_id) {
  if (!who.Can("screening.manage") && !who.Can("stats.read")) return Status::Forbidden();
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  repo::OrgRepo orgs(*h);
  UnitStatsView v;
  auto u = orgs.Get(unit_id.value_or(who.org_unit_id));
  if (!u.ok() || !Visible(who, u->path)) return Status::NotFound("org_unit");
  v.unit = *u;
  if (batch_id) {
    // A batch is counted for the units it reached; it must exist and concern the caller
    // (uploaded in their subtree or above it).
    auto b = repo::ScreeningRepo(*h).GetBatch(*batch_id);
    if (!b.ok() || !(Visible(who, b->unit_path) || who.org_path.rfind(b->unit_path, 0) == 0)) {
      return Status::NotFound("screening_batch");
    }
  }
  TH_ASSIGN_OR_RETURN(auto subtree, orgs.ListSubtree(v.unit.path));
  // Rows are the viewed unit's direct children (streets of a district, communities of a street);
  // a community is its own single row.
  std::vector<const repo::OrgUnit*> heads;
  for (const auto& x : subtree) {
    if (x.parent_id && *x.parent_id == v.unit.id && x.level != "grid") heads.push_back(&x);
  }
  if (heads.empty()) heads.push_back(&v.unit);
  std::sort(heads.begin(), heads.end(), [](const repo::OrgUnit* a, const repo::OrgUnit* b) { return a->code < b->code; });
  std::vector<UnitStatsRow> out(heads.size());
  for (std::size_t i = 0; i < heads.size(); ++i) out[i].unit = *heads[i];
  UnitStatsRow unplaced;
  repo::UnitCountsQuery q;
  q.path_prefix = v.unit.path;
  q.batch_id = batch_id;
  q.today = Today();
  TH_ASSIGN_OR_RETURN(auto counts, repo::ScreeningRepo(*h).UnitCounts(q));
  auto add = [](UnitStatsRow& dst, const repo::UnitCountsRow& src) {
    dst.records += src.records;
    dst.matched += src.matched;
    repo::BatchCounts& d = dst.counts;
    const repo::BatchCounts& s = src.counts;
    for (const auto& [k, n] : s.findings_by_rule) d.findings_by_rule[k] += n;
    d.findings += s.findings;
    d.open += s.open;
    d.confirmed += s.confirmed;
    d.rejected += s.rejected;
    d.not_found += s.not_found;
    d.added += s.added;
    d.exited += s.exited;
    d.overdue += s.overdue;
  };
  for (const auto& c : counts) {
    UnitStatsRow* dst = &unplaced;
    if (c.community_id) {
      for (std::size_t i = 0; i < heads.size(); ++i) {
        if (c.unit_path.compare(0, heads[i]->path.size(), heads[i]->path) == 0) {
          dst = &out[i];
          break;
        }
      }
    }
    add(*dst, c);
    add(v.totals, c);
  }
  v.rows = std::move(out);
  if (unplaced.records || unplaced.counts.findings) v.rows.push_back(std::move(unplaced));
  return v;
}

ScreeningWorker::ScreeningWorker(ScreeningService& svc, std::int64_t poll_ms) : svc_(svc), poll_ms_(poll_ms) {}

ScreeningWorker::~ScreeningWorker() { Stop(); }

void ScreeningWorker::Start() {
  svc_.SetOnQueued([this] { Notify(); });
  thread_ = std::thread([this] { Loop(); });
}

void ScreeningWorker::Notify() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_ = true;
  }
  cv_.notify_one();
}

void ScreeningWorker::Stop() {
  if (!thread_.joinable()) return;
  svc_.SetOnQueued(nullptr);
  svc_.RequestStop();
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void ScreeningWorker::Loop() {
  // A batch left running by a crashed server: at start, SQLite's single server re-queues all of
  // them; on PostgreSQL (several servers may share it) only those whose heartbeat went stale,
  // checked again every poll.
  const bool shared = svc_.deps().db.dialect().engine() != storage::Engine::kSqlite;
  auto recovered = svc_.RecoverInterrupted(shared ? std::nullopt : std::optional<std::int64_t>(0));
  if (!recovered.ok()) spdlog::warn("screening: recovery failed: {}", recovered.status().ToString());
  else if (*recovered > 0) spdlog::info("screening: {} interrupted batch(es) re-queued or failed", *recovered);
  for (;;) {
    auto n = svc_.RunPending();
    if (!n.ok()) spdlog::warn("screening: worker error: {}", n.status().ToString());
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(poll_ms_), [this] { return stop_ || pending_; });
    if (stop_) return;
    pending_ = false;
    lock.unlock();
    if (shared) {
      auto r = svc_.RecoverInterrupted();
      if (!r.ok()) spdlog::warn("screening: recovery failed: {}", r.status().ToString());
    }
  }
}

std::unique_ptr<ScreeningWorker> StartScreeningWorker(Services& s) {
  ScreeningService* svc = FindScreeningService(s);
  if (!svc) return nullptr;
  auto w = std::make_unique<ScreeningWorker>(*svc);
  w->Start();
  return w;
}

}  // namespace th::service
