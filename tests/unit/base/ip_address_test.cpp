#include "base/ip_address.hpp"

#include <gtest/gtest.h>

namespace spampot {
namespace {

TEST(IpAddress, ParsesBothFamiliesToCanonicalText) {
  struct {
    const char* in;
    const char* want;
  } cases[] = {{"192.0.2.1", "192.0.2.1"},
               {"::ffff:192.0.2.1", "192.0.2.1"},
               {"2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
               {"[2001:db8::1]", "2001:db8::1"},
               {"::1", "::1"}};
  for (const auto& c : cases) {
    auto ip = ip_address::parse(c.in);
    ASSERT_TRUE(ip) << c.in;
    EXPECT_EQ(ip->to_string(), c.want);
  }
  for (const char* bad :
       {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "host.example", "[::1", "1.2.3.4/24"})
    EXPECT_FALSE(ip_address::parse(bad)) << bad;
}

TEST(Cidr, ContainsAndBounds) {
  auto net = cidr::parse("192.0.2.0/24");
  ASSERT_TRUE(net);
  EXPECT_TRUE(net->contains(*ip_address::parse("192.0.2.0")));
  EXPECT_TRUE(net->contains(*ip_address::parse("192.0.2.255")));
  EXPECT_FALSE(net->contains(*ip_address::parse("192.0.3.0")));
  EXPECT_FALSE(net->contains(*ip_address::parse("::1")));
  EXPECT_EQ(net->first().to_string(), "192.0.2.0");
  EXPECT_EQ(net->last().to_string(), "192.0.2.255");

  auto v6 = cidr::parse("2001:db8::/32");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->contains(*ip_address::parse("2001:db8:ffff::1")));
  EXPECT_FALSE(v6->contains(*ip_address::parse("2001:db9::1")));

  auto one = cidr::parse("10.1.2.3");
  ASSERT_TRUE(one);
  EXPECT_TRUE(one->contains(*ip_address::parse("10.1.2.3")));
  EXPECT_FALSE(one->contains(*ip_address::parse("10.1.2.4")));

  auto odd = cidr::parse("10.0.0.0/9");
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->last().to_string(), "10.127.255.255");

  for (const char* bad : {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x", "nope/8"})
    EXPECT_FALSE(cidr::parse(bad)) << bad;
}

}  // namespace
}  // namespace spampot
