#pragma once
// SQL for the conference tables (migration 0024): conferences, participants, decisions, attachments.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "modules/conferences/domain/conference.h"
#include "platform/repo/attachment_repo.h"
#include "platform/repo/records.h"
#include "storage/connection.h"

namespace th::repo {

namespace cnf = domain;  // cnf::ConferenceRecord, cnf::ConferenceParticipant, cnf::ConferenceDecision

// The materials: platform/repo/attachment_repo.h over this table.
inline constexpr FileTable kConferenceFiles{"conference_attachment", "conference_id"};


struct ConferenceFilter {
  std::string below_path;                  // conferences convened at or under this path, or
  std::vector<std::string> above_paths;    // convened by one of these units (the caller's ancestors)
  std::string status;                      // "" every status
  std::optional<std::int64_t> child_id;
};

class ConferenceRepo {
 public:
  explicit ConferenceRepo(storage::Connection& c) : c_(c) {}

  Status Insert(cnf::ConferenceRecord& r);
  Result<cnf::ConferenceRecord> Get(std::int64_t id);
  // Writes every editable column if the version matches (stale_version otherwise); bumps version.
  Status Update(cnf::ConferenceRecord& r, std::int64_t now);
  Result<std::vector<cnf::ConferenceRecord>> List(const ConferenceFilter& f, const Page& page, std::int64_t* total);
  // Every conference about the child (newest first), at most `limit`.
  Result<std::vector<cnf::ConferenceRecord>> ForChild(std::int64_t child_id, std::int64_t limit);

  Status ReplaceParticipants(std::int64_t conference_id, std::vector<cnf::ConferenceParticipant>& ps);
  Status SetAttended(std::int64_t participant_id, std::int64_t conference_id, std::optional<bool> attended);
  Result<std::vector<cnf::ConferenceParticipant>> Participants(std::int64_t conference_id);

  Status InsertDecision(cnf::ConferenceDecision& d);
  Result<cnf::ConferenceDecision> GetDecision(std::int64_t id);
  Status UpdateDecision(cnf::ConferenceDecision& d, std::int64_t now);
  Result<std::vector<cnf::ConferenceDecision>> Decisions(std::int64_t conference_id);
  // Open decisions of the child's conferences other than `except_conference` (the follow-ups).
  Result<std::vector<cnf::ConferenceDecision>> OpenForChild(std::int64_t child_id, std::int64_t except_conference);
  // Decisions assigned to the agency, or to units at or under `unit_path` ("" none), newest first.
  Result<std::vector<cnf::ConferenceDecision>> Assigned(std::optional<std::int64_t> agency_id, const std::string& unit_path,
                                               const std::string& status, std::int64_t limit);

  // A unit moved from `old_path` to `new_path`: the copies of paths under it follow.
  Status MoveUnit(const std::string& old_path, const std::string& new_path);

 private:
  storage::Connection& c_;
};

}  // namespace th::repo
