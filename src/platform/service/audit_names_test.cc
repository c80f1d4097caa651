// Every audit action the code writes has a people's name in the one server-side table
// (AuditActionNames), so the audit log and the change history never show a raw code. The test
// reads the sources: each string literal that looks like an action ("ns.verb" in a namespace that
// audit actions use) must be a named action, a permission, or one of the few other dotted keys
// listed below (key-ring contexts). A new action without a name fails here.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "platform/service/audit_service.h"
#include "platform/service/roles.h"

namespace th::service {
namespace {

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(AuditNames, TableHasUniqueCodesAndBothLanguages) {
  std::set<std::string_view> seen;
  for (const auto& a : AuditActionNames()) {
    EXPECT_TRUE(seen.insert(a.code).second) << "duplicate " << a.code;
    EXPECT_FALSE(a.zh.empty()) << a.code;
    EXPECT_FALSE(a.en.empty()) << a.code;
    EXPECT_NE(a.zh, a.code);
  }
  EXPECT_EQ(AuditActionNameOf("roll.propose").zh, "提出增减员申请");
  EXPECT_EQ(AuditActionNameOf("no.such_action").zh, "no.such_action");  // names itself, never empty
}

TEST(AuditNames, EveryActionTheCodeWritesHasAName) {
  std::set<std::string> named;
  for (const auto& a : AuditActionNames()) named.insert(std::string(a.code));
  auto roles = RoleTable::Parse(Slurp(std::string(TH_SOURCE_DIR) + "/config/roles.json"));
  ASSERT_TRUE(roles.ok()) << roles.status().ToString();
  std::set<std::string> allowed = roles->Permissions();
  // Dotted keys that are not audit actions: key-ring contexts (security/) and the like.
  for (const char* k : {"child.id_number", "child.guardian_phone", "child.guardian_id_number", "child.member_id_number",
                        "child.member_phone", "child.photo", "user.phone", "screening.id_number",
                        "screening.guardian_phone", "visit.photo"}) {
    allowed.insert(k);
  }
  // The namespaces audit actions use: every one the table names (so a module's new namespace is scanned as soon as
  // one of its actions is named; a dotted literal of such a namespace must be named too).
  std::set<std::string> spaces;
  for (const auto& n : named) spaces.insert(n.substr(0, n.find('.')));
  std::string alternatives;
  for (const auto& ns : spaces) alternatives += (alternatives.empty() ? "" : "|") + ns;
  const std::regex literal("\"((" + alternatives + ")\\.[a-z_]*)\"");
  std::vector<std::string> missing;
  int scanned = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(TH_SOURCE_DIR) + "/src")) {
    const auto& p = entry.path();
    if (p.extension() != ".cc" || p.filename().string().find("_test") != std::string::npos) continue;
    if (p.filename().string().find("_bench") != std::string::npos) continue;
    const std::string text = Slurp(p);
    ++scanned;
    for (std::sregex_iterator it(text.begin(), text.end(), literal), end; it != end; ++it) {
      std::string code = (*it)[1];
      if (code.back() == '.') {
        // A composed action ("roll." + action): the table must name the family.
        bool any = false;
        for (const auto& n : named) any = any || n.rfind(code, 0) == 0;
        if (!any) missing.push_back(code + "* in " + p.filename().string());
        continue;
      }
      if (named.count(code) || allowed.count(code)) continue;
      missing.push_back(code + " in " + p.filename().string());
    }
  }
  EXPECT_GT(scanned, 20);
  for (const auto& m : missing) ADD_FAILURE() << "audit action without a name in AuditActionNames(): " << m;
  // The composed roll actions (ChildService::Decide writes "roll." + action).
  for (const char* a : {"roll.review", "roll.confirm", "roll.return"}) EXPECT_TRUE(named.count(a)) << a;
}

}  // namespace
}  // namespace th::service
