// Whether bytes are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, at most
// U+10FFFF). Peer text often is not; JSON can only carry text that is.
#pragma once

#include <string>
#include <string_view>

namespace spampot {

// The well-formed UTF-8 character at the start of `s`: its length in bytes (0 when it is not
// one) and its code point.
struct utf8_char {
  std::size_t length = 0;
  char32_t code_point = 0;
};

inline utf8_char next_utf8(std::string_view s) {
  if (s.empty()) return {};
  const auto c = static_cast<unsigned char>(s[0]);
  if (c < 0x80) return {1, c};
  std::size_t n = 0;
  unsigned min = 0, cp = 0;
  if ((c & 0xe0) == 0xc0) {
    n = 1, min = 0x80, cp = c & 0x1f;
  } else if ((c & 0xf0) == 0xe0) {
    n = 2, min = 0x800, cp = c & 0x0f;
  } else if ((c & 0xf8) == 0xf0) {
    n = 3, min = 0x10000, cp = c & 0x07;
  } else {
    return {};
  }
  if (s.size() <= n) return {};
  for (std::size_t k = 1; k <= n; ++k) {
    const auto d = static_cast<unsigned char>(s[k]);
    if ((d & 0xc0) != 0x80) return {};
    cp = (cp << 6) | (d & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return {};
  return {n + 1, cp};
}

// The length of the well-formed UTF-8 character at the start of `s`, or 0 when it is not one.
inline std::size_t utf8_char_length(std::string_view s) { return next_utf8(s).length; }

// `s` as well-formed UTF-8: each maximal ill-formed subpart becomes one U+FFFD (Unicode's
// recommended practice, as Python's "replace", browsers and ICU do), and so does NUL (C strings,
// map files and terminals all stop at it). Valid text comes back unchanged.
inline std::string to_valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    if (const std::size_t n = utf8_char_length(s.substr(i)); n > 0 && s[i] != '\0') {
      out.append(s.substr(i, n));
      i += n;
      continue;
    }
    // How far the bytes at `i` still could have begun a character: that much is one U+FFFD.
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t need = 0;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c == 0xe0) lo = 0xa0;
      if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c == 0xf0) lo = 0x90;
      if (c == 0xf4) hi = 0x8f;
    }
    std::size_t used = 1;
    for (std::size_t k = 0; k < need && i + used < s.size(); ++k) {
      const auto d = static_cast<unsigned char>(s[i + used]);
      if (d < (k == 0 ? lo : 0x80) || d > (k == 0 ? hi : 0xbf)) break;
      ++used;
    }
    out += "\xEF\xBF\xBD";
    i += used;
  }
  return out;
}

// The longest prefix of UTF-8 text `s` that is at most `max` bytes and ends on a character
// boundary.
inline std::string_view utf8_prefix(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xc0) == 0x80) --end;
  return s.substr(0, end);
}

inline bool is_utf8(std::string_view s) {
  for (std::size_t i = 0, n; i < s.size(); i += n)
    if ((n = utf8_char_length(s.substr(i))) == 0) return false;
  return true;
}

}  // namespace spampot
