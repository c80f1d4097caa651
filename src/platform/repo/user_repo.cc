#include "platform/repo/user_repo.h"

#include "platform/repo/sql_values.h"

namespace th::repo {

using storage::Blob;
using storage::Params;
using storage::Row;
using storage::Value;

namespace {

constexpr const char* kUserCols =
    "u.id, u.username, u.display_name, u.role, u.org_unit_id, u.agency_id, u.phone_enc, u.phone_bidx, "
    "u.phone_masked, u.password_hash, u.must_change_password, u.disabled, u.failed_count, u.first_failed_at, "
    "u.locked_until, u.last_login_at, u.password_changed_at, u.version, u.created_at, u.updated_at, "
    "o.name, o.code, o.path, o.level";
constexpr const char* kUserFrom = " FROM app_user u JOIN org_unit o ON o.id = u.org_unit_id";

User ReadUser(const Row& r) {
  User u;
  u.id = r.Int(0);
  u.username = r.Text(1);
  u.display_name = r.Text(2);
  u.role = r.Text(3);
  u.org_unit_id = r.Int(4);
  u.agency_id = r.OptInt(5);
  u.phone_enc = r.Text(6);
  u.phone_bidx = r.Text(7);
  u.phone_masked = r.Text(8);
  u.password_hash = r.Text(9);
  u.must_change_password = r.Int(10) != 0;
  u.disabled = r.Int(11) != 0;
  u.failed_count = r.Int(12);
  u.first_failed_at = r.OptInt(13);
  u.locked_until = r.OptInt(14);
  u.last_login_at = r.OptInt(15);
  u.password_changed_at = r.OptInt(16);
  u.version = r.Int(17);
  u.created_at = r.Int(18);
  u.updated_at = r.Int(19);
  u.org_unit_name = r.Text(20);
  u.org_unit_code = r.Text(21);
  u.org_unit_path = r.Text(22);
  u.org_unit_level = r.Text(23);
  return u;
}

}  // namespace

Result<User> UserRepo::Get(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kUserCols + kUserFrom + " WHERE u.id = $1", {id}));
  if (rows.empty()) return Status::NotFound("user");
  return ReadUser(rows[0]);
}

Result<User> UserRepo::GetByUsername(const std::string& username) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kUserCols + kUserFrom +
                                              " WHERE u.username = $1",
                                          {username}));
  if (rows.empty()) return Status::NotFound("user");
  return ReadUser(rows[0]);
}

Result<std::vector<User>> UserRepo::List(const UserFilter& f, const Page& page, std::int64_t* total) {
  std::string where = std::string(kUserFrom) + " WHERE o.path LIKE $1";
  Params p{f.path_prefix + "%"};
  if (f.org_unit_id) {
    p.push_back(*f.org_unit_id);
    where += " AND u.org_unit_id = $" + std::to_string(p.size());
  }
  if (!f.q.empty()) {
    p.push_back("%" + LikeEscape(f.q) + "%");
    std::string n = std::to_string(p.size());
    where += " AND (u.username LIKE $" + n + " ESCAPE '\\' OR u.display_name LIKE $" + n + " ESCAPE '\\')";
  }
  if (!f.role.empty()) {
    p.push_back(f.role);
    where += " AND u.role = $" + std::to_string(p.size());
  }
  TH_ASSIGN_OR_RETURN(auto count, c_.Query("SELECT COUNT(*)" + where, p));
  *total = count[0].Int(0);
  p.push_back(page.page_size);
  p.push_back(page.Offset());
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kUserCols + where + " ORDER BY u.id LIMIT $" +
                                              std::to_string(p.size() - 1) + " OFFSET $" +
                                              std::to_string(p.size()),
                                          p));
  std::vector<User> out;
  out.reserve(rows.size());
  for (const Row& r : rows.rows) out.push_back(ReadUser(r));
  return out;
}

Status UserRepo::Insert(User& u) {
  TH_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query("INSERT INTO app_user (username, display_name, role, org_unit_id, agency_id, phone_enc, phone_bidx, "
               "phone_masked, password_hash, must_change_password, disabled, failed_count, version, created_at, "
               "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, 0, 1, $11, $11) RETURNING id",
               {u.username, u.display_name, u.role, u.org_unit_id, OptInt(u.agency_id), BlobOrNull(u.phone_enc),
                TextOrNull(u.phone_bidx), TextOrNull(u.phone_masked), u.password_hash,
                static_cast<std::int64_t>(u.must_change_password), u.created_at}));
  u.id = rows[0].Int(0);
  u.version = 1;
  u.updated_at = u.created_at;
  return Status::Ok();
}

