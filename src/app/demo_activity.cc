#include "app/demo_activity.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/demo_accounts.h"
#include "domain/id_number.h"
#include "modules/registry/service/child_service.h"
#include "modules/screening/service/screening_service.h"
#include "platform/repo/org_repo.h"
#include "platform/work/work_repo.h"
#include "platform/work/work_service.h"

namespace th::app {

namespace {

using service::Principal;

constexpr std::int64_t kMinute = 60LL * 1000, kHour = 60 * kMinute, kDay = 24 * kHour;

// Where a child lives: the community of the demo 儿童主任 王秀英 (布吉街道), of 张丽娟 (坂田街道), or another
// community of 布吉街道 without a demo account.
constexpr const char* kDirCommunity = "director";
constexpr const char* kDir2Community = "director2";
constexpr const char* kOtherCommunity = "other";

enum class Family { kDetained, kOrphan, kDibao, kPlain };

struct ChildSpec {
  const char* who;        // the demo account that files it
  const char* community;  // kDirCommunity | kDir2Community | kOtherCommunity
  const char* name;
  bool male;
  const char* birth;
  int seq;
  Family family;
  const char* address;
};

// The demo's children, filed 35 days ago by their communities' 儿童主任 (the district for 长龙社区).
const ChildSpec kChildren[] = {
    {"director", kDirCommunity, "陈思雨", false, "2014-05-12", 11, Family::kDetained, "布吉街道吉华路 12 号 501"},
    {"director", kDirCommunity, "林浩然", true, "2016-09-03", 12, Family::kOrphan, "布吉街道德兴路 3 号 204"},
    {"director", kDirCommunity, "黄雅琪", false, "2013-11-20", 13, Family::kDibao, "布吉街道百鸽路 66 号 1102"},
    {"director", kDirCommunity, "吴子轩", true, "2015-02-17", 14, Family::kDetained, "布吉街道吉华路 88 号 303"},
    {"director", kDirCommunity, "郑欣怡", false, "2012-07-08", 15, Family::kDibao, "布吉街道凉帽山路 5 号 602"},
    {"director", kDirCommunity, "孙嘉豪", true, "2017-03-25", 16, Family::kDetained, "布吉街道德兴路 19 号 101"},
    {"director", kDirCommunity, "马诗涵", false, "2011-12-01", 17, Family::kPlain, "布吉街道百鸽路 7 号 405"},
    {"director", kDirCommunity, "周俊杰", true, "2014-08-19", 18, Family::kPlain, "布吉街道吉华路 31 号 208"},
    {"director", kDirCommunity, "何梓萱", false, "2015-06-30", 19, Family::kDetained, "布吉街道凉帽山路 21 号 702"},
    {"director", kDirCommunity, "罗一鸣", true, "2013-04-14", 20, Family::kPlain, "布吉街道德兴路 40 号 301"},
    {"director", kDirCommunity, "杨若曦", false, "2016-06-18", 26, Family::kDetained, "布吉街道吉华路 56 号 902"},
    {"director2", kDir2Community, "刘梦琪", false, "2015-10-10", 21, Family::kDetained, "坂田街道五和大道 9 号 1203"},
    {"director2", kDir2Community, "许晨阳", true, "2016-01-22", 22, Family::kOrphan, "坂田街道雅园路 15 号 306"},
    {"director2", kDir2Community, "高雨桐", false, "2012-03-05", 23, Family::kPlain, "坂田街道坂雪岗大道 2 号 508"},
    {"director2", kDir2Community, "梁浩宇", true, "2014-12-12", 24, Family::kPlain, "坂田街道雅园路 38 号 101"},
    {"district", kOtherCommunity, "谢安琪", false, "2013-08-08", 25, Family::kPlain, "布吉街道龙岭路 6 号 402"},
};

// A valid 18-digit ID number born in the district: region, birth date, a sequence whose last digit
// gives the sex (odd: male), the GB 11643 check character.
std::string DemoId(const ChildSpec& s) {
  std::string birth = s.birth;
  birth.erase(std::remove(birth.begin(), birth.end(), '-'), birth.end());
  std::string seq = std::to_string(100 + s.seq * 2 + (s.male ? 1 : 0));
  std::string first17 = "440307" + birth + seq;
  return first17 + domain::IdCheckChar(first17);
}

service::MemberInput Member(const char* relation, const std::string& name, const char* state, const char* since,
                            std::int64_t months = 0) {
  service::MemberInput m;
  m.present = {"relation", "name", "state"};
  m.relation = relation;
  m.name = name;
  m.state = state;
  if (since[0]) {
    m.present.insert("state_since");
    m.state_since = since;
  }
  if (months > 0) {
    m.present.insert("restriction_months");
    m.restriction_months = months;
  }
  return m;
}

service::NewChild NewChildOf(const ChildSpec& s, std::int64_t community_id) {
  service::NewChild n;
  service::ChildInput& c = n.child;
  c.present = {"name", "sex", "birth_date", "id_number", "community_id", "hukou_region_code", "hukou_nature",
               "flow_status", "health", "residence_address"};
  c.name = s.name;
  c.sex = s.male ? "male" : "female";
  c.birth_date = s.birth;
  c.id_number = DemoId(s);
  c.community_id = community_id;
  c.hukou_region_code = "440307";
  c.hukou_nature = "non_agricultural";
  c.flow_status = "local";
  c.health = "healthy";
  c.residence_address = s.address;
  const std::string family_name = std::string(s.name).substr(0, 3);  // one CJK character in UTF-8
  service::GuardianInput g;
  g.phone = "1380013" + std::to_string(4000 + s.seq);
  switch (s.family) {
    case Family::kDetained:
      n.family = {Member("father", family_name + "建军", "imprisoned", "2024-03-01", 60),
                  Member("mother", "李秀兰", "missing", "2023-06-01")};
      g.name = family_name + "桂芳";
      g.relation = "grandmother";
      break;
    case Family::kOrphan:
      n.family = {Member("father", family_name + "国强", "dead", "2022-05-01"), Member("mother", "赵丽", "dead", "2023-09-01")};
      g.name = family_name + "德福";
      g.relation = "grandfather";
      break;
    case Family::kDibao:
    case Family::kPlain:
      n.family = {Member("father", family_name + "志明", s.family == Family::kPlain ? "working_away" : "serious_illness", ""),
                  Member("mother", "陈美玲", "at_home", "")};
      if (s.family == Family::kDibao) {
        c.present.insert("assistance");
        c.assistance = {"dibao"};
      }
      g.name = "陈美玲";
      g.relation = "mother";
      break;
  }
  n.guardian = g;
  return n;
}


// The script: who acts when, on what.
class Script {
 public:
  Script(App& app, service::ChildService& children, service::ScreeningService& screening, work::WorkService& work)
      : app_(app), children_(children), screening_(screening), work_(work) {
    const std::int64_t now = app.clock->NowMillis();
    const std::int64_t shanghai_day = (now + 8 * kHour) / kDay;
    base_ = shanghai_day * kDay - 8 * kHour;  // 00:00 today in Asia/Shanghai
  }

