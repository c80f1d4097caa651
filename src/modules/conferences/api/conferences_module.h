#pragma once
// The conferences module (README.md beside src/modules/conferences): case conferences (个案会商),
// their decisions as tasks on the work engine, printable minutes and their .docx. Uses the
// registry's ChildService (the child in scope) and its start conditions from
// <config_dir>/conferences/config.json.
#include "modules/conferences/service/conference_service.h"
#include "platform/api/module.h"

namespace th::service {
class Services;
}

namespace th::api {

class ConferencesModule : public Module {
 public:
  ConferencesModule(service::Services& platform, service::ChildService& children, domain::ConferenceConfig config);
  std::string_view name() const override { return "conferences"; }
  void RegisterRoutes(http::Router& r, const RouteContext& ctx) override;
  std::vector<std::string> WorkKinds() const override { return {"conference_decision", "conference_needed"}; }
  service::ConferenceService& conferences() { return conferences_; }

  // Reads <config_dir>/conferences/config.json (errors name the file).
  static Result<domain::ConferenceConfig> LoadConfig(const std::string& config_dir);
  // Parses the config text (reasons with code, name, name_en, note_required; codes unique).
  static Result<domain::ConferenceConfig> ParseConfig(const std::string& text);

 private:
  service::ConferenceService conferences_;
};

}  // namespace th::api
