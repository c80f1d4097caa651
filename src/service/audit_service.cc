#include "service/audit_service.h"

#include <algorithm>

#include "service/auth_service.h"
#include "service/org_service.h"
#include "service/session_cache.h"
#include "service/user_service.h"

namespace th::service {

Result<std::vector<repo::AuditEntry>> AuditService::List(const Principal& who, repo::AuditFilter f,
                                                         const repo::Page& page, std::int64_t* total) {
  if (!who.Can("audit.read")) return Status::Forbidden();
  bool root = std::count(who.org_path.begin(), who.org_path.end(), '/') <= 2;
  f.path_prefix = root ? std::string() : who.org_path;
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  return repo::AuditRepo(*h).List(f, page, total);
}

Result<repo::AuditVerifyResult> AuditService::Verify(const Principal* who) {
  if (who && !who->Can("audit.read")) return Status::Forbidden();
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  return repo::AuditRepo(*h).Verify();
}

namespace {
Deps WithCache(Deps d) {
  if (!d.sessions) d.sessions = std::make_shared<SessionCache>(d.options.session_cache_ms);
  return d;
}
}  // namespace

Services::Services(Deps deps)
    : deps_(WithCache(std::move(deps))),
      auth_(std::make_unique<AuthService>(deps_)),
      org_(std::make_unique<OrgService>(deps_)),
      users_(std::make_unique<UserService>(deps_, *auth_)),
      audit_(deps_) {}

Services::~Services() = default;

}  // namespace th::service