Status UserRepo::UpdateProfile(const User& u, std::int64_t now) {
  TH_ASSIGN_OR_RETURN(
      auto n,
      c_.Execute("UPDATE app_user SET display_name = $1, role = $2, org_unit_id = $3, agency_id = $4, phone_enc = $5, "
                 "phone_bidx = $6, phone_masked = $7, version = version + 1, updated_at = $8 "
                 "WHERE id = $9 AND version = $10",
                 {u.display_name, u.role, u.org_unit_id, OptInt(u.agency_id), BlobOrNull(u.phone_enc),
                  TextOrNull(u.phone_bidx), TextOrNull(u.phone_masked), now, u.id, u.version}));
  return n == 0 ? Status::Stale() : Status::Ok();
}

Status UserRepo::UpdateSecurity(const User& u, std::int64_t now) {
  TH_ASSIGN_OR_RETURN(
      auto n,
      c_.Execute("UPDATE app_user SET password_hash = $1, must_change_password = $2, disabled = $3, failed_count = $4, "
                 "first_failed_at = $5, locked_until = $6, last_login_at = $7, password_changed_at = $8, "
                 "version = version + 1, updated_at = $9 WHERE id = $10",
                 {u.password_hash, static_cast<std::int64_t>(u.must_change_password),
                  static_cast<std::int64_t>(u.disabled), u.failed_count, OptInt(u.first_failed_at),
                  OptInt(u.locked_until), OptInt(u.last_login_at), OptInt(u.password_changed_at), now, u.id}));
  return n == 0 ? Status::NotFound("user") : Status::Ok();
}

Result<std::int64_t> UserRepo::CountAll() {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT COUNT(*) FROM app_user"));
  return rows[0].Int(0);
}

Status UserRepo::InsertSession(const Session& s) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("INSERT INTO user_session (token_hash, user_id, csrf_token, created_at, "
                                         "last_seen_at, expires_at, client_ip, user_agent) VALUES "
                                         "($1, $2, $3, $4, $5, $6, $7, $8)",
                                         {s.token_hash, s.user_id, s.csrf_token, s.created_at, s.last_seen_at,
                                          s.expires_at, TextOrNull(s.client_ip), TextOrNull(s.user_agent)}));
  (void)n;
  return Status::Ok();
}

Result<std::optional<Session>> UserRepo::GetSession(const std::string& token_hash) {
  TH_ASSIGN_OR_RETURN(auto rows,
                      c_.Query("SELECT token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, "
                               "client_ip, user_agent FROM user_session WHERE token_hash = $1",
                               {token_hash}));
  if (rows.empty()) return std::optional<Session>();
  const Row& r = rows[0];
  Session s;
  s.token_hash = r.Text(0);
  s.user_id = r.Int(1);
  s.csrf_token = r.Text(2);
  s.created_at = r.Int(3);
  s.last_seen_at = r.Int(4);
  s.expires_at = r.Int(5);
  s.client_ip = r.Text(6);
  s.user_agent = r.Text(7);
  return std::optional<Session>(std::move(s));
}

Result<std::optional<std::pair<Session, User>>> UserRepo::GetSessionWithUser(const std::string& token_hash) {
  using Out = std::optional<std::pair<Session, User>>;
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kUserCols +
                                              ", s.token_hash, s.csrf_token, s.created_at, s.last_seen_at, "
                                              "s.expires_at FROM user_session s JOIN app_user u ON u.id = s.user_id "
                                              "JOIN org_unit o ON o.id = u.org_unit_id WHERE s.token_hash = $1",
                                          {token_hash}));
  if (rows.empty()) return Out();
  const Row& r = rows[0];
  User u = ReadUser(r);
  Session s;
  s.user_id = u.id;
  s.token_hash = r.Text(24);
  s.csrf_token = r.Text(25);
  s.created_at = r.Int(26);
  s.last_seen_at = r.Int(27);
  s.expires_at = r.Int(28);
  return Out(std::make_pair(std::move(s), std::move(u)));
}

Status UserRepo::TouchSession(const std::string& token_hash, std::int64_t now) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE user_session SET last_seen_at = $1 WHERE token_hash = $2",
                                         {now, token_hash}));
  (void)n;
  return Status::Ok();
}

Status UserRepo::DeleteSession(const std::string& token_hash) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("DELETE FROM user_session WHERE token_hash = $1", {token_hash}));
  (void)n;
  return Status::Ok();
}

Status UserRepo::DeleteOtherSessions(std::int64_t user_id, const std::string& keep_token_hash) {
  return c_.Execute("DELETE FROM user_session WHERE user_id = $1 AND token_hash <> $2", {user_id, keep_token_hash})
      .status();
}

Status UserRepo::DeleteUserSessions(std::int64_t user_id) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("DELETE FROM user_session WHERE user_id = $1", {user_id}));
  (void)n;
  return Status::Ok();
}

Status UserRepo::DeleteExpiredSessions(std::int64_t now) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("DELETE FROM user_session WHERE expires_at <= $1", {now}));
  (void)n;
  return Status::Ok();
}

}  // namespace th::repo
