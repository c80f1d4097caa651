// Every action from every state of each workflow table: a transition, or none (invalid_state).
#include "platform/work/workflow_table.h"

#include <gtest/gtest.h>

namespace th::work {
namespace {

struct Expect {
  std::string from, action, to;  // to "" → invalid_state
};

void CheckAll(const WorkflowTable& t, const std::vector<Expect>& allowed) {
  int checked = 0;
  for (const auto& state : t.States()) {
    for (const auto& action : t.Actions()) {
      const Transition* tr = t.Find(state, action);
      auto it = std::find_if(allowed.begin(), allowed.end(),
                             [&](const Expect& e) { return e.from == state && e.action == action; });
      if (it == allowed.end()) {
        EXPECT_EQ(tr, nullptr) << state << " --" << action << "--> should be invalid_state";
      } else {
        ASSERT_NE(tr, nullptr) << state << " --" << action;
        EXPECT_EQ(tr->to, it->to) << state << " --" << action;
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(t.States().size() * t.Actions().size()));
}

TEST(WorkflowTable, WorkItemEveryActionFromEveryState) {
  WorkflowTable t = WorkItemWorkflow("roll.review");
  EXPECT_EQ(t.States(), (std::vector<std::string>{"open", "extension_requested", "closed"}));
  CheckAll(t, {{"open", "request_extension", "extension_requested"},
               {"extension_requested", "approve_extension", "open"},
               {"extension_requested", "reject_extension", "open"},
               {"open", "close", "closed"},
               {"extension_requested", "close", "closed"}});
  EXPECT_TRUE(t.Find("open", "request_extension")->note_required);
  EXPECT_EQ(t.Find("open", "request_extension")->permission, "roll.review");
  EXPECT_EQ(t.Find("extension_requested", "approve_extension")->permission, "work.oversee");
  EXPECT_TRUE(t.Find("open", "close")->permission.empty());  // system only
  EXPECT_FALSE(t.KnowsAction("delete"));
}

}  // namespace
}  // namespace th::work
