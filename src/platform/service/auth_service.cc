#include "platform/service/auth_service.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "base/json_writer.h"
#include "platform/repo/org_repo.h"
#include "platform/repo/user_repo.h"
#include "platform/service/roles.h"
#include "platform/service/session_cache.h"

namespace th::service {

namespace {

Status InvalidCredentials() {
  return Status::Error(Code::kUnauthenticated, "invalid_credentials", "用户名或密码错误",
                       "Wrong username or password");
}

}  // namespace

AuthService::AuthService(Deps& deps, const RoleTable& roles) : deps_(deps), roles_(roles) {
  int cores = static_cast<int>(std::thread::hardware_concurrency());
  hash_cap_ = deps_.options.max_concurrent_hashes > 0 ? deps_.options.max_concurrent_hashes
                                                       : std::max(1, cores - 1);
  auto h = security::HashPassword(security::RandomToken(16), deps_.options.password_cost);
  if (h.ok()) dummy_hash_ = *h;
}

Status AuthService::AcquireHashSlot(std::int64_t queued_ms) {
  auto busy = [] {
    return Status::Error(Code::kUnavailable, kBusyCode, "登录的人较多，请稍候几秒再试",
                         "Many people are logging in right now; try again in a few seconds");
  };
  std::unique_lock lock(hash_mu_);
  if (hash_queue_.empty() && hash_running_ < hash_cap_) {
    ++hash_running_;
    return Status::Ok();
  }
  const std::int64_t budget_ms = deps_.options.hash_wait_ms - queued_ms;
  if (budget_ms <= 0 || static_cast<int>(hash_queue_.size()) >= deps_.options.max_hash_waiters) return busy();
  // First come, first served: a ticket leaves the queue only from the front.
  const std::uint64_t ticket = next_ticket_++;
  hash_queue_.push_back(ticket);
  bool got = hash_cv_.wait_for(lock, std::chrono::milliseconds(budget_ms), [&] {
    return hash_running_ < hash_cap_ && hash_queue_.front() == ticket;
  });
  if (!got) {
    hash_queue_.erase(std::find(hash_queue_.begin(), hash_queue_.end(), ticket));
    lock.unlock();
    hash_cv_.notify_all();  // the next ticket may now be at the front
    return busy();
  }
  hash_queue_.pop_front();
  ++hash_running_;
  lock.unlock();
  hash_cv_.notify_all();
  return Status::Ok();
}

int AuthService::RetryAfterSeconds(const Status& s) const {
  if (s.error_code() == kBusyCode) return 2;
  return static_cast<int>(std::max<std::int64_t>(1, deps_.options.ip_window_ms / 1000 / 5));
}

void AuthService::ReleaseHashSlot() {
  {
    std::lock_guard lock(hash_mu_);
    --hash_running_;
  }
  hash_cv_.notify_all();  // waiters check whether their ticket is at the front
}

bool AuthService::VerifyCapped(const std::string& password, const std::string& phc, Status* error,
                               std::int64_t queued_ms) {
  Status s = AcquireHashSlot(queued_ms);
  if (!s.ok()) {
    *error = s;
    return false;
  }
  bool ok = security::VerifyPassword(password, phc);
  ReleaseHashSlot();
  return ok;
}

Result<std::string> AuthService::HashPassword(const std::string& password) {
  TH_RETURN_IF_ERROR(AcquireHashSlot());
  auto h = security::HashPassword(password, deps_.options.password_cost);
  ReleaseHashSlot();
  return h;
}

bool AuthService::Allow(std::unordered_map<std::string, std::deque<std::int64_t>>& table, const std::string& key,
                        int limit, std::int64_t now) {
  if (table.size() > 100000) table.clear();  // bound memory under a spray of addresses or names
  auto& q = table[key];
  while (!q.empty() && q.front() <= now - deps_.options.ip_window_ms) q.pop_front();
  if (static_cast<int>(q.size()) >= limit) return false;
  q.push_back(now);
  return true;
}

Status AuthService::CheckPolicy(const std::string& username, const std::string& password, const std::string& field) {
  bool letter = false, digit = false;
  for (unsigned char c : password) {
    letter |= std::isalpha(c) != 0;
    digit |= std::isdigit(c) != 0;
  }
  if (password.size() < 10 || !letter || !digit) {
    return Status::Invalid(field, "weak_password", "密码至少10位，且须同时包含字母和数字",
                           "Password needs at least 10 characters with both letters and digits");
  }
  if (password.size() > 128) {
    return Status::Invalid(field, "weak_password", "密码不能超过128位", "Password must be at most 128 characters");
  }
  if (password == username) {
    return Status::Invalid(field, "weak_password", "密码不能与用户名相同", "Password must differ from the username");
  }
  return Status::Ok();
}

// Long: the login sequence (throttles, hashing slot, lockout, session, audit) must stay in this order to keep its timing and lockout guarantees.
Result<LoginResult> AuthService::Login(const std::string& username, const std::string& password,
                                       const std::string& client_ip, const std::string& user_agent,
                                       std::int64_t queued_ms) {
  const std::int64_t now = deps_.clock.NowMillis();
  if (username.empty() || username.size() > 64 || password.size() > 1024) return InvalidCredentials();
  bool allowed = false;
  {
    std::lock_guard lock(ip_mu_);
    // The username counts only when the address may try, so a blocked address cannot use up
    // another person's attempts.
    allowed = Allow(ip_attempts_, client_ip, deps_.options.login_ip_limit, now) &&
              Allow(user_attempts_, username, deps_.options.login_user_limit, now);
  }
  if (!allowed) {
    (void)InTransaction(deps_.db, [&](storage::Connection& c) {
      return WriteAudit(c, deps_.clock, nullptr, client_ip,
                        {"auth.throttled", "user", "", "", "", JsonObjectWriter().Str("username", username).Finish(), ""});
    });
    return Status::Error(Code::kTooManyRequests, "too_many_requests", "尝试次数过多，请稍后再试",
                         "Too many attempts for this account or from this address; try again later");
  }

  repo::User user;
  bool found = false;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    auto u = repo::UserRepo(*h).GetByUsername(username);
    if (u.ok()) {
      user = std::move(u).value();
      found = true;
    } else if (u.status().code() != Code::kNotFound) {
      return u.status();
    }
  }
  Status hash_error;
  if (!found) {
    (void)VerifyCapped(password, dummy_hash_, &hash_error, queued_ms);
    if (!hash_error.ok()) return hash_error;
    TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
      return WriteAudit(c, deps_.clock, nullptr, client_ip,
                        {"auth.login_failed", "user", "", "",
                         "", JsonObjectWriter().Str("username", username).Str("reason", "unknown_user").Finish(), ""});
    }));
    return InvalidCredentials();
  }
  const std::string uid = std::to_string(user.id);
  if (user.locked_until && *user.locked_until > now) {
    TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
      return WriteAudit(c, deps_.clock, nullptr, client_ip,
                        {"auth.login_failed", "user", uid, user.org_unit_path, "",
                         JsonObjectWriter().Str("username", username).Str("reason", "locked").Finish(), ""});
    }));
    return Status::Error(Code::kLocked, "account_locked", "账户因多次密码错误已被锁定，请稍后再试或联系管理员解锁",
                         "The account is locked after repeated failures; try later or ask an administrator");
  }
  bool ok = VerifyCapped(password, user.password_hash, &hash_error, queued_ms);
  if (!hash_error.ok()) return hash_error;
  if (!ok) {
    bool locked_now = false;
    TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
      // Re-read inside the transaction so concurrent failures count correctly.
      TH_ASSIGN_OR_RETURN(repo::User u, repo::UserRepo(c).Get(user.id));
      if (!u.first_failed_at || *u.first_failed_at <= now - deps_.options.failure_window_ms) {
        u.failed_count = 0;
        u.first_failed_at = now;
      }
      ++u.failed_count;
      if (u.failed_count >= deps_.options.max_failed_logins) {
        u.locked_until = now + deps_.options.lockout_ms;
        u.failed_count = 0;
        u.first_failed_at.reset();
        locked_now = true;
      }
      TH_RETURN_IF_ERROR(repo::UserRepo(c).UpdateSecurity(u, now));
      TH_RETURN_IF_ERROR(WriteAudit(c, deps_.clock, nullptr, client_ip,
                                    {"auth.login_failed", "user", uid, user.org_unit_path, "",
                                     JsonObjectWriter().Str("username", username).Str("reason", "wrong_password").Finish(),
                                     ""}));
      if (locked_now) {
        TH_RETURN_IF_ERROR(WriteAudit(c, deps_.clock, nullptr, client_ip,
                                      {"auth.locked", "user", uid, user.org_unit_path, "",
                                       JsonObjectWriter().Str("username", username).Int("locked_until", *u.locked_until).Finish(),
                                       ""}));
      }
      return Status::Ok();
    }));
    if (locked_now) {
      return Status::Error(Code::kLocked, "account_locked", "密码错误次数过多，账户已被锁定15分钟",
                           "Too many wrong passwords; the account is locked for 15 minutes");
    }
    return InvalidCredentials();
  }
  if (user.disabled) {
    TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
      return WriteAudit(c, deps_.clock, nullptr, client_ip,
                        {"auth.login_failed", "user", uid, user.org_unit_path, "",
                         JsonObjectWriter().Str("username", username).Str("reason", "disabled").Finish(), ""});
    }));
    return Status::Error(Code::kUnauthenticated, "account_disabled", "账户已停用，请联系管理员",
                         "The account is disabled; contact an administrator");
  }

  LoginResult out;
  out.token = security::RandomToken(32);
  repo::Session s;
  s.token_hash = security::HashHex(out.token);
  s.user_id = user.id;
  s.csrf_token = security::RandomToken(24);
  s.created_at = now;
  s.last_seen_at = now;
  s.expires_at = now + deps_.options.session_absolute_ms;
  s.client_ip = client_ip;
  s.user_agent = user_agent.substr(0, 256);
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    repo::UserRepo users(c);
    TH_ASSIGN_OR_RETURN(repo::User u, users.Get(user.id));
    u.failed_count = 0;
    u.first_failed_at.reset();
    u.locked_until.reset();
    u.last_login_at = now;
    TH_RETURN_IF_ERROR(users.UpdateSecurity(u, now));
    TH_RETURN_IF_ERROR(users.InsertSession(s));
    // Occasional housekeeping; cheap with the expires index absent because sessions are few.
    if (now % 50 == 0) TH_RETURN_IF_ERROR(users.DeleteExpiredSessions(now));
    Principal p;
    p.user_id = u.id;
    p.username = u.username;
    p.display_name = u.display_name;
    p.org_path = u.org_unit_path;
    return WriteAudit(c, deps_.clock, &p, client_ip, {"auth.login", "user", uid, u.org_unit_path, "", "", ""});
  }));
  TH_ASSIGN_OR_RETURN(out.principal, Authenticate(out.token, client_ip));
  return out;
}

