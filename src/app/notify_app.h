#pragma once
// Wiring of the notification worker into the `tonghu` command (serve, notify deliver): reads
// <config-dir>/notify.json and sends over http::PostJson.
#include <memory>
#include <string>

#include "app/bootstrap.h"
#include "platform/notify/service/outbox_worker.h"

namespace th::notify {

// Starts the outbox worker when a channel is enabled in <config_dir>/notify.json; null when
// delivery is off. An invalid file is an error naming it (the server does not start).
Result<std::unique_ptr<OutboxWorker>> StartNotifyWorker(app::App& app, const std::string& config_dir);

// `tonghu notify deliver`: delivers every due outbox row once and prints the counts. Exit code 0,
// or 1 when the config is invalid, delivery is off, or storage fails.
int RunNotifyDeliver(app::App& app, const std::string& config_dir);

}  // namespace th::notify
