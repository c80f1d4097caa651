#include "platform/work/work_history_repo.h"

namespace th::work {

Result<std::vector<WorkStepRecord>> WorkHistoryRepo::Steps(std::int64_t item_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT id, action, from_state, to_state, by_user_id, by_name, at, note, due_at "
                                          "FROM work_step WHERE item_id = $1 ORDER BY at, id LIMIT 500",
                                          {item_id}));
  std::vector<WorkStepRecord> out;
  out.reserve(rows.size());
  for (const auto& r : rows.rows) {
    WorkStepRecord s;
    s.id = r.Int(0);
    s.action = r.Text(1);
    s.from_state = r.Text(2);
    s.to_state = r.Text(3);
    s.by_user_id = r.OptInt(4);
    s.by_name = r.Text(5);
    s.at = r.Int(6);
    s.note = r.Text(7);
    s.due_at = r.OptInt(8);
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<WorkEscalationRecord>> WorkHistoryRepo::Escalations(std::int64_t item_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT e.id, e.round, e.level, e.step, e.target_unit_id, u.name, e.at "
                                          "FROM work_escalation e JOIN org_unit u ON u.id = e.target_unit_id "
                                          "WHERE e.item_id = $1 ORDER BY e.at, e.round, e.level, e.step, e.id LIMIT 500",
                                          {item_id}));
  std::vector<WorkEscalationRecord> out;
  out.reserve(rows.size());
  for (const auto& r : rows.rows) {
    WorkEscalationRecord e;
    e.id = r.Int(0);
    e.round = r.Int(1);
    e.level = r.Int(2);
    e.step = r.Text(3);
    e.target_unit_id = r.Int(4);
    e.target_unit_name = r.Text(5);
    e.at = r.Int(6);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace th::work
