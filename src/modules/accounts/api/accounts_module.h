#pragma once
// The accounts module (README.md beside src/modules/accounts): org units, agencies and user
// accounts. Needs no configuration files.
#include "modules/accounts/service/accounts.h"
#include "platform/api/module.h"

namespace th::api {

class AccountsModule : public Module {
 public:
  explicit AccountsModule(service::Services& platform) : accounts_(platform) {}
  std::string_view name() const override { return "accounts"; }
  void RegisterRoutes(http::Router& r, const RouteContext& ctx) override;
  service::Accounts& accounts() { return accounts_; }

 private:
  service::Accounts accounts_;
};

}  // namespace th::api
