// A red grade starts a conference: the conference_needed work item of the child's street station.
#include "base/json_writer.h"
#include "modules/conferences/service/conference_service.h"
#include "platform/work/work_hooks.h"
#include "platform/work/work_repo.h"

namespace th::service {

Status ConferenceService::OnAlarmGrade(storage::Connection& c, std::int64_t child_id, const std::string& grade,
                                       std::int64_t at) {
  TH_ASSIGN_OR_RETURN(repo::ChildRecord child, children_.LoadRecord(c, child_id));
  work::WorkOpen w;
  w.kind = kNeedKind;
  w.subject_type = kNeedSubject;
  w.subject_id = child_id;
  w.title = "召集个案会商（风险等级" + (grade == "red" ? std::string("红色") : grade) + "）";
  w.label = child.name;
  w.link = "/conferences/new?child_id=" + std::to_string(child_id) + "&reason=red_grade";
  w.owner_unit_id = child.street_id;
  w.owner_role = "street_supervisor";
  w.started_at = at;
  // Sync opens it unless one of its kind is open for the child: idempotent while it waits.
  TH_ASSIGN_OR_RETURN(auto open, work::WorkRepo(c).OpenFor(kNeedSubject, child_id));
  if (!open.empty()) return Status::Ok();
  TH_RETURN_IF_ERROR(work::Sync(deps_.work.get(), c, kNeedSubject, child_id, w).status());
  return WriteAudit(c, deps_.clock, nullptr, "",
                    {"conference.need_open", "child", std::to_string(child_id), child.community_path, "",
                     JsonObjectWriter().Str("grade", grade).Finish(), ""});
}

}  // namespace th::service
