#include "platform/notify/api/notification_routes.h"

#include <boost/json.hpp>

#include <memory>

#include "platform/api/json_io.h"
#include "platform/api/time_json.h"
#include "platform/notify/service/notification_service.h"
#include "platform/service/audit_service.h"
#include "platform/service/services.h"

namespace th::api {

namespace json = boost::json;
using service::Principal;

namespace {

json::value OptTime(const std::optional<std::int64_t>& ms) {
  return ms ? json::value(IsoShanghai(*ms)) : json::value(nullptr);
}

json::object NotificationJson(const notify::NotificationRecord& n) {
  return json::object{{"id", n.id},
                      {"title", n.title},
                      {"body", n.body},
                      {"work_item_id", n.work_item_id ? json::value(*n.work_item_id) : json::value(nullptr)},
                      {"link", n.link},
                      {"created_at", IsoShanghai(n.created_at)},
                      {"read_at", OptTime(n.read_at)}};
}

Result<bool> UnreadFlag(const http::Request& req) {
  const std::string v = QueryStr(req, "unread");
  if (v.empty() || v == "0" || v == "false") return false;
  if (v == "1" || v == "true") return true;
  return Status::Invalid("unread", "invalid_enum", "unread 应为 1 或 0", "unread must be 1 or 0");
}

}  // namespace

void RegisterNotificationRoutes(http::Router& r, service::Services& s, const RouteContext& h) {
  auto svc = std::make_shared<notify::NotificationService>(s.deps());
  r.Add("GET", "/api/v1/notifications", h.authed([svc, h](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto page, h.page_from(req));
          TH_ASSIGN_OR_RETURN(bool unread, UnreadFlag(req));
          TH_ASSIGN_OR_RETURN(auto list, svc->List(who, unread, page));
          json::array items;
          for (const auto& n : list.items) items.push_back(NotificationJson(n));
          return JsonResponse(json::object{{"items", std::move(items)},
                                           {"total", list.total},
                                           {"unread", list.unread},
                                           {"page", page.page},
                                           {"page_size", page.page_size}});
        }));
  r.Add("POST", "/api/v1/notifications/read-all", h.authed([svc](http::Request&, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto n, svc->MarkAllRead(who));
          return JsonResponse(json::object{{"marked", n}, {"unread", 0}});
        }));
  r.Add("POST", "/api/v1/notifications/{id}/read", h.authed([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_RETURN_IF_ERROR(svc->MarkRead(who, id));
          return NoContent();
        }));
}

}  // namespace th::api
