#include <gtest/gtest.h>

#include "web/chart.hpp"
#include "web/console.hpp"
#include "web/html.hpp"
#include "web/pages.hpp"
#include "web/query.hpp"

#include <map>

namespace spampot::web {
namespace {

TEST(Html, EscapesWhatHtmlGivesMeaningAndShowsWhatReadersCannotSee) {
  EXPECT_EQ(escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
  EXPECT_EQ(escape("caf\xc3\xa9 \xe7\x89\xb9"), "caf\xc3\xa9 \xe7\x89\xb9");  // every script as itself
  EXPECT_EQ(escape("a\xff" "b"), "a\\xFFb");                               // not UTF-8
  EXPECT_EQ(escape("x\x1b[31my"), "x\\x1B[31my");                          // a control
  EXPECT_EQ(escape("evil\xe2\x80\xaegnp.exe"), "evil\\u{202E}gnp.exe");    // a bidi override
  EXPECT_EQ(escape_lines("a<b\r\nc\td\n"), "a&lt;b\nc\td\n");
}

TEST(Html, DefangedUrlsAreTextNoBrowserFollows) {
  EXPECT_EQ(defang("http://pill-shop.example/buy?x=1"), "hxxp[://]pill-shop[.]example/buy?x=1");
  EXPECT_EQ(defang("HTTPS://1.2.3.4:8080/a.b"), "hxxps[://]1[.]2[.]3[.]4:8080/a.b");
  EXPECT_EQ(defang("javascript:alert(1)"), "javascript:alert(1)");  // shown as text, never a link
  EXPECT_EQ(url_encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
}

TEST(Query, PathAndParametersPercentDecoded) {
  auto t = parse_target("/messages?ip=192.0.2.1&subject=caf%C3%A9+x&&empty=&flag");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->path, "/messages");
  EXPECT_EQ(t->param("ip"), "192.0.2.1");
  EXPECT_EQ(t->param("subject"), "caf\xc3\xa9 x");
  EXPECT_EQ(t->param("empty"), "");
  EXPECT_EQ(t->params.size(), 4u);
  EXPECT_EQ(parse_target("/message/A%2FB")->path, "/message/A/B");
  EXPECT_FALSE(parse_target("/x?q=%G1").ok());
  EXPECT_FALSE(parse_target("/x?q=%4").ok());
  EXPECT_FALSE(parse_target("/x%").ok());
}

TEST(Chart, LabelsAreEscapedAndFiguresCarried) {
  const std::string svg = column_chart("per <hour>", {{"<b>", 3}, {"x\"y", 5}});
  EXPECT_NE(svg.find("data-total=\"8\""), std::string::npos);
  EXPECT_NE(svg.find("data-value=\"5\""), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;b&gt;"), std::string::npos);
  EXPECT_EQ(svg.find("x\"y"), std::string::npos);
  const std::string bars = bar_list("t", {{"<img src=x onerror=1>", 2}});
  EXPECT_EQ(bars.find("<img"), std::string::npos);
  EXPECT_EQ(column_chart("empty", {}).find("<rect"), std::string::npos);
  const std::string stacked =
      stacked_chart("t", {"h1", "h2"}, {{"<x>.example", {1, 2}}, {"b.example", {0, 4}}}, {"sessions", {3, 5}});
  EXPECT_NE(stacked.find("data-series=\"&lt;x&gt;.example\" data-total=\"3\""), std::string::npos);
  EXPECT_NE(stacked.find("data-series=\"b.example\" data-total=\"4\""), std::string::npos);
  EXPECT_NE(stacked.find("data-series=\"sessions\" data-total=\"8\""), std::string::npos);
  EXPECT_NE(stacked.find("data-total=\"7\""), std::string::npos);  // the stacks' sum
  EXPECT_EQ(stacked.find("<x>"), std::string::npos);
}

TEST(Pages, ATableEscapesEveryCellAndLinksEncoded) {
  intel::section s{"t", {"sender", "messages"}, {{std::string("<script>x</script>"), std::int64_t{3}}}, -1};
  const std::string html = section_table(s, 0, "/messages?from=");
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("href=\"/messages?from=%3Cscript%3Ex%3C%2Fscript%3E\""), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">3</td>"), std::string::npos);
  EXPECT_NE(layout("<t>", "overview", "").find("<title>&lt;t&gt; - spampot</title>"), std::string::npos);
}

TEST(Console, TokensInBearerOrBasicOnly) {
  const std::string token = "0123456789abcdef-token";
  EXPECT_TRUE(authorized("Bearer 0123456789abcdef-token", token));
  EXPECT_TRUE(authorized("Basic YW5hbHlzdDowMTIzNDU2Nzg5YWJjZGVmLXRva2Vu", token));  // analyst:<token>
  EXPECT_FALSE(authorized("Bearer 0123456789abcdef-tokeN", token));
  EXPECT_FALSE(authorized("Bearer 0123456789abcdef-token ", token));
  EXPECT_FALSE(authorized("Basic !!!", token));
  EXPECT_FALSE(authorized("Basic MDEyMzQ1Njc4OWFiY2RlZi10b2tlbg==", token));  // no colon
  EXPECT_FALSE(authorized("", token));
  EXPECT_FALSE(authorized("Digest x", token));
}

TEST(Console, SecurityHeadersOnEveryResponse) {
  net::http_response r;
  add_security_headers(r);
  std::map<std::string, std::string> h(r.headers.begin(), r.headers.end());
  EXPECT_EQ(h["X-Content-Type-Options"], "nosniff");
  EXPECT_NE(h["Content-Security-Policy"].find("default-src 'none'"), std::string::npos);
  EXPECT_NE(h["Content-Security-Policy"].find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(h["Content-Security-Policy"].find("script-src"), std::string::npos);
  // A response's own, stricter policy (a raw message) is kept.
  net::http_response raw{200, "text/plain", {{"Content-Security-Policy", "sandbox; default-src 'none'"}}, ""};
  add_security_headers(raw);
  EXPECT_EQ(raw.headers.front().second, "sandbox; default-src 'none'");
}

}  // namespace
}  // namespace spampot::web
