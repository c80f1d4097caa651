// Behaviour both engines must share; every TEST_P runs on SQLite and PostgreSQL.
#include <atomic>
#include <limits>
#include <chrono>
#include <thread>

#include "storage/testing/engine_fixture.h"

namespace th::storage {
namespace {

using testing::EngineTest;

class StorageTest : public EngineTest {
 protected:
  void Script(std::string_view sql) {
    Status s = conn().ExecuteScript(RenderMigrationSql(sql, conn().dialect()));
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  std::int64_t Count(std::string_view table) {
    auto r = conn().Query("SELECT COUNT(*) FROM " + std::string(table));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? (*r)[0].Int(0) : -1;
  }
};

TEST_P(StorageTest, ValuesRoundTrip) {
  Script("CREATE TABLE v (id {{AUTO_ID}}, i BIGINT, r DOUBLE PRECISION, s TEXT, b {{BLOB}})");
  const std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  const std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  struct Case {
    Value i, r, s, b;
  } cases[] = {
      {kMax, 0.1, std::string("张三丰"), Blob{std::string("\0\x01\xff\0", 4)}},
      {kMin, -2.5e300, std::string("留守儿童 👶 Ünïcødé"), Blob{""}},
      {std::int64_t{0}, 3.141592653589793, std::string(""), Blob{std::string(1000, '\0')}},
      {std::int64_t{-1}, 1e-300, std::string("it's \"quoted\" \\ ; --"), Null()},
      {Null(), Null(), Null(), Blob{"plain"}},
  };
  for (const Case& c : cases) {
    auto id = conn().Query("INSERT INTO v (i, r, s, b) VALUES ($1, $2, $3, $4) RETURNING id",
                           {c.i, c.r, c.s, c.b});
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    ASSERT_EQ(id->size(), 1u);
    auto got = conn().Query("SELECT i, r, s, b FROM v WHERE id = $1", {(*id)[0].at(0)});
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ASSERT_EQ(got->size(), 1u);
    const Row& row = (*got)[0];
    EXPECT_EQ(row.at(0), c.i);
    EXPECT_EQ(row.at(1), c.r);
    EXPECT_EQ(row.at(2), c.s);
    if (std::holds_alternative<Blob>(c.b)) {
      ASSERT_TRUE(std::holds_alternative<Blob>(row.at(3))) << "blob column index " << row.at(3).index();
      EXPECT_EQ(std::get<Blob>(row.at(3)).bytes, std::get<Blob>(c.b).bytes);
    } else {
      EXPECT_TRUE(row.IsNull(3));
    }
  }
  EXPECT_EQ(Count("v"), 5);
}

TEST_P(StorageTest, ResultColumnsAreTyped) {
  auto r = conn().Query("SELECT COUNT(*) AS n, 1.5 AS x, 'text' AS t, 2 > 1 AS yes, NULL AS absent");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->columns, (std::vector<std::string>{"n", "x", "t", "yes", "absent"}));
  const Row& row = (*r)[0];
  EXPECT_EQ(row.at(0), Value(std::int64_t{1}));
  EXPECT_EQ(row.at(1), Value(1.5));
  EXPECT_EQ(row.at(2), Value(std::string("text")));
  EXPECT_EQ(row.at(3), Value(std::int64_t{1}));
  EXPECT_TRUE(row.IsNull(4));
}

TEST_P(StorageTest, PlaceholdersBindByNumberNotPosition) {
  Script("CREATE TABLE p (a TEXT, b TEXT, c TEXT)");
  // $2 before $1, and $1 used twice.
  ASSERT_TRUE(conn().Execute("INSERT INTO p (a, b, c) VALUES ($2, $1, $2)",
                             {std::string("one"), std::string("two")}).ok());
  auto r = conn().Query("SELECT a, b, c FROM p WHERE b = $1 AND a = $2 AND c = $2",
                        {std::string("one"), std::string("two")});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].Text(0), "two");
  EXPECT_EQ((*r)[0].Text(1), "one");
  EXPECT_EQ((*r)[0].Text(2), "two");
  // $10 is not $1 followed by '0'.
  Params ten;
  for (int i = 1; i <= 10; ++i) ten.push_back(std::string("v") + std::to_string(i));
  auto t = conn().Query(
      "SELECT a FROM p WHERE $1 <> $10 AND $2 <> $3 AND $4 <> $5 AND $6 <> $7 AND $8 <> $9 "
      "AND $10 = 'v10'",
      ten);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->size(), 1u);
}

