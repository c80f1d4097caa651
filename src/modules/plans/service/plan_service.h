#pragma once
// Plans (一人一策) for a case, service records and group services (小组).
//
// A plan belongs to a case (cases module, through CaseAccess) and is kept in versions: the first
// plan is number 1; a revision is a new plan (number + 1) drafted from the latest one, and when it
// is approved the older approved plan becomes `superseded` (history kept). A plan has goals per
// need (prefilled from the latest needs assessment), services (case services and group services
// with a frequency), the 1+N team (people with name, role, organisation and phone; phones masked
// unless revealed) and tasks (an owner unit + role, or a user, and a due date). States:
//   draft --submit--> submitted --approve--> approved --(a revision approved)--> superseded
//                               --return(note)--> returned --edit/submit--> ...
// With approval_required false (config/workflows/plans.json) submit approves at once. A submitted
// plan is a plan_review work item of the case's street (street_supervisor); each task of an
// approved plan is a plan_task work item due at the end of its due date, closed when the task is
// done or the plan superseded. Approving the case's plan moves the case planning → intervening
// (CaseAccess::MoveIn) in the same transaction.
//
// Scope and permissions: every call loads the case through CaseAccess::LoadInScope (case.read and
// the case's child in the caller's subtree: else 403 / 404); writing needs plan.write, approving
// plan.approve, service records and groups service.write. Reads of plans, records and groups and
// every change are audited.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "modules/plans/domain/plan.h"
#include "modules/plans/repo/plan_repo.h"
#include "modules/plans/service/case_access.h"
#include "platform/service/attachments.h"
#include "platform/service/deps.h"

namespace th::service {

struct PlanInput {
  std::string title, summary, period_from, period_to;
  std::vector<domain::PlanLine> lines;  // goals, services, members, tasks (in order)
  bool lines_given = false;             // false on create: goals prefilled from the needs
  std::int64_t version = 0;             // updates
};

struct PlanView {
  repo::PlanRecord plan;
  std::vector<domain::PlanLine> lines;  // phones masked unless revealed
  bool phones_revealed = false;
  std::vector<std::string> actions;  // edit, submit, approve, return, revise, complete_task
  std::vector<std::int64_t> overdue_tasks;  // line ids of open tasks past their due date
};

struct CasePlansView {
  PlanCase kase;
  std::vector<PlanNeed> needs;
  std::optional<PlanView> current;        // the newest version (with lines)
  std::vector<repo::PlanRecord> versions;  // every version, newest first
  std::vector<repo::ServiceRecordRow> records;
  std::vector<repo::GroupRecord> groups;
  bool can_write = false, can_record = false;
};

struct ServiceInput {
  std::string served_on, service_type, delivered_by, content, outcome;
  std::int64_t duration_min = 0;
  std::optional<std::int64_t> plan_id;
};

struct PlanDocx {
  std::string bytes, file_name;
};

struct RecordView {
  repo::ServiceRecordRow record;
  std::vector<repo::StoredFile> attachments;
};

struct GroupInput {
  std::int64_t unit_id = 0;
  std::string name, group_type, goal, facilitator;
};

struct SessionInput {
  std::string held_on, topic, content, facilitator, outcome;
  std::int64_t duration_min = 0;
  std::vector<std::int64_t> attendees;  // case ids of members
};


class PlanService {
 public:
  // `cases` outlives this service; `config` from config/workflows/plans.json.
  PlanService(Deps& deps, CaseAccess& cases, domain::PlansConfig config);
  const domain::PlansConfig& config() const { return config_; }

