// The child registry against both engines (SQLite and PostgreSQL): one suite, run twice.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "modules/registry/domain/demo_generator.h"
#include "domain/id_number.h"
#include "domain/region.h"
#include "platform/repo/org_repo.h"
#include "platform/service/audit_service.h"
#include "platform/service/auth_service.h"
#include "modules/registry/service/child_service.h"
#include "modules/accounts/service/user_service.h"
#include "app/testing/service_fixture.h"

namespace th::service {
namespace {

using testing::MakeId;
using testing::ReadFile;

class ChildServiceTest : public testing::RegistryFixture {
 protected:
  void SetUp() override {
    SetUpRegistry();
    if (IsSkipped() || HasFatalFailure()) return;
    grid_ = Insert(community_.id, "440307001001-G01", "第一网格", "grid");
  }

  // A boy born 2015-03-02 whose father is in prison (36-month sentence) and whose mother has
  // been missing (police report) for a year: 事实无人抚养儿童 by rule A.
  NewChild Zhangwei(const std::string& id_number) {
    NewChild n;
    ChildInput& c = n.child;
    c.present = {"name", "sex", "birth_date", "id_number", "community_id", "grid_id", "hukou_nature",
                 "hukou_region_code", "flow_status"};
    c.name = "张伟";
    c.sex = "male";
    c.birth_date = "2015-03-02";
    c.id_number = id_number;
    c.community_id = community_.id;
    c.grid_id = grid_.id;
    c.hukou_nature = "agricultural";
    c.hukou_region_code = "440307";
    c.flow_status = "local";
    MemberInput father;
    father.present = {"relation", "name", "state", "state_since", "restriction_months", "phone"};
    father.relation = "father";
    father.name = "张建国";
    father.state = "imprisoned";
    father.state_since = "2025-03-01";
    father.restriction_months = 36;
    father.phone = "13912345678";
    MemberInput mother;
    mother.present = {"relation", "name", "state", "state_since"};
    mother.relation = "mother";
    mother.name = "李梅";
    mother.state = "missing";
    mother.state_since = "2025-06-01";
    n.family = {father, mother};
    GuardianInput g;
    g.name = "张奶奶";
    g.relation = "grandmother";
    g.phone = "13800001111";
    n.guardian = g;
    return n;
  }

  std::int64_t CountAudit(const std::string& action) {
    auto rows = conn().Query("SELECT COUNT(*) FROM audit_log WHERE action = $1", {action});
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }

  repo::OrgUnit grid_;
  const std::string id_ = MakeId("44030720150302001");
};

TEST_P(ChildServiceTest, CreateDerivesCategoriesMasksAndScopes) {
  auto f = children_->Create(director_, Zhangwei(id_));
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->child.id_masked, domain::MaskIdNumber(id_));
  EXPECT_EQ(f->child.street_id, buji_.id);
  EXPECT_EQ(f->child.district_id, root_.id);
  ASSERT_EQ(f->family.size(), 2u);
  EXPECT_EQ(f->family[0].phone_masked, "139****5678");
  bool de_facto = false;
  for (const auto& v : f->verdicts) {
    if (v.def->code == "de_facto_unsupported") {
      de_facto = v.met;
      EXPECT_EQ(v.rule_outcome, "met");
      EXPECT_NE(v.reason.find("事实无人抚养儿童"), std::string::npos) << v.reason;
    }
  }
  EXPECT_TRUE(de_facto);
  EXPECT_NE(f->child.categories.find(",de_facto_unsupported,"), std::string::npos);
  // Plain identifiers are never stored.
  auto raw = conn().Query("SELECT COUNT(*) FROM child WHERE id_masked = $1 OR household_id = $1", {id_});
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ((*raw)[0].Int(0), 0);
  auto audit = conn().Query("SELECT after_json FROM audit_log WHERE action = 'child.create'");
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ((*audit)[0].Text(0).find(id_), std::string::npos);

  // Scoping: another community's director sees nothing; the street and district do.
  EXPECT_EQ(children_->Get(director2_, f->child.id).status().code(), Code::kNotFound);
  EXPECT_TRUE(children_->Get(sup_, f->child.id).ok());
  std::int64_t before = CountAudit("child.read");
  ASSERT_TRUE(children_->Get(district_, f->child.id).ok());
  EXPECT_EQ(CountAudit("child.read"), before + 1);
  std::int64_t total = 0;
  auto list = children_->List(director2_, {}, {1, 20}, &total);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(total, 0);
  list = children_->List(sup_, {}, {1, 20}, &total);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(total, 1);
}

TEST_P(ChildServiceTest, RevealNeedsPurposeAndIsLogged) {
  auto f = children_->Create(director_, Zhangwei(id_));
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  auto r = children_->Reveal(director_, f->child.id, "child", std::nullopt, "id_number", "");
  EXPECT_EQ(r.status().error_code(), "purpose_required");
  r = children_->Reveal(director_, f->child.id, "child", std::nullopt, "id_number", "入户核实");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, id_);
  auto p = children_->Reveal(director_, f->child.id, "member", f->family[0].id, "phone", "联系家长");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(*p, "13912345678");
  EXPECT_EQ(CountAudit("child.reveal"), 2);
  EXPECT_EQ(children_->Reveal(director2_, f->child.id, "child", std::nullopt, "id_number", "入户核实").status().code(),
            Code::kNotFound);
}

