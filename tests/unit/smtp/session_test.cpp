// smtp::session driven by whole dialogues as strings. Every dialogue is also fed split at every
// byte boundary and one byte at a time, and must give the same replies and messages: the session
// may not depend on how TCP happens to cut the stream.
#include "smtp/session.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace spampot::smtp {
namespace {

struct run_result {
  std::string replies;
  std::vector<message> messages;
  std::vector<std::string> violations;
  bool closed = false;
  session_record summary;
};

session_config trap_config() {
  session_config c;
  c.hostname = "mx.trap.example";
  c.policy =
      std::make_shared<recipient_policy>(std::vector<trap_domain>{{"trap.example", false}},
                                         std::vector<rcpt_rule>{{"abuse@trap.example", false}});
  return c;
}

run_result drive(const session_config& cfg, const std::vector<std::string>& pieces,
                 bool store_ok = true, bool pregreet = false) {
  session s(cfg, 0);
  run_result r;
  int stored = 0;
  auto absorb = [&](output out) {
    for (;;) {
      r.replies += out.replies;
      for (const auto& e : out.events)
        if (e.kind == event_kind::violation)
          r.violations.push_back(e.detail.substr(0, e.detail.find(':')));
      if (!out.msg) break;
      r.messages.push_back(*out.msg);
      out = store_ok ? s.message_stored("ID" + std::to_string(++stored), 0) : s.message_failed(0);
    }
  };
  if (pregreet) {
    for (const auto& p : pieces) absorb(s.feed(p, 0));
    absorb(s.greet(0));
  } else {
    absorb(s.greet(0));
    for (const auto& p : pieces) absorb(s.feed(p, 0));
  }
  r.closed = s.closed();
  r.summary = s.summary();
  return r;
}

void expect_same(const run_result& want, const run_result& got, const std::string& how) {
  EXPECT_EQ(want.replies, got.replies) << how;
  ASSERT_EQ(want.messages.size(), got.messages.size()) << how;
  for (std::size_t i = 0; i < want.messages.size(); ++i) {
    EXPECT_EQ(want.messages[i].body, got.messages[i].body) << how;
    EXPECT_EQ(want.messages[i].rcpt_to, got.messages[i].rcpt_to) << how;
    EXPECT_EQ(want.messages[i].bare_lf, got.messages[i].bare_lf) << how;
    EXPECT_EQ(want.messages[i].long_lines, got.messages[i].long_lines) << how;
  }
  EXPECT_EQ(want.closed, got.closed) << how;
  EXPECT_EQ(want.violations, got.violations) << how;
}

// Runs `input` whole, split at every byte boundary, and byte by byte; returns the whole run.
run_result dialogue(const std::string& input, const session_config& cfg = trap_config()) {
  const run_result whole = drive(cfg, {input});
  for (std::size_t i = 1; i < input.size(); ++i)
    expect_same(whole, drive(cfg, {input.substr(0, i), input.substr(i)}),
                "split at " + std::to_string(i));
  std::vector<std::string> bytes;
  for (char c : input) bytes.emplace_back(1, c);
  expect_same(whole, drive(cfg, bytes), "byte by byte");
  return whole;
}

std::vector<std::string> reply_codes(const std::string& replies) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < replies.size()) {
    const auto end = replies.find("\r\n", pos);
    const std::string line = replies.substr(pos, end - pos);
    if (line.size() >= 4 && line[3] == ' ') out.push_back(line.substr(0, 3));
    pos = end + 2;
  }
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

