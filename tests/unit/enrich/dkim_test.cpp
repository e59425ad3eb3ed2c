// libopendkim under our key lookup, on messages python3-dkim signed (tests/scripts/make_dkim.py,
// run by the dkim fixture into SPAMPOT_TEST_DKIM); the keys answered from a table here, from
// dnsmasq in the integration test.
#include "enrich/dkim.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace spampot::enrich {
namespace {

const std::filesystem::path kDir = SPAMPOT_TEST_DKIM;

std::string read(const std::string& name) {
  std::ifstream in(kDir / name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class DkimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string key = read("key.txt");
    while (!key.empty() && key.back() == '\n') key.pop_back();
    auto v = dkim_verifier::make([this, key](const std::string& name, dns::rr t) -> dns::lookup_result {
      asked_.push_back(name);
      if (t == dns::rr::txt && name == "sel._domainkey.signed.example")
        return {dns::lookup_result::status::ok, {"some-other=record", key}, 300, ""};
      if (name.ends_with(".down.example")) return {dns::lookup_result::status::servfail, {}, 0, ""};
      return {dns::lookup_result::status::nxdomain, {}, 0, ""};
    });
    ASSERT_TRUE(v) << v.error();
    v_ = std::move(*v);
  }
  std::vector<std::string> asked_;
  std::unique_ptr<dkim_verifier> v_;
};

TEST_F(DkimTest, AGoodSignaturePassesWithCrlfOrBareLf) {
  for (const char* name : {"signed.eml", "signed_lf.eml", "other_domain.eml"}) {
    const auto v = v_->verify(read(name));
    EXPECT_EQ(v.result, "pass") << name;
    ASSERT_EQ(v.signatures.size(), 1u) << name;
    EXPECT_EQ(v.signatures[0].domain, "signed.example");
    EXPECT_EQ(v.signatures[0].selector, "sel");
    EXPECT_EQ(v.signatures[0].error, "");
  }
  EXPECT_EQ(asked_.front(), "sel._domainkey.signed.example");
}

TEST_F(DkimTest, AlteredMessagesFail) {
  auto v = v_->verify(read("body_altered.eml"));
  EXPECT_EQ(v.result, "fail");
  ASSERT_EQ(v.signatures.size(), 1u);
  EXPECT_EQ(v.signatures[0].error, "body hash mismatch");
  v = v_->verify(read("header_altered.eml"));
  EXPECT_EQ(v.result, "fail");
}

TEST_F(DkimTest, NoKeyIsPermerrorNoAnswerIsTemperrorUnsignedIsNone) {
  auto v = v_->verify(read("nokey.eml"));
  EXPECT_EQ(v.result, "permerror");
  ASSERT_EQ(v.signatures.size(), 1u);
  EXPECT_EQ(v.signatures[0].selector, "gone");
  EXPECT_FALSE(v.signatures[0].error.empty());
  // The same signature with its domain's DNS down.
  std::string down = read("signed.eml");
  down.replace(down.find("d=signed.example"), 16, "d=down.example");
  down.replace(down.find("i=@signed.example"), 17, "i=@down.example");
  v = v_->verify(down);
  EXPECT_EQ(v.result, "temperror");
  EXPECT_EQ(v_->verify(read("unsigned.eml")).result, "none");
}

TEST_F(DkimTest, HostileSignaturesAreErrorsNotCrashes) {
  const std::string body = "From: a@b.example\r\nSubject: x\r\n\r\nbody\r\n";
  for (const std::string& sig : std::vector<std::string>{"DKIM-Signature: v=1; a=rsa-sha256; d=; s=; b=; bh=; h=from\r\n",
                                "DKIM-Signature: \r\n", "DKIM-Signature: v=1; a=rsa-sha256; d=%00.example; s=x\"y;"
                                " h=from; bh=AAAA; b=!!!!\r\n",
                                std::string("DKIM-Signature: v=1; d=") + std::string(5000, 'a') + "\r\n"}) {
    const auto v = v_->verify(sig + body);
    EXPECT_NE(v.result, "pass") << sig;
  }
  std::string many;
  for (int i = 0; i < 40; ++i) many += "DKIM-Signature: v=1; a=rsa-sha256; d=signed.example; s=sel; h=from; bh=AAAA; b=AAAA\r\n";
  const auto v = v_->verify(many + body);
  EXPECT_LE(v.signatures.size(), 16u);
  EXPECT_EQ(v_->verify("").result, "none");
  EXPECT_EQ(v_->verify("no header at all").result, "none");
}

}  // namespace
}  // namespace spampot::enrich
