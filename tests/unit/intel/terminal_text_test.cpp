#include "intel/terminal_text.hpp"

#include <gtest/gtest.h>

namespace spampot::intel {
namespace {

TEST(TerminalText, EveryScriptIsShownAsItIsAndOnlyWhatATerminalWouldObeyIsEscaped) {
  struct {
    std::string_view got, want;
  } cases[] = {
      {"Gr\u00fc\u00dfe, \u00fcn\u00efc\u00f6d\u00e9", "Gr\u00fc\u00dfe, \u00fcn\u00efc\u00f6d\u00e9"},
      {"j\u00fcrgen@b\u00fclk.example", "j\u00fcrgen@b\u00fclk.example"},
      {"\u4f60\u597d \u3053\u3093\u306b\u3061\u306f \u043f\u0440\u0438\u0432\u0435\u0442 \U0001F600",
       "\u4f60\u597d \u3053\u3093\u306b\u3061\u306f \u043f\u0440\u0438\u0432\u0435\u0442 \U0001F600"},
      {"a\tb\r\n\x1b[31mred", "a\\x09b\\x0D\\x0A\\x1B[31mred"},  // no cursor moves, no colours
      {"caf\xe9 \xff", "caf\\xE9 \\xFF"},                             // not UTF-8: the bytes
      {"evil\u202egnp.exe", "evil\\u{202E}gnp.exe"},                  // a right-to-left override
      {"\u0085next", "\\u{0085}next"},                                // a C1 control
      {"back\\slash", "back\\\\slash"},
  };
  for (const auto& c : cases) EXPECT_EQ(printable(c.got), c.want) << c.got;
}

TEST(TerminalText, WidthsAreTheColumnsATerminalGivesEachCharacter) {
  EXPECT_EQ(display_width("abc"), 3u);
  EXPECT_EQ(display_width("\u4f60\u597d"), 4u);          // CJK: two each
  EXPECT_EQ(display_width("\uff21"), 2u);                // fullwidth A
  EXPECT_EQ(display_width("\U0001F600"), 2u);            // emoji
  EXPECT_EQ(display_width("e\u0301"), 1u);               // e and a combining acute
  EXPECT_EQ(display_width("\u043f\u0440\u0438"), 3u);    // Cyrillic
  EXPECT_EQ(display_width("\u1100\u1161\u11a8"), 2u);    // Hangul jamo: one syllable
  EXPECT_EQ(display_width("a\u200bb"), 2u);              // zero width space
}

TEST(TerminalText, CellsAreCutAtACharacterAndPaddedByColumns) {
  EXPECT_EQ(fit_columns("abc", 5, true), "abc  ");
  EXPECT_EQ(fit_columns("\u4f60\u597d", 5, true), "\u4f60\u597d ");
  EXPECT_EQ(fit_columns("\u4f60\u597d\u4e16\u754c", 5, true), "\u4f60\u597d~");      // 4 + 1
  EXPECT_EQ(fit_columns("\u4f60\u597d\u4e16\u754c", 6, true), "\u4f60\u597d~ ");     // a wide one does not fit in 1
  EXPECT_EQ(fit_columns("abcde\u0301fg", 7, false), "abcde\u0301fg");               // the mark takes no column
  EXPECT_EQ(fit_columns("abcde\u0301fg", 6, false), "abcde\u0301~");                // and stays with its letter
  EXPECT_EQ(fit_columns("abcdefgh", 4, false), "abc~");
  for (std::size_t w = 1; w < 12; ++w) {
    const std::string s = fit_columns("\U0001F600x\u4f60y\u0301z\u043f", w, true);
    EXPECT_EQ(display_width(s), w) << w;
  }
}

}  // namespace
}  // namespace spampot::intel
