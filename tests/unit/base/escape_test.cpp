#include "base/escape.hpp"

#include <gtest/gtest.h>

namespace spampot {
namespace {

TEST(Escape, KeepsPrintableAndHexesTheRest) {
  EXPECT_EQ(escape_bytes("EHLO x"), "EHLO x");
  EXPECT_EQ(escape_bytes(std::string("a\0b\r\n\x80\\", 7)), "a\\x00b\\x0d\\x0a\\x80\\\\");
  EXPECT_EQ(escape_for_log("abcdef", 3), "abc...");
  EXPECT_EQ(escape_for_log("abc", 3), "abc");
}

}  // namespace
}  // namespace spampot
