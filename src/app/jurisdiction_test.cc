// Jurisdiction on both engines (issue 9, items 1-4): paging arithmetic never reaches another
// jurisdiction's child, every copy of a jurisdiction follows unit and child moves in the same
// transaction, accounts are managed by rank, and every role may list the roll requests.
#include <gtest/gtest.h>

#include <set>

#include "modules/screening/repo/screening_repo.h"
#include "modules/screening/service/screening_service.h"
#include "modules/accounts/service/org_service.h"
#include "app/testing/service_fixture.h"
#include "platform/work/work_service.h"

namespace th::service {
namespace {

using testing::MakeId;

class JurisdictionTest : public testing::RegistryFixture {
 protected:
  void SetUp() override {
    SetUpRegistry();
    if (IsSkipped() || HasFatalFailure()) return;
    // The work engine and the screening service: their copies of a jurisdiction (work items'
    // owners, tasks' paths) follow the moves through the jurisdiction hooks too.
    Status installed = work::InstallWork(services_->deps(), std::string(TH_SOURCE_DIR) + "/config");
    ASSERT_TRUE(installed.ok()) << installed.ToString();
    work_ = work::FindWork(services_->deps());
    screening_ = std::make_unique<ScreeningService>(services_->deps(), *children_, ScreeningRules{});
    grid_ = Insert(community_.id, "440307001001-G01", "第一网格", "grid");
    // A second district under the same city, so a street can move between districts.
    city_ = Insert({}, "440300000000", "深圳市", "city");
    ASSERT_TRUE(conn().Execute("UPDATE org_unit SET path = $1 || SUBSTR(path, 2) WHERE id <> $2",
                               {city_.path, city_.id}).ok());
    ASSERT_TRUE(conn().Execute("UPDATE org_unit SET parent_id = $1 WHERE id = $2", {city_.id, root_.id}).ok());
    for (repo::OrgUnit* u : {&root_, &buji_, &bantian_, &community_, &community2_, &grid_}) *u = Unit(u->id);
    for (Principal* p : {&district_, &sup_, &director_, &director2_}) *p = Relogin(p->username);
    admin_ = MakeUser("cityadmin", "sysadmin", city_.id);
    longhua_ = Insert(city_.id, "440309000000", "龙华区", "district");
    minzhi_ = Insert(longhua_.id, "440309001000", "民治街道", "street");
    district2_ = MakeUser("district2", "district", longhua_.id);
    sup2_ = MakeUser("sup2", "street_supervisor", bantian_.id);
    grid_worker_ = MakeUser("gridw", "grid_worker", grid_.id);
  }

  // A fresh session (the principal carries the unit path as it was at login).
  Principal Relogin(const std::string& username) {
    auto login = services_->auth().Login(username, kPassword, "10.0.0.1", "test");
    EXPECT_TRUE(login.ok()) << login.status().ToString();
    return login.ok() ? login->principal : Principal();
  }

  // A child of `community` (grid optional) named `name`, created by the district.
  std::int64_t MakeChild(const std::string& name, std::int64_t community, const std::string& id17,
                         std::optional<std::int64_t> grid = std::nullopt) {
    NewChild n;
    ChildInput& c = n.child;
    c.present = {"name", "sex", "birth_date", "id_number", "community_id", "hukou_nature", "hukou_region_code",
                 "flow_status"};
    c.name = name;
    c.sex = (id17.back() - '0') % 2 ? "male" : "female";  // GB 11643: odd sequence = male
    c.birth_date = "2016-05-04";
    c.id_number = MakeId(id17);
    c.community_id = community;
    if (grid) {
      c.present.insert("grid_id");
      c.grid_id = *grid;
    }
    c.hukou_nature = "agricultural";
    c.hukou_region_code = "440307";
    c.flow_status = "local";
    auto f = children_->Create(district_, n);
    EXPECT_TRUE(f.ok()) << f.status().ToString();
    return f.ok() ? f->child.id : 0;
  }

  std::vector<std::int64_t> Search(const Principal& who, const std::string& q) {
    ChildListParams p;
    p.q = q;
    std::int64_t total = -1;
    auto r = children_->List(who, p, {1, 20}, &total);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::vector<std::int64_t> ids;
    if (r.ok()) {
      for (const auto& x : *r) ids.push_back(x.id);
    }
    return ids;
  }

