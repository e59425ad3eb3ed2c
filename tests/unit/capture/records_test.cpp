#include "capture/records.hpp"

#include <gtest/gtest.h>

#include "base/utf8.hpp"

namespace spampot::capture {
namespace {

TEST(Utf8, WellFormedOnly) {
  EXPECT_TRUE(is_utf8("plain ascii"));
  EXPECT_TRUE(is_utf8("J\xc3\xb6rg \xe2\x82\xac \xf0\x9f\x92\xb0"));
  for (const char* bad : {"\xff", "\xc3", "\xc0\xaf" /* overlong */, "\xed\xa0\x80" /* surrogate */,
                          "\xf4\x90\x80\x80" /* > U+10FFFF */, "a\x80"})
    EXPECT_FALSE(is_utf8(bad)) << bad;
}

TEST(Records, EnvelopeKeepsEveryByteOfPeerText) {
  message_envelope e;
  e.id = "ID";
  e.received_at = 1;
  e.helo = "bot\xff\xfe";
  e.mail_from = "j\xf6rg@bad.example";  // latin1, not UTF-8
  e.mail_params = {{"SIZE", "10"}, {"X\xff", "\x80"}};
  e.rcpt_to = {"ok@trap.example", "\xe9t\xe9@trap.example"};
  auto back = parse_envelope(to_json(e));
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(back->helo, e.helo);
  EXPECT_EQ(back->mail_from, e.mail_from);
  EXPECT_EQ(back->mail_params, e.mail_params);
  EXPECT_EQ(back->rcpt_to, e.rcpt_to);

  session_log s;
  s.id = "S";
  s.started_at = 1;
  s.helo = "\xc0\xc1";
  s.recipients = {{"\xff@x", false, true, "554"}};
  s.senders = {"a@b.example", "\xfe@c"};
  auto sb = parse_session(to_json(s));
  ASSERT_TRUE(sb.ok());
  EXPECT_EQ(sb->helo, s.helo);
  EXPECT_EQ(sb->recipients[0].address, "\xff@x");
  EXPECT_EQ(sb->senders, s.senders);
}

TEST(Records, HttpRequestLogRoundTripsWithItsSeed) {
  http_log h;
  h.id = "H";
  h.sensor = "ams-1";
  h.at = 42;
  h.conn = {"198.51.100.7", 50123, "127.0.0.1", 80};
  h.method = "GET";
  h.target = "/contact\xff";
  h.version = "1.1";
  h.host = "www.trap.example";
  h.user_agent = "EmailSiphon";
  h.referer = "";
  h.status = 200;
  h.seed = "anna.keller84@trap.example";
  h.seed_domain = "trap.example";
  h.seed_label = "seed page";
  auto back = parse_http(to_json(h));
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(back->target, h.target);
  EXPECT_EQ(back->conn.client_ip, "198.51.100.7");
  EXPECT_EQ(back->conn.client_port, 50123);
  EXPECT_EQ(back->user_agent, "EmailSiphon");
  EXPECT_EQ(back->status, 200);
  EXPECT_EQ(back->seed, h.seed);
  EXPECT_EQ(back->seed_label, "seed page");
  h.seed.clear();
  h.status = 400;
  h.problem = "bad method";
  back = parse_http(to_json(h));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->seed, "");
  EXPECT_EQ(back->problem, "bad method");
  EXPECT_FALSE(parse_http("[]").ok());
}

}  // namespace
}  // namespace spampot::capture
