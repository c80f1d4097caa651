// Reads: one conference (with follow-ups), lists, the child's tab, decision tasks, the minutes'
// .docx and materials. Every read is audited.
#include <map>

#include "io/docx_writer.h"
#include "io/file_type.h"
#include "modules/conferences/permissions.h"
#include "modules/conferences/service/conference_service.h"
#include "base/clock.h"
#include "platform/repo/org_repo.h"
#include "platform/service/watermark.h"
#include "platform/work/work_config.h"

namespace th::service {

using domain::ConferenceRecord;
using domain::ConferenceDecision;
using repo::ConferenceRepo;

namespace {

// The caller's ancestors' paths ("/1/2/3/" -> "/1/", "/1/2/", "/1/2/3/").
std::vector<std::string> PathsAbove(const std::string& path) {
  std::vector<std::string> out;
  for (std::size_t at = path.find('/', 1); at != std::string::npos; at = path.find('/', at + 1)) {
    out.push_back(path.substr(0, at + 1));
  }
  return out;
}

}  // namespace

DecisionView ConferenceService::MakeDecisionView(const Principal& who, const ConferenceDecision& d,
                                                 const ConferenceRecord& conf) const {
  DecisionView v;
  v.decision = d;
  v.conference_title = conf.title;
  v.child_name = conf.child_name;
  v.conference_scheduled_at = conf.scheduled_at;
  v.conference_status = conf.status;
  auto due = domain::ParseDate(d.due_date);
  v.overdue = d.status == "open" && due.ok() && deps_.clock.NowMillis() > work::EndOfDayShanghai(*due);
  v.can_complete = d.status == "open" && (DecisionAssignedTo(who, d) || ConferenceManaged(who, conf));
  return v;
}

Result<ConferenceRecord> ConferenceService::LoadVisible(storage::Connection& c, const Principal& who, std::int64_t id) {
  auto conf = ConferenceRepo(c).Get(id);
  if (!conf.ok() || !ConferenceVisible(who, *conf)) return Status::NotFound("conference");
  return conf;
}

Result<ConferenceView> ConferenceService::BuildView(storage::Connection& c, const Principal& who, ConferenceRecord conf) {
  ConferenceRepo repo(c);
  ConferenceView v;
  TH_ASSIGN_OR_RETURN(v.participants, repo.Participants(conf.id));
  TH_ASSIGN_OR_RETURN(auto decisions, repo.Decisions(conf.id));
  for (const auto& d : decisions) v.decisions.push_back(MakeDecisionView(who, d, conf));
  TH_ASSIGN_OR_RETURN(auto open, repo.OpenForChild(conf.child_id, conf.id));
  std::map<std::int64_t, ConferenceRecord> others;
  for (const auto& d : open) {
    auto it = others.find(d.conference_id);
    if (it == others.end()) {
      TH_ASSIGN_OR_RETURN(auto o, repo.Get(d.conference_id));
      it = others.emplace(d.conference_id, std::move(o)).first;
    }
    // Follow-ups only from earlier conferences the caller may see.
    if (it->second.scheduled_at <= conf.scheduled_at && ConferenceVisible(who, it->second)) {
      v.followups.push_back(MakeDecisionView(who, d, it->second));
    }
  }
  TH_ASSIGN_OR_RETURN(v.attachments, repo::AttachmentRepo(c, repo::kConferenceFiles).List(conf.id));
  v.can_manage = ConferenceManaged(who, conf);
  if (v.can_manage) v.actions = domain::ConferenceActions(conf.status);
  v.conference = std::move(conf);
  return v;
}

Result<ConferenceView> ConferenceService::Get(const Principal& who, std::int64_t id) {
  if (!who.Can(perm::kConferenceRead)) return Status::Forbidden();
  ConferenceView v;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto conf, LoadVisible(c, who, id));
    TH_ASSIGN_OR_RETURN(v, BuildView(c, who, conf));
    return Audit(c, who, "conference.read", "conference", id, v.conference.unit_path);
  }));
  return v;
}

Result<std::vector<ConferenceRecord>> ConferenceService::List(const Principal& who, const ConferenceListParams& p,
                                                              const repo::Page& page, std::int64_t* total) {
  if (!who.Can(perm::kConferenceRead) || who.org_path.empty()) return Status::Forbidden();
  if (!p.status.empty() && p.status != "planned" && p.status != "held" && p.status != "closed" &&
      p.status != "cancelled") {
    return Status::InvalidEnum("status", p.status);
  }
  repo::ConferenceFilter f;
  f.below_path = who.org_path;
  f.above_paths = PathsAbove(who.org_path);
  f.status = p.status;
  f.child_id = p.child_id;
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  return ConferenceRepo(*h).List(f, page, total);
}

