#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "seed/mint.hpp"
#include "seed/page.hpp"

namespace spampot::seed {
namespace {

// A fixed sequence, so a test sees the same addresses every run.
random_source counter(std::uint32_t start = 0) {
  auto n = std::make_shared<std::uint32_t>(start);
  return [n] { return (*n)++ * 2654435761u; };
}

TEST(Mint, AddressesLookLikePeoplesNotTokens) {
  const std::regex shape(R"(^[a-z]+([._]?[a-z]+)*([._][a-z])?[._]?[a-z]*[0-9]{0,4}@trap\.example$)");
  auto rnd = counter();
  for (int i = 0; i < 500; ++i) {
    const minted m = person_address("Trap.Example", rnd);
    EXPECT_TRUE(std::regex_match(m.address, shape)) << m.address;
    EXPECT_LE(m.address.find('@'), 30u) << m.address;
    // Never the bare first.last a dictionary attack tries: a year or a middle initial is in it.
    const std::string local = m.address.substr(0, m.address.find('@'));
    const bool digits = local.find_first_of("0123456789") != std::string::npos;
    const bool middle = std::regex_search(local, std::regex(R"(\.[a-z]\.)"));
    EXPECT_TRUE(digits || middle) << m.address;
    EXPECT_NE(m.name.find(' '), std::string::npos);
    EXPECT_TRUE(std::isupper(static_cast<unsigned char>(m.name[0])));
  }
}

TEST(Mint, TenThousandAreAllDifferentAndTakenOnesAreSkipped) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    auto m = mint("trap.example", secure_random, [&](std::string_view a) { return seen.count(std::string(a)) > 0; });
    ASSERT_TRUE(m.has_value());
    EXPECT_TRUE(seen.insert(m->address).second);
  }
  // With every address taken there is nothing to give, and mint says so instead of looping.
  EXPECT_FALSE(mint("trap.example", secure_random, [](std::string_view) { return true; }).has_value());
}

TEST(Page, CarriesTheAddressAsLinkAndTextEscaped) {
  const std::string page = page_html("anna.keller84@trap.example", "Anna <Keller>", "Shop & Co");
  EXPECT_NE(page.find("<a href=\"mailto:anna.keller84@trap.example\">anna.keller84@trap.example</a>"),
            std::string::npos);
  EXPECT_NE(page.find("Anna &lt;Keller&gt;"), std::string::npos);
  EXPECT_NE(page.find("Shop &amp; Co"), std::string::npos);
  EXPECT_EQ(page.find("<Keller>"), std::string::npos);
  EXPECT_NE(snippet_html("a\"b@trap.example", "X").find("mailto:a&quot;b@trap.example"), std::string::npos);
  EXPECT_EQ(robots_txt(), "User-agent: *\nDisallow: /\n");
}

TEST(Page, RoutesByPathShapeOnly) {
  EXPECT_EQ(route_of("/"), route::page);
  EXPECT_EQ(route_of("/contact"), route::page);
  EXPECT_EQ(route_of("/team/index.php?id=3"), route::page);
  EXPECT_EQ(route_of("/About.HTML"), route::page);
  EXPECT_EQ(route_of("/robots.txt"), route::robots);
  EXPECT_EQ(route_of("/favicon.ico"), route::not_found);
  EXPECT_EQ(route_of("/wp-login.js"), route::not_found);
  EXPECT_EQ(route_of("/../../etc/passwd"), route::page);  // a path names no file here
  EXPECT_EQ(route_of("http://proxy.example/robots.txt"), route::robots);
  EXPECT_EQ(route_of("http://proxy.example"), route::page);
  EXPECT_EQ(route_of("example.com:443"), route::not_found);  // not a path at all
  EXPECT_EQ(route_of(""), route::page);
}

}  // namespace
}  // namespace spampot::seed