TEST_P(StorageTest, WrongParameterCountIsAnErrorNotACrash) {
  Script("CREATE TABLE w (a BIGINT)");
  auto too_few = conn().Execute("INSERT INTO w (a) VALUES ($1)", {});
  EXPECT_FALSE(too_few.ok());
  auto too_many = conn().Execute("INSERT INTO w (a) VALUES ($1)",
                                 {std::int64_t{1}, std::int64_t{2}});
  EXPECT_FALSE(too_many.ok());
  EXPECT_EQ(Count("w"), 0);
}

TEST_P(StorageTest, ExecuteReturnsChangedRowsAndReturningGivesIds) {
  Script("CREATE TABLE e (id {{AUTO_ID}}, name TEXT, n BIGINT)");
  std::vector<std::int64_t> ids;
  for (const char* name : {"甲", "乙", "丙"}) {
    auto r = conn().Query("INSERT INTO e (name, n) VALUES ($1, 0) RETURNING id",
                          {std::string(name)});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ids.push_back((*r)[0].Int(0));
  }
  EXPECT_LT(ids[0], ids[1]);
  EXPECT_LT(ids[1], ids[2]);
  auto changed = conn().Execute("UPDATE e SET n = n + 1 WHERE id >= $1", {ids[1]});
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(*changed, 2);
  auto none = conn().Execute("DELETE FROM e WHERE id = $1", {std::int64_t{-5}});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);
  auto sel = conn().Execute("SELECT * FROM e");
  ASSERT_TRUE(sel.ok());
  EXPECT_EQ(*sel, 0);
}

TEST_P(StorageTest, TransactionsCommitRollbackAndRaii) {
  Script("CREATE TABLE t (x BIGINT)");
  EXPECT_FALSE(conn().InTransaction());
  ASSERT_TRUE(conn().Begin().ok());
  EXPECT_TRUE(conn().InTransaction());
  EXPECT_FALSE(conn().Begin().ok());  // no nesting, but no crash either
  ASSERT_TRUE(conn().Execute("INSERT INTO t VALUES (1)").ok());
  ASSERT_TRUE(conn().Commit().ok());
  EXPECT_FALSE(conn().InTransaction());
  EXPECT_EQ(Count("t"), 1);

  ASSERT_TRUE(conn().Begin().ok());
  ASSERT_TRUE(conn().Execute("INSERT INTO t VALUES (2)").ok());
  ASSERT_TRUE(conn().Rollback().ok());
  EXPECT_EQ(Count("t"), 1);

  {
    Transaction tx(conn());
    ASSERT_TRUE(tx.Begin().ok());
    ASSERT_TRUE(conn().Execute("INSERT INTO t VALUES (3)").ok());
  }  // destroyed without Commit: rolled back
  EXPECT_FALSE(conn().InTransaction());
  EXPECT_EQ(Count("t"), 1);

  {
    Transaction tx(conn());
    ASSERT_TRUE(tx.Begin().ok());
    ASSERT_TRUE(conn().Execute("INSERT INTO t VALUES (4)").ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  EXPECT_EQ(Count("t"), 2);
  EXPECT_FALSE(conn().Commit().ok());  // nothing to commit
}

TEST_P(StorageTest, UniqueViolationIsConflictDuplicate) {
  Script("CREATE TABLE u (id {{AUTO_ID}}, code TEXT NOT NULL UNIQUE)");
  ASSERT_TRUE(conn().Execute("INSERT INTO u (code) VALUES ($1)", {std::string("A1")}).ok());
  auto dup = conn().Execute("INSERT INTO u (code) VALUES ($1)", {std::string("A1")});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), Code::kConflict);
  EXPECT_EQ(dup.status().error_code(), "duplicate");
  auto pk = conn().Execute("INSERT INTO u (id, code) VALUES (1, 'B2')");
  ASSERT_FALSE(pk.ok());
  EXPECT_EQ(pk.status().error_code(), "duplicate");
  // The connection stays usable.
  EXPECT_EQ(Count("u"), 1);

  // Inside a transaction the failure surfaces too, and Commit cannot silently succeed on
  // PostgreSQL's aborted transaction: the caller rolls back.
  Transaction tx(conn());
  ASSERT_TRUE(tx.Begin().ok());
  ASSERT_TRUE(conn().Execute("INSERT INTO u (code) VALUES ('C3')").ok());
  auto dup2 = conn().Execute("INSERT INTO u (code) VALUES ('A1')");
  EXPECT_EQ(dup2.status().code(), Code::kConflict);
  ASSERT_TRUE(conn().Rollback().ok());
  EXPECT_EQ(Count("u"), 1);
}