  std::int64_t RequestsSeen(const Principal& who) {
    std::int64_t total = -1;
    auto r = children_->ListRequests(who, "", "", {1, 20}, &total);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(total, r.ok() ? static_cast<std::int64_t>(r->size()) : -2);
    return total;
  }

  // A screening finding and its verification task for `child` in `community` (as the screening
  // service files them: unit_path is the community's path).
  std::int64_t MakeTask(std::int64_t child, const repo::OrgUnit& community) {
    repo::ScreeningRepo s(conn());
    repo::DataSourceRecord src;
    src.org_unit_id = root_.id;
    src.unit_path = root_.path;
    src.name = "学籍";
    src.created_at = clock_.NowMillis();
    EXPECT_TRUE(s.InsertSource(src).ok());
    repo::ScreeningBatchRecord b;
    b.source_id = src.id;
    b.org_unit_id = root_.id;
    b.unit_path = root_.path;
    b.uploaded_by = district_.user_id;
    b.status = "done";
    b.created_at = clock_.NowMillis();
    EXPECT_TRUE(s.InsertBatch(b).ok());
    repo::BatchRow row;
    row.batch_id = b.id;
    row.line = 2;
    row.name = "王小红";
    EXPECT_TRUE(s.InsertRow(row).ok());
    repo::FindingRecord f;
    f.batch_id = b.id;
    f.rule_id = "disability_unmarked";
    f.reason = "残联数据";
    f.record_id = row.id;
    f.child_id = child;
    f.community_id = community.id;
    f.unit_path = community.path;
    f.created_at = clock_.NowMillis();
    EXPECT_TRUE(s.InsertFinding(f).ok());
    repo::TaskRecord t;
    t.finding_id = f.id;
    t.community_id = community.id;
    t.unit_path = community.path;
    t.due_date = 20261001;
    t.created_at = clock_.NowMillis();
    EXPECT_TRUE(s.InsertTask(t).ok());
    // Its work item, as the screening service opens it: the community's 儿童主任.
    work::WorkOpen w;
    w.kind = "screening_verify";
    w.title = "核查排查线索";
    w.owner_unit_id = community.id;
    w.owner_role = "child_director";
    EXPECT_TRUE(work_->Sync(conn(), "verification_task", t.id, w).ok());
    return t.id;
  }

  // The open work items `who` has in 我的待办, as "kind:subject_id".
  std::set<std::string> Todo(const Principal& who) {
    std::set<std::string> out;
    auto r = work_->Inbox(who, "", {1, 50});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (r.ok()) {
      for (const auto& w : r->items) out.insert(w.kind + ":" + std::to_string(w.subject_id));
    }
    return out;
  }

  std::string TaskPath(std::int64_t task) {
    auto rows = conn().Query("SELECT unit_path FROM verification_task WHERE id = $1", {task});
    EXPECT_TRUE(rows.ok());
    return rows.ok() && !rows->empty() ? (*rows)[0].Text(0) : "";
  }

  repo::OrgUnit Unit(std::int64_t id) {
    auto u = repo::OrgRepo(conn()).Get(id);
    EXPECT_TRUE(u.ok());
    return u.ok() ? *u : repo::OrgUnit{};
  }

