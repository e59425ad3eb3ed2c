// The pure pieces of message forensics, each on the shapes real mail gives it.
#include <gtest/gtest.h>

#include "message/content.hpp"
#include "message/encoded_words.hpp"
#include "message/fingerprint.hpp"
#include "message/framing.hpp"
#include "message/message.hpp"
#include "message/received.hpp"
#include "message/urls.hpp"
#include "base/limits.hpp"

namespace spampot::message {
namespace {

TEST(Received, PostfixSendmailEximQmailAndExchange) {
  auto r = parse_received(
      "from helo.example (rdns.example [198.51.100.7]) by mx.trap.example (Postfix) with ESMTP "
      "id 4Xyz12; Tue, 1 Jan 2019 00:00:00 +0000");
  EXPECT_EQ(r.hop.from_name, "helo.example");
  EXPECT_EQ(r.hop.from_ip, "198.51.100.7");
  EXPECT_EQ(r.hop.by_name, "mx.trap.example");
  EXPECT_EQ(r.hop.protocol, "ESMTP");
  EXPECT_EQ(r.hop.id, "4Xyz12");
  EXPECT_EQ(r.date, "Tue, 1 Jan 2019 00:00:00 +0000");

  r = parse_received("from [203.0.113.9] (helo=bot.example) by relay.example with esmtp (Exim 4.96) "
                     "(envelope-from <a@b.example>) id 1qZ-0004; Wed, 2 Jan 2019 10:00:00 +0100");
  EXPECT_EQ(r.hop.from_name, "bot.example");
  EXPECT_EQ(r.hop.from_ip, "203.0.113.9");
  EXPECT_EQ(r.hop.id, "1qZ-0004");

  r = parse_received("from unknown (HELO spam.example) (192.0.2.55) by mail.example with SMTP; 3 Jan 2019");
  EXPECT_EQ(r.hop.from_name, "spam.example");
  EXPECT_EQ(r.hop.from_ip, "192.0.2.55");

  r = parse_received("from AM0PR.eurprd.prod.outlook.com (2603:10a6:208:12::34) by DB8PR.outlook.com "
                     "(2603:10a6:10:ab::5) with Microsoft SMTP Server (version=TLS1_2, "
                     "cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.1; Thu, 4 Jan 2019 "
                     "01:02:03 +0000");
  EXPECT_EQ(r.hop.from_ip, "2603:10a6:208:12::34");
  EXPECT_EQ(r.hop.by_name, "DB8PR.outlook.com");
  EXPECT_EQ(r.hop.protocol, "Microsoft");

  r = parse_received("(qmail 5683 invoked from network); 19 Nov 2014 08:46:08 -0000");
  EXPECT_EQ(r.hop.from_ip, "");
  EXPECT_EQ(r.date, "19 Nov 2014 08:46:08 -0000");

  r = parse_received("from x ([IPv6:2001:db8::1]) by y; Fri, 5 Jan 2019 00:00:00 +0000");
  EXPECT_EQ(r.hop.from_ip, "2001:db8::1");
}

TEST(Received, TheEarliestPublicAddressIsWhereTheChainBegins) {
  std::vector<received_hop> hops(4);
  hops[0].from_ip = "203.0.113.50";  // documentation range: not public
  hops[1].from_ip = "8.8.4.4";
  hops[2].from_ip = "1.1.1.1";
  hops[3].from_ip = "10.1.2.3";  // the sender's LAN
  EXPECT_EQ(first_external_ip(hops), "1.1.1.1");
  EXPECT_FALSE(is_public_ip("127.0.0.1"));
  EXPECT_FALSE(is_public_ip("100.64.1.1"));
  EXPECT_FALSE(is_public_ip("fe80::1"));
  EXPECT_FALSE(is_public_ip("2001:db8::5"));
  EXPECT_FALSE(is_public_ip("not an ip"));
  EXPECT_TRUE(is_public_ip("2a00:1450:4001::1"));
}

TEST(Urls, HrefSrcAndWrittenOutUrlsNormalised) {
  std::vector<url> out;
  const std::string html =
      R"(<a HREF="HTTP://Shop.Example.COM/Buy?a=1&amp;b=2">x</a> <img src='https://cdn.example.net/p.gif'>
see www.pills.example/now. or (http://wiki.example/A_(b)) and <a href="mailto:x@y">mail</a>)";
  extract_html_urls(html, html_text(html), out);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].text, "http://shop.example.com/Buy?a=1&b=2");
  EXPECT_EQ(out[0].host, "shop.example.com");
  EXPECT_EQ(out[0].domain, "example.com");
  EXPECT_EQ(out[0].source, "href");
  EXPECT_EQ(out[1].source, "src");
  EXPECT_EQ(out[2].text, "http://www.pills.example/now");
  EXPECT_EQ(out[2].source, "text");
  EXPECT_EQ(out[3].text, "http://wiki.example/A_(b)");
}

TEST(Urls, NumericAndEscapedHostsAreReadAsABrowserReadsThem) {
  // The WHATWG URL host parser: a host ending in a number is an IPv4 address in decimal, hex,
  // octal or a mix, fewer than four parts filling the last from the right.
  struct {
    std::string_view url, host;
  } cases[] = {
      {"http://2742879943/x", "163.125.6.199"},
      {"http://0xA3.0x7B.1.2/", "163.123.1.2"},
      {"http://0243.0173.01.02/", "163.123.1.2"},
      {"http://0xa37b0102/", "163.123.1.2"},
      {"http://163.123.258/", "163.123.1.2"},
      {"http://163.8060930/", "163.123.0.2"},
      {"http://127.1/", "127.0.0.1"},
      {"http://0x7f.1./", "127.0.0.1"},
      {"http://%32%37%34%32%38%37%39%39%34%33/", "163.125.6.199"},
      {"http://%62%61%6e%6b.example/login", "bank.example"},
      {"http://user@0x7f000001:8080/", "127.0.0.1"},
  };
  for (const auto& c : cases) {
    const auto u = normalise_url(c.url, "href");
    EXPECT_EQ(u.host, c.host) << c.url;
    EXPECT_EQ(u.domain, u.host.back() >= '0' && u.host.back() <= '9' ? u.host : "bank.example") << c.url;
  }
  // The URL keeps the digits as written; the report lists the address they name.
  EXPECT_EQ(normalise_url("http://0xA3.0x7B.1.2/pay", "href").text, "http://0xa3.0x7b.1.2/pay");
  // Ending in a number but no address: a browser refuses it, and so do we.
  for (std::string_view bad : {"http://1.2.3.4.5/", "http://256.1.1.1/", "http://4294967296/", "http://0x1.09/"})
    EXPECT_TRUE(normalise_url(bad, "href").text.empty()) << bad;
  // Names that only look numeric stay names.
  EXPECT_EQ(normalise_url("http://1.2.3.example/", "href").host, "1.2.3.example");
  EXPECT_EQ(normalise_url("http://deadbeef.example/", "href").host, "deadbeef.example");
}

TEST(Urls, IdnHostsBecomePunycodeAndUserinfoIsNoHost) {
  auto u = normalise_url("http://Bücher.example/x", "text");
  EXPECT_EQ(u.host, "xn--bcher-kva.example");
  EXPECT_EQ(u.text, "http://xn--bcher-kva.example/x");
  u = normalise_url("http://paypal.com@evil.co.uk:8080/login", "href");
  EXPECT_EQ(u.host, "evil.co.uk");
  EXPECT_EQ(u.domain, "evil.co.uk");
  u = normalise_url("http://[2001:DB8::1]/", "href");
  EXPECT_EQ(u.host, "2001:db8::1");
  EXPECT_TRUE(normalise_url("javascript:alert(1)", "href").text.empty());
  EXPECT_TRUE(normalise_url("http:///nohost", "href").text.empty());
  std::vector<url> out;
  std::string many;
  for (int i = 0; i < 2000; ++i) many += "http://h" + std::to_string(i) + ".example/ ";
  extract_urls(many, out);
  EXPECT_EQ(out.size(), kUrlsPerMessage);
}

TEST(EncodedWords, DecodedEachOnItsOwnAndJoinedByCharset) {
  // GMime 3.2 loses everything after the first padded word here.
  EXPECT_EQ(decode_header_text("=?UTF-8?B?TXlTdXJ2ZXk=?= =?UTF-8?B?LmNvbTogIFk=?=\t=?UTF-8?B?b3UgaGF2ZSA=?="),
            "MySurvey.com:  You have ");
  EXPECT_EQ(decode_header_text("=?iso-8859-1?q?Gr=FC=DFe_aus?= Bern"), "Grüße aus Bern");
  // A UTF-8 character split across two words comes out whole.
  EXPECT_EQ(decode_header_text("=?utf-8?B?w6E=?= =?utf-8?B?w6k=?="), "áé");
  EXPECT_EQ(decode_header_text("=?utf-8?q?a?= b =?utf-8?q?c?="), "a b c");
  EXPECT_EQ(decode_header_text("caf\xe9"), "café");  // unencoded 8-bit: Windows-1252
  EXPECT_EQ(decode_header_text("=?bogus?B?not base64?="), "=?bogus?B?not base64?=");
  EXPECT_EQ(decode_header_text("=?iso-8859-8-i?B?7vLg6A==?="), "מעאט");
}

TEST(Fingerprint, NormalisationIgnoresCaseSpacingDigitsAndMarkup) {
  EXPECT_EQ(normalise_text("  Hello\r\n\tWORLD  order 12345 "), "hello world order #####");
  EXPECT_EQ(normalise_text(html_text("<p>Hello <b>World</b></p><script>var x=1;</script><!-- c -->")),
            "hello world");
  const auto a = fingerprint_of(normalise_text(std::string(3000, 'x') + " dear anna, buy now"));
  const auto b = fingerprint_of(normalise_text(std::string(3000, 'x') + " dear bert, buy now"));
  EXPECT_EQ(a.sha256.size(), 64u);
  EXPECT_NE(a.sha256, b.sha256);
  EXPECT_GT(fuzzy_block_size(a.fuzzy), 0u);
  EXPECT_GE(fuzzy_score(a.fuzzy, b.fuzzy), 0);
  EXPECT_EQ(fuzzy_score(a.fuzzy, "garbage"), 0);
  EXPECT_TRUE(fingerprint_of("").sha256.empty());
}

TEST(Content, DeclaredTextThatIsTextIsTakenAtItsWordAndAnythingElseIsSniffed) {
  attachment note;
  note.declared_type = "text/plain";
  describe_content("Dear customer,\r\n\tplease find the invoice below.\r\n", note);
  EXPECT_EQ(note.sniffed_type, "text/plain");
  EXPECT_EQ(note.sha256.size(), 64u);

  // An executable declared text/plain: its header has NULs, so libmagic reads it.
  std::string exe("MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0", 16);
  exe.resize(512, '\0');
  exe.replace(0x3c, 4, std::string("\x80\0\0\0", 4));
  attachment hidden;
  hidden.declared_type = "text/plain";
  describe_content(exe, hidden);
  EXPECT_NE(hidden.sniffed_type, "text/plain");
  EXPECT_FALSE(hidden.sniffed_type.empty());

  // A GIF declared as a PDF: not declared text, sniffed as ever.
  attachment gif;
  gif.declared_type = "application/pdf";
  describe_content(std::string("GIF89a\x01\0\x01\0\x80\0\0\0\0\0\xff\xff\xff!", 20), gif);
  EXPECT_EQ(gif.sniffed_type, "image/gif");
}

TEST(Framing, TheHeaderBlockEndsWherePostfixEndsIt) {
  std::string storage;
  std::vector<std::string> problems;
  auto f = frame("From spammer Mon Jan 1 00:00:00 2024\nSubject: x\nnot a field\nbody\n", storage, problems);
  EXPECT_EQ(f, "Subject: x\n\nnot a field\nbody\n");
  EXPECT_EQ(problems, std::vector<std::string>{"header_ended_by_non_field_line"});
  problems.clear();
  f = frame("\xEF\xBB\xBF   \r\nSubject: y\r\n\r\nbody", storage, problems);
  EXPECT_EQ(f, "Subject: y\r\n\r\nbody");
  EXPECT_EQ(problems.size(), 2u);
  problems.clear();
  const std::string_view clean = "Subject: z\r\n folded\r\n\r\nbody";
  EXPECT_EQ(frame(clean, storage, problems).data(), clean.data());  // no copy when nothing changes
  EXPECT_EQ(field_name("From  : obsolete"), "From");
  EXPECT_EQ(field_name(" no"), "");
}

}  // namespace
}  // namespace spampot::message