TEST_P(ChildServiceTest, StaleVersionsAndDuplicates) {
  auto f = children_->Create(director_, Zhangwei(id_));
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ChildInput in;
  in.present = {"school_name"};
  in.school_name = "布吉小学";
  auto u = children_->Update(director_, f->child.id, in, 1);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->child.version, 2);
  EXPECT_EQ(children_->Update(director_, f->child.id, in, 1).status().error_code(), "stale_version");
  // Family changes share the child's version and re-derive the categories.
  MemberInput home;
  home.present = {"state"};
  home.state = "at_home";
  auto m = children_->UpdateMember(director_, f->child.id, f->family[1].id, home, 2);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->child.version, 3);
  EXPECT_EQ(m->child.categories.find("de_facto_unsupported"), std::string::npos);
  // Same ID again → 409 duplicate; duplicate warning finds it.
  auto dup = children_->Create(director_, Zhangwei(id_));
  EXPECT_EQ(dup.status().error_code(), "duplicate");
  auto warn = children_->Duplicates(director_, "", "张伟", "2015-03-02", "张奶奶");
  ASSERT_TRUE(warn.ok());
  ASSERT_EQ(warn->items.size(), 1u);
  EXPECT_EQ(warn->items[0].match, "name_birth_date_guardian");
  auto warn2 = children_->Duplicates(director2_, id_, "", "", "");
  ASSERT_TRUE(warn2.ok());
  EXPECT_EQ(warn2->items.size(), 0u);
  EXPECT_EQ(warn2->outside_jurisdiction, 1);
  // Bad input names the field.
  NewChild bad = Zhangwei(MakeId("44030720150302002"));
  bad.child.birth_date = "2015-03-03";
  EXPECT_EQ(children_->Create(director_, bad).status().error_code(), "id_birth_date_mismatch");
  bad = Zhangwei("440307201503020012");
  EXPECT_EQ(children_->Create(director_, bad).status().field(), "id_number");
  std::int64_t hist_total = 0;
  auto hist = children_->History(director_, f->child.id, {1, 20}, &hist_total);
  ASSERT_TRUE(hist.ok());
  EXPECT_EQ(hist->size(), 3u);  // create, update, family_update
}

// Change listeners hear every edit of the file: through Update and through UpdateIn (another module's edit in its
// own transaction, e.g. screening writing a finding into the file); a listener's error rolls the edit back.
TEST_P(ChildServiceTest, ChangeListenersHearUpdateAndUpdateIn) {
  std::vector<std::int64_t> heard;
  bool fail = false;
  children_->AddChangeListener([&](storage::Connection&, std::int64_t child_id) -> Status {
    heard.push_back(child_id);
    return fail ? Status::Internal("listener refused") : Status::Ok();
  });
  auto f = children_->Create(director_, Zhangwei(id_));
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ChildInput in;
  in.present = {"school_name"};
  in.school_name = "布吉小学";
  ASSERT_TRUE(children_->Update(director_, f->child.id, in, 1).ok());
  EXPECT_EQ(heard, (std::vector<std::int64_t>{f->child.id}));
  in.school_name = "布吉中学";
  ASSERT_TRUE(InTransaction(*db(), [&](storage::Connection& c) -> Status {
                return children_->UpdateIn(c, director_, f->child.id, in, 2, "").status();
              }).ok());
  EXPECT_EQ(heard.size(), 2u);
  fail = true;
  in.school_name = "不应写入";
  EXPECT_FALSE(InTransaction(*db(), [&](storage::Connection& c) -> Status {
                 return children_->UpdateIn(c, director_, f->child.id, in, 3, "").status();
               }).ok());
  auto now = children_->Get(director_, f->child.id);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->child.school_name, "布吉中学");
  EXPECT_EQ(now->child.version, 3);
}