TEST(Session, OrdinaryDialogue) {
  const auto r = dialogue(
      "EHLO client.example\r\nMAIL FROM:<spammer@bad.example> SIZE=100\r\nRCPT "
      "TO:<anyone@trap.example>\r\n"
      "DATA\r\nSubject: hi\r\n\r\nbody\r\n.\r\nQUIT\r\n");
  EXPECT_EQ(r.replies,
            "220 mx.trap.example ESMTP Postfix (Debian/GNU)\r\n"
            "250-mx.trap.example\r\n250-PIPELINING\r\n250-SIZE 10485760\r\n250-VRFY\r\n"
            "250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n"
            "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n"
            "250 2.0.0 Ok: queued as ID1\r\n221 2.0.0 Bye\r\n");
  ASSERT_EQ(r.messages.size(), 1u);
  const auto& m = r.messages[0];
  EXPECT_EQ(m.helo, "client.example");
  EXPECT_EQ(m.helo_verb, "EHLO");
  EXPECT_EQ(m.mail_from, "spammer@bad.example");
  EXPECT_EQ(m.rcpt_to, std::vector<std::string>{"anyone@trap.example"});
  EXPECT_EQ(m.body, "Subject: hi\r\n\r\nbody\r\n");
  EXPECT_FALSE(m.bare_lf);
  EXPECT_TRUE(r.closed);
  EXPECT_EQ(r.summary.end_reason, "quit");
  EXPECT_EQ(r.summary.messages, 1u);
  EXPECT_NE(r.summary.transcript.find("C: MAIL FROM:<spammer@bad.example> SIZE=100"),
            std::string::npos);
  EXPECT_NE(r.summary.transcript.find("S: 250 2.0.0 Ok: queued as ID1"), std::string::npos);
}

TEST(Session, SummaryKeepsEachSenderOnce) {
  const auto r = dialogue(
      "EHLO c\r\nMAIL FROM:<a@bad.example>\r\nRSET\r\nMAIL FROM:<b@bad.example>\r\nRSET\r\n"
      "MAIL FROM:<a@bad.example>\r\nQUIT\r\n");
  EXPECT_EQ(r.summary.senders, (std::vector<std::string>{"a@bad.example", "b@bad.example"}));
}

TEST(Session, DotStuffingAndEndOfData) {
  const auto r = dialogue(
      "HELO x\r\nMAIL FROM:<>\r\nRCPT TO:<a@trap.example>\r\nDATA\r\n"
      "..leading dot\r\n.\r\r\nnot the end\r\n.\r\n");
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].body, ".leading dot\r\n\r\r\nnot the end\r\n");
  EXPECT_EQ(r.messages[0].mail_from, "");
}

TEST(Session, BareLfAndLowerCaseBotDialogue) {
  const auto r = dialogue(
      "helo bot\nmail from: x@y.example\nrcpt to:<a@trap.example>\ndata\nline one\n.\nquit\n");
  EXPECT_EQ(reply_codes(r.replies),
            (std::vector<std::string>{"220", "250", "250", "250", "354", "250", "221"}));
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].body, "line one\n");
  EXPECT_TRUE(r.messages[0].bare_lf);
  EXPECT_EQ(r.messages[0].mail_from, "x@y.example");
  EXPECT_TRUE(has(r.violations, "bad_syntax"));  // the sloppy MAIL FROM is recorded
}

TEST(Session, PipelinedTransactionsWaitForStorage) {
  const auto r = dialogue(
      "EHLO c\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<x@trap.example>\r\nRCPT "
      "TO:<y@trap.example>\r\nDATA\r\n"
      "one\r\n.\r\nMAIL FROM:<c@d.example>\r\nRCPT "
      "TO:<z@trap.example>\r\nDATA\r\ntwo\r\n.\r\nQUIT\r\n");
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[0].rcpt_to, (std::vector<std::string>{"x@trap.example", "y@trap.example"}));
  EXPECT_EQ(r.messages[1].body, "two\r\n");
  EXPECT_EQ(reply_codes(r.replies),
            (std::vector<std::string>{"220", "250", "250", "250", "250", "354", "250", "250", "250",
                                      "354", "250", "221"}));
  EXPECT_NE(r.replies.find("queued as ID1\r\n250 2.1.0"), std::string::npos);
}

TEST(Session, StorageFailureAnswers451AndGoesOn) {
  const auto r =
      drive(trap_config(),
            {"HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@trap.example>\r\nDATA\r\nx\r\n.\r\nNOOP\r\n"},
            /*store_ok=*/false);
  EXPECT_NE(r.replies.find("451 4.3.0 Error: queue file write error\r\n250 2.0.0 Ok\r\n"),
            std::string::npos);
}

