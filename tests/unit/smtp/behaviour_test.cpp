// The behavioural fingerprint from whole dialogues: what a client's software does decides it,
// the campaign (addresses, body, subject) and the address it comes from do not.
#include "smtp/behaviour.hpp"

#include <gtest/gtest.h>

#include "smtp/session.hpp"

namespace spampot::smtp {
namespace {

session_config trap_config() {
  session_config c;
  c.hostname = "mx.trap.example";
  c.policy = std::make_shared<recipient_policy>(std::vector<trap_domain>{{"trap.example", false}},
                                                std::vector<rcpt_rule>{});
  return c;
}

// Each string is one read from the socket; the session answers each before the next arrives.
session_record run(const std::vector<std::string>& reads, recipient_gate gate = {},
                   std::string* replies = nullptr) {
  session s(trap_config(), 0);
  if (gate) s.set_recipient_gate(std::move(gate));
  Micros now = 1000;
  auto absorb = [&](output out) {
    for (;;) {
      if (replies) *replies += out.replies;
      if (!out.msg) break;
      out = s.message_stored("ID", now);
    }
  };
  absorb(s.greet(now));
  for (const auto& r : reads) {
    now += 30'000;
    absorb(s.feed(r, now));
  }
  if (!s.closed()) s.client_closed(now);
  return s.summary();
}

std::string feature(const session_record& s, const std::string& name) {
  const std::string lines = "\n" + s.behaviour;
  const auto at = lines.find("\n" + name + "=");
  if (at == std::string::npos) return "(none)";
  const auto start = at + name.size() + 2;
  return lines.substr(start, lines.find('\n', start) - start);
}

std::string message(const std::string& id, const std::string& subject) {
  return "Date: Mon, 30 Nov 2026 20:52:46 +0000\r\nFrom: <a@b.example>\r\nTo: <" + id +
         "@trap.example>\r\nSubject: " + subject + "\r\nMessage-ID: <20261130" + id +
         ".4711@mail.sender.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; "
         "boundary=\"----=_Part_" + id + "\"\r\n\r\nbody of " + subject + "\r\n";
}

// A client that waits for every reply, as swaks and smtplib do.
std::vector<std::string> polite(const std::string& helo, const std::string& from,
                                const std::string& to, const std::string& msg) {
  return {"EHLO " + helo + "\r\n", "MAIL FROM:<" + from + ">\r\n", "RCPT TO:<" + to + ">\r\n",
          "DATA\r\n", msg + ".\r\n", "QUIT\r\n"};
}

TEST(Behaviour, TheCampaignDoesNotChangeTheFingerprint) {
  const auto a = run(polite("bot1.example", "x@one.example", "u1@trap.example", message("1", "Hi")));
  const auto b = run(polite("other-name.example", "yy@two.example", "someone@trap.example",
                            message("998877", "A quite different subject")));
  ASSERT_FALSE(a.fingerprint.empty());
  EXPECT_TRUE(a.fingerprint.starts_with("fp1-")) << a.fingerprint;
  EXPECT_EQ(a.fingerprint.size(), 20u);
  EXPECT_EQ(a.fingerprint, b.fingerprint) << a.behaviour << "\n" << b.behaviour;
  EXPECT_EQ(a.behaviour, b.behaviour);
  EXPECT_EQ(feature(a, "verbs"), "EHLO MAIL RCPT DATA");
  EXPECT_EQ(feature(a, "after_message"), "QUIT");
  EXPECT_EQ(feature(a, "end"), "quit");
  EXPECT_EQ(feature(a, "pipelining"), "-");
  EXPECT_EQ(feature(a, "mail"), " FROM:<A>");
  EXPECT_EQ(feature(a, "headers"), "Date,From,To,Subject,Message-ID,MIME-Version,Content-Type");
  EXPECT_EQ(feature(a, "message_id"), "<9.9@D>");
  EXPECT_EQ(feature(a, "date"), "Aa, 9 Aa 9 9:9:9 +9");
  EXPECT_EQ(feature(a, "boundary"), "\"-=_Aa_9\"");
  EXPECT_EQ(feature(a, "greeting"), "waited");
  EXPECT_EQ(feature(a, "line_end"), "crlf");
  EXPECT_EQ(feature(a, "helo"), "name");
}

TEST(Behaviour, HabitsThatDifferGiveAnotherFingerprint) {
  const auto base = run(polite("h", "x@one.example", "u@trap.example", message("1", "s")));
  // Lower-case verbs.
  auto lower = run({"ehlo h\r\n", "mail from:<x@one.example>\r\n", "rcpt to:<u@trap.example>\r\n",
                    "data\r\n", message("1", "s") + ".\r\n", "quit\r\n"});
  EXPECT_EQ(feature(lower, "verbs"), "ehlo mail rcpt data");
  EXPECT_EQ(feature(lower, "mail"), " from:<A>");
  // HELO, a space after the colon, no brackets, bare LF, and a drop instead of QUIT.
  auto sloppy = run({"HELO h\n", "MAIL FROM: x@one.example\n", "RCPT TO: u@trap.example\n",
                     "DATA\n", "Subject: s\n\nbody\n.\n"});
  EXPECT_EQ(feature(sloppy, "mail"), " FROM: A");
  EXPECT_EQ(feature(sloppy, "helo"), "word");
  EXPECT_EQ(feature(run({"EHLO [192.0.2.1]\r\n"}), "helo"), "literal");
  EXPECT_EQ(feature(run({"HELO 192.0.2.1\r\n"}), "helo"), "address");
  EXPECT_EQ(feature(run({"HELO 2001:db8::1\r\n"}), "helo"), "address");
  EXPECT_EQ(feature(run({"QUIT\r\n"}), "helo"), "-");
  EXPECT_EQ(feature(run({"HELO cafe.beef.dead.bad\r\n"}), "helo"), "name");
  EXPECT_EQ(feature(run({"EHLO localhost\r\n"}), "helo"), "localhost");
  EXPECT_EQ(feature(run({"EHLO LocalHost.localdomain\r\n"}), "helo"), "localhost");
  EXPECT_EQ(feature(run({"EHLO localhost2.example\r\n"}), "helo"), "name");
  EXPECT_EQ(feature(sloppy, "line_end"), "lf");
  EXPECT_EQ(feature(sloppy, "body_line_end"), "lf");
  EXPECT_EQ(feature(sloppy, "end"), "client_closed");
  EXPECT_EQ(feature(sloppy, "after_message"), "-");
  // The same dialogue pipelined: the envelope and the body in one write.
  auto piped = run({"EHLO h\r\n", "MAIL FROM:<x@one.example> SIZE=1234 BODY=8BITMIME\r\nRCPT "
                                  "TO:<u@trap.example>\r\nDATA\r\n" + message("1", "s") + ".\r\nQUIT\r\n"});
  EXPECT_EQ(feature(piped, "pipelining"), "RCPT DATA QUIT body");
  EXPECT_EQ(feature(piped, "mail"), " FROM:<A> SIZE=9 BODY=8BITMIME");
  // Early talker: spoke before the greeting.
  session talker(trap_config(), 0);
  (void)talker.feed("EHLO h\r\n", 0);
  (void)talker.greet(10);
  talker.client_closed(20);
  EXPECT_EQ(feature(talker.summary(), "greeting"), "early");
  for (const auto& other : {lower, sloppy}) EXPECT_NE(other.fingerprint, base.fingerprint);
  // Pipelining is shown, not hashed (a race between a client's writes and our replies): the
  // piped dialogue differs from the base one only by its MAIL parameters.
  EXPECT_NE(piped.fingerprint, base.fingerprint);
  auto piped_plain = run({"EHLO h\r\n", "MAIL FROM:<x@one.example> SIZE=1234 BODY=8BITMIME\r\n",
                          "RCPT TO:<u@trap.example>\r\n", "DATA\r\n", message("1", "s") + ".\r\n", "QUIT\r\n"});
  EXPECT_EQ(feature(piped_plain, "pipelining"), "-");
  EXPECT_EQ(piped_plain.fingerprint, piped.fingerprint);
  EXPECT_NE(lower.fingerprint, sloppy.fingerprint);
}

// A client that writes each command on its own without waiting: its commands may come in one read
// or in several. The network layer says when bytes were already waiting as a reply went out.
TEST(Behaviour, PipeliningIsTheSameWhicheverReadBringsTheCommands) {
  auto drive = [](bool split) {
    session s(trap_config(), 0);
    (void)s.greet(0);
    (void)s.feed("EHLO h\r\n", 1);
    (void)s.feed("MAIL FROM:<a@b.example>\r\n", 2);
    if (split) {
      (void)s.feed("RCPT TO:<u@trap.example>\r\n", 3);
      s.client_ran_ahead();
      (void)s.feed("DATA\r\n", 4);
      s.client_ran_ahead();
      auto out = s.feed("Subject: s\r\n\r\nb\r\n.\r\n", 5);
      EXPECT_TRUE(out.msg != nullptr);
    } else {
      auto out = s.feed("RCPT TO:<u@trap.example>\r\nDATA\r\nSubject: s\r\n\r\nb\r\n.\r\n", 3);
      EXPECT_TRUE(out.msg != nullptr);
    }
    (void)s.message_stored("ID", 6);
    (void)s.feed("QUIT\r\n", 7);
    return s.summary();
  };
  const auto split = drive(true), together = drive(false);
  EXPECT_EQ(feature(split, "pipelining"), "DATA body");
  EXPECT_EQ(split.behaviour, together.behaviour);
  // Without the hint, separate reads are separate answers: a client that waits.
  session waits(trap_config(), 0);
  (void)waits.greet(0);
  for (const char* line : {"EHLO h\r\n", "MAIL FROM:<a@b.example>\r\n", "RCPT TO:<u@trap.example>\r\n"})
    (void)waits.feed(line, 1);
  waits.client_closed(2);
  EXPECT_EQ(feature(waits.summary(), "pipelining"), "-");
}

TEST(Behaviour, ManyMessagesAndRecipientsAreOneHabit) {
  auto two = polite("h", "x@one.example", "a@trap.example", message("1", "s"));
  two.insert(two.begin() + 3, "RCPT TO:<b@trap.example>\r\n");
  const auto a = run(two);
  auto three = polite("h", "x@one.example", "a@trap.example", message("1", "s"));
  three.insert(three.begin() + 3, {"RCPT TO:<b@trap.example>\r\n", "RCPT TO:<c@trap.example>\r\n"});
  const auto b = run(three);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(feature(a, "verbs"), "EHLO MAIL RCPT DATA");
  // Later messages add their verbs once, after the first.
  auto more = polite("h", "x@one.example", "a@trap.example", message("1", "s"));
  more.insert(more.end() - 1, {"MAIL FROM:<y@one.example>\r\n", "RCPT TO:<d@trap.example>\r\n",
                               "DATA\r\n", message("2", "t") + ".\r\n"});
  const auto c = run(more);
  EXPECT_EQ(feature(c, "after_message"), "MAIL RCPT DATA QUIT");
}

TEST(Behaviour, HostileBytesNeverReachAFeature) {
  const auto s = run({"EH\x01LO h\r\n", "MAIL FROM:<\xff\xfe@x> X-\x1b[31m=\x80\r\n",
                      "\xc3\xa9HLO x\r\n", "RCPT TO:<u@trap.example>\r\n", "DATA\r\n",
                      "X-\x01\xff: v\r\nMessage-ID: <\x1b]0;pwn\x07@\xff>\r\n\r\nb\r\n.\r\n"});
  for (unsigned char c : s.behaviour) EXPECT_TRUE(c == '\n' || (c >= 0x20 && c < 0x7f)) << int(c);
  EXPECT_EQ(feature(s, "headers"), "X-??,Message-ID");
}

TEST(Behaviour, TextShapes) {
  EXPECT_EQ(text_shape("20261130205246.4711"), "9.9");
  EXPECT_EQ(text_shape("5f3a9b1c"), "9");  // a hex id that happens to be all digits is a number too
  EXPECT_EQ(text_shape("5F3A9B1C"), "9");
  EXPECT_EQ(text_shape("19BB0A840B2.1234"), "9.9");
  EXPECT_EQ(text_shape("Zq81Kd"), "z");
  EXPECT_EQ(text_shape("===============123456789=="), "=9=");
  EXPECT_EQ(text_shape("Mon"), "Aa");
  EXPECT_EQ(text_shape(""), "-");
}

TEST(Behaviour, GreylistHoldsAndRecords) {
  std::string replies;
  int asked = 0;
  const auto s = run(polite("h", "x@one.example", "u@trap.example", message("1", "s")),
                     [&](std::string_view from, std::string_view to, Micros) {
                       ++asked;
                       EXPECT_EQ(from, "x@one.example");
                       EXPECT_EQ(to, "u@trap.example");
                       return gate_answer{"held", 777};
                     },
                     &replies);
  EXPECT_EQ(asked, 1);
  EXPECT_NE(replies.find("451 4.7.1 <u@trap.example>: Recipient address rejected: Greylisted"),
            std::string::npos)
      << replies;
  ASSERT_EQ(s.recipients.size(), 1u);
  EXPECT_FALSE(s.recipients[0].accepted);
  EXPECT_EQ(s.recipients[0].greylist, "held");
  EXPECT_EQ(s.recipients[0].sender, "x@one.example");
  EXPECT_EQ(s.recipients[0].held_since, 777);
  EXPECT_EQ(s.messages, 0u);
  EXPECT_EQ(s.errors, 1u);  // the DATA without a recipient, not the 451
  const auto passed = run(polite("h", "x@one.example", "u@trap.example", message("1", "s")),
                          [](std::string_view, std::string_view, Micros) {
                            return gate_answer{"passed", 777};
                          });
  EXPECT_TRUE(passed.recipients[0].accepted);
  EXPECT_EQ(passed.recipients[0].greylist, "passed");
  EXPECT_EQ(passed.messages, 1u);
}

}  // namespace
}  // namespace spampot::smtp
