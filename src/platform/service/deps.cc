#include "platform/service/deps.h"

#include "platform/service/audit_many.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <vector>

#include "platform/repo/audit_repo.h"
#include "platform/repo/org_repo.h"
#include "platform/repo/user_repo.h"

namespace th::service {

namespace {

repo::AuditEntry MakeEntry(const Clock& clock, const Principal* who, const std::string& client_ip,
                           const AuditRecord& r) {
  repo::AuditEntry e;
  e.at = clock.NowMillis();
  if (who) {
    e.actor_id = who->user_id;
    e.actor_name = who->display_name.empty() ? who->username : who->display_name + "(" + who->username + ")";
    e.actor_unit_path = who->org_path;
  }
  e.client_ip = client_ip.empty() && who ? who->client_ip : client_ip;
  e.action = r.action;
  e.object_type = r.object_type;
  e.object_id = r.object_id;
  e.object_unit_path = r.object_unit_path;
  e.before_json = r.before;
  e.after_json = r.after;
  e.purpose = r.purpose;
  return e;
}

}  // namespace

Status WriteAudit(storage::Connection& c, const Clock& clock, const Principal* who, const std::string& client_ip,
                  const AuditRecord& r) {
  repo::AuditEntry e = MakeEntry(clock, who, client_ip, r);
  return repo::AuditRepo(c).Append(e);
}

Status WriteAudits(storage::Connection& c, const Clock& clock, const Principal* who, const std::string& client_ip,
                   const std::vector<AuditRecord>& records) {
  std::vector<repo::AuditEntry> entries;
  entries.reserve(records.size());
  for (const auto& r : records) entries.push_back(MakeEntry(clock, who, client_ip, r));
  std::vector<repo::AuditEntry*> ptrs;
  ptrs.reserve(entries.size());
  for (auto& e : entries) ptrs.push_back(&e);
  return repo::AuditRepo(c).AppendMany(std::move(ptrs));
}

Status InTransaction(storage::Database& db, const std::function<Status(storage::Connection&)>& fn) {
  TH_ASSIGN_OR_RETURN(auto handle, db.Acquire());
  storage::Transaction tx(*handle);
  TH_RETURN_IF_ERROR(tx.Begin());
  TH_RETURN_IF_ERROR(fn(*handle));
  return tx.Commit();
}

Status InTransactionRetrying(storage::Database& db, const std::function<Status(storage::Connection&)>& fn,
                             int attempts) {
  for (int i = 1;; ++i) {
    Status s = InTransaction(db, fn);
    if (s.ok() || s.error_code() != "write_conflict" || i >= attempts) return s;
    spdlog::info("transaction aborted by a write conflict ({}), attempt {} of {}", s.message_en(), i, attempts);
  }
}

Status AuditQueue::Append(const Principal& who, const AuditRecord& r) {
  Waiter w;
  w.who = &who;
  w.record = &r;
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(&w);
  while (!w.done && queue_.front() != &w) w.cv.wait(lock);
  if (w.done) return w.status;
  // First in line: write this entry and the ones queued behind it, up to kMaxGroup.
  const std::size_t n = std::min(queue_.size(), kMaxGroup);
  std::vector<Waiter*> group(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  lock.unlock();
  Status s = Write(group);
  lock.lock();
  for (Waiter* g : group) {
    queue_.pop_front();
    if (g != &w) {
      g->status = s;
      g->done = true;
      g->cv.notify_one();
    }
  }
  if (!queue_.empty()) queue_.front()->cv.notify_one();
  return s;
}

Status AuditQueue::Write(const std::vector<Waiter*>& group) {
  std::vector<repo::AuditEntry> entries;
  entries.reserve(group.size());
  for (Waiter* g : group) entries.push_back(MakeEntry(clock_, g->who, g->who->client_ip, *g->record));
  std::vector<repo::AuditEntry*> ptrs;
  for (auto& e : entries) ptrs.push_back(&e);
  TH_ASSIGN_OR_RETURN(auto h, db_.Acquire());
  const bool pg = h->dialect().engine() == storage::Engine::kPostgres;
  if (pg && head_) {
    auto written = repo::AuditRepo(*h).AppendAfter(*head_, ptrs);
    if (!written.ok()) head_.reset();
    TH_RETURN_IF_ERROR(written.status());
    if (*written) {
      head_ = repo::AuditCheckpoint{entries.back().seq, entries.back().hash};
      return Status::Ok();
    }
  }
  head_.reset();
  storage::Transaction tx(*h);
  TH_RETURN_IF_ERROR(tx.Begin());
  TH_RETURN_IF_ERROR(repo::AuditRepo(*h).AppendMany(ptrs));
  TH_RETURN_IF_ERROR(tx.Commit());
  if (pg) head_ = repo::AuditCheckpoint{entries.back().seq, entries.back().hash};
  return Status::Ok();
}

Result<repo::Page> MakePage(std::int64_t page, std::int64_t page_size) {
  if (page < 1 || page > repo::kMaxPage) {
    return Status::Invalid("page", "invalid_page", "页码须在1到100000之间", "page must be between 1 and 100000");
  }
  if (page_size < 1 || page_size > repo::kMaxPageSize) {
    return Status::Invalid("page_size", "invalid_page_size", "每页条数须在1到200之间",
                           "page_size must be between 1 and 200");
  }
  return repo::Page{page, page_size};
}

void LogScopeLeak(const Principal& who, const char* what, std::size_t dropped) {
  spdlog::error("scope: {} {} row(s) outside the jurisdiction of user {} dropped from a list", dropped, what,
                who.user_id);
}

Result<std::string> CoveredUnitPath(storage::Connection& c, const Principal& who, std::int64_t unit_id) {
  auto u = repo::OrgRepo(c).Get(unit_id);
  if (!u.ok() || !who.Covers(u->path)) return Status::NotFound("unit_id");
  return u->path;
}

}  // namespace th::service