TEST_P(ChildServiceTest, SearchByNamePinyinInitialsAndIdDigits) {
  ASSERT_TRUE(children_->Create(director_, Zhangwei(id_)).ok());
  NewChild other = Zhangwei(MakeId("44030720160405002"));
  other.child.name = "李娜";
  other.child.birth_date = "2016-04-05";
  other.child.sex = "female";
  ASSERT_TRUE(children_->Create(director_, other).ok());
  auto count = [&](const std::string& q) {
    ChildListParams p;
    p.q = q;
    std::int64_t total = -1;
    auto r = children_->List(district_, p, {1, 20}, &total);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return total;
  };
  EXPECT_EQ(count("张伟"), 1);
  EXPECT_EQ(count("伟"), 1);
  EXPECT_EQ(count("zhangwei"), 1);
  EXPECT_EQ(count("zw"), 1);
  EXPECT_EQ(count("ln"), 1);
  EXPECT_EQ(count(id_.substr(14)), 1);
  EXPECT_EQ(count(id_), 1);
  EXPECT_EQ(count("张建国"), 2);  // father's name in both files
  EXPECT_EQ(count("13800001111"), 2);  // guardian phone
  EXPECT_EQ(count("王"), 0);
  ChildListParams f;
  f.category = "de_facto_unsupported";
  f.sex = "female";
  std::int64_t total = 0;
  ASSERT_TRUE(children_->List(district_, f, {1, 20}, &total).ok());
  EXPECT_EQ(total, 1);
  // Several words intersect (starting from the rarest token); small totals are exact.
  EXPECT_EQ(count("张伟 zw"), 1);
  EXPECT_EQ(count("李娜 zw"), 0);
  ChildListParams s;
  s.q = "张建国";
  bool capped = true;
  auto rows = children_->List(district_, s, {2, 1}, &total, &capped);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(total, 2);
  EXPECT_FALSE(capped);
  EXPECT_EQ(rows->size(), 1u);
  f.sex = "";
  capped = true;
  rows = children_->List(district_, f, {1, 20}, &total, &capped);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(total, 2);  // both files: father imprisoned, no guardian
  EXPECT_FALSE(capped);
  ASSERT_EQ(rows->size(), 2u);
  for (const auto& r : *rows) EXPECT_NE(r.categories.find(",de_facto_unsupported,"), std::string::npos);
}

// Search while typing (issue 9 item 16): every prefix of the name, its pinyin and its initials
// (from any character on: "zw" is 志伟's) and parts of the guardian's name find the child.
TEST_P(ChildServiceTest, SearchMatchesWhatIsTypedSoFar) {
  auto make = [&](const char* name, const char* birth, const char* id_body, const char* guardian) {
    NewChild n = Zhangwei(MakeId(id_body));
    n.child.name = name;
    n.child.birth_date = birth;
    n.guardian->name = guardian;
    auto r = children_->Create(director_, n);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
  };
  make("张志伟", "2015-03-02", "44030720150302001", "王秀英");
  make("赵紫薇", "2016-04-05", "44030720160405001", "赵大山");
  make("欧阳娜娜", "2017-05-06", "44030720170506003", "欧阳明");
  make("李明", "2014-01-02", "44030720140102003", "李国");
  auto names = [&](const std::string& q) {
    ChildListParams p;
    p.q = q;
    std::int64_t total = -1;
    auto r = children_->List(district_, p, {1, 20}, &total);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::set<std::string> out;
    if (r.ok()) {
      for (const auto& c : *r) out.insert(c.name);
      EXPECT_EQ(total, static_cast<std::int64_t>(out.size())) << q;
    }
    return out;
  };
  using S = std::set<std::string>;
  // Initials: whole, leading part, and from the given name on.
  EXPECT_EQ(names("zw"), (S{"张志伟", "赵紫薇"}));
  EXPECT_EQ(names("zzw"), (S{"张志伟", "赵紫薇"}));
  EXPECT_EQ(names("zz"), (S{"张志伟", "赵紫薇"}));
  EXPECT_EQ(names("nn"), (S{"欧阳娜娜"}));
  EXPECT_EQ(names("lm"), (S{"李明"}));
  // Pinyin prefixes, one letter at a time.
  EXPECT_EQ(names("z"), (S{"张志伟", "赵紫薇"}));
  EXPECT_EQ(names("zh"), (S{"张志伟", "赵紫薇"}));
  EXPECT_EQ(names("zhang"), (S{"张志伟"}));
  EXPECT_EQ(names("Zhangzh"), (S{"张志伟"}));
  EXPECT_EQ(names("zhaoziwe"), (S{"赵紫薇"}));
  EXPECT_EQ(names("ouyangn"), (S{"欧阳娜娜"}));
  EXPECT_EQ(names("zhaow"), S{});
  EXPECT_EQ(names("zhangzhiweii"), S{});
  // Han names as typed: 1-2 characters anywhere, a longer leading part, the whole name.
  EXPECT_EQ(names("张志"), (S{"张志伟"}));
  EXPECT_EQ(names("紫薇"), (S{"赵紫薇"}));
  EXPECT_EQ(names("欧阳娜"), (S{"欧阳娜娜"}));
  EXPECT_EQ(names("张志伟"), (S{"张志伟"}));
  // The guardian's name in parts (a family member's only as a whole: 张建国 is every father).
  EXPECT_EQ(names("秀英"), (S{"张志伟"}));
  EXPECT_EQ(names("王秀"), (S{"张志伟"}));
  EXPECT_EQ(names("大山"), (S{"赵紫薇"}));
  EXPECT_EQ(names("欧阳"), (S{"欧阳娜娜"}));  // the child's and the guardian's
  EXPECT_EQ(names("张建"), S{});
  EXPECT_EQ(names("张建国").size(), 4u);
  // Several words still intersect.
  EXPECT_EQ(names("zh 秀英"), (S{"张志伟"}));
  EXPECT_EQ(names("zw ouy"), S{});
}

