#pragma once
// The workbench module (README.md beside src/modules/workbench): the 工作台 numbers of the
// caller's jurisdiction, over the registry's categories and the platform's work engine.
#include <memory>

#include "platform/api/module.h"

namespace th::domain {
struct CategoryConfig;
}  // namespace th::domain

namespace th::service {
class Services;
}  // namespace th::service

namespace th::workbench {
class WorkbenchService;
}  // namespace th::workbench

namespace th::api {

class WorkbenchModule : public Module {
 public:
  // `categories` (the registry's, may be null) and `platform` must outlive the module.
  WorkbenchModule(service::Services& platform, const domain::CategoryConfig* categories);
  ~WorkbenchModule() override;
  std::string_view name() const override { return "workbench"; }
  void RegisterRoutes(http::Router& r, const RouteContext& ctx) override;

 private:
  std::shared_ptr<workbench::WorkbenchService> svc_;
};

}  // namespace th::api