TEST(Session, RelayAttemptsRefusedOrBaited) {
  const std::string input =
      "EHLO c\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<victim@gmail.com>\r\nRCPT "
      "TO:<abuse@trap.example>\r\n"
      "RCPT TO:<x@trap.example>\r\nDATA\r\nx\r\n.\r\n";
  auto r = dialogue(input);
  EXPECT_NE(r.replies.find("554 5.7.1 <victim@gmail.com>: Relay access denied\r\n"),
            std::string::npos);
  EXPECT_NE(r.replies.find("550 5.1.1 <abuse@trap.example>: Recipient address rejected"),
            std::string::npos);
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].rcpt_to, std::vector<std::string>{"x@trap.example"});
  EXPECT_FALSE(r.messages[0].relay_attempt);
  EXPECT_TRUE(has(r.violations, "relay_attempt"));
  ASSERT_EQ(r.summary.recipients.size(), 3u);
  EXPECT_TRUE(r.summary.recipients[0].relay);
  EXPECT_FALSE(r.summary.recipients[0].accepted);

  auto bait = trap_config();
  bait.relay_bait = true;
  r = dialogue(input, bait);
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].rcpt_to,
            (std::vector<std::string>{"victim@gmail.com", "x@trap.example"}));
  EXPECT_TRUE(r.messages[0].relay_attempt);
}

TEST(Session, MiscellaneousCommands) {
  const auto r = dialogue(
      "EHLO c\r\nVRFY root\r\nEXPN staff\r\nHELP\r\nNOOP\r\nRSET\r\nXYZZY\r\nSTARTTLS\r\n"
      "AUTH PLAIN AGFAYg==\r\nQUIT\r\n");
  EXPECT_EQ(reply_codes(r.replies),
            (std::vector<std::string>{"220", "250", "252", "252", "214", "250", "250", "502", "502",
                                      "503", "221"}));
  EXPECT_TRUE(has(r.violations, "unknown_command"));
  EXPECT_TRUE(has(r.violations, "tls_attempt"));
  EXPECT_TRUE(has(r.violations, "auth_attempt"));
}

TEST(Session, SequenceErrors) {
  const auto r = dialogue(
      "RCPT TO:<a@trap.example>\r\nDATA\r\nMAIL FROM:<a@b>\r\nMAIL FROM:<a@b>\r\nDATA\r\n"
      "AUTH LOGIN\r\nBDAT 3\r\nxyz");
  EXPECT_EQ(reply_codes(r.replies),
            (std::vector<std::string>{"220", "503", "503", "250", "503", "554", "503", "554"}));
  EXPECT_TRUE(has(r.violations, "bad_sequence"));  // includes MAIL without HELO
}

TEST(Session, TooManyErrorsCloses) {
  auto cfg = trap_config();
  cfg.lim.errors = 3;
  const auto r = dialogue("FOO\r\nBAR\r\nBAZ\r\nNOOP\r\n", cfg);
  EXPECT_EQ(reply_codes(r.replies), (std::vector<std::string>{"220", "502", "502", "502", "421"}));
  EXPECT_TRUE(r.closed);
  EXPECT_EQ(r.summary.end_reason, "too_many_errors");
}

TEST(Session, OverlongCommandLineRefusedThenRecovers) {
  auto cfg = trap_config();
  cfg.lim.line_bytes = 600;
  const auto r = dialogue("EHLO " + std::string(700, 'a') + "\r\nHELO ok\r\n", cfg);
  EXPECT_EQ(reply_codes(r.replies), (std::vector<std::string>{"220", "500", "250"}));
  EXPECT_NE(r.replies.find("500 5.5.2 Error: line too long"), std::string::npos);
  EXPECT_TRUE(has(r.violations, "line_too_long"));
}

