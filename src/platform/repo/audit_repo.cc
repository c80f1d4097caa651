#include "platform/repo/audit_repo.h"

#include <map>
#include <mutex>

#include "platform/repo/sql_values.h"
#include "security/crypto.h"

namespace th::repo {

using storage::Params;
using storage::Row;
using storage::Value;

namespace {

constexpr const char* kCols =
    "seq, at, actor_id, actor_name, actor_unit_path, action, object_type, object_id, object_unit_path, purpose, "
    "client_ip, before_json, after_json, prev_hash, hash";

AuditEntry ReadEntry(const Row& r) {
  AuditEntry e;
  e.seq = r.Int(0);
  e.at = r.Int(1);
  e.actor_id = r.OptInt(2);
  e.actor_name = r.Text(3);
  e.actor_unit_path = r.Text(4);
  e.action = r.Text(5);
  e.object_type = r.Text(6);
  e.object_id = r.Text(7);
  e.object_unit_path = r.Text(8);
  e.purpose = r.Text(9);
  e.client_ip = r.Text(10);
  e.before_json = r.Text(11);
  e.after_json = r.Text(12);
  e.prev_hash = r.Text(13);
  e.hash = r.Text(14);
  return e;
}

}  // namespace

namespace {

std::mutex g_key_mu;
std::shared_ptr<const security::KeyRing> g_key;

// The canonical text of an entry that its hash or MAC covers. Unit separators cannot occur in
// JSON text or the other fields' values we store.
std::string Canonical(const AuditEntry& e) {
  std::string s;
  s.reserve(256 + e.before_json.size() + e.after_json.size());
  auto add = [&s](const std::string& v) {
    s += v;
    s += '\x1f';
  };
  add(e.prev_hash);
  add(std::to_string(e.seq));
  add(std::to_string(e.at));
  add(e.actor_id ? std::to_string(*e.actor_id) : std::string());
  add(e.actor_name);
  add(e.actor_unit_path);
  add(e.action);
  add(e.object_type);
  add(e.object_id);
  add(e.object_unit_path);
  add(e.purpose);
  add(e.client_ip);
  add(e.before_json);
  add(e.after_json);
  return s;
}

std::string HeadMac(const security::KeyRing& k, std::int64_t seq, const std::string& hash) {
  return k.AuditMac("head\x1f" + std::to_string(seq) + "\x1f" + hash);
}

std::string BoundaryMac(const security::KeyRing& k, std::int64_t keyed_from) {
  return k.AuditMac("keyed_from\x1f" + std::to_string(keyed_from));
}

Result<std::shared_ptr<const security::KeyRing>> RequireKey() {
  auto k = AuditChainKey::Get();
  if (!k) return Status::Internal("audit chain key not installed");
  return k;
}

// Chains `entries` after the entry (seq, prev): each one's seq, prev_hash and MAC; leaves the last seq and hash in
// seq and prev.
void Chain(const security::KeyRing& keys, const std::vector<AuditEntry*>& entries, std::int64_t& seq,
           std::string& prev) {
  for (AuditEntry* e : entries) {
    e->seq = ++seq;
    e->prev_hash = prev;
    e->hash = AuditRepo::ComputeMac(keys, *e);
    prev = e->hash;
  }
}

// An entry's values in kCols order.
void AddValues(const AuditEntry& e, Params& p) {
  for (Value& v : Params{e.seq, e.at, OptInt(e.actor_id), TextOrNull(e.actor_name), TextOrNull(e.actor_unit_path),
                         e.action, TextOrNull(e.object_type), TextOrNull(e.object_id), TextOrNull(e.object_unit_path),
                         TextOrNull(e.purpose), TextOrNull(e.client_ip), TextOrNull(e.before_json),
                         TextOrNull(e.after_json), e.prev_hash, e.hash}) {
    p.push_back(std::move(v));
  }
}

}  // namespace

void AuditChainKey::Install(const security::KeyRing& keys) {
  std::lock_guard<std::mutex> lock(g_key_mu);
  g_key = std::make_shared<const security::KeyRing>(keys);
}

std::shared_ptr<const security::KeyRing> AuditChainKey::Get() {
  std::lock_guard<std::mutex> lock(g_key_mu);
  return g_key;
}

std::string AuditRepo::ComputeHash(const AuditEntry& e) { return security::HashHex(Canonical(e)); }

std::string AuditRepo::ComputeMac(const security::KeyRing& keys, const AuditEntry& e) {
  return keys.AuditMac(Canonical(e));
}

Status AuditRepo::SealBoundary() {
  if (!c_.InTransaction()) return Status::Internal("audit seal outside a transaction");
  TH_ASSIGN_OR_RETURN(auto keys, RequireKey());
  TH_ASSIGN_OR_RETURN(auto head, c_.Query("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash, keyed_from"));
  if (head.empty()) return Status::Internal("audit_head row missing");
  if (!head[0].IsNull(2)) return Status::Ok();
  const std::int64_t seq = head[0].Int(0);
  return c_.Execute("UPDATE audit_head SET keyed_from = $1, keyed_from_mac = $2, head_mac = $3 WHERE id = 1",
                    {seq + 1, BoundaryMac(*keys, seq + 1), HeadMac(*keys, seq, head[0].Text(1))})
      .status();
}

Result<AuditCheckpoint> AuditRepo::Head() {
  TH_ASSIGN_OR_RETURN(auto head, c_.Query("SELECT seq, hash FROM audit_head WHERE id = 1"));
  if (head.empty()) return Status::Internal("audit_head row missing");
  return AuditCheckpoint{head[0].Int(0), head[0].Text(1)};
}

Status AuditRepo::Append(AuditEntry& e) { return AppendMany({&e}); }

Status AuditRepo::AppendMany(std::vector<AuditEntry*> entries) {
  if (!c_.InTransaction()) return Status::Internal("audit append outside a transaction");
  if (entries.empty()) return Status::Ok();
  const auto n = static_cast<std::int64_t>(entries.size());
  // UPDATE ... RETURNING takes the row lock first (PostgreSQL), so the read of the previous
  // hash and the write of the new one cannot interleave with another writer. The group takes
  // seqs head+1 .. head+n.
  TH_ASSIGN_OR_RETURN(auto keys, RequireKey());
  TH_ASSIGN_OR_RETURN(auto head, c_.Query("UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash, "
                                          "keyed_from",
                                          {n}));
  if (head.empty()) return Status::Internal("audit_head row missing");
  std::int64_t seq = head[0].Int(0) - n;
  std::string prev = head[0].Text(1);
  // A database never opened with a key starts keying with this group.
  const bool seal = head[0].IsNull(2);
  const std::int64_t keyed_from = seal ? seq + 1 : head[0].Int(2);
  Chain(*keys, entries, seq, prev);
  // Rows per INSERT: powers of two up to 16 (15 parameters each), so a few statement texts.
  constexpr std::size_t kNumCols = 15;
  for (std::size_t start = 0; start < entries.size();) {
    std::size_t rows = 1;
    while (rows * 2 <= entries.size() - start && rows * 2 <= 16) rows *= 2;
    std::string sql = std::string("INSERT INTO audit_log (") + kCols + ") VALUES ";
    Params p;
    for (std::size_t i = 0; i < rows; ++i) {
      const AuditEntry& e = *entries[start + i];
      sql += i ? ", (" : "(";
      for (std::size_t k = 0; k < kNumCols; ++k) {
        sql += (k ? ", $" : "$") + std::to_string(i * kNumCols + k + 1);
      }
      sql += ')';
      AddValues(e, p);
    }
    TH_RETURN_IF_ERROR(c_.Execute(sql, p).status());
    start += rows;
  }
  if (seal) {
    return c_.Execute("UPDATE audit_head SET hash = $1, head_mac = $2, keyed_from = $3, keyed_from_mac = $4 "
                      "WHERE id = 1",
                      {prev, HeadMac(*keys, seq, prev), keyed_from, BoundaryMac(*keys, keyed_from)})
        .status();
  }
  return c_.Execute("UPDATE audit_head SET hash = $1, head_mac = $2 WHERE id = 1", {prev, HeadMac(*keys, seq, prev)})
      .status();
}

Result<bool> AuditRepo::AppendAfter(const AuditCheckpoint& head, std::vector<AuditEntry*> entries) {
  if (c_.dialect().engine() != storage::Engine::kPostgres) return Status::Internal("audit AppendAfter needs PostgreSQL");
  if (c_.InTransaction()) return Status::Internal("audit AppendAfter inside a transaction");
  if (entries.empty()) return true;
  TH_ASSIGN_OR_RETURN(auto keys, RequireKey());
  std::int64_t seq = head.seq;
  std::string prev = head.hash;
  Chain(*keys, entries, seq, prev);
  // The head moves only from `head` (and only on a sealed chain: the first keyed group goes through AppendMany);
  // a data-modifying WITH runs once, and its RETURNING row is what lets the rows in. Statement texts by group size
  // (at most AuditQueue's 64), so a few prepared statements.
  Params p{seq, prev, HeadMac(*keys, seq, prev), head.seq, head.hash};
  std::string sql =
      "WITH h AS (UPDATE audit_head SET seq = $1, hash = $2, head_mac = $3 WHERE id = 1 AND seq = $4 AND hash = $5 "
      "AND keyed_from IS NOT NULL RETURNING 1) INSERT INTO audit_log (";
  sql += kCols;
  sql += ") SELECT v.* FROM (VALUES ";
  constexpr std::size_t kNumCols = 15;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const AuditEntry& e = *entries[i];
    const std::size_t base = p.size();
    sql += i ? ", (" : "(";
    for (std::size_t k = 0; k < kNumCols; ++k) {
      sql += (k ? ", $" : "$") + std::to_string(base + k + 1) + (k < 3 ? "::BIGINT" : "::TEXT");  // seq, at, actor_id
    }
    sql += ')';
    AddValues(e, p);
  }
  sql += ") AS v WHERE EXISTS (SELECT 1 FROM h)";
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute(sql, p));
  if (n == static_cast<std::int64_t>(entries.size())) return true;
  if (n == 0) return false;
  return Status::Internal("audit AppendAfter wrote " + std::to_string(n) + " of " + std::to_string(entries.size()) +
                          " rows");
}

