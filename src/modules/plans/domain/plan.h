#pragma once
// Plans (一人一策) and services: value types, the module's configuration
// (config/workflows/plans.json) and the pure rules (plan states, line checks, phone masking, the
// plan's printable document). No I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace th::domain {

// A code with its names ({"code","name","name_en"} in the config).
struct CodeName {
  std::string code, name, name_en;
};

struct PlansConfig {
  bool approval_required = true;  // false: submitting a plan approves it
  int task_clock_hours = 72;      // the plan_task kind's clock (hours): started_at = due - this
  std::vector<CodeName> service_types, frequencies, team_roles, group_types;

  // The entry of `code` in `list`, or null.
  static const CodeName* Find(const std::vector<CodeName>& list, const std::string& code);
  // Its zh-CN (or en) name; the code itself when unknown.
  static std::string NameOf(const std::vector<CodeName>& list, const std::string& code, bool en);
};

// Parses config/workflows/plans.json (the kinds are the work engine's; the other keys ours).
// Errors name the key (invalid_plans_config).
Result<PlansConfig> ParsePlansConfig(std::string_view text);

// Plan states: draft → submitted → approved | returned (→ draft again when edited);
// approved → superseded when a revision (a new version) is approved.
inline constexpr const char* kPlanDraft = "draft";
inline constexpr const char* kPlanSubmitted = "submitted";
inline constexpr const char* kPlanApproved = "approved";
inline constexpr const char* kPlanReturned = "returned";
inline constexpr const char* kPlanSuperseded = "superseded";

// True when a plan in `status` may be edited (draft or returned).
bool PlanEditable(const std::string& status);
std::string PlanStatusName(const std::string& status, bool en);

// The kinds of plan lines.
inline constexpr const char* kLineGoal = "goal";        // code: need code, name: need name, text: goal, extra: measure
inline constexpr const char* kLineService = "service";  // code: service type, name: title, frequency, extra: provider,
                                                        // group_id: a group service
inline constexpr const char* kLineMember = "member";    // code: team role, name: person, extra: organisation, phone
inline constexpr const char* kLineTask = "task";        // name: task, owner (unit + role or user), due_date

struct PlanLine {
  std::int64_t id = 0;
  std::string kind;
  int seq = 0;
  std::string code, name, text, extra, frequency, phone;
  std::optional<std::int64_t> group_id;
  std::optional<std::int64_t> owner_unit_id;
  std::string owner_role;
  std::optional<std::int64_t> owner_user_id;
  std::string due_date;  // YYYY-MM-DD for tasks
  std::optional<std::int64_t> done_at, done_by;
};

// Limits of a plan's lines (400 too_many_lines naming the kind beyond them).
inline constexpr std::size_t kMaxGoals = 30, kMaxServices = 30, kMaxMembers = 30, kMaxTasks = 50;

// Checks one plan's lines against the config (codes known, names present, a task's owner and due
// date present and plausible). Errors name the field as "<kind>s[<i>].<field>". A goal's text may
// be empty in a draft (goals prefilled from the needs) but not when `complete` (submitting).
Status CheckPlanLines(const PlansConfig& cfg, const std::vector<PlanLine>& lines, bool complete);

// A phone shown masked ("138****5678"; short numbers keep their last 2 digits).
std::string MaskPhone(const std::string& phone);
// Digits, spaces, '+' and '-' only, 3..20 characters ("" is allowed).
bool PlausiblePhone(const std::string& phone);

// A printable document (the .docx export and the print view's model): a title, then blocks.
struct DocBlock {
  enum Kind { kHeading, kParagraph, kTable } kind = kParagraph;
  std::string text;                              // heading or paragraph
  std::vector<std::vector<std::string>> rows;   // table: first row is the header
};
struct DocModel {
  std::string title;
  std::vector<DocBlock> blocks;
};

}  // namespace th::domain
