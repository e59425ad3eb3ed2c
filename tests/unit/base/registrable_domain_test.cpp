#include "base/registrable_domain.hpp"

#include <gtest/gtest.h>

namespace spampot {
namespace {

TEST(RegistrableDomain, ByThePublicSuffixListAndNeverOfAnAddress) {
  EXPECT_EQ(registrable_domain("Mail.Spam.CO.UK."), "spam.co.uk");
  EXPECT_EQ(registrable_domain("a.b.example.com"), "example.com");
  EXPECT_EQ(registrable_domain("co.uk"), "co.uk");  // a bare suffix stays itself
  EXPECT_EQ(registrable_domain("127.0.0.77"), "127.0.0.77");
  EXPECT_EQ(registrable_domain("2001:db8::1"), "2001:db8::1");
  EXPECT_EQ(registrable_domain("[192.0.2.1]"), "[192.0.2.1]");
  EXPECT_EQ(registrable_domain(""), "");
}

}  // namespace
}  // namespace spampot