Result<std::map<std::int64_t, std::string>> AuditRepo::NamesOf(const std::string& kind,
                                                                 const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, std::string> out;
  const char* sql = kind == "user"       ? "SELECT id, display_name FROM app_user WHERE id IN ("
                    : kind == "org_unit" ? "SELECT id, name FROM org_unit WHERE id IN ("
                    : kind == "agency"   ? "SELECT id, name FROM agency WHERE id IN ("
                    : kind == "child"    ? "SELECT id, name FROM child WHERE id IN ("
                                         : nullptr;
  if (!sql || ids.empty()) return out;
  constexpr std::size_t kChunk = 200;
  for (std::size_t start = 0; start < ids.size(); start += kChunk) {
    Params p;
    std::string q = sql;
    for (std::size_t i = start; i < ids.size() && i < start + kChunk; ++i) {
      p.push_back(ids[i]);
      q += (p.size() > 1 ? ", $" : "$") + std::to_string(p.size());
    }
    TH_ASSIGN_OR_RETURN(auto rows, c_.Query(q + ")", p));
    for (const Row& r : rows.rows) out[r.Int(0)] = r.Text(1);
  }
  return out;
}

Result<std::vector<AuditEntry>> AuditRepo::List(const AuditFilter& f, const Page& page, std::int64_t* total) {
  std::string where = " FROM audit_log WHERE 1 = 1";
  Params p;
  auto next = [&p]() { return "$" + std::to_string(p.size()); };
  if (!f.path_prefix.empty()) {
    p.push_back(f.path_prefix + "%");
    where += " AND (actor_unit_path LIKE " + next() + " OR object_unit_path LIKE " + next() + ")";
  }
  if (f.actor_id) {
    p.push_back(*f.actor_id);
    where += " AND actor_id = " + next();
  }
  if (!f.actor.empty()) {
    // Through the users' index on actor_id: the log itself is never scanned by name.
    p.push_back("%" + LikeEscape(f.actor) + "%");
    where += " AND actor_id IN (SELECT id FROM app_user WHERE display_name LIKE " + next() +
             " ESCAPE '\\' OR username LIKE " + next() + " ESCAPE '\\')";
  }
  if (!f.action.empty()) {
    if (f.action.back() == '.') {
      p.push_back(f.action + "%");
      where += " AND action LIKE " + next();
    } else {
      p.push_back(f.action);
      where += " AND action = " + next();
    }
  }
  if (!f.object_type.empty()) {
    p.push_back(f.object_type);
    where += " AND object_type = " + next();
  }
  if (!f.object_id.empty()) {
    p.push_back(f.object_id);
    where += " AND object_id = " + next();
  }
  if (f.from) {
    p.push_back(*f.from);
    where += " AND at >= " + next();
  }
  if (f.to) {
    p.push_back(*f.to);
    where += " AND at < " + next();
  }
  TH_ASSIGN_OR_RETURN(auto count, c_.Query("SELECT COUNT(*)" + where, p));
  *total = count[0].Int(0);
  p.push_back(page.page_size);
  std::string lim = next();
  p.push_back(page.Offset());
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kCols + where + " ORDER BY seq DESC LIMIT " +
                                              lim + " OFFSET " + next(),
                                          p));
  std::vector<AuditEntry> out;
  out.reserve(rows.size());
  for (const Row& r : rows.rows) out.push_back(ReadEntry(r));
  return out;
}

