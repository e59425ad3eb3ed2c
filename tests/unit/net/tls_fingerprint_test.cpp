// JA3 and JA4 against the vectors their authors publish.
#include "net/tls_fingerprint.hpp"

#include <gtest/gtest.h>

namespace spampot::net {
namespace {

TEST(TlsFingerprint, Ja3OfTheReadmeExample) {
  // Salesforce's JA3 README:
  // "769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0".
  client_hello ch;
  ch.legacy_version = 769;
  ch.ciphers = {0x0a0a, 47,    53, 5,  10, 49161, 49162,
                49171,  49172, 50, 56, 19, 4};  // GREASE is skipped
  ch.extensions = {0, 10, 0x2a2a, 11};
  ch.groups = {23, 24, 25};
  ch.point_formats = {0};
  EXPECT_EQ(ja3_string(ch), "769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0");
  EXPECT_EQ(ja3(ch), "ada70206e40642a3e4461f35503241d5");
}

TEST(TlsFingerprint, Ja4OfFoxIosChromeExample) {
  // FoxIO's JA4 technical details: t13d1516h2_8daaf6152771_e5627efa2ab1.
  client_hello ch;
  ch.legacy_version = 0x0303;
  ch.ciphers = {0x3a3a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030,
                0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
  ch.extensions = {0x1a1a, 0x0000, 0x0017, 0xff01, 0x000a, 0x000b, 0x0023, 0x0010, 0x0005,
                   0x000d, 0x0012, 0x0033, 0x002d, 0x002b, 0x001b, 0x0015, 0x4469, 0x4a4a};
  ch.signature_algorithms = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};
  ch.alpn = {"h2", "http/1.1"};
  ch.supported_versions = {0x7a7a, 0x0304, 0x0303};
  ch.sni = true;
  EXPECT_EQ(ja4(ch), "t13d1516h2_8daaf6152771_e5627efa2ab1");

  // No SNI, no ALPN, TLS 1.2 only: the parts that say so.
  ch.sni = false;
  ch.alpn.clear();
  ch.supported_versions.clear();
  EXPECT_EQ(ja4(ch).substr(0, 10), "t12i151600");
}

TEST(TlsFingerprint, Grease) {
  for (std::uint16_t v : {0x0a0a, 0x1a1a, 0xfafa}) EXPECT_TRUE(is_grease(v));
  for (std::uint16_t v : {0x0a1a, 0x1301, 0x0000, 0xffff}) EXPECT_FALSE(is_grease(v));
}

TEST(TlsFingerprint, ExtensionBodies) {
  EXPECT_EQ(parse_u16_list(std::string("\x00\x04\x00\x1d\x00\x17", 6)),
            (std::vector<std::uint16_t>{29, 23}));
  EXPECT_EQ(parse_versions(std::string("\x04\x03\x04\x03\x03", 5)),
            (std::vector<std::uint16_t>{0x0304, 0x0303}));
  EXPECT_EQ(parse_u8_list(std::string("\x01\x00", 2)), (std::vector<std::uint8_t>{0}));
  EXPECT_EQ(parse_alpn(std::string("\x00\x0c\x02h2\x08http/1.1", 14)),
            (std::vector<std::string>{"h2", "http/1.1"}));
  // Bodies that lie about their length are refused, never read past.
  EXPECT_FALSE(parse_u16_list(std::string("\x00\x06\x00\x1d", 4)));
  EXPECT_FALSE(parse_u16_list(std::string("\x00\x03\x00\x1d\x00", 5)));
  EXPECT_FALSE(parse_versions(std::string("\x05\x03\x04", 3)));
  EXPECT_FALSE(parse_u8_list(""));
  EXPECT_FALSE(parse_alpn(std::string("\x00\x04\x05h2", 5)));
  EXPECT_FALSE(parse_alpn(std::string("\x00\x01\x00", 3)));
}

}  // namespace
}  // namespace spampot::net
