#include "modules/accounts/service/org_service.h"

#include <algorithm>
#include <map>

#include "base/json_writer.h"
#include "platform/repo/org_repo.h"
#include "platform/service/session_cache.h"
#include "text/field.h"
#include "modules/accounts/permissions.h"

namespace th::service {

const std::vector<std::string> kOrgLevels = {"city", "district", "street", "community", "grid"};

namespace {

const std::map<std::string, std::pair<std::string, std::string>> kLevelNames = {
    {"city", {"市", "city"}},
    {"district", {"区/县", "district"}},
    {"street", {"街道/乡镇", "street"}},
    {"community", {"社区/村", "community"}},
    {"grid", {"网格", "grid"}},
};

const std::vector<std::string> kAgencyKinds = {"center", "station", "department", "social_org", "reporting_unit"};
// Reporting units (强制报告单位, 意见 Art 2-3): where mandatory reporters work (reports module).
const std::vector<std::string> kReportingUnitTypes = {"school",   "kindergarten", "training", "childcare",
                                                      "hospital", "welfare",      "hotel",    "village_committee"};
const std::vector<std::string> kDeptTypes = {"education", "police",        "health", "medical_insurance",
                                             "disability", "women",        "youth_league", "procuratorate",
                                             "court",     "justice",       "hrss",  "civil_affairs"};

bool AllDigits(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Status CheckName(const std::string& name, const std::string& field) {
  if (name.empty()) return Status::Invalid(field, "required", "名称不能为空", "Name is required");
  return text::CheckText(name, field, text::kUnitName);
}

Status NeedManage(const Principal& who) {
  return who.Can(perm::kOrgManage) ? Status::Ok() : Status::Forbidden();
}

Status NeedRead(const Principal& who) {
  return who.Can(perm::kOrgRead) ? Status::Ok() : Status::Forbidden();
}

std::string AgencyJson(const repo::Agency& a) {
  return JsonObjectWriter()
      .Int("id", a.id)
      .Int("org_unit_id", a.org_unit_id)
      .Str("kind", a.kind)
      .Str("dept_type", a.dept_type)
      .Str("name", a.name)
      .Str("contact", a.contact)
      .Str("phone", a.phone)
      .Bool("retired", a.retired)
      .Int("version", a.version)
      .Finish();
}

}  // namespace

std::string OrgUnitJson(const repo::OrgUnit& u) {
  return JsonObjectWriter()
      .Int("id", u.id)
      .OptInt("parent_id", u.parent_id)
      .Str("code", u.code)
      .Str("name", u.name)
      .Str("level", u.level)
      .Str("path", u.path)
      .Bool("retired", u.retired)
      .Int("version", u.version)
      .Finish();
}

int OrgLevelIndex(const std::string& level) {
  for (std::size_t i = 0; i < kOrgLevels.size(); ++i) {
    if (kOrgLevels[i] == level) return static_cast<int>(i);
  }
  return -1;
}

Result<std::string> LevelFromRegionCode(const std::string& code, const std::string& field) {
  if (code.size() != 12 || !AllDigits(code)) {
    return Status::Invalid(field, "invalid_region_code", "区划代码应为12位数字: " + code,
                           "A region code has 12 digits: " + code);
  }
  auto zeros = [&](std::size_t from, std::size_t to) {
    return code.compare(from, to - from, std::string(to - from, '0')) == 0;
  };
  if (zeros(2, 12)) {
    return Status::Invalid(field, "invalid_region_code", "省级区划不作为机构层级: " + code,
                           "Province codes are not a unit level: " + code);
  }
  if (zeros(4, 12)) return std::string("city");
  if (zeros(6, 12)) return std::string("district");
  if (zeros(9, 12)) {
    if (zeros(6, 9)) return Status::Invalid(field, "invalid_region_code", "区划代码无效: " + code, "Invalid code");
    return std::string("street");
  }
  if (zeros(6, 9)) {
    return Status::Invalid(field, "invalid_region_code", "区划代码无效(缺少乡级部分): " + code,
                           "Invalid region code (no township part): " + code);
  }
  return std::string("community");
}

Status CheckUnitCode(const std::string& code, const std::string& level, const std::string& parent_code,
                     const std::string& parent_level, const std::string& field) {
  int li = OrgLevelIndex(level);
  if (li < 0) {
    return Status::Invalid("level", "invalid_level", "层级无效: " + level,
                           "Level must be one of city, district, street, community, grid");
  }
  if (!parent_level.empty() && OrgLevelIndex(parent_level) != li - 1) {
    return Status::Invalid("level", "invalid_level", "上级单位层级不匹配: " + level + " 不能直接隶属于 " + parent_level,
                           "A " + level + " cannot sit directly under a " + parent_level);
  }
  if (level == "grid") {
    if (code.empty() || code.size() > 40 ||
        !std::all_of(code.begin(), code.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; })) {
      return Status::Invalid(field, "invalid_grid_code", "网格编码须为1-40位字母、数字或连字符: " + code,
                             "A grid code has 1-40 letters, digits or hyphens: " + code);
    }
    return Status::Ok();
  }
  TH_ASSIGN_OR_RETURN(std::string derived, LevelFromRegionCode(code, field));
  if (derived != level) {
    return Status::Invalid(field, "invalid_region_code", "区划代码 " + code + " 对应的层级与所选层级不一致",
                           "Code " + code + " denotes a " + derived + ", not a " + level);
  }
  if (!parent_code.empty() && parent_level != "") {
    static const std::map<std::string, std::size_t> kPrefix = {{"district", 4}, {"street", 6}, {"community", 9}};
    auto it = kPrefix.find(level);
    if (it != kPrefix.end() && parent_code.size() == 12 && code.compare(0, it->second, parent_code, 0, it->second) != 0) {
      return Status::Invalid(field, "invalid_region_code", "区划代码 " + code + " 不属于上级 " + parent_code,
                             "Code " + code + " does not belong under " + parent_code);
    }
  }
  return Status::Ok();
}

void OrgService::AfterWrite(bool sessions_too) {
  {
    std::unique_lock lock(cache_mu_);
    children_cache_.clear();
  }
  if (sessions_too && deps_.sessions) deps_.sessions->Clear();
}

Result<repo::OrgUnit> OrgService::Scoped(storage::Connection& c, const Principal& who, std::int64_t id) {
  return LoadInScope(who, repo::OrgRepo(c).Get(id), [](const repo::OrgUnit& u) { return u.path; }, "org_unit");
}

Result<repo::OrgUnit> OrgService::Get(const Principal& who, std::int64_t id) {
  TH_RETURN_IF_ERROR(NeedRead(who));
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  return Scoped(*h, who, id);
}

Result<std::vector<repo::OrgUnit>> OrgService::ListChildren(const Principal& who, std::optional<std::int64_t> parent_id,
                                                            bool include_retired) {
  TH_RETURN_IF_ERROR(NeedRead(who));
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  if (!parent_id) {
    TH_ASSIGN_OR_RETURN(auto root, repo::OrgRepo(*h).Get(who.org_unit_id));
    return std::vector<repo::OrgUnit>{root};
  }
  const std::int64_t key = *parent_id * 2 + (include_retired ? 1 : 0);
  const std::int64_t now = deps_.clock.NowMillis();
  if (deps_.options.org_cache_ms > 0) {
    std::shared_lock lock(cache_mu_);
    auto it = children_cache_.find(key);
    if (it != children_cache_.end() && now - it->second.at < deps_.options.org_cache_ms && now >= it->second.at) {
      if (!who.Covers(it->second.parent_path)) return Status::NotFound("org_unit");
      return it->second.units;
    }
  }
  TH_ASSIGN_OR_RETURN(std::string parent_path, repo::OrgRepo(*h).GetPath(*parent_id));
  if (!who.Covers(parent_path)) return Status::NotFound("org_unit");
  TH_ASSIGN_OR_RETURN(auto units, repo::OrgRepo(*h).ListChildren(*parent_id, include_retired));
  if (deps_.options.org_cache_ms > 0) {
    std::unique_lock lock(cache_mu_);
    if (children_cache_.size() > 10000) children_cache_.clear();
    children_cache_[key] = {now, parent_path, units};
  }
  return units;
}

Result<std::vector<repo::OrgUnit>> OrgService::Search(const Principal& who, const std::string& q,
                                                      const repo::Page& page, std::int64_t* total) {
  TH_RETURN_IF_ERROR(NeedRead(who));
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  TH_ASSIGN_OR_RETURN(auto rows, repo::OrgRepo(*h).Search(who.org_path, q, page, total));
  KeepCovered(who, &rows, [](const repo::OrgUnit& u) -> const std::string& { return u.path; }, "org_unit");
  return rows;
}

Result<std::vector<std::string>> OrgService::PathNames(const std::string& path) {
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  return repo::OrgRepo(*h).PathNames(path);
}

Result<repo::OrgUnit> OrgService::Create(const Principal& who, std::int64_t parent_id, const std::string& code,
                                         const std::string& name, const std::string& level) {
  TH_RETURN_IF_ERROR(NeedManage(who));
  TH_RETURN_IF_ERROR(CheckName(name, "name"));
  repo::OrgUnit u;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    TH_ASSIGN_OR_RETURN(auto parent, Scoped(c, who, parent_id));
    if (parent.retired) {
      return Status::Invalid("parent_id", "parent_retired", "上级单位已撤销", "The parent unit is retired");
    }
    TH_RETURN_IF_ERROR(CheckUnitCode(code, level, parent.code, parent.level, "code"));
    u.parent_id = parent.id;
    u.code = code;
    u.name = name;
    u.level = level;
    u.created_at = deps_.clock.NowMillis();
    Status s = repo::OrgRepo(c).Insert(u);
    if (s.code() == Code::kConflict) {
      return Status::Error(Code::kConflict, "duplicate", "区划代码已存在: " + code, "Code already exists: " + code,
                           "code");
    }
    TH_RETURN_IF_ERROR(s);
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"org.create", "org_unit", std::to_string(u.id), u.path, "", OrgUnitJson(u), ""});
  }));
  AfterWrite(false);
  return u;
}

