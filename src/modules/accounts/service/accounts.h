#pragma once
// The accounts module's services: org units and agencies (OrgService) and user accounts
// (UserService). Built once by src/app/modules.cc on the platform's Services, which outlive them.
#include "modules/accounts/service/org_service.h"
#include "modules/accounts/service/user_service.h"
#include "platform/service/auth_service.h"
#include "platform/service/services.h"

namespace th::service {

class Accounts {
 public:
  explicit Accounts(Services& platform) : org_(platform.deps()), users_(platform.deps(), platform.auth()) {}
  Accounts(const Accounts&) = delete;
  Accounts& operator=(const Accounts&) = delete;
  OrgService& org() { return org_; }
  UserService& users() { return users_; }
  const RoleTable& roles() const { return users_.roles(); }

 private:
  OrgService org_;
  UserService users_;
};

}  // namespace th::service