TEST_P(StorageTest, SqlErrorsAreStatusesNotCrashes) {
  const char* bad[] = {
      "SELEC 1",
      "SELECT * FROM no_such_table",
      "INSERT INTO",
      "",
  };
  for (const char* sql : bad) {
    SCOPED_TRACE(sql);
    auto q = conn().Query(sql);
    ASSERT_FALSE(q.ok());
    EXPECT_EQ(q.status().code(), Code::kInternal);
    EXPECT_FALSE(q.status().message_en().empty());
    auto e = conn().Execute(sql);
    EXPECT_FALSE(e.ok());
  }
  EXPECT_FALSE(conn().ExecuteScript("CREATE TABLE ok1 (a BIGINT); CREATE TABLE (").ok());
  // Still usable afterwards.
  auto r = conn().Query("SELECT 1");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
}

TEST_P(StorageTest, StatementCacheSurvivesSchemaChanges) {
  Script("CREATE TABLE s (a BIGINT); INSERT INTO s VALUES (1)");
  for (int i = 0; i < 3; ++i) {
    auto r = conn().Query("SELECT * FROM s WHERE a = $1", {std::int64_t{1}});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->columns.size(), 1u);
  }
  Script("ALTER TABLE s ADD COLUMN b TEXT");
  auto r = conn().Query("SELECT * FROM s WHERE a = $1", {std::int64_t{1}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->columns.size(), 2u);
}