  repo::OrgUnit grid_, city_, longhua_, minzhi_;
  Principal admin_, district2_, sup2_, grid_worker_;
  work::WorkService* work_ = nullptr;
  std::unique_ptr<ScreeningService> screening_;
};

// Item 1: page and page_size are bounded, the offset is checked, and a page constructed past the
// bounds reads nothing instead of wrapping to a negative offset.
TEST_P(JurisdictionTest, PagingIsBoundedAndNeverLeaks) {
  EXPECT_EQ(MakePage(0, 20).status().error_code(), "invalid_page");
  EXPECT_EQ(MakePage(repo::kMaxPage + 1, 20).status().error_code(), "invalid_page");
  EXPECT_EQ(MakePage(9223372036854775807LL, 200).status().error_code(), "invalid_page");
  EXPECT_EQ(MakePage(1, 201).status().error_code(), "invalid_page_size");
  EXPECT_TRUE(MakePage(repo::kMaxPage, 200).ok());
  EXPECT_EQ((repo::Page{9223372036854775807LL, 200}.Offset()), repo::Page::kNoRows);
  EXPECT_EQ((repo::Page{9223371036854775809ULL & 0x7fffffffffffffffULL, 200}.Offset()), repo::Page::kNoRows);
  EXPECT_EQ((repo::Page{-5, 20}.Offset()), repo::Page::kNoRows);
  EXPECT_EQ((repo::Page{3, 20}.Offset()), 40);

  const std::int64_t mine = MakeChild("王晓红", community_.id, "44030720160504001");
  const std::int64_t other = MakeChild("王晓明", community2_.id, "44030720160504002");
  // Pages that the API refuses, given to the service directly: nothing, and never the other street's.
  for (std::int64_t page : {std::int64_t{9223372036854775807LL}, std::int64_t{46116860184273880LL},
                            std::int64_t{-3}, std::int64_t{0}}) {
    for (bool search : {true, false}) {
      ChildListParams p;
      if (search) p.q = "王";
      std::int64_t total = -1;
      auto r = children_->List(director_, p, repo::Page{page, 200}, &total);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_TRUE(r->empty()) << "page " << page;
    }
  }
  EXPECT_EQ(Search(director_, "王"), (std::vector<std::int64_t>{mine}));
  EXPECT_EQ(Search(director2_, "王"), (std::vector<std::int64_t>{other}));
}

// Item 1: a list page passes the single-read scope test row by row: even a row the query let
// through by mistake (here: a stale posting pointing into this community) is never shown.
TEST_P(JurisdictionTest, ListRowsPassTheSingleReadScopeTest) {
  const std::int64_t other = MakeChild("李小花", community2_.id, "44030720160504003");
  ASSERT_TRUE(conn().Execute("UPDATE search_posting SET community_id = $1, street_id = $2 WHERE child_id = $3",
                             {community_.id, buji_.id, other}).ok());
  EXPECT_TRUE(Search(director_, "李小花").empty());
  EXPECT_TRUE(Search(sup_, "李小花").empty());
  EXPECT_TRUE(children_->Get(director2_, other).ok());
}

// Item 2: a community moved to another street takes its children, their postings, requests and
// screening tasks along; a street moved to another district too.
TEST_P(JurisdictionTest, UnitMovesTakeEveryCopyAlong) {
  const std::int64_t kid = MakeChild("赵小雨", community_.id, "44030720160504004", grid_.id);
  auto proposal = children_->Propose(director_, kid, "entry", "de_facto_unsupported", "父母均无法履行抚养义务", "");
  ASSERT_TRUE(proposal.ok()) << proposal.status().ToString();
  const std::int64_t task = MakeTask(kid, community_);
  EXPECT_EQ(RequestsSeen(sup_), 1);
  EXPECT_EQ(RequestsSeen(sup2_), 0);
  const std::string review = "roll_review:" + std::to_string(proposal->request.id);
  EXPECT_EQ(Todo(sup_), (std::set<std::string>{review}));
  EXPECT_TRUE(Todo(sup2_).empty());

  // 布吉社区 moves from 布吉街道 to 坂田街道.
  auto moved = accounts_->org().Move(district_, community_.id, bantian_.id, Unit(community_.id).version);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(children_->Get(sup_, kid).status().code(), Code::kNotFound);
  auto file = children_->Get(sup2_, kid);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->child.street_id, bantian_.id);
  EXPECT_TRUE(Search(sup_, "赵小雨").empty());
  EXPECT_EQ(Search(sup2_, "赵小雨"), (std::vector<std::int64_t>{kid}));
  EXPECT_EQ(Search(director_, "赵小雨"), (std::vector<std::int64_t>{kid}));  // the community's own director
  EXPECT_EQ(RequestsSeen(sup_), 0);
  EXPECT_EQ(RequestsSeen(sup2_), 1);
  EXPECT_EQ(children_->Decide(sup_, proposal->request.id, "review", "", 1).status().code(), Code::kNotFound);
  EXPECT_EQ(TaskPath(task), moved->path);
  auto request_row = conn().Query("SELECT street_id FROM roll_request WHERE id = $1", {proposal->request.id});
  ASSERT_TRUE(request_row.ok());
  EXPECT_EQ((*request_row)[0].Int(0), bantian_.id);
  // The review passes to 坂田街道's 督导员 (the request's new street); the task's item moves with
  // its community.
  EXPECT_TRUE(Todo(sup_).empty());
  EXPECT_EQ(Todo(sup2_), (std::set<std::string>{review}));
  auto task_item = conn().Query("SELECT owner_unit_path FROM work_item WHERE subject_type = 'verification_task' "
                                "AND subject_id = $1 AND is_open = 1",
                                {task});
  ASSERT_TRUE(task_item.ok());
  ASSERT_EQ(task_item->size(), 1u);
  EXPECT_EQ((*task_item)[0].Text(0), moved->path);

