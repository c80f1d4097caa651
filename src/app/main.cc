// tonghu: the command-line entry point (serve, init, demo, user, audit verify, backup).
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <termios.h>
#include <unistd.h>

#include "app/modules.h"
#include "modules/reports/api/report_routes.h"
#include "modules/reports/service/report_service.h"
#include "modules/accounts/service/accounts.h"
#include "app/bootstrap.h"
#include "app/demo_activity.h"
#include "app/dispatch_commands.h"
#include "app/cases_demo.h"
#include "app/guardianship_demo.h"
#include "app/plans_demo.h"
#include "app/conferences_demo.h"
#include "app/dispatch_demo.h"
#include "app/reports_demo.h"
#include "app/visits_commands.h"
#include "app/cases_commands.h"
#include "app/visits_demo.h"
#include "app/warnings_commands.h"
#include "app/warnings_demo.h"
#include "http/message.h"
#include "linkage/commands.h"
#include "platform/repo/org_repo.h"
#include "platform/repo/user_repo.h"
#include "platform/service/services.h"
#include "platform/service/auth_service.h"
#include "modules/registry/service/child_service.h"
#include "modules/screening/service/screening_service.h"
#include "modules/accounts/service/user_service.h"
#include "app/notify_app.h"
#include "platform/work/sweeper.h"
#include "app/work_commands.h"
#include "platform/work/work_service.h"

namespace {

using th::app::AppConfig;

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

void AddCommon(CLI::App* cmd, AppConfig& cfg) {
  cmd->add_option("--database", cfg.database,
                  "Database URL: sqlite:PATH or postgresql://user@host:port/db (env TONGHU_DATABASE; "
                  "default sqlite:<data-dir>/tonghu.db)");
  cmd->add_option("--data-dir", cfg.data_dir, "Data directory for the SQLite file and key (env TONGHU_DATA_DIR)");
  cmd->add_option("--key-file", cfg.key_file, "Master key file (default <data-dir>/tonghu.key; env TONGHU_KEY_FILE)");
  cmd->add_option("--config-dir", cfg.config_dir, "Directory with the rule and region files (default config)");
  cmd->add_option("--sqlite-mmap-mb", cfg.sqlite_mmap_mb,
                  "SQLite: memory-map this many MiB of the database file for reads (default 0: off; at most 2048). "
                  "Searches cost ~30% less CPU; the mapped page cache then counts in the RSS once per pooled "
                  "connection (RssFile), not as private memory (RssAnon)");
  cmd->add_option("--sqlite-cache-mb", cfg.sqlite_cache_mb,
                  "SQLite: page cache of each pooled connection in MiB (default 2; private memory, RssAnon)");
}

int Fail(const th::Status& s) {
  std::fprintf(stderr, "错误 / error: %s\n  %s\n", s.message_zh().c_str(), s.ToString().c_str());
  return 1;
}

std::string ReadPasswordFromTerminal(const char* prompt) {
  std::fprintf(stderr, "%s", prompt);
  termios old{};
  bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios t = old;
    t.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &t);
  }
  std::string pw;
  std::getline(std::cin, pw);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::fprintf(stderr, "\n");
  }
  return pw;
}

}  // namespace

