// The case workflow table: every action from every state is a transition or invalid_state, close
// and reopen need a reason, and each open state asks the engine for the right work item.
#include "modules/cases/service/case_workflow.h"

#include <gtest/gtest.h>

#include <map>
#include <utility>

namespace th::service {
namespace {

TEST(CaseWorkflow, EveryActionFromEveryState) {
  const work::WorkflowTable& t = CaseWorkflow();
  const std::map<std::pair<std::string, std::string>, std::string> allowed = {
      {{"intake", "assess"}, "assessing"},        {{"assessing", "plan"}, "planning"},
      {{"planning", "intervene"}, "intervening"}, {{"intervening", "review"}, "reviewing"},
      {{"reviewing", "reassess"}, "assessing"},   {{"intake", "close"}, "closed"},
      {{"assessing", "close"}, "closed"},         {{"planning", "close"}, "closed"},
      {{"intervening", "close"}, "closed"},       {{"reviewing", "close"}, "closed"},
      {{"closed", "reopen"}, "assessing"},
  };
  const std::vector<std::string> states = {"intake", "assessing", "planning", "intervening", "reviewing", "closed"};
  const std::vector<std::string> actions = {"assess", "plan", "intervene", "review", "reassess", "close", "reopen"};
  EXPECT_EQ(t.States().size(), states.size());
  EXPECT_EQ(t.Actions(), actions);
  int checked = 0;
  for (const auto& s : states) {
    for (const auto& a : actions) {
      const work::Transition* tr = t.Find(s, a);
      auto it = allowed.find({s, a});
      ++checked;
      if (it == allowed.end()) {
        EXPECT_EQ(tr, nullptr) << s << " --" << a << "--> must be invalid_state";
      } else {
        ASSERT_NE(tr, nullptr) << s << " --" << a;
        EXPECT_EQ(tr->to, it->second);
        EXPECT_EQ(tr->permission, "case.write");
        EXPECT_EQ(tr->note_required, a == "close" || a == "reopen") << a;
      }
    }
  }
  EXPECT_EQ(checked, 42);
  EXPECT_FALSE(t.KnowsAction("delete"));
}

TEST(CaseWorkflow, MoveTargetsNameTheirAction) {
  EXPECT_EQ(CaseActionTo("planning", "intervening"), "intervene");
  EXPECT_EQ(CaseActionTo("reviewing", "closed"), "close");
  EXPECT_EQ(CaseActionTo("closed", "assessing"), "reopen");
  EXPECT_EQ(CaseActionTo("intake", "intervening"), "");
  EXPECT_EQ(CaseActionTo("closed", "closed"), "");
}

TEST(CaseWorkflow, EachStateAsksForItsWorkItem) {
  repo::CaseRecord k;
  k.id = 7;
  k.street_unit_id = 3;
  k.worker_user_id = 11;
  k.child_name = "张三";
  const std::map<std::string, std::string> want = {
      {"intake", "case_assess"}, {"assessing", "case_assess"}, {"planning", "case_plan"}, {"reviewing", "case_review"}};
  for (const std::string s : {"intake", "assessing", "planning", "intervening", "reviewing", "closed"}) {
    auto w = CaseWork(k, s);
    auto it = want.find(s);
    if (it == want.end()) {
      EXPECT_FALSE(w.has_value()) << s;
      continue;
    }
    ASSERT_TRUE(w.has_value()) << s;
    EXPECT_EQ(w->kind, it->second);
    EXPECT_EQ(w->link, "/cases/7");
    EXPECT_EQ(w->owner_unit_id, 3);
    EXPECT_EQ(w->owner_user_id, std::optional<std::int64_t>(11));
  }
}

}  // namespace
}  // namespace th::service