TEST(Session, LongTextLinesInDataAreKeptWhole) {
  const std::string line(5000, 'x');
  const auto r = drive(
      trap_config(),
      {"HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@trap.example>\r\nDATA\r\n" + line + "\r\n.\r\n"});
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].body, line + "\r\n");
  EXPECT_TRUE(r.messages[0].long_lines);
}

TEST(Session, TextLineOfExactly1000OctetsIsNotLong) {
  const auto r =
      drive(trap_config(), {"HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@trap.example>\r\nDATA\r\n" +
                            std::string(998, 'x') + "\r\n.\r\n"});
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_FALSE(r.messages[0].long_lines);
}

TEST(Session, MessageSizeLimit) {
  auto cfg = trap_config();
  cfg.lim.message_bytes = 2048;
  auto r = dialogue("EHLO c\r\nMAIL FROM:<a@b> SIZE=4096\r\n", cfg);
  EXPECT_NE(r.replies.find("552 5.3.4 Message size exceeds fixed limit"), std::string::npos);
  r = drive(cfg, {"EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@trap.example>\r\nDATA\r\n" +
                  std::string(3000, 'y') + "\r\n.\r\nNOOP\r\n"});
  EXPECT_TRUE(r.messages.empty());
  EXPECT_NE(r.replies.find("552 5.3.4 Error: message file too big\r\n250 2.0.0 Ok\r\n"),
            std::string::npos);
  EXPECT_TRUE(has(r.violations, "message_too_large"));
}

TEST(Session, RecipientAndMessageLimits) {
  auto cfg = trap_config();
  cfg.lim.recipients = 2;
  cfg.lim.messages_per_session = 1;
  const auto r = dialogue(
      "HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<1@trap.example>\r\nRCPT TO:<2@trap.example>\r\n"
      "RCPT TO:<3@trap.example>\r\nDATA\r\nx\r\n.\r\nMAIL FROM:<a@b>\r\n",
      cfg);
  EXPECT_EQ(reply_codes(r.replies), (std::vector<std::string>{"220", "250", "250", "250", "250",
                                                              "452", "354", "250", "421"}));
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].rcpt_to.size(), 2u);
  EXPECT_EQ(r.summary.end_reason, "too_many_messages");
}

TEST(Session, Chunking) {
  const auto r = dialogue(
      "EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@trap.example>\r\nBDAT 7\r\nhello\r\nBDAT 9 LAST\r\n"
      "world\r\n\r\nQUIT\r\n");
  EXPECT_EQ(reply_codes(r.replies),
            (std::vector<std::string>{"220", "250", "250", "250", "250", "250", "221"}));
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].body, "hello\r\nworld\r\n\r\n");
  EXPECT_TRUE(r.messages[0].chunked);
}

TEST(Session, ChunkOutOfSequenceIsReadThenRefused) {
  const auto r = dialogue("EHLO c\r\nBDAT 10 LAST\r\nNOOP\r\nXXXXNOOP\r\n");
  // The ten bytes "NOOP\r\nXXXX" are chunk data, not commands.
  EXPECT_EQ(reply_codes(r.replies), (std::vector<std::string>{"220", "250", "503", "250"}));
  EXPECT_TRUE(r.messages.empty());
}

TEST(Session, ZeroLengthLastChunk) {
  const auto r = dialogue(
      "EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@trap.example>\r\nBDAT 4\r\nabcdBDAT 0 LAST\r\n");
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0].body, "abcd");
}

TEST(Session, HttpOnTheSmtpPort) {
  const auto r = dialogue("GET / HTTP/1.1\r\nHost: trap.example\r\n\r\n");
  EXPECT_EQ(r.replies.substr(r.replies.find("\r\n") + 2),
            "221 2.7.0 Error: I can break rules, too. Goodbye.\r\n");
  EXPECT_TRUE(r.closed);
  EXPECT_EQ(r.summary.end_reason, "non_smtp");
  EXPECT_TRUE(has(r.violations, "non_smtp"));
  EXPECT_TRUE(dialogue("CONNECT 1.2.3.4:25 HTTP/1.0\r\n\r\n").closed);
}