// A batch answers each query's rows in order (PostgreSQL: one pipeline); a failing query is the batch's error and
// the connection goes on working, in and out of a transaction; a statement gone stale after DDL is prepared again.
TEST_P(StorageTest, QueryBatchAnswersEachQueryAndSurvivesErrors) {
  Script("CREATE TABLE qb (id BIGINT, name TEXT, b {{BLOB}}); INSERT INTO qb VALUES (1, '甲', NULL); "
         "INSERT INTO qb VALUES (2, '乙', NULL); INSERT INTO qb VALUES (3, '丙', NULL)");
  const std::vector<Statement> batch = {
      {"SELECT name FROM qb WHERE id = $1", {std::int64_t{2}}},
      {"SELECT id FROM qb WHERE id > $1 ORDER BY id", {std::int64_t{1}}},
      {"SELECT COUNT(*) FROM qb WHERE name = $1", {std::string("无")}},
  };
  for (int round = 0; round < 2; ++round) {  // the second round on prepared statements
    auto r = conn().QueryBatch(batch);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->size(), 3u);
    EXPECT_EQ((*r)[0][0].Text(0), "乙");
    ASSERT_EQ((*r)[1].size(), 2u);
    EXPECT_EQ((*r)[1][1].Int(0), 3);
    EXPECT_EQ((*r)[2][0].Int(0), 0);
  }
  auto bad = conn().QueryBatch({batch[0], {"SELECT * FROM no_such_table WHERE id = $1", {std::int64_t{1}}}, batch[1]});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kInternal);
  auto nul = conn().QueryBatch({batch[0], {"SELECT $1::TEXT", {std::string("a\0b", 3)}}});
  EXPECT_FALSE(nul.ok());
  auto after = conn().QueryBatch(batch);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ((*after)[1].size(), 2u);
  {
    Transaction tx(conn());
    ASSERT_TRUE(tx.Begin().ok());
    ASSERT_TRUE(conn().Execute("INSERT INTO qb VALUES (4, '丁', NULL)").ok());
    auto in_tx = conn().QueryBatch(batch);  // sees the transaction's own row
    ASSERT_TRUE(in_tx.ok()) << in_tx.status().ToString();
    EXPECT_EQ((*in_tx)[1].size(), 3u);
    ASSERT_TRUE(tx.Commit().ok());
  }
  Script("ALTER TABLE qb ADD COLUMN extra TEXT");
  auto stale = conn().QueryBatch({{"SELECT * FROM qb WHERE id = $1", {std::int64_t{1}}}, batch[0]});
  ASSERT_TRUE(stale.ok()) << stale.status().ToString();
  auto again = conn().QueryBatch({{"SELECT * FROM qb WHERE id = $1", {std::int64_t{1}}}, batch[0]});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  Script("ALTER TABLE qb ADD COLUMN more TEXT");
  again = conn().QueryBatch({{"SELECT * FROM qb WHERE id = $1", {std::int64_t{1}}}, batch[0]});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ((*again)[0].columns.size(), 5u);
  EXPECT_EQ(Count("qb"), 4);
}