Result<repo::OrgUnit> OrgService::Rename(const Principal& who, std::int64_t id, const std::string& name,
                                         std::int64_t version) {
  TH_RETURN_IF_ERROR(NeedManage(who));
  TH_RETURN_IF_ERROR(CheckName(name, "name"));
  repo::OrgUnit after;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    TH_ASSIGN_OR_RETURN(auto before, Scoped(c, who, id));
    TH_RETURN_IF_ERROR(repo::OrgRepo(c).Rename(id, name, version, deps_.clock.NowMillis()));
    TH_ASSIGN_OR_RETURN(after, repo::OrgRepo(c).Get(id));
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"org.rename", "org_unit", std::to_string(id), after.path, OrgUnitJson(before),
                       OrgUnitJson(after), ""});
  }));
  AfterWrite(true);
  return after;
}

Result<repo::OrgUnit> OrgService::Move(const Principal& who, std::int64_t id, std::int64_t new_parent_id,
                                       std::int64_t version) {
  TH_RETURN_IF_ERROR(NeedManage(who));
  repo::OrgUnit after;
  // A move rewrites the unit paths of many rows (children, cases, work items...) and can deadlock with the escalation
  // sweep on PostgreSQL; the transaction then runs again (it only assigns `after`).
  TH_RETURN_IF_ERROR(InTransactionRetrying(deps_.db, [&](storage::Connection& c) {
    TH_ASSIGN_OR_RETURN(auto unit, Scoped(c, who, id));
    if (unit.id == who.org_unit_id) {
      return Status::Invalid("id", "cannot_move_root", "不能移动您自己的管辖根单位",
                             "You cannot move the root of your own jurisdiction");
    }
    TH_ASSIGN_OR_RETURN(auto parent, Scoped(c, who, new_parent_id));
    if (parent.path.compare(0, unit.path.size(), unit.path) == 0) {
      return Status::Invalid("parent_id", "move_into_self", "不能移动到自身或下级单位之下",
                             "A unit cannot move under itself or its descendants");
    }
    if (parent.retired) {
      return Status::Invalid("parent_id", "parent_retired", "目标上级单位已撤销", "The new parent is retired");
    }
    if (OrgLevelIndex(parent.level) != OrgLevelIndex(unit.level) - 1) {
      return Status::Invalid("parent_id", "invalid_level", "目标上级单位的层级不匹配",
                             "The new parent must be exactly one level up");
    }
    TH_RETURN_IF_ERROR(repo::OrgRepo(c).Move(unit, parent, version, deps_.clock.NowMillis()));
    TH_ASSIGN_OR_RETURN(after, repo::OrgRepo(c).Get(id));
    // Children, postings, requests and screening rows under the unit move with it, now.
    TH_RETURN_IF_ERROR(deps_.jurisdiction.AfterUnitMove(c, unit, after.path));
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"org.move", "org_unit", std::to_string(id), after.path, OrgUnitJson(unit), OrgUnitJson(after),
                       ""});
  }));
  AfterWrite(true);
  return after;
}