TEST(Session, TlsHandshakeOnThePlainPort) {
  const std::string hello("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11);
  const auto r = drive(trap_config(), {hello + std::string(100, '\xab')});
  EXPECT_NE(r.replies.find("421 4.7.0 mx.trap.example Error: TLS handshake on a plain-text port"),
            std::string::npos);
  EXPECT_TRUE(r.closed);
  EXPECT_TRUE(has(r.violations, "tls_on_plaintext"));
  EXPECT_NE(r.summary.transcript.find("\\x16\\x03\\x01"), std::string::npos);
}

TEST(Session, NulAndEightBitGarbage) {
  const auto r = dialogue(std::string("HELO a\0b\r\n", 10) + "\xff\xfe garbage\r\nHELO fine\r\n");
  EXPECT_EQ(reply_codes(r.replies), (std::vector<std::string>{"220", "500", "502", "250"}));
  EXPECT_TRUE(has(r.violations, "nul_byte"));
  EXPECT_NE(r.summary.transcript.find("C: HELO a\\x00b"), std::string::npos);
  EXPECT_NE(r.summary.transcript.find("C: \\xff\\xfe garbage"), std::string::npos);
}

TEST(Session, EarlyTalkerIsRecordedThenServed) {
  const auto r = drive(trap_config(), {"EHLO eager\r\n"}, true, /*pregreet=*/true);
  EXPECT_EQ(reply_codes(r.replies), (std::vector<std::string>{"220", "250"}));
  EXPECT_TRUE(has(r.violations, "early_talker"));
}

TEST(Session, Timeouts) {
  session s(trap_config(), 0);
  (void)s.greet(0);
  auto out = s.idle_timeout(300 * kMicrosPerSecond);
  EXPECT_EQ(out.replies, "421 4.4.2 mx.trap.example Error: timeout exceeded\r\n");
  EXPECT_TRUE(out.close);
  EXPECT_EQ(s.summary().end_reason, "idle_timeout");

  auto cfg = trap_config();
  cfg.lim.session_time = 10 * kMicrosPerSecond;
  session t(cfg, 0);
  (void)t.greet(0);
  EXPECT_EQ(t.feed("NOOP\r\n", 5 * kMicrosPerSecond).replies, "250 2.0.0 Ok\r\n");
  out = t.feed("NOOP\r\n", 11 * kMicrosPerSecond);
  EXPECT_EQ(out.replies, "421 4.4.2 mx.trap.example Error: timeout exceeded\r\n");
  EXPECT_EQ(t.summary().end_reason, "session_timeout");
}

TEST(Session, ClientVanishingInDataLeavesNoMessage) {
  session s(trap_config(), 0);
  (void)s.greet(0);
  auto out =
      s.feed("HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@trap.example>\r\nDATA\r\nhalf a mess", 0);
  EXPECT_FALSE(out.msg);
  s.client_closed(0);
  EXPECT_EQ(s.summary().end_reason, "client_closed");
  EXPECT_NE(s.summary().transcript.find("<lost connection in DATA>"), std::string::npos);
}

TEST(Session, ShutdownAndRefusal) {
  session s(trap_config(), 0);
  (void)s.greet(0);
  EXPECT_EQ(s.shutdown(0).replies, "421 4.3.2 mx.trap.example Service shutting down\r\n");
  session t(trap_config(), 0);
  EXPECT_EQ(t.refuse("too many connections", 0).replies,
            "421 4.7.0 mx.trap.example Error: too many connections\r\n");
  EXPECT_TRUE(t.closed());
}

TEST(Session, AuthCaptureRecordsEveryAttemptExactly) {
  auto cfg = trap_config();
  cfg.auth_capture = true;
  // PLAIN with an initial response, PLAIN with a continuation, LOGIN, a cancelled LOGIN, junk.
  const auto r = dialogue(
      "EHLO c\r\nAUTH PLAIN AHVzZXIAUGFzcyB3b3Jk\r\nAUTH plain\r\nYWRtaW4AYWRtaW4AMTIzNDU2\r\n"
      "AUTH LOGIN\r\ncm9vdA==\r\ndG9vcg==\r\nAUTH LOGIN\r\n*\r\nAUTH LOGIN bm9ib2R5\r\n!!!\r\n"
      "AUTH CRAM-MD5\r\nQUIT\r\n",
      cfg);
  EXPECT_NE(r.replies.find("250-AUTH PLAIN LOGIN\r\n"), std::string::npos);
  EXPECT_EQ(reply_codes(r.replies), (std::vector<std::string>{"220", "250", "535", "334", "535", "334", "334",
                                                              "535", "334", "501", "334", "501", "504", "221"}));
  ASSERT_EQ(r.summary.auth_attempts.size(), 4u);
  EXPECT_EQ(r.summary.auth_attempts[0].mechanism, "PLAIN");
  EXPECT_EQ(r.summary.auth_attempts[0].username, "user");
  EXPECT_EQ(r.summary.auth_attempts[0].password, "Pass word");  // as sent: no trimming
  EXPECT_EQ(r.summary.auth_attempts[1].username, "admin");
  EXPECT_EQ(r.summary.auth_attempts[1].password, "123456");
  EXPECT_EQ(r.summary.auth_attempts[2].mechanism, "LOGIN");
  EXPECT_EQ(r.summary.auth_attempts[2].username, "root");
  EXPECT_EQ(r.summary.auth_attempts[2].password, "toor");
  EXPECT_EQ(r.summary.auth_attempts[3].username, "nobody");
  EXPECT_EQ(r.summary.auth_attempts[3].password, "!!!");  // undecodable: kept raw
}

TEST(Session, AuthOffByDefaultAndNotInATransaction) {
  auto r = dialogue("EHLO c\r\nAUTH PLAIN AHVzZXIAcGFzcw==\r\n");
  EXPECT_EQ(r.replies.find("AUTH PLAIN LOGIN"), std::string::npos);
  EXPECT_NE(r.replies.find("503 5.5.1 Error: authentication not enabled"), std::string::npos);
  EXPECT_TRUE(r.summary.auth_attempts.empty());
  auto cfg = trap_config();
  cfg.auth_capture = true;
  r = dialogue("EHLO c\r\nMAIL FROM:<a@b>\r\nAUTH PLAIN AHVzZXIAcGFzcw==\r\n", cfg);
  EXPECT_NE(r.replies.find("503 5.5.1 Error: MAIL transaction in progress"), std::string::npos);
}

TEST(Session, RecipientLogIsBounded) {
  std::string input = "HELO c\r\n";
  for (int m = 0; m < 20; ++m) {
    input += "MAIL FROM:<a@b>\r\n";
    for (int r = 0; r < 100; ++r) input += "RCPT TO:<r" + std::to_string(r) + "@trap.example>\r\n";
    input += "RSET\r\n";
  }
  const auto r = drive(trap_config(), {input});
  EXPECT_EQ(r.summary.recipients.size(), kSessionRecipients);
  EXPECT_EQ(r.summary.recipients_dropped, 2000u - kSessionRecipients);
}

TEST(Session, TranscriptIsBounded) {
  std::string input;
  for (int i = 0; i < 5000; ++i) input += "NOOP " + std::string(40, 'n') + "\r\n";
  const auto r = drive(trap_config(), {input});
  EXPECT_LE(r.summary.transcript.size(), kTranscriptBytes);
  EXPECT_GT(r.summary.transcript_dropped, 0u);
}

}  // namespace
}  // namespace spampot::smtp

