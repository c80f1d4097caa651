#include "platform/notify/service/notification_service.h"

#include "base/json_writer.h"
#include "text/field.h"
#include "text/utf8.h"

namespace th::notify {

namespace {

constexpr text::TextRule kTitle{200, text::TextShape::kLine};
constexpr text::TextRule kLink{500, text::TextShape::kLine};

Status CheckLink(const std::string& link) {
  if (link.empty()) return Status::Ok();
  TH_RETURN_IF_ERROR(text::CheckText(link, "link", kLink));
  // A route path of the web app, never an address elsewhere ("//host" and "/\host" are).
  if (link[0] != '/' || (link.size() > 1 && (link[1] == '/' || link[1] == '\\'))) {
    return Status::Invalid("link", "invalid_link", "链接须为以 / 开头的站内路径", "link must be a path of the app starting with /");
  }
  return Status::Ok();
}

}  // namespace

std::string SmsText(const std::string& title, const std::string& body) {
  std::string s = "【童护】" + title + (body.empty() ? "" : "：" + body);
  std::vector<char32_t> cps = text::DecodeUtf8(s);
  if (cps.size() <= 300) return s;
  std::string out;
  for (std::size_t i = 0; i < 299; ++i) text::AppendUtf8(cps[i], &out);
  return out + "…";
}

Result<std::vector<RecipientUser>> NotificationService::Resolve(NotificationRepo& repo, const Recipients& to) {
  if (to.user_id) {
    TH_ASSIGN_OR_RETURN(auto u, repo.ActiveUser(*to.user_id));
    std::vector<RecipientUser> one;
    if (u) one.push_back(std::move(*u));
    return one;
  }
  if (to.agency_id) return repo.UsersOfAgency(*to.agency_id, to.role);
  return repo.UsersOfUnit(to.unit_id, to.role);
}

Result<int> NotificationService::Notify(storage::Connection& c, std::optional<std::int64_t> work_item_id,
                                        const Recipients& to, const std::string& title, const std::string& body,
                                        const std::string& link, const std::string& dedup_key) {
  return Write(c, work_item_id, to, title, body, link, dedup_key, false);
}

Result<int> NotificationService::NotifyOrRevise(storage::Connection& c, const Recipients& to, const std::string& title,
                                                const std::string& body, const std::string& link,
                                                const std::string& dedup_key) {
  if (dedup_key.empty()) return Status::Required("dedup_key");
  return Write(c, std::nullopt, to, title, body, link, dedup_key, true);
}

Result<int> NotificationService::Write(storage::Connection& c, std::optional<std::int64_t> work_item_id,
                                       const Recipients& to, const std::string& title_in, const std::string& body_in,
                                       const std::string& link, const std::string& dedup_key, bool revise) {
  TH_ASSIGN_OR_RETURN(auto title, text::CleanRequiredText(title_in, "title", kTitle));
  TH_ASSIGN_OR_RETURN(auto body, text::CleanText(body_in, "body", text::kLongText));
  TH_RETURN_IF_ERROR(CheckLink(link));
  NotificationRepo repo(c);
  TH_ASSIGN_OR_RETURN(auto users, Resolve(repo, to));
  const std::int64_t now = deps_.clock.NowMillis();
  int written = 0;
  for (const RecipientUser& u : users) {
    NotificationRecord n;
    n.user_id = u.id;
    n.title = title;
    n.body = body;
    n.link = link;
    n.work_item_id = work_item_id;
    n.dedup_key = dedup_key;
    n.created_at = now;
    TH_ASSIGN_OR_RETURN(bool inserted, repo.Insert(n));
    if (!inserted) {
      if (!revise) continue;
      const std::string payload = JsonObjectWriter().Str("text", SmsText(title, body)).Str("link", link).Finish();
      TH_ASSIGN_OR_RETURN(bool revised, repo.Revise(u.id, dedup_key, title, body, payload));
      written += revised ? 1 : 0;
      continue;
    }
    ++written;
    if (!config_.sms.enabled || u.phone_enc.empty()) continue;
    OutboxRecord o;
    o.notification_id = n.id;
    o.channel = "sms";
    o.recipient = "user:" + std::to_string(u.id);
    o.recipient_masked = u.phone_masked;
    o.payload = JsonObjectWriter().Str("text", SmsText(title, body)).Str("link", link).Finish();
    o.next_attempt_at = now;
    o.created_at = now;
    TH_RETURN_IF_ERROR(repo.InsertOutbox(o));
  }
  return written;
}

Result<NotificationPage> NotificationService::List(const service::Principal& who, bool unread_only,
                                                   const repo::Page& page) {
  TH_ASSIGN_OR_RETURN(auto checked, service::MakePage(page.page, page.page_size));
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  NotificationRepo repo(*h);
  NotificationPage out;
  TH_ASSIGN_OR_RETURN(out.items, repo.ListFor(who.user_id, unread_only, checked, &out.total));
  TH_ASSIGN_OR_RETURN(out.unread, repo.UnreadCount(who.user_id));
  return out;
}

Status NotificationService::MarkRead(const service::Principal& who, std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  return NotificationRepo(*h).MarkRead(who.user_id, id, deps_.clock.NowMillis());
}

Result<std::int64_t> NotificationService::MarkAllRead(const service::Principal& who) {
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  return NotificationRepo(*h).MarkAllRead(who.user_id, deps_.clock.NowMillis());
}

}  // namespace th::notify