  Status Init() {
    for (const char* u : {"district", "supervisor", "director", "director2"}) {
      TH_ASSIGN_OR_RETURN(as_[u], DemoPrincipal(app_, u));
    }
    code_[kDirCommunity] = as_["director"].org_code;
    code_[kDir2Community] = as_["director2"].org_code;
    // Another community of the director's street.
    TH_ASSIGN_OR_RETURN(auto h, app_.db->Acquire());
    TH_ASSIGN_OR_RETURN(auto units, repo::OrgRepo(*h).ListSubtree(as_["supervisor"].org_path));
    for (const auto& u : units) {
      if (u.level == "community" && !u.retired && u.code != code_[kDirCommunity] && code_[kOtherCommunity].empty()) code_[kOtherCommunity] = u.code;
    }
    if (code_[kOtherCommunity].empty()) return Status::Internal("demo: the supervisor's street needs two communities");
    return Status::Ok();
  }
  // The code of a ChildSpec::community.
  const std::string& Code(const char* where) { return code_[where]; }
  // Every following step happens `days_ago` days before today at hh:mm (Asia/Shanghai).
  void At(int days_ago, int hour, int minute = 0) {
    app_.clock->Pin(base_ - days_ago * kDay + hour * kHour + minute * kMinute);
  }
  domain::Date DaysFromToday(int days) const { return domain::Date::FromEpochMillisShanghai(base_).AddDays(days); }