  // The plan section of a case: needs, the newest plan with lines, all versions, service records
  // and the groups the case is in. case.read in scope (403/404). Audited (plan.read).
  Result<CasePlansView> ForCase(const Principal& who, std::int64_t case_id, bool reveal_phones);
  // One plan version with its lines. `reveal_phones` needs plan.write (403) and is audited
  // (plan.reveal); else audited as plan.read.
  Result<PlanView> Get(const Principal& who, std::int64_t plan_id, bool reveal_phones);
  // Drafts the case's next plan (number = last + 1). plan.write (403); the case closed → 409
  // invalid_state; an unfinished (draft, submitted or returned) plan exists → 409 plan_open.
  // Without lines the goals come from the latest needs and a revision copies the latest plan's
  // lines (tasks not done). Lines are checked (400 naming the line's field).
  Result<PlanView> Create(const Principal& who, std::int64_t case_id, const PlanInput& in);
  // Edits a draft or returned plan (409 invalid_state otherwise; 409 stale_version).
  Result<PlanView> Update(const Principal& who, std::int64_t plan_id, const PlanInput& in);
  // Submits for approval (plan.write; draft/returned; at least one goal: 400 required goals).
  // Without approval_required it is approved at once (as Review's approve, by the submitter).
  Result<PlanView> Submit(const Principal& who, std::int64_t plan_id, std::int64_t version);
  // The station's decision (plan.approve; submitted; 409 stale_version): approve, or return with
  // a note (400 required note).
  Result<PlanView> Review(const Principal& who, std::int64_t plan_id, bool approve, const std::string& note,
                          std::int64_t version);
  // Marks a task of an approved plan done (plan.write, or the task's owner user); closes its item.
  // 404 unknown line; 409 invalid_state when the plan is not approved or the task already done.
  Result<PlanView> CompleteTask(const Principal& who, std::int64_t plan_id, std::int64_t line_id);
  // Plans in the caller's subtree awaiting approval (plan.approve, 403), oldest first.
  Result<std::vector<repo::PlanRecord>> Pending(const Principal& who, const repo::Page& page, std::int64_t* total);
  // The printable document of a plan (the print view and the .docx). Audited (plan.export).
  Result<domain::DocModel> Document(const Principal& who, std::int64_t plan_id, bool en);
  // The same as a Word (.docx) file (io/docx_writer), the caller's watermark in the page header.
  Result<PlanDocx> Docx(const Principal& who, std::int64_t plan_id, bool en);

  // Service records of a case (case.read in scope), newest first.
  Result<std::vector<repo::ServiceRecordRow>> Records(const Principal& who, std::int64_t case_id);
  // Records a service delivered (service.write; case not closed; type known; date plausible and
  // not in the future; 1..1440 minutes; content required). Audited (service.record).
  Result<repo::ServiceRecordRow> AddRecord(const Principal& who, std::int64_t case_id, const ServiceInput& in);
  // One record with its attachments (case in scope). Audited (service.read).
  Result<RecordView> GetRecord(const Principal& who, std::int64_t record_id);
  // An attachment (service.write; kFiles: JPEG, PNG or PDF by its bytes, at most 5 MB, at most 10 per
  // record; platform/service/attachments.h).
  Result<repo::StoredFile> Attach(const Principal& who, std::int64_t record_id, const std::string& name,
                                  const std::string& bytes);
  Result<repo::StoredFile> Attachment(const Principal& who, std::int64_t record_id, std::int64_t attachment_id);
  // The case closed (the cases module's listener, in that transaction): the work of its plans ends: the
  // open task items and a pending review item close (the plans and their lines stay as they were).
  Status OnCaseClosed(storage::Connection& c, std::int64_t case_id);
  static inline const AttachmentRule kFiles{io::kImagesAndPdf, 5u << 20, 10, "附件"};

  // Group services of a unit in the caller's subtree (service.write to change; case.read to read).
  Result<repo::GroupRecord> CreateGroup(const Principal& who, const GroupInput& in);
  Result<std::vector<repo::GroupRecord>> Groups(const Principal& who, const repo::Page& page, std::int64_t* total);
  // A group with its members and sessions (404 outside the subtree). Audited (group.read).
  Result<repo::GroupRecord> GetGroup(const Principal& who, std::int64_t id, std::vector<repo::GroupMemberRow>* members,
                                     std::vector<repo::GroupSessionRecord>* sessions);
  // Adds a case's child (the case in the caller's scope and in the group's unit subtree: 400
  // outside_group_unit; 409 duplicate when already a member).
  Status AddMember(const Principal& who, std::int64_t group_id, std::int64_t case_id);
  Status RemoveMember(const Principal& who, std::int64_t group_id, std::int64_t case_id);
  // Records a session (attendees must be members: 400 not_member).
  Result<repo::GroupSessionRecord> AddSession(const Principal& who, std::int64_t group_id, const SessionInput& in);
  // Opens or closes a group (409 stale_version).
  Result<repo::GroupRecord> SetGroupStatus(const Principal& who, std::int64_t id, const std::string& status,
                                           std::int64_t version);

 private:
  friend class PlanSteps;
  Deps& deps_;
  CaseAccess& cases_;
  domain::PlansConfig config_;
  std::shared_ptr<AuditQueue> read_audit_;  // Deps::read_audit: reads' audit entries, group-committed
};

}  // namespace th::service
