#pragma once
// WriteAudit (deps.h) for many records at once, defined in deps.cc next to it.
#include <string>
#include <vector>

#include "platform/service/deps.h"

namespace th::service {

// WriteAudit for several records by the same actor, in order, as one group (AuditRepo::AppendMany:
// one audit_head update and multi-row INSERTs): the same entries as one WriteAudit per record, in
// the caller's transaction.
Status WriteAudits(storage::Connection& c, const Clock& clock, const Principal* who, const std::string& client_ip,
                   const std::vector<AuditRecord>& records);

}  // namespace th::service
