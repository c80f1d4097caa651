#pragma once
// SQL for plans and their lines, service records and attachments, group services, members,
// sessions and attendance (migration 0022_plans.sql). No permission checks here: the service
// scopes every call.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "modules/plans/domain/plan.h"
#include "platform/repo/attachment_repo.h"
#include "platform/repo/records.h"
#include "storage/connection.h"

namespace th::repo {

struct PlanRecord {
  std::int64_t id = 0, case_id = 0, child_id = 0;
  std::string unit_path;  // the case's child's unit path (a copy; moves with the unit)
  int number = 1;         // the version number within the case (1, 2, ...)
  std::string status = domain::kPlanDraft;
  std::string title, summary;
  std::string period_from, period_to;  // YYYY-MM-DD or ""
  std::string grade;                   // the case's grade when drafted
  std::optional<std::int64_t> created_by, submitted_at, submitted_by, reviewed_at, reviewed_by;
  std::string review_note;
  bool approval_required = true;
  std::int64_t version = 1, created_at = 0, updated_at = 0;
};

struct ServiceRecordRow {
  std::int64_t id = 0, case_id = 0, child_id = 0;
  std::string unit_path;
  std::optional<std::int64_t> plan_id;
  std::string served_on, service_type, delivered_by;
  std::int64_t duration_min = 0;
  std::string content, outcome;
  std::optional<std::int64_t> created_by;
  std::int64_t version = 1, created_at = 0, updated_at = 0;
};

// A service record's attachments: platform/repo/attachment_repo.h over this table.
inline constexpr FileTable kServiceFiles{"service_attachment", "record_id"};

struct GroupRecord {
  std::int64_t id = 0, unit_id = 0;
  std::string unit_path, name, group_type, goal, facilitator, status = "open";
  std::optional<std::int64_t> created_by;
  std::int64_t version = 1, created_at = 0, updated_at = 0;
  std::int64_t members = 0, sessions = 0;  // counts (lists)
};

struct GroupMemberRow {
  std::int64_t group_id = 0, case_id = 0, child_id = 0;
  std::string unit_path;
  std::int64_t joined_at = 0;
};

struct GroupSessionRecord {
  std::int64_t id = 0, group_id = 0;
  std::string held_on, topic, content;
  std::int64_t duration_min = 0;
  std::string facilitator, outcome;
  std::optional<std::int64_t> created_by;
  std::int64_t created_at = 0;
  std::vector<std::int64_t> attendees;  // case ids
};

class PlanRepo {
 public:
  explicit PlanRepo(storage::Connection& c) : c_(c) {}

  Status Insert(PlanRecord& p);
  Result<PlanRecord> Get(std::int64_t id);
  // A case's plans, newest version first.
  Result<std::vector<PlanRecord>> ForCase(std::int64_t case_id);
  Result<int> MaxNumber(std::int64_t case_id);
  // Writes the editable fields and the review fields when p.version matches (409 stale_version).
  Status Update(PlanRecord& p, std::int64_t now);
  // Plans under `path_prefix` in `status` ("" any), oldest first (the station's approval queue).
  Result<std::vector<PlanRecord>> ByUnit(const std::string& path_prefix, const std::string& status,
                                         const Page& page, std::int64_t* total);

  Status ReplaceLines(std::int64_t plan_id, std::vector<domain::PlanLine>& lines);
  Result<std::vector<domain::PlanLine>> Lines(std::int64_t plan_id);
  Status SetLineDone(std::int64_t line_id, std::int64_t at, std::int64_t by);

  Status InsertRecord(ServiceRecordRow& r);
  Result<ServiceRecordRow> GetRecord(std::int64_t id);
  Result<std::vector<ServiceRecordRow>> RecordsForCase(std::int64_t case_id);

  // The case page's plan section in one batch (one round trip on PostgreSQL): ForCase, the newest version's
  // Lines, RecordsForCase and GroupRepo::ForCase.
  struct CaseSection {
    std::vector<PlanRecord> versions;
    std::vector<domain::PlanLine> current_lines;  // the newest version's (empty without a plan)
    std::vector<ServiceRecordRow> records;
    std::vector<GroupRecord> groups;
  };
  Result<CaseSection> SectionOfCase(std::int64_t case_id);

  // Copies of unit paths follow a moved unit (`old_path` → `new_path`).
  Status AfterUnitMove(const std::string& old_path, const std::string& new_path);
  // The copies of child `child_id`'s unit path (its plans, service records and group memberships) follow the
  // child to its community (the child row already written); returns the ids of its plans awaiting review and
  // the unit that now reviews them (the child's street, else its district).
  Result<std::pair<std::vector<std::int64_t>, std::int64_t>> AfterChildMove(std::int64_t child_id);

 private:
  storage::Connection& c_;
};

class GroupRepo {
 public:
  explicit GroupRepo(storage::Connection& c) : c_(c) {}
  Status Insert(GroupRecord& g);
  Result<GroupRecord> Get(std::int64_t id);
  Status Update(GroupRecord& g, std::int64_t now);  // name, goal, facilitator, status; 409 stale_version
  // Groups under `path_prefix` (with member and session counts), newest first.
  Result<std::vector<GroupRecord>> List(const std::string& path_prefix, const Page& page, std::int64_t* total);
  Result<std::vector<GroupRecord>> ForCase(std::int64_t case_id);
  // ForCase's statement and the groups from its rows, for a batch.
  static storage::Statement ForCaseStatement(std::int64_t case_id);
  static std::vector<GroupRecord> GroupsFrom(const storage::Rows& rows);
  Status AddMember(const GroupMemberRow& m);  // 409 duplicate when already a member
  Status RemoveMember(std::int64_t group_id, std::int64_t case_id);
  Result<std::vector<GroupMemberRow>> Members(std::int64_t group_id);
  Status InsertSession(GroupSessionRecord& s);
  Result<std::vector<GroupSessionRecord>> Sessions(std::int64_t group_id);  // with attendees

 private:
  storage::Connection& c_;
};

}  // namespace th::repo