Result<std::vector<ConferenceRecord>> ConferenceService::ForChild(const Principal& who, std::int64_t child_id) {
  if (!who.Can(perm::kConferenceRead)) return Status::Forbidden();
  std::vector<ConferenceRecord> out;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    auto child = children_.LoadInScope(c, who, child_id);
    if (!child.ok()) return Status::NotFound("child");
    TH_ASSIGN_OR_RETURN(auto all, ConferenceRepo(c).ForChild(child_id, 200));
    for (auto& conf : all) {
      if (ConferenceVisible(who, conf)) out.push_back(std::move(conf));
    }
    return Audit(c, who, "conference.child_list", "child", child_id, "");
  }));
  return out;
}

Result<CaseConferences> ConferenceService::ForCase(const Principal& who, std::int64_t case_id) {
  if (!who.Can(perm::kConferenceRead)) return Status::Forbidden();
  if (!case_lookup_) return Status::NotFound("case");
  CaseConferences out;
  std::string path;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    auto k = case_lookup_(*h, who, case_id);
    if (!k.ok()) return k.status().code() == Code::kPermissionDenied ? k.status() : Status::NotFound("case");
    path = k->unit_path;
    // The child's conferences by its index (conference_child): a child has a handful, so the case's are split off
    // here rather than by a case_id index.
    TH_ASSIGN_OR_RETURN(auto all, ConferenceRepo(*h).ForChild(k->child_id, 200));
    for (auto& conf : all) {
      if (!ConferenceVisible(who, conf)) continue;
      if (conf.case_id == case_id) {
        out.items.push_back(std::move(conf));
      } else {
        ++out.child_others;
      }
    }
  }
  TH_RETURN_IF_ERROR(read_audit_->Append(who, {"conference.case_list", "case", std::to_string(case_id), path, "", "", ""}));
  return out;
}

Result<std::vector<DecisionView>> ConferenceService::MyDecisions(const Principal& who, const std::string& status) {
  if (!who.Can(perm::kConferenceTask) || who.org_path.empty()) return Status::Forbidden();
  if (!status.empty() && status != "open" && status != "done") return Status::InvalidEnum("status", status);
  std::vector<DecisionView> out;
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  ConferenceRepo repo(*h);
  TH_ASSIGN_OR_RETURN(auto ds, repo.Assigned(who.agency_id, who.org_path, status, 500));
  std::map<std::int64_t, ConferenceRecord> confs;
  for (const auto& d : ds) {
    if (!DecisionAssignedTo(who, d)) continue;
    auto it = confs.find(d.conference_id);
    if (it == confs.end()) {
      TH_ASSIGN_OR_RETURN(auto c, repo.Get(d.conference_id));
      it = confs.emplace(d.conference_id, std::move(c)).first;
    }
    out.push_back(MakeDecisionView(who, d, it->second));
  }
  return out;
}

Result<DecisionView> ConferenceService::GetDecision(const Principal& who, std::int64_t id) {
  if (!who.Can(perm::kConferenceTask) && !who.Can(perm::kConferenceRead)) return Status::Forbidden();
  DecisionView v;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    ConferenceRepo repo(c);
    auto d = repo.GetDecision(id);
    if (!d.ok()) return Status::NotFound("conference_decision");
    TH_ASSIGN_OR_RETURN(auto conf, repo.Get(d->conference_id));
    if (!DecisionAssignedTo(who, *d) && !ConferenceVisible(who, conf)) return Status::NotFound("conference_decision");
    v = MakeDecisionView(who, *d, conf);
    return Audit(c, who, "conference.decision_read", "conference_decision", id, conf.unit_path);
  }));
  return v;
}