Result<repo::OrgUnit> OrgService::Retire(const Principal& who, std::int64_t id, std::int64_t version) {
  TH_RETURN_IF_ERROR(NeedManage(who));
  repo::OrgUnit after;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    TH_ASSIGN_OR_RETURN(auto unit, Scoped(c, who, id));
    if (unit.id == who.org_unit_id) {
      return Status::Invalid("id", "cannot_retire_root", "不能撤销您自己的管辖根单位",
                             "You cannot retire the root of your own jurisdiction");
    }
    repo::OrgRepo repo(c);
    TH_ASSIGN_OR_RETURN(auto kids, repo.CountActiveChildren(id));
    TH_ASSIGN_OR_RETURN(auto users, repo.CountActiveUsers(id));
    if (kids > 0 || users > 0) {
      return Status::Error(Code::kConflict, "has_active_children",
                           "该单位下还有" + std::to_string(kids) + "个下级单位和" + std::to_string(users) +
                               "个在用账户，请先处理",
                           "The unit still has active sub-units or users");
    }
    TH_RETURN_IF_ERROR(repo.Retire(id, version, deps_.clock.NowMillis()));
    TH_ASSIGN_OR_RETURN(after, repo.Get(id));
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"org.retire", "org_unit", std::to_string(id), after.path, OrgUnitJson(unit), OrgUnitJson(after),
                       ""});
  }));
  AfterWrite(false);
  return after;
}

