#include "platform/service/audit_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <optional>
#include "platform/service/permissions.h"


namespace th::service {

Result<std::vector<repo::AuditEntry>> AuditService::List(const Principal& who, repo::AuditFilter f,
                                                         const repo::Page& page, std::int64_t* total) {
  if (!who.Can(perm::kAuditRead)) return Status::Forbidden();
  bool root = std::count(who.org_path.begin(), who.org_path.end(), '/') <= 2;
  f.path_prefix = root ? std::string() : who.org_path;
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  return repo::AuditRepo(*h).List(f, page, total);
}

namespace {

// clang-format off
const std::vector<AuditActionName> kActionNames = {
    {"auth.login", "登录", "Sign in"},
    {"auth.login_failed", "登录失败", "Failed sign-in"},
    {"auth.locked", "账号锁定", "Account locked"},
    {"auth.throttled", "登录受限", "Sign-in throttled"},
    {"auth.logout", "退出登录", "Sign out"},
    {"auth.logout_all", "退出所有设备", "Sign out everywhere"},
    {"user.create", "新建用户", "Create user"},
    {"user.update", "修改用户", "Edit user"},
    {"user.disable", "停用用户", "Disable user"},
    {"user.enable", "启用用户", "Enable user"},
    {"user.unlock", "解锁用户", "Unlock user"},
    {"user.reset_password", "重置密码", "Reset password"},
    {"user.password_change", "修改密码", "Change password"},
    {"org.create", "新建组织机构", "Create org unit"},
    {"org.rename", "修改组织机构", "Rename org unit"},
    {"org.move", "调整隶属关系", "Move org unit"},
    {"org.retire", "撤销组织机构", "Retire org unit"},
    {"org.import", "导入组织机构", "Import org units"},
    {"agency.create", "新建部门", "Create agency"},
    {"agency.update", "修改部门", "Edit agency"},
    {"agency.retire", "撤销部门", "Retire agency"},
    {"child.create", "建档", "Create child file"},
    {"child.read", "查看儿童档案", "Open child file"},
    {"child.update", "修改基本信息", "Edit child file"},
    {"child.family_add", "添加家庭成员", "Add family member"},
    {"child.family_update", "修改家庭成员", "Edit family member"},
    {"child.family_remove", "移除家庭成员", "Remove family member"},
    {"child.guardian_set", "设置监护人", "Set guardian"},
    {"child.category_override", "人工认定类别", "Override category"},
    {"child.categories_refresh", "类别定期重新判定", "Category re-evaluation"},
    {"child.reveal", "查看完整号码", "Reveal identifier"},
    {"child.export", "导出儿童台账", "Export children"},
    {"child.import", "导入儿童档案", "Import children"},
    {"child.demo_load", "载入演示数据", "Load demo data"},
    {"child.photo_set", "上传/更换照片", "Set photo"},
    {"child.photo_remove", "删除照片", "Remove photo"},
    {"child.photo_read", "查看照片", "View photo"},
    {"roll.propose", "提出增减员申请", "Propose roll change"},
    {"roll.review", "街道审核通过", "Street review"},
    {"roll.confirm", "区级确认", "District confirmation"},
    {"roll.return", "退回申请", "Return roll request"},
    {"screening.source_create", "新建数据来源", "Create data source"},
    {"screening.upload", "上传比对数据", "Upload screening data"},
    {"screening.batch", "比对批次完成", "Screening batch done"},
    {"screening.verify", "登记核查结果", "Record verification"},
    {"report.create", "登记发现报告", "Record report"},
    {"report.public_create", "群众提交报告", "Public report"},
    {"report.public_photo", "群众补充照片", "Public report photo"},
    {"report.read", "查看发现报告", "Open report"},
    {"report.list", "浏览报告列表", "List reports"},
    {"report.reveal_reporter", "查看报告人", "Reveal reporter"},
    {"report.triage", "研判报告", "Triage report"},
    {"report.close", "报告办结", "Close report"},
    {"report.move", "报告状态流转", "Report status change"},
    {"report.attachment_add", "上传报告附件", "Add report attachment"},
    {"report.attachment_read", "查看报告附件", "Open report attachment"},
    {"duty.shift_create", "排班", "Add duty shift"},
    {"duty.shift_delete", "删除排班", "Delete duty shift"},
    {"duty.handover", "值班交接", "Duty handover"},
    {"audit.checkpoint", "审计链检查点", "Audit checkpoint"},
    {"work.request_extension", "申请延期", "Request extension"},
    {"work.approve_extension", "批准延期", "Approve extension"},
    {"work.reject_extension", "驳回延期", "Reject extension"},
    {"work.sweep", "待办督办扫描", "Escalation sweep"},
    // Visits (src/modules/visits).
    {"visit.create", "记录走访", "Record a visit"},
    {"visit.read", "查看走访记录", "Read visit records"},
    {"visit.photo_add", "上传走访照片", "Add a visit photo"},
    {"visit.photo_read", "查看走访照片", "View a visit photo"},
    {"visit.replan", "按风险等级重排走访", "Re-plan visits from a risk grade"},
    {"visit.evaluate", "走访计划夜间评估", "Nightly visit schedule evaluation"},
    // Early warnings (src/modules/warnings).
    {"warning.raise", "发出预警", "Raise an early warning"},
    {"warning.read", "查看预警", "Read early warnings"},
    {"warning.handle", "处置预警", "Handle an early warning"},
    {"warning.clear", "预警条件消除自动关闭", "Warning closed: condition cleared"},
    {"warning.evaluate", "预警夜间评估", "Nightly warning evaluation"},
    // Dispatch orders (src/modules/dispatch).
    // Case conferences (src/modules/conferences).
    {"conference.create", "召集个案会商", "Convene a case conference"},
    {"conference.edit", "修改个案会商", "Edit a case conference"},
    {"conference.record", "记录会商纪要", "Record conference minutes"},
    {"conference.amend", "补正会商纪要", "Amend conference minutes"},
    {"conference.cancel", "取消个案会商", "Cancel a case conference"},
    {"conference.close", "办结个案会商", "Close a case conference"},
    {"conference.read", "查看个案会商", "Open a case conference"},
    {"conference.child_list", "查看儿童会商记录", "List a child's conferences"},
    {"conference.case_list", "查看个案的会商记录", "List a case's conferences"},
    {"conference.decision_read", "查看会商决定事项", "Open a conference decision"},
    {"conference.decision_done", "办结会商决定事项", "Complete a conference decision"},
    {"conference.export", "导出会商纪要", "Export conference minutes"},
    {"conference.attach", "上传会商材料", "Attach conference material"},
    {"conference.attachment_read", "查看会商材料", "Open conference material"},
    {"dispatch.create", "派单", "Dispatch an order"},
    {"dispatch.read", "查看派单", "Open a dispatch order"},
    {"dispatch.accept", "签收派单", "Accept an order"},
    {"dispatch.return", "申请退单", "Request a return"},
    {"dispatch.approve_return", "同意退单", "Approve a return"},
    {"dispatch.reject_return", "驳回退单", "Reject a return"},
    {"dispatch.request_extension", "申请派单延期", "Request an order extension"},
    {"dispatch.approve_extension", "批准派单延期", "Approve an order extension"},
    {"dispatch.reject_extension", "驳回派单延期", "Reject an order extension"},
    {"dispatch.feedback", "派单办理反馈", "Feed back on an order"},
    {"dispatch.revisit", "派单回访核实", "Return visit"},
    {"dispatch.redo", "派单重办", "Redo an order"},
    {"dispatch.close", "派单办结", "Close an order"},
    {"dispatch.close_with_report", "随报告办结派单", "Close an order with its report"},
    {"dispatch.timeline", "查看工作流转单", "Open the order timeline"},
    {"dispatch.export", "导出派单统计", "Export dispatch statistics"},
    {"casestat.export", "导出个案统计", "Export case statistics"},
    {"conference.need_open", "提请个案会商", "Open a conference-needed item"},
    {"dispatch.attach", "上传派单附件", "Attach a file to an order"},
    {"dispatch.attachment_read", "查看派单附件", "Open an order attachment"},
    {"plan.read", "查看个案计划", "Open a case plan"},
    {"plan.reveal", "查看计划团队电话", "Reveal the plan team's phones"},
    {"plan.create", "起草个案计划", "Draft a case plan"},
    {"plan.update", "修改个案计划", "Edit a case plan"},
    {"plan.submit", "提交个案计划", "Submit a case plan"},
    {"plan.approve", "批准个案计划", "Approve a case plan"},
    {"plan.return", "退回个案计划", "Return a case plan"},
    {"plan.task_done", "完成计划任务", "Complete a plan task"},
    {"plan.export", "导出个案计划", "Print or export a case plan"},
    {"service.list", "查看服务记录", "List service records"},
    {"service.record", "登记服务记录", "Record a service"},
    {"service.read", "查看服务记录", "Open a service record"},
    {"service.attach", "上传服务记录附件", "Attach a file to a service record"},
    {"service.attachment_read", "查看服务记录附件", "Open a service record attachment"},
    {"group.create", "创建小组", "Create a group service"},
    {"group.read", "查看小组", "Open a group service"},
    {"group.add_member", "小组添加成员", "Add a group member"},
    {"group.remove_member", "小组移除成员", "Remove a group member"},
    {"group.session", "登记小组活动", "Record a group session"},
    {"group.close", "结束小组", "Close a group service"},
    {"group.reopen", "重开小组", "Reopen a group service"},
    // Cases and assessments (src/modules/cases).
    {"case.open", "接案", "Open a case"},
    {"guardianship.propose", "提出监护干预", "Propose a guardianship intervention"},
    {"guardianship.approve", "批准监护干预", "Approve a guardianship intervention"},
    {"guardianship.reject", "不予批准监护干预", "Reject a guardianship intervention"},
    {"guardianship.place", "临时监护安置", "Place a child in temporary guardianship"},
    {"guardianship.check", "记录安置回访", "Record a placement check"},
    {"guardianship.return_assessment", "关联返家评估", "Link the return assessment"},
    {"guardianship.return", "返回家庭", "Return a child home"},
    {"guardianship.convert", "转为长期监护", "Convert to long-term guardianship"},
    {"guardianship.adopt", "因收养终止长期监护", "End long-term guardianship by adoption"},
    {"guardianship.end", "终止长期监护", "End long-term guardianship"},
    {"guardianship.read", "查看监护干预", "Open a guardianship intervention"},
    {"guardianship.list", "浏览监护干预列表", "List guardianship interventions"},
    {"guardianship.check_open", "红色等级启动监护核查", "A red grade opened a guardianship check"},
    {"guardianship.check_done", "完成监护状况核查", "Complete a guardianship check"},
    {"case.read", "查看个案", "Open a case file"},
    {"case.list", "浏览个案列表", "List cases"},
    {"case.move", "个案状态流转", "Case status change"},
    {"case.assign", "指派个案社工", "Assign a case worker"},
    {"assessment.save", "保存评估草稿", "Save an assessment draft"},
    {"assessment.complete", "完成评估", "Complete an assessment"},
    {"assessment.read", "查看评估", "Open an assessment"},
    {"assessment.compare", "对比评估", "Compare assessments"},
    {"child.risk_grade", "更新风险等级", "Set the risk grade"},
};
const std::vector<AuditActionName> kObjectTypeNames = {
    {"user", "用户", "User"},
    {"org_unit", "组织机构", "Org unit"},
    {"agency", "部门", "Agency"},
    {"session", "会话", "Session"},
    {"child", "儿童", "Child"},
    {"screening_batch", "比对批次", "Screening batch"},
    {"data_source", "数据来源", "Data source"},
    {"verification_task", "核查任务", "Verification task"},
    {"work_item", "待办事项", "Work item"},
    {"dispatch_order", "派单", "Dispatch order"},
    {"dispatch_stats", "派单统计", "Dispatch statistics"},
    {"report", "发现报告", "Report"},
    {"duty_shift", "值班", "Duty shift"},
    {"duty_handover", "值班交接", "Duty handover"},
    {"case", "个案", "Case"},
    {"assessment", "评估", "Assessment"},
    {"dispatch_order", "派单", "Dispatch order"},
    {"dispatch_stats", "派单统计", "Dispatch statistics"},
    {"plan", "个案计划", "Case plan"},
    {"service_record", "服务记录", "Service record"},
    {"group_service", "小组服务", "Group service"},
};
// clang-format on

AuditActionName Lookup(const std::vector<AuditActionName>& table, std::string_view code) {
  for (const auto& a : table) {
    if (a.code == code) return a;
  }
  return {code, code, code};
}

std::optional<std::int64_t> IdOf(const std::string& s) {
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoll(s);
}

}  // namespace

const std::vector<AuditActionName>& AuditActionNames() { return kActionNames; }
AuditActionName AuditActionNameOf(std::string_view code) { return Lookup(kActionNames, code); }
AuditActionName AuditObjectTypeNameOf(std::string_view type) { return Lookup(kObjectTypeNames, type); }

std::string AuditNames::Of(const std::string& kind, const std::string& id) const {
  auto k = by_kind.find(kind);
  auto n = IdOf(id);
  if (k == by_kind.end() || !n) return "";
  auto it = k->second.find(*n);
  return it == k->second.end() ? "" : it->second;
}

// Ids of units and users named in an entry's before/after ({"org_unit_id":"12"} or 12).
void CollectChangeIds(const std::string& text, std::map<std::string, std::vector<std::int64_t>>* ids) {
  if (text.empty() || text.front() != '{') return;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return;
  for (const auto& kv : v.as_object()) {
    std::string_view k = kv.key();
    const char* kind = k == "org_unit_id" || k == "parent_id" || k == "community_id" || k == "grid_id" ? "org_unit"
                       : k == "director_user_id"                                                         ? "user"
                                                                                                         : nullptr;
    if (!kind) continue;
    std::optional<std::int64_t> n;
    if (kv.value().is_string()) n = IdOf(std::string(kv.value().as_string()));
    if (kv.value().is_int64()) n = kv.value().as_int64();
    if (n) (*ids)[kind].push_back(*n);
  }
}

Result<AuditNames> AuditService::ObjectNames(const Principal& who, const std::vector<repo::AuditEntry>& entries) {
  if (!who.Can(perm::kAuditRead)) return Status::Forbidden();
  std::map<std::string, std::vector<std::int64_t>> ids;
  for (const auto& e : entries) {
    CollectChangeIds(e.before_json, &ids);
    CollectChangeIds(e.after_json, &ids);
    // A child's name only for a caller who may read children (the registry's child.read).
    if (e.object_type == "child" && !who.Can("child.read")) continue;
    if (auto n = IdOf(e.object_id)) ids[e.object_type].push_back(*n);
  }
  return Names(ids);
}

Result<AuditNames> AuditService::Names(const std::map<std::string, std::vector<std::int64_t>>& ids) {
  AuditNames out;
  if (ids.empty()) return out;
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  repo::AuditRepo repo(*h);
  for (const auto& [kind, list] : ids) {
    TH_ASSIGN_OR_RETURN(out.by_kind[kind], repo.NamesOf(kind, list));
  }
  return out;
}

Result<repo::AuditVerifyResult> AuditService::Verify(const Principal* who,
                                                     const std::vector<repo::AuditCheckpoint>& checkpoints) {
  if (who && !who->Can(perm::kAuditRead)) return Status::Forbidden();
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  return repo::AuditRepo(*h).Verify(checkpoints);
}

Status AuditService::SealChain() {
  return InTransaction(deps_.db, [](storage::Connection& c) { return repo::AuditRepo(c).SealBoundary(); });
}

Result<repo::AuditCheckpoint> AuditService::Checkpoint() {
  TH_ASSIGN_OR_RETURN(auto v, Verify(nullptr));
  if (!v.ok) {
    return Status::Error(Code::kConflict, "audit_broken", "审计日志校验未通过，不能生成检查点: " + v.reason,
                         "The audit chain does not verify; no checkpoint taken: " + v.reason);
  }
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  return repo::AuditRepo(*h).Head();
}

std::string FormatCheckpoint(const repo::AuditCheckpoint& cp, std::int64_t at_ms) {
  return "tonghu-audit-checkpoint seq=" + std::to_string(cp.seq) + " hash=" + cp.hash + " at=" + std::to_string(at_ms);
}

Result<std::vector<repo::AuditCheckpoint>> ParseCheckpoints(const std::string& text) {
  std::vector<repo::AuditCheckpoint> out;
  std::size_t line_no = 0, pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const std::string prefix = "tonghu-audit-checkpoint seq=";
    const std::size_t h = line.find(" hash=");
    repo::AuditCheckpoint cp;
    bool ok = line.rfind(prefix, 0) == 0 && h != std::string::npos;
    if (ok) {
      const std::string seq = line.substr(prefix.size(), h - prefix.size());
      ok = !seq.empty() && seq.size() < 19 && std::all_of(seq.begin(), seq.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (ok) cp.seq = std::stoll(seq);
      const std::size_t hs = h + 6, he = line.find(' ', hs);
      cp.hash = line.substr(hs, he == std::string::npos ? std::string::npos : he - hs);
      ok = ok && cp.seq > 0 && cp.hash.size() == 64;
    }
    if (!ok) {
      return Status::Invalid("checkpoints", "invalid_checkpoint", "检查点文件第" + std::to_string(line_no) + "行格式错误",
                             "Checkpoint file line " + std::to_string(line_no) + " is malformed");
    }
    out.push_back(std::move(cp));
  }
  return out;
}

}  // namespace th::service
