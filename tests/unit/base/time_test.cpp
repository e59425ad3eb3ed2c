#include "base/time.hpp"

#include <gtest/gtest.h>

namespace spampot {
namespace {

TEST(Time, FormatsRfc3339) {
  EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(format_rfc3339(1795766207580657), "2026-11-27T07:56:47.580657Z");
  EXPECT_EQ(format_rfc3339(1795766207580657, false), "2026-11-27T07:56:47Z");
}

TEST(Time, FormatsRfc5322) {
  EXPECT_EQ(format_rfc5322(1795766207580657), "Fri, 27 Nov 2026 07:56:47 +0000");
}

TEST(Time, ParsesDurations) {
  struct {
    const char* in;
    std::optional<Micros> want;
  } cases[] = {{"30s", 30 * kMicrosPerSecond},
               {"5m", 300 * kMicrosPerSecond},
               {"2h", 7200 * kMicrosPerSecond},
               {"1d", 86400 * kMicrosPerSecond},
               {"500ms", 500000},
               {"7", 7 * kMicrosPerSecond},
               {"", std::nullopt},
               {"5x", std::nullopt},
               {"m", std::nullopt},
               {"-5s", std::nullopt}};
  for (const auto& c : cases) EXPECT_EQ(parse_duration(c.in), c.want) << c.in;
}

TEST(Time, ParsesTimePoints) {
  const Micros now = 1795766207000000;
  EXPECT_EQ(parse_time_point("2026-11-27", now), 1795737600 * kMicrosPerSecond);
  EXPECT_EQ(parse_time_point("2026-11-27T07:56:47Z", now), 1795766207 * kMicrosPerSecond);
  EXPECT_EQ(parse_time_point("2026-11-27T07:56:47.5Z", now),
            1795766207 * kMicrosPerSecond + 500000);
  EXPECT_EQ(parse_time_point("2026-11-27T08:56:47+01:00", now), 1795766207 * kMicrosPerSecond);
  EXPECT_EQ(parse_time_point("24h", now), now - 86400 * kMicrosPerSecond);
  EXPECT_EQ(parse_time_point("2026-13-01", now), std::nullopt);
  EXPECT_EQ(parse_time_point("yesterday", now), std::nullopt);
  EXPECT_EQ(parse_time_point("2026-11-27T25:00:00Z", now), std::nullopt);
  EXPECT_EQ(parse_time_point("12", now), std::nullopt);
}

}  // namespace
}  // namespace spampot
