#pragma once
// JSON of plans, service records and groups, and the parsers of their request bodies.
#include <boost/json.hpp>

#include "http/message.h"
#include "modules/plans/service/plan_service.h"

namespace th::api {

boost::json::object PlanJson(const service::PlanView& v, const domain::PlansConfig& cfg, bool en);
boost::json::object PlanSummaryJson(const repo::PlanRecord& p, bool en);
boost::json::object CasePlansJson(const service::CasePlansView& v, const domain::PlansConfig& cfg, bool en);
boost::json::object RecordJson(const repo::ServiceRecordRow& r, const domain::PlansConfig& cfg, bool en);
boost::json::object GroupJson(const repo::GroupRecord& g, const domain::PlansConfig& cfg, bool en);
boost::json::object SessionJson(const repo::GroupSessionRecord& s);
boost::json::object ConfigJson(const domain::PlansConfig& cfg);
boost::json::object DocumentJson(const domain::DocModel& d);

Result<service::PlanInput> PlanInputFrom(const http::Request& req, bool update);
Result<service::ServiceInput> ServiceInputFrom(const http::Request& req);
Result<service::GroupInput> GroupInputFrom(const http::Request& req);
Result<service::SessionInput> SessionInputFrom(const http::Request& req);

}  // namespace th::api
