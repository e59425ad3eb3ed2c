// The PROXY protocol header parser (HAProxy's spec, v1 text and v2 binary).
#include "net/proxy_header.hpp"

#include <gtest/gtest.h>

#include <string>

namespace spampot::net {
namespace {

const std::string kSig("\r\n\r\n\0\r\nQUIT\n", 12);

TEST(ProxyHeader, Version1) {
  const std::string in = "PROXY TCP4 192.0.2.1 198.51.100.1 56324 25\r\nEHLO bot\r\n";
  auto h = parse_proxy_header(in);
  ASSERT_EQ(h.verdict, proxy_verdict::done) << h.error;
  EXPECT_EQ(h.version, 1);
  EXPECT_EQ(h.length, in.find("EHLO"));
  EXPECT_EQ(h.source_ip, "192.0.2.1");
  EXPECT_EQ(h.source_port, 56324);
  EXPECT_EQ(h.dest_ip, "198.51.100.1");
  EXPECT_EQ(h.dest_port, 25);

  h = parse_proxy_header("PROXY TCP6 2001:db8::1 2001:db8::2 4000 25\r\n");
  ASSERT_EQ(h.verdict, proxy_verdict::done) << h.error;
  EXPECT_EQ(h.source_ip, "2001:db8::1");

  h = parse_proxy_header("PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n");
  ASSERT_EQ(h.verdict, proxy_verdict::done);
  EXPECT_TRUE(h.source_ip.empty());

  // Every proper prefix is incomplete, not wrong.
  for (std::size_t i = 0; i < in.find('\n'); ++i)
    EXPECT_EQ(parse_proxy_header(in.substr(0, i)).verdict, proxy_verdict::need_more) << i;
}

TEST(ProxyHeader, Version1Errors) {
  for (const char* bad :
       {"PROXY TCP4 192.0.2.1 198.51.100.1 56324\r\n", "PROXY TCP4 2001:db8::1 192.0.2.1 1 2\r\n",
        "PROXY TCP4 192.0.2.1 198.51.100.1 65536 25\r\n",
        "PROXY UDP4 192.0.2.1 198.51.100.1 1 2\r\n", "PROXY TCP4 192.0.2.1 198.51.100.1 01 25\r\n",
        "EHLO bot\r\n"})
    EXPECT_EQ(parse_proxy_header(bad).verdict, proxy_verdict::invalid) << bad;
  EXPECT_EQ(parse_proxy_header("PROXY TCP4 " + std::string(200, '1')).verdict,
            proxy_verdict::invalid);
}

TEST(ProxyHeader, Version2) {
  std::string in = kSig + std::string("\x21\x11\x00\x0c", 4) +
                   std::string("\xc0\x00\x02\x01\xc6\x33\x64\x01", 8) +
                   std::string("\xdc\x04\x00\x19", 4) + "EHLO";
  auto h = parse_proxy_header(in);
  ASSERT_EQ(h.verdict, proxy_verdict::done) << h.error;
  EXPECT_EQ(h.version, 2);
  EXPECT_EQ(h.length, 28u);
  EXPECT_EQ(h.source_ip, "192.0.2.1");
  EXPECT_EQ(h.source_port, 56324);
  EXPECT_EQ(h.dest_ip, "198.51.100.1");
  EXPECT_EQ(h.dest_port, 25);
  for (std::size_t i = 0; i < 28; ++i)
    EXPECT_EQ(parse_proxy_header(in.substr(0, i)).verdict, proxy_verdict::need_more) << i;

  // IPv6, with a TLV after the addresses that is skipped.
  std::string v6 = kSig + std::string("\x21\x21\x00\x28", 4);
  v6 += std::string("\x20\x01\x0d\xb8", 4) + std::string(11, '\0') + std::string("\x01", 1);
  v6 += std::string("\x20\x01\x0d\xb8", 4) + std::string(11, '\0') + std::string("\x02", 1);
  v6 += std::string("\x0f\xa0\x00\x19", 4) + std::string("\x04\x00\x01\x00", 4);
  h = parse_proxy_header(v6);
  ASSERT_EQ(h.verdict, proxy_verdict::done) << h.error;
  EXPECT_EQ(h.source_ip, "2001:db8::1");
  EXPECT_EQ(h.source_port, 4000);
  EXPECT_EQ(h.length, v6.size());

  // LOCAL: a health check, no addresses.
  h = parse_proxy_header(kSig + std::string("\x20\x00\x00\x00", 4));
  ASSERT_EQ(h.verdict, proxy_verdict::done);
  EXPECT_TRUE(h.source_ip.empty());
}

TEST(ProxyHeader, Version2Errors) {
  EXPECT_EQ(parse_proxy_header(kSig + std::string("\x31\x11\x00\x0c", 4)).verdict,
            proxy_verdict::invalid);
  EXPECT_EQ(parse_proxy_header(kSig + std::string("\x22\x11\x00\x0c", 4)).verdict,
            proxy_verdict::invalid);
  EXPECT_EQ(parse_proxy_header(kSig + std::string("\x21\x11\x00\x04", 4) + "abcd").verdict,
            proxy_verdict::invalid);
  EXPECT_EQ(parse_proxy_header(kSig + std::string("\x21\x11\xff\xff", 4)).verdict,
            proxy_verdict::invalid);
}

TEST(ProxyHeader, Recognition) {
  EXPECT_TRUE(looks_like_proxy_header("PROXY TCP4 1.2.3.4"));
  EXPECT_TRUE(looks_like_proxy_header(kSig));
  EXPECT_FALSE(looks_like_proxy_header("EHLO bot\r\n"));
  EXPECT_FALSE(looks_like_proxy_header("PROX"));
}

}  // namespace
}  // namespace spampot::net
