// VisitsService on both engines: schedules from the roll and the grade, the due list and its scope,
// visit records closing the work item, the fake-clock escalation of a red child's missed weekly
// visit, photos, statistics, the jurisdiction copies and the daily rollup kept with the visits.
#include "modules/visits/service/visits_service.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "app/testing/service_fixture.h"
#include "modules/visits/repo/visits_repo.h"
#include "modules/visits/service/visits_internal.h"
#include "platform/repo/org_repo.h"
#include "platform/work/work_service.h"

namespace th::service {
namespace {

constexpr std::int64_t kDay = 24LL * 3600 * 1000;

class VisitsServiceTest : public testing::RegistryFixture {
 protected:
  void SetUp() override {
    SetUpRegistry();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(work::InstallWork(services_->deps(), std::string(TH_SOURCE_DIR) + "/config").ok());
    auto cfg = domain::ParseVisitScheduleConfig(testing::ReadFile(std::string(TH_SOURCE_DIR) + "/config/visits/schedule.json"));
    ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
    svc_ = std::make_unique<VisitsService>(services_->deps(), *cfg);
    kid_ = AddChild("王小明", community_.id, buji_.id, "on_roll", "other");
  }

  std::int64_t AddChild(const std::string& name, std::int64_t community, std::int64_t street, const std::string& roll,
                        const std::string& cats) {
    auto rows = conn().Query(
        "INSERT INTO child (household_id, name, sex, birth_date, district_id, street_id, community_id, roll_status, "
        "roll_categories, roll_entered_on, created_at, updated_at) VALUES ('h', $1, 'male', 20150101, $2, $3, $4, $5, "
        "$6, $7, 0, 0) RETURNING id",
        {name, root_.id, street, community, roll, cats, std::int64_t{Today()}});
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? rows->rows[0].Int(0) : 0;
  }
  std::int32_t Today() const { return domain::Date::FromEpochMillisShanghai(clock_.NowMillis()).ToYyyymmdd(); }
  std::int32_t InDays(int n) const {
    return domain::Date::FromEpochMillisShanghai(clock_.NowMillis()).AddDays(n).ToYyyymmdd();
  }
  repo::VisitScheduleRecord Sched(std::int64_t id) {
    auto s = repo::VisitsRepo(conn()).GetSchedule(id);
    EXPECT_TRUE(s.ok() && s->has_value());
    return s.ok() && s->has_value() ? **s : repo::VisitScheduleRecord{};
  }
  std::int64_t Count(const std::string& sql, storage::Params p = {}) {
    auto r = conn().Query(sql, p);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->rows[0].Int(0) : -1;
  }
  std::int64_t OpenItems(std::int64_t child) {
    return Count("SELECT COUNT(*) FROM work_item WHERE subject_type = 'visit_schedule' AND subject_id = $1 AND is_open = 1",
                 {child});
  }
  Status Grade(std::int64_t child, const std::string& grade) {
    return InTransaction(*db(), [&](storage::Connection& c) { return svc_->OnGrade(c, child, grade, clock_.NowMillis()); });
  }
  VisitInput Visit(int days_ago = 0) {
    VisitInput in;
    in.visited_on = domain::Date::FromEpochMillisShanghai(clock_.NowMillis()).AddDays(-days_ago).ToString();
    in.seen = {"child", "guardian"};
    in.place = "home";
    in.child_state = "good";
    in.home_state = "fair";
    in.guardian_care = "good";
    in.needs = {"education"};
    in.follow_ups = "联系学校";
    return in;
  }

