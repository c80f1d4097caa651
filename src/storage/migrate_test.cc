#include <algorithm>

#include "storage/testing/engine_fixture.h"

namespace th::storage {
namespace {

using testing::EngineTest;

const Migration kOne{1, "people",
                     "CREATE TABLE people (id {{AUTO_ID}}, name TEXT NOT NULL, photo {{BLOB}});\n"
                     "CREATE INDEX people_name ON people (name);\n"};
const Migration kTwo{2, "seed", "INSERT INTO people (name) VALUES ('张三');"};
const Migration kThree{3, "nick",
                       "ALTER TABLE people ADD COLUMN nick TEXT;\n"
                       "UPDATE people SET nick = name || '仔';"};

class MigrateTest : public EngineTest {
 protected:
  int Version() {
    auto v = CurrentSchemaVersion(conn());
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : -1;
  }
  std::int64_t Scalar(const std::string& sql) {
    auto r = conn().Query(sql);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && !r->empty() ? (*r)[0].Int(0) : -1;
  }
};

TEST_P(MigrateTest, FreshDatabaseIsVersionZero) { EXPECT_EQ(Version(), 0); }

TEST_P(MigrateTest, AppliesInOrderAndIsIdempotent) {
  ASSERT_TRUE(Migrate(conn(), {kOne, kTwo}).ok());
  EXPECT_EQ(Version(), 2);
  Status again = Migrate(conn(), {kOne, kTwo});
  ASSERT_TRUE(again.ok()) << again.ToString();
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM people"), 1);  // seed not applied twice
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM schema_migrations"), 2);

  // A newer binary brings migration 3; only it runs.
  ASSERT_TRUE(Migrate(conn(), {kOne, kTwo, kThree}).ok());
  EXPECT_EQ(Version(), 3);
  auto r = conn().Query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[2].Int(0), 3);
  EXPECT_EQ((*r)[2].Text(1), "nick");
  EXPECT_GT((*r)[2].Int(2), 1'600'000'000'000);  // milliseconds since the epoch
  auto nick = conn().Query("SELECT nick FROM people");
  ASSERT_TRUE(nick.ok());
  EXPECT_EQ((*nick)[0].Text(0), "张三仔");
  // The placeholders became real types: blobs round-trip.
  ASSERT_TRUE(conn().Execute("UPDATE people SET photo = $1",
                             {Blob{std::string("\x89PNG\0", 5)}}).ok());
  auto photo = conn().Query("SELECT photo FROM people");
  ASSERT_TRUE(photo.ok());
  EXPECT_EQ((*photo)[0].Text(0), std::string("\x89PNG\0", 5));
}

TEST_P(MigrateTest, DatabaseNewerThanBinaryIsAnError) {
  ASSERT_TRUE(Migrate(conn(), {kOne, kTwo}).ok());
  Status s = Migrate(conn(), {kOne});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error_code(), "schema_too_new");
  EXPECT_NE(s.message_en().find("2"), std::string::npos);
}

TEST_P(MigrateTest, FailedMigrationRollsBackAndStops) {
  const Migration bad{2, "broken",
                      "CREATE TABLE half_done (a BIGINT);\nINSERT INTO no_such_table VALUES (1);"};
  Status s = Migrate(conn(), {kOne, bad, kThree});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error_code(), "migration_failed");
  EXPECT_NE(s.message_en().find("0002_broken"), std::string::npos) << s.message_en();
  EXPECT_EQ(Version(), 1);
  EXPECT_FALSE(conn().InTransaction());
  EXPECT_FALSE(conn().Query("SELECT * FROM half_done").ok());  // its DDL was rolled back too
  // Fixed in the next release: it applies.
  ASSERT_TRUE(Migrate(conn(), {kOne, kTwo, kThree}).ok());
  EXPECT_EQ(Version(), 3);
}

TEST_P(MigrateTest, BadListsAreRejected) {
  EXPECT_FALSE(Migrate(conn(), {kTwo, kOne}).ok());
  EXPECT_FALSE(Migrate(conn(), {kOne, kOne}).ok());
  EXPECT_FALSE(Migrate(conn(), {Migration{0, "zero", "SELECT 1"}}).ok());
  Status unknown = Migrate(conn(), {Migration{1, "x", "CREATE TABLE x (a {{JSON}})"}});
  EXPECT_FALSE(unknown.ok());
  EXPECT_NE(unknown.message_en().find("{{JSON}}"), std::string::npos) << unknown.message_en();
  EXPECT_EQ(Version(), 0);
}

