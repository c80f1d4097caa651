#pragma once
// Case conferences (个案会商) about one child: convened by a street or the district (conference.manage)
// for a configured reason, with participants (member departments, streets/communities, social
// organisations, named people), agenda and materials; then the record (attendance, discussion,
// decisions). Each decision is a task for a unit or a department (agency) with a due date: a
// conference_decision work item on the engine (owner: the agency's dept_liaison, a street's
// street_supervisor or a community's child_director), done by its assignee with a note. Open
// decisions of a child's earlier conferences show at the next one (follow-ups).
//
// Workflow (domain/conference.h): planned -> held (record) -> closed (every decision done);
// planned -> cancelled. Errors in order: 404 (not visible), 403, 409 invalid_state, 409
// stale_version, 400 validation.
//
// Who sees what: a conference is visible (conference.read) to the convening unit's subtree and the
// units above it (the district); it is managed (conference.manage) from the convening unit or above.
// A decision's assignee (conference.task, the decision's agency or a unit at or above the owner
// unit) sees the decision and the conference's title, date and child name only, never the minutes
// or the child's file. Every read is audited.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "modules/conferences/domain/conference.h"
#include "modules/conferences/repo/conference_repo.h"
#include "modules/registry/service/child_service.h"
#include "platform/service/attachments.h"
#include "platform/service/deps.h"

namespace th::service {

struct ParticipantInput {
  std::string kind;  // agency | unit | person
  std::optional<std::int64_t> agency_id, unit_id;
  std::string name, note;  // name: required for a person
};

struct ConveneInput {
  std::int64_t child_id = 0;
  std::optional<std::int64_t> case_id;
  std::string reason, reason_note, title;
  std::int64_t scheduled_at = 0;  // epoch ms
  std::string place;
  bool online = false;
  std::string agenda;
  std::vector<ParticipantInput> participants;
  std::int64_t version = 0;  // Edit only
};

struct DecisionInput {
  std::string content;
  std::optional<std::int64_t> agency_id, unit_id;  // exactly one
  std::string due_date;                             // YYYY-MM-DD
};

struct RecordInput {
  std::int64_t version = 0;
  std::string discussion;
  std::vector<std::pair<std::int64_t, std::optional<bool>>> attendance;  // participant id, attended
  std::vector<DecisionInput> decisions;                                   // added
};

struct DecisionView {
  domain::ConferenceDecision decision;
  std::string conference_title, child_name;
  std::int64_t conference_scheduled_at = 0;
  std::string conference_status;
  bool overdue = false;
  bool can_complete = false;
};

struct ConferenceView {
  domain::ConferenceRecord conference;
  std::vector<domain::ConferenceParticipant> participants;
  std::vector<DecisionView> decisions;
  std::vector<DecisionView> followups;  // open decisions of the child's other conferences
  std::vector<repo::StoredFile> attachments;
  std::vector<std::string> actions;  // what the caller may do now
  bool can_manage = false;
};

struct ConferenceListParams {
  std::string status;
  std::optional<std::int64_t> child_id;
};

// A case as this module needs it: its child and its unit path (the audit's).
struct CaseRef {
  std::int64_t child_id = 0;
  std::string unit_path;
};
// Loads the case `case_id` in the caller's scope: 404 not_found("case") when absent or outside it, 403 when the
// caller may not read cases. The app adapts the cases module's LoadInScope to it (this module does not use cases).
using CaseLookup = std::function<Result<CaseRef>(storage::Connection&, const Principal& who, std::int64_t case_id)>;

// The 个案会商 section of a case's page: the case's conferences and how many other conferences about its child the
// caller may see (not linked to this case; they are on the child file's 会商 tab).
struct CaseConferences {
  std::vector<domain::ConferenceRecord> items;
  std::int64_t child_others = 0;
};

class ConferenceService {
 public:
  ConferenceService(Deps& deps, ChildService& children, domain::ConferenceConfig config);

  // Set at start-up (not thread-safe). Unset (a module test alone): a case_id given to Convene/Edit is taken as
  // given, and ForCase answers 404 (no case can be loaded).
  void SetCaseLookup(CaseLookup lookup) { case_lookup_ = std::move(lookup); }

  // A red grade starts a conference (issue 12; the app calls this from the cases module's grade listener
  // when config/cases/cases.json alarm.start_conference is on and the grade is one of alarm.grades): opens
  // a conference_needed work item (subject conference_child = the child) for the child's street's
  // street_supervisor, its clock started at `at`, linking to the convene form; idempotent while one is
  // open. Convening a conference about the child closes it. In the caller's transaction; audited
  // (conference.need_open) when it opens one.
  Status OnAlarmGrade(storage::Connection& c, std::int64_t child_id, const std::string& grade, std::int64_t at);
  static constexpr const char* kNeedSubject = "conference_child";
  static constexpr const char* kNeedKind = "conference_needed";

  const domain::ConferenceConfig& config() const { return config_; }
  // The member departments and social organisations of the caller's district (participants and decision owners
  // in the forms; a street's supervisor cannot list the district's agencies otherwise). Empty without
  // conference.manage.
  Result<std::vector<repo::Agency>> Agencies(const Principal& who);