namespace {

std::string Attendance(const std::optional<bool>& a) { return !a ? "未记录" : (*a ? "出席" : "缺席"); }

// The minutes as a document: 公文-style headings, the participants and decisions as tables.
io::DocxDocument MinutesDocument(const ConferenceView& v, const domain::ConferenceConfig& cfg) {
  const auto& c = v.conference;
  const auto* reason = cfg.Find(c.reason);
  io::DocxDocument doc;
  doc.Title("个案会商纪要");
  io::DocxParagraphStyle centre;
  centre.align = io::DocxAlign::kCenter;
  centre.indent_first_line = false;
  doc.Paragraph(c.title, centre);
  doc.Heading("一、基本情况");
  doc.Paragraph("会商对象：" + c.child_name);
  doc.Paragraph("启动事由：" + (reason ? reason->name : c.reason) + (c.reason_note.empty() ? "" : "（" + c.reason_note + "）"));
  doc.Paragraph("召集单位：" + c.convener_name);
  doc.Paragraph("会商时间：" + FormatShanghai(c.scheduled_at).substr(0, 16));
  doc.Paragraph("会商地点：" + (c.online ? std::string("线上会商") + (c.place.empty() ? "" : "（" + c.place + "）") : c.place));
  doc.Heading("二、参会单位和人员");
  std::vector<std::vector<std::string>> rows = {{"参会方", "类别", "说明", "出席情况"}};
  for (const auto& p : v.participants) {
    const char* kind = p.kind == "agency" ? "单位" : (p.kind == "unit" ? "街道/社区" : "个人");
    rows.push_back({p.name, kind, p.note, Attendance(p.attended)});
  }
  doc.Table(rows);
  doc.Heading("三、会商议程");
  doc.Paragraph(c.agenda.empty() ? "（无）" : c.agenda);
  doc.Heading("四、会商情况");
  doc.Paragraph(c.discussion.empty() ? "（未记录）" : c.discussion);
  doc.Heading("五、会商决定事项");
  std::vector<std::vector<std::string>> ds = {{"序号", "决定事项", "责任单位", "完成期限", "办理情况"}};
  for (const auto& d : v.decisions) {
    const auto& x = d.decision;
    ds.push_back({std::to_string(x.seq), x.content, x.owner_name, x.due_date,
                  x.status == "done" ? "已办结：" + x.result_note : (d.overdue ? "逾期未办" : "办理中")});
  }
  doc.Table(ds);
  if (!v.followups.empty()) {
    doc.Heading("六、前次会商未办结事项");
    std::vector<std::vector<std::string>> fs = {{"决定事项", "责任单位", "完成期限"}};
    for (const auto& d : v.followups) fs.push_back({d.decision.content, d.decision.owner_name, d.decision.due_date});
    doc.Table(fs);
  }
  return doc;
}

}  // namespace

Result<std::string> ConferenceService::MinutesDocx(const Principal& who, std::int64_t id) {
  if (!who.Can(perm::kConferenceRead)) return Status::Forbidden();
  ConferenceView v;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto conf, LoadVisible(c, who, id));
    if (conf.status != "held" && conf.status != "closed") return Status::InvalidState(conf.status);
    TH_ASSIGN_OR_RETURN(v, BuildView(c, who, conf));
    return Audit(c, who, "conference.export", "conference", id, v.conference.unit_path);
  }));
  io::DocxWriteOptions o;
  o.title = "个案会商纪要";
  o.subject = v.conference.title;
  o.page_header = WatermarkText(who, deps_.clock.NowMillis());
  return io::WriteDocx(MinutesDocument(v, config_), o);
}

Result<repo::StoredFile> ConferenceService::Attach(const Principal& who, std::int64_t id, const std::string& name,
                                                   const std::string& bytes) {
  if (!who.Can(perm::kConferenceManage)) return Status::Forbidden();
  repo::StoredFile a;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto conf, LoadVisible(c, who, id));
    if (!ConferenceManaged(who, conf)) return Status::Forbidden();
    TH_RETURN_IF_ERROR(domain::ConferenceNext(conf.status, "attach").status());
    TH_ASSIGN_OR_RETURN(a, StoreAttachment(c, repo::kConferenceFiles, kFiles, id, name, bytes, who.user_id,
                                           deps_.clock.NowMillis()));
    return Audit(c, who, "conference.attach", "conference", id, conf.unit_path);
  }));
  return a;
}

Result<repo::StoredFile> ConferenceService::Attachment(const Principal& who, std::int64_t id,
                                                       std::int64_t attachment_id) {
  if (!who.Can(perm::kConferenceRead)) return Status::Forbidden();
  repo::StoredFile a;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto conf, LoadVisible(c, who, id));
    TH_ASSIGN_OR_RETURN(a, repo::AttachmentRepo(c, repo::kConferenceFiles).Get(id, attachment_id));
    return Audit(c, who, "conference.attachment_read", "conference", id, conf.unit_path);
  }));
  return a;
}

}  // namespace th::service