// Search ranks and scopes on the postings' copies of the child row (jurisdiction, updated_at,
// birth date, own name): every kind of write keeps them equal to the row.
TEST_P(ChildServiceTest, SearchFollowsEditsMovesRenamesAndPhotos) {
  auto a = children_->Create(director_, Zhangwei(id_));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  clock_.Advance(1000);
  NewChild nb = Zhangwei(MakeId("44030720160405003"));
  nb.child.birth_date = "2016-04-05";
  auto b = children_->Create(director_, nb);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  clock_.Advance(1000);
  NewChild nc = Zhangwei(MakeId("44030720170506005"));
  nc.child.name = "张伟明";  // contains 张伟 but is not that name: ranked after the exact ones
  nc.child.birth_date = "2017-05-06";
  auto c = children_->Create(director_, nc);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  auto search = [&](const Principal& who, const std::string& q, const std::string& sort = "-updated_at") {
    ChildListParams p;
    p.q = q;
    p.sort = sort;
    std::int64_t total = -1;
    auto r = children_->List(who, p, {1, 20}, &total);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::vector<std::int64_t> ids;
    if (r.ok()) {
      for (const auto& x : *r) ids.push_back(x.id);
    }
    EXPECT_EQ(total, static_cast<std::int64_t>(ids.size()));
    return ids;
  };
  using Ids = std::vector<std::int64_t>;
  const std::int64_t ida = a->child.id, idb = b->child.id, idc = c->child.id;
  EXPECT_EQ(search(district_, "张伟"), (Ids{idb, ida, idc}));  // exact names first, newest change first
  EXPECT_EQ(search(district_, "张伟", "birth_date"), (Ids{ida, idb, idc}));
  EXPECT_EQ(search(district_, "张伟", "-birth_date"), (Ids{idb, ida, idc}));
  EXPECT_EQ(search(district_, "张伟", "name"), (Ids{ida, idb, idc}));  // same names: by id
  // An edit makes A the newest change.
  clock_.Advance(1000);
  ChildInput notes;
  notes.present = {"notes"};
  notes.notes = "入户走访";
  auto ua = children_->Update(director_, ida, notes, a->child.version, "");
  ASSERT_TRUE(ua.ok()) << ua.status().ToString();
  EXPECT_EQ(search(district_, "张伟"), (Ids{ida, idb, idc}));
  // A photo is a change too.
  clock_.Advance(1000);
  const std::string png("\x89PNG\r\n\x1a\nrest-of-image", 21);
  ASSERT_TRUE(children_->SetPhoto(director_, idb, png, b->child.version, "建档照片").ok());
  EXPECT_EQ(search(district_, "张伟"), (Ids{idb, ida, idc}));
  // The birth-date filter reads the postings' birth date, and follows a corrected date.
  ChildListParams young;
  young.q = "张伟";
  young.age_max = 9;  // today is 2026-09-21: born after 2016-09-21
  std::int64_t total = -1;
  auto r = children_->List(district_, young, {1, 20}, &total);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(total, 1);
  // Moving A to another community (the district does it) moves it out of this director's
  // searches and into the other's.
  clock_.Advance(1000);
  ChildInput move;
  move.present = {"community_id", "grid_id"};
  move.community_id = community2_.id;
  auto moved_by = children_->Update(district_, ida, move, ua->child.version, "");  // a director may not move it out
  ASSERT_TRUE(moved_by.ok()) << moved_by.status().ToString();
  EXPECT_EQ(search(director_, "张伟"), (Ids{idb, idc}));
  EXPECT_EQ(search(director2_, "张伟"), (Ids{ida}));
  EXPECT_EQ(search(director2_, "zw"), (Ids{ida}));
  // Renamed, A is no longer an exact 张伟 but still found by its father's name.
  auto moved = children_->Get(director2_, ida);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  ChildInput rename;
  rename.present = {"name"};
  rename.name = "王伟";
  ASSERT_TRUE(children_->Update(director2_, ida, rename, moved->child.version, "更名，见户口本变更页").ok());
  EXPECT_EQ(search(director2_, "张伟"), (Ids{}));
  EXPECT_EQ(search(director2_, "王伟"), (Ids{ida}));
  EXPECT_EQ(search(director2_, "张建国"), (Ids{ida}));
  // Several words: the exact-name test covers every word, not only the one the search starts
  // from (陈大海, the father of both, is as rare as 陈晨 and sorts first).
  auto chen = [&](const std::string& name, const std::string& id, const std::string& birth) {
    NewChild n = Zhangwei(MakeId(id));
    n.child.name = name;
    n.child.birth_date = birth;
    n.family[0].name = "陈大海";
    clock_.Advance(1000);
    auto made = children_->Create(director_, n);
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    return made.ok() ? made->child.id : 0;
  };
  const std::int64_t idx = chen("陈晨", "44030720180607007", "2018-06-07");
  const std::int64_t idy = chen("陈晨晨", "44030720190708009", "2019-07-08");
  EXPECT_EQ(search(district_, "陈晨 陈大海"), (Ids{idx, idy}));
  EXPECT_EQ(search(district_, "陈大海"), (Ids{idy, idx}));
}

