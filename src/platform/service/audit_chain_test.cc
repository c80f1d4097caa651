// The keyed audit chain on both engines (issue 9, item 5): someone who can write the database edits
// an entry and recomputes every unkeyed hash and the head; verify must still say no. Entries
// written before the chain was keyed keep verifying; checkpoints kept apart catch a cut end.
#include <gtest/gtest.h>

#include "platform/repo/audit_repo.h"
#include "platform/repo/sql_values.h"
#include "app/testing/service_fixture.h"

namespace th::service {
namespace {

class AuditChainTest : public testing::ServiceFixture {
 protected:
  void SetUp() override { SetUpServices(); }

  repo::AuditEntry Entry(std::int64_t seq) {
    auto rows = conn().Query("SELECT seq, at, action, object_type, object_id, purpose, prev_hash, hash, actor_name, "
                             "actor_unit_path, object_unit_path, client_ip, before_json, after_json, actor_id "
                             "FROM audit_log WHERE seq = $1",
                             {seq});
    EXPECT_TRUE(rows.ok() && !rows->empty());
    repo::AuditEntry e;
    if (!rows.ok() || rows->empty()) return e;
    const storage::Row& r = (*rows)[0];
    auto text = [&](std::size_t i) { return r.IsNull(i) ? std::string() : r.Text(i); };
    e.seq = r.Int(0);
    e.at = r.Int(1);
    e.action = text(2);
    e.object_type = text(3);
    e.object_id = text(4);
    e.purpose = text(5);
    e.prev_hash = text(6);
    e.hash = text(7);
    e.actor_name = text(8);
    e.actor_unit_path = text(9);
    e.object_unit_path = text(10);
    e.client_ip = text(11);
    e.before_json = text(12);
    e.after_json = text(13);
    if (!r.IsNull(14)) e.actor_id = r.Int(14);
    return e;
  }

