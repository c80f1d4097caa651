#include "platform/repo/timeline_repo.h"

#include "platform/repo/sql_values.h"

namespace th::repo {

TimelineEvent TimelineEvent::Of(std::int64_t owner_id, std::int64_t at, std::int64_t user_id, std::string action,
                                std::string from_status, std::string to_status, std::string note) {
  TimelineEvent e;
  e.owner_id = owner_id;
  e.at = at;
  if (user_id > 0) e.user_id = user_id;
  e.action = std::move(action);
  e.from_status = std::move(from_status);
  e.to_status = std::move(to_status);
  e.note = std::move(note);
  return e;
}

Status TimelineRepo::Add(TimelineEvent& e) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("INSERT INTO ") + t_.table + " (" + t_.owner_column +
                                              ", at, user_id, action, from_status, to_status, note) "
                                              "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                                          {e.owner_id, e.at, OptInt(e.user_id), e.action, e.from_status,
                                           e.to_status, e.note}));
  if (rows.empty()) return Status::Internal(std::string(t_.table) + " insert returned no id");
  e.id = rows[0].Int(0);
  return Status::Ok();
}

Result<std::vector<TimelineEvent>> TimelineRepo::List(std::int64_t owner_id) {
  const storage::Statement st = ListStatement(owner_id);
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(st.sql, st.params));
  return EventsFrom(rows);
}

storage::Statement TimelineRepo::ListStatement(std::int64_t owner_id) const {
  return {std::string("SELECT e.id, e.") + t_.owner_column +
              ", e.at, e.user_id, e.action, e.from_status, e.to_status, e.note, u.display_name FROM " + t_.table +
              " e LEFT JOIN app_user u ON u.id = e.user_id WHERE e." + t_.owner_column + " = $1 ORDER BY e.id",
          {owner_id}};
}

std::vector<TimelineEvent> TimelineRepo::EventsFrom(const storage::Rows& rows) {
  std::vector<TimelineEvent> out;
  out.reserve(rows.size());
  for (const auto& r : rows.rows) {
    out.push_back({r.Int(0), r.Int(1), r.Int(2), r.OptInt(3), r.Text(4), r.Text(5), r.Text(6), r.Text(7), r.Text(8)});
  }
  return out;
}

}  // namespace th::repo
