#pragma once
// Plain records the repositories read and write. Timestamps: epoch ms UTC.
#include <cstdint>
#include <optional>
#include <string>

namespace th::repo {

struct OrgUnit {
  std::int64_t id = 0;
  std::optional<std::int64_t> parent_id;
  std::string code;
  std::string name;
  std::string level;  // city, district, street, community, grid
  std::string path;   // "/1/5/12/": ids from the root, each followed by '/'
  bool retired = false;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t child_count = 0;  // filled by listings
};

struct Agency {
  std::int64_t id = 0;
  std::int64_t org_unit_id = 0;
  std::string org_unit_name;  // filled by listings
  std::string kind;
  std::string dept_type;
  std::string name;
  std::string contact;
  std::string phone;
  bool retired = false;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string role;
  std::int64_t org_unit_id = 0;
  std::optional<std::int64_t> agency_id;
  std::string phone_enc;   // sealed bytes
  std::string phone_bidx;
  std::string phone_masked;
  std::string password_hash;
  bool must_change_password = true;
  bool disabled = false;
  std::int64_t failed_count = 0;
  std::optional<std::int64_t> first_failed_at;
  std::optional<std::int64_t> locked_until;
  std::optional<std::int64_t> last_login_at;
  std::optional<std::int64_t> password_changed_at;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  // Joined from org_unit by listings and Get.
  std::string org_unit_name;
  std::string org_unit_code;
  std::string org_unit_path;
  std::string org_unit_level;
};

struct Session {
  std::string token_hash;
  std::int64_t user_id = 0;
  std::string csrf_token;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::int64_t expires_at = 0;
  std::string client_ip;
  std::string user_agent;
};

struct AuditEntry {
  std::int64_t seq = 0;
  std::int64_t at = 0;
  std::optional<std::int64_t> actor_id;
  std::string actor_name;
  std::string actor_unit_path;
  std::string action;
  std::string object_type;
  std::string object_id;
  std::string object_unit_path;
  std::string purpose;
  std::string client_ip;
  std::string before_json;  // empty: none
  std::string after_json;
  std::string prev_hash;
  std::string hash;
};

// Paging limits every list endpoint enforces (service::MakePage; docs/API.md "Paging"): the deepest
// page is 100,000 and a page holds at most 200 rows, so an offset never exceeds 2e7.
inline constexpr std::int64_t kMaxPage = 100000;
inline constexpr std::int64_t kMaxPageSize = 200;

struct Page {
  std::int64_t page = 1;       // 1-based
  std::int64_t page_size = 20;
  // The offset of the page's first row, computed with checked arithmetic: a page built without
  // MakePage (out of range, or overflowing) gives kNoRows, an offset past any table, never a
  // negative or wrapped one.
  static constexpr std::int64_t kNoRows = std::int64_t{1} << 62;
  std::int64_t Offset() const {
    std::int64_t off = 0;
    if (page < 1 || page_size < 1 || __builtin_mul_overflow(page - 1, page_size, &off) || off > kNoRows) {
      return kNoRows;
    }
    return off;
  }
};

}  // namespace th::repo