TEST_P(MigrateTest, RefusesToRunInsideATransaction) {
  ASSERT_TRUE(conn().Begin().ok());
  EXPECT_FALSE(Migrate(conn(), {kOne}).ok());
  ASSERT_TRUE(conn().Rollback().ok());
}

TEST_P(MigrateTest, SecondConnectionSeesMigrationsAsApplied) {
  ASSERT_TRUE(Migrate(conn(), {kOne, kTwo}).ok());
  auto other = db()->Acquire();
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(Migrate(**other, {kOne, kTwo}).ok());
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM people"), 1);
}

// The real migrations compiled into this binary must apply cleanly, twice, on both engines.
TEST_P(MigrateTest, EmbeddedMigrationsApply) {
  Status s = Migrate(conn());
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Version(), LatestSchemaVersion());
  s = Migrate(conn());
  ASSERT_TRUE(s.ok()) << s.ToString();
}

// 0007 moves the search tokens of an existing registry into search_posting, each with its
// child's jurisdiction, updated_at and birth date, and own = 1 where the token is the name.
TEST_P(MigrateTest, SearchPostingsMigrationCopiesTokensWithTheirChild) {
  std::vector<Migration> upto6;
  std::vector<Migration> upto7;  // 0007 itself (later ones add postings of their own)
  for (const Migration& m : EmbeddedMigrations()) {
    if (m.version <= 6) upto6.push_back(m);
    if (m.version <= 7) upto7.push_back(m);
  }
  ASSERT_TRUE(Migrate(conn(), upto6).ok());
  ASSERT_EQ(Version(), 6);
  Status s = conn().ExecuteScript(
      "INSERT INTO org_unit (id, parent_id, code, name, level, path, created_at, updated_at) VALUES "
      "(1, NULL, '440307000000', '龙岗区', 'district', '/1/', 0, 0), "
      "(2, 1, '440307001000', '布吉街道', 'street', '/1/2/', 0, 0), "
      "(3, 2, '440307001001', '布吉社区', 'community', '/1/2/3/', 0, 0);"
      "INSERT INTO child (id, household_id, name, sex, birth_date, district_id, street_id, community_id, created_at, "
      "updated_at) VALUES (7, 'h1', '张伟', 'male', 20150302, 1, 2, 3, 100, 555);"
      "INSERT INTO search_token (token, child_id) VALUES ('张伟', 7), ('zw', 7), ('张建国', 7);");
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(Migrate(conn(), upto7).ok());
  EXPECT_EQ(Version(), 7);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM search_posting WHERE child_id = 7 AND district_id = 1 AND street_id = 2 AND "
                   "community_id = 3 AND grid_id IS NULL AND updated_at = 555 AND birth_date = 20150302"),
            3);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM search_posting WHERE own = 1"), 1);
  EXPECT_EQ(Scalar("SELECT child_id FROM search_posting WHERE own = 1 AND token = '张伟'"), 7);
}

