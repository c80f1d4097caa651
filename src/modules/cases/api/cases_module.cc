#include "modules/cases/api/cases_module.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <sstream>

#include "modules/cases/api/case_routes.h"
#include "platform/service/services.h"

namespace th::api {

struct CasesModule::Worker {
  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;
  std::thread thread;
};

CasesModule::CasesModule(service::Services& platform, domain::CaseConfig config, domain::FormSet forms,
                         service::ChildService& children)
    : cases_(platform.deps(), std::move(config), std::move(forms), children) {}

CasesModule::~CasesModule() { StopWorkers(); }

void CasesModule::RegisterRoutes(http::Router& r, const RouteContext& ctx) { RegisterCaseRoutes(r, cases_, ctx); }

void CasesModule::StartWorkers() {
  if (worker_) return;
  worker_ = std::make_unique<Worker>();
  worker_->thread = std::thread([this] {
    // The first pass (at start) is always logged, so that benchmarks can wait for it (bench/visits, bench/cases).
    for (bool first = true;; first = false) {
      auto t0 = std::chrono::steady_clock::now();
      auto n = cases_.EvaluateDeadlines();
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
      if (!n.ok()) spdlog::warn("cases: deadline evaluation failed: {}", n.status().ToString());
      else if (*n > 0 || first) spdlog::info("cases: {} assessment deadline(s) opened in {} ms", *n, ms.count());
      std::unique_lock<std::mutex> lock(worker_->mu);
      worker_->cv.wait_for(lock, std::chrono::hours(1), [this] { return worker_->stop; });
      if (worker_->stop) return;
    }
  });
}

void CasesModule::StopWorkers() {
  if (!worker_) return;
  {
    std::lock_guard<std::mutex> lock(worker_->mu);
    worker_->stop = true;
  }
  worker_->cv.notify_one();
  if (worker_->thread.joinable()) worker_->thread.join();
  worker_.reset();
}

Status LoadCasesConfig(const std::string& config_dir, domain::CaseConfig* config, domain::FormSet* forms) {
  const std::string file = config_dir + "/cases/cases.json";
  std::ifstream in(file);
  if (!in) {
    return Status::Invalid("cases", "missing_config", "缺少配置文件: " + file, "Missing configuration file: " + file);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  TH_ASSIGN_OR_RETURN(*config, domain::ParseCaseConfig(ss.str(), file));
  TH_ASSIGN_OR_RETURN(forms->forms, domain::LoadForms(config_dir + "/assessments"));
  for (const auto& [kind, code] : config->forms) {
    const domain::AssessmentForm* f = forms->Find(code);
    if (!f || f->kind != kind) {
      return Status::Invalid("cases", "invalid_case_config", "个案配置有误(" + file + "): 评估表 " + code + " 不存在或类型不是 " + kind,
                             "Invalid case configuration (" + file + "): no " + kind + " form " + code);
    }
    forms->active[kind] = code;
  }
  return Status::Ok();
}

}  // namespace th::api
