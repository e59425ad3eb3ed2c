// libopendmarc judging the SPF and DKIM results we found, with the records answered from a table
// (dnsmasq serves them in the integration test).
#include "enrich/dmarc.hpp"

#include <gtest/gtest.h>

#include <map>

namespace spampot::enrich {
namespace {

using status = dns::lookup_result::status;

class DmarcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    records_["_dmarc.signed.example"] = {"v=DMARC1; p=reject; rua=mailto:d@signed.example"};
    records_["_dmarc.bank.example"] = {"v=DMARC1; p=reject; sp=quarantine"};
    records_["_dmarc.shop.example"] = {"v=DMARC1; p=none"};
    records_["_dmarc.strict.example"] = {"v=DMARC1; p=reject; aspf=s; adkim=s"};
    records_["_dmarc.broken.example"] = {"v=DMARC1; p=bogus"};
    records_["_dmarc.twice.example"] = {"v=DMARC1; p=none", "v=DMARC1; p=reject"};
    records_["_dmarc.other.example"] = {"some unrelated text"};
    auto c = dmarc_checker::make([this](const std::string& name, dns::rr) -> dns::lookup_result {
      asked_.push_back(name);
      if (name == "_dmarc.down.example") return {status::servfail, {}, 0, ""};
      if (auto it = records_.find(name); it != records_.end()) return {status::ok, it->second, 300, ""};
      return {status::nxdomain, {}, 0, ""};
    });
    ASSERT_TRUE(c) << c.error();
    c_ = std::move(*c);
  }
  dmarc_verdict check(const std::string& from, spf_verdict spf, std::vector<dkim_signature> dkim = {}) {
    return c_->check({"192.0.2.1", from, false, std::move(spf), std::move(dkim)});
  }
  std::map<std::string, std::vector<std::string>> records_;
  std::vector<std::string> asked_;
  std::unique_ptr<dmarc_checker> c_;
};

TEST_F(DmarcTest, AnAlignedDkimPassIsAPass) {
  auto v = check("signed.example", {"fail", "mailer.example", "none"}, {{"signed.example", "sel", "pass", ""}});
  EXPECT_EQ(v.result, "pass");
  EXPECT_TRUE(v.dkim_aligned);
  EXPECT_FALSE(v.spf_aligned);
  EXPECT_EQ(v.policy, "reject");
  EXPECT_EQ(v.record_domain, "signed.example");
}

TEST_F(DmarcTest, ABrandSignedByAnotherDomainFails) {
  auto v = check("bank.example", {"pass", "mailer.example", "none"}, {{"signed.example", "sel", "pass", ""}});
  EXPECT_EQ(v.result, "fail");
  EXPECT_FALSE(v.dkim_aligned);
  EXPECT_FALSE(v.spf_aligned);
  EXPECT_EQ(v.policy, "reject");
  // A subdomain without a record of its own: the organisational domain's, and its sp=.
  v = check("Secure.Bank.Example", {"fail", "mailer.example", "none"});
  EXPECT_EQ(v.result, "fail");
  EXPECT_EQ(v.record_domain, "bank.example");
  EXPECT_EQ(v.policy, "quarantine");
}

TEST_F(DmarcTest, RelaxedAndStrictSpfAlignment) {
  auto v = check("shop.example", {"pass", "bounces.shop.example", "none"});
  EXPECT_EQ(v.result, "pass");
  EXPECT_TRUE(v.spf_aligned);
  EXPECT_EQ(v.policy, "none");
  v = check("strict.example", {"pass", "bounces.strict.example", "none"});
  EXPECT_EQ(v.result, "fail");
  EXPECT_FALSE(v.spf_aligned);
}

TEST_F(DmarcTest, NoneTemperrorAndPermerror) {
  EXPECT_EQ(check("norecord.example", {"pass", "norecord.example", "none"}).result, "none");
  EXPECT_EQ(check("other.example", {"pass", "other.example", "none"}).result, "none");
  EXPECT_EQ(check("down.example", {"pass", "down.example", "none"}).result, "temperror");
  EXPECT_EQ(check("broken.example", {"pass", "broken.example", "none"}).result, "permerror");
  EXPECT_EQ(check("twice.example", {"pass", "twice.example", "none"}).result, "permerror");
  asked_.clear();
  for (const char* from : {"", "localhost", "exa mple.com", "a..example", "%00.example"})
    EXPECT_EQ(check(from, {"pass", "x.example", "none"}).result, "none") << from;
  EXPECT_TRUE(asked_.empty());
}

}  // namespace
}  // namespace spampot::enrich
