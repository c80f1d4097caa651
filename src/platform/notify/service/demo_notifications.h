#pragma once
// `tonghu demo`: a few notifications for the demo accounts, the same every time (content and
// recipients; times from the clock), so the bell has something to show.
#include "base/status.h"
#include "platform/notify/service/notify_config.h"
#include "platform/service/deps.h"

namespace th::notify {

// Writes the demo notifications in one transaction (and their outbox rows when `config` turns a
// channel on). Requires the demo accounts (app::LoadDemo).
Status LoadDemoNotifications(service::Deps& deps, const NotifyConfig& config = {});

}  // namespace th::notify
