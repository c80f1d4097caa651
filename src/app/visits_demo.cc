#include "app/visits_demo.h"

#include "app/demo_accounts.h"
#include "app/modules.h"
#include "modules/registry/service/child_service.h"
#include "modules/visits/service/visits_service.h"
#include "platform/service/deps.h"

namespace th::app {

namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

struct Kid {
  std::int64_t id = 0;
  std::string path;
};

// Roll entries for the director's community's children not on the roll, through the registry's workflow.
Status EnrolCommunity(App& app, std::int64_t at) {
  service::ChildService* children = app.modules->children();
  if (!children) return Status::Internal("registry module not configured");
  TH_ASSIGN_OR_RETURN(auto director, DemoPrincipal(app, "director"));
  TH_ASSIGN_OR_RETURN(auto supervisor, DemoPrincipal(app, "supervisor"));
  TH_ASSIGN_OR_RETURN(auto district, DemoPrincipal(app, "district"));
  std::vector<std::int64_t> ids;
  {
    TH_ASSIGN_OR_RETURN(auto h, app.db->Acquire());
    TH_ASSIGN_OR_RETURN(auto rows, h->Query("SELECT id FROM child WHERE community_id = $1 AND roll_status = 'not_on_roll' "
                                            "ORDER BY id",
                                            {director.org_unit_id}));
    for (const auto& r : rows.rows) ids.push_back(r.Int(0));
  }
  static const char* kCats[] = {"de_facto_unsupported", "other", "poor_family"};
  for (std::size_t i = 0; i < ids.size(); ++i) {
    app.clock->Pin(at + static_cast<std::int64_t>(i) * 3600 * 1000);
    auto req = children->Propose(director, ids[i], "entry", kCats[i % 3], "入户核实：父母长期外出务工，由年迈祖辈照料，生活困难",
                                 "村委证明");
    if (!req.ok()) continue;  // e.g. a request already open: leave that child to its own story
    TH_ASSIGN_OR_RETURN(auto reviewed, children->Decide(supervisor, req->request.id, "review", "材料齐全，同意",
                                                        req->request.version));
    TH_RETURN_IF_ERROR(children->Decide(district, req->request.id, "confirm", "确认纳入", reviewed.request.version).status());
  }
  return Status::Ok();
}

}  // namespace

// Long: one linear demo script (plan, grade, visit, evaluate).
Result<std::int64_t> LoadDemoVisits(App& app) {
  service::VisitsService* visits = app.modules->visits();
  if (!visits) return Status::Internal("visits module not configured");
  std::vector<service::Principal> actors;
  for (const char* u : {"grid", "director", "director2", "supervisor", "district"}) {
    TH_ASSIGN_OR_RETURN(auto p, DemoPrincipal(app, u));
    actors.push_back(std::move(p));
  }
  const std::int64_t now = app.clock->NowMillis();
  // 100 days ago: the 儿童主任 brings the children of her community not yet on the roll onto it (the street
  // reviews, the district confirms); the registry's roll listener plans their visits.
  TH_RETURN_IF_ERROR(EnrolCommunity(app, now - 100 * kDayMs));
  // The children on the roll, with the unit path that scopes them.
  std::vector<Kid> kids;
  {
    TH_ASSIGN_OR_RETURN(auto h, app.db->Acquire());
    TH_ASSIGN_OR_RETURN(auto rows, h->Query("SELECT c.id, u.path FROM child c JOIN org_unit u ON u.id = "
                                            "COALESCE(c.grid_id, c.community_id) WHERE c.roll_status IN "
                                            "('on_roll', 'exit_proposed') ORDER BY c.id"));
    for (const auto& r : rows.rows) kids.push_back({r.Int(0), r.Text(1)});
  }
  // 90 days ago: every child on the roll gets its schedule (the roll listener planned the ones the
  // demo's roll decisions confirmed; this is the nightly evaluation's catch-up).
  app.clock->Pin(now - 90 * kDayMs);
  TH_RETURN_IF_ERROR(visits->Evaluate().status());
  // 80 days ago: the risk assessments grade them (as the cases module's grade hook will).
  app.clock->Pin(now - 80 * kDayMs);
  static const char* kGrades[] = {"red", "yellow", "blue", "green", "orange", "blue", "yellow", ""};
  TH_RETURN_IF_ERROR(service::InTransaction(*app.db, [&](storage::Connection& c) -> Status {
    for (std::size_t i = 0; i < kids.size(); ++i) {
      TH_RETURN_IF_ERROR(visits->OnGrade(c, kids[i].id, kGrades[i % 8], now - 80 * kDayMs));
    }
    return Status::Ok();
  }));
  // Visits at days -75, -45, -15 (the red ones weekly); every third child misses its last one.
  static const char* kPlaces[] = {"home", "home", "school", "home", "community"};
  static const char* kStates[] = {"good", "good", "fair", "good", "poor"};
  std::int64_t recorded = 0;
  for (std::size_t i = 0; i < kids.size(); ++i) {
    const service::Principal* who = nullptr;
    for (const auto& a : actors) {
      if (a.Covers(kids[i].path) && a.Can("visit.write")) {
        who = &a;
        break;
      }
    }
    if (!who) continue;
    std::vector<int> days = kGrades[i % 8] == std::string("red") ? std::vector<int>{75, 68, 61, 54, 47, 40, 33, 26, 19, 12}
                                                                  : std::vector<int>{75, 45, 15};
    if (i % 3 == 2) days.pop_back();  // missed: overdue now
    for (std::size_t k = 0; k < days.size(); ++k) {
      app.clock->Pin(now - days[k] * kDayMs + 3 * 3600 * 1000);
      service::VisitInput in;
      in.visited_on = domain::Date::FromEpochMillisShanghai(app.clock->NowMillis()).ToString();
      in.seen = k % 4 == 3 ? std::vector<std::string>{"child", "others"} : std::vector<std::string>{"child", "guardian"};
      if (k % 4 == 3) in.seen_others = "班主任";
      in.place = kPlaces[(i + k) % 5];
      in.child_state = kStates[(i + k) % 5];
      in.home_state = kStates[(i + 2 * k) % 5];
      in.guardian_care = kStates[(i + 3 * k) % 5];
      in.child_note = in.child_state == std::string("poor") ? "情绪低落，不愿交流" : "精神状态良好";
      if ((i + k) % 3 == 0) {
        in.needs = {"education"};
        in.needs_note = "学习跟不上，需要课业辅导";
        in.follow_ups = "联系学校安排志愿者辅导";
      }
      if (in.guardian_care == std::string("poor")) {
        in.needs.push_back("family");
        in.guardian_note = "祖母年老体弱，照料不足";
        in.follow_ups = "提请社工评估监护能力";
      }
      TH_RETURN_IF_ERROR(visits->Record(*who, kids[i].id, in).status());
      ++recorded;
    }
  }
  app.clock->Unpin();
  // Today: the visits that have fallen due open their work items (the sweeper escalates the late ones).
  TH_RETURN_IF_ERROR(visits->Evaluate().status());
  return recorded;
}

}  // namespace th::app
