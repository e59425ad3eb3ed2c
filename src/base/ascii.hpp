// ASCII-only text helpers: mail names (domains, addresses, HELO) fold case in ASCII alone, and
// peer bytes beyond it are kept as sent; digests print as lower-case hex.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace spampot {

inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

// ASCII case-insensitive equality: SMTP verbs and keywords, header field names.
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Whether `s` holds `lower` (lower-case ASCII) at `at`, ignoring ASCII case: tag and scheme
// names in peer text.
inline bool iequals_at(std::string_view s, std::size_t at, std::string_view lower) {
  if (at > s.size() || s.size() - at < lower.size()) return false;
  for (std::size_t i = 0; i < lower.size(); ++i) {
    char c = s[at + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

inline std::string hex_lower(const unsigned char* bytes, std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 15];
  }
  return out;
}

}  // namespace spampot
