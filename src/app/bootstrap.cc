#include "app/bootstrap.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "base/json_writer.h"
#include "platform/notify/service/demo_notifications.h"
#include "platform/notify/service/escalation_notifier.h"
#include "platform/work/work_service.h"
#include "modules/registry/domain/demo_generator.h"
#include "domain/region.h"

#include "io/csv.h"
#include "modules/registry/repo/child_repo.h"
#include "platform/repo/org_repo.h"
#include "platform/repo/user_repo.h"
#include "platform/service/auth_service.h"
#include "modules/registry/service/child_service.h"
#include "modules/screening/service/screening_service.h"
#include "modules/accounts/service/accounts.h"
#include "modules/screening/service/screening_rules.h"
#include "modules/accounts/permissions.h"

namespace th::app {

namespace fs = std::filesystem;

Result<App> OpenApp(AppConfig cfg, bool create_key) {
  if (!security::Init()) return Status::Internal("libsodium failed to initialize");
  std::error_code ec;
  fs::create_directories(cfg.data_dir, ec);
  if (cfg.database.empty()) cfg.database = "sqlite:" + (fs::path(cfg.data_dir) / "tonghu.db").string();
  if (cfg.key_file.empty()) cfg.key_file = (fs::path(cfg.data_dir) / "tonghu.key").string();
  App app;
  TH_ASSIGN_OR_RETURN(auto keys, security::KeyRing::FromFile(cfg.key_file, create_key));
  app.keys = std::make_unique<security::KeyRing>(keys);
  storage::DatabaseOptions db_options;
  db_options.pool_size = 16;
  db_options.sqlite_mmap_bytes = cfg.sqlite_mmap_mb * 1024 * 1024;
  db_options.sqlite_cache_bytes = cfg.sqlite_cache_mb * 1024 * 1024;
  TH_ASSIGN_OR_RETURN(app.db, storage::OpenDatabase(cfg.database, db_options));
  app.engine = std::string(app.db->dialect().name());
  {
    TH_ASSIGN_OR_RETURN(auto h, app.db->Acquire());
    TH_RETURN_IF_ERROR(storage::Migrate(*h));
  }
  app.clock = std::make_unique<AppClock>();
  service::ServiceOptions opts;
  if (cfg.fast_hash) opts.password_cost = security::PasswordCost::Minimum();
  opts.login_ip_limit = cfg.login_ip_limit;
  opts.login_user_limit = cfg.login_user_limit;
  TH_ASSIGN_OR_RETURN(auto roles, LoadRoles(cfg.config_dir));
  app.services = std::make_unique<service::Services>(service::Deps{*app.db, *app.clock, *app.keys, opts}, std::move(roles));
  // A database opened with its key for the first time seals where its keyed audit chain starts.
  TH_RETURN_IF_ERROR(app.services->audit().SealChain());
  app.modules = std::make_unique<Modules>(*app.services);
  return app;
}

namespace {

// A principal with full powers over the whole tree, for bootstrap writes (audited as the CLI).
service::Principal SystemPrincipal(const std::string& root_path, std::int64_t root_id) {
  service::Principal p;
  p.user_id = 0;
  p.username = "system";
  p.display_name = "系统初始化";
  p.role = "sysadmin";
  p.permissions = {perm::kOrgRead, perm::kOrgManage, perm::kUserRead, perm::kUserManage};
  p.org_unit_id = root_id;
  p.org_path = root_path;
  p.client_ip = "cli";
  return p;
}

}  // namespace

Status InitFirstAdmin(App& app, const std::string& root_code, const std::string& root_name,
                      const std::string& username, const std::string& password) {
  TH_ASSIGN_OR_RETURN(auto h, app.db->Acquire());
  TH_ASSIGN_OR_RETURN(auto n, repo::UserRepo(*h).CountAll());
  if (n > 0) return Status::Error(Code::kConflict, "already_initialized", "数据库已有用户，无需初始化", "Already initialized");
  TH_ASSIGN_OR_RETURN(std::string level, service::LevelFromRegionCode(root_code, "root_code"));
  repo::OrgUnit root;
  auto existing = repo::OrgRepo(*h).GetByCode(root_code);
  if (existing.ok()) {
    root = *existing;
  } else {
    TH_RETURN_IF_ERROR(service::InTransaction(*app.db, [&](storage::Connection& c) {
      root.code = root_code;
      root.name = root_name;
      root.level = level;
      root.created_at = app.clock->NowMillis();
      TH_RETURN_IF_ERROR(repo::OrgRepo(c).Insert(root));
      return service::WriteAudit(c, *app.clock, nullptr, "cli",
                                 {"org.create", "org_unit", std::to_string(root.id), root.path, "", service::OrgUnitJson(root), "init"});
    }));
  }
  service::NewUser u;
  u.username = username;
  u.display_name = "系统管理员";
  u.role = "sysadmin";
  u.org_unit_id = root.id;
  u.password = password;
  u.must_change_password = password.empty();
  auto created = app.modules->accounts().users().Create(nullptr, u);
  return created.status();
}

// Long: one linear script that writes the demo district (units, agencies, one account per role) in order.
Status LoadDemo(App& app, const std::string& config_dir, bool* created) {
  *created = false;
  {
    TH_ASSIGN_OR_RETURN(auto h, app.db->Acquire());
    TH_ASSIGN_OR_RETURN(auto n, repo::UserRepo(*h).CountAll());
    if (n > 0) return Status::Ok();
  }
  TH_ASSIGN_OR_RETURN(auto table, io::ReadCsvFile((fs::path(config_dir) / "regions" / "demo_district.csv").string()));
  int c_code = table.ColumnIndex("code"), c_name = table.ColumnIndex("name"), c_level = table.ColumnIndex("level"),
      c_parent = table.ColumnIndex("parent_code");
  if (c_code < 0 || c_name < 0 || c_level < 0 || c_parent < 0) {
    return Status::Internal("demo_district.csv needs code,name,level,parent_code");
  }
  // The first row is the root (no parent); everything else goes through the import service.
  std::vector<service::OrgImportRow> rows;
  repo::OrgUnit root;
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    const auto& f = table.rows[i];
    if (f[c_parent].empty()) {
      TH_RETURN_IF_ERROR(service::InTransaction(*app.db, [&](storage::Connection& c) {
        root.code = f[c_code];
        root.name = f[c_name];
        root.level = f[c_level];
        root.created_at = app.clock->NowMillis();
        TH_RETURN_IF_ERROR(repo::OrgRepo(c).Insert(root));
        return service::WriteAudit(c, *app.clock, nullptr, "cli",
                                   {"org.create", "org_unit", std::to_string(root.id), root.path, "", service::OrgUnitJson(root), "demo"});
      }));
      continue;
    }
    rows.push_back({static_cast<int>(table.row_lines[i]), f[c_code], f[c_name], f[c_level], f[c_parent]});
  }
  if (root.id == 0) return Status::Internal("demo_district.csv has no root row");
  service::Principal sys = SystemPrincipal(root.path, root.id);
  TH_ASSIGN_OR_RETURN(auto report, app.modules->accounts().org().Import(sys, rows, false));
  if (!report.rejected.empty()) {
    return Status::Internal("demo district rejected at line " + std::to_string(report.rejected[0].line) + ": " +
                            report.rejected[0].message_en);
  }