  std::unique_ptr<VisitsService> svc_;
  std::int64_t kid_ = 0;
};

TEST_P(VisitsServiceTest, ScheduleFollowsTheRollAndTheGrade) {
  const std::int64_t left = AddChild("李留守", community_.id, buji_.id, "on_roll", "left_behind");
  const std::int64_t off = AddChild("赵不在册", community_.id, buji_.id, "not_on_roll", "");
  auto r = svc_->Evaluate();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->added, 2);
  EXPECT_EQ(Sched(kid_).interval_days, 30);         // ungraded: default
  EXPECT_EQ(Sched(kid_).next_due_on, InDays(15));  // first visit within first_visit_days
  EXPECT_EQ(Sched(left).rule, "category:left_behind");
  EXPECT_FALSE(repo::VisitsRepo(conn()).GetSchedule(off)->has_value());
  // A second run changes nothing.
  r = svc_->Evaluate();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->added + r->replanned + r->removed, 0);
  // Grades: red weekly from the grading day; green but left-behind: the category's monthly wins.
  ASSERT_TRUE(Grade(kid_, "red").ok());
  EXPECT_EQ(Sched(kid_).grade, "red");
  EXPECT_EQ(Sched(kid_).interval_days, 7);
  EXPECT_EQ(Sched(kid_).next_due_on, InDays(7));
  ASSERT_TRUE(Grade(left, "green").ok());
  EXPECT_EQ(Sched(left).interval_days, 30);
  EXPECT_EQ(Sched(left).rule, "category:left_behind");
  // A grade for a child off the roll is kept for when it enters.
  ASSERT_TRUE(Grade(off, "yellow").ok());
  EXPECT_FALSE(Sched(off).active);
  ASSERT_TRUE(conn().Execute("UPDATE child SET roll_status = 'on_roll' WHERE id = $1", {off}).ok());
  ASSERT_TRUE(InTransaction(*db(), [&](storage::Connection& c) { return svc_->OnRollChange(c, off); }).ok());
  EXPECT_TRUE(Sched(off).active);
  EXPECT_EQ(Sched(off).grade, "yellow");
  EXPECT_EQ(Sched(off).interval_days, 30);
  // Leaving the roll: the schedule goes inactive and leaves the due list.
  ASSERT_TRUE(conn().Execute("UPDATE child SET roll_status = 'exited' WHERE id = $1", {left}).ok());
  r = svc_->Evaluate();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->removed, 1);
  EXPECT_FALSE(Sched(left).active);
  EXPECT_EQ(Grade(999999, "red").error_code(), "not_found");
}

TEST_P(VisitsServiceTest, RedChildMissingItsWeeklyVisitEscalates) {
  ASSERT_TRUE(svc_->Evaluate().ok());
  ASSERT_TRUE(Grade(kid_, "red").ok());
  EXPECT_EQ(OpenItems(kid_), 0);
  clock_.Advance(7 * kDay);  // the due day
  auto r = svc_->Evaluate();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->items_opened, 1);
  EXPECT_EQ(OpenItems(kid_), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item WHERE subject_id = $1 AND kind = 'visit_due' AND owner_unit_id = $2 "
                  "AND owner_role = 'child_director'",
                  {kid_, community_.id}),
            1);
  // Idempotent: a second evaluation opens nothing more.
  ASSERT_EQ(svc_->Evaluate()->items_opened, 0);
  // The due list shows it to the community's director, not to the other community's.
  auto page = MakePage(1, 20);
  std::int64_t total = 0;
  bool capped = false;
  auto due = svc_->Due(director_, {}, *page, &total, &capped);
  ASSERT_TRUE(due.ok()) << due.status().ToString();
  ASSERT_EQ(total, 1);
  EXPECT_EQ(due->at(0).s.child_name, "王小明");
  EXPECT_EQ(svc_->Due(director2_, {}, *page, &total, &capped)->size(), 0u);
  // Two days later nobody has visited: the red item (clock: the due day) is overdue → 督办 and district.
  clock_.Advance(2 * kDay + 3600 * 1000);
  auto sweep = work::FindWork(services_->deps())->Sweep();
  ASSERT_TRUE(sweep.ok()) << sweep.status().ToString();
  EXPECT_GE(Count("SELECT COUNT(*) FROM work_escalation e JOIN work_item w ON w.id = e.item_id WHERE w.subject_id = $1 "
                  "AND w.kind = 'visit_due' AND e.level >= 2",
                  {kid_}),
            1);
  EXPECT_GE(Count("SELECT MAX(k.escalation_level) FROM work_item i JOIN work_item_clock k ON k.item_id = i.id WHERE i.subject_id = $1 AND i.kind = 'visit_due'", {kid_}), 2);
  due = svc_->Due(director_, [] { DueParams p; p.min_overdue_days = 2; return p; }(), *page, &total, &capped);
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(total, 1);
  EXPECT_EQ(due->at(0).overdue_days, 2);
  // The visit: the item closes, the next visit is due a week later, the record says it was late.
  auto v = svc_->Record(director_, kid_, Visit());
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_FALSE(v->visit.on_time);
  EXPECT_EQ(v->visit.grade, "red");
  EXPECT_EQ(OpenItems(kid_), 0);
  EXPECT_EQ(Sched(kid_).last_visit_on, Today());
  EXPECT_EQ(Sched(kid_).next_due_on, InDays(7));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'visit.create'"), 1);
}

