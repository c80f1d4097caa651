#include "service/audit_service.h"

#include <algorithm>

#include "service/auth_service.h"
#include "service/org_service.h"
#include "service/session_cache.h"
#include "service/user_service.h"

namespace th::service {

Result<std::vector<repo::AuditEntry>> AuditService::List(const Principal& who, repo::AuditFilter f,
                                                         const repo::Page& page, std::int64_t* total) {
  if (!who.Can("audit.read")) return Status::Forbidden();
  bool root = std::count(who.org_path.begin(), who.org_path.end(), '/') <= 2;
  f.path_prefix = root ? std::string() : who.org_path;
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  return repo::AuditRepo(*h).List(f, page, total);
}

Result<repo::AuditVerifyResult> AuditService::Verify(const Principal* who,
                                                     const std::vector<repo::AuditCheckpoint>& checkpoints) {
  if (who && !who->Can("audit.read")) return Status::Forbidden();
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

namespace {
Deps WithCache(Deps d) {
  if (!d.sessions) d.sessions = std::make_shared<SessionCache>(d.options.session_cache_ms);
  return d;
}
}  // namespace

Services::Services(Deps deps)
    : deps_(WithCache(std::move(deps))),
      auth_(std::make_unique<AuthService>(deps_)),
      org_(std::make_unique<OrgService>(deps_)),
      users_(std::make_unique<UserService>(deps_, *auth_)),
      audit_(deps_) {
  repo::AuditChainKey::Install(deps_.keys);
}

Services::~Services() = default;

}  // namespace th::service
