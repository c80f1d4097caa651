#pragma once
// SQL for app_user and user_session.
#include <vector>

#include "base/status.h"
#include "platform/repo/records.h"
#include "storage/connection.h"

namespace th::repo {

struct UserFilter {
  std::string path_prefix;  // required: the caller's subtree
  std::optional<std::int64_t> org_unit_id;
  std::string q;     // username or display name contains
  std::string role;  // exact
};

class UserRepo {
 public:
  explicit UserRepo(storage::Connection& c) : c_(c) {}

  Result<User> Get(std::int64_t id);
  Result<User> GetByUsername(const std::string& username);
  Result<std::vector<User>> List(const UserFilter& f, const Page& page, std::int64_t* total);
  // Inserts and fills id. Username taken → kConflict "duplicate".
  Status Insert(User& u);
  // Writes profile fields (display_name, role, org_unit_id, agency_id, phone_*) if `u.version`
  // matches; kConflict stale_version otherwise.
  Status UpdateProfile(const User& u, std::int64_t now);
  // Writes the security fields (password hash, flags, counters) unconditionally and bumps the version.
  Status UpdateSecurity(const User& u, std::int64_t now);
  Result<std::int64_t> CountAll();

  // Sessions.
  Status InsertSession(const Session& s);
  Result<std::optional<Session>> GetSession(const std::string& token_hash);
  // The session and its user (with org unit fields) in one query: the per-request hot path.
  Result<std::optional<std::pair<Session, User>>> GetSessionWithUser(const std::string& token_hash);
  Status TouchSession(const std::string& token_hash, std::int64_t now);
  Status DeleteSession(const std::string& token_hash);
  Status DeleteUserSessions(std::int64_t user_id);
  // Ends every session of `user_id` except the one whose token hash is `keep_token_hash`.
  Status DeleteOtherSessions(std::int64_t user_id, const std::string& keep_token_hash);
  Status DeleteExpiredSessions(std::int64_t now);

 private:
  storage::Connection& c_;
};

}  // namespace th::repo
