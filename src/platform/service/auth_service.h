#pragma once
// Login, sessions, logout, own password. Sessions live in the database (several servers can
// share one PostgreSQL); the browser holds only a random token, the database its hash.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "platform/service/deps.h"
#include "platform/service/roles.h"

namespace th::service {

struct LoginResult {
  std::string token;  // goes into the session cookie
  Principal principal;
};

class AuthService {
 public:
  // `roles` (the deployment's role table) must outlive the service.
  AuthService(Deps& deps, const RoleTable& roles);
  const RoleTable& roles() const { return roles_; }

  // Checks the password (argon2id; waits in a FIFO queue for one of the capped hashing slots),
  // applies the per-address and per-username throttles and account lockout, records the outcome
  // in the audit log and opens a session. May block up to options.hash_wait_ms: call it from an
  // offloaded route. Errors: invalid_credentials (401), account_locked (423), account_disabled
  // (401), too_many_requests (429, a throttle), login_busy (503, the hashing queue is full or the
  // wait ran out). RetryAfterSeconds says when to try again.
  static constexpr const char* kBusyCode = "login_busy";
  // `queued_ms`: how long the request already waited before the call (counts against the wait).
  Result<LoginResult> Login(const std::string& username, const std::string& password, const std::string& client_ip,
                            const std::string& user_agent, std::int64_t queued_ms = 0);
  // Resolves a session token to its principal; expired (idle or absolute) → unauthenticated.
  Result<Principal> Authenticate(const std::string& token, const std::string& client_ip);
  Status Logout(const Principal& who);
  Status LogoutAll(const Principal& who);
  // Verifies the old password, enforces the policy, clears must_change_password, ends the user's
  // other sessions.
  Status ChangePassword(const Principal& who, const std::string& old_password, const std::string& new_password);

  // Password policy: >= 10 chars, letters and digits, not the username. Errors name `field`.
  static Status CheckPolicy(const std::string& username, const std::string& password, const std::string& field);
  // Hashes with the configured cost under the concurrency cap (used by user admin too).
  Result<std::string> HashPassword(const std::string& password);
  // Seconds a client should wait after `s` (a 429 or 503 from Login), for the Retry-After header.
  int RetryAfterSeconds(const Status& s) const;

 private:
  // Acquires a hashing slot in arrival order, waiting at most hash_wait_ms; login_busy when the
  // queue is full or the wait runs out.
  Status AcquireHashSlot(std::int64_t queued_ms = 0);
  void ReleaseHashSlot();
  bool VerifyCapped(const std::string& password, const std::string& phc, Status* error, std::int64_t queued_ms = 0);
  // Counts an attempt for `key` in its window; false when the window already holds `limit`.
  bool Allow(std::unordered_map<std::string, std::deque<std::int64_t>>& table, const std::string& key, int limit,
             std::int64_t now);

  Deps& deps_;
  const RoleTable& roles_;
  std::string dummy_hash_;  // verified against for unknown users, so timing does not reveal them

  std::mutex hash_mu_;
  std::condition_variable hash_cv_;
  int hash_running_ = 0;
  int hash_cap_ = 1;
  std::deque<std::uint64_t> hash_queue_;  // tickets of waiting logins, oldest first
  std::uint64_t next_ticket_ = 0;

  std::mutex ip_mu_;  // guards both throttle tables
  std::unordered_map<std::string, std::deque<std::int64_t>> ip_attempts_;
  std::unordered_map<std::string, std::deque<std::int64_t>> user_attempts_;
};

}  // namespace th::service
