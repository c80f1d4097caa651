#include "platform/repo/jurisdiction_repo.h"

#include <atomic>

namespace th::repo {

namespace {
std::atomic<std::uint64_t> g_child_write_generation{0};
}  // namespace

std::uint64_t ChildWriteGeneration() { return g_child_write_generation.load(std::memory_order_acquire); }
void NoteChildWrite() { g_child_write_generation.fetch_add(1, std::memory_order_acq_rel); }

}  // namespace th::repo
