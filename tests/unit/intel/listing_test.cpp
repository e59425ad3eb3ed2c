// The listing policy, pure: key counts in, entries and their changes out.
#include "intel/listing.hpp"

#include <gtest/gtest.h>

#include "intel/export_format.hpp"

namespace spampot::intel {
namespace {

constexpr Micros kDay = 86400LL * 1000000;
constexpr Micros kNow = 1000 * kDay;

store::key_stat key(std::string name, std::uint64_t messages, std::uint64_t days = 1, Micros last = kNow - kDay) {
  return {std::move(name), last - kDay, last, messages, messages, days};
}

std::vector<std::string> entries(const std::vector<listed_entry>& v) {
  std::vector<std::string> out;
  for (const auto& e : v) out.push_back(e.entry);
  return out;
}

TEST(ListingPolicy, ThresholdsAndExpiry) {
  const std::vector<store::key_stat> keys{key("192.0.2.10", 5, 3), key("192.0.2.9", 1, 1),
                                          key("198.51.100.1", 9, 9, kNow - 40 * kDay), key("unknown", 50, 5)};
  listing_policy p;
  EXPECT_EQ(entries(apply_policy(listing_what::ips, keys, p, kNow)),
            (std::vector<std::string>{"192.0.2.9", "192.0.2.10", "198.51.100.1"}));  // numeric order
  p.min_hits = 2;
  p.min_days = 2;
  p.expire_after = 30 * kDay;
  EXPECT_EQ(entries(apply_policy(listing_what::ips, keys, p, kNow)), (std::vector<std::string>{"192.0.2.10"}));
}

TEST(ListingPolicy, ExclusionsCoverNetworksAddressesAndDomains) {
  auto ex = parse_exclusions("# providers\n192.0.2.0/25\n\nfriend@partner.example\n@own.example\nbig.example  # mail\n",
                             "never.txt");
  ASSERT_TRUE(ex.ok()) << ex.error();
  listing_policy p;
  p.exclude = *ex;
  EXPECT_EQ(entries(apply_policy(listing_what::ips, {key("192.0.2.5", 3), key("192.0.2.200", 3)}, p, kNow)),
            (std::vector<std::string>{"192.0.2.200"}));
  EXPECT_EQ(entries(apply_policy(listing_what::senders,
                                 {key("friend@partner.example", 3), key("foe@partner.example", 3),
                                  key("x@mail.big.example", 3), key("y@own.example", 3)},
                                 p, kNow)),
            (std::vector<std::string>{"foe@partner.example"}));
  EXPECT_EQ(entries(apply_policy(listing_what::domains, {key("big.example", 3), key("notbig.example", 3)}, p, kNow)),
            (std::vector<std::string>{"notbig.example"}));

  auto bad = parse_exclusions("192.0.2.0/24\nfoo bar\n", "never.txt");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().rfind("never.txt:2:", 0), 0u) << bad.error();
  EXPECT_FALSE(parse_exclusions("nonsense\n", "x").ok());
}

TEST(ListingPolicy, AggregatesNetworksButNotOverExclusions) {
  std::vector<store::key_stat> keys{key("203.0.113.1", 2), key("203.0.113.2", 3), key("203.0.113.3", 4),
                                    key("198.51.100.7", 1), key("2001:db8::1", 1), key("2001:db8::2", 1)};
  listing_policy p;
  p.aggregate_v4 = 3;
  p.aggregate_v6 = 1;
  auto out = apply_policy(listing_what::ips, keys, p, kNow);
  EXPECT_EQ(entries(out), (std::vector<std::string>{"198.51.100.7", "203.0.113.0/24", "2001:db8::/64"}));
  EXPECT_TRUE(out[1].network);
  EXPECT_EQ(out[1].members, 3u);
  EXPECT_EQ(out[1].messages, 9u);
  EXPECT_EQ(out[1].reason.find(':'), std::string::npos) << out[1].reason;  // every format can carry it

  p.exclude = *parse_exclusions("203.0.113.200\n", "x");
  EXPECT_EQ(entries(apply_policy(listing_what::ips, keys, p, kNow))[1], "203.0.113.1");
}

TEST(ListingPolicy, DelistingSaysWhy) {
  listing_policy p;
  p.expire_after = 30 * kDay;
  p.exclude = *parse_exclusions("192.0.2.99\n", "x");
  const auto old = key("192.0.2.2", 3, 1, kNow - 60 * kDay);
  EXPECT_EQ(why_delisted(listing_what::ips, "192.0.2.2", false, old, p, kNow).rfind("expired, not seen since", 0), 0u);
  EXPECT_EQ(why_delisted(listing_what::ips, "192.0.2.2", true, old, p, kNow), "aggregated into its network");
  EXPECT_EQ(why_delisted(listing_what::ips, "192.0.2.99", false, old, p, kNow), "excluded");
  EXPECT_EQ(why_delisted(listing_what::ips, "192.0.2.3", false, std::nullopt, p, kNow),
            "no longer meets the listing policy");
  EXPECT_EQ(aggregate_of(*ip_address::parse("2001:db8:1:2:3::9")), "2001:db8:1:2::/64");
}

TEST(AddressSort, SpillsRunsToDiskAndMergesThemInOrderKeepingTheFirstOfEquals) {
  address_sort sort(3);  // a run of three: seven runs on disk
  std::vector<std::string> in{"10.0.0.1", "9.0.0.1", "2001:db8::1", "::1", "192.0.2.1", "10.0.0.1",
                              "1.2.3.4",  "9.0.0.2", "255.255.255.255", "::ffff:1.1.1.1", "0.0.0.0",
                              "2001:db8::", "100.0.0.1", "1.2.3.4", "128.0.0.1", "10.0.0.0", "2.0.0.0",
                              "ffff::1", "3.3.3.3", "192.0.2.0"};
  std::uint64_t n = 0;
  for (const auto& t : in) ASSERT_TRUE(sort.add({*ip_address::parse(t), 0, 0, ++n, 0, 0}).ok());
  ASSERT_TRUE(sort.finish().ok());
  std::vector<address_key> out;
  address_key k;
  while (sort.next(k)) out.push_back(k);
  ASSERT_TRUE(sort.status().ok());
  ASSERT_EQ(out.size(), in.size());
  for (std::size_t i = 1; i < out.size(); ++i) {
    ASSERT_LE(out[i - 1].address, out[i].address) << i;
    if (out[i - 1].address == out[i].address) {
      EXPECT_LT(out[i - 1].messages, out[i].messages);  // as they came
    }
  }
  EXPECT_EQ(out.front().address.to_string(), "::1");  // below every IPv4 address (::ffff:0:0/96)
  EXPECT_EQ(out.back().address.to_string(), "ffff::1");
}

// A /64 that sent from ten thousand addresses is one entry; only the network's first few
// addresses are held while they are too few to list it whole.
TEST(ListingPolicy, AggregatesAWholeNetworkOfManyAddresses) {
  std::vector<store::key_stat> keys;
  for (int i = 1; i <= 10000; ++i) {
    char name[64];
    std::snprintf(name, sizeof name, "2001:db8:0:7::%x", i);
    keys.push_back(key(name, 1));
  }
  keys.push_back(key("2001:db8:0:8::1", 1));
  keys.push_back(key("192.0.2.1", 1));
  listing_policy p;
  p.aggregate_v6 = 2;
  const auto out = apply_policy(listing_what::ips, keys, p, kNow);
  ASSERT_EQ(entries(out), (std::vector<std::string>{"192.0.2.1", "2001:db8:0:7::/64", "2001:db8:0:8::1"}));
  EXPECT_EQ(out[1].members, 10000u);
  EXPECT_EQ(out[1].messages, 10000u);
}

TEST(ExportFormats, RefuseWhatTheyCannotCarryAndSkipUnsafeEntries) {
  export_meta m{kNow, "senders", listing_what::senders, 0};
  EXPECT_FALSE(render_export("rbldnsd", {}, m).ok());
  EXPECT_FALSE(render_export("nft", {}, m).ok());
  EXPECT_FALSE(render_export("pdf", {}, m).ok());
  listed_entry evil{"a b@x.example\nREJECT", false, 0, 0, 1, 1, 1, 1, "r"};
  listed_entry good{"spam@x.example", false, 0, 0, 1, 1, 1, 1, "r"};
  auto out = render_export("postfix", {evil, good}, m);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->find("a b@"), std::string::npos);
  EXPECT_NE(out->find("spam@x.example\tREJECT"), std::string::npos);
}

// Entries come in numeric order, where IPv4 (mapped) sits between IPv6 below and above it: each
// run of one family is its own block of the right set.
TEST(ExportFormats, NftBlocksFollowTheFamilyOfEachRun) {
  const export_meta m{kNow, "ips", listing_what::ips, 0, 3};
  const auto listed = apply_policy(listing_what::ips, {key("::1", 1), key("192.0.2.1", 1), key("2001:db8::1", 1)},
                                   listing_policy{}, kNow);
  auto out = render_export("nft", listed, m);
  ASSERT_TRUE(out.ok());
  const auto body = out->substr(out->find("flush set inet spampot spampot_v6"));
  EXPECT_NE(body.find("add element inet spampot spampot_v6 {\n    ::1\n}\n"
                      "add element inet spampot spampot_v4 {\n    192.0.2.1\n}\n"
                      "add element inet spampot spampot_v6 {\n    2001:db8::1\n}\n"),
            std::string::npos)
      << body;
  auto json = render_export("json", listed, m);
  ASSERT_TRUE(json.ok());
  EXPECT_NE(json->find("\n],\"count\":3}\n"), std::string::npos) << *json;
}

}  // namespace
}  // namespace spampot::intel