  Status FileChildren() {
    TH_ASSIGN_OR_RETURN(auto h, app_.db->Acquire());
    repo::OrgRepo orgs(*h);
    int minute = 0;
    for (const ChildSpec& s : kChildren) {
      At(35, 9, minute);
      minute += 7;
      TH_ASSIGN_OR_RETURN(auto unit, orgs.GetByCode(code_[s.community]));
      TH_ASSIGN_OR_RETURN(auto file, children_.Create(as_[s.who], NewChildOf(s, unit.id)));
      child_[s.name] = file.child.id;
      ++out_.children;
    }
    return Status::Ok();
  }

  Result<std::int64_t> Propose(const char* who, const char* child, const char* category, const char* reason) {
    TH_ASSIGN_OR_RETURN(auto r, children_.Propose(as_[who], child_[child], "entry", category, reason, ""));
    ++out_.roll_requests;
    return r.request.id;
  }
  Status Decide(const char* who, std::int64_t request, const char* action, const char* note) {
    TH_ASSIGN_OR_RETURN(auto r, children_.GetRequest(as_[who], request));
    return children_.Decide(as_[who], request, action, note, r.request.version).status();
  }

  // A data source of the district and one batch of `csv`, matched and turned into tasks now.
  Status Screen(const char* source, const char* dept_type, const std::string& csv, const char* file_name) {
    TH_ASSIGN_OR_RETURN(auto src, screening_.CreateSource(as_["district"], {source, dept_type, {}}));
    service::BatchUploadOptions o;
    o.source_id = src.id;
    o.file_name = file_name;
    TH_ASSIGN_OR_RETURN(auto queued, screening_.Upload(as_["district"], csv, o));
    TH_RETURN_IF_ERROR(screening_.RunPending().status());
    TH_ASSIGN_OR_RETURN(auto done, screening_.GetBatch(as_["district"], queued.batch.id));
    if (done.batch.status != "done") return Status::Internal("demo screening batch " + done.batch.status);
    ++out_.batches;
    out_.tasks += done.counts.findings;
    return Status::Ok();
  }
  // The open verification task about the department record named `name`.
  Result<repo::TaskRecord> TaskAbout(const std::string& name) {
    std::int64_t total = 0;
    TH_ASSIGN_OR_RETURN(auto tasks, screening_.ListTasks(as_["district"], "", "open", {1, 200}, &total));
    for (const auto& t : tasks) {
      if (t.finding.record.name == name) return t.task;
    }
    return Status::Internal("demo: no open task about " + name);
  }
  Status Outcome(const char* who, const char* name, const char* outcome, const char* note) {
    TH_ASSIGN_OR_RETURN(auto t, TaskAbout(name));
    TH_ASSIGN_OR_RETURN(auto r, screening_.RecordOutcome(as_[who], t.id, outcome, note, t.version));
    if (r.roll_request) ++out_.roll_requests;
    ++out_.outcomes;
    return Status::Ok();
  }
  // The verification item of the task about `name`, then one step of its workflow.
  Status ItemAction(const char* who, const char* name, const char* action, const char* note,
                    std::optional<domain::Date> due = std::nullopt) {
    TH_ASSIGN_OR_RETURN(auto t, TaskAbout(name));
    std::vector<work::WorkItemRecord> open;
    {
      TH_ASSIGN_OR_RETURN(auto h, app_.db->Acquire());
      TH_ASSIGN_OR_RETURN(open, work::WorkRepo(*h).OpenFor("verification_task", t.id));
    }
    if (open.empty()) return Status::Internal(std::string("demo: no work item for the task about ") + name);
    TH_RETURN_IF_ERROR(work_.Apply(as_[who], open[0].id, action, note, open[0].version, due).status());
    if (std::string(action) == "request_extension") ++out_.extensions;
    return Status::Ok();
  }

