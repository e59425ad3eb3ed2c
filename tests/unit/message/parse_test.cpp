// message::parse on whole messages: what an analyst reads off a typical spam, and that broken
// MIME, 8-bit headers, NUL bytes and hostile nesting still give a parse with the problems named.
#include <gtest/gtest.h>

#include <algorithm>

#include "base/limits.hpp"
#include "base/time.hpp"
#include "message/message.hpp"

namespace spampot::message {
namespace {

// 2024-01-01T00:00:00Z
constexpr Micros kReceived = 1704067200LL * kMicrosPerSecond;

bool has(const std::vector<std::string>& v, std::string_view x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

const char kSpam[] =
    "Received: from mx.relay.example (mx.relay.example [8.8.4.4])\r\n"
    "\tby trap.example (Postfix) with ESMTP id AB12; Mon, 1 Jan 2024 00:00:00 +0000\r\n"
    "Received: from laptop ([10.0.0.5]) by mx.relay.example with ESMTPA id q1;\r\n"
    "\tSun, 31 Dec 2023 23:59:00 +0000\r\n"
    "From: =?utf-8?B?RHIuIFNww6Rt?= <Dr.Spam@Pills.Example>\r\n"
    "Reply-To: collect@drop.example\r\n"
    "To: victim@trap.example\r\n"
    "Subject: =?iso-8859-1?Q?Gr=FC=DFe?= from\r\n the pharmacy\r\n"
    "Message-ID: <ABC.123@MX.Pills.Example>\r\n"
    "Date: Sat, 1 Jan 2033 12:00:00 +0200\r\n"
    "X-Mailer: The Bat! (v3.0)\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
    "\r\n"
    "--outer\r\n"
    "Content-Type: multipart/alternative; boundary=\"inner\"\r\n"
    "\r\n"
    "--inner\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "Buy now at http://shop.pills.example/?id=3D42 !\r\n"
    "--inner\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "PGEgaHJlZj0iaHR0cDovL3RyYWNrLmV4YW1wbGUuY29tL2NsaWNrIj5CdXk8L2E+\r\n"
    "--inner--\r\n"
    "--outer\r\n"
    "Content-Type: application/pdf; name=\"invoice.pdf\"\r\n"
    "Content-Disposition: attachment; filename*=utf-8''Rechnung%20M%C3%A4rz.pdf\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==\r\n"
    "--outer--\r\n";

TEST(Parse, WhatAnAnalystReadsOffASpam) {
  const parsed p = parse(kSpam, kReceived);
  EXPECT_EQ(p.subject, "Grüße from the pharmacy");
  EXPECT_EQ(p.from.name, "Dr. Späm");
  EXPECT_EQ(p.from.address, "Dr.Spam@Pills.Example");
  EXPECT_EQ(p.reply_to.address, "collect@drop.example");
  EXPECT_EQ(p.message_id, "<ABC.123@mx.pills.example>");
  EXPECT_EQ(p.message_id_problem, "");
  ASSERT_TRUE(p.date_utc);
  EXPECT_EQ(format_rfc3339(*p.date_utc, false), "2033-01-01T10:00:00Z");
  EXPECT_TRUE(has(p.date_problems, "future"));
  EXPECT_TRUE(has(p.date_problems, "far_from_receipt"));

  ASSERT_EQ(p.received.size(), 2u);
  EXPECT_EQ(p.received[0].from_ip, "8.8.4.4");
  EXPECT_EQ(p.received[0].id, "AB12");
  ASSERT_TRUE(p.received[1].at);
  EXPECT_EQ(format_rfc3339(*p.received[1].at, false), "2023-12-31T23:59:00Z");
  EXPECT_EQ(p.received[1].from_ip, "10.0.0.5");
  EXPECT_EQ(p.first_external_ip, "8.8.4.4");  // the laptop's LAN address is not public

  ASSERT_EQ(p.urls.size(), 2u);
  EXPECT_EQ(p.urls[0].text, "http://shop.pills.example/?id=42");  // quoted-printable decoded
  EXPECT_EQ(p.urls[0].domain, "pills.example");
  EXPECT_EQ(p.urls[1].text, "http://track.example.com/click");   // from base64 HTML
  EXPECT_EQ(p.urls[1].source, "href");

  ASSERT_EQ(p.attachments.size(), 1u);
  const auto& a = p.attachments[0];
  EXPECT_EQ(a.name, "Rechnung März.pdf");  // RFC 2231
  EXPECT_EQ(a.declared_type, "application/pdf");
  EXPECT_EQ(a.sniffed_type, "image/gif");  // the type the bytes have, not the one declared
  EXPECT_EQ(a.disposition, "attachment");
  EXPECT_EQ(a.size, 43u);
  EXPECT_EQ(a.md5.size(), 32u);
  EXPECT_EQ(a.sha1.size(), 40u);
  EXPECT_EQ(a.sha256.size(), 64u);

  EXPECT_EQ(p.body_sha256.size(), 64u);
  EXPECT_FALSE(p.body_text.empty());
  bool raw_kept = false;
  std::string content_type;
  for (const auto& h : p.headers) {
    if (h.name == "Subject") raw_kept = h.raw == "=?iso-8859-1?Q?Gr=FC=DFe?= from the pharmacy";
    if (h.name == "Content-Type") content_type = h.raw;
  }
  EXPECT_TRUE(raw_kept);
  // The message's own Content-Type, which GMime keeps on its top part, is among the analyst's.
  EXPECT_EQ(content_type.substr(0, 16), "multipart/mixed;");
  EXPECT_TRUE(p.problems.empty()) << p.problems.front();
}

TEST(Parse, MessageIdAndDateProblemsAreFlagged) {
  auto p = parse("Subject: x\r\n\r\nbody", kReceived);
  EXPECT_EQ(p.message_id_problem, "missing");
  EXPECT_EQ(p.date_problems, std::vector<std::string>{"missing"});
  p = parse("Message-ID: nobrackets\r\nDate: yesterday-ish\r\n\r\nbody", kReceived);
  EXPECT_EQ(p.message_id, "<nobrackets>");
  EXPECT_EQ(p.message_id_problem, "malformed");
  EXPECT_EQ(p.date_problems, std::vector<std::string>{"unparseable"});
  p = parse("Message-ID: <a@b.example>\r\nDate: Sun, 31 Dec 2023 23:30:00 +0000\r\n\r\nx", kReceived);
  EXPECT_EQ(p.message_id_problem, "");
  EXPECT_TRUE(p.date_problems.empty());
  EXPECT_EQ(normalise_message_id("  <Local.Part@Example.COM> (comment)"), "<Local.Part@example.com>");
  EXPECT_EQ(normalise_message_id("Local@Example.COM"), "<Local@example.com>");
  EXPECT_EQ(normalise_message_id("  "), "");
}

TEST(Parse, BrokenMimeIsStoredWithItsProblems) {
  // A multipart without a boundary parameter, and one whose boundary never closes.
  auto p = parse("Content-Type: multipart/mixed\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nhi\r\n",
                 kReceived);
  EXPECT_TRUE(has(p.problems, "multipart_without_boundary")) << ::testing::PrintToString(p.problems);
  p = parse("Subject: s\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
            "Content-Type: application/zip; name=a.zip\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            "UEsDBAo=\r\n",
            kReceived);
  EXPECT_EQ(p.subject, "s");
  ASSERT_EQ(p.attachments.size(), 1u);
  EXPECT_EQ(p.attachments[0].name, "a.zip");
  EXPECT_TRUE(has(p.problems, "truncated_message")) << ::testing::PrintToString(p.problems);
}

TEST(Parse, EightBitHeadersAndNulBytesAreRead) {
  std::string raw = "Subject: Gr\xfc\xdf" "e \xe2\x82\xac\r\nFrom: M\xfcller <m@x.example>\r\n\r\nbo";
  raw += '\0';
  raw += "dy http://nul.example/\r\n";
  const auto p = parse(raw, kReceived);
  EXPECT_EQ(p.subject, "Gr\xc3\xbc\xc3\x9f" "e \xc3\xa2\xe2\x80\x9a\xc2\xac");  // not UTF-8: read as Windows-1252
  EXPECT_EQ(p.from.address, "m@x.example");
  EXPECT_TRUE(has(p.problems, "unencoded_8bit_header"));
  ASSERT_EQ(p.urls.size(), 1u);
  EXPECT_EQ(p.urls[0].host, "nul.example");
}

TEST(Parse, EightBitHeadersAreReadInTheCharsetTheMessageDeclares) {
  // "发票 镕" in GBK (镕 is not in GB2312), labelled GB2312 by the body: read as GB18030.
  auto p = parse("Subject: \xb7\xa2\xc6\xb1 \xe9\x46\r\nContent-Type: text/plain; charset=gb2312\r\n\r\nx\r\n",
                 kReceived);
  EXPECT_EQ(p.subject, "\u53d1\u7968 \u9555");
  // The first text part's charset, in a multipart; Shift_JIS as CP932 (NEC's circled digits).
  p = parse("Subject: \x87\x40\x90\xbf\x8b\x81\x8f\x91\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n"
            "--b\r\nContent-Type: text/plain; charset=Shift_JIS\r\n\r\nx\r\n--b--\r\n",
            kReceived);
  EXPECT_EQ(p.subject, "\u2460\u8acb\u6c42\u66f8");
  // Bytes the declared charset cannot read: Windows-1252, as before.
  p = parse("Subject: caf\xe9\r\nContent-Type: text/plain; charset=euc-kr\r\n\r\nx\r\n", kReceived);
  EXPECT_EQ(p.subject, "caf\u00e9");
}

TEST(Parse, Iso2022JpIsReadWithItsExtensionsAndNoEscapeReachesTheText) {
  // Raw in the header: ESC $ B ... ESC ( B, with NEC row 13 (①, 0x2D21) and ㈱ (0x2D6A).
  auto p = parse("Subject: \x1b$B-!-j\x1b(B ok\r\n\r\nx\r\n", kReceived);
  EXPECT_EQ(p.subject, "\u2460\u3231 ok");
  // In an encoded word: iconv's ISO-2022-JP refuses ①; mail readers do not.
  p = parse("Subject: =?ISO-2022-JP?B?GyRCLSEkIyQqGyhC?=\r\n\r\nx\r\n", kReceived);
  EXPECT_EQ(p.subject, "\u2460\u3043\u304a");
  // A broken sequence: U+FFFD, never the escape bytes.
  p = parse("Subject: =?iso-2022-jp?B?GyRCJCIbKEIbJFo=?=\r\n\r\nx\r\n", kReceived);
  EXPECT_EQ(p.subject.find('\x1b'), std::string::npos);
  EXPECT_NE(p.subject.find("\uFFFD"), std::string::npos);
  // Terminal escapes written raw into a header do not survive either.
  p = parse("Subject: red \x1b[31malert\x1b[0m\r\n\r\nx\r\n", kReceived);
  EXPECT_EQ(p.subject, "red \uFFFD[31malert\uFFFD[0m");
}

TEST(Parse, AnEncodedWordThatDoesNotConvertKeepsWhatDoes) {
  auto p = parse("Subject: =?utf-8?Q?caf=E9_ok?= =?gb2312?B?1tDOxA==?=\r\n\r\nx\r\n", kReceived);
  EXPECT_EQ(p.subject, "caf\uFFFD ok\u4e2d\u6587");
}

TEST(Parse, AFromWithoutDomainOrBracketsKeepsItsAddressAsWritten) {
  struct {
    std::string_view field, address;
  } cases[] = {
      {"Moderator <moderator>", "moderator"},
      {"Whomever", "Whomever"},
      {"Big Bug bb@bug.com", "bb@bug.com"},
      {"bb@bug.com (Big Bug)", "bb@bug.com"},
      {"<>", ""},
      {"undisclosed-recipients:;", ""},
      {"[removed]", ""},
      {"Real Name <real@name.example>", "real@name.example"},
  };
  for (const auto& c : cases) {
    const auto p = parse("From: " + std::string(c.field) + "\r\n\r\nx\r\n", kReceived);
    EXPECT_EQ(p.from.address, c.address) << c.field;
  }
}

TEST(Parse, HostileNestingAndPartCountsStopAtTheLimits) {
  // 5,000 nested multiparts: GMime's parser has its own guard, our walk stops at kMimeDepth.
  std::string deep = "Subject: deep\r\n";
  for (int i = 0; i < 5000; ++i)
    deep += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\r\n\r\n--b" +
            std::to_string(i) + "\r\n";
  deep += "Content-Type: text/plain\r\n\r\nbottom\r\n";
  auto p = parse(deep, kReceived);
  EXPECT_EQ(p.subject, "deep");
  EXPECT_TRUE(has(p.problems, "depth_limit") || has(p.problems, "mime_nesting_overflow"))
      << ::testing::PrintToString(p.problems);

  std::string wide = "Subject: wide\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n";
  for (std::size_t i = 0; i < kMimeParts + 50; ++i)
    wide += "--b\r\nContent-Type: image/gif\r\n\r\nGIF89a\r\n";
  wide += "--b--\r\n";
  p = parse(wide, kReceived);
  EXPECT_EQ(p.attachments.size(), kMimeParts);
  EXPECT_TRUE(has(p.problems, "part_limit"));
  EXPECT_EQ(p.attachments[0].sniffed_type, "image/gif");
}

TEST(Parse, AddressesKeepTheFormTheyWereWrittenIn) {
  // GMime hands a punycode domain back decoded; the sender wrote it in ASCII.
  EXPECT_EQ(parse("From: X <a@xn--bcher-kva.example>\r\n\r\n", kReceived).from.address,
            "a@xn--bcher-kva.example");
  EXPECT_EQ(parse("From: a@b\xc3\xbc" "cher.example\r\n\r\n", kReceived).from.address,
            "a@b\xc3\xbc" "cher.example");
}

TEST(Parse, EmptyAndGarbageInputStillParse) {
  for (std::string_view raw : {std::string_view(""), std::string_view("\r\n"),
                               std::string_view("no header at all"),
                               std::string_view("\0\0\0\xff\xfe", 5)}) {
    const auto p = parse(raw, kReceived);
    EXPECT_EQ(p.message_id_problem, "missing");
  }
}

}  // namespace
}  // namespace spampot::message
