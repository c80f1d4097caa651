#pragma once
// /api/v1/reports, /api/v1/public/reports, /api/v1/duty and /api/v1/children/{id}/reports
// (docs/API.md "Reports (发现报告)").
#include <cstddef>
#include <optional>
#include <string_view>

#include "http/message.h"
#include "platform/api/route_context.h"

namespace th::service {
class ReportService;
}

namespace th::api {

// Registers the reports routes of `svc` (which must outlive the router).
void RegisterReportRoutes(http::Router& r, service::ReportService& svc, const RouteContext& ctx);

// The body limit of a request target of this module, when it is not the server's default: the
// public form 16 KiB (the configured limit is checked again by the route), photos and staff
// attachments 5 MiB + 1 KiB. For http::ServerOptions::body_limit_of.
std::optional<std::size_t> ReportsBodyLimit(std::string_view target);

}  // namespace th::api
