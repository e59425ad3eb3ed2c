// libspf2 under our DNS layer, answered from a table (the integration test asks a real DNS
// server on loopback).
#include "enrich/spf.hpp"

#include <gtest/gtest.h>

#include <map>
#include <utility>

namespace spampot::enrich {
namespace {

using status = dns::lookup_result::status;

struct zone {
  std::map<std::pair<std::string, dns::rr>, dns::lookup_result> records;
  std::vector<std::string> asked;

  void add(const std::string& name, dns::rr t, std::vector<std::string> values) {
    records[{name, t}] = {status::ok, std::move(values), 300, ""};
  }
  dns::lookup_result operator()(const std::string& name, dns::rr t) {
    asked.push_back(name);
    if (auto it = records.find({name, t}); it != records.end()) return it->second;
    for (const auto& [key, _] : records)
      if (key.first == name) return {status::nodata, {}, 0, ""};
    return {status::nxdomain, {}, 0, ""};
  }
};

class SpfTest : public ::testing::Test {
 protected:
  void SetUp() override {
    z_.add("allowed.example", dns::rr::txt, {"v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all"});
    z_.add("soft.example", dns::rr::txt, {"v=spf1 ip4:192.0.2.1 ~all"});
    z_.add("neutral.example", dns::rr::txt, {"v=spf1 ?all"});
    z_.add("nospf.example", dns::rr::txt, {"google-site-verification=abc"});
    z_.add("broken.example", dns::rr::txt, {"v=spf1 ip4:192.0.2.1 frobnicate:x -all"});
    z_.add("twice.example", dns::rr::txt, {"v=spf1 -all", "v=spf1 +all"});
    z_.add("include.example", dns::rr::txt, {"v=spf1 include:allowed.example -all"});
    z_.add("mx.example", dns::rr::txt, {"v=spf1 mx -all"});
    z_.add("mx.example", dns::rr::mx, {"mail.mx.example"});
    z_.add("mail.mx.example", dns::rr::a, {"198.51.100.25"});
    z_.add("mx-helo.example", dns::rr::txt, {"v=spf1 a -all"});
    z_.add("mx-helo.example", dns::rr::a, {"198.51.100.7"});
    z_.add("down-include.example", dns::rr::txt, {"v=spf1 include:down.example -all"});
    z_.records[{"down.example", dns::rr::txt}] = {status::servfail, {}, 0, ""};
    auto c = spf_checker::make([this](const std::string& n, dns::rr t) { return z_(n, t); });
    ASSERT_TRUE(c) << c.error();
    c_ = std::move(*c);
  }
  std::string result(std::string_view ip, std::string_view from, std::string_view helo = "bot.invalid") {
    return c_->check(ip, helo, from).result;
  }
  zone z_;
  std::unique_ptr<spf_checker> c_;
};

TEST_F(SpfTest, EveryResultOfRfc7208) {
  EXPECT_EQ(result("192.0.2.9", "a@allowed.example"), "pass");
  EXPECT_EQ(result("203.0.113.9", "a@allowed.example"), "fail");
  EXPECT_EQ(result("2001:db8::25", "a@allowed.example"), "pass");
  EXPECT_EQ(result("2001:db9::25", "a@Allowed.Example"), "fail");
  EXPECT_EQ(result("192.0.2.2", "a@soft.example"), "softfail");
  EXPECT_EQ(result("192.0.2.2", "a@neutral.example"), "neutral");
  EXPECT_EQ(result("192.0.2.2", "a@nospf.example"), "none");
  EXPECT_EQ(result("192.0.2.2", "a@nxdomain.example"), "none");
  EXPECT_EQ(result("192.0.2.1", "a@broken.example"), "permerror");
  EXPECT_EQ(result("192.0.2.1", "a@twice.example"), "permerror");
  EXPECT_EQ(result("192.0.2.1", "a@down.example"), "temperror");
  EXPECT_EQ(result("192.0.2.1", "a@down-include.example"), "temperror");
}

TEST_F(SpfTest, IncludeAndMxAreFollowedThroughOurDns) {
  EXPECT_EQ(result("192.0.2.200", "x@include.example"), "pass");
  EXPECT_EQ(result("198.51.100.25", "x@mx.example"), "pass");
  EXPECT_EQ(result("198.51.100.26", "x@mx.example"), "fail");
  EXPECT_NE(std::find(z_.asked.begin(), z_.asked.end(), "mail.mx.example"), z_.asked.end());
}

TEST_F(SpfTest, HeloIdentityAndTheNullSender) {
  auto v = c_->check("198.51.100.7", "MX-Helo.Example", "");
  EXPECT_EQ(v.result, "pass");  // <>: the HELO identity is the one checked
  EXPECT_EQ(v.domain, "mx-helo.example");
  EXPECT_EQ(v.helo_result, "pass");
  v = c_->check("198.51.100.8", "mx-helo.example", "a@allowed.example");
  EXPECT_EQ(v.result, "fail");
  EXPECT_EQ(v.domain, "allowed.example");
  EXPECT_EQ(v.helo_result, "fail");
  v = c_->check("198.51.100.8", "[198.51.100.8]", "a@allowed.example");
  EXPECT_EQ(v.helo_result, "none");  // an address literal is no domain
}

TEST_F(SpfTest, HostileIdentitiesAreNoneWithoutAQuestion) {
  z_.asked.clear();
  for (const std::string& from : std::vector<std::string>{"a@localhost", "a@-", "a@x..example", "a@%{l}.example", "@allowed.example",
                                "a@exa mple.com", "no-at-sign", std::string("a@") + std::string(300, 'a') + ".example"}) {
    EXPECT_EQ(c_->check("192.0.2.1", "bad helo", from).result, "none") << from;
  }
  EXPECT_TRUE(z_.asked.empty());
  EXPECT_FALSE(is_checkable_domain(std::string(64, 'a') + ".example"));
  EXPECT_TRUE(is_checkable_domain("_spf.example.com."));
}

}  // namespace
}  // namespace spampot::enrich
