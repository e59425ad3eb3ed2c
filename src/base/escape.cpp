#include "base/escape.hpp"

namespace spampot {

std::string escape_bytes(std::string_view raw) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(raw.size());
  for (unsigned char c : raw) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string escape_for_log(std::string_view raw, std::size_t max) {
  if (raw.size() <= max) return escape_bytes(raw);
  return escape_bytes(raw.substr(0, max)) + "...";
}

}  // namespace spampot
