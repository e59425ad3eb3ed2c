#include "intel/terminal_text.hpp"

#include <unicode/uchar.h>

#include <cstdio>

#include "base/utf8.hpp"

namespace spampot::intel {
namespace {

// What a terminal acts on rather than shows.
bool control(char32_t c) {
  return c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
         c == 0x200e || c == 0x200f || c == 0x061c;
}

int width_of(char32_t c) {
  const auto cp = static_cast<UChar32>(c);
  const auto type = u_charType(cp);
  // Combining marks, format characters and Hangul medial vowels and final consonants join the
  // character before them.
  if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_FORMAT_CHAR ||
      (c >= 0x1160 && c <= 0x11ff))
    return 0;
  const auto eaw = u_getIntPropertyValue(cp, UCHAR_EAST_ASIAN_WIDTH);
  return eaw == U_EA_WIDE || eaw == U_EA_FULLWIDTH ? 2 : 1;
}

}  // namespace

std::string printable(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  char buf[16];
  for (std::size_t i = 0; i < raw.size();) {
    const auto [n, c] = next_utf8(raw.substr(i));
    if (n == 0) {
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(raw[i]));
      out += buf;
      ++i;
      continue;
    }
    if (c == '\\') {
      out += "\\\\";
    } else if (control(c)) {
      std::snprintf(buf, sizeof buf, c < 0x80 ? "\\x%02X" : "\\u{%04X}", static_cast<unsigned>(c));
      out += buf;
    } else {
      out.append(raw.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::size_t display_width(std::string_view utf8) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto [n, c] = next_utf8(utf8.substr(i));
    if (n == 0) {
      w += 4;  // as printable() would show it
      ++i;
      continue;
    }
    w += static_cast<std::size_t>(width_of(c));
    i += n;
  }
  return w;
}

std::string fit_columns(std::string_view utf8, std::size_t columns, bool pad) {
  std::size_t w = display_width(utf8);
  std::string out;
  if (w <= columns) {
    out = utf8;
  } else {
    // Leave one column for the "~".
    w = 0;
    std::size_t i = 0;
    while (i < utf8.size()) {
      const std::size_t n = std::max<std::size_t>(1, utf8_char_length(utf8.substr(i)));
      const std::size_t cw = display_width(utf8.substr(i, n));
      if (w + cw + 1 > columns) break;
      w += cw;
      i += n;
    }
    // Zero-width characters after the last kept one belong to it.
    while (i < utf8.size()) {
      const std::size_t n = utf8_char_length(utf8.substr(i));
      if (n == 0 || display_width(utf8.substr(i, n)) != 0) break;
      i += n;
    }
    out = std::string(utf8.substr(0, i)) + "~";
    ++w;
  }
  if (pad && w < columns) out.append(columns - w, ' ');
  return out;
}

}  // namespace spampot::intel
