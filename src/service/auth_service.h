#pragma once
// Login, sessions, logout, own password. Sessions live in the database (several servers can
// share one PostgreSQL); the browser holds only a random token, the database its hash.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "service/deps.h"

namespace th::service {

struct LoginResult {
  std::string token;  // goes into the session cookie
  Principal principal;
};

class AuthService {
 public:
  explicit AuthService(Deps& deps);

  // Checks the password (argon2id, capped concurrency), applies IP throttling and account
  // lockout, records the outcome in the audit log and opens a session.
  // Errors: invalid_credentials (401), account_locked (423), account_disabled (401),
  // too_many_requests (429, per-IP limit or hashing capacity exhausted).
  Result<LoginResult> Login(const std::string& username, const std::string& password, const std::string& client_ip,
                            const std::string& user_agent);
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

 private:
  // Acquires a hashing slot or fails fast when too many wait.
  Status AcquireHashSlot();
  void ReleaseHashSlot();
  bool VerifyCapped(const std::string& password, const std::string& phc, Status* error);
  bool IpAllowed(const std::string& ip, std::int64_t now);

  Deps& deps_;
  std::string dummy_hash_;  // verified against for unknown users, so timing does not reveal them

  std::mutex hash_mu_;
  std::condition_variable hash_cv_;
  int hash_running_ = 0;
  int hash_waiting_ = 0;
  int hash_cap_ = 1;

  std::mutex ip_mu_;
  std::unordered_map<std::string, std::deque<std::int64_t>> ip_attempts_;
};

}  // namespace th::service
