#pragma once
// The platform's services, wired once by the app: the shared dependencies (database, clock, key
// ring, options, session cache), authentication and the audit log. Modules build their own
// services on top of these in src/app/modules.cc; nothing here knows a module.
#include <memory>

#include "platform/service/audit_service.h"
#include "platform/service/deps.h"
#include "platform/service/roles.h"

namespace th::service {

class AuthService;

class Services {
 public:
  // Installs the audit chain key from deps.keys and creates the session cache when none is given.
  // `roles`: the deployment's roles (config/roles.json).
  Services(Deps deps, RoleTable roles);
  ~Services();
  Services(const Services&) = delete;
  Services& operator=(const Services&) = delete;
  Deps& deps() { return deps_; }
  AuthService& auth() { return *auth_; }
  AuditService& audit() { return audit_; }
  const RoleTable& roles() const { return roles_; }

 private:
  Deps deps_;
  RoleTable roles_;
  std::unique_ptr<AuthService> auth_;
  AuditService audit_;
};

}  // namespace th::service
