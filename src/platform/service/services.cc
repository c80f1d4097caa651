#include "platform/service/services.h"

#include "platform/repo/audit_repo.h"
#include "platform/service/auth_service.h"
#include "platform/service/session_cache.h"

namespace th::service {

namespace {
Deps WithCache(Deps d) {
  if (!d.sessions) d.sessions = std::make_shared<SessionCache>(d.options.session_cache_ms);
  return d;
}
}  // namespace

Services::Services(Deps deps, RoleTable roles)
    : deps_(WithCache(std::move(deps))),
      roles_(std::move(roles)),
      auth_(std::make_unique<AuthService>(deps_, roles_)),
      audit_(deps_) {
  repo::AuditChainKey::Install(deps_.keys);
}

Services::~Services() = default;

}  // namespace th::service