  DemoActivity& out() { return out_; }

 private:
  App& app_;
  service::ChildService& children_;
  service::ScreeningService& screening_;
  work::WorkService& work_;
  std::int64_t base_ = 0;
  std::map<std::string, Principal> as_;
  std::map<std::string, std::int64_t> child_;
  std::map<std::string, std::string> code_;  // kDirCommunity / kDir2Community / kOtherCommunity → community code
  DemoActivity out_;
};

std::string IdOf(const char* name) {
  for (const ChildSpec& s : kChildren) {
    if (std::string(s.name) == name) return DemoId(s);
  }
  return "";
}

// 区民政局's list of families in difficulty (20 days ago): a detained parent, dibao families not on
// the roll, two children nobody registered and a migrant pupil.
std::string PovertyCsv(Script& s) {
  const std::string a = s.Code(kDirCommunity), b = s.Code(kDir2Community), c = s.Code(kOtherCommunity);
  return "姓名,性别,出生日期,身份证号,社区,学校,户籍地区划代码,救助类型,父亲状态,母亲状态\n"
         "何梓萱,女,2015-06-30," + IdOf("何梓萱") + "," + a + ",,,,服刑,失联\n"
         "罗一鸣,男,2013-04-14," + IdOf("罗一鸣") + "," + a + ",,,低保,,\n"
         "马诗涵,女,2011-12-01," + IdOf("马诗涵") + "," + a + ",,,低保,,\n"
         "高雨桐,女,2012-03-05," + IdOf("高雨桐") + "," + b + ",,,低保,,\n"
         "谢安琪,女,2013-08-08," + IdOf("谢安琪") + "," + c + ",,,,服刑,\n"
         "唐小宝,男,2019-04-02,," + a + ",,,,,\n"
         "邓小雨,女,2018-10-15,," + a + ",,,,,\n"
         "冯乐乐,男,2015-09-09,," + b + ",坂田实验学校,511321,,,\n";
}

// 区残联's grade 1-2 disability list (4 days ago).
std::string DisabilityCsv(Script& s) {
  return "姓名,性别,出生日期,身份证号,社区,残疾类别,残疾等级\n"
         "周俊杰,男,2014-08-19," + IdOf("周俊杰") + "," + s.Code(kDirCommunity) + ",肢体残疾,一级\n"
         "梁浩宇,男,2014-12-12," + IdOf("梁浩宇") + "," + s.Code(kDir2Community) + ",智力残疾,二级\n";
}

// The first three weeks: roll requests proposed, reviewed, confirmed and returned; 区民政局's batch and the
// first outcomes.
Status WeeksAgo(Script& s) {
  s.At(30, 10);
  TH_ASSIGN_OR_RETURN(auto chen, s.Propose("director", "陈思雨", "de_facto_unsupported", "父亲服刑，母亲失联三年，由祖母照料"));
  s.At(29, 15);
  TH_RETURN_IF_ERROR(s.Decide("supervisor", chen, "review", "材料齐全，同意"));
  s.At(27, 10);
  TH_RETURN_IF_ERROR(s.Decide("district", chen, "confirm", "确认纳入"));
  s.At(24, 9, 30);
  TH_RETURN_IF_ERROR(s.Propose("director", "林浩然", "orphan", "父母均已去世，由祖父抚养").status());
  s.At(20, 10);
  TH_ASSIGN_OR_RETURN(auto wu, s.Propose("director", "吴子轩", "de_facto_unsupported", "父亲服刑，母亲失联"));
  s.At(20, 14);
  TH_RETURN_IF_ERROR(s.Screen("区民政局 困境家庭名单", "civil_affairs", PovertyCsv(s), "困境家庭名单-2026年11月.csv"));
  s.At(18, 16);
  TH_RETURN_IF_ERROR(s.Decide("supervisor", wu, "review", "同意"));
  s.At(17, 10);
  TH_RETURN_IF_ERROR(s.Outcome("director", "何梓萱", "confirmed", "入户核实：父亲服刑，母亲失联两年，由祖母照料"));
  s.At(16, 9);
  TH_ASSIGN_OR_RETURN(auto sun, s.Propose("director", "孙嘉豪", "de_facto_unsupported", "父亲服刑，母亲外出失联"));
  s.At(16, 11);
  TH_RETURN_IF_ERROR(s.Outcome("director", "罗一鸣", "rejected", "入户核实：该户 2025 年已退出低保，部门数据未更新"));
  s.At(15, 10);
  return s.Decide("supervisor", sun, "return", "缺少父亲服刑的判决书或监狱证明，请补充后重新提交");
}

// The last two weeks: more requests (some not yet due), extension requests (one approved), 区残联's batch.
Status LastTwoWeeks(Script& s) {
  s.At(15, 14);
  TH_RETURN_IF_ERROR(s.Propose("director2", "刘梦琪", "de_facto_unsupported", "父亲服刑，母亲失联，由外婆照料").status());
  s.At(13, 11);
  TH_RETURN_IF_ERROR(s.Propose("director", "黄雅琪", "poor_family", "家庭享受低保，父亲重病").status());
  s.At(8, 10);
  TH_ASSIGN_OR_RETURN(auto zheng, s.Propose("director", "郑欣怡", "poor_family", "家庭享受低保"));
  s.At(7, 15);
  TH_RETURN_IF_ERROR(s.Decide("supervisor", zheng, "review", "同意"));
  s.At(6, 10);
  TH_RETURN_IF_ERROR(s.ItemAction("director", "马诗涵", "request_extension", "低保资格正在民政局复核，需等复核结果",
                                  s.DaysFromToday(7)));
  s.At(5, 9);
  TH_RETURN_IF_ERROR(s.ItemAction("supervisor", "马诗涵", "approve_extension", "同意延期一周", s.DaysFromToday(7)));
  s.At(4, 14);
  TH_RETURN_IF_ERROR(s.Screen("区残联 一二级残疾人名单", "disability", DisabilityCsv(s), "一二级残疾儿童-2026年12月.csv"));
  s.At(3, 9);
  TH_RETURN_IF_ERROR(s.Propose("director2", "许晨阳", "orphan", "父母均已去世，由祖父抚养").status());
  s.At(2, 16);
  TH_RETURN_IF_ERROR(s.ItemAction("director", "唐小宝", "request_extension", "该儿童暂住亲戚家，需协调派出所核实户籍",
                                  s.DaysFromToday(5)));
  s.At(1, 10);
  TH_RETURN_IF_ERROR(s.Propose("director", "杨若曦", "de_facto_unsupported", "父亲服刑，母亲失联，由姑姑照料").status());
  s.At(1, 11);
  return s.ItemAction("director2", "高雨桐", "request_extension", "家长外出务工，约定下周入户", s.DaysFromToday(4));
}

}  // namespace

Result<DemoActivity> LoadDemoActivity(App& app) {
  service::ChildService* children = app.modules->children();
  service::ScreeningService* screening = app.modules->screening();
  work::WorkService* work = work::FindWork(app.services->deps());
  if (!children || !screening || !work) return Status::Internal("demo activity: modules not configured");
  Script s(app, *children, *screening, *work);
  Status st = s.Init();
  if (st.ok()) st = s.FileChildren();
  if (st.ok()) st = WeeksAgo(s);
  if (st.ok()) st = LastTwoWeeks(s);
  app.clock->Unpin();
  TH_RETURN_IF_ERROR(st);
  // Today: one sweep records the warnings and escalations the past weeks earned (and their notifications).
  TH_ASSIGN_OR_RETURN(auto swept, work->Sweep());
  s.out().escalations = swept.escalations;
  return s.out();
}

}  // namespace th::app
