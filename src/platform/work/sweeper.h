#pragma once
// The background scheduler of `tonghu serve`: runs WorkService::Sweep every `interval_ms` on its
// own thread (the clock decides what is due; several servers may run one each). Stopped and
// joined by the destructor.
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace th::work {

class WorkService;

class Sweeper {
 public:
  Sweeper(WorkService& work, std::int64_t interval_ms);
  ~Sweeper();
  Sweeper(const Sweeper&) = delete;
  Sweeper& operator=(const Sweeper&) = delete;

 private:
  void Run();
  WorkService& work_;
  std::int64_t interval_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace th::work