// 0011 gives an existing registry the postings that find a name while it is typed: prefixes of
// pinyin and initials, the initials from any character on, the guardian's name in parts, the
// leading part of a long name; each with its child's columns, none twice, numbers untouched.
TEST_P(MigrateTest, PrefixPostingsMigrationDerivesTypedPrefixesWithTheirChild) {
  std::vector<Migration> upto7;
  for (const Migration& m : EmbeddedMigrations()) {
    if (m.version <= 7) upto7.push_back(m);
  }
  ASSERT_TRUE(Migrate(conn(), upto7).ok());
  ASSERT_EQ(Version(), 7);
  // Tokens as the version-7 service wrote them: 张志伟 (guardian 张建国, father 张大明) and
  // 欧阳娜娜, with ID tails and a blind index.
  const std::string cols = "(token, child_id, own, district_id, street_id, community_id, grid_id, updated_at, birth_date)";
  Status s = conn().ExecuteScript(
      "INSERT INTO org_unit (id, parent_id, code, name, level, path, created_at, updated_at) VALUES "
      "(1, NULL, '440307000000', '龙岗区', 'district', '/1/', 0, 0), "
      "(2, 1, '440307001000', '布吉街道', 'street', '/1/2/', 0, 0), "
      "(3, 2, '440307001001', '布吉社区', 'community', '/1/2/3/', 0, 0);"
      "INSERT INTO child (id, household_id, name, sex, birth_date, district_id, street_id, community_id, created_at, "
      "updated_at, guardian_name) VALUES (7, 'h1', '张志伟', 'male', 20150302, 1, 2, 3, 100, 555, '张建国'), "
      "(8, 'h2', '欧阳娜娜', 'female', 20160101, 1, 2, 3, 100, 666, '');"
      "INSERT INTO search_posting " + cols + " SELECT t.token, t.child_id, CASE WHEN t.token = c.name THEN 1 ELSE 0 "
      "END, 1, 2, 3, NULL, c.updated_at, c.birth_date FROM (SELECT '张志伟' AS token, 7 AS child_id UNION ALL "
      "SELECT '张', 7 UNION ALL SELECT '志', 7 UNION ALL SELECT '伟', 7 UNION ALL SELECT '张志', 7 UNION ALL "
      "SELECT '志伟', 7 UNION ALL SELECT 'zhangzhiwei', 7 UNION ALL SELECT 'zzw', 7 UNION ALL SELECT '张建国', 7 "
      "UNION ALL SELECT '张大明', 7 UNION ALL SELECT '1234', 7 UNION ALL SELECT '561234', 7 UNION ALL "
      "SELECT '3fa09bc1d2e4f5a6b7c8d9e0f1a2b3c4', 7 UNION ALL SELECT '欧阳娜娜', 8 UNION ALL SELECT 'ouyangnana', 8 "
      "UNION ALL SELECT 'oynn', 8) t JOIN child c ON c.id = t.child_id;");
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(Migrate(conn()).ok());
  EXPECT_EQ(Version(), LatestSchemaVersion());
  auto has = [&](const char* token, int child) {
    return Scalar("SELECT COUNT(*) FROM search_posting WHERE token = '" + std::string(token) +
                  "' AND child_id = " + std::to_string(child));
  };
  for (const char* t : {"z", "zh", "zhang", "zhangzhiwe", "zz", "zw", "w", "张建", "建国", "建", "国", "张志伟"}) {
    EXPECT_EQ(has(t, 7), 1) << t;
  }
  for (const char* t : {"o", "ou", "ouyang", "oy", "yn", "nn", "n", "欧阳娜", "欧阳娜娜"}) EXPECT_EQ(has(t, 8), 1) << t;
  // Not derived: parts of a family member's whole name, of numbers and of the blind index.
  for (const char* t : {"大明", "123", "56", "3fa", "3"}) EXPECT_EQ(has(t, 7), 0) << t;
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM search_posting WHERE token LIKE '3f%'"), 1);
  // Each new posting carries its child's columns; no (token, child) twice; own only on the name.
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM search_posting WHERE child_id = 7 AND (district_id <> 1 OR street_id <> 2 "
                   "OR community_id <> 3 OR grid_id IS NOT NULL OR updated_at <> 555 OR birth_date <> 20150302)"),
            0);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM (SELECT token, child_id FROM search_posting GROUP BY token, child_id "
                   "HAVING COUNT(*) > 1) d"),
            0);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM search_posting WHERE own = 1"), 2);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM search_posting WHERE token = ''"), 0);
}

TH_INSTANTIATE_ENGINE_TEST(MigrateTest);

TEST(RenderMigrationSqlTest, ReplacesPlaceholdersPerEngine) {
  struct FakeDialect : Dialect {
    Engine engine() const override { return Engine::kSqlite; }
    std::string_view name() const override { return "fake"; }
    std::string_view AutoIdType() const override { return "AUTO"; }
    std::string_view BlobType() const override { return "BYTES"; }
    std::string_view ILike() const override { return "LIKE"; }
  } fake;
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"", ""},
      {"CREATE TABLE t (id {{AUTO_ID}})", "CREATE TABLE t (id AUTO)"},
      {"{{BLOB}}{{BLOB}},{{AUTO_ID}}", "BYTESBYTES,AUTO"},
      {"{{OTHER}} {AUTO_ID}", "{{OTHER}} {AUTO_ID}"},
  };
  for (const Case& c : cases) EXPECT_EQ(RenderMigrationSql(c.in, fake), c.out) << c.in;
}

TEST(EmbeddedMigrationsTest, OrderedAndLatestMatches) {
  const auto& all = EmbeddedMigrations();
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end(), [](const Migration& a, const Migration& b) {
    return a.version < b.version;
  }));
  EXPECT_EQ(LatestSchemaVersion(), all.empty() ? 0 : all.back().version);
  for (const Migration& m : all) {
    EXPECT_GT(m.version, 0);
    EXPECT_FALSE(m.name.empty());
    EXPECT_FALSE(m.sql.empty());
  }
}

}  // namespace
}  // namespace th::storage
