#include "app/guardianship_demo.h"

#include "app/demo_accounts.h"
#include "app/modules.h"
#include "modules/cases/service/case_service.h"
#include "modules/guardianship/service/guardianship_service.h"
#include "modules/registry/service/child_service.h"

namespace th::app {

namespace {

constexpr std::int64_t kHour = 3600LL * 1000;
constexpr std::int64_t kDay = 24 * kHour;

constexpr const char* kGoodHome =
    R"({"gd_health":"good","gd_will":"willing","gd_care":"good","gd_income":false,"gd_housing":false,"gd_note":"父亲刑满释放后在物流公司就业，住房已整理，愿意并能够照料孩子。"})";

class GuardScript {
 public:
  GuardScript(App& app, service::GuardianshipService& g, service::ChildService& children)
      : app_(app), g_(g), children_(children) {
    const std::int64_t shanghai_day = (app.clock->NowMillis() + 8 * kHour) / kDay;
    base_ = shanghai_day * kDay - 8 * kHour;  // 00:00 today in Asia/Shanghai
  }
  std::int64_t T(int days_ago, int hour) const { return base_ - days_ago * kDay + hour * kHour; }
  void At(int days_ago, int hour) { app_.clock->Pin(T(days_ago, hour)); }

  Result<std::int64_t> ChildNamed(const service::Principal& who, const std::string& name) {
    service::ChildListParams p;
    p.q = name;
    std::int64_t total = 0;
    TH_ASSIGN_OR_RETURN(auto rows, children_.List(who, p, {1, 5}, &total));
    for (const auto& r : rows) {
      if (r.name == name) return r.id;
    }
    return Status::NotFound("demo child " + name);
  }

  Result<service::GuardianshipView> Propose(const service::Principal& who, std::int64_t child, const char* kind,
                                            std::vector<std::string> grounds, const char* reason) {
    return g_.Propose(who, {child, kind, std::move(grounds), reason});
  }

  Result<service::GuardianshipView> Place(const service::Principal& who, const service::GuardianshipView& v,
                                          service::PlacementInput in) {
    in.placed_at = app_.clock->NowMillis();
    return g_.Place(who, v.record.id, in, v.record.version);
  }

  Result<service::GuardianshipView> Check(const service::Principal& who, const service::GuardianshipView& v,
                                          const char* state, const char* notes) {
    return g_.RecordCheck(who, v.record.id, {app_.clock->NowMillis(), state, notes}, v.record.version);
  }

 private:
  App& app_;
  service::GuardianshipService& g_;
  service::ChildService& children_;
  std::int64_t base_ = 0;
};

}  // namespace

// Long: one linear demo script (three interventions, each in another state).
Status LoadDemoGuardianship(App& app) {
  service::GuardianshipService* g = app.modules->guardianship();
  service::ChildService* children = app.modules->children();
  service::CaseService* cases = app.modules->cases();
  if (!g || !children || !cases) return Status::Internal("guardianship module not configured");
  TH_ASSIGN_OR_RETURN(auto social, DemoPrincipal(app, "social"));
  TH_ASSIGN_OR_RETURN(auto district, DemoPrincipal(app, "district"));
  GuardScript s(app, *g, *children);
  TH_ASSIGN_OR_RETURN(auto he, s.ChildNamed(social, "何梓萱"));
  TH_ASSIGN_OR_RETURN(auto sun, s.ChildNamed(social, "孙嘉豪"));
  TH_ASSIGN_OR_RETURN(auto xu, s.ChildNamed(district, "许晨阳"));
  Status st = [&]() -> Status {
    // 孙嘉豪: father detained, no one to care; placed at the rescue centre, returned home two days ago.
    s.At(33, 10);
    TH_ASSIGN_OR_RETURN(auto v1, s.Propose(social, sun, "temporary", {"a92_3"},
                                           "父亲被羁押，母亲多年失联，无其他亲属可照料，孩子独自在家"));
    s.At(32, 15);
    TH_ASSIGN_OR_RETURN(v1, g->Decide(district, v1.record.id, "approve", "同意临时监护，送区未成年人救助保护中心",
                                      v1.record.version));
    s.At(32, 17);
    TH_ASSIGN_OR_RETURN(v1, s.Place(social, v1, {"rescue_institution", "龙岗区未成年人救助保护中心", "林志红",
                                                 "0755-28901234", "龙岗区龙城街道回龙路 8 号", 0}));
    s.At(18, 10);
    TH_ASSIGN_OR_RETURN(v1, s.Check(social, v1, "good", "在中心生活规律，已转入附近小学就读，情绪稳定"));
    s.At(4, 15);
    service::AssessmentInput a;
    a.child_id = sun;
    a.form = "guardianship";
    a.answers_json = kGoodHome;
    TH_ASSIGN_OR_RETURN(auto draft, cases->SaveDraft(social, std::nullopt, a, 0));
    TH_ASSIGN_OR_RETURN(auto done, cases->Complete(social, draft.id, draft.version));
    TH_ASSIGN_OR_RETURN(v1, g->LinkReturnAssessment(social, v1.record.id, done.id, v1.record.version));
    s.At(2, 10);
    TH_RETURN_IF_ERROR(g->Return(social, v1.record.id, "父亲已取保候审回家，评估监护能力较好，送返家庭并约定每月回访",
                                 v1.record.version)
                           .status());
    // 何梓萱: mother detained, father working away; placed with her aunt, checked twice.
    s.At(28, 9);
    TH_ASSIGN_OR_RETURN(auto v2, s.Propose(social, he, "temporary", {"a92_3", "a92_4"},
                                           "母亲被羁押，父亲在外地务工拒绝返回照料，孩子由邻居临时照看"));
    s.At(27, 16);
    TH_ASSIGN_OR_RETURN(v2, g->Decide(district, v2.record.id, "approve", "同意，优先亲属抚养", v2.record.version));
    s.At(26, 11);
    TH_ASSIGN_OR_RETURN(v2, s.Place(social, v2, {"relatives", "姑姑何丽华家", "何丽华", "13923456781",
                                                 "布吉街道百鸽路 120 号 3 栋 601", 0}));
    s.At(19, 15);
    TH_ASSIGN_OR_RETURN(v2, s.Check(social, v2, "fair", "入住一周，夜间偶有哭闹，姑姑照料细心，已联系学校老师关注"));
    s.At(5, 16);
    TH_ASSIGN_OR_RETURN(v2, s.Check(social, v2, "good", "情绪明显好转，按时上学，姑姑反映经济压力较大，已申请临时救助"));
    // 许晨阳 (orphan): long-term guardianship by civil affairs, no relative able to take him.
    s.At(22, 10);
    TH_ASSIGN_OR_RETURN(auto v3, s.Propose(district, xu, "long_term", {"a94_2"},
                                           "父母均已死亡，祖父母年逾八十且患病，无其他人可以担任监护人"));
    s.At(21, 14);
    return g->Decide(district, v3.record.id, "approve", "同意由民政部门长期监护，安置于区儿童福利院", v3.record.version)
        .status();
  }();
  app.clock->Unpin();
  return st;
}

}  // namespace th::app
