#include "modules/conferences/domain/conference.h"

#include <cstring>

namespace th::domain {

namespace {

struct Move {
  const char* from;
  const char* action;
  const char* to;
};

constexpr Move kMoves[] = {
    {"planned", "edit", "planned"},  {"planned", "record", "held"},   {"planned", "cancel", "cancelled"},
    {"planned", "attach", "planned"}, {"held", "amend", "held"},      {"held", "close", "closed"},
    {"held", "attach", "held"},
};

}  // namespace

Result<std::string> ConferenceNext(const std::string& state, const std::string& action) {
  bool known = false;
  for (const char* a : kConferenceActions) known = known || action == a;
  if (!known) return Status::InvalidEnum("action", action);
  for (const Move& m : kMoves) {
    if (state == m.from && action == m.action) return std::string(m.to);
  }
  return Status::InvalidState(state);
}

std::vector<std::string> ConferenceActions(const std::string& state) {
  std::vector<std::string> out;
  for (const Move& m : kMoves) {
    if (state == m.from) out.emplace_back(m.action);
  }
  return out;
}

std::string ConferenceStatusName(const std::string& s, bool en) {
  if (s == "planned") return en ? "Planned" : "待召开";
  if (s == "held") return en ? "Held" : "已召开";
  if (s == "closed") return en ? "Closed" : "已办结";
  if (s == "cancelled") return en ? "Cancelled" : "已取消";
  return s;
}

}  // namespace th::domain