// Long: the CSV import is one all-or-nothing transaction whose row checks share the parent lookup table.
Result<OrgImportReport> OrgService::Import(const Principal& who, const std::vector<OrgImportRow>& input, bool dry_run) {
  TH_RETURN_IF_ERROR(NeedManage(who));
  OrgImportReport report;
  // Parents first: sort by level, keeping file order within a level.
  std::vector<OrgImportRow> rows = input;
  for (auto& r : rows) {
    if (r.level.empty() && r.code.size() == 12) {
      auto lv = LevelFromRegionCode(r.code, "code");
      if (lv.ok()) r.level = *lv;
    }
    if (r.parent_code.empty() && r.code.size() == 12) {
      if (r.level == "community") r.parent_code = r.code.substr(0, 9) + "000";
      else if (r.level == "street") r.parent_code = r.code.substr(0, 6) + "000000";
      else if (r.level == "district") r.parent_code = r.code.substr(0, 4) + "00000000";
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const OrgImportRow& a, const OrgImportRow& b) {
    return OrgLevelIndex(a.level) < OrgLevelIndex(b.level);
  });
  auto reject = [&report](const OrgImportRow& r, const Status& s) {
    report.rejected.push_back({r.line, r.code, s.message_zh(), s.message_en()});
  };
  Status tx = InTransaction(deps_.db, [&](storage::Connection& c) {
    repo::OrgRepo repo(c);
    std::map<std::string, int> seen;
    const std::int64_t now = deps_.clock.NowMillis();
    for (const OrgImportRow& r : rows) {
      if (seen.count(r.code)) {
        reject(r, Status::Invalid("code", "duplicate", "文件内区划代码重复(第" + std::to_string(seen[r.code]) + "行)",
                                  "Duplicate code in file"));
        continue;
      }
      seen[r.code] = r.line;
      Status s = CheckName(r.name, "name");
      if (!s.ok()) { reject(r, s); continue; }
      if (r.level.empty()) {
        reject(r, Status::Invalid("level", "invalid_level", "未填写层级，且代码不是12位统计用区划代码，无法推断层级",
                                  "No level given, and the code is no 12-digit region code to infer it from"));
        continue;
      }
      if (OrgLevelIndex(r.level) < 0) {
        reject(r, Status::Invalid("level", "invalid_level", "层级无效: " + r.level, "Unknown level: " + r.level));
        continue;
      }
      auto existing = repo.GetByCode(r.code);
      if (existing.ok()) {
        if (!who.Covers(existing->path)) {
          reject(r, Status::Invalid("code", "out_of_scope", "该代码属于您管辖范围以外的单位", "Code belongs to a unit outside your jurisdiction"));
          continue;
        }
        if (existing->level != r.level) {
          reject(r, Status::Invalid("level", "invalid_level", "与现有单位层级不一致", "Level differs from the existing unit"));
          continue;
        }
        if (existing->name == r.name) {
          ++report.unchanged;
          continue;
        }
        TH_RETURN_IF_ERROR(repo.Rename(existing->id, r.name, existing->version, now));
        auto after = *existing;
        after.name = r.name;
        after.version++;
        TH_RETURN_IF_ERROR(WriteAudit(c, deps_.clock, &who, who.client_ip,
                                      {"org.rename", "org_unit", std::to_string(after.id), after.path,
                                       OrgUnitJson(*existing), OrgUnitJson(after), "import"}));
        ++report.updated;
        continue;
      }
      if (existing.status().code() != Code::kNotFound) return existing.status();
      if (r.parent_code.empty()) {
        reject(r, Status::Invalid("parent_code", "required", "缺少上级代码", "parent_code is required"));
        continue;
      }
      auto parent = repo.GetByCode(r.parent_code);
      if (!parent.ok() || !who.Covers(parent->path)) {
        reject(r, Status::Invalid("parent_code", "unknown_parent",
                                  "上级单位不存在或不在您的管辖范围内: " + r.parent_code,
                                  "Unknown parent (or outside your jurisdiction): " + r.parent_code));
        continue;
      }
      s = CheckUnitCode(r.code, r.level, parent->code, parent->level, "code");
      if (!s.ok()) { reject(r, s); continue; }
      repo::OrgUnit u;
      u.parent_id = parent->id;
      u.code = r.code;
      u.name = r.name;
      u.level = r.level;
      u.created_at = now;
      TH_RETURN_IF_ERROR(repo.Insert(u));
      TH_RETURN_IF_ERROR(WriteAudit(c, deps_.clock, &who, who.client_ip,
                                    {"org.create", "org_unit", std::to_string(u.id), u.path, "", OrgUnitJson(u),
                                     "import"}));
      ++report.created;
    }
    if (!report.rejected.empty() || dry_run) {
      // Roll back: nothing half-written, and a dry run leaves no trace.
      return Status::Error(Code::kConflict, "rollback", "", "");
    }
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"org.import", "org_unit", "", who.org_path, "",
                       JsonObjectWriter()
                           .Int("created", report.created)
                           .Int("updated", report.updated)
                           .Int("unchanged", report.unchanged)
                           .Finish(),
                       ""});
  });
  if (!tx.ok() && tx.error_code() != "rollback") return tx;
  if (tx.ok()) AfterWrite(report.updated > 0);
  std::sort(report.rejected.begin(), report.rejected.end(),
            [](const OrgImportReject& a, const OrgImportReject& b) { return a.line < b.line; });
  return report;
}