// The due list pages through its rows in order (the page's keys come from the index, the rows after), and its total,
// which is remembered across pages for a few seconds, follows every write at once: a grade, a child leaving the roll,
// a visit.
TEST_P(VisitsServiceTest, DueListPagesInOrderAndItsTotalFollowsWrites) {
  std::vector<std::int64_t> kids = {kid_};
  for (int i = 0; i < 11; ++i) kids.push_back(AddChild("儿童" + std::to_string(i), community_.id, buji_.id, "on_roll", "other"));
  ASSERT_TRUE(svc_->Evaluate().ok());
  ASSERT_TRUE(Grade(kids[3], "red").ok());     // due in 7 days
  ASSERT_TRUE(Grade(kids[7], "orange").ok());  // due in 15 days, as the ungraded first visits
  DueParams all;
  all.within_days = 366;
  std::int64_t total = 0;
  bool capped = false;
  std::vector<std::int64_t> seen;
  for (int n = 1; n <= 6; ++n) {  // pages 5 and 6 are deep (their keys come from the index first)
    auto rows = svc_->Due(sup_, all, *MakePage(n, 2), &total, &capped);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_EQ(total, 12);
    EXPECT_FALSE(capped);
    for (const auto& d : *rows) {
      EXPECT_FALSE(d.s.child_name.empty());
      seen.push_back(d.s.child_id);
    }
  }
  // Every child once, red first (due soonest), then by due date and id.
  ASSERT_EQ(seen.size(), kids.size());
  EXPECT_EQ(seen[0], kids[3]);
  std::vector<std::int64_t> rest(seen.begin() + 1, seen.end());
  EXPECT_TRUE(std::is_sorted(rest.begin(), rest.end()));
  DueParams red = all;
  red.grade = "red";
  ASSERT_TRUE(svc_->Due(sup_, red, *MakePage(1, 20), &total, &capped).ok());
  EXPECT_EQ(total, 1);
  // A second child graded red: the red total counts it at once, not after the remembered total expires.
  ASSERT_TRUE(Grade(kids[5], "red").ok());
  ASSERT_TRUE(svc_->Due(sup_, red, *MakePage(1, 20), &total, &capped).ok());
  EXPECT_EQ(total, 2);
  // A child leaves the roll.
  ASSERT_TRUE(conn().Execute("UPDATE child SET roll_status = 'exited' WHERE id = $1", {kids[9]}).ok());
  ASSERT_TRUE(InTransaction(*db(), [&](storage::Connection& c) { return svc_->OnRollChange(c, kids[9]); }).ok());
  ASSERT_TRUE(svc_->Due(sup_, all, *MakePage(1, 5), &total, &capped).ok());
  EXPECT_EQ(total, 11);
  // A visit moves an ungraded child's next due date (15 days) to 30 days from today, beyond a 20-day horizon.
  DueParams soon;
  soon.within_days = 20;
  ASSERT_TRUE(svc_->Due(sup_, soon, *MakePage(1, 20), &total, &capped).ok());
  EXPECT_EQ(total, 11);
  ASSERT_TRUE(svc_->Record(director_, kids[1], Visit()).ok());
  ASSERT_TRUE(svc_->Due(sup_, soon, *MakePage(1, 20), &total, &capped).ok());
  EXPECT_EQ(total, 10);
}