  // 坂田街道 (with the community now in it) moves to 龙华区: the 龙岗 district loses the child.
  auto street_moved = accounts_->org().Move(admin_, bantian_.id, longhua_.id, Unit(bantian_.id).version);
  ASSERT_TRUE(street_moved.ok()) << street_moved.status().ToString();
  EXPECT_EQ(children_->Get(district_, kid).status().code(), Code::kNotFound);
  EXPECT_TRUE(Search(district_, "赵小雨").empty());
  EXPECT_EQ(RequestsSeen(district_), 0);
  auto there = children_->Get(district2_, kid);
  ASSERT_TRUE(there.ok()) << there.status().ToString();
  EXPECT_EQ(there->child.district_id, longhua_.id);
  EXPECT_EQ(Search(district2_, "赵小雨"), (std::vector<std::int64_t>{kid}));
  EXPECT_EQ(RequestsSeen(district2_), 1);
  EXPECT_EQ(TaskPath(task), Unit(community_.id).path);
  EXPECT_EQ(Unit(community_.id).path.rfind(longhua_.path, 0), 0u);
  auto items = conn().Query("SELECT COUNT(*) FROM work_item WHERE is_open = 1 AND (owner_unit_path NOT LIKE $1 "
                            "OR district_unit_id <> $2)",
                            {longhua_.path + "%", longhua_.id});
  ASSERT_TRUE(items.ok());
  EXPECT_EQ((*items)[0].Int(0), 0);  // every open item now lies in 龙华区, with its district
}

// Item 2: a grid moved to another community takes its children there.
TEST_P(JurisdictionTest, GridMoveMovesItsChildren) {
  const std::int64_t kid = MakeChild("钱小川", community_.id, "44030720160504005", grid_.id);
  auto moved = accounts_->org().Move(district_, grid_.id, community2_.id, Unit(grid_.id).version);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(children_->Get(director_, kid).status().code(), Code::kNotFound);
  auto f = children_->Get(director2_, kid);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->child.community_id, community2_.id);
  EXPECT_EQ(f->child.street_id, bantian_.id);
  EXPECT_EQ(Search(director2_, "钱小川"), (std::vector<std::int64_t>{kid}));
}

// Item 2: a child moved to another community takes its roll request and screening task along.
TEST_P(JurisdictionTest, ChildMoveTakesRequestsAndTasks) {
  const std::int64_t kid = MakeChild("孙小月", community_.id, "44030720160504006");
  auto proposal = children_->Propose(director_, kid, "entry", "de_facto_unsupported", "父母均无法履行抚养义务", "");
  ASSERT_TRUE(proposal.ok()) << proposal.status().ToString();
  const std::int64_t task = MakeTask(kid, community_);
  EXPECT_EQ(RequestsSeen(director_), 1);
  auto file = children_->Get(district_, kid);
  ASSERT_TRUE(file.ok());
  ChildInput move;
  move.present = {"community_id", "grid_id"};
  move.community_id = community2_.id;
  ASSERT_TRUE(children_->Update(district_, kid, move, file->child.version, "").ok());
  EXPECT_EQ(RequestsSeen(director_), 0);
  EXPECT_EQ(RequestsSeen(sup_), 0);
  EXPECT_EQ(RequestsSeen(director2_), 1);
  EXPECT_EQ(RequestsSeen(sup2_), 1);
  EXPECT_EQ(TaskPath(task), community2_.path);
  // Their work items follow: the review to 坂田街道, the verification to the new community.
  EXPECT_TRUE(Todo(sup_).empty());
  EXPECT_EQ(Todo(sup2_), (std::set<std::string>{"roll_review:" + std::to_string(proposal->request.id)}));
  EXPECT_TRUE(Todo(director_).empty());
  EXPECT_EQ(Todo(director2_), (std::set<std::string>{"screening_verify:" + std::to_string(task)}));
}