Status OrgService::CheckAgency(const repo::Agency& a) {
  TH_RETURN_IF_ERROR(CheckName(a.name, "name"));
  if (std::find(kAgencyKinds.begin(), kAgencyKinds.end(), a.kind) == kAgencyKinds.end()) {
    return Status::Invalid("kind", "invalid_kind", "机构类别无效",
                           "kind must be center, station, department, social_org or reporting_unit");
  }
  if (a.kind == "department") {
    if (std::find(kDeptTypes.begin(), kDeptTypes.end(), a.dept_type) == kDeptTypes.end()) {
      return Status::Invalid("dept_type", "invalid_dept_type", "成员单位类型无效", "Unknown department type");
    }
  } else if (a.kind == "reporting_unit") {
    if (std::find(kReportingUnitTypes.begin(), kReportingUnitTypes.end(), a.dept_type) == kReportingUnitTypes.end()) {
      return Status::Invalid("dept_type", "invalid_dept_type", "报告单位类型无效", "Unknown reporting unit type");
    }
  } else if (!a.dept_type.empty()) {
    return Status::Invalid("dept_type", "invalid_dept_type", "只有成员单位需要填写单位类型",
                           "dept_type applies to departments only");
  }
  TH_RETURN_IF_ERROR(text::CheckText(a.contact, "contact", text::kShortText));
  TH_RETURN_IF_ERROR(text::CheckText(a.phone, "phone", text::TextRule{30, text::TextShape::kLine}));
  return Status::Ok();
}

