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

  // The session record the store will keep, every field through the journal and back.
  session_record s;
  s.id = "S";
  s.sensor = "ams-1";
  s.started_at = 1;
  s.ended_at = 2;
  s.client_ip = "2001:db8::7";
  s.client_port = 40001;
  s.server_ip = "192.0.2.25";
  s.server_port = 25;
  s.ptr = "bot.example";
  s.fcrdns = true;
  s.dns_error = "";
  s.helo = "\xc0\xc1";
  s.helo_verb = "EHLO";
  s.end_reason = "quit";
  s.commands = 7;
  s.messages = 1;
  s.errors = 2;
  s.recipients = {{"\xff@x", "", false, true, "554"}};
  s.recipients_dropped = 3;
  s.senders = {"a@b.example", "\xfe@c"};
  s.tls_version = "TLSv1.3";
  s.tls_cipher = "TLS_AES_128_GCM_SHA256";
  s.tls_sni = "mx\xff";
  s.ja3 = "0123456789abcdef0123456789abcdef";
  s.ja4 = "t13d1516h2_8daaf6152771_e5627efa2ab1";
  s.violations = {{5, "bad_syntax", "MAIL FROM:x"}};
  s.auth_attempts = {{6, "PLAIN", "admin", "\xff pass"}};
  s.transcript = "+0.000 S: 220 x\n";
  s.transcript_dropped = 9;
  auto sb = parse_session(to_json(s));
  ASSERT_TRUE(sb.ok()) << sb.error();
  const session_record& b = *sb;
  EXPECT_EQ(b.id, s.id);
  EXPECT_EQ(b.sensor, s.sensor);
  EXPECT_EQ(b.started_at, s.started_at);
  EXPECT_EQ(b.ended_at, s.ended_at);
  EXPECT_EQ(b.client_ip, s.client_ip);
  EXPECT_EQ(b.client_port, s.client_port);
  EXPECT_EQ(b.server_ip, s.server_ip);
  EXPECT_EQ(b.server_port, s.server_port);
  EXPECT_EQ(b.ptr, s.ptr);
  EXPECT_EQ(b.fcrdns, s.fcrdns);
  EXPECT_EQ(b.helo, s.helo);
  EXPECT_EQ(b.helo_verb, s.helo_verb);
  EXPECT_EQ(b.end_reason, s.end_reason);
  EXPECT_EQ(b.commands, s.commands);
  EXPECT_EQ(b.messages, s.messages);
  EXPECT_EQ(b.errors, s.errors);
  ASSERT_EQ(b.recipients.size(), 1u);
  EXPECT_EQ(b.recipients[0].address, "\xff@x");
  EXPECT_TRUE(b.recipients[0].relay);
  EXPECT_EQ(b.recipients[0].reply, "554");
  EXPECT_EQ(b.recipients_dropped, 3u);
  EXPECT_EQ(b.senders, s.senders);
  EXPECT_EQ(b.tls_version, s.tls_version);
  EXPECT_EQ(b.tls_cipher, s.tls_cipher);
  EXPECT_EQ(b.tls_sni, s.tls_sni);
  EXPECT_EQ(b.ja3, s.ja3);
  EXPECT_EQ(b.ja4, s.ja4);
  ASSERT_EQ(b.violations.size(), 1u);
  EXPECT_EQ(b.violations[0].kind, "bad_syntax");
  EXPECT_EQ(b.violations[0].detail, "MAIL FROM:x");
  ASSERT_EQ(b.auth_attempts.size(), 1u);
  EXPECT_EQ(b.auth_attempts[0].password, "\xff pass");
  EXPECT_EQ(b.transcript, s.transcript);
  EXPECT_EQ(b.transcript_dropped, 9u);
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
