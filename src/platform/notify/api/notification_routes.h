#pragma once
// /api/v1/notifications (docs/API.md "Notifications"): the caller's own in-app notifications.
#include "platform/api/route_context.h"

namespace th::api {

// Registers GET /notifications, POST /notifications/{id}/read and POST /notifications/read-all.
// The routes own their NotificationService (stateless; no delivery channel needed to list).
void RegisterNotificationRoutes(http::Router& r, service::Services& s, const RouteContext& helpers);

}  // namespace th::api