// List totals are remembered across pages, but never past a change to the children.
TEST_P(ChildServiceTest, ListTotalsFollowChangesAtOnce) {
  ChildListParams f;
  f.category = "de_facto_unsupported";
  std::int64_t total = -1;
  ASSERT_TRUE(children_->List(district_, f, {1, 20}, &total).ok());
  EXPECT_EQ(total, 0);
  ASSERT_TRUE(children_->List(district_, f, {2, 20}, &total).ok());  // same count, next page
  EXPECT_EQ(total, 0);
  auto a = children_->Create(director_, Zhangwei(id_));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(children_->List(district_, f, {1, 20}, &total).ok());
  EXPECT_EQ(total, 1);
  // Another jurisdiction asking the same filters gets its own count.
  ASSERT_TRUE(children_->List(director2_, f, {1, 20}, &total).ok());
  EXPECT_EQ(total, 0);
  // An edit that changes what the filter sees (the birth date makes the child an adult) counts too.
  ChildInput edit;
  edit.present = {"birth_date"};
  edit.birth_date = "2000-01-01";
  ChildListParams adults_only = f;
  adults_only.category.clear();
  adults_only.age_min = 18;
  ASSERT_TRUE(children_->List(district_, adults_only, {1, 20}, &total).ok());
  EXPECT_EQ(total, 0);
  const std::string id_in_2000 = testing::MakeId("44030720000101001");  // male: odd 17th digit
  edit.present = {"birth_date", "id_number"};
  edit.id_number = id_in_2000;
  auto u = children_->Update(director_, a->child.id, edit, a->child.version, "出生日期登记错误，按户口本更正");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  ASSERT_TRUE(children_->List(district_, adults_only, {1, 20}, &total).ok());
  EXPECT_EQ(total, 1);
}

TEST_P(ChildServiceTest, RollWorkflowEntryReviewConfirmAndReturn) {
  auto f = children_->Create(director_, Zhangwei(id_));
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  auto p = children_->Propose(director_, f->child.id, "entry", "de_facto_unsupported", "父母均无法履行抚养义务", "判决书");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->request.status, "pending_review");
  EXPECT_EQ(children_->Propose(director_, f->child.id, "entry", "orphan", "重复申请", "").status().error_code(),
            "request_pending");
  // The director cannot review; the supervisor can; the supervisor cannot confirm.
  EXPECT_EQ(children_->Decide(director_, p->request.id, "review", "", 1).status().code(), Code::kPermissionDenied);
  std::int64_t total = 0;
  auto queue = children_->ListRequests(sup_, "review", "", {1, 20}, &total);
  ASSERT_TRUE(queue.ok());
  EXPECT_EQ(total, 1);
  auto r = children_->Decide(sup_, p->request.id, "review", "材料齐全", 1);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->request.status, "pending_confirm");
  EXPECT_EQ(children_->Decide(sup_, p->request.id, "confirm", "", 2).status().code(), Code::kPermissionDenied);
  auto c = children_->Decide(district_, p->request.id, "confirm", "同意", 2);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->request.status, "confirmed");
  EXPECT_EQ(c->steps.size(), 3u);
  auto file = children_->Get(district_, f->child.id);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->child.roll_status, "on_roll");
  EXPECT_EQ(file->child.roll_categories, "de_facto_unsupported");
  // Exit proposed, then returned: back to on_roll.
  auto e = children_->Propose(director_, f->child.id, "exit", "", "已满18周岁", "");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(children_->Get(district_, f->child.id)->child.roll_status, "exit_proposed");
  EXPECT_EQ(children_->Decide(sup_, e->request.id, "return", "", 1).status().field(), "note");
  auto back = children_->Decide(sup_, e->request.id, "return", "年龄有误，请核实", 1);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(children_->Get(district_, f->child.id)->child.roll_status, "on_roll");
  EXPECT_EQ(CountAudit("roll.confirm"), 1);
  EXPECT_EQ(CountAudit("roll.return"), 1);
}

