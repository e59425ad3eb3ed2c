#include <gtest/gtest.h>

#include "dns/cache.hpp"
#include "dns/lists.hpp"
#include "dns/query_name.hpp"

namespace spampot::dns {
namespace {

TEST(QueryName, Ipv4OctetsReversed) {
  EXPECT_EQ(ip_query_name("192.0.2.99", "zen.spamhaus.org"), "99.2.0.192.zen.spamhaus.org");
  EXPECT_EQ(ip_query_name("127.0.0.2", "Bl.Example."), "2.0.0.127.bl.example");  // RFC 5782 test point
  EXPECT_EQ(ip_query_name("::ffff:192.0.2.1", "bl.example"), "1.2.0.192.bl.example");
  EXPECT_FALSE(ip_query_name("not-an-ip", "bl.example"));
  EXPECT_FALSE(ip_query_name("", "bl.example"));
}

TEST(QueryName, Ipv6Nibbles) {
  // RFC 5782 section 2.4's example address.
  EXPECT_EQ(ip_query_name("2001:db8:1:2:3:4:567:89ab", "ugly.example.com"),
            "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ugly.example.com");
  EXPECT_EQ(ip_query_name("::1", "bl.example"),
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.bl.example");
  EXPECT_EQ(ptr_query_name("2001:db8::1").value().substr(0, 8), "1.0.0.0.");
  EXPECT_TRUE(ptr_query_name("2001:db8::1").value().ends_with(".8.b.d.0.1.0.0.2.ip6.arpa"));
  EXPECT_EQ(ptr_query_name("192.0.2.99"), "99.2.0.192.in-addr.arpa");
}

TEST(QueryName, Domains) {
  EXPECT_EQ(domain_query_name("Spam.Example.", "dbl.spamhaus.org"), "spam.example.dbl.spamhaus.org");
  EXPECT_EQ(domain_query_name("test", "dbl.example"), "test.dbl.example");  // RFC 5782 test point
  EXPECT_FALSE(domain_query_name("", "dbl.example"));
  EXPECT_FALSE(domain_query_name("a..b", "dbl.example"));
  EXPECT_FALSE(domain_query_name("192.0.2.1", "dbl.example"));   // an IP literal is no domain
  EXPECT_FALSE(domain_query_name("[192.0.2.1]", "dbl.example"));
  EXPECT_FALSE(domain_query_name(std::string(64, 'a') + ".example", "dbl.example"));
  EXPECT_FALSE(domain_query_name(std::string(250, 'a').insert(60, ".").insert(120, ".").insert(180, "."),
                                 "dbl.example"));  // over 253 with the zone
  EXPECT_FALSE(domain_query_name("bad name.example", "dbl.example"));
}

lookup_result answer(std::vector<std::string> a) {
  return {lookup_result::status::ok, std::move(a), 300, ""};
}

TEST(Interpret, CodesMeaningsAndHonestErrors) {
  const list_spec zen = known_list("zen.spamhaus.org").value();
  auto r = interpret(zen, answer({"127.0.0.4", "127.0.0.2"}));
  EXPECT_EQ(r.v, verdict::listed);
  EXPECT_EQ(r.codes, (std::vector<std::string>{"127.0.0.2", "127.0.0.4"}));
  EXPECT_EQ(r.meaning, "SBL, XBL");
  EXPECT_EQ(interpret(zen, {lookup_result::status::nxdomain, {}, 0, ""}).v, verdict::clean);
  EXPECT_EQ(interpret(zen, {lookup_result::status::nodata, {}, 0, ""}).v, verdict::clean);
  // Never "not listed" for what is not an answer.
  for (auto st : {lookup_result::status::servfail, lookup_result::status::refused,
                  lookup_result::status::timeout, lookup_result::status::error}) {
    const auto e = interpret(zen, {st, {}, 0, "x"});
    EXPECT_EQ(e.v, verdict::error);
    EXPECT_FALSE(e.meaning.empty());
  }
  // Spamhaus refusing a query through a public resolver.
  const auto refused = interpret(zen, answer({"127.255.255.254"}));
  EXPECT_EQ(refused.v, verdict::error);
  EXPECT_NE(refused.meaning.find("refused"), std::string::npos);
  // An NXDOMAIN-rewriting resolver's advertising address.
  const auto hijack = interpret(zen, answer({"198.51.100.7"}));
  EXPECT_EQ(hijack.v, verdict::error);
  EXPECT_NE(hijack.meaning.find("outside 127.0.0.0/8"), std::string::npos);
  // An unknown code still lists, under its own name.
  EXPECT_EQ(interpret(zen, answer({"127.0.0.99"})).meaning, "127.0.0.99");
}

TEST(Interpret, BitmaskLists) {
  const list_spec surbl = known_list("multi.surbl.org").value();
  auto r = interpret(surbl, answer({"127.0.0.24"}));  // 8 + 16
  EXPECT_EQ(r.v, verdict::listed);
  EXPECT_EQ(r.meaning, "PH, MW");
  EXPECT_EQ(interpret(surbl, answer({"127.0.0.1"})).v, verdict::error);  // query refused
  const list_spec uribl = known_list("multi.uribl.com").value();
  EXPECT_EQ(interpret(uribl, answer({"127.0.0.14"})).meaning, "black, grey, red");
  EXPECT_EQ(known_list("dbl.spamhaus.org")->kind, "domain");
  EXPECT_FALSE(known_list("nowhere.example"));
}

TEST(Cache, TtlClampedAndOnlyAnswersKept) {
  answer_cache c(60 * kMicrosPerSecond, 3600 * kMicrosPerSecond, 3);
  const Micros t0 = 1000 * kMicrosPerSecond;
  c.put("a", answer({"127.0.0.2"}), t0);  // TTL 300
  EXPECT_TRUE(c.get("a", t0 + 299 * kMicrosPerSecond));
  EXPECT_FALSE(c.get("a", t0 + 300 * kMicrosPerSecond));
  lookup_result zero = answer({"127.0.0.2"});
  zero.ttl = 0;
  c.put("z", zero, t0);  // raised to the floor
  EXPECT_TRUE(c.get("z", t0 + 59 * kMicrosPerSecond));
  EXPECT_FALSE(c.get("z", t0 + 60 * kMicrosPerSecond));
  lookup_result week = answer({"127.0.0.2"});
  week.ttl = 7 * 86400;
  c.put("w", week, t0);  // cut to the ceiling
  EXPECT_FALSE(c.get("w", t0 + 3600 * kMicrosPerSecond));
  c.put("nx", {lookup_result::status::nxdomain, {}, 120, ""}, t0);
  EXPECT_EQ(c.get("nx", t0)->st, lookup_result::status::nxdomain);
  c.put("t", {lookup_result::status::timeout, {}, 0, ""}, t0);
  EXPECT_FALSE(c.get("t", t0));  // a timeout is asked again
  c.put("b", answer({"1"}), t0);
  c.put("c", answer({"1"}), t0);
  c.put("d", answer({"1"}), t0);
  EXPECT_LE(c.size(), 3u);
}

TEST(RateLimit, SpacesQuestionsAtTheRate) {
  rate_limit r(10, 2);  // 10 per second, 2 at once
  const Micros t = 5 * kMicrosPerSecond;
  EXPECT_EQ(r.take(t), 0);
  EXPECT_EQ(r.take(t), 0);
  const Micros wait = r.take(t);
  EXPECT_GT(wait, 90000);
  EXPECT_LE(wait, 100001);
  EXPECT_EQ(r.take(t + 100001), 0);
  rate_limit none(0, 0);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(none.take(t), 0);
}

}  // namespace
}  // namespace spampot::dns