Result<AuditVerifyResult> AuditRepo::Verify(const std::vector<AuditCheckpoint>& checkpoints) {
  TH_ASSIGN_OR_RETURN(auto keys, RequireKey());
  AuditVerifyResult res;
  auto fail = [&res](std::int64_t seq, std::string reason) {
    res.ok = false;
    res.first_bad_seq = seq;
    res.reason = std::move(reason);
    return res;
  };
  TH_ASSIGN_OR_RETURN(auto head, c_.Query("SELECT seq, hash, keyed_from, keyed_from_mac, head_mac FROM audit_head "
                                          "WHERE id = 1"));
  if (head.empty()) return fail(1, "audit_head row missing");
  if (head[0].IsNull(2)) return fail(1, "chain not keyed (keyed_from cleared, or never opened with the key)");
  const std::int64_t keyed_from = head[0].Int(2);
  if (head[0].IsNull(3) || !security::SafeEquals(head[0].Text(3), BoundaryMac(*keys, keyed_from))) {
    return fail(keyed_from, "keyed boundary altered (or another key file)");
  }
  std::map<std::int64_t, std::string> cps;
  for (const auto& cp : checkpoints) cps[cp.seq] = cp.hash;
  std::string prev = "0000000000000000000000000000000000000000000000000000000000000000";
  std::int64_t expect_seq = 1;
  const std::int64_t kBatch = 5000;
  std::int64_t after = 0;
  for (;;) {
    TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kCols +
                                                " FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
                                            {after, kBatch}));
    for (const Row& r : rows.rows) {
      AuditEntry e = ReadEntry(r);
      ++res.checked;
      if (e.seq != expect_seq) return fail(expect_seq, "missing entry " + std::to_string(expect_seq));
      const std::string want = e.seq < keyed_from ? ComputeHash(e) : ComputeMac(*keys, e);
      if (e.prev_hash != prev) return fail(e.seq, "chain broken");
      if (!security::SafeEquals(want, e.hash)) return fail(e.seq, "entry altered");
      if (auto cp = cps.find(e.seq); cp != cps.end() && cp->second != e.hash) {
        return fail(e.seq, "entry differs from checkpoint");
      }
      prev = e.hash;
      ++expect_seq;
      after = e.seq;
    }
    if (static_cast<std::int64_t>(rows.size()) < kBatch) break;
  }
  const std::int64_t last = expect_seq - 1;
  if (!cps.empty() && cps.rbegin()->first > last) {
    return fail(last + 1, "entries removed from the end (checkpoint at " + std::to_string(cps.rbegin()->first) + ")");
  }
  if (head[0].Int(0) != last || head[0].Text(1) != prev) return fail(expect_seq, "entries removed from the end (head mismatch)");
  if (head[0].IsNull(4) || !security::SafeEquals(head[0].Text(4), HeadMac(*keys, last, prev))) {
    return fail(expect_seq, "head altered");
  }
  return res;
}

}  // namespace th::repo
