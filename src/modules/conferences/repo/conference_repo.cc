#include "modules/conferences/repo/conference_repo.h"

#include "platform/repo/sql_values.h"

namespace th::repo {

using storage::Params;
using storage::Row;
using domain::ConferenceDecision;
using domain::ConferenceParticipant;
using domain::ConferenceRecord;

namespace {

const char* const kConfCols =
    "id, child_id, case_id, child_name, reason, reason_note, title, convener_unit_id, convener_name, unit_path, "
    "district_unit_id, scheduled_at, place, online, agenda, status, discussion, held_at, recorded_by, closed_at, "
    "created_by, version, created_at, updated_at";

ConferenceRecord ConfFrom(const Row& r) {
  ConferenceRecord c;
  std::size_t i = 0;
  c.id = r.Int(i++);
  c.child_id = r.Int(i++);
  c.case_id = r.OptInt(i++);
  c.child_name = r.Text(i++);
  c.reason = r.Text(i++);
  c.reason_note = r.Text(i++);
  c.title = r.Text(i++);
  c.convener_unit_id = r.Int(i++);
  c.convener_name = r.Text(i++);
  c.unit_path = r.Text(i++);
  c.district_unit_id = r.Int(i++);
  c.scheduled_at = r.Int(i++);
  c.place = r.Text(i++);
  c.online = r.Int(i++) != 0;
  c.agenda = r.Text(i++);
  c.status = r.Text(i++);
  c.discussion = r.Text(i++);
  c.held_at = r.OptInt(i++);
  c.recorded_by = r.OptInt(i++);
  c.closed_at = r.OptInt(i++);
  c.created_by = r.OptInt(i++);
  c.version = r.Int(i++);
  c.created_at = r.Int(i++);
  c.updated_at = r.Int(i++);
  return c;
}

const char* const kDecCols =
    "id, conference_id, child_id, seq, content, owner_kind, owner_agency_id, owner_unit_id, owner_unit_path, "
    "owner_role, owner_name, due_date, status, result_note, done_at, done_by, version, created_at, updated_at";

ConferenceDecision DecFrom(const Row& r) {
  ConferenceDecision d;
  std::size_t i = 0;
  d.id = r.Int(i++);
  d.conference_id = r.Int(i++);
  d.child_id = r.Int(i++);
  d.seq = static_cast<int>(r.Int(i++));
  d.content = r.Text(i++);
  d.owner_kind = r.Text(i++);
  d.owner_agency_id = r.OptInt(i++);
  d.owner_unit_id = r.Int(i++);
  d.owner_unit_path = r.Text(i++);
  d.owner_role = r.Text(i++);
  d.owner_name = r.Text(i++);
  d.due_date = r.Text(i++);
  d.status = r.Text(i++);
  d.result_note = r.Text(i++);
  d.done_at = r.OptInt(i++);
  d.done_by = r.OptInt(i++);
  d.version = r.Int(i++);
  d.created_at = r.Int(i++);
  d.updated_at = r.Int(i++);
  return d;
}

template <class T, class F>
Result<std::vector<T>> Many(storage::Connection& c, const std::string& sql, const Params& p, F from) {
  TH_ASSIGN_OR_RETURN(auto rows, c.Query(sql, p));
  std::vector<T> out;
  out.reserve(rows.size());
  for (const auto& r : rows.rows) out.push_back(from(r));
  return out;
}

Status Stale() {
  return Status::Error(Code::kConflict, "stale_version", "会商已被他人修改，请刷新后重试",
                       "The conference was changed by someone else; reload and try again", "version");
}

// The scope condition of a filter, with its parameters appended to `p`.
std::string ScopeSql(const ConferenceFilter& f, Params& p) {
  std::string s = "(unit_path LIKE $" + std::to_string(p.size() + 1);
  p.push_back(f.below_path + "%");
  for (const auto& a : f.above_paths) {
    s += " OR unit_path = $" + std::to_string(p.size() + 1);
    p.push_back(a);
  }
  s += ")";
  if (!f.status.empty()) {
    s += " AND status = $" + std::to_string(p.size() + 1);
    p.push_back(f.status);
  }
  if (f.child_id) {
    s += " AND child_id = $" + std::to_string(p.size() + 1);
    p.push_back(*f.child_id);
  }
  return s;
}

}  // namespace

Status ConferenceRepo::Insert(ConferenceRecord& r) {
  TH_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query("INSERT INTO conference (child_id, case_id, child_name, reason, reason_note, title, convener_unit_id, "
               "convener_name, unit_path, district_unit_id, scheduled_at, place, online, agenda, status, discussion, "
               "created_by, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
               "$12, $13, $14, $15, $16, $17, 1, $18, $18) RETURNING id",
               {r.child_id, OptInt(r.case_id), r.child_name, r.reason, r.reason_note, r.title, r.convener_unit_id,
                r.convener_name, r.unit_path, r.district_unit_id, r.scheduled_at, r.place, std::int64_t{r.online},
                r.agenda, r.status, r.discussion, OptInt(r.created_by), r.created_at}));
  r.id = rows[0].Int(0);
  r.version = 1;
  r.updated_at = r.created_at;
  return Status::Ok();
}

