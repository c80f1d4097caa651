#pragma once
// `tonghu demo`: a welcome notification for every demo account, the same every time (content and
// recipients; times from the clock). The reminders come from the demo's real work: its closing
// escalation sweep notifies the owners and supervisors of what is due or overdue (app/demo_activity.h).
#include "base/status.h"
#include "platform/notify/service/notify_config.h"
#include "platform/service/deps.h"

namespace th::notify {

// Writes the demo notifications in one transaction (and their outbox rows when `config` turns a
// channel on). Requires the demo accounts (app::LoadDemo).
Status LoadDemoNotifications(service::Deps& deps, const NotifyConfig& config = {});

}  // namespace th::notify
