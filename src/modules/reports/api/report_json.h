#pragma once
// JSON of the reports module's views (report_routes.cc).
#include <boost/json.hpp>

#include "modules/reports/service/report_service.h"

namespace th::api {

boost::json::object ReportJson(const service::ReportView& v, const domain::ReportConfig& cfg, bool en);
boost::json::object AttachmentJson(const repo::AttachmentRecord& a);
boost::json::object ShiftJson(const repo::DutyShiftRecord& s);
boost::json::object HandoverJson(const repo::HandoverRecord& h);

}  // namespace th::api
