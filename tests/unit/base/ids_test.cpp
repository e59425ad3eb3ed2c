#include "base/ids.hpp"

#include <gtest/gtest.h>

#include <set>

namespace spampot {
namespace {

TEST(Ids, SortByTimeAndCarryIt) {
  id_generator g("ams-1", 42);
  const std::string a = g.next(1795766207000000);
  const std::string b = g.next(1795766208000000);
  EXPECT_EQ(a.size(), 19u);
  EXPECT_LT(a, b);
  EXPECT_EQ(id_time(a), 1795766207000000);
  EXPECT_EQ(id_time("not-an-id"), -1);
}

TEST(Ids, StrictlyIncreasingWhenTheClockStandsStillOrStepsBack) {
  id_generator g("ams-1", 7);
  std::string prev = g.next(1000);
  for (Micros t : {1000, 1000, 999, 500, 1001}) {
    const std::string next = g.next(t);
    EXPECT_LT(prev, next);
    prev = next;
  }
}

TEST(Ids, SensorsDifferInTheSameMicrosecond) {
  id_generator a("ams-1", 1), b("fra-1", 1);
  EXPECT_NE(a.next(5000), b.next(5000));
  std::set<std::string> seen;
  id_generator g("x", 0xfffff);  // the sequence wraps; the time part keeps ids unique
  for (int i = 0; i < 10000; ++i) seen.insert(g.next(77));
  EXPECT_EQ(seen.size(), 10000u);
}

}  // namespace
}  // namespace spampot