// Issue 9 item 15: a proposal records the category's rule verdict; going against the rules needs a
// reason, and the verdict shows in the review queue.
TEST_P(ChildServiceTest, ProposalCarriesRuleVerdictAndNeedsReasonAgainstTheRules) {
  auto f = children_->Create(director_, Zhangwei(id_));
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  // 孤儿 for a child whose parents are alive (father imprisoned, mother missing): the rules say no.
  auto none = children_->Propose(director_, f->child.id, "entry", "orphan", "", "");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(none.status().field(), "reason");
  EXPECT_EQ(none.status().error_code(), "reason_required");
  EXPECT_NE(none.status().message_zh().find("不符合"), std::string::npos) << none.status().message_zh();
  EXPECT_NE(none.status().message_zh().find("孤儿"), std::string::npos) << none.status().message_zh();
  EXPECT_EQ(children_->Get(district_, f->child.id)->child.roll_status, "not_on_roll");
  auto p = children_->Propose(director_, f->child.id, "entry", "orphan", "父母长期失联，按孤儿申报待民政认定", "");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->request.rule_outcome, "not_met");
  EXPECT_FALSE(p->request.rule_reason.empty());
  std::int64_t total = 0;
  auto queue = children_->ListRequests(sup_, "review", "", {1, 20}, &total);
  ASSERT_TRUE(queue.ok()) << queue.status().ToString();
  ASSERT_EQ(queue->size(), 1u);
  EXPECT_EQ((*queue)[0].request.rule_outcome, "not_met");
  EXPECT_EQ((*queue)[0].request.rule_reason, p->request.rule_reason);
  EXPECT_EQ((*queue)[0].request.reason, "父母长期失联，按孤儿申报待民政认定");
  // A category the rules grant is recorded as met; a reason is still asked for, plainly.
  ASSERT_TRUE(children_->Decide(sup_, p->request.id, "return", "请按事实无人抚养申报", 1).ok());
  EXPECT_EQ(children_->Propose(director_, f->child.id, "entry", "de_facto_unsupported", "", "").status().error_code(),
            "required");
  auto met = children_->Propose(director_, f->child.id, "entry", "de_facto_unsupported", "父亲服刑、母亲失联", "");
  ASSERT_TRUE(met.ok()) << met.status().ToString();
  EXPECT_EQ(met->request.rule_outcome, "met");
  EXPECT_NE(met->request.rule_reason.find("事实无人抚养儿童"), std::string::npos) << met->request.rule_reason;
}

TEST_P(ChildServiceTest, OverrideKeepsRuleVerdictAndRefreshRuns) {
  auto f = children_->Create(director_, Zhangwei(id_));
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  auto o = children_->SetOverride(director_, f->child.id, "de_facto_unsupported", false, "母亲已联系上", 1);
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  for (const auto& v : o->verdicts) {
    if (v.def->code != "de_facto_unsupported") continue;
    EXPECT_FALSE(v.met);
    EXPECT_EQ(v.source, "override");
    EXPECT_EQ(v.rule_outcome, "met");  // the rule's verdict is kept
  }
  EXPECT_EQ(o->child.categories.find("de_facto_unsupported"), std::string::npos);
  std::int64_t changed = 0;
  auto n = children_->Refresh(true, &changed);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(changed, 0);
}

// The nightly refresh over everyone finds what time changed (here: the boy turns 18 and ages out
// of every category), writes it, and counts it; a second run finds nothing left to change.
TEST_P(ChildServiceTest, RefreshAllWritesWhatTimeChanged) {
  auto f = children_->Create(director_, Zhangwei(id_));
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_NE(f->child.categories.find(",de_facto_unsupported,"), std::string::npos);
  auto g = children_->Create(director_, Zhangwei(testing::MakeId("44030720150302011")));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  clock_.Advance(std::int64_t{14} * 366 * 24 * 3600 * 1000);  // 2040-09: born 2015-03-02, now 25
  std::int64_t changed = 0;
  auto n = children_->Refresh(true, &changed);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(changed, 2);
  auto after = children_->Get(district_, f->child.id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->child.categories.find("de_facto_unsupported"), std::string::npos) << after->child.categories;
  EXPECT_EQ(after->child.version, f->child.version);  // derived values only: the file's version stays
  n = children_->Refresh(true, &changed);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(changed, 0);
}