Result<Principal> AuthService::Authenticate(const std::string& token, const std::string& client_ip) {
  if (token.empty() || token.size() > 128) return Status::Unauthenticated();
  const std::int64_t now = deps_.clock.NowMillis();
  const std::string hash = security::HashHex(token);
  if (deps_.sessions) {
    if (auto c = deps_.sessions->Get(hash, now);
        c && now < c->expires_at && now - c->last_seen_db < deps_.options.session_idle_ms) {
      c->principal.client_ip = client_ip;
      return std::move(c->principal);
    }
  }
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  repo::UserRepo users(*h);
  TH_ASSIGN_OR_RETURN(auto found, users.GetSessionWithUser(hash));
  if (!found) return Status::Unauthenticated();
  const repo::Session* session = &found->first;
  const repo::User* user = &found->second;
  if (now >= session->expires_at || now - session->last_seen_at >= deps_.options.session_idle_ms) {
    (void)users.DeleteSession(hash);
    return Status::Error(Code::kUnauthenticated, "session_expired", "会话已过期，请重新登录",
                         "Your session expired; please log in again");
  }
  if (user->disabled) {
    (void)users.DeleteSession(hash);
    return Status::Unauthenticated();
  }
  if (now - session->last_seen_at >= deps_.options.session_touch_ms) {
    TH_RETURN_IF_ERROR(users.TouchSession(hash, now));
  }
  Principal p;
  p.user_id = user->id;
  p.username = user->username;
  p.display_name = user->display_name;
  p.role = user->role;
  if (const Role* r = roles_.Find(user->role)) p.permissions = r->permissions;
  p.org_unit_id = user->org_unit_id;
  p.agency_id = user->agency_id;
  p.org_path = user->org_unit_path;
  p.org_name = user->org_unit_name;
  p.org_code = user->org_unit_code;
  p.org_level = user->org_unit_level;
  p.must_change_password = user->must_change_password;
  p.session_hash = hash;
  p.csrf_token = session->csrf_token;
  p.client_ip = client_ip;
  // Path names for display, cached with the session.
  TH_ASSIGN_OR_RETURN(p.org_path_names, repo::OrgRepo(*h).PathNames(p.org_path));
  if (deps_.sessions) {
    std::int64_t last_seen = now - session->last_seen_at >= deps_.options.session_touch_ms ? now : session->last_seen_at;
    deps_.sessions->Put(hash, {p, session->expires_at, last_seen, now});
  }
  return p;
}

