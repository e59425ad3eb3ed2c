// Numbers from the text the SQL primitives return (store::rows gives every column as text, in
// either dialect): NULL and the empty string read as 0.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string>

namespace spampot::store {

inline std::int64_t column_int(const std::string& s) {
  return s.empty() ? 0 : std::strtoll(s.c_str(), nullptr, 10);
}

inline std::uint64_t column_uint(const std::string& s) {
  return static_cast<std::uint64_t>(column_int(s));
}

}  // namespace spampot::store