Result<ConferenceRecord> ConferenceRepo::Get(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto v, Many<ConferenceRecord>(c_, std::string("SELECT ") + kConfCols +
                                                             " FROM conference WHERE id = $1",
                                                     {id}, ConfFrom));
  if (v.empty()) return Status::NotFound("conference");
  return v[0];
}

Status ConferenceRepo::Update(ConferenceRecord& r, std::int64_t now) {
  TH_ASSIGN_OR_RETURN(
      auto n, c_.Execute("UPDATE conference SET reason = $1, reason_note = $2, title = $3, scheduled_at = $4, "
                         "place = $5, online = $6, agenda = $7, status = $8, discussion = $9, held_at = $10, "
                         "recorded_by = $11, closed_at = $12, case_id = $13, version = version + 1, updated_at = $14 "
                         "WHERE id = $15 AND version = $16",
                         {r.reason, r.reason_note, r.title, r.scheduled_at, r.place, std::int64_t{r.online}, r.agenda,
                          r.status, r.discussion, OptInt(r.held_at), OptInt(r.recorded_by), OptInt(r.closed_at),
                          OptInt(r.case_id), now, r.id, r.version}));
  if (n == 0) return Stale();
  ++r.version;
  r.updated_at = now;
  return Status::Ok();
}

Result<std::vector<ConferenceRecord>> ConferenceRepo::List(const ConferenceFilter& f, const Page& page,
                                                           std::int64_t* total) {
  Params p;
  const std::string where = ScopeSql(f, p);
  if (total) {
    TH_ASSIGN_OR_RETURN(auto n, c_.Query("SELECT COUNT(*) FROM conference WHERE " + where, p));
    *total = n[0].Int(0);
  }
  const std::string lim = " LIMIT $" + std::to_string(p.size() + 1) + " OFFSET $" + std::to_string(p.size() + 2);
  p.push_back(page.page_size);
  p.push_back(page.Offset());
  return Many<ConferenceRecord>(c_, std::string("SELECT ") + kConfCols + " FROM conference WHERE " + where +
                                        " ORDER BY scheduled_at DESC, id DESC" + lim,
                                p, ConfFrom);
}

Result<std::vector<ConferenceRecord>> ConferenceRepo::ForChild(std::int64_t child_id, std::int64_t limit) {
  return Many<ConferenceRecord>(c_, std::string("SELECT ") + kConfCols +
                                        " FROM conference WHERE child_id = $1 ORDER BY scheduled_at DESC, id DESC "
                                        "LIMIT $2",
                                {child_id, limit}, ConfFrom);
}

Status ConferenceRepo::ReplaceParticipants(std::int64_t conference_id, std::vector<ConferenceParticipant>& ps) {
  TH_RETURN_IF_ERROR(
      c_.Execute("DELETE FROM conference_participant WHERE conference_id = $1", {conference_id}).status());
  for (auto& x : ps) {
    x.conference_id = conference_id;
    TH_ASSIGN_OR_RETURN(auto rows, c_.Query("INSERT INTO conference_participant (conference_id, kind, agency_id, "
                                            "unit_id, name, note, attended) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                                            "RETURNING id",
                                            {conference_id, x.kind, OptInt(x.agency_id), OptInt(x.unit_id), x.name,
                                             x.note,
                                             x.attended ? storage::Value(std::int64_t{*x.attended}) : storage::Null()}));
    x.id = rows[0].Int(0);
  }
  return Status::Ok();
}

Status ConferenceRepo::SetAttended(std::int64_t participant_id, std::int64_t conference_id,
                                   std::optional<bool> attended) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE conference_participant SET attended = $1 WHERE id = $2 AND "
                                         "conference_id = $3",
                                         {attended ? storage::Value(std::int64_t{*attended}) : storage::Null(),
                                          participant_id, conference_id}));
  if (n == 0) return Status::Invalid("attendance", "invalid_participant", "参会人不属于本次会商",
                                     "The participant is not in this conference");
  return Status::Ok();
}

