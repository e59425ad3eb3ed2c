#include "base/utf8.hpp"

#include <gtest/gtest.h>

namespace spampot {
namespace {

TEST(Utf8, ValidTextIsKeptAsItIs) {
  for (std::string_view s : {"", "plain", "Gr\u00fc\u00dfe", "\u8a0e\u8ad6", "\U0001F600", "e\u0301"})
    EXPECT_EQ(to_valid_utf8(s), s);
}

TEST(Utf8, EachMaximalIllFormedSubpartIsOneReplacementCharacter) {
  struct {
    std::string_view got, want;
  } cases[] = {
      // Unicode 15, table 3-8: the recommended practice, which Python's "replace" follows too.
      {"\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64",
       "a\uFFFD\uFFFD\uFFFDb\uFFFDc\uFFFD\uFFFDd"},
      {"\xff", "\uFFFD"},
      {"caf\xe9!", "caf\uFFFD!"},            // Latin-1
      {"\xe4\xb8", "\uFFFD"},                // a CJK character cut short at the end
      {"\xc0\xaf", "\uFFFD\uFFFD"},          // an overlong '/'
      {"\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"},  // a surrogate
      {"\xf4\x90\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD"},  // past U+10FFFF
      {std::string_view("a\0b", 3), "a\uFFFDb"},  // NUL
  };
  for (const auto& c : cases) {
    EXPECT_EQ(to_valid_utf8(c.got), c.want) << c.got;
    EXPECT_TRUE(is_utf8(to_valid_utf8(c.got)));
  }
}

TEST(Utf8, APrefixEndsOnACharacterBoundary) {
  const std::string s = "a\u00e9\u8a0e\U0001F600";  // 1 + 2 + 3 + 4 bytes
  EXPECT_EQ(utf8_prefix(s, 100), s);
  EXPECT_EQ(utf8_prefix(s, 10), s);
  for (std::size_t n = 0; n <= s.size(); ++n) {
    const auto p = utf8_prefix(s, n);
    EXPECT_LE(p.size(), n);
    EXPECT_TRUE(is_utf8(p)) << n;
    EXPECT_EQ(s.substr(0, p.size()), p);
  }
  EXPECT_EQ(utf8_prefix(s, 5), "a\u00e9");
  EXPECT_EQ(utf8_prefix(s, 6), "a\u00e9\u8a0e");
  EXPECT_EQ(utf8_prefix(s, 9), "a\u00e9\u8a0e");
}

}  // namespace
}  // namespace spampot
