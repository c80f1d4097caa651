// ScreeningWorker: one background thread that processes queued batches.
#include "modules/screening/service/screening_internal.h"

namespace th::service {

using namespace screening_internal;  // NOLINT: this file is part of the screening service

ScreeningWorker::ScreeningWorker(ScreeningService& svc, std::int64_t poll_ms) : svc_(svc), poll_ms_(poll_ms) {}

ScreeningWorker::~ScreeningWorker() { Stop(); }

void ScreeningWorker::Start() {
  svc_.SetOnQueued([this] { Notify(); });
  thread_ = std::thread([this] { Loop(); });
}

void ScreeningWorker::Notify() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_ = true;
  }
  cv_.notify_one();
}

void ScreeningWorker::Stop() {
  if (!thread_.joinable()) return;
  svc_.SetOnQueued(nullptr);
  svc_.RequestStop();
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void ScreeningWorker::Loop() {
  // A batch left running by a crashed server: at start, SQLite's single server re-queues all of
  // them; on PostgreSQL (several servers may share it) only those whose heartbeat went stale,
  // checked again every poll.
  const bool shared = svc_.deps().db.dialect().engine() != storage::Engine::kSqlite;
  auto recovered = svc_.RecoverInterrupted(shared ? std::nullopt : std::optional<std::int64_t>(0));
  if (!recovered.ok()) spdlog::warn("screening: recovery failed: {}", recovered.status().ToString());
  else if (*recovered > 0) spdlog::info("screening: {} interrupted batch(es) re-queued or failed", *recovered);
  for (;;) {
    auto n = svc_.RunPending();
    if (!n.ok()) spdlog::warn("screening: worker error: {}", n.status().ToString());
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(poll_ms_), [this] { return stop_ || pending_; });
    if (stop_) return;
    pending_ = false;
    lock.unlock();
    if (shared) {
      auto r = svc_.RecoverInterrupted();
      if (!r.ok()) spdlog::warn("screening: recovery failed: {}", r.status().ToString());
    }
  }
}

std::unique_ptr<ScreeningWorker> StartScreeningWorker(ScreeningService& svc) {
  auto w = std::make_unique<ScreeningWorker>(svc);
  w->Start();
  return w;
}

}  // namespace th::service
