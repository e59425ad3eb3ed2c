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

TEST(ListingPolicy, ChangesSayWhy) {
  listing_policy p;
  p.expire_after = 30 * kDay;
  const std::vector<store::key_stat> keys{key("192.0.2.1", 3), key("192.0.2.2", 3, 1, kNow - 60 * kDay)};
  const auto now_listed = apply_policy(listing_what::ips, keys, p, kNow);
  const std::vector<store::listing> before{{"192.0.2.2", 0, ""}, {"192.0.2.3", 0, ""}};
  const auto changes = listing_changes("ips", before, now_listed, keys, listing_what::ips, p, kNow);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].entry, "192.0.2.1");
  EXPECT_EQ(changes[0].action, "added");
  EXPECT_EQ(changes[1].entry, "192.0.2.2");
  EXPECT_EQ(changes[1].action, "removed");
  EXPECT_EQ(changes[1].reason.rfind("expired", 0), 0u) << changes[1].reason;
  EXPECT_EQ(changes[2].reason, "no longer meets the listing policy");
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

}  // namespace
}  // namespace spampot::intel
