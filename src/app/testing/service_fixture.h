#pragma once
// The two-engine fixture service tests share: a migrated database, Services with fast hashing and a
// fake clock, and helpers to insert org units and log in users.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <optional>
#include <string>

#include "base/clock.h"
#include "modules/registry/domain/category_config.h"
#include "domain/id_number.h"
#include "platform/repo/org_repo.h"
#include "security/crypto.h"
#include "modules/accounts/service/accounts.h"
#include "platform/service/services.h"
#include "platform/service/auth_service.h"
#include "modules/registry/service/child_service.h"
#include "modules/accounts/service/user_service.h"
#include "storage/testing/engine_fixture.h"

namespace th::service::testing {

// The whole file as text ("" when it cannot be read; callers parse and fail on that).
inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A valid 18-character ID number from its first 17 digits.
inline std::string MakeId(const std::string& first17) { return first17 + domain::IdCheckChar(first17); }

// The shipped roles (config/roles.json); fails the test when they do not parse.
inline RoleTable Roles() {
  auto roles = RoleTable::Parse(ReadFile(std::string(TH_SOURCE_DIR) + "/config/roles.json"));
  EXPECT_TRUE(roles.ok()) << roles.status().ToString();
  return roles.ok() ? std::move(*roles) : RoleTable();
}

class ServiceFixture : public storage::testing::EngineTest {
 protected:
  static constexpr const char* kPassword = "Password-2026";

  // Migrates and builds services_. Call first in SetUp; return if the test was skipped.
  void SetUpServices() {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(security::Init());
    ASSERT_TRUE(storage::Migrate(conn()).ok());
    ServiceOptions opts;
    opts.password_cost = security::PasswordCost::Minimum();
    opts.login_ip_limit = 1000;
    services_ = std::make_unique<Services>(Deps{*db(), clock_, keys_, opts}, Roles());
    accounts_ = std::make_unique<Accounts>(*services_);
  }

  // Inserts an org unit directly (no audit), failing the test on error.
  repo::OrgUnit Insert(std::optional<std::int64_t> parent, const std::string& code, const std::string& name,
                       const std::string& level) {
    repo::OrgUnit u;
    u.parent_id = parent;
    u.code = code;
    u.name = name;
    u.level = level;
    u.created_at = clock_.NowMillis();
    Status s = repo::OrgRepo(conn()).Insert(u);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return u;
  }

  // Creates a user with kPassword in `unit`, logs in and returns the principal (and the session
  // token in *token when asked).
  Principal MakeUser(const std::string& username, const std::string& role, std::int64_t unit,
                     std::string* token = nullptr) {
    NewUser n;
    n.username = username;
    n.display_name = username;
    n.role = role;
    n.org_unit_id = unit;
    n.password = kPassword;
    n.must_change_password = false;
    auto r = accounts_->users().Create(nullptr, n);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    auto login = services_->auth().Login(username, kPassword, "10.0.0.1", "test");
    EXPECT_TRUE(login.ok()) << login.status().ToString();
    if (!login.ok()) return Principal();
    if (token) *token = login->token;
    return login->principal;
  }

  FakeClock clock_;  // starts 2026-09-21
  security::KeyRing keys_ = security::KeyRing::ForTesting();
  std::unique_ptr<Services> services_;
  std::unique_ptr<Accounts> accounts_;  // the accounts module's services (org units, users)
};

// The registry suites' common ground: the child service with Guangdong's categories, a district
// with two streets of one community each, and a user per level.
class RegistryFixture : public ServiceFixture {
 protected:
  // Call first in SetUp; return if the test was skipped or failed.
  void SetUpRegistry() {
    SetUpServices();
    if (IsSkipped() || HasFatalFailure()) return;
    auto cfg = domain::ParseCategoryConfig(ReadFile(std::string(TH_SOURCE_DIR) + "/config/categories/guangdong.json"));
    ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
    children_ = std::make_unique<ChildService>(services_->deps(), *cfg);
    root_ = Insert({}, "440307000000", "龙岗区", "district");
    buji_ = Insert(root_.id, "440307001000", "布吉街道", "street");
    bantian_ = Insert(root_.id, "440307002000", "坂田街道", "street");
    community_ = Insert(buji_.id, "440307001001", "布吉社区", "community");
    community2_ = Insert(bantian_.id, "440307002001", "坂田社区", "community");
    district_ = MakeUser("district", "district", root_.id);
    sup_ = MakeUser("sup", "street_supervisor", buji_.id);
    director_ = MakeUser("director", "child_director", community_.id);
    director2_ = MakeUser("director2", "child_director", community2_.id);
  }

  std::unique_ptr<ChildService> children_;
  repo::OrgUnit root_, buji_, bantian_, community_, community2_;
  Principal district_, sup_, director_, director2_;
};

}  // namespace th::service::testing