  // Writes `n` entries as a pre-keying server did: unkeyed hashes, no boundary, no head MAC.
  void WriteLegacy(int n) {
    auto head = conn().Query("SELECT seq, hash FROM audit_head WHERE id = 1");
    ASSERT_TRUE(head.ok());
    std::int64_t seq = (*head)[0].Int(0);
    std::string prev = (*head)[0].Text(1);
    for (int i = 0; i < n; ++i) {
      repo::AuditEntry e;
      e.seq = ++seq;
      e.at = clock_.NowMillis();
      e.action = "child.read";
      e.object_type = "child";
      e.object_id = std::to_string(i + 1);
      e.prev_hash = prev;
      e.hash = repo::AuditRepo::ComputeHash(e);
      prev = e.hash;
      ASSERT_TRUE(conn().Execute("INSERT INTO audit_log (seq, at, action, object_type, object_id, prev_hash, hash) "
                                 "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                                 {e.seq, e.at, e.action, e.object_type, e.object_id, e.prev_hash, e.hash}).ok());
    }
    ASSERT_TRUE(conn().Execute("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1", {seq, prev}).ok());
  }

  void Write(const std::string& action, const std::string& purpose = "") {
    Status s = InTransaction(*db(), [&](storage::Connection& c) {
      return WriteAudit(c, clock_, nullptr, "cli", {action, "child", "7", "/1/", "", "", purpose});
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  repo::AuditVerifyResult Verify(const std::vector<repo::AuditCheckpoint>& cps = {}) {
    auto v = services_->audit().Verify(nullptr, cps);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : repo::AuditVerifyResult{};
  }

  std::int64_t Count() {
    auto rows = conn().Query("SELECT COUNT(*) FROM audit_log");
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }

  // The forger's move: after editing entries, recompute every unkeyed hash from `from` on and the
  // head, exactly as the pre-keying verify would accept.
  void RecomputeUnkeyedFrom(std::int64_t from) {
    std::string prev = from > 1 ? Entry(from - 1).hash : std::string(64, '0');
    const std::int64_t last = Count();
    for (std::int64_t seq = from; seq <= last; ++seq) {
      repo::AuditEntry e = Entry(seq);
      e.prev_hash = prev;
      e.hash = repo::AuditRepo::ComputeHash(e);
      ASSERT_TRUE(conn().Execute("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3",
                                 {e.prev_hash, e.hash, seq}).ok());
      prev = e.hash;
    }
    ASSERT_TRUE(conn().Execute("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1", {last, prev}).ok());
  }
};

TEST_P(AuditChainTest, OldEntriesStillVerifyAfterKeying) {
  WriteLegacy(3);
  ASSERT_TRUE(services_->audit().SealChain().ok());
  Write("child.update");
  Write("child.update");
  auto v = Verify();
  EXPECT_TRUE(v.ok) << v.reason << " at " << v.first_bad_seq;
  EXPECT_EQ(v.checked, Count());
  // The keyed entries carry MACs, not the unkeyed hash.
  repo::AuditEntry last = Entry(Count());
  EXPECT_NE(last.hash, repo::AuditRepo::ComputeHash(last));
  // An edit of a legacy entry is still caught (the first keyed MAC covers the last unkeyed hash).
  ASSERT_TRUE(conn().Execute("UPDATE audit_log SET object_id = '99' WHERE seq = 2").ok());
  RecomputeUnkeyedFrom(2);
  EXPECT_FALSE(Verify().ok);
}

TEST_P(AuditChainTest, RecomputedUnkeyedChainIsCaught) {
  for (int i = 0; i < 4; ++i) Write("child.update");
  EXPECT_TRUE(Verify().ok);
  ASSERT_TRUE(conn().Execute("UPDATE audit_log SET purpose = 'x' WHERE seq = 3").ok());
  RecomputeUnkeyedFrom(3);
  auto v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 3);
  // Nor can the forger key it with a key of their own.
  security::KeyRing::Key other{};
  other[0] = 42;
  security::KeyRing forged_keys(other);
  std::string prev = Entry(2).hash;
  for (std::int64_t seq = 3; seq <= Count(); ++seq) {
    repo::AuditEntry e = Entry(seq);
    e.prev_hash = prev;
    e.hash = repo::AuditRepo::ComputeMac(forged_keys, e);
    ASSERT_TRUE(conn().Execute("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3",
                               {e.prev_hash, e.hash, seq}).ok());
    prev = e.hash;
  }
  ASSERT_TRUE(conn().Execute("UPDATE audit_head SET hash = $1 WHERE id = 1", {prev}).ok());
  EXPECT_FALSE(Verify().ok);
}

TEST_P(AuditChainTest, BoundaryAndHeadAreSealed) {
  for (int i = 0; i < 3; ++i) Write("child.update");
  // Moving the boundary past the end (to pass keyed entries off as unkeyed) or clearing it.
  ASSERT_TRUE(conn().Execute("UPDATE audit_head SET keyed_from = 100 WHERE id = 1").ok());
  RecomputeUnkeyedFrom(1);
  EXPECT_FALSE(Verify().ok);
  ASSERT_TRUE(conn().Execute("UPDATE audit_head SET keyed_from = NULL WHERE id = 1").ok());
  EXPECT_FALSE(Verify().ok);
}

TEST_P(AuditChainTest, CutEndAndCheckpoints) {
  for (int i = 0; i < 3; ++i) Write("child.update");
  auto old_head = conn().Query("SELECT seq, hash, head_mac FROM audit_head WHERE id = 1");
  ASSERT_TRUE(old_head.ok());
  const std::string old_mac = (*old_head)[0].Text(2);
  for (int i = 0; i < 2; ++i) Write("child.update");
  auto cp = services_->audit().Checkpoint();
  ASSERT_TRUE(cp.ok()) << cp.status().ToString();
  EXPECT_EQ(cp->seq, 5);
  EXPECT_TRUE(Verify({*cp}).ok);
  // The checkpoint line round-trips through its text form.
  auto parsed = ParseCheckpoints("# kept on the operator's laptop\n" + FormatCheckpoint(*cp, 1) + "\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ((*parsed)[0].hash, cp->hash);
  EXPECT_EQ(ParseCheckpoints("tonghu-audit-checkpoint seq=x hash=y\n").status().error_code(), "invalid_checkpoint");
  // Cutting the last two entries and pointing the head at entry 3: the head MAC says no.
  repo::AuditEntry third = Entry(3);
  ASSERT_TRUE(conn().Execute("DELETE FROM audit_log WHERE seq > 3").ok());
  ASSERT_TRUE(conn().Execute("UPDATE audit_head SET seq = 3, hash = $1 WHERE id = 1", {third.hash}).ok());
  EXPECT_FALSE(Verify().ok);
  // With the head row restored from a copy taken at entry 3 the chain itself looks whole; only
  // the checkpoint kept apart shows that entries 4 and 5 are gone.
  ASSERT_TRUE(conn().Execute("UPDATE audit_head SET head_mac = $1 WHERE id = 1", {old_mac}).ok());
  EXPECT_TRUE(Verify().ok);
  auto v = Verify({*cp});
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.reason.find("checkpoint"), std::string::npos) << v.reason;
  // A checkpoint whose entry changed.
  repo::AuditCheckpoint wrong{2, std::string(64, 'a')};
  EXPECT_EQ(Verify({wrong}).reason, "entry differs from checkpoint");
}

TH_INSTANTIATE_ENGINE_TEST(AuditChainTest);

}  // namespace
}  // namespace th::service
