#pragma once
// The dispatch module (README.md beside src/modules/dispatch): dispatch orders from the district
// center to member departments and streets/communities, their workflow, the 工作流转单 and the
// statistics. Built over the reports module's service (ReportFactsSource); its clocks live in
// config/workflows/dispatch.json (loaded by the work engine).
#include "modules/dispatch/service/dispatch_service.h"
#include "platform/api/module.h"

namespace th::service {
class Services;
}

namespace th::api {

class DispatchModule : public Module {
 public:
  DispatchModule(service::Services& platform, service::ReportFactsSource& reports, service::DispatchClocks clocks);
  std::string_view name() const override { return "dispatch"; }
  void RegisterRoutes(http::Router& r, const RouteContext& ctx) override;
  std::vector<std::string> WorkKinds() const override {
    return {"dispatch_accept", "dispatch_handle", "dispatch_revisit", "dispatch_return_review",
            "dispatch_extension_review"};
  }
  service::DispatchService& dispatch() { return dispatch_; }

 private:
  service::DispatchService dispatch_;
};

}  // namespace th::api
