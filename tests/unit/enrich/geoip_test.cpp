// The GeoIP reader against databases MaxMind's own writer made (tests/scripts/make_mmdb.pl, run
// by the mmdb fixture into SPAMPOT_TEST_MMDB).
#include "enrich/geoip.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace spampot::enrich {
namespace {

const std::filesystem::path kDir = SPAMPOT_TEST_MMDB;

std::unique_ptr<geoip> open_or_fail(const std::filesystem::path& country, const std::filesystem::path& asn) {
  auto g = geoip::open(country, asn);
  EXPECT_TRUE(g) << g.error();
  return g ? std::move(*g) : nullptr;
}

TEST(Geoip, GeoLite2ShapesInBothFamilies) {
  auto g = open_or_fail(kDir / "country.mmdb", kDir / "asn.mmdb");
  ASSERT_TRUE(g);
  auto n = g->lookup("127.0.0.1");
  EXPECT_EQ(n.country, "DE");
  EXPECT_EQ(n.asn, 64501u);
  EXPECT_EQ(n.as_org, "Trap Test Carrier One");
  n = g->lookup("127.0.1.200");
  EXPECT_EQ(n.country, "BR");
  EXPECT_EQ(n.asn, 64502u);
  n = g->lookup("::1");
  EXPECT_EQ(n.country, "JP");
  EXPECT_EQ(n.asn, 64503u);
  n = g->lookup("2a0b:4000:1::25");
  EXPECT_EQ(n.country, "NL");
  EXPECT_EQ(n.as_org, "Example IPv6 Hosting B.V.");
  // IPv4 inside IPv6 as a dual-stack socket reports it.
  EXPECT_EQ(g->lookup("::ffff:127.0.0.7").asn, 64501u);
}

TEST(Geoip, RegisteredCountryWhenNoCountryAndAsnlessNetworks) {
  auto g = open_or_fail(kDir / "country.mmdb", kDir / "asn.mmdb");
  ASSERT_TRUE(g);
  auto n = g->lookup("127.0.5.9");
  EXPECT_EQ(n.country, "FR");
  EXPECT_EQ(n.asn, 0u);
  n = g->lookup("127.0.4.1");
  EXPECT_EQ(n.country, "US");
  EXPECT_EQ(n.asn, 0u);
  EXPECT_EQ(n.as_org, "");
}

TEST(Geoip, UnknownAndNotAnAddress) {
  auto g = open_or_fail(kDir / "country.mmdb", kDir / "asn.mmdb");
  ASSERT_TRUE(g);
  for (const char* ip : {"127.0.2.1", "10.1.2.3", "", "not an address", "localhost", "127.0.0.1\n", "1.2.3.4.5",
                         "::1%lo"}) {
    const auto n = g->lookup(ip);
    EXPECT_FALSE(n.known()) << ip << " -> " << n.country << " " << n.asn;
  }
}

TEST(Geoip, IpinfoLiteOneFileForBoth) {
  auto g = open_or_fail(kDir / "ipinfo.mmdb", kDir / "ipinfo.mmdb");
  ASSERT_TRUE(g);
  auto n = g->lookup("127.0.0.1");
  EXPECT_EQ(n.country, "DE");
  EXPECT_EQ(n.asn, 64501u);  // "AS64501"
  EXPECT_EQ(n.as_org, "Trap Test Carrier One");
  n = g->lookup("45.0.3.4");
  EXPECT_EQ(n.country, "NG");
  EXPECT_EQ(n.as_org, "Bulk Hosting <script>alert(1)</script> Ltd");  // escaping is each output's job
}

TEST(Geoip, OneHalfOnly) {
  auto g = open_or_fail("", kDir / "asn.mmdb");
  ASSERT_TRUE(g);
  auto n = g->lookup("127.0.0.1");
  EXPECT_EQ(n.country, "");
  EXPECT_EQ(n.asn, 64501u);
  g = open_or_fail(kDir / "country.mmdb", "");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->lookup("127.0.0.1").asn, 0u);
  EXPECT_EQ(g->lookup("127.0.0.1").country, "DE");
  EXPECT_NE(g->describe().find("GeoLite2-Country"), std::string::npos) << g->describe();
}

TEST(Geoip, BadDatabasesAreErrorsNamingThem) {
  auto none = geoip::open("", "");
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().find("names no database"), std::string::npos);

  auto missing = geoip::open(kDir / "no-such.mmdb", "");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("country_db"), std::string::npos) << missing.error();
  EXPECT_NE(missing.error().find("no-such.mmdb"), std::string::npos) << missing.error();

  const auto junk = std::filesystem::temp_directory_path() / "spampot-geoip-junk.mmdb";
  std::ofstream(junk) << "this is not a MaxMind database\n";
  auto bad = geoip::open(kDir / "country.mmdb", junk);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("asn_db"), std::string::npos) << bad.error();
  EXPECT_NE(bad.error().find(junk.string()), std::string::npos) << bad.error();
  std::filesystem::remove(junk);
}

}  // namespace
}  // namespace spampot::enrich
