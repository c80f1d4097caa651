#pragma once
// JSON shapes of the guardianship module (docs/API.md "Guardianship interventions").
#include <boost/json.hpp>

#include "modules/guardianship/service/guardianship_service.h"

namespace th::api {

boost::json::object GuardianshipJson(const service::GuardianshipView& v, const domain::GuardianshipConfig& cfg,
                                     bool detail);
// The checklists, placement kinds and child states (GET /api/v1/guardianship/config).
boost::json::object GuardianshipConfigJson(const domain::GuardianshipConfig& cfg);

}  // namespace th::api