// A refresh right after creation re-derives exactly what creation derived. The migrant rule
// compares the hukou with the residence (the community's code, read with the child): a refresh
// that read the children without it turned 641,570 of 1M demo children over.
TEST_P(ChildServiceTest, RefreshRightAfterCreateChangesNothing) {
  NewChild m = Zhangwei(id_);
  m.child.hukou_region_code = "430524";  // 湖南隆回, living in 布吉 with both parents since 2020
  m.child.flow_status = "inflow";
  m.child.resident_since = "2020-01-01";
  m.child.present.insert("resident_since");
  for (auto& member : m.family) {
    member.state = "at_home";
    member.present = {"relation", "name", "state"};
  }
  auto f = children_->Create(director_, m);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_NE(f->child.categories.find(",migrant,"), std::string::npos) << f->child.categories;
  std::int64_t changed = -1;
  auto n = children_->Refresh(true, &changed);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(changed, 0);
  auto after = children_->Get(district_, f->child.id);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->child.categories, f->child.categories);
}

// The demo loader's bulk path: children queued on a ChildBulkWriter (batches of 7, so queues
// flush mid-load and statements of 4, 2 and 1 rows occur) each get their own family, guardian,
// verdict rows, category list and search tokens.
TEST_P(ChildServiceTest, GeneratedChildrenWrittenInBatchesKeepTheirRows) {
  auto regions = domain::ParseRegionCsv(ReadFile(std::string(TH_SOURCE_DIR) + "/config/regions/demo_district.csv"));
  auto counties =
      domain::ParseHukouCountiesCsv(ReadFile(std::string(TH_SOURCE_DIR) + "/config/regions/hukou_counties.csv"));
  ASSERT_TRUE(regions.ok()) << regions.status().ToString();
  ASSERT_TRUE(counties.ok()) << counties.status().ToString();
  domain::DemoOptions opt;
  opt.seed = 7;
  opt.children = 40;
  opt.today = domain::Date::FromEpochMillisShanghai(clock_.NowMillis());
  opt.communities = domain::CommunitiesOf(*regions);
  opt.hukou_counties = *counties;
  auto gen = domain::DemoGenerator::Create(opt);
  ASSERT_TRUE(gen.ok()) << gen.status().ToString();
  const UnitRefs units{root_.id, buji_.id, community_.id, grid_.id};
  std::vector<domain::Child> made;
  {
    storage::Transaction tx(conn());
    ASSERT_TRUE(tx.Begin().ok());
    repo::ChildBulkWriter writer(conn(), 7);
    domain::DemoHousehold hh;
    domain::Evaluation scratch;
    while ((*gen)->Next(&hh)) {
      for (auto& c : hh.children) {
        if (c.household_id.empty()) c.household_id = hh.household_id;
        Status s = children_->InsertGenerated(writer, c, units, community_.code, clock_.NowMillis(), &scratch);
        ASSERT_TRUE(s.ok()) << s.ToString();
        made.push_back(c);
      }
    }
    Status s = writer.Flush();
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(writer.queued(), 0u);
    ASSERT_TRUE(tx.Commit().ok());
  }
  ASSERT_EQ(made.size(), 40u);
  repo::ChildRepo repo(conn());
  auto ids = repo.IdsAfter(0, 1000);
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  ASSERT_EQ(ids->size(), made.size());
  std::size_t guardians = 0, searched = 0, with_categories = 0;
  for (std::size_t i = 0; i < made.size(); ++i) {
    SCOPED_TRACE(i);
    const domain::Child& d = made[i];
    const std::int64_t id = (*ids)[i];  // written in generation order
    auto r = repo.Get(id);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->name, d.name);
    EXPECT_EQ(r->household_id, d.household_id);
    EXPECT_EQ(r->birth_date, d.birth_date.ToYyyymmdd());
    auto members = repo.Members(id);
    ASSERT_TRUE(members.ok()) << members.status().ToString();
    ASSERT_EQ(members->size(), d.family.size());
    for (std::size_t j = 0; j < d.family.size(); ++j) {
      EXPECT_EQ((*members)[j].name, d.family[j].name);
      EXPECT_EQ((*members)[j].position, static_cast<std::int64_t>(j));
    }
    if (d.guardian.member_index >= 0 && static_cast<std::size_t>(d.guardian.member_index) < d.family.size()) {
      ++guardians;
      ASSERT_TRUE(r->guardian_member_id.has_value());
      EXPECT_EQ(*r->guardian_member_id, (*members)[static_cast<std::size_t>(d.guardian.member_index)].id);
    } else {
      EXPECT_FALSE(r->guardian_member_id.has_value());
    }
    // The effective categories are exactly the child's met verdict rows, and the list filter
    // knows the category list.
    auto cats = repo.Categories(id);
    ASSERT_TRUE(cats.ok()) << cats.status().ToString();
    std::set<std::string> met, listed;
    for (const auto& k : *cats) {
      if (k.met) met.insert(k.code);
    }
    std::stringstream codes(r->categories);
    for (std::string code; std::getline(codes, code, ',');) {
      if (!code.empty()) listed.insert(code);
    }
    EXPECT_EQ(met, listed) << r->categories;
    if (!r->categories.empty()) {
      ++with_categories;
      auto set = conn().Query("SELECT COUNT(*) FROM child_category_set WHERE categories = $1", {r->categories});
      ASSERT_TRUE(set.ok());
      EXPECT_EQ((*set)[0].Int(0), 1);
    }
    // The ID number's blind-index token finds this child and no other.
    if (!d.id_number.empty()) {
      ++searched;
      ChildListParams p;
      p.q = d.id_number;
      std::int64_t total = -1;
      auto found = children_->List(district_, p, {1, 20}, &total);
      ASSERT_TRUE(found.ok()) << found.status().ToString();
      ASSERT_EQ(found->size(), 1u);
      EXPECT_EQ((*found)[0].id, id);
    }
    // Every posting carries the child's columns (PostgreSQL writes them through unnest), and
    // exactly one is the child's own name.
    auto postings = conn().Query(
        "SELECT COUNT(*), SUM(own), SUM(CASE WHEN own = 1 AND token = $2 THEN 1 ELSE 0 END) FROM search_posting "
        "WHERE child_id = $1 AND district_id = $3 AND street_id = $4 AND community_id = $5 AND grid_id = $6 "
        "AND updated_at = $7 AND birth_date = $8",
        {id, r->name, r->district_id, r->street_id, r->community_id, *r->grid_id, r->updated_at,
         std::int64_t{r->birth_date}});
    ASSERT_TRUE(postings.ok()) << postings.status().ToString();
    auto all = conn().Query("SELECT COUNT(*) FROM search_posting WHERE child_id = $1", {id});
    ASSERT_TRUE(all.ok());
    EXPECT_GT((*postings)[0].Int(0), 5);
    EXPECT_EQ((*postings)[0].Int(0), (*all)[0].Int(0));
    EXPECT_EQ((*postings)[0].Int(1), 1);
    EXPECT_EQ((*postings)[0].Int(2), 1);
  }
  EXPECT_GT(guardians, 0u);
  EXPECT_GT(searched, 0u);
  EXPECT_GT(with_categories, 0u);
}

