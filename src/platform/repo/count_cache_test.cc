#include "platform/repo/count_cache.h"

#include <gtest/gtest.h>

namespace th::repo {
namespace {

std::chrono::steady_clock::time_point g_now{};
std::chrono::steady_clock::time_point TestNow() { return g_now; }

TEST(CountCacheTest, KeptForTheTtlAndDroppedByANewGeneration) {
  g_now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  CountCache c(&TestNow);
  EXPECT_FALSE(c.Get("k", 1));
  c.Put("k", 1, {42, false});
  g_now += CountCache::kTtl;
  ASSERT_TRUE(c.Get("k", 1));
  EXPECT_EQ(c.Get("k", 1)->total, 42);
  EXPECT_FALSE(c.Get("k", 2));  // a write since: everyone counts
  EXPECT_FALSE(c.Get("k", 2));
}

TEST(CountCacheTest, AnExpiredCountIsRecountedByOneCallerWhileTheOthersGetTheOldOne) {
  g_now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  CountCache c(&TestNow);
  c.Put("k", 1, {42, true});
  g_now += CountCache::kTtl + std::chrono::seconds(1);
  EXPECT_FALSE(c.Get("k", 1));  // the first caller recounts
  auto other = c.Get("k", 1);   // the others meanwhile: the old count
  ASSERT_TRUE(other);
  EXPECT_EQ(other->total, 42);
  EXPECT_TRUE(other->capped);
  g_now += CountCache::kClaim + std::chrono::seconds(1);
  EXPECT_FALSE(c.Get("k", 1));  // the recount never came (it failed): the next caller recounts
  c.Put("k", 1, {43, false});
  EXPECT_EQ(c.Get("k", 1)->total, 43);
}

}  // namespace
}  // namespace th::repo