// Item 4: every role that may read children may list roll requests (a grid worker got 500).
TEST_P(JurisdictionTest, EveryReadingRoleListsRollRequests) {
  const std::int64_t kid = MakeChild("周小溪", community_.id, "44030720160504007", grid_.id);
  ASSERT_TRUE(children_->Propose(director_, kid, "entry", "de_facto_unsupported", "父母均无法履行抚养义务", "").ok());
  const std::int64_t outside = MakeChild("吴小山", community_.id, "44030720160504008");
  ASSERT_TRUE(children_->Propose(director_, outside, "entry", "de_facto_unsupported", "父母均无法履行抚养义务", "").ok());
  EXPECT_EQ(RequestsSeen(grid_worker_), 1);  // only the child in the grid
  EXPECT_EQ(RequestsSeen(director_), 2);
  EXPECT_EQ(RequestsSeen(sup_), 2);
  EXPECT_EQ(RequestsSeen(district_), 2);
  EXPECT_EQ(RequestsSeen(sup2_), 0);
  Principal leader = MakeUser("leader", "leader", root_.id);
  Principal social = MakeUser("social", "social_worker", buji_.id);
  EXPECT_EQ(RequestsSeen(leader), 2);
  EXPECT_EQ(RequestsSeen(social), 2);
}

// Item 3: accounts are managed by rank inside the manager's subtree.
TEST_P(JurisdictionTest, AccountsAreManagedByRank) {
  auto& users = accounts_->users();
  auto get = [&](const Principal& p) {
    auto u = users.Get(admin_, p.user_id);
    EXPECT_TRUE(u.ok());
    return *u;
  };
  Principal sysadmin = MakeUser("sys2", "sysadmin", root_.id);
  // A district user cannot edit, move, reset, disable or unlock a sysadmin.
  UserEdit e;
  e.id = sysadmin.user_id;
  e.version = get(sysadmin).version;
  e.display_name = "改名";
  EXPECT_EQ(users.Update(district_, e).status().code(), Code::kPermissionDenied);
  e.display_name.reset();
  e.org_unit_id = community_.id;
  EXPECT_EQ(users.Update(district_, e).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(users.ResetPassword(district_, sysadmin.user_id).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(users.SetDisabled(district_, sysadmin.user_id, true).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(users.Unlock(district_, sysadmin.user_id).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(get(sysadmin).org_unit_id, root_.id);
  // Nor a peer of the same rank, nor grant a role of its own rank.
  Principal peer = MakeUser("district_b", "district", root_.id);
  UserEdit pe;
  pe.id = peer.user_id;
  pe.version = get(peer).version;
  pe.display_name = "同级";
  EXPECT_EQ(users.Update(district_, pe).status().code(), Code::kPermissionDenied);
  NewUser n;
  n.username = "newdistrict";
  n.display_name = "新区级";
  n.role = "district";
  n.org_unit_id = root_.id;
  EXPECT_EQ(users.Create(&district_, n).status().code(), Code::kPermissionDenied);
  // A lower rank in the subtree: allowed. Their own name: allowed.
  UserEdit se;
  se.id = sup_.user_id;
  se.version = get(sup_).version;
  se.display_name = "李督导";
  EXPECT_TRUE(users.Update(district_, se).ok());
  UserEdit own;
  own.id = district_.user_id;
  own.version = get(district_).version;
  own.display_name = "陈晓红";
  EXPECT_TRUE(users.Update(district_, own).ok());
  // A sysadmin manages a sysadmin.
  UserEdit ae;
  ae.id = sysadmin.user_id;
  ae.version = get(sysadmin).version;
  ae.display_name = "系统管理员二";
  EXPECT_TRUE(users.Update(admin_, ae).ok());
  // An agency bound to a new account lies in the creator's jurisdiction.
  repo::Agency other;
  other.org_unit_id = bantian_.id;
  other.kind = "station";
  other.name = "坂田街道未成年人保护工作站";
  auto agency = accounts_->org().CreateAgency(district_, other);
  ASSERT_TRUE(agency.ok()) << agency.status().ToString();
  Principal buji_admin = MakeUser("bujiadmin", "sysadmin", buji_.id);
  NewUser bound;
  bound.username = "bound";
  bound.display_name = "绑定";
  bound.role = "grid_worker";
  bound.org_unit_id = community_.id;
  bound.agency_id = agency->id;
  auto refused = users.Create(&buji_admin, bound);
  EXPECT_EQ(refused.status().code(), Code::kNotFound);
  EXPECT_EQ(refused.status().field(), "agency_id");
  EXPECT_TRUE(users.Create(&district_, bound).ok());
}

TH_INSTANTIATE_ENGINE_TEST(JurisdictionTest);

}  // namespace
}  // namespace th::service
