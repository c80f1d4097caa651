// The dispatch order's workflow table: every action from every state is a transition or
// invalid_state, each names the permission DispatchService::Act checks, and the pure rules around
// it (flow state, waiting work, clock variants) hold.
#include "modules/dispatch/service/dispatch_workflow.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <map>
#include <set>
#include <utility>

namespace th::service {
namespace {

TEST(DispatchWorkflow, EveryActionFromEveryState) {
  const work::WorkflowTable& t = DispatchOrderWorkflow();
  const std::string h = "dispatch.handle", c = "report.triage";
  // (state, action) -> (to, permission, note required)
  struct Row {
    std::string to, permission;
    bool note;
  };
  const std::map<std::pair<std::string, std::string>, Row> allowed = {
      {{"pending_accept", "accept"}, {"handling", h, false}},
      {{"pending_accept", "return"}, {"return_requested", h, true}},
      {{"return_requested", "approve_return"}, {"returned", c, false}},
      {{"return_requested", "reject_return"}, {"pending_accept", c, true}},
      {{"handling", "request_extension"}, {"extension_requested", h, true}},
      {{"extension_requested", "approve_extension"}, {"handling", c, false}},
      {{"extension_requested", "reject_extension"}, {"handling", c, true}},
      {{"handling", "feedback"}, {"feedback", h, true}},
      {{"extension_requested", "feedback"}, {"feedback", h, true}},
      {{"feedback", "revisit"}, {"closed", c, true}},
      {{"feedback", "redo"}, {"handling", c, true}},
      {{"feedback", "close"}, {"closed", c, true}},
  };
  const std::vector<std::string> actions = {"accept", "return", "approve_return", "reject_return",
                                            "request_extension", "approve_extension", "reject_extension",
                                            "feedback", "revisit", "redo", "close"};
  EXPECT_EQ(t.Actions(), actions);
  EXPECT_EQ(DispatchActions(), actions);
  std::set<std::string> table_states;
  for (const auto& s : t.States()) table_states.insert(s);
  for (const auto& s : table_states) {
    EXPECT_TRUE(std::count(DispatchStates().begin(), DispatchStates().end(), s)) << s;
  }
  int transitions = 0;
  for (const auto& s : DispatchStates()) {
    for (const auto& a : actions) {
      const work::Transition* tr = t.Find(s, a);
      auto it = allowed.find({s, a});
      if (it == allowed.end()) {
        EXPECT_EQ(tr, nullptr) << s << " --" << a << "--> must be invalid_state";
        continue;
      }
      ASSERT_NE(tr, nullptr) << s << " --" << a;
      EXPECT_EQ(tr->to, it->second.to) << s << " " << a;
      EXPECT_EQ(tr->permission, it->second.permission) << s << " " << a;
      EXPECT_EQ(tr->note_required, it->second.note) << s << " " << a;
      EXPECT_EQ(DispatchActionPermission(s, a), it->second.permission);
      ++transitions;
    }
  }
  EXPECT_EQ(transitions, static_cast<int>(allowed.size()));
  EXPECT_EQ(t.rows().size(), allowed.size());
  // Terminal states take no step.
  for (const auto& a : actions) {
    EXPECT_EQ(t.Find("closed", a), nullptr);
    EXPECT_EQ(t.Find("returned", a), nullptr);
  }
  EXPECT_FALSE(t.KnowsAction("delete"));
}

TEST(DispatchWorkflow, PermissionOutsideTheActionsStatesIsItsFirstRows) {
  // 403 before 409: a caller without the permission hears forbidden whatever the state.
  EXPECT_EQ(DispatchActionPermission("closed", "accept"), "dispatch.handle");
  EXPECT_EQ(DispatchActionPermission("pending_accept", "revisit"), "report.triage");
  EXPECT_EQ(DispatchActionPermission("handling", "approve_return"), "report.triage");
  EXPECT_EQ(DispatchActionPermission("handling", "nope"), "");
}

TEST(DispatchWorkflow, FlowStateAndNames) {
  EXPECT_EQ(DispatchFlowState("handling", true), "extension_requested");
  EXPECT_EQ(DispatchFlowState("handling", false), "handling");
  EXPECT_EQ(DispatchFlowState("feedback", true), "feedback");  // the flag matters only while handling
  for (const auto& s : DispatchStates()) {
    EXPECT_NE(DispatchStatusName(s, false), s);
    EXPECT_NE(DispatchStatusName(s, true), s);
  }
  EXPECT_EQ(DispatchStatusName("pending_accept", false), "待签收");
}

TEST(DispatchWorkflow, EveryWaitingStateHasItsWorkItem) {
  auto w = WorkFor("pending_accept", true);
  EXPECT_EQ(w.receiver_kind, "dispatch_accept");
  EXPECT_FALSE(w.center_kind);
  w = WorkFor("handling", false);
  EXPECT_EQ(w.receiver_kind, "dispatch_handle");
  w = WorkFor("extension_requested", true);
  EXPECT_EQ(w.receiver_kind, "dispatch_handle");
  EXPECT_EQ(w.center_kind, "dispatch_extension_review");
  w = WorkFor("return_requested", true);
  EXPECT_FALSE(w.receiver_kind);
  EXPECT_EQ(w.center_kind, "dispatch_return_review");
  EXPECT_EQ(WorkFor("feedback", true).center_kind, "dispatch_revisit");
  EXPECT_FALSE(WorkFor("feedback", false).center_kind);  // co orders feed back to their lead
  for (const char* done : {"returned", "closed"}) {
    EXPECT_FALSE(WorkFor(done, true).receiver_kind);
    EXPECT_FALSE(WorkFor(done, true).center_kind);
  }
}

TEST(DispatchWorkflow, VariantPrefersUrgencyAndCategoryThenCategoryThenUrgency) {
  std::set<std::string> known = {"immediate", "routine.dropout", "abuse"};
  auto has = [&](const std::string& v) { return known.count(v) > 0; };
  EXPECT_EQ(DispatchVariant("routine", "dropout", has), "routine.dropout");
  EXPECT_EQ(DispatchVariant("immediate", "abuse", has), "abuse");
  EXPECT_EQ(DispatchVariant("immediate", "neglect", has), "immediate");
  EXPECT_EQ(DispatchVariant("routine", "neglect", has), "");
  EXPECT_EQ(DispatchVariant("", "", has), "");
}

}  // namespace
}  // namespace th::service