Status AuthService::Logout(const Principal& who) {
  return InTransaction(deps_.db, [&](storage::Connection& c) {
    if (deps_.sessions) deps_.sessions->Erase(who.session_hash);
    TH_RETURN_IF_ERROR(repo::UserRepo(c).DeleteSession(who.session_hash));
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"auth.logout", "user", std::to_string(who.user_id), who.org_path, "", "", ""});
  });
}

Status AuthService::LogoutAll(const Principal& who) {
  return InTransaction(deps_.db, [&](storage::Connection& c) {
    if (deps_.sessions) deps_.sessions->EraseUser(who.user_id);
    TH_RETURN_IF_ERROR(repo::UserRepo(c).DeleteUserSessions(who.user_id));
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"auth.logout_all", "user", std::to_string(who.user_id), who.org_path, "", "", ""});
  });
}

Status AuthService::ChangePassword(const Principal& who, const std::string& old_password,
                                   const std::string& new_password) {
  TH_RETURN_IF_ERROR(CheckPolicy(who.username, new_password, "new_password"));
  if (new_password == old_password) {
    return Status::Invalid("new_password", "weak_password", "新密码不能与旧密码相同",
                           "The new password must differ from the old one");
  }
  repo::User user;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_ASSIGN_OR_RETURN(user, repo::UserRepo(*h).Get(who.user_id));
  }
  Status hash_error;
  if (!VerifyCapped(old_password, user.password_hash, &hash_error)) {
    if (!hash_error.ok()) return hash_error;
    return Status::Invalid("old_password", "invalid_credentials", "原密码错误", "The current password is wrong");
  }
  TH_ASSIGN_OR_RETURN(std::string phc, HashPassword(new_password));
  const std::int64_t now = deps_.clock.NowMillis();
  return InTransaction(deps_.db, [&](storage::Connection& c) {
    repo::UserRepo users(c);
    TH_ASSIGN_OR_RETURN(repo::User u, users.Get(who.user_id));
    u.password_hash = phc;
    u.must_change_password = false;
    u.password_changed_at = now;
    TH_RETURN_IF_ERROR(users.UpdateSecurity(u, now));
    if (deps_.sessions) deps_.sessions->EraseUser(who.user_id);
    // End every other session: a changed password should log out other devices.
    TH_RETURN_IF_ERROR(users.DeleteOtherSessions(who.user_id, who.session_hash));
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"user.password_change", "user", std::to_string(who.user_id), who.org_path, "", "", ""});
  });
}

}  // namespace th::service
