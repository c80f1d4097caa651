#pragma once
// A process-wide count of writes to children's rows (the registry's table, and any copy of a
// child's jurisdiction a move rewrites): bumped by the registry's repository, read by caches of
// numbers computed from those rows (the registry's list counts, the 工作台) so that an entry is used
// only while it is unchanged. Thread-safe. The moves themselves run through
// service::JurisdictionHooks (deps.h): each module keeps its own copies.
#include <cstdint>

namespace th::repo {

std::uint64_t ChildWriteGeneration();
void NoteChildWrite();

}  // namespace th::repo