namespace spampot::smtp {
namespace {

TEST(SessionTls, StarttlsHandsOverAndTheClientStartsAgain) {
  auto cfg = trap_config();
  cfg.starttls = true;
  session s(cfg, 0);
  (void)s.greet(0);
  auto out = s.feed("EHLO bot.example\r\n", 1);
  EXPECT_NE(out.replies.find("250-STARTTLS\r\n"), std::string::npos);
  out = s.feed("STARTTLS\r\n", 2);
  EXPECT_EQ(out.replies, "220 2.0.0 Ready to start TLS\r\n");
  EXPECT_TRUE(out.start_tls);
  (void)s.tls_started({"TLSv1.3", "TLS_AES_256_GCM_SHA384", "mx.trap.example", "", ""}, 3);
  // Forgotten: MAIL now needs a new EHLO first (recorded as a sequence error, as before HELO).
  out = s.feed("EHLO bot.example\r\n", 4);
  EXPECT_EQ(out.replies.find("STARTTLS"), std::string::npos);  // not offered twice
  out = s.feed("STARTTLS\r\n", 5);
  EXPECT_EQ(out.replies, "554 5.5.1 Error: TLS already active\r\n");
  EXPECT_FALSE(out.start_tls);
  EXPECT_EQ(s.summary().tls_version, "TLSv1.3");
  EXPECT_EQ(s.summary().tls_sni, "mx.trap.example");
  EXPECT_NE(s.summary().transcript.find("[TLS TLSv1.3 TLS_AES_256_GCM_SHA384 sni=mx.trap.example]"),
            std::string::npos);
}

TEST(SessionTls, CommandsPipelinedBehindStarttlsAreDiscardedAndRecorded) {
  auto cfg = trap_config();
  cfg.starttls = true;
  session s(cfg, 0);
  (void)s.greet(0);
  auto out = s.feed("EHLO bot.example\r\nSTARTTLS\r\nMAIL FROM:<injected@bad.example>\r\n", 1);
  EXPECT_TRUE(out.start_tls);
  EXPECT_EQ(out.replies.find("2.1.0"), std::string::npos);  // the MAIL was never run
  bool recorded = false;
  for (const auto& e : out.events)
    recorded = recorded || (e.kind == event_kind::violation && e.detail.find("tls_injection") == 0);
  EXPECT_TRUE(recorded);
}

TEST(SessionTls, StarttlsWhenTlsIsOffIsRecordedAndRefused) {
  session s(trap_config(), 0);
  (void)s.greet(0);
  auto out = s.feed("EHLO bot.example\r\n", 1);
  EXPECT_EQ(out.replies.find("STARTTLS"), std::string::npos);
  out = s.feed("STARTTLS\r\n", 2);
  EXPECT_EQ(out.replies, "502 5.5.1 Error: command not implemented\r\n");
  EXPECT_FALSE(out.start_tls);
}

}  // namespace
}  // namespace spampot::smtp

