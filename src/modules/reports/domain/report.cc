#include "modules/reports/domain/report.h"

#include <array>

namespace th::domain {

namespace {

struct Named {
  std::string_view code, zh, en;
};

constexpr std::array<Named, 5> kStatuses = {{{kReportReceived, "待研判", "Received"},
                                             {kReportTriaged, "已研判", "Triaged"},
                                             {kReportDispatched, "处置中", "Dispatched"},
                                             {kReportFeedback, "待回访", "Awaiting return visit"},
                                             {kReportClosed, "已办结", "Closed"}}};
constexpr std::array<Named, 5> kChannels = {{{"mandatory", "强制报告", "Mandatory report"},
                                             {"hotline", "热线", "Hotline"},
                                             {"field", "走访发现", "Field report"},
                                             {"public", "群众报告", "Public report"},
                                             {"screening", "排查发现", "Screening finding"}}};
constexpr std::array<Named, 3> kUrgencies = {
    {{"immediate", "立即", "Immediate"}, {"24h", "24小时", "Within 24 hours"}, {"routine", "常规", "Routine"}}};

template <std::size_t N>
const Named* Find(const std::array<Named, N>& t, std::string_view code) {
  for (const auto& n : t) {
    if (n.code == code) return &n;
  }
  return nullptr;
}

template <std::size_t N>
std::string NameOf(const std::array<Named, N>& t, std::string_view code, bool en) {
  const Named* n = Find(t, code);
  if (!n) return std::string(code);
  return std::string(en ? n->en : n->zh);
}

}  // namespace

bool IsReportStatus(std::string_view s) { return Find(kStatuses, s) != nullptr; }
bool IsReportChannel(std::string_view s) { return Find(kChannels, s) != nullptr; }
bool IsReportUrgency(std::string_view s) { return Find(kUrgencies, s) != nullptr; }

bool ReportMoveAllowed(std::string_view from, std::string_view to) {
  struct Move {
    std::string_view from, to;
  };
  static constexpr std::array<Move, 12> kMoves = {{{kReportReceived, kReportTriaged},
                                                   {kReportReceived, kReportDispatched},
                                                   {kReportReceived, kReportClosed},
                                                   {kReportTriaged, kReportTriaged},
                                                   {kReportTriaged, kReportDispatched},
                                                   {kReportTriaged, kReportClosed},
                                                   {kReportDispatched, kReportDispatched},
                                                   {kReportDispatched, kReportFeedback},
                                                   {kReportDispatched, kReportTriaged},
                                                   {kReportDispatched, kReportClosed},
                                                   {kReportFeedback, kReportClosed},
                                                   {kReportFeedback, kReportDispatched}}};
  for (const auto& m : kMoves) {
    if (m.from == from && m.to == to) return true;
  }
  return false;
}

std::string ReportStatusName(std::string_view status, bool en) { return NameOf(kStatuses, status, en); }

std::string PublicStatusName(std::string_view status, bool en) {
  if (status == kReportReceived || status == kReportTriaged) return en ? "Accepted" : "已受理";
  if (status == kReportDispatched || status == kReportFeedback) return en ? "Being handled" : "处理中";
  if (status == kReportClosed) return en ? "Closed" : "已办结";
  return std::string(status);
}

std::string ChannelName(std::string_view channel, bool en) { return NameOf(kChannels, channel, en); }
std::string UrgencyName(std::string_view urgency, bool en) { return NameOf(kUrgencies, urgency, en); }

bool NeedsTriage(std::string_view status) { return status == kReportReceived || status == kReportTriaged; }

const ReportCategory* ReportConfig::Category(std::string_view code) const {
  for (const auto& c : categories) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

const ReportSituation* ReportConfig::Situation(std::string_view code) const {
  for (const auto& s : situations) {
    if (s.code == code) return &s;
  }
  return nullptr;
}

bool ReportConfig::Sensitive(std::string_view category, const std::vector<std::string>& codes) const {
  if (const ReportCategory* c = Category(category); c && c->sensitive) return true;
  for (const auto& code : codes) {
    if (const ReportSituation* s = Situation(code); s && s->sensitive) return true;
  }
  return false;
}

bool ReportConfig::Urgent(const std::vector<std::string>& codes) const {
  for (const auto& code : codes) {
    if (const ReportSituation* s = Situation(code); s && s->urgent) return true;
  }
  return false;
}

std::string JoinSituations(const std::vector<std::string>& codes) {
  if (codes.empty()) return "";
  std::string s = ",";
  for (const auto& c : codes) s += c + ",";
  return s;
}

std::vector<std::string> SplitSituations(std::string_view stored) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < stored.size()) {
    std::size_t j = stored.find(',', i);
    if (j == std::string_view::npos) j = stored.size();
    if (j > i) out.emplace_back(stored.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace th::domain
