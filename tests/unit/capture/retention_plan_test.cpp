#include "capture/retention_plan.hpp"

#include <gtest/gtest.h>

namespace spampot::capture {
namespace {

constexpr Micros kDay = 24LL * 3600 * kMicrosPerSecond;
constexpr std::uint64_t kMiB = 1024 * 1024;

// Five 10 MiB segments written a day apart, the newest today (the journal's open one).
std::vector<segment_info> five_days(Micros now) {
  std::vector<segment_info> out;
  for (std::uint32_t i = 1; i <= 5; ++i) out.push_back({i, 10 * kMiB, now - (5 - i) * kDay});
  return out;
}

std::vector<std::uint32_t> dropped(const retention_plan& p) {
  std::vector<std::uint32_t> out;
  for (const auto& d : p.drops) out.push_back(d.segment.segment);
  return out;
}

TEST(RetentionPlanTest, NoBudgetDropsNothing) {
  const Micros now = 100 * kDay;
  const auto p = plan_retention(five_days(now), {5, 0}, {}, 0, {}, now);
  EXPECT_TRUE(p.drops.empty());
  EXPECT_EQ(p.spool_over, 0u);
  EXPECT_EQ(p.free_short, 0u);
}

TEST(RetentionPlanTest, MaxAgeDropsOlderSegmentsOldestFirst) {
  const Micros now = 100 * kDay;
  retention_budget b;
  b.max_age = 2 * kDay + 1;  // segments 1 and 2 (4 and 3 days old) are past it; 3 is 2 days old
  const auto p = plan_retention(five_days(now), {5, 0}, {}, 1000 * kMiB, b, now);
  EXPECT_EQ(dropped(p), (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(p.drops[0].reason, drop_reason::max_age);
}

TEST(RetentionPlanTest, NeverAnUnindexedSegment) {
  const Micros now = 100 * kDay;
  retention_budget b;
  b.max_age = 1;  // everything is old
  // Indexed into segment 3: 1 and 2 may go, 3 and later may not.
  auto p = plan_retention(five_days(now), {3, 5 * kMiB}, {}, 1000 * kMiB, b, now);
  EXPECT_EQ(dropped(p), (std::vector<std::uint32_t>{1, 2}));
  // At segment 3's end it is wholly indexed: it may go too.
  p = plan_retention(five_days(now), {3, 10 * kMiB}, {}, 1000 * kMiB, b, now);
  EXPECT_EQ(dropped(p), (std::vector<std::uint32_t>{1, 2, 3}));
}

TEST(RetentionPlanTest, NeverTheOpenSegment) {
  const Micros now = 100 * kDay;
  retention_budget b;
  b.max_age = 1;
  auto segs = five_days(now);
  const auto p = plan_retention(segs, {5, 10 * kMiB}, {}, 1000 * kMiB, b, now);
  EXPECT_EQ(dropped(p), (std::vector<std::uint32_t>{1, 2, 3, 4}));
}

TEST(RetentionPlanTest, AQuarantinedRecordHoldsItsSegmentAndTheNewer) {
  const Micros now = 100 * kDay;
  retention_budget b;
  b.max_age = 1;
  const auto p = plan_retention(five_days(now), {5, 0}, {2}, 1000 * kMiB, b, now);
  EXPECT_EQ(dropped(p), (std::vector<std::uint32_t>{1}));
}

TEST(RetentionPlanTest, MaxSpoolDropsUntilUnderTheBudget) {
  const Micros now = 100 * kDay;
  retention_budget b;
  b.max_spool = 25 * kMiB;  // 50 MiB now: three segments must go
  auto p = plan_retention(five_days(now), {5, 0}, {}, 1000 * kMiB, b, now);
  EXPECT_EQ(dropped(p), (std::vector<std::uint32_t>{1, 2, 3}));
  EXPECT_EQ(p.drops[0].reason, drop_reason::max_spool);
  EXPECT_EQ(p.spool_over, 0u);
  // Only segment 1 is indexed: the budget stays exceeded, and the plan says by how much.
  p = plan_retention(five_days(now), {2, 0}, {}, 1000 * kMiB, b, now);
  EXPECT_EQ(dropped(p), (std::vector<std::uint32_t>{1}));
  EXPECT_EQ(p.spool_over, 15 * kMiB);
}

TEST(RetentionPlanTest, MinFreeDropsUntilEnoughIsFree) {
  const Micros now = 100 * kDay;
  retention_budget b;
  b.min_free = 30 * kMiB;
  auto p = plan_retention(five_days(now), {5, 0}, {}, 12 * kMiB, b, now);
  EXPECT_EQ(dropped(p), (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(p.drops[1].reason, drop_reason::min_free);
  EXPECT_EQ(p.free_short, 0u);
  // A nearly full disk with nothing indexed: nothing may go, and the shortfall is reported.
  p = plan_retention(five_days(now), {1, 0}, {}, 2 * kMiB, b, now);
  EXPECT_TRUE(p.drops.empty());
  EXPECT_EQ(p.free_short, 28 * kMiB);
}

TEST(RetentionPlanTest, EachDropNamesTheFirstReasonThatHolds) {
  const Micros now = 100 * kDay;
  retention_budget b;
  b.max_age = 3 * kDay + 1;  // segment 1 only
  b.max_spool = 35 * kMiB;   // then one more
  b.min_free = 26 * kMiB;    // then one more
  const auto p = plan_retention(five_days(now), {5, 0}, {}, 5 * kMiB, b, now);
  ASSERT_EQ(dropped(p), (std::vector<std::uint32_t>{1, 2, 3}));
  EXPECT_EQ(p.drops[0].reason, drop_reason::max_age);
  EXPECT_EQ(p.drops[1].reason, drop_reason::max_spool);
  EXPECT_EQ(p.drops[2].reason, drop_reason::min_free);
}

}  // namespace
}  // namespace spampot::capture