  // Find the units the demo accounts sit in, by level and name.
  TH_ASSIGN_OR_RETURN(auto h, app.db->Acquire());
  repo::OrgRepo orgs(*h);
  TH_ASSIGN_OR_RETURN(auto all, orgs.ListSubtree(root.path));
  auto find = [&](const std::string& level, const std::string& name_or_empty, const std::string& under) -> const repo::OrgUnit* {
    for (const auto& u : all) {
      if (u.level == level && (name_or_empty.empty() || u.name == name_or_empty) &&
          u.path.compare(0, under.size(), under) == 0) {
        return &u;
      }
    }
    return nullptr;
  };
  const repo::OrgUnit* district = find("district", "", root.path);
  if (!district) return Status::Internal("demo district missing");
  const repo::OrgUnit* buji = find("street", "布吉街道", district->path);
  const repo::OrgUnit* bantian = find("street", "坂田街道", district->path);
  if (!buji || !bantian) return Status::Internal("demo needs 布吉街道 and 坂田街道");
  const repo::OrgUnit* community = find("community", "", buji->path);
  const repo::OrgUnit* community2 = find("community", "", bantian->path);
  if (!community || !community2) return Status::Internal("demo streets need communities");
  const repo::OrgUnit* grid = find("grid", "", community->path);
  if (!grid) return Status::Internal("demo community needs a grid");

