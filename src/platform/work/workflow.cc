#include "platform/work/workflow.h"

#include "base/json_writer.h"
#include "platform/service/deps.h"
#include "text/utf8.h"

namespace th::work {

Status Workflow::Apply(storage::Connection& c, const service::Principal& who, WorkItemRecord& item,
                       const std::string& action, const std::string& note, std::int64_t version,
                       std::optional<std::int64_t> due_at) const {
  if (!table_.KnowsAction(action)) {
    return Status::Invalid("action", "invalid_enum", "未知的操作: " + action, "Unknown action: " + action);
  }
  const Transition* t = table_.Find(item.state, action);
  if (!t) {
    return Status::Error(Code::kConflict, "invalid_state", "待办当前状态(" + item.state + ")不允许该操作",
                         "The work item is " + item.state + "; this step does not apply", "state");
  }
  if (t->permission.empty() || !who.Can(t->permission)) return Status::Forbidden();
  if (version != item.version) return Status::Stale();
  if (t->note_required && text::DecodeUtf8(note).size() < 2) {
    return Status::Invalid("note", "required", "该操作须填写说明", "A note is required for this step");
  }
  TH_RETURN_IF_ERROR(WorkRepo(c).SetState(item.id, t->to, version));
  const std::string from = item.state;
  item.state = t->to;
  item.version = version + 1;
  const std::int64_t now = clock_.NowMillis();
  TH_RETURN_IF_ERROR(WorkRepo(c).InsertStep(item.id, action, from, t->to, who.user_id, who.display_name, now, note, due_at));
  return service::WriteAudit(c, clock_, &who, who.client_ip,
                             {"work." + action, "work_item", std::to_string(item.id), item.owner_unit_path,
                              JsonObjectWriter().Str("state", from).Int("due_at", item.due_at).Finish(),
                              JsonObjectWriter()
                                  .Str("state", t->to)
                                  .Str("kind", item.kind)
                                  .OptInt("due_at", due_at)
                                  .Finish(),
                              note});
}

}  // namespace th::work
