// Decimal digits in peer or file text, checked before they are converted.
#pragma once

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

}  // namespace spampot
