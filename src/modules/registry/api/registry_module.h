#pragma once
// The registry module (README.md beside src/modules/registry): children's files, families,
// guardians, photos, import/export and the roll. Built from the category rules of the
// configuration directory.
#include "modules/registry/domain/category_config.h"
#include "modules/registry/service/child_service.h"
#include "platform/api/module.h"

namespace th::api {

class RegistryModule : public Module {
 public:
  RegistryModule(service::Services& platform, domain::CategoryConfig config);
  std::string_view name() const override { return "registry"; }
  std::vector<std::string> WorkKinds() const override { return {"roll_review", "roll_confirm"}; }
  void RegisterRoutes(http::Router& r, const RouteContext& ctx) override;
  service::ChildService& children() { return children_; }

 private:
  service::Services& platform_;
  service::ChildService children_;
};

}  // namespace th::api
