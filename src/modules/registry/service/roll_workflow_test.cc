// The roll request's workflow table: every action from every state is a transition or
// invalid_state, and each step names the permission ChildService::Decide checks.
#include "modules/registry/service/roll_workflow.h"

#include <gtest/gtest.h>

#include <map>
#include <utility>

namespace th::service {
namespace {

TEST(RollWorkflow, EveryActionFromEveryState) {
  const work::WorkflowTable& t = RollRequestWorkflow();
  const std::map<std::pair<std::string, std::string>, std::string> allowed = {
      {{"pending_review", "review"}, "pending_confirm"},
      {{"pending_review", "return"}, "returned"},
      {{"pending_confirm", "confirm"}, "confirmed"},
      {{"pending_confirm", "return"}, "returned"},
  };
  const std::vector<std::string> states = {"pending_review", "pending_confirm", "confirmed", "returned"};
  const std::vector<std::string> actions = {"review", "return", "confirm"};  // in table order
  EXPECT_EQ(t.States().size(), states.size());
  EXPECT_EQ(t.Actions(), actions);
  for (const auto& s : states) {
    for (const auto& a : actions) {
      const work::Transition* tr = t.Find(s, a);
      auto it = allowed.find({s, a});
      if (it == allowed.end()) {
        EXPECT_EQ(tr, nullptr) << s << " --" << a << "--> must be invalid_state";
      } else {
        ASSERT_NE(tr, nullptr) << s << " --" << a;
        EXPECT_EQ(tr->to, it->second);
      }
    }
  }
  EXPECT_FALSE(t.KnowsAction("delete"));
  EXPECT_TRUE(t.Find("pending_review", "return")->note_required);
  EXPECT_FALSE(t.Find("pending_review", "review")->note_required);
}

TEST(RollWorkflow, PermissionsFollowTheStateAndFallBackToTheActionsLastRow) {
  EXPECT_EQ(RollActionPermission("pending_review", "review"), "roll.review");
  EXPECT_EQ(RollActionPermission("pending_review", "return"), "roll.review");
  EXPECT_EQ(RollActionPermission("pending_confirm", "return"), "roll.confirm");
  EXPECT_EQ(RollActionPermission("pending_review", "confirm"), "roll.confirm");  // 403 before 409, as before
  EXPECT_EQ(RollActionPermission("confirmed", "return"), "roll.confirm");
  EXPECT_EQ(RollActionPermission("confirmed", "review"), "roll.review");
}

}  // namespace
}  // namespace th::service
