// One vocabulary of permissions (issue 10): every permission the code checks is declared in a
// permissions.h and granted to some role in config/roles.json, and every granted permission is
// declared. The role set and its grants are the ones the API documents (docs/API.md "Roles").
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "app/bootstrap.h"
#include "modules/accounts/permissions.h"
#include "modules/cases/permissions.h"
#include "modules/guardianship/permissions.h"
#include "modules/casestats/permissions.h"
#include "modules/conferences/permissions.h"
#include "modules/dispatch/permissions.h"
#include "modules/plans/permissions.h"
#include "modules/visits/permissions.h"
#include "modules/warnings/permissions.h"
#include "modules/registry/permissions.h"
#include "modules/reports/permissions.h"
#include "modules/screening/permissions.h"
#include "platform/service/permissions.h"
#include "platform/service/roles.h"

namespace th::app {
namespace {

std::set<std::string> Declared() {
  std::set<std::string> out;
  for (auto p : perm::kPlatformPermissions) out.emplace(p);
  for (auto p : perm::kAccountsPermissions) out.emplace(p);
  for (auto p : perm::kRegistryPermissions) out.emplace(p);
  for (auto p : perm::kScreeningPermissions) out.emplace(p);
  for (auto p : perm::kDispatchPermissions) out.emplace(p);
  for (auto p : perm::kVisitPermissions) out.emplace(p);
  for (auto p : perm::kWarningPermissions) out.emplace(p);
  for (auto p : perm::kReportsPermissions) out.emplace(p);
  for (auto p : perm::kPlansPermissions) out.emplace(p);
  for (auto p : perm::kCasesPermissions) out.emplace(p);
  for (auto p : perm::kGuardianshipPermissions) out.emplace(p);
  for (auto p : perm::kDispatchPermissions) out.emplace(p);
  for (auto p : perm::kConferencePermissions) out.emplace(p);
  for (auto p : perm::kCaseStatsPermissions) out.emplace(p);
  return out;
}

service::RoleTable Roles() {
  auto r = LoadRoles(std::string(TH_SOURCE_DIR) + "/config");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(*r) : service::RoleTable();
}

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Roles, EveryGrantedPermissionIsDeclared) {
  const auto declared = Declared();
  const auto roles = Roles();
  for (const auto& role : roles.all()) {
    for (const auto& p : role.permissions) EXPECT_TRUE(declared.count(p)) << role.code << " grants undeclared " << p;
  }
}

TEST(Roles, EveryDeclaredPermissionIsGranted) {
  const auto granted = Roles().Permissions();
  for (const auto& p : Declared()) EXPECT_TRUE(granted.count(p)) << p << " is granted to no role";
}

// A check written with a string instead of a constant must still name a declared permission.
TEST(Roles, EveryPermissionCheckedInCodeIsDeclaredAndGranted) {
  const auto declared = Declared();
  const auto granted = Roles().Permissions();
  const std::regex check(R"re((Can|Need)\((?:\*?who, )?"([a-z_]+\.[a-z_]+)"\))re");
  int scanned = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(std::string(TH_SOURCE_DIR) + "/src")) {
    if (e.path().extension() != ".cc" || e.path().filename().string().find("_test") != std::string::npos) continue;
    ++scanned;
    const std::string text = Slurp(e.path());
    for (std::sregex_iterator it(text.begin(), text.end(), check), end; it != end; ++it) {
      const std::string p = (*it)[2];
      EXPECT_TRUE(declared.count(p)) << p << " checked in " << e.path().filename() << " but declared nowhere";
      EXPECT_TRUE(granted.count(p)) << p << " checked in " << e.path().filename() << " but granted to no role";
    }
  }
  EXPECT_GT(scanned, 20);
}

// The shipped role set: codes, order and ranks (config/roles.json keeps what roles.cc had).
TEST(Roles, ShippedRolesKeepTheirOrderAndRanks) {
  const auto roles = Roles();
  std::vector<std::pair<std::string, int>> got;
  for (const auto& r : roles.all()) got.emplace_back(r.code, r.rank);
  const std::vector<std::pair<std::string, int>> want = {
      {"sysadmin", 100},     {"district", 80},     {"street_supervisor", 60}, {"child_director", 40},
      {"grid_worker", 20},   {"social_worker", 40}, {"dept_liaison", 40},      {"leader", 80},
      {"mandatory_reporter", 10}};
  EXPECT_EQ(got, want);
  ASSERT_NE(roles.Find("sysadmin"), nullptr);
  EXPECT_FALSE(roles.Find("sysadmin")->permissions.count(perm::kChildRead)) << "least privilege";
  EXPECT_EQ(roles.Rank("nobody"), 0);
  // Issue 11: departments see a report only through their dispatch order; a reporting unit's account
  // holds nothing but its own reports.
  EXPECT_FALSE(roles.Find("dept_liaison")->permissions.count(perm::kReportRead));
  EXPECT_EQ(roles.Find("mandatory_reporter")->permissions, std::set<std::string>{perm::kReportMandatory});
}

TEST(Roles, InvalidFilesAreRejected) {
  for (const char* text : {"", "[]", R"({"roles":[]})", R"({"roles":[{"code":"a","name":"甲","name_en":"A","rank":1,
                           "permissions":["Bad Perm"]}]})",
                           R"({"roles":[{"code":"a","name":"甲","name_en":"A","rank":1,"permissions":[]},
                                         {"code":"a","name":"乙","name_en":"B","rank":2,"permissions":[]}]})"}) {
    auto r = service::RoleTable::Parse(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().error_code(), "invalid_roles");
  }
}

}  // namespace
}  // namespace th::app
