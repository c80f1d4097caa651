// TEMPORARY until the engine's generic work API lands on main.
#include "modules/dispatch/service/dispatch_internal.h"
namespace th::service::dispatch_detail {
Status SyncWork(Deps&, storage::Connection&, const repo::DispatchOrderRecord&, std::int64_t, bool) { return Status::Ok(); }
}