  // Agencies: the center, a station per street, member departments, a social organization.
  service::Principal dist_sys = SystemPrincipal(root.path, root.id);
  auto add_agency = [&](std::int64_t unit, const char* kind, const char* dept, const std::string& name) -> Result<repo::Agency> {
    repo::Agency a;
    a.org_unit_id = unit;
    a.kind = kind;
    a.dept_type = dept;
    a.name = name;
    return app.modules->accounts().org().CreateAgency(dist_sys, a);
  };
  TH_RETURN_IF_ERROR(add_agency(district->id, "center", "", district->name + "未成年人救助保护中心").status());
  for (const auto& u : all) {
    if (u.level == "street") TH_RETURN_IF_ERROR(add_agency(u.id, "station", "", u.name + "未成年人保护工作站").status());
  }
  const std::vector<std::pair<const char*, const char*>> depts = {
      {"education", "教育局"}, {"police", "公安分局"},   {"health", "卫生健康局"}, {"medical_insurance", "医疗保障局"},
      {"disability", "残疾人联合会"}, {"women", "妇女联合会"}, {"youth_league", "团区委"}, {"procuratorate", "人民检察院"},
      {"court", "人民法院"}, {"justice", "司法局"},        {"hrss", "人力资源局"}, {"civil_affairs", "民政局"}};
  std::int64_t education_id = 0;
  for (const auto& [type, name] : depts) {
    TH_ASSIGN_OR_RETURN(auto a, add_agency(district->id, "department", type, district->name + name));
    if (std::string(type) == "education") education_id = a.id;
  }
  TH_RETURN_IF_ERROR(add_agency(district->id, "social_org", "", district->name + "春晖社会工作服务中心").status());

  struct DemoUser {
    const char* username;
    const char* name;
    const char* role;
    const repo::OrgUnit* unit;
    const char* phone;
  };
  const DemoUser users[] = {
      {"admin", "系统管理员", "sysadmin", district, ""},
      {"district", "陈晓红", "district", district, "13800000001"},
      {"supervisor", "李建华", "street_supervisor", buji, "13800000002"},
      {"director", "王秀英", "child_director", community, "13800000003"},
      {"director2", "张丽娟", "child_director", community2, "13800000004"},
      {"grid", "刘志强", "grid_worker", grid, "13800000005"},
      {"social", "周敏", "social_worker", buji, "13800000006"},
      {"liaison", "黄伟", "dept_liaison", district, "13800000007"},
      {"leader", "赵国平", "leader", district, ""},
  };
  for (const DemoUser& d : users) {
    service::NewUser u;
    u.username = d.username;
    u.display_name = d.name;
    u.role = d.role;
    u.org_unit_id = d.unit->id;
    u.phone = d.phone;
    u.password = kDemoPassword;
    u.must_change_password = false;
    if (std::string(d.role) == "dept_liaison") u.agency_id = education_id;
    TH_RETURN_IF_ERROR(app.modules->accounts().users().Create(nullptr, u).status());
  }
  TH_ASSIGN_OR_RETURN(auto notify_config, notify::LoadNotifyConfig(config_dir));
  TH_RETURN_IF_ERROR(notify::LoadDemoNotifications(app.services->deps(), notify_config));  // issue 10: the bell's demo rows
  *created = true;
  return Status::Ok();
}

}  // namespace th::app