Result<std::vector<ConferenceParticipant>> ConferenceRepo::Participants(std::int64_t conference_id) {
  return Many<ConferenceParticipant>(
      c_, "SELECT id, conference_id, kind, agency_id, unit_id, name, note, attended FROM conference_participant "
          "WHERE conference_id = $1 ORDER BY id",
      {conference_id}, [](const Row& r) {
        ConferenceParticipant x;
        x.id = r.Int(0);
        x.conference_id = r.Int(1);
        x.kind = r.Text(2);
        x.agency_id = r.OptInt(3);
        x.unit_id = r.OptInt(4);
        x.name = r.Text(5);
        x.note = r.Text(6);
        if (auto a = r.OptInt(7)) x.attended = *a != 0;
        return x;
      });
}

Status ConferenceRepo::InsertDecision(ConferenceDecision& d) {
  TH_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query("INSERT INTO conference_decision (conference_id, child_id, seq, content, owner_kind, owner_agency_id, "
               "owner_unit_id, owner_unit_path, owner_role, owner_name, due_date, status, result_note, version, "
               "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $14) "
               "RETURNING id",
               {d.conference_id, d.child_id, std::int64_t{d.seq}, d.content, d.owner_kind, OptInt(d.owner_agency_id),
                d.owner_unit_id, d.owner_unit_path, d.owner_role, d.owner_name, d.due_date, d.status, d.result_note,
                d.created_at}));
  d.id = rows[0].Int(0);
  d.version = 1;
  d.updated_at = d.created_at;
  return Status::Ok();
}

Result<ConferenceDecision> ConferenceRepo::GetDecision(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto v, Many<ConferenceDecision>(c_, std::string("SELECT ") + kDecCols +
                                                           " FROM conference_decision WHERE id = $1",
                                                   {id}, DecFrom));
  if (v.empty()) return Status::NotFound("conference_decision");
  return v[0];
}

Status ConferenceRepo::UpdateDecision(ConferenceDecision& d, std::int64_t now) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE conference_decision SET status = $1, result_note = $2, done_at = $3, "
                                         "done_by = $4, version = version + 1, updated_at = $5 WHERE id = $6 AND "
                                         "version = $7",
                                         {d.status, d.result_note, OptInt(d.done_at), OptInt(d.done_by), now, d.id,
                                          d.version}));
  if (n == 0) return Stale();
  ++d.version;
  d.updated_at = now;
  return Status::Ok();
}

Result<std::vector<ConferenceDecision>> ConferenceRepo::Decisions(std::int64_t conference_id) {
  return Many<ConferenceDecision>(c_, std::string("SELECT ") + kDecCols +
                                      " FROM conference_decision WHERE conference_id = $1 ORDER BY seq, id",
                              {conference_id}, DecFrom);
}

Result<std::vector<ConferenceDecision>> ConferenceRepo::OpenForChild(std::int64_t child_id,
                                                                 std::int64_t except_conference) {
  return Many<ConferenceDecision>(c_, std::string("SELECT ") + kDecCols +
                                      " FROM conference_decision WHERE child_id = $1 AND status = 'open' AND "
                                      "conference_id <> $2 ORDER BY due_date, id",
                              {child_id, except_conference}, DecFrom);
}

Result<std::vector<ConferenceDecision>> ConferenceRepo::Assigned(std::optional<std::int64_t> agency_id,
                                                             const std::string& unit_path, const std::string& status,
                                                             std::int64_t limit) {
  Params p;
  std::string where;
  if (agency_id) {
    where = "owner_agency_id = $1";
    p.push_back(*agency_id);
  } else {
    where = "owner_kind = 'unit' AND owner_unit_path LIKE $1";
    p.push_back(unit_path + "%");
  }
  if (!status.empty()) {
    where += " AND status = $" + std::to_string(p.size() + 1);
    p.push_back(status);
  }
  p.push_back(limit);
  return Many<ConferenceDecision>(c_, std::string("SELECT ") + kDecCols + " FROM conference_decision WHERE " + where +
                                      " ORDER BY status DESC, due_date, id LIMIT $" + std::to_string(p.size()),
                              p, DecFrom);
}

Status ConferenceRepo::MoveUnit(const std::string& old_path, const std::string& new_path) {
  const std::int64_t n = static_cast<std::int64_t>(old_path.size());
  TH_RETURN_IF_ERROR(c_.Execute("UPDATE conference SET unit_path = $1 || substr(unit_path, $2) WHERE unit_path LIKE $3",
                                {new_path, n + 1, old_path + "%"})
                         .status());
  return c_.Execute("UPDATE conference_decision SET owner_unit_path = $1 || substr(owner_unit_path, $2) WHERE "
                    "owner_unit_path LIKE $3",
                    {new_path, n + 1, old_path + "%"})
      .status();
}

}  // namespace th::repo