// The bulk writer's postings keep any token text as it is (on PostgreSQL they travel as array
// literals: quotes, backslashes, commas and braces must survive), and a child without a grid
// gets a NULL grid.
TEST_P(ChildServiceTest, BulkPostingsKeepTokenTextExactly) {
  repo::NewChildRows rows;
  rows.child.household_id = "H-bulk";
  rows.child.name = "张伟";
  rows.child.sex = "male";
  rows.child.birth_date = 20150302;
  rows.child.district_id = root_.id;
  rows.child.street_id = buji_.id;
  rows.child.community_id = community_.id;
  rows.child.created_at = rows.child.updated_at = clock_.NowMillis();
  const std::vector<std::string> tokens = {"张伟", "a\"b", "c\\d", "e,f", "{g}", "NULL", " h "};
  rows.tokens = tokens;
  {
    storage::Transaction tx(conn());
    ASSERT_TRUE(tx.Begin().ok());
    repo::ChildBulkWriter writer(conn());
    ASSERT_TRUE(writer.Add(rows).ok());
    Status s = writer.Flush();
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_TRUE(tx.Commit().ok());
  }
  auto got = conn().Query("SELECT token, own, grid_id FROM search_posting");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  std::vector<std::string> want = tokens, have;
  for (const auto& row : got->rows) {
    have.push_back(row.Text(0));
    EXPECT_EQ(row.Int(1), row.Text(0) == "张伟" ? 1 : 0) << row.Text(0);
    EXPECT_TRUE(row.IsNull(2));
  }
  std::sort(want.begin(), want.end());
  std::sort(have.begin(), have.end());
  EXPECT_EQ(have, want);
}

TH_INSTANTIATE_ENGINE_TEST(ChildServiceTest);

}  // namespace
}  // namespace th::service
