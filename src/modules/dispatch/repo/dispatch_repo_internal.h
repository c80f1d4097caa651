#pragma once
// Shared by the dispatch repo's files: the order's columns and their reader.
#include "modules/dispatch/repo/dispatch_repo.h"

namespace th::repo::dispatch_internal {

extern const char* const kOrderCols;  // "id, report_id, ..." (no alias)
DispatchOrderRecord OrderFrom(const storage::Row& r);

}  // namespace th::repo::dispatch_internal
