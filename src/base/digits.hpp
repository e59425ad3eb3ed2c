// Decimal digits in peer or file text, checked before they are converted.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace spampot {

inline bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// The value of a string that all_digits() accepted and that fits an int (callers bound the length).
inline int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// A whole number written in decimal and nothing else ("12abc", "-1", "" are none).
inline std::optional<std::uint64_t> parse_count(std::string_view s) {
  std::uint64_t v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace spampot
