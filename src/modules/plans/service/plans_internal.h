#pragma once
// Shared by the plans service's files: audit, text cleaning, owners of work items.
#include <functional>
#include <string>
#include <vector>

#include "modules/plans/service/plan_service.h"

namespace th::service::plans_detail {

// Audits `action` on object `type`/`id` in the case's unit path, with `after` (a JSON object or "").
Status Audit(Deps& deps, storage::Connection& c, const Principal& who, const std::string& action,
             const std::string& type, std::int64_t id, const std::string& unit_path, const std::string& after);

// Runs `fn` on a pooled connection outside any transaction: for reads. InTransaction begins IMMEDIATE on SQLite,
// i.e. takes the single writer's lock, so reads in one queue behind every other request (bench/cases).
inline Status ReadOnly(storage::Database& db, const std::function<Status(storage::Connection&)>& fn) {
  TH_ASSIGN_OR_RETURN(auto h, db.Acquire());
  return fn(*h);
}

// Cleans and checks the plan's text fields and lines (CleanText rules; CheckPlanLines).
Status CleanPlanInput(const domain::PlansConfig& cfg, PlanInput* in);

// The street unit of `unit_path` under district `district_id` (the path element after the
// district's), or the district itself when the path ends there; 0 when the path lacks the district.
std::int64_t StreetOf(const std::string& unit_path, std::int64_t district_id);

// The lines with phones masked.
std::vector<domain::PlanLine> MaskedLines(std::vector<domain::PlanLine> lines);

// A date "YYYY-MM-DD" not after `now`'s day in Asia/Shanghai (and not before 2000).
Status CheckPastDate(const std::string& value, const char* field, std::int64_t now);

}  // namespace th::service::plans_detail
