#include "smtp/address.hpp"

#include <gtest/gtest.h>

namespace spampot::smtp {
namespace {

TEST(ParsePath, StrictAndSloppyForms) {
  struct {
    const char* args;
    const char* keyword;
    const char* want;
    bool sloppy;
  } cases[] = {
      {" FROM:<a@b.example>", "FROM", "a@b.example", false},
      {" from:<a@b.example>", "FROM", "a@b.example", false},
      {" FROM:<>", "FROM", "", false},
      {" FROM: <a@b.example>", "FROM", "a@b.example", true},
      {" FROM:a@b.example", "FROM", "a@b.example", true},
      {" FROM : a@b.example", "FROM", "a@b.example", true},
      {"FROM:<a@b.example>", "FROM", "a@b.example", true},
      {" TO:<@relay.example,@r2.example:user@trap.example>", "TO", "user@trap.example", true},
      {" TO:<\"odd>name\"@trap.example>", "TO", "\"odd>name\"@trap.example", false},
  };
  for (const auto& c : cases) {
    auto got = parse_path(c.args, c.keyword);
    ASSERT_TRUE(got) << c.args << ": " << got.error();
    EXPECT_EQ(got->address, c.want) << c.args;
    EXPECT_EQ(got->sloppy, c.sloppy) << c.args;
  }
}

TEST(ParsePath, Parameters) {
  auto got = parse_path(" FROM:<a@b> size=1234 BODY=8BITMIME SMTPUTF8", "FROM");
  ASSERT_TRUE(got);
  ASSERT_EQ(got->params.size(), 3u);
  EXPECT_EQ(got->params[0], (std::pair<std::string, std::string>{"SIZE", "1234"}));
  EXPECT_EQ(got->params[1], (std::pair<std::string, std::string>{"BODY", "8BITMIME"}));
  EXPECT_EQ(got->params[2], (std::pair<std::string, std::string>{"SMTPUTF8", ""}));
}

TEST(ParsePath, Errors) {
  for (const char* bad : {"", " TO:<a@b>", " FROM", " FROM:", " FROM:<a@b", " FROM:<@relay>",
                          " FROM:<a\x01@b>", " FROM:<a@b> =x"}) {
    EXPECT_FALSE(parse_path(bad, "FROM")) << bad;
  }
}

TEST(Split, LastAtOutsideQuotesAndLowerCaseDomain) {
  auto s = split("\"a@b\"@Trap.Example.");
  EXPECT_EQ(s.local, "\"a@b\"");
  EXPECT_EQ(s.domain, "trap.example");
  EXPECT_EQ(split("postmaster").domain, "");
}

}  // namespace
}  // namespace spampot::smtp
