#include "importer/parsers.hpp"

#include <gtest/gtest.h>

namespace spampot::importer {
namespace {

TEST(Parsers, MtaOfProgram) {
  EXPECT_EQ(mta_of("postfix/smtpd"), mta::postfix);
  EXPECT_EQ(mta_of("postfix-out/qmgr"), mta::postfix);
  EXPECT_EQ(mta_of("sm-mta"), mta::sendmail);
  EXPECT_EQ(mta_of("sendmail"), mta::sendmail);
  EXPECT_EQ(mta_of("exim4"), mta::exim);
  EXPECT_EQ(mta_of("dovecot"), std::nullopt);
}

TEST(Postfix, QueueLines) {
  auto e = parse_postfix("D4937A7618D: client=unknown[2001:db8::1], sasl_method=LOGIN");
  EXPECT_EQ(e.kind, event_kind::client);
  EXPECT_EQ(e.queue_id, "D4937A7618D");
  EXPECT_EQ(e.client_name, "unknown");
  EXPECT_EQ(e.client_ip, "2001:db8::1");
  e = parse_postfix("CCAE27A4: message-id=<20050220135609.CCAE27A4@fangorn.maddingue.net>");
  EXPECT_EQ(e.message_id, "<20050220135609.CCAE27A4@fangorn.maddingue.net>");
  e = parse_postfix("CCAE27A4: from=<>, size=3255, nrcpt=1 (queue active)");
  EXPECT_EQ(e.kind, event_kind::from);
  EXPECT_TRUE(e.has_sender);
  EXPECT_EQ(e.sender, "");
  EXPECT_EQ(e.size, 3255u);
  e = parse_postfix("CCAE27A4: to=<cpan-testers@perl.org>, relay=mx[63.251.223.176], status=sent (250 Ok)");
  EXPECT_EQ(e.recipients, std::vector<std::string>{"cpan-testers@perl.org"});
  EXPECT_EQ(parse_postfix("CCAE27A4: removed").kind, event_kind::done);
  EXPECT_EQ(parse_postfix("connect from unknown[1.2.3.4]").kind, event_kind::ignored);
}

TEST(Postfix, Rejects) {
  auto e = parse_postfix(
      "NOQUEUE: reject: RCPT from 1-2-3-4-example.com[1.2.3.4]: 554 5.7.1 <smtp@example.com>: Relay access "
      "denied; from=<john@example.com> to=<smtp@example.org> proto=SMTP helo=<198.51.100.17>");
  EXPECT_EQ(e.kind, event_kind::reject);
  EXPECT_EQ(e.client_name, "1-2-3-4-example.com");
  EXPECT_EQ(e.client_ip, "1.2.3.4");
  EXPECT_EQ(e.reply, "554 5.7.1 <smtp@example.com>: Relay access denied");
  EXPECT_EQ(e.sender, "john@example.com");
  EXPECT_EQ(e.recipients, std::vector<std::string>{"smtp@example.org"});
  EXPECT_EQ(e.helo, "198.51.100.17");
  e = parse_postfix(
      "NOQUEUE: reject: RCPT from [::1]:48966: 450 4.3.2 Service currently unavailable; from=<good@client.example>, "
      "to=<victim@trap.example>, proto=ESMTP, helo=<good.client.example>");
  EXPECT_EQ(e.client_ip, "::1");
  EXPECT_EQ(e.reply, "450 4.3.2 Service currently unavailable");
  EXPECT_EQ(e.recipients, std::vector<std::string>{"victim@trap.example"});
  EXPECT_EQ(e.helo, "good.client.example");
}

TEST(Sendmail, FromToAndRejects) {
  auto e = parse_sendmail(
      "j0B1nAI2006361: from=<bounce@ex.example>, size=2531, class=0, nrcpts=2, msgid=<abc@ex.example>, "
      "proto=ESMTP, daemon=MTA, relay=mail.ex.example [192.0.2.9] (may be forged)");
  EXPECT_EQ(e.kind, event_kind::from);
  EXPECT_EQ(e.sender, "bounce@ex.example");
  EXPECT_EQ(e.size, 2531u);
  EXPECT_EQ(e.message_id, "<abc@ex.example>");
  EXPECT_EQ(e.client_name, "mail.ex.example");
  EXPECT_EQ(e.client_ip, "192.0.2.9");
  e = parse_sendmail("j0B1nAI2006361: to=<a@x.example>,b@x.example, delay=00:00:01, stat=Sent");
  EXPECT_EQ(e.recipients, (std::vector<std::string>{"a@x.example", "b@x.example"}));
  e = parse_sendmail(
      "s1P819mk027713: ruleset=check_rcpt, arg1=<asservnew@freemailhost.ru>, relay=128-68-136-133.broadband.corbina.ru "
      "[128.68.136.133], reject=550 5.7.1 <asservnew@freemailhost.ru>... Relaying denied.");
  EXPECT_EQ(e.kind, event_kind::reject);
  EXPECT_EQ(e.client_ip, "128.68.136.133");
  EXPECT_EQ(e.recipients, std::vector<std::string>{"asservnew@freemailhost.ru"});
  EXPECT_EQ(e.reply, "550 5.7.1 <asservnew@freemailhost.ru>... Relaying denied.");
  e = parse_sendmail("56VFYCxS024291: lost input channel from mail.aqicn.org [139.162.120.196] to MTA-v4 after rcpt");
  EXPECT_EQ(e.kind, event_kind::lost);
  EXPECT_EQ(e.client_ip, "139.162.120.196");
  e = parse_sendmail("t0CFwDqh032225: [61.144.2.161] did not issue MAIL/EXPN/VRFY/ETRN during connection to MTA");
  EXPECT_EQ(e.kind, event_kind::lost);
  EXPECT_EQ(e.client_ip, "61.144.2.161");
}

TEST(Exim, ArrivalDeliveryAndRefusals) {
  auto e = parse_exim(
      "1abcDE-000123-xy <= spam@bad.example H=host.bad.example (fake.helo) [192.0.2.7]:4321 P=esmtp S=2048 "
      "id=123@bad.example T=\"hi\"");
  EXPECT_EQ(e.kind, event_kind::from);
  EXPECT_EQ(e.queue_id, "1abcDE-000123-xy");
  EXPECT_EQ(e.sender, "spam@bad.example");
  EXPECT_EQ(e.client_name, "host.bad.example");
  EXPECT_EQ(e.helo, "fake.helo");
  EXPECT_EQ(e.client_ip, "192.0.2.7");
  EXPECT_EQ(e.size, 2048u);
  EXPECT_EQ(e.message_id, "<123@bad.example>");
  e = parse_exim("1abcDE-0001234567A-xyzw <= <> H=[192.0.2.8] P=smtp S=10");
  EXPECT_TRUE(e.has_sender);
  EXPECT_EQ(e.sender, "");
  EXPECT_EQ(e.client_ip, "192.0.2.8");
  EXPECT_EQ(parse_exim("1abcDE-000123-xy => user@trap.example R=local T=local").recipients,
            std::vector<std::string>{"user@trap.example"});
  EXPECT_EQ(parse_exim("1abcDE-000123-xy Completed").kind, event_kind::done);
  e = parse_exim("H=(ylmf-pc) [120.196.140.45]:1234 F=<a@b.example> rejected RCPT <x@trap.example>: relay not permitted");
  EXPECT_EQ(e.kind, event_kind::reject);
  EXPECT_EQ(e.helo, "ylmf-pc");
  EXPECT_EQ(e.client_ip, "120.196.140.45");
  EXPECT_EQ(e.sender, "a@b.example");
  EXPECT_EQ(e.recipients, std::vector<std::string>{"x@trap.example"});
  EXPECT_EQ(e.reply, "relay not permitted");
  e = parse_exim("login authenticator failed for rrcs-24.example ([192.168.2.33]) [24.106.174.74]: 535 Incorrect");
  EXPECT_EQ(e.kind, event_kind::reject);
  EXPECT_EQ(e.client_ip, "24.106.174.74");
  EXPECT_EQ(e.client_name, "rrcs-24.example");
  EXPECT_EQ(e.helo, "[192.168.2.33]");
  EXPECT_EQ(e.reply, "535 Incorrect");
}

}  // namespace
}  // namespace spampot::importer