TEST_P(VisitsServiceTest, ScopePermissionsAndInput) {
  ASSERT_TRUE(svc_->Evaluate().ok());
  EXPECT_EQ(svc_->Record(director2_, kid_, Visit()).status().error_code(), "not_found");
  Principal none = director_;
  none.permissions.erase("visit.write");
  none.permissions.erase("visit.read");
  EXPECT_EQ(svc_->Record(none, kid_, Visit()).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(svc_->Schedule(none, kid_).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(svc_->Schedule(director2_, kid_).status().error_code(), "not_found");
  EXPECT_TRUE(svc_->Schedule(sup_, kid_).ok());
  VisitInput bad = Visit();
  bad.visited_on = domain::Date::FromEpochMillisShanghai(clock_.NowMillis()).AddDays(1).ToString();
  EXPECT_EQ(svc_->Record(director_, kid_, bad).status().field(), "visited_on");
  bad = Visit();
  bad.seen.clear();
  EXPECT_EQ(svc_->Record(director_, kid_, bad).status().field(), "seen");
  bad = Visit();
  bad.place = "moon";
  EXPECT_EQ(svc_->Record(director_, kid_, bad).status().error_code(), "invalid_enum");
  bad = Visit();
  bad.seen = {"child", "others"};
  EXPECT_EQ(svc_->Record(director_, kid_, bad).status().field(), "seen_others");
  auto page = MakePage(1, 20);
  std::int64_t total = 0;
  bool capped = false;
  DueParams p;
  p.grade = "purple";
  EXPECT_EQ(svc_->Due(director_, p, *page, &total, &capped).status().error_code(), "invalid_enum");
  // History: the director's visit, the other community's director cannot read it.
  ASSERT_TRUE(svc_->Record(director_, kid_, Visit(3)).ok());
  auto h = svc_->History(director_, kid_, *page, &total);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(total, 1);
  EXPECT_TRUE(h->at(0).visit.on_time);  // before the first due date
  EXPECT_EQ(svc_->Get(director2_, h->at(0).visit.id).status().error_code(), "not_found");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'visit.read'"), 1);
}

TEST_P(VisitsServiceTest, PhotosAreCheckedSealedAndAudited) {
  auto v = svc_->Record(director_, kid_, Visit());
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(svc_->AddPhoto(director_, v->visit.id, "GIF89a....").status().error_code(), "invalid_photo_type");
  std::string big(VisitsService::kMaxPhotoBytes + 1, 'x');
  big.replace(0, 3, "\xFF\xD8\xFF");
  EXPECT_EQ(svc_->AddPhoto(director_, v->visit.id, big).status().error_code(), "photo_too_large");
  const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + "pixels";
  auto p = svc_->AddPhoto(director_, v->visit.id, png);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->content_type, "image/png");
  EXPECT_EQ(svc_->Photo(director2_, p->id).status().error_code(), "not_found");
  auto got = svc_->Photo(director_, p->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->data_enc, png);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM visit_photo WHERE data_enc = $1", {storage::Blob{png}}), 0);  // sealed
  EXPECT_EQ(svc_->Get(director_, v->visit.id)->photos.size(), 1u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'visit.photo_read'"), 1);
}

TEST_P(VisitsServiceTest, StatisticsCountDueAndDoneByGradeAndMonth) {
  const std::int64_t other = AddChild("陈二", community2_.id, bantian_.id, "on_roll", "other");
  ASSERT_TRUE(svc_->Evaluate().ok());
  ASSERT_TRUE(Grade(kid_, "red").ok());
  ASSERT_TRUE(Grade(other, "blue").ok());
  ASSERT_TRUE(svc_->Record(director_, kid_, Visit(1)).ok());
  ASSERT_TRUE(svc_->Record(director_, kid_, Visit()).ok());
  ASSERT_TRUE(svc_->Record(director2_, other, Visit()).ok());
  auto s = svc_->Stats(district_, "2026-05", "2026-10");  // the fake clock starts 2026-09-21
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  std::map<std::string, std::int64_t> done, due;
  for (const auto& c : s->cells) {
    done[c.grade] += c.done;
    due[c.grade] += c.due;
  }
  EXPECT_EQ(done["red"], 2);
  EXPECT_EQ(done["blue"], 1);
  EXPECT_EQ(due["red"], 1);
  EXPECT_EQ(due["blue"], 1);
  auto mine = svc_->Stats(director2_, "2026-05", "2026-10");
  ASSERT_TRUE(mine.ok());
  for (const auto& c : mine->cells) EXPECT_NE(c.grade, "red");
  EXPECT_EQ(svc_->Stats(district_, "2024-01", "2026-12").status().error_code(), "out_of_range");
  EXPECT_EQ(svc_->Stats(district_, "2026-13", "").status().error_code(), "invalid_date");
}

TEST_P(VisitsServiceTest, CopiesFollowTheChildsMove) {
  ASSERT_TRUE(svc_->Evaluate().ok());
  ASSERT_TRUE(svc_->Record(director_, kid_, Visit()).ok());
  ASSERT_TRUE(conn().Execute("UPDATE child SET community_id = $1, street_id = $2 WHERE id = $3",
                             {community2_.id, bantian_.id, kid_}).ok());
  ASSERT_TRUE(repo::VisitsRepo(conn()).FollowChild(kid_).ok());
  EXPECT_EQ(Sched(kid_).unit_path, community2_.path);
  auto page = MakePage(1, 20);
  std::int64_t total = 0;
  EXPECT_TRUE(svc_->History(director2_, kid_, *page, &total).ok());
  EXPECT_EQ(total, 1);
  EXPECT_EQ(svc_->History(director_, kid_, *page, &total).status().error_code(), "not_found");
}

// The nightly evaluation opens a block's visit_due items with work::OpenMany (helper bulkopen, session 7), both
// where a schedule is written (new on the roll and already due) and for schedules that fell due: the same items
// (owners, labels, links, the red and orange clocks, deadlines, clock rows), closings and schedules as one by one
// (SetOpenOneByOne, the path before).
TEST_P(VisitsServiceTest, BulkOpenWritesWhatOneByOneWrites) {
  std::vector<std::int64_t> kids = {kid_};
  for (int i = 0; i < 15; ++i) {
    kids.push_back(AddChild("儿童" + std::to_string(i), i % 2 ? community2_.id : community_.id,
                            i % 2 ? bantian_.id : buji_.id, "on_roll", i % 3 ? "other" : "left_behind"));
  }
  // Five entered the roll 40 days ago: their first visit fell due 25 days ago.
  const std::int32_t long_ago = InDays(-40);
  for (int i : {1, 2, 5, 8, 11}) {
    ASSERT_TRUE(conn().Execute("UPDATE child SET roll_entered_on = $1 WHERE id = $2", {std::int64_t{long_ago}, kids[i]}).ok());
  }
  const std::int64_t t0 = clock_.NowMillis();
  auto run = [&](bool one_by_one) {
    clock_.Set(t0);
    for (const char* sql :
         {"DELETE FROM work_item_clock WHERE item_id IN (SELECT id FROM work_item WHERE subject_type = 'visit_schedule')",
          "DELETE FROM work_step WHERE item_id IN (SELECT id FROM work_item WHERE subject_type = 'visit_schedule')",
          "DELETE FROM work_item WHERE subject_type = 'visit_schedule'", "DELETE FROM visit_schedule",
          "UPDATE child SET roll_status = 'on_roll'"}) {
      EXPECT_TRUE(conn().Execute(sql).ok()) << sql;
    }
    svc_->SetOpenOneByOne(one_by_one);
    std::vector<std::int64_t> opened;
    auto r = svc_->Evaluate();  // schedules added; the five long on the roll get their items at once
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(Grade(kids[3], "red").ok());
    EXPECT_TRUE(Grade(kids[4], "orange").ok());
    EXPECT_TRUE(Grade(kids[6], "red").ok());
    EXPECT_TRUE(Grade(kids[2], "orange").ok());  // had an item: closed, re-planned from today
    // One with an item leaves the roll (closed in the block), and 20 days pass: the rest fall due.
    EXPECT_TRUE(conn().Execute("UPDATE child SET roll_status = 'exited' WHERE id = $1", {kids[5]}).ok());
    clock_.Advance(20 * kDay);
    r = svc_->Evaluate();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    opened.push_back(r.ok() ? r->items_opened : -1);
    std::vector<std::string> out;
    auto cells = [](const storage::Row& row) {
      std::string line;
      for (std::size_t i = 0; i < row.size(); ++i) line += (row.IsNull(i) ? std::string("∅") : row.Text(i)) + "|";
      return line;
    };
    for (const char* sql :
         {"SELECT wi.subject_id, wi.kind, wi.title, wi.label, wi.link, wi.owner_unit_id, wi.owner_unit_path, "
          "wi.owner_role, wi.owner_user_id, wi.owner_agency_id, wi.district_unit_id, wi.state, wi.is_open, wi.started_at, "
          "wi.warn_at, wi.due_at, wi.district_at, wi.due_flags, wi.round, wi.version, wi.created_at, wi.closed_at, "
          "k.escalation_level, k.next_at FROM work_item wi LEFT JOIN work_item_clock k ON k.item_id = wi.id WHERE "
          "wi.subject_type = 'visit_schedule' ORDER BY wi.id",
          "SELECT w.subject_id, s.action, s.from_state, s.to_state, s.by_user_id, s.at, s.note FROM work_step s JOIN "
          "work_item w ON w.id = s.item_id WHERE w.subject_type = 'visit_schedule' ORDER BY w.id, s.id",
          "SELECT child_id, active, grade, rule, interval_days, planned_from, next_due_on, item_due_on, version, "
          "updated_at FROM visit_schedule ORDER BY child_id"}) {
      auto rows = conn().Query(sql);
      EXPECT_TRUE(rows.ok()) << rows.status().ToString();
      if (!rows.ok()) continue;
      for (const auto& row : rows->rows) out.push_back(cells(row));
    }
    out.push_back("opened " + std::to_string(opened[0]));
    return out;
  };
  const std::vector<std::string> single = run(true);
  const std::vector<std::string> bulk = run(false);
  EXPECT_EQ(bulk, single);
  // Every child but the leaver has its item open by the second run; both communities; the red, orange and plain
  // clocks; the leaver's item closed in the block, kids[2]'s closed when its grade moved its due date.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item WHERE subject_type = 'visit_schedule' AND is_open = 1"), 15);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT owner_unit_id) FROM work_item WHERE subject_type = 'visit_schedule'"), 2);
  EXPECT_GE(Count("SELECT COUNT(DISTINCT due_at - started_at) FROM work_item WHERE subject_type = 'visit_schedule'"), 3);
  EXPECT_EQ(OpenItems(kids[5]), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item WHERE subject_type = 'visit_schedule' AND subject_id = $1", {kids[5]}), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM visit_schedule WHERE item_due_on <> next_due_on AND active = 1 AND next_due_on <= $1",
                  {std::int64_t{Today()}}),
            0);
  // A third run opens nothing, either way.
  EXPECT_EQ(svc_->Evaluate()->items_opened, 0);
  svc_->SetOpenOneByOne(true);
  EXPECT_EQ(svc_->Evaluate()->items_opened, 0);
}

TH_INSTANTIATE_ENGINE_TEST(VisitsServiceTest);

// The daily rollup (visit_rollup) equals a recount from the visit table after visits recorded, a child's move to
// another community, a community's move to another street and a bulk load (the demo load's InsertVisitsBulk).
class VisitRollupTest : public VisitsServiceTest {
 protected:
  // The non-zero rollup rows and the recount from the visits, each as sorted text rows.
  std::vector<std::string> Rows(const std::string& sql) {
    auto r = conn().Query(sql);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::vector<std::string> out;
    if (!r.ok()) return out;
    for (const auto& row : r->rows) {
      std::string s;
      for (std::size_t i = 0; i < 8; ++i) s += std::to_string(i == 4 ? 0 : row.Int(i)) + (i == 4 ? row.Text(i) : "") + "|";
      out.push_back(s);
    }
    return out;
  }
  void ExpectRollupIsRecount(const char* when) {
    auto rollup = Rows("SELECT district_id, day, street_id, community_id, grade, done, on_time, due FROM visit_rollup "
                       "WHERE done <> 0 OR on_time <> 0 OR due <> 0 ORDER BY 1, 2, 3, 4, 5");
    auto recount = Rows(
        "SELECT district_id, day, street_id, community_id, grade, SUM(done), SUM(on_time), SUM(due) FROM ("
        "SELECT district_id, visited_on AS day, street_id, community_id, grade, 1 AS done, on_time, 0 AS due FROM visit "
        "UNION ALL SELECT district_id, due_on, street_id, community_id, grade, 0, 0, 1 FROM visit WHERE due_on <> 0) x "
        "GROUP BY district_id, day, street_id, community_id, grade ORDER BY 1, 2, 3, 4, 5");
    EXPECT_FALSE(recount.empty()) << when;
    EXPECT_EQ(rollup, recount) << when;
  }
  std::int64_t Rollup(std::int64_t community, const std::string& what) {
    return Count("SELECT COALESCE(SUM(" + what + "), 0) FROM visit_rollup WHERE community_id = $1", {community});
  }
};

TEST_P(VisitRollupTest, EqualsARecountAfterRecordsMovesAndABulkLoad) {
  const std::int64_t other = AddChild("李小红", community_.id, buji_.id, "on_roll", "left_behind");
  ASSERT_TRUE(Grade(kid_, "red").ok());
  ASSERT_TRUE(svc_->Evaluate().ok());
  ASSERT_TRUE(svc_->Record(director_, kid_, Visit(20)).ok());  // late: its due date passed
  ASSERT_TRUE(svc_->Record(director_, kid_, Visit(3)).ok());
  ASSERT_TRUE(svc_->Record(director_, kid_, Visit(0)).ok());
  ASSERT_TRUE(svc_->Record(director_, other, Visit(1)).ok());
  ExpectRollupIsRecount("after records");
  EXPECT_EQ(Rollup(community_.id, "done"), 4);
  EXPECT_EQ(Rollup(community2_.id, "done"), 0);

  // The child moves to the other street's community: its visits' rows go with it.
  ASSERT_TRUE(InTransaction(*db(), [&](storage::Connection& c) -> Status {
                TH_RETURN_IF_ERROR(c.Execute("UPDATE child SET community_id = $1, street_id = $2 WHERE id = $3",
                                             {community2_.id, bantian_.id, kid_})
                                       .status());
                return services_->deps().jurisdiction.AfterChildMove(c, kid_);
              }).ok());
  ExpectRollupIsRecount("after the child's move");
  EXPECT_EQ(Rollup(community_.id, "done"), 1);
  EXPECT_EQ(Rollup(community2_.id, "done"), 3);

  // The first community moves under the other street: its rows carry the new street.
  ASSERT_TRUE(InTransaction(*db(), [&](storage::Connection& c) -> Status {
                const repo::OrgUnit before = community_;
                TH_RETURN_IF_ERROR(repo::OrgRepo(c).Move(community_, bantian_, community_.version, clock_.NowMillis()));
                TH_ASSIGN_OR_RETURN(auto moved, repo::OrgRepo(c).Get(community_.id));
                return services_->deps().jurisdiction.AfterUnitMove(c, before, moved.path);
              }).ok());
  ExpectRollupIsRecount("after the community's move");
  EXPECT_EQ(Count("SELECT COALESCE(SUM(done), 0) FROM visit_rollup WHERE street_id = $1", {bantian_.id}), 4);

  // The demo load's bulk insert, then a recorded visit on top.
  std::vector<repo::VisitRecord> bulk;
  for (int k = 0; k < 450; ++k) {
    repo::VisitRecord v;
    v.child_id = other;
    v.district_id = root_.id;
    v.street_id = bantian_.id;
    v.community_id = community_.id;
    v.unit_path = "/x/";
    v.visited_on = domain::Date::Of(2025, 1, 1).AddDays(k).ToYyyymmdd();
    v.month = v.visited_on / 100;
    v.grade = k % 3 == 0 ? "red" : k % 3 == 1 ? "blue" : "";
    v.due_on = k % 5 == 0 ? 0 : v.visited_on - (k % 4 == 0 ? 1 : 0);
    v.on_time = v.visited_on <= v.due_on;
    v.place = "home";
    v.child_state = v.home_state = v.guardian_care = "good";
    bulk.push_back(std::move(v));
  }
  ASSERT_TRUE(InTransaction(*db(), [&](storage::Connection& c) { return repo::VisitsRepo(c).InsertVisitsBulk(bulk); }).ok());
  ASSERT_TRUE(svc_->Record(director2_, kid_, Visit(2)).ok());  // the moved child's new community's director
  ExpectRollupIsRecount("after the bulk load");
  EXPECT_EQ(Rollup(community_.id, "done"), 1 + 450);
  EXPECT_EQ(Rollup(community2_.id, "done"), 3 + 1);

  // A rebuild finds the same rows.
  auto kept = Rows("SELECT district_id, day, street_id, community_id, grade, done, on_time, due FROM visit_rollup "
                   "WHERE done <> 0 OR on_time <> 0 OR due <> 0 ORDER BY 1, 2, 3, 4, 5");
  ASSERT_TRUE(repo::VisitsRepo(conn()).RebuildRollup().ok());
  EXPECT_EQ(Rows("SELECT district_id, day, street_id, community_id, grade, done, on_time, due FROM visit_rollup "
                 "ORDER BY 1, 2, 3, 4, 5"),
            kept);
}

TH_INSTANTIATE_ENGINE_TEST(VisitRollupTest);

}  // namespace
}  // namespace th::service