  // conference.manage at a street or district (403); the child in the caller's scope (404); reason
  // configured (400 invalid_enum), its note when required (400 required); scheduled_at required;
  // participants resolved in the district (400 invalid_participant). Audited (conference.create).
  Result<ConferenceView> Convene(const Principal& who, const ConveneInput& in);
  // Changes a planned conference (participants replaced). Audited (conference.edit).
  Result<ConferenceView> Edit(const Principal& who, std::int64_t id, const ConveneInput& in);
  // planned -> held, or held -> held (amend): attendance, discussion, decisions added (each opens a
  // conference_decision work item). Audited (conference.record / conference.amend).
  Result<ConferenceView> Record(const Principal& who, std::int64_t id, const RecordInput& in, bool amend);
  // planned -> cancelled (note required). Audited.
  Result<ConferenceView> Cancel(const Principal& who, std::int64_t id, std::int64_t version, const std::string& note);
  // held -> closed; 409 decisions_open while a decision is open. Audited.
  Result<ConferenceView> Close(const Principal& who, std::int64_t id, std::int64_t version);

  // One conference; audited (conference.read).
  Result<ConferenceView> Get(const Principal& who, std::int64_t id);
  // The caller's conferences (newest first). 403 without conference.read.
  Result<std::vector<domain::ConferenceRecord>> List(const Principal& who, const ConferenceListParams& p,
                                                     const repo::Page& page, std::int64_t* total);
  // The conferences about a child that the caller may see (the child file's 会商 tab); audited.
  Result<std::vector<domain::ConferenceRecord>> ForChild(const Principal& who, std::int64_t child_id);
  // The case page's 个案会商 section, scoped through the case: 403 without conference.read; the case must load in
  // the caller's scope (404 not_found "case" otherwise, as GET /cases/{id}). The conferences whose case_id is this
  // case that the caller may see (newest first), and the count of the case's child's other conferences the caller
  // may see. The same conferences the section showed when it filtered the child's list (GET
  // /children/{id}/conferences) by case, in one request that needs only the case id. Read without a transaction;
  // audited (conference.case_list) through the read-audit queue.
  Result<CaseConferences> ForCase(const Principal& who, std::int64_t case_id);

  // The decisions assigned to the caller's agency or unit (conference.task; 403 otherwise).
  Result<std::vector<DecisionView>> MyDecisions(const Principal& who, const std::string& status);
  // One decision for its assignee or a reader of its conference; audited (conference.decision_read).
  Result<DecisionView> GetDecision(const Principal& who, std::int64_t id);
  // The assignee (or a manager of the conference) records the result: open -> done (note required;
  // 409 invalid_state when done; 409 stale_version). Closes the work item. Audited.
  Result<DecisionView> CompleteDecision(const Principal& who, std::int64_t id, std::int64_t version,
                                        const std::string& note);

  // The minutes as a .docx (held or closed; 409 invalid_state otherwise); audited (conference.export).
  Result<std::string> MinutesDocx(const Principal& who, std::int64_t id);

  // Materials on a planned or held conference, by a manager: kFiles' checks and cap
  // (platform/service/attachments.h). Audited, as every read of one.
  Result<repo::StoredFile> Attach(const Principal& who, std::int64_t id, const std::string& name,
                                  const std::string& bytes);
  Result<repo::StoredFile> Attachment(const Principal& who, std::int64_t id, std::int64_t attachment_id);
  static inline const AttachmentRule kFiles{io::kImagesAndPdf, 10u << 20, 20, "材料"};
  static constexpr std::size_t kMaxParticipants = 50;
  static constexpr std::size_t kMaxDecisions = 30;

 private:
  Result<domain::ConferenceRecord> LoadVisible(storage::Connection& c, const Principal& who, std::int64_t id);
  Result<ConferenceView> BuildView(storage::Connection& c, const Principal& who, domain::ConferenceRecord conf);
  Result<domain::ConferenceRecord> LoadManaged(storage::Connection& c, const Principal& who, std::int64_t id,
                                               std::int64_t version, const std::string& action);
  Status ValidateConvene(storage::Connection& c, const ConveneInput& in,
                         std::vector<domain::ConferenceParticipant>* out);
  Status AddDecision(storage::Connection& c, const domain::ConferenceRecord& conf, const DecisionInput& in, int seq,
                     const std::string& field);
  DecisionView MakeDecisionView(const Principal& who, const domain::ConferenceDecision& d,
                                const domain::ConferenceRecord& conf) const;
  Status Audit(storage::Connection& c, const Principal& who, const std::string& action, const std::string& type,
               std::int64_t id, const std::string& path, const std::string& after = "");
  // A conference's case (Convene/Edit): in the caller's scope (404) and about `child_id` (400 invalid_case).
  Status CheckCase(storage::Connection& c, const Principal& who, std::int64_t case_id, std::int64_t child_id);

  Deps& deps_;
  ChildService& children_;
  domain::ConferenceConfig config_;
  CaseLookup case_lookup_;
  std::shared_ptr<AuditQueue> read_audit_;  // Deps::read_audit: the case section's reads (ForCase): grouped audit writes
};

// Pure access rules (tested directly).
bool ConferenceVisible(const Principal& who, const domain::ConferenceRecord& c);
bool ConferenceManaged(const Principal& who, const domain::ConferenceRecord& c);
bool DecisionAssignedTo(const Principal& who, const domain::ConferenceDecision& d);

}  // namespace th::service
