#include "intel/search_query.hpp"
#include "intel/report.hpp"

#include <gtest/gtest.h>

#include "message/message.hpp"

namespace spampot::intel {
namespace {

constexpr Micros kNow = 1'800'000'000LL * kMicrosPerSecond;

TEST(SearchQuery, EveryFilterByName) {
  auto f = parse_search({{"since", "2026-11-27"},
                         {"until", "24h"},
                         {"ip", "192.0.2.0/24"},
                         {"from", "@bad.example"},
                         {"to", "a@trap.example"},
                         {"ja3", "abc"},
                         {"ja4", "t13d"},
                         {"subject", "win"},
                         {"url_host", "pill.example"},
                         {"attachment_hash", std::string(64, 'a')},
                         {"message_id", "<x@y>"},
                         {"campaign", "C1"},
                         {"sensor", "ams-1"},
                         {"limit", "50"},
                         {"before", "1764460800000000.1K1ABC"}},
                        kNow, api_spelling);
  ASSERT_TRUE(f.ok()) << f.error();
  EXPECT_EQ(*f->since, *parse_time_point("2026-11-27", kNow));
  EXPECT_EQ(*f->until, kNow - 24LL * 3600 * kMicrosPerSecond);
  EXPECT_TRUE(f->ip.has_value());
  EXPECT_EQ(*f->from, "@bad.example");
  EXPECT_EQ(*f->message_id, message::normalise_message_id("<x@y>"));
  EXPECT_EQ(*f->sensor, "ams-1");
  EXPECT_EQ(f->limit, 50u);
  ASSERT_TRUE(f->before.has_value());
  EXPECT_EQ(f->before->received_at, 1764460800000000);
  EXPECT_EQ(f->before->id, "1K1ABC");
  EXPECT_EQ(before_param(*f->before), "1764460800000000.1K1ABC");
}

TEST(SearchQuery, EmptyValuesAreUntouchedFields) {
  auto f = parse_search({{"since", ""}, {"ip", ""}, {"subject", ""}}, kNow, api_spelling);
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->since || f->ip || f->subject);
  EXPECT_EQ(f->limit, 100u);
}

TEST(SearchQuery, ErrorsNameTheParameterAsItsCallerSpellsIt) {
  EXPECT_EQ(parse_search({{"since", "last tuesday"}}, kNow, cli_spelling).error(),
            "--since last tuesday: not a time (2026-11-27, 2026-11-27T10:00:00Z, or 24h)");
  EXPECT_EQ(parse_search({{"attachment_hash", "xyz"}}, kNow, cli_spelling).error(),
            "--attachment-hash xyz: not an MD5, SHA-1 or SHA-256 in hex");
  EXPECT_EQ(parse_search({{"ip", "300.1.1.1"}}, kNow, api_spelling).error(),
            "ip 300.1.1.1: not an address or CIDR range");
  EXPECT_FALSE(parse_search({{"limit", "ten"}}, kNow, api_spelling).ok());
  EXPECT_FALSE(parse_search({{"before", "12345"}}, kNow, api_spelling).ok());
  EXPECT_FALSE(parse_search({{"before", "x.ID"}}, kNow, api_spelling).ok());
  EXPECT_FALSE(parse_search({{"before", "12."}}, kNow, api_spelling).ok());
  EXPECT_EQ(parse_search({{"drop_table", "1"}}, kNow, api_spelling).error(), "drop_table: not a search filter");
}

TEST(SearchQuery, ReportParametersByName) {
  report_request r;
  r.now = kNow;
  ASSERT_TRUE(apply_report_params({{"since", "24h"}, {"domain", "Trap.Example"}, {"limit", "7"}, {"min_size", "3"},
                                   {"until", ""}, {"other", "x"}},
                                  r, api_spelling)
                  .ok());
  EXPECT_EQ(*r.window.since, kNow - 24LL * 3600 * kMicrosPerSecond);
  EXPECT_FALSE(r.window.until);
  EXPECT_EQ(r.window.domain, "trap.example");
  EXPECT_EQ(r.limit, 7u);
  EXPECT_EQ(r.min_size, 3u);
  EXPECT_EQ(apply_report_params({{"limit", "12abc"}}, r, cli_spelling).error(), "--limit 12abc: not a number");
  EXPECT_EQ(apply_report_params({{"limit", "-1"}}, r, api_spelling).error(), "limit -1: not a number");
  EXPECT_EQ(apply_report_params({{"until", "soon"}}, r, cli_spelling).error(),
            "--until soon: not a time (2026-11-27, 2026-11-27T10:00:00Z, or 24h)");
}

}  // namespace
}  // namespace spampot::intel