Result<std::vector<repo::Agency>> OrgService::ListAgencies(const Principal& who, std::optional<std::int64_t> unit,
                                                           const std::string& kind, const repo::Page& page,
                                                           std::int64_t* total) {
  TH_RETURN_IF_ERROR(NeedRead(who));
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  if (unit) TH_RETURN_IF_ERROR(Scoped(*h, who, *unit).status());
  return repo::OrgRepo(*h).ListAgencies(who.org_path, unit, kind, page, total);
}

Result<repo::Agency> OrgService::GetAgency(const Principal& who, std::int64_t id) {
  TH_RETURN_IF_ERROR(NeedRead(who));
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  TH_ASSIGN_OR_RETURN(auto a, repo::OrgRepo(*h).GetAgency(id));
  TH_RETURN_IF_ERROR(Scoped(*h, who, a.org_unit_id).status());
  return a;
}

Result<repo::Agency> OrgService::CreateAgency(const Principal& who, repo::Agency a) {
  TH_RETURN_IF_ERROR(NeedManage(who));
  TH_RETURN_IF_ERROR(CheckAgency(a));
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    TH_ASSIGN_OR_RETURN(auto unit, Scoped(c, who, a.org_unit_id));
    a.created_at = deps_.clock.NowMillis();
    TH_RETURN_IF_ERROR(repo::OrgRepo(c).InsertAgency(a));
    a.org_unit_name = unit.name;
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"agency.create", "agency", std::to_string(a.id), unit.path, "", AgencyJson(a), ""});
  }));
  return a;
}

Result<repo::Agency> OrgService::UpdateAgency(const Principal& who, repo::Agency a) {
  TH_RETURN_IF_ERROR(NeedManage(who));
  TH_RETURN_IF_ERROR(CheckAgency(a));
  repo::Agency after;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    repo::OrgRepo repo(c);
    TH_ASSIGN_OR_RETURN(auto before, repo.GetAgency(a.id));
    TH_RETURN_IF_ERROR(Scoped(c, who, before.org_unit_id).status());
    TH_ASSIGN_OR_RETURN(auto unit, Scoped(c, who, a.org_unit_id));
    TH_RETURN_IF_ERROR(repo.UpdateAgency(a, deps_.clock.NowMillis()));
    TH_ASSIGN_OR_RETURN(after, repo.GetAgency(a.id));
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"agency.update", "agency", std::to_string(a.id), unit.path, AgencyJson(before),
                       AgencyJson(after), ""});
  }));
  return after;
}

Result<repo::Agency> OrgService::RetireAgency(const Principal& who, std::int64_t id, std::int64_t version) {
  TH_RETURN_IF_ERROR(NeedManage(who));
  repo::Agency after;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    repo::OrgRepo repo(c);
    TH_ASSIGN_OR_RETURN(auto before, repo.GetAgency(id));
    TH_ASSIGN_OR_RETURN(auto unit, Scoped(c, who, before.org_unit_id));
    TH_RETURN_IF_ERROR(repo.RetireAgency(id, version, deps_.clock.NowMillis()));
    TH_ASSIGN_OR_RETURN(after, repo.GetAgency(id));
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"agency.retire", "agency", std::to_string(id), unit.path, AgencyJson(before), AgencyJson(after),
                       ""});
  }));
  return after;
}

}  // namespace th::service
