#include "app/warnings_demo.h"

#include "app/demo_accounts.h"
#include "app/modules.h"
#include "modules/warnings/service/warning_service.h"
#include "platform/service/deps.h"

namespace th::app {

namespace {
constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
}  // namespace

// Long: one linear demo script (evaluate, raise, handle, evaluate).
Result<std::int64_t> LoadDemoWarnings(App& app) {
  service::WarningService* warnings = app.modules->warnings();
  if (!warnings) return Status::Internal("warnings module not configured");
  TH_ASSIGN_OR_RETURN(auto director, DemoPrincipal(app, "director"));
  const std::int64_t now = app.clock->NowMillis();
  // Two days ago, 02:00: the nightly run over the district.
  app.clock->Pin(now - 2 * kDayMs);
  TH_RETURN_IF_ERROR(warnings->Evaluate().status());
  // Yesterday: after a home visit the 儿童主任 raises one by hand on a child of her community.
  std::int64_t kid = 0;
  {
    TH_ASSIGN_OR_RETURN(auto h, app.db->Acquire());
    TH_ASSIGN_OR_RETURN(auto rows, h->Query("SELECT id FROM child WHERE community_id = $1 AND roll_status = 'on_roll' "
                                            "ORDER BY id LIMIT 1",
                                            {director.org_unit_id}));
    if (!rows.empty()) kid = rows[0].Int(0);
  }
  if (kid != 0) {
    app.clock->Pin(now - kDayMs + 3 * 3600 * 1000);
    bool created = false;
    TH_RETURN_IF_ERROR(warnings
                           ->RaiseManual(director, kid, "manual", "走访发现孩子手臂有多处淤青，自称摔伤，监护人说法不一，需进一步核实",
                                         &created)
                           .status());
  }
  // Yesterday afternoon: she handles the oldest open warning of her community after checking at home.
  app.clock->Pin(now - kDayMs + 7 * 3600 * 1000);
  service::WarningListParams p;
  p.status = "open";
  std::int64_t total = 0;
  TH_ASSIGN_OR_RETURN(auto open, warnings->List(director, p, repo::Page{1, 100}, &total));
  for (auto it = open.rbegin(); it != open.rend(); ++it) {
    if (it->rule_code == "manual") continue;
    TH_RETURN_IF_ERROR(warnings
                           ->Handle(director, it->id, "handled",
                                    "已入户核实：由祖母照料，生活基本有保障；已联系街道社工纳入重点关注，下周再访",
                                    it->version)
                           .status());
    break;
  }
  app.clock->Unpin();
  // Today: the nightly run again (the handled one is raised anew only if its condition still holds).
  TH_ASSIGN_OR_RETURN(auto r, warnings->Evaluate());
  TH_ASSIGN_OR_RETURN(auto h, app.db->Acquire());
  TH_ASSIGN_OR_RETURN(auto n, h->Query("SELECT COUNT(*) FROM warning WHERE is_open = 1"));
  (void)r;
  return n[0].Int(0);
}

}  // namespace th::app
