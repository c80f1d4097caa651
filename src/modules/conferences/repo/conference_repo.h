#pragma once
// SQL for the conference tables (migration 0024): conferences, participants, decisions, attachments.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "modules/conferences/domain/conference.h"
#include "platform/repo/records.h"
#include "storage/connection.h"

namespace th::repo {

using domain::AttachmentRecord;
using domain::ConferenceRecord;
using domain::DecisionRecord;
using domain::ParticipantRecord;

struct ConferenceFilter {
  std::string below_path;                  // conferences convened at or under this path, or
  std::vector<std::string> above_paths;    // convened by one of these units (the caller's ancestors)
  std::string status;                      // "" every status
  std::optional<std::int64_t> child_id;
};

class ConferenceRepo {
 public:
  explicit ConferenceRepo(storage::Connection& c) : c_(c) {}

  Status Insert(ConferenceRecord& r);
  Result<ConferenceRecord> Get(std::int64_t id);
  // Writes every editable column if the version matches (stale_version otherwise); bumps version.
  Status Update(ConferenceRecord& r, std::int64_t now);
  Result<std::vector<ConferenceRecord>> List(const ConferenceFilter& f, const Page& page, std::int64_t* total);
  // Every conference about the child (newest first), at most `limit`.
  Result<std::vector<ConferenceRecord>> ForChild(std::int64_t child_id, std::int64_t limit);

  Status ReplaceParticipants(std::int64_t conference_id, std::vector<ParticipantRecord>& ps);
  Status SetAttended(std::int64_t participant_id, std::int64_t conference_id, std::optional<bool> attended);
  Result<std::vector<ParticipantRecord>> Participants(std::int64_t conference_id);

  Status InsertDecision(DecisionRecord& d);
  Result<DecisionRecord> GetDecision(std::int64_t id);
  Status UpdateDecision(DecisionRecord& d, std::int64_t now);
  Result<std::vector<DecisionRecord>> Decisions(std::int64_t conference_id);
  // Open decisions of the child's conferences other than `except_conference` (the follow-ups).
  Result<std::vector<DecisionRecord>> OpenForChild(std::int64_t child_id, std::int64_t except_conference);
  // Decisions assigned to the agency, or to units at or under `unit_path` ("" none), newest first.
  Result<std::vector<DecisionRecord>> Assigned(std::optional<std::int64_t> agency_id, const std::string& unit_path,
                                               const std::string& status, std::int64_t limit);

  Status InsertAttachment(AttachmentRecord& a);
  Result<std::vector<AttachmentRecord>> Attachments(std::int64_t conference_id);  // without data
  Result<AttachmentRecord> GetAttachment(std::int64_t conference_id, std::int64_t id);

  // A unit moved from `old_path` to `new_path`: the copies of paths under it follow.
  Status MoveUnit(const std::string& old_path, const std::string& new_path);

 private:
  storage::Connection& c_;
};

}  // namespace th::repo