namespace spampot::smtp {
namespace {

TEST(SessionTls, AuthOnlyAfterTlsWhenConfigured) {
  auto cfg = trap_config();
  cfg.starttls = true;
  cfg.auth_capture = true;
  cfg.auth_after_tls = true;
  session s(cfg, 0);
  (void)s.greet(0);
  auto out = s.feed("EHLO bot.example\r\n", 1);
  EXPECT_EQ(out.replies.find("AUTH"), std::string::npos);
  out = s.feed("AUTH PLAIN AGFkbWluAHNlY3JldA==\r\n", 2);
  EXPECT_EQ(out.replies, "538 5.7.11 Encryption required for requested authentication mechanism\r\n");
  EXPECT_TRUE(s.summary().auth_attempts.empty());
  out = s.feed("STARTTLS\r\n", 3);
  ASSERT_TRUE(out.start_tls);
  (void)s.tls_started({"TLSv1.3", "TLS_AES_128_GCM_SHA256", "", "", ""}, 4);
  out = s.feed("EHLO bot.example\r\n", 5);
  EXPECT_NE(out.replies.find("250-AUTH PLAIN LOGIN\r\n"), std::string::npos);
  out = s.feed("AUTH PLAIN AGFkbWluAHNlY3JldA==\r\n", 6);
  EXPECT_EQ(out.replies.substr(0, 3), "535");
  ASSERT_EQ(s.summary().auth_attempts.size(), 1u);
  EXPECT_EQ(s.summary().auth_attempts[0].password, "secret");
}

}  // namespace
}  // namespace spampot::smtp
