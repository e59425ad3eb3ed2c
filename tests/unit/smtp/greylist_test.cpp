// The greylist experiment's and the greytrap's state, driven with explicit times.
#include "smtp/greylist.hpp"

#include <gtest/gtest.h>

#include "smtp/greytrap.hpp"

namespace spampot::smtp {
namespace {

constexpr Micros kMinute = 60 * kMicrosPerSecond;

TEST(Greylist, HoldsThenPassesTheRetryAfterTheDelay) {
  greylist g({1.0, 5 * kMinute, 60 * kMinute});
  EXPECT_EQ(g.check("192.0.2.1", "a@b.example", "u@trap.example", 0).greylist, "held");
  // Too early: held again, with the first hold's time.
  const auto early = g.check("192.0.2.1", "A@B.example", "U@trap.example", 2 * kMinute);
  EXPECT_EQ(early.greylist, "held");
  EXPECT_EQ(early.held_since, 0);
  const auto retry = g.check("192.0.2.1", "a@b.example", "u@trap.example", 6 * kMinute);
  EXPECT_EQ(retry.greylist, "passed");
  EXPECT_EQ(retry.held_since, 0);
  // Passed: let through without a word from now on.
  EXPECT_EQ(g.check("192.0.2.1", "a@b.example", "u@trap.example", 7 * kMinute).greylist, "");
  // Another address is another triplet.
  EXPECT_EQ(g.check("192.0.2.2", "a@b.example", "u@trap.example", 7 * kMinute).greylist, "held");
  // A hold not retried before `expire` starts over.
  EXPECT_EQ(g.check("192.0.2.2", "a@b.example", "u@trap.example", 80 * kMinute).greylist, "held");
  EXPECT_EQ(g.check("192.0.2.2", "a@b.example", "u@trap.example", 80 * kMinute).held_since, 80 * kMinute);
}

TEST(Greylist, TheShareChoosesTripletsByTheirHash) {
  greylist off({0.0});
  EXPECT_EQ(off.check("192.0.2.1", "a@b", "u@t", 0).greylist, "");
  greylist half({0.5});
  int held = 0;
  for (int i = 0; i < 400; ++i) {
    const std::string rcpt = "u" + std::to_string(i) + "@trap.example";
    const bool hold = half.check("192.0.2.9", "s@x.example", rcpt, 0).greylist == "held";
    EXPECT_EQ(hold, half.chosen("192.0.2.9", "s@x.example", rcpt));
    held += hold;
    // Not chosen once, not chosen on the retry: the control group stays clean.
    if (!hold) {
      EXPECT_EQ(half.check("192.0.2.9", "s@x.example", rcpt, 10 * kMinute).greylist, "");
    }
  }
  EXPECT_GT(held, 150);
  EXPECT_LT(held, 250);
}

TEST(Greylist, RestoredHoldsAndTheBound) {
  greylist g({1.0, 5 * kMinute, 60 * kMinute, 36 * 24 * 60 * kMinute, 2});
  g.restore("192.0.2.1", "a@b", "u@t", 0, false, 1 * kMinute);
  EXPECT_EQ(g.check("192.0.2.1", "a@b", "u@t", 6 * kMinute).greylist, "passed");
  EXPECT_EQ(g.check("192.0.2.2", "a@b", "u@t", 6 * kMinute).greylist, "held");
  // Full: a new triplet is let through rather than remembered.
  EXPECT_EQ(g.check("192.0.2.3", "a@b", "u@t", 6 * kMinute).greylist, "");
  EXPECT_EQ(g.size(), 2u);
}

TEST(Greytrap, TrapsForTheConfiguredTime) {
  greytrap t(60 * kMinute, 2);
  EXPECT_FALSE(t.trapped("192.0.2.1", 0));
  t.hit("192.0.2.1", 0);
  EXPECT_TRUE(t.trapped("192.0.2.1", 59 * kMinute));
  EXPECT_FALSE(t.trapped("192.0.2.2", 1));
  t.hit("192.0.2.1", 30 * kMinute);  // sent again: the time runs from the last hit
  EXPECT_TRUE(t.trapped("192.0.2.1", 89 * kMinute));
  EXPECT_FALSE(t.trapped("192.0.2.1", 91 * kMinute));
  t.hit("192.0.2.2", 100 * kMinute);
  t.hit("192.0.2.3", 100 * kMinute);  // full: the expired 192.0.2.1 makes room
  EXPECT_TRUE(t.trapped("192.0.2.3", 100 * kMinute));
  EXPECT_EQ(t.size(), 2u);
  greytrap off(0);
  off.hit("192.0.2.1", 0);
  EXPECT_FALSE(off.trapped("192.0.2.1", 0));
}

}  // namespace
}  // namespace spampot::smtp