// Long: the CLI definition (CLI11 options of every subcommand) and a flat dispatch, read top to bottom.
int main(int argc, char** argv) {
  CLI::App cli{"童护 Tonghu — 基层未成年人保护平台 / community child-protection platform"};
  cli.require_subcommand(1);
  AppConfig cfg;
  cfg.database = EnvOr("TONGHU_DATABASE", "");
  cfg.data_dir = EnvOr("TONGHU_DATA_DIR", "data");
  cfg.key_file = EnvOr("TONGHU_KEY_FILE", "");

  // serve
  auto* serve = cli.add_subcommand("serve", "Run the HTTP server (API + web app)");
  AddCommon(serve, cfg);
  th::http::ServerOptions sopts;
  sopts.port = static_cast<std::uint16_t>(std::atoi(EnvOr("TONGHU_PORT", "8080").c_str()));
  sopts.static_dir = "web/dist";
  bool no_access_log = false;
  serve->add_option("--host", sopts.host, "Address to listen on (default 127.0.0.1; put nginx in front for TLS)");
  serve->add_option("--port", sopts.port, "Port (env TONGHU_PORT; default 8080; 0 picks a free one)");
  serve->add_option("--static-dir", sopts.static_dir, "Built web app directory (default web/dist)");
  serve->add_option("--threads", sopts.threads, "I/O threads (default 2 x cores, at least 4)");
  serve->add_flag("--trust-proxy", sopts.trust_proxy, "Trust X-Forwarded-For/-Proto from a local reverse proxy");
  serve->add_flag("--no-access-log", no_access_log, "Do not log one line per request");
  serve->add_flag("--fast-hash", cfg.fast_hash, "Minimum argon2id cost (tests only; never in production)");
  int login_ip_limit = 600;
  serve->add_option("--login-ip-limit", login_ip_limit, "Login attempts allowed per client address per 5 minutes (default 600: an office behind one address logs in together)");
  int login_user_limit = 100;
  serve->add_option("--login-user-limit", login_user_limit, "Login attempts allowed per username per 5 minutes (default 100)");
  int public_report_limit = 0;
  serve->add_option("--public-report-limit", public_report_limit,
                    "Public reports allowed per client address per window (default: config/reports/categories.json)");
  std::int64_t sweep_interval_s = 60;
  serve->add_option("--sweep-interval", sweep_interval_s, "Seconds between escalation sweeps of the work items (default 60; 0: off)");
  bool serve_demo = false;
  serve->add_flag("--demo", serve_demo, "Load the demo district first if the database has no users");
  std::string categories;
  serve->add_option("--categories", categories,
                    "Category rules: a province name under <config-dir>/categories (default guangdong) or a JSON path");

  // init
  auto* init = cli.add_subcommand("init", "Create the database schema and the first administrator");
  AddCommon(init, cfg);
  std::string root_code, root_name, admin_user = "admin", admin_password;
  init->add_option("--root-code", root_code, "12-digit region code of the deployment's top unit (e.g. 440307000000)")->required();
  init->add_option("--root-name", root_name, "Name of the top unit (e.g. 龙岗区)")->required();
  init->add_option("--admin", admin_user, "Administrator username (default admin)");
  init->add_option("--admin-password", admin_password, "Administrator password (default: prompt; empty: issue one)");

  // demo
  auto* demo = cli.add_subcommand("demo", "Create a synthetic demo district with one account per role");
  AddCommon(demo, cfg);
  demo->add_flag("--fast-hash", cfg.fast_hash, "Minimum argon2id cost (tests only)");
  std::int64_t demo_children = 0;
  std::uint64_t demo_seed = 1;
  demo->add_option("--children", demo_children, "Also generate and load N synthetic children (default 0)");
  demo->add_option("--seed", demo_seed, "Seed of the synthetic data (default 1; same seed, same data)");
  demo->add_option("--categories", categories, "Category rules (default guangdong)");
  bool demo_linkage = false;
  th::linkage::DemoOptions link_demo;
  demo->add_flag("--linkage", demo_linkage,
                 "Instead of a database: write a registry and department files with ground truth for record "
                 "linkage (registry.csv, source.csv, truth.csv), link them and print precision/recall/F1");
  demo->add_option("--out-dir", link_demo.out_dir, "With --linkage: output directory (default linkage-demo)");
  demo->add_option("--registry-size", link_demo.registry_size, "With --linkage: registry children (default 10000)");
  demo->add_option("--source-size", link_demo.source_size, "With --linkage: department records (default 10000)");
  demo->add_flag("--gbk", link_demo.gbk_source, "With --linkage: write source.csv in GBK as Excel does");
  demo->add_flag("!--no-link", link_demo.run_link, "With --linkage: only generate the files");

  // link
  auto* link = cli.add_subcommand("link", "Match department records against the registry (two CSV files)");
  th::linkage::LinkOptions link_opts;
  link->add_option("--registry", link_opts.registry_path,
                   "Registry CSV (columns id,name,sex,birth_date,id_number,father_name,mother_name,guardian_name,"
                   "guardian_phone,hukou_address,residence_address; UTF-8 or GBK; any may be blank or absent)")
      ->required();
  link->add_option("--source", link_opts.source_path, "Department CSV with the same columns")->required();
  link->add_option("--out", link_opts.out_path, "Output CSV: source_id,registry_id,score,band")->required();
  link->add_option("--threshold", link_opts.threshold, "Link at or above this match probability (default 0.95)");
  link->add_option("--review-threshold", link_opts.review_threshold, "Review band from this probability (default 0.50)");
  link->add_option("--threads", link_opts.threads, "Threads (default 2)");
  link->add_flag("--explain", link_opts.explain, "Add an explanation column (fields, agreement levels, weights)");
  link->add_flag("--bom", link_opts.utf8_bom, "Write a UTF-8 BOM so Excel opens the file correctly");
  link->add_option("--truth", link_opts.truth_path, "Truth CSV from `demo --linkage`: print precision/recall/F1");

  // categories refresh
  auto* cats = cli.add_subcommand("categories", "Category rule tools");
  cats->require_subcommand(1);
  auto* cats_refresh = cats->add_subcommand(
      "refresh", "Re-evaluate children whose verdict changes by today (age-outs, 6-month thresholds); nightly");
  AddCommon(cats_refresh, cfg);
  bool refresh_all = false;
  cats_refresh->add_flag("--all", refresh_all, "Re-evaluate every child (after a rule change)");
  cats_refresh->add_option("--categories", categories, "Category rules (default guangdong)");

  // user add / passwd
  auto* user = cli.add_subcommand("user", "Manage accounts from the command line");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "Add an account");
  AddCommon(user_add, cfg);
  std::string u_name, u_display, u_role, u_unit, u_password;
  user_add->add_option("--username", u_name, "Login name")->required();
  user_add->add_option("--display-name", u_display, "Person's name")->required();
  user_add->add_option("--role", u_role, "sysadmin, district, street_supervisor, child_director, grid_worker, "
                                         "social_worker, dept_liaison or leader")->required();
  user_add->add_option("--unit-code", u_unit, "Code of the org unit (jurisdiction)")->required();
  user_add->add_option("--password", u_password, "Initial password (default: issue one; must change at first login)");
  auto* user_passwd = user->add_subcommand("passwd", "Set an account's password (and unlock it)");
  AddCommon(user_passwd, cfg);
  bool must_change = false;
  user_passwd->add_option("--username", u_name, "Login name")->required();
  user_passwd->add_option("--password", u_password, "New password (default: prompt)");
  user_passwd->add_flag("--must-change", must_change, "Require a change at next login");

  // audit verify
  auto* audit = cli.add_subcommand("audit", "Audit log tools");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "Recompute the keyed hash chain; exit 1 if it was tampered with");
  AddCommon(verify, cfg);
  std::string checkpoints_file;
  verify->add_option("--checkpoints", checkpoints_file,
                     "A file of checkpoint lines (from 'audit checkpoint'): each entry must still be there unchanged");
  auto* checkpoint = audit->add_subcommand(
      "checkpoint", "Verify the chain, then print its head as a checkpoint line to keep apart from the database");
  AddCommon(checkpoint, cfg);
  std::string checkpoint_out;
  checkpoint->add_option("--out", checkpoint_out, "Also append the line to this file (keep it off the database server)");

  // routes
  auto* routes = cli.add_subcommand("routes", "Print every API route (METHOD /pattern), one per line");
  AddCommon(routes, cfg);

  // notify deliver (issue 10)
  auto* notify_cmd = cli.add_subcommand("notify", "Notification tools");
  notify_cmd->require_subcommand(1);
  auto* notify_deliver = notify_cmd->add_subcommand(
      "deliver", "Deliver every due notification in the outbox once (<config-dir>/notify.json; off by default)");
  AddCommon(notify_deliver, cfg);

  // backup
  auto* backup = cli.add_subcommand("backup", "Online backup (SQLite) or pg_dump advice (PostgreSQL)");
  AddCommon(backup, cfg);
  std::string backup_out;
  backup->add_option("--out", backup_out, "Destination file (default <data-dir>/backup-<time>.db)");

  th::work::WorkCommands work_cmds;
  th::work::AddWorkCommands(cli, cfg, work_cmds);
  th::app::DispatchCommands dispatch_cmds;
  th::app::AddDispatchCommands(cli, cfg, dispatch_cmds);
  th::app::VisitsCommands visits_cmds;
  th::app::AddVisitsCommands(cli, cfg, visits_cmds);
  th::app::WarningsCommands warnings_cmds;
  th::app::AddWarningsCommands(cli, cfg, warnings_cmds);
  th::app::CasesCommands cases_cmds;
  th::app::AddCasesCommands(cli, cfg, cases_cmds);

  CLI11_PARSE(cli, argc, argv);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");

  if (auto rc = th::work::RunWorkCommands(work_cmds, cfg)) return *rc;
  if (auto rc = th::app::RunDispatchCommands(dispatch_cmds, cfg)) return *rc;
  if (auto rc = th::app::RunVisitsCommands(visits_cmds, cfg)) return *rc;
  if (auto rc = th::app::RunWarningsCommands(warnings_cmds, cfg)) return *rc;
  if (auto rc = th::app::RunCasesCommands(cases_cmds, cfg)) return *rc;
  if (*serve) {
    cfg.login_ip_limit = login_ip_limit;
    cfg.login_user_limit = login_user_limit;
    auto app = th::app::OpenApp(cfg, true);
    if (!app.ok()) return Fail(app.status());
    bool demo_created = false;
    if (serve_demo) {
      auto s = th::app::LoadDemo(*app, cfg.config_dir, &demo_created);
      if (!s.ok()) return Fail(s);
    }
    if (auto s = th::app::ConfigureModules(*app, cfg.config_dir, categories); !s.ok()) return Fail(s);
    if (demo_created) {  // as `tonghu demo`: the demo district's recent work
      if (auto act = th::app::LoadDemoActivity(*app); !act.ok()) return Fail(act.status());
      if (auto st = th::app::LoadDemoReports(*app); !st.ok()) return Fail(st);
      if (auto st = th::app::LoadDemoDispatch(*app); !st.ok()) return Fail(st);
      if (auto st = th::app::LoadDemoCases(*app); !st.ok()) return Fail(st);
      if (auto st = th::app::LoadDemoPlans(*app); !st.ok()) return Fail(st);
      if (auto st = th::app::LoadDemoVisits(*app); !st.ok()) return Fail(st.status());
      if (auto st = th::app::LoadDemoConferences(*app); !st.ok()) return Fail(st);
      if (auto st = th::app::LoadDemoGuardianship(*app); !st.ok()) return Fail(st);
      if (auto st = th::app::LoadDemoWarnings(*app); !st.ok()) return Fail(st.status());
    }
    if (public_report_limit > 0) app->modules->reports()->SetPublicPerAddress(public_report_limit);
    th::http::Router router;
    app->modules->RegisterRoutes(router, {"0.1.0", app->engine});
    // Background work (screening batches are matched by one worker thread; stopped before exit).
    app->modules->StartWorkers();
    auto notify_worker = th::notify::StartNotifyWorker(*app, cfg.config_dir);  // null when delivery is off
    if (!notify_worker.ok()) return Fail(notify_worker.status());
    std::unique_ptr<th::work::Sweeper> sweeper;  // escalation of work items, every --sweep-interval seconds
    if (sweep_interval_s > 0) sweeper = std::make_unique<th::work::Sweeper>(*th::work::FindWork(app->services->deps()), sweep_interval_s * 1000);
    sopts.upload_prefixes = {"/api/v1/org-units/import", "/api/v1/children/import", "/api/v1/screening/batches",
                             "/api/v1/child-photos/", "/api/v1/dispatch-attachments",
                             "/api/v1/service-attachments", "/api/v1/visit-photos",
                             "/api/v1/conference-attachments"};
    sopts.body_limit_of = th::api::ReportsBodyLimit;  // the public report form's small bodies, attachments
    sopts.access_log = !no_access_log;
    th::http::Server server(sopts, std::move(router));
    std::string err;
    if (!server.Start(&err)) {
      std::fprintf(stderr, "无法监听端口 / cannot listen: %s\n", err.c_str());
      return 1;
    }
    spdlog::info("tonghu serving http://{}:{} database={} static={}", sopts.host, server.port(), app->engine,
                 sopts.static_dir);
    std::fflush(stdout);
    server.Run(true);
    sweeper.reset();
    notify_worker->reset();
    app->modules->StopWorkers();
    spdlog::info("tonghu stopped");
    return 0;
  }
  if (*init) {
    auto app = th::app::OpenApp(cfg, true);
    if (!app.ok()) return Fail(app.status());
    if (admin_password.empty() && isatty(STDIN_FILENO)) {
      admin_password = ReadPasswordFromTerminal("管理员密码 / admin password (empty: issue one): ");
    }
    auto s = th::app::InitFirstAdmin(*app, root_code, root_name, admin_user, admin_password);
    if (!s.ok()) return Fail(s);
    std::printf("已初始化 / initialized: %s (%s), administrator %s\n", root_name.c_str(), root_code.c_str(),
                admin_user.c_str());
    return 0;
  }
  if (*link) return th::linkage::RunLinkCommand(link_opts);
  if (*demo && demo_linkage) {
    link_demo.seed = demo_seed;
    return th::linkage::RunLinkageDemo(link_demo);
  }
  if (*demo) {
    auto app = th::app::OpenApp(cfg, true);
    if (!app.ok()) return Fail(app.status());
    bool created = false;
    auto s = th::app::LoadDemo(*app, cfg.config_dir, &created);
    if (!s.ok()) return Fail(s);
    std::printf(created ? "已创建演示区 / demo district created\n" : "数据库已有数据，未重复创建 / demo already present\n");
    if (created || demo_children > 0) {
      if (auto st = th::app::ConfigureModules(*app, cfg.config_dir, categories); !st.ok()) return Fail(st);
    }
    if (created) {  // the past weeks' work: roll requests, screening tasks, extensions, escalations
      auto act = th::app::LoadDemoActivity(*app);
      if (!act.ok()) return Fail(act.status());
      std::printf("演示业务 / demo activity: %lld children, %lld roll requests, %lld screening batches (%lld findings), "
                  "%lld outcomes, %lld extension requests, %lld escalation steps\n",
                  static_cast<long long>(act->children), static_cast<long long>(act->roll_requests),
                  static_cast<long long>(act->batches), static_cast<long long>(act->tasks),
                  static_cast<long long>(act->outcomes), static_cast<long long>(act->extensions),
                  static_cast<long long>(act->escalations));
      if (auto st = th::app::LoadDemoReports(*app); !st.ok()) return Fail(st);  // reports through every channel
      if (auto st = th::app::LoadDemoDispatch(*app); !st.ok()) return Fail(st);  // orders in every state
      if (auto st = th::app::LoadDemoCases(*app); !st.ok()) return Fail(st);  // cases with assessments and grades
      if (auto st = th::app::LoadDemoPlans(*app); !st.ok()) return Fail(st);  // plans, service records, groups
      if (auto st = th::app::LoadDemoVisits(*app); !st.ok()) return Fail(st.status());  // schedules, visits, overdue
      if (auto st = th::app::LoadDemoConferences(*app); !st.ok()) return Fail(st);  // conferences, decisions
      if (auto st = th::app::LoadDemoGuardianship(*app); !st.ok()) return Fail(st);  // guardianship interventions
      if (auto st = th::app::LoadDemoWarnings(*app); !st.ok()) return Fail(st.status());  // warnings, one handled
    }
    if (demo_children > 0) {
      auto t0 = std::chrono::steady_clock::now();
      auto n = th::app::LoadDemoChildren(*app, cfg.config_dir, demo_children, demo_seed);
      if (!n.ok()) return Fail(n.status());
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::printf("已载入演示儿童 / demo children loaded: %lld in %.1f s (seed %llu)\n", static_cast<long long>(*n), secs,
                  static_cast<unsigned long long>(demo_seed));
    }
    return 0;
  }
  if (*cats_refresh) {
    auto app = th::app::OpenApp(cfg, false);
    if (!app.ok()) return Fail(app.status());
    if (auto st = th::app::ConfigureModules(*app, cfg.config_dir, categories); !st.ok()) return Fail(st);
    auto t0 = std::chrono::steady_clock::now();
    std::int64_t changed = 0;
    auto n = app->modules->children()->Refresh(refresh_all, &changed);
    if (!n.ok()) return Fail(n.status());
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("已重新评估 / re-evaluated %lld children (%lld changed) in %.1f s\n", static_cast<long long>(*n),
                static_cast<long long>(changed), secs);
    return 0;
  }
  if (*user_add) {
    auto app = th::app::OpenApp(cfg, true);
    if (!app.ok()) return Fail(app.status());
    auto h = app->db->Acquire();
    if (!h.ok()) return Fail(h.status());
    auto unit = th::repo::OrgRepo(**h).GetByCode(u_unit);
    if (!unit.ok()) return Fail(unit.status());
    th::service::NewUser nu;
    nu.username = u_name;
    nu.display_name = u_display;
    nu.role = u_role;
    nu.org_unit_id = unit->id;
    nu.password = u_password;
    auto created = app->modules->accounts().users().Create(nullptr, nu);
    if (!created.ok()) return Fail(created.status());
    std::printf("已创建用户 / created %s (id %lld)\n", u_name.c_str(), static_cast<long long>(created->first.id));
    if (!created->second.empty()) std::printf("初始密码 / initial password: %s\n", created->second.c_str());
    return 0;
  }
  if (*user_passwd) {
    auto app = th::app::OpenApp(cfg, true);
    if (!app.ok()) return Fail(app.status());
    if (u_password.empty()) u_password = ReadPasswordFromTerminal("新密码 / new password: ");
    auto s = app->modules->accounts().users().SetPasswordByUsername(u_name, u_password, must_change);
    if (!s.ok()) return Fail(s);
    std::printf("密码已更新 / password updated for %s\n", u_name.c_str());
    return 0;
  }
  if (*routes) {
    auto app = th::app::OpenApp(cfg, false);
    if (!app.ok()) return Fail(app.status());
    if (auto s = th::app::ConfigureModules(*app, cfg.config_dir, ""); !s.ok()) return Fail(s);
    th::http::Router router;
    app->modules->RegisterRoutes(router, {"0.1.0", app->engine});
    for (const auto& line : router.Describe()) std::printf("%s\n", line.c_str());
    return 0;
  }
  if (*notify_deliver) {
    auto app = th::app::OpenApp(cfg, false);
    if (!app.ok()) return Fail(app.status());
    return th::notify::RunNotifyDeliver(*app, cfg.config_dir);
  }
  if (*checkpoint) {
    auto app = th::app::OpenApp(cfg, false);
    if (!app.ok()) return Fail(app.status());
    auto cp = app->services->audit().Checkpoint();
    if (!cp.ok()) return Fail(cp.status());
    const std::string line = th::service::FormatCheckpoint(*cp, app->clock->NowMillis());
    if (!checkpoint_out.empty()) {
      std::ofstream out(checkpoint_out, std::ios::app);
      out << line << "\n";
      if (!out) return Fail(th::Status::Internal("cannot write " + checkpoint_out));
    }
    std::printf("%s\n", line.c_str());
    return 0;
  }
  if (*verify) {
    auto app = th::app::OpenApp(cfg, false);
    if (!app.ok()) return Fail(app.status());
    std::vector<th::repo::AuditCheckpoint> cps;
    if (!checkpoints_file.empty()) {
      std::ifstream in(checkpoints_file);
      if (!in) return Fail(th::Status::Invalid("checkpoints", "file_not_found", "找不到检查点文件: " + checkpoints_file,
                                               "Cannot read checkpoint file: " + checkpoints_file));
      std::stringstream ss;
      ss << in.rdbuf();
      auto parsed = th::service::ParseCheckpoints(ss.str());
      if (!parsed.ok()) return Fail(parsed.status());
      cps = std::move(*parsed);
    }
    auto r = app->services->audit().Verify(nullptr, cps);
    if (!r.ok()) return Fail(r.status());
    if (r->ok) {
      std::printf("审计日志完整 / audit chain OK: %lld entries\n", static_cast<long long>(r->checked));
      return 0;
    }
    std::printf("审计日志被篡改 / audit chain BROKEN at entry %lld (%s); %lld entries checked\n",
                static_cast<long long>(r->first_bad_seq), r->reason.c_str(), static_cast<long long>(r->checked));
    return 1;
  }
  if (*backup) {
    auto app = th::app::OpenApp(cfg, false);
    if (!app.ok()) return Fail(app.status());
    if (app->engine != "sqlite") {
      std::printf("PostgreSQL: use pg_dump, e.g.\n  pg_dump --format=custom --file=tonghu-$(date +%%F).dump '%s'\n"
                  "Restore with pg_restore --clean --dbname=... . Keep the key file (%s) with the backup, apart from it.\n",
                  cfg.database.c_str(), cfg.key_file.empty() ? (cfg.data_dir + "/tonghu.key").c_str() : cfg.key_file.c_str());
      return 0;
    }
    if (backup_out.empty()) {
      backup_out = cfg.data_dir + "/backup-" + std::to_string(app->clock->NowMillis() / 1000) + ".db";
    }
    if (std::filesystem::exists(backup_out)) {
      std::fprintf(stderr, "目标文件已存在 / destination exists: %s\n", backup_out.c_str());
      return 1;
    }
    auto h = app->db->Acquire();
    if (!h.ok()) return Fail(h.status());
    // VACUUM INTO writes a consistent, compacted copy while other connections keep working.
    std::string quoted;
    for (char c : backup_out) quoted += c == '\'' ? std::string("''") : std::string(1, c);
    auto r = (*h)->Execute("VACUUM INTO '" + quoted + "'");
    if (!r.ok()) return Fail(r.status());
    std::printf("已备份 / backup written: %s\n  (the key file must be kept too: without it encrypted fields cannot be read)\n",
                backup_out.c_str());
    return 0;
  }
  return 0;
}