// PostgreSQL: two transactions locking two rows in opposite orders deadlock; the one PostgreSQL aborts gets 409
// write_conflict (a caller may run it again), the other goes through.
TEST_P(StorageTest, ADeadlockIsAWriteConflict) {
  if (conn().dialect().engine() != Engine::kPostgres) GTEST_SKIP() << "SQLite has one writer: no deadlocks";
  Script("CREATE TABLE dl (id BIGINT PRIMARY KEY, n BIGINT NOT NULL); INSERT INTO dl VALUES (1, 0); "
         "INSERT INTO dl VALUES (2, 0)");
  DatabaseOptions options;
  options.pool_size = 2;
  auto db = OpenAnother(options);
  ASSERT_TRUE(db.ok());
  auto a = (*db)->Acquire();
  auto b = (*db)->Acquire();
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE((*a)->Begin().ok());
  ASSERT_TRUE((*b)->Begin().ok());
  ASSERT_TRUE((*a)->Execute("UPDATE dl SET n = n + 1 WHERE id = 1").ok());
  ASSERT_TRUE((*b)->Execute("UPDATE dl SET n = n + 1 WHERE id = 2").ok());
  Status sa;
  std::thread ta([&] {
    sa = (*a)->Execute("UPDATE dl SET n = n + 1 WHERE id = 2").status();
    if (!sa.ok()) (void)(*a)->Rollback();  // an aborted transaction holds its locks until rolled back
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  Status sb = (*b)->Execute("UPDATE dl SET n = n + 1 WHERE id = 1").status();
  if (!sb.ok()) (void)(*b)->Rollback();  // lets a's statement through
  ta.join();
  EXPECT_NE(sa.ok(), sb.ok()) << sa.ToString() << " / " << sb.ToString();
  const Status& lost = sa.ok() ? sb : sa;
  EXPECT_EQ(lost.code(), Code::kConflict);
  EXPECT_EQ(lost.error_code(), "write_conflict") << lost.ToString();
  ASSERT_TRUE((sa.ok() ? **a : **b).Commit().ok());
}

TEST_P(StorageTest, ForeignKeysAreEnforced) {
  Script("CREATE TABLE parent (id {{AUTO_ID}}); "
         "CREATE TABLE child (id {{AUTO_ID}}, parent_id BIGINT NOT NULL REFERENCES parent(id))");
  auto bad = conn().Execute("INSERT INTO child (parent_id) VALUES ($1)", {std::int64_t{999}});
  EXPECT_FALSE(bad.ok());
}

TEST_P(StorageTest, PoolBlocksThenTimesOutWhenExhausted) {
  DatabaseOptions options;
  options.pool_size = 2;
  options.acquire_timeout = std::chrono::milliseconds(150);
  auto db = OpenAnother(options);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  {
    auto a = (*db)->Acquire();
    auto b = (*db)->Acquire();
    ASSERT_TRUE(a.ok() && b.ok());
    auto start = std::chrono::steady_clock::now();
    auto c = (*db)->Acquire();
    auto waited = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.status().code(), Code::kUnavailable);
    EXPECT_EQ(c.status().error_code(), "pool_exhausted");
    EXPECT_GE(waited, std::chrono::milliseconds(140));

    // A waiter is woken by a release from another thread (within the 150 ms timeout).
    std::thread releaser([h = std::move(a).value()]() mutable {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      Database::Handle gone = std::move(h);
    });
    auto d = (*db)->Acquire();
    releaser.join();
    EXPECT_TRUE(d.ok()) << d.status().ToString();
  }
  // All returned: two connections again.
  auto x = (*db)->Acquire();
  auto y = (*db)->Acquire();
  EXPECT_TRUE(x.ok() && y.ok());
}

TEST_P(StorageTest, ReleaseRollsBackAnAbandonedTransaction) {
  Script("CREATE TABLE r (x BIGINT)");
  DatabaseOptions options;
  options.pool_size = 1;
  auto db = OpenAnother(options);
  ASSERT_TRUE(db.ok());
  {
    auto h = (*db)->Acquire();
    ASSERT_TRUE(h.ok());
    ASSERT_TRUE((*h)->Begin().ok());
    ASSERT_TRUE((*h)->Execute("INSERT INTO r VALUES (1)").ok());
  }
  auto h = (*db)->Acquire();
  ASSERT_TRUE(h.ok());
  EXPECT_FALSE((*h)->InTransaction());
  auto n = (*h)->Query("SELECT COUNT(*) FROM r");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ((*n)[0].Int(0), 0);
}

TEST_P(StorageTest, ConcurrentWritersAllSucceed) {
  Script("CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL); "
         "INSERT INTO counter VALUES (1, 0); "
         "CREATE TABLE log (id {{AUTO_ID}}, worker BIGINT, k BIGINT)");
  DatabaseOptions options;
  options.pool_size = 4;
  auto db = OpenAnother(options);
  ASSERT_TRUE(db.ok());
  constexpr int kThreads = 4;
  constexpr int kIterations = 50;
  std::atomic<int> failures{0};
  std::string first_error;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int w = 0; w < kThreads; ++w) {
    threads.emplace_back([&, w] {
      for (int k = 0; k < kIterations; ++k) {
        auto h = (*db)->Acquire();
        Status s = h.ok() ? Status::Ok() : h.status();
        if (s.ok()) {
          Connection& c = **h;
          Transaction tx(c);
          s = tx.Begin();
          // Read then write: the pattern that fails with SQLITE_BUSY under a deferred BEGIN.
          if (s.ok()) s = c.Query("SELECT n FROM counter WHERE id = 1").status();
          if (s.ok()) s = c.Execute("UPDATE counter SET n = n + 1 WHERE id = 1").status();
          if (s.ok()) {
            s = c.Execute("INSERT INTO log (worker, k) VALUES ($1, $2)",
                          {std::int64_t{w}, std::int64_t{k}})
                    .status();
          }
          if (s.ok()) s = tx.Commit();
        }
        if (!s.ok()) {
          ++failures;
          std::lock_guard<std::mutex> lock(mu);
          if (first_error.empty()) first_error = s.ToString();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0) << first_error;
  auto r = conn().Query("SELECT n FROM counter WHERE id = 1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].Int(0), kThreads * kIterations);
  EXPECT_EQ(Count("log"), kThreads * kIterations);
}

// A second writer waits for the first one's commit (SQLite: on the in-process write gate) and
// then proceeds; a transaction abandoned by a dropped handle frees the lock for the next one.
TEST_P(StorageTest, WritersQueueAndAnAbandonedTransactionFreesTheWriteLock) {
  Script("CREATE TABLE w (x BIGINT)");
  DatabaseOptions options;
  options.pool_size = 2;
  auto db = OpenAnother(options);
  ASSERT_TRUE(db.ok());
  auto a = (*db)->Acquire();
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE((*a)->Begin().ok());
  ASSERT_TRUE((*a)->Execute("INSERT INTO w VALUES (1)").ok());
  std::atomic<bool> b_began{false};
  Status b_status = Status::Ok();
  std::thread writer([&] {
    auto b = (*db)->Acquire();
    if (!b.ok()) {
      b_status = b.status();
      return;
    }
    b_status = (*b)->Begin();
    b_began = true;
    if (b_status.ok()) b_status = (*b)->Execute("INSERT INTO w VALUES (2)").status();
    if (b_status.ok()) b_status = (*b)->Commit();
  });
  // Let the writer reach Begin(); on SQLite it must still be waiting while `a` holds the lock.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (conn().dialect().engine() == Engine::kSqlite) EXPECT_FALSE(b_began.load());
  {
    Database::Handle dropped = std::move(a).value();  // its open transaction is rolled back
  }
  writer.join();
  EXPECT_TRUE(b_status.ok()) << b_status.ToString();
  auto rows = conn().Query("SELECT x FROM w ORDER BY x");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].Int(0), 2);
}

TEST_P(StorageTest, PoolReplacesAConnectionTheServerDropped) {
  if (engine() != Engine::kPostgres) GTEST_SKIP() << "a server-side disconnect is PostgreSQL-only";
  DatabaseOptions options;
  options.pool_size = 1;
  auto db = OpenAnother(options);
  ASSERT_TRUE(db.ok());
  {
    auto h = (*db)->Acquire();
    ASSERT_TRUE(h.ok());
    auto pid = (*h)->Query("SELECT pg_backend_pid()");
    ASSERT_TRUE(pid.ok());
    ASSERT_TRUE(conn().Query("SELECT pg_terminate_backend($1)", {(*pid)[0].at(0)}).ok());
    auto r = (*h)->Query("SELECT 1");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Code::kUnavailable) << r.status().ToString();
    EXPECT_FALSE((*h)->Healthy());
  }  // the broken connection is discarded, not pooled
  auto h = (*db)->Acquire();
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  auto r = (*h)->Query("SELECT 1");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
}

TEST_P(StorageTest, DialectNamesTypes) {
  const Dialect& d = conn().dialect();
  EXPECT_EQ(d.engine(), engine());
  EXPECT_EQ(db()->dialect().engine(), engine());
  Script("CREATE TABLE names (id {{AUTO_ID}}, name TEXT)");
  ASSERT_TRUE(conn().Execute("INSERT INTO names (name) VALUES ('Zhang San'), ('李四')").ok());
  auto r = conn().Query("SELECT name FROM names WHERE name " + std::string(d.ILike()) + " $1",
                        {std::string("zhang%")});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].Text(0), "Zhang San");
}

TH_INSTANTIATE_ENGINE_TEST(StorageTest);

}  // namespace
}  // namespace th::storage