namespace th::app {

namespace {

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::Invalid("config", "file_not_found", "找不到配置文件: " + path, "Cannot read configuration file: " + path);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

// A configuration file's parse result, its error naming the file (the server refuses to start).
template <class T>
Result<T> NamingFile(const std::string& path, Result<T> r) {
  if (r.ok()) return r;
  const Status& st = r.status();
  return Status::Invalid("config", "invalid_config", "配置文件无效: " + path + ": " + st.message_zh(),
                         "Invalid configuration file " + path + ": " + st.message_en());
}

Result<domain::CategoryConfig> LoadCategoryConfig(const std::string& config_dir, const std::string& categories) {
  std::string path = categories.empty() ? "guangdong" : categories;
  if (path.find('/') == std::string::npos && path.find(".json") == std::string::npos) {
    path = (fs::path(config_dir) / "categories" / (path + ".json")).string();
  }
  TH_ASSIGN_OR_RETURN(auto text, ReadWholeFile(path));
  TH_ASSIGN_OR_RETURN(auto cfg, NamingFile(path, domain::ParseCategoryConfig(text)));
  // Category reasons name places from the bundled region lists (issue 9 item 19).
  const fs::path regions = fs::path(config_dir) / "regions";
  const std::string district_csv = (regions / "demo_district.csv").string();
  const std::string counties_csv = (regions / "hukou_counties.csv").string();
  TH_ASSIGN_OR_RETURN(auto region_text, ReadWholeFile(district_csv));
  TH_ASSIGN_OR_RETURN(auto county_text, ReadWholeFile(counties_csv));
  TH_ASSIGN_OR_RETURN(auto rows, NamingFile(district_csv, domain::ParseRegionCsv(region_text)));
  TH_ASSIGN_OR_RETURN(auto counties, NamingFile(counties_csv, domain::ParseHukouCountiesCsv(county_text)));
  auto places = std::make_shared<domain::PlaceNames>();
  places->Add(rows);
  places->Add(counties);
  cfg.places = std::move(places);
  return cfg;
}

Result<service::RoleTable> LoadRoles(const std::string& config_dir) {
  const std::string path = (fs::path(config_dir) / "roles.json").string();
  TH_ASSIGN_OR_RETURN(auto text, ReadWholeFile(path));
  return NamingFile(path, service::RoleTable::Parse(text));
}

Result<service::ScreeningRules> LoadScreeningRules(const std::string& config_dir) {
  const std::string rules_path = (fs::path(config_dir) / "screening" / "rules.json").string();
  TH_ASSIGN_OR_RETURN(auto rules_text, ReadWholeFile(rules_path));
  return NamingFile(rules_path, service::ParseScreeningRules(rules_text));
}

Status ConfigureModules(App& app, const std::string& config_dir, const std::string& categories) {
  // The work engine first: the modules' services open and close work items through it; then the
  // notifier its escalation steps call.
  TH_RETURN_IF_ERROR(work::InstallWork(app.services->deps(), config_dir));
  TH_RETURN_IF_ERROR(notify::InstallEscalationNotifier(app.services->deps(), app.services->roles(), config_dir));
  return app.modules->Configure(config_dir, categories);
}

// Long: one linear bulk-load script (drop indexes, load in large transactions, rebuild) kept together so the order of its steps stays visible.
Result<std::int64_t> LoadDemoChildren(App& app, const std::string& config_dir, std::int64_t n, std::uint64_t seed) {
  service::ChildService* cs = app.modules->children();
  if (!cs) return Status::Internal("registry not installed");
  TH_ASSIGN_OR_RETURN(auto region_text, ReadWholeFile((fs::path(config_dir) / "regions" / "demo_district.csv").string()));
  TH_ASSIGN_OR_RETURN(auto county_text, ReadWholeFile((fs::path(config_dir) / "regions" / "hukou_counties.csv").string()));
  TH_ASSIGN_OR_RETURN(auto regions, domain::ParseRegionCsv(region_text));
  TH_ASSIGN_OR_RETURN(auto counties, domain::ParseHukouCountiesCsv(county_text));
  domain::DemoOptions opt;
  opt.seed = seed;
  opt.children = n;
  opt.today = domain::Date::FromEpochMillisShanghai(app.clock->NowMillis());
  opt.communities = domain::CommunitiesOf(regions);
  opt.hukou_counties = counties;

  // Community and grid codes → unit ids (the demo district must be loaded).
  std::map<std::string, service::UnitRefs> units;
  {
    TH_ASSIGN_OR_RETURN(auto h, app.db->Acquire());
    repo::OrgRepo orgs(*h);
    for (const auto& c : opt.communities) {
      TH_ASSIGN_OR_RETURN(auto cu, orgs.GetByCode(c.code));
      TH_ASSIGN_OR_RETURN(auto st, orgs.Get(cu.parent_id.value_or(0)));
      service::UnitRefs u{st.parent_id.value_or(0), st.id, cu.id, std::nullopt};
      units[c.code] = u;
      for (const auto& g : c.grid_codes) {
        TH_ASSIGN_OR_RETURN(auto gu, orgs.GetByCode(g));
        service::UnitRefs ug = u;
        ug.grid_id = gu.id;
        units[g] = ug;
      }
    }
  }
  TH_ASSIGN_OR_RETURN(auto gen, domain::DemoGenerator::Create(opt));
  domain::DemoHousehold hh;
  domain::Evaluation scratch;
  std::int64_t written = 0;
  std::int64_t now = app.clock->NowMillis();
  TH_ASSIGN_OR_RETURN(auto h, app.db->Acquire());
  // Bulk-load tuning. On an empty registry the secondary indexes are dropped and rebuilt after
  // the load (a sorted build is several times faster than a million random B-tree inserts), and
  // on PostgreSQL so are the registry tables' foreign keys: a per-row check is a query
  // (org_unit for the child's four units, child for each member and verdict row), about 40 % of
  // the server's time in a load, while adding the constraint back checks every row in one join
  // (PostgreSQL manual, "Populating a Database"). On SQLite the loading connection also gets a
  // large page cache and no fsync per commit (demo data: a crash mid-load just means running the
  // demo again). Whatever was dropped is restored whether the load succeeded or not.
  TH_ASSIGN_OR_RETURN(std::int64_t existing, repo::ChildRepo(*h).Count());
  bool rebuild = existing < 1000 && n >= 10000;  // an empty registry, or only the demo activity's few files
  bool sqlite = app.engine == "sqlite";
  if (sqlite) {
    TH_RETURN_IF_ERROR(h->ExecuteScript("PRAGMA cache_size = -262144; PRAGMA synchronous = OFF"));
  }
  // What the migrations left on the registry tables, read from the catalog so the rebuild always
  // matches the schema: (drop statement, create statement) for each index and foreign key.
  std::vector<std::pair<std::string, std::string>> dropped;
  if (rebuild) {
    const char* tables = "('child', 'family_member', 'child_category', 'search_posting')";
    TH_ASSIGN_OR_RETURN(auto rows,
                        h->Query(sqlite ? std::string("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                                                      "sql IS NOT NULL AND tbl_name IN ") + tables
                                        : std::string("SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE "
                                                      "i.schemaname = current_schema() AND i.tablename IN ") +
                                              tables + " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE "
                                                       "k.conname = i.indexname)"));
    for (const auto& r : rows.rows) dropped.emplace_back("DROP INDEX IF EXISTS " + r.Text(0), r.Text(1));
    if (!sqlite) {
      TH_ASSIGN_OR_RETURN(auto fks, h->Query("SELECT k.conrelid::regclass::text, k.conname, pg_get_constraintdef(k.oid) "
                                             "FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid WHERE "
                                             "k.contype = 'f' AND t.relnamespace = current_schema()::regnamespace "
                                             "AND t.relname IN " +
                                             std::string(tables) + " ORDER BY k.conname"));
      for (const auto& r : fks.rows) {
        const std::string table = r.Text(0), name = r.Text(1);
        dropped.emplace_back("ALTER TABLE " + table + " DROP CONSTRAINT " + name,
                             "ALTER TABLE " + table + " ADD CONSTRAINT " + name + " " + r.Text(2));
      }
    }
  }
  for (std::size_t i = 0; i < dropped.size(); ++i) {
    Status s = h->ExecuteScript(dropped[i].first);
    if (!s.ok()) {
      while (i-- > 0) (void)h->ExecuteScript(dropped[i].second);
      return s;
    }
  }
  // Rows go out in multi-row INSERTs (ChildBulkWriter): one round trip per few hundred rows
  // instead of per row, which is what bounds a load over a network connection (PostgreSQL).
  auto load = [&]() -> Status {
    repo::ChildBulkWriter writer(*h);
    bool more = true;
    while (more) {
      storage::Transaction tx(*h);
      TH_RETURN_IF_ERROR(tx.Begin());
      std::int64_t in_tx = 0;
      while (in_tx < 50000 && (more = gen->Next(&hh))) {
        for (auto& child : hh.children) {
          if (child.household_id.empty()) child.household_id = hh.household_id;
          const std::string& key = child.grid_code.empty() ? hh.community_code : child.grid_code;
          auto it = units.find(key);
          if (it == units.end()) it = units.find(hh.community_code);
          if (it == units.end()) return Status::Internal("demo community not loaded: " + hh.community_code);
          TH_RETURN_IF_ERROR(cs->InsertGenerated(writer, child, it->second, hh.community_code, now, &scratch));
          ++written;
          ++in_tx;
        }
      }
      TH_RETURN_IF_ERROR(writer.Flush());
      TH_RETURN_IF_ERROR(tx.Commit());
    }
    return Status::Ok();
  };
  Status loaded = load();
  // Indexes first: checking a foreign key back in is a join that can use them.
  for (const auto& d : dropped) {
    Status s = h->ExecuteScript(d.second);
    if (loaded.ok() && !s.ok()) loaded = s;
  }
  if (loaded.ok() && rebuild && sqlite) loaded = h->ExecuteScript("ANALYZE");
  // PostgreSQL: a search reads its candidates with an index-only scan, which skips the heap only
  // on pages the visibility map marks all-visible. Until (auto)vacuum has passed over the freshly
  // loaded rows every candidate is a heap fetch: 1,001 for a common name, 8-22 ms instead of
  // 0.3-0.6 ms at 1M children (docs/PERFORMANCE.md). Vacuum now rather than when autovacuum gets
  // round to it, and give the planner the new row counts. Each table on its own statement: VACUUM
  // cannot run inside a transaction block, which a multi-statement string would be.
  if (loaded.ok() && !sqlite && written > 0) {
    for (const char* t : {"child", "family_member", "child_category", "search_posting"}) {
      Status s = h->ExecuteScript(std::string("VACUUM (ANALYZE) ") + t);
      if (!s.ok()) {
        loaded = s;
        break;
      }
    }
  }
  if (sqlite) TH_RETURN_IF_ERROR(h->ExecuteScript("PRAGMA synchronous = NORMAL; PRAGMA cache_size = -2000"));
  TH_RETURN_IF_ERROR(loaded);
  TH_RETURN_IF_ERROR(service::InTransaction(*app.db, [&](storage::Connection& c) {
    return service::WriteAudit(c, *app.clock, nullptr, "cli",
                               {"child.demo_load", "child", "", "", "",
                                JsonObjectWriter().Int("children", written).Int("seed", static_cast<std::int64_t>(seed)).Finish(),
                                "demo"});
  }));
  return written;
}

}  // namespace th::app
