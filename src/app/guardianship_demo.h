#pragma once
// The guardianship module's part of `tonghu demo`: 何梓萱 in temporary guardianship placed with her aunt
// (two placement checks), 孙嘉豪 returned home after a passing 家庭监护能力评估, 许晨阳 (orphan) in long-term
// guardianship (兜底监护儿童). Made by the demo's social worker (周敏, `social`) and the district's 陈晓红
// (`district`) at pinned past times (deterministic).
#include "app/bootstrap.h"

namespace th::app {

// Needs the demo district, its children (LoadDemoActivity) and the configured modules.
Status LoadDemoGuardianship(App& app);

}  // namespace th::app
