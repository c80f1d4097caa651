#include "service/deps.h"

#include "repo/audit_repo.h"
#include "repo/user_repo.h"

namespace th::service {

Status WriteAudit(storage::Connection& c, const Clock& clock, const Principal* who, const std::string& client_ip,
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
  return repo::AuditRepo(c).Append(e);
}

Status InTransaction(storage::Database& db, const std::function<Status(storage::Connection&)>& fn) {
  TH_ASSIGN_OR_RETURN(auto handle, db.Acquire());
  storage::Transaction tx(*handle);
  TH_RETURN_IF_ERROR(tx.Begin());
  TH_RETURN_IF_ERROR(fn(*handle));
  return tx.Commit();
}

Result<repo::Page> MakePage(std::int64_t page, std::int64_t page_size) {
  if (page < 1) return Status::Invalid("page", "invalid_page", "页码必须从1开始", "page must be >= 1");
  if (page_size < 1 || page_size > 200) {
    return Status::Invalid("page_size", "invalid_page_size", "每页条数须在1到200之间",
                           "page_size must be between 1 and 200");
  }
  return repo::Page{page, page_size};
}

}  // namespace th::service
