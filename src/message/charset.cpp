#include "message/charset.hpp"

#include <gmime/gmime.h>

#include <mutex>

#include "base/ascii.hpp"
#include "base/utf8.hpp"

namespace spampot::message {
namespace {

// Windows-1252 is a superset of Latin-1's printable range: what a client assumes of 8-bit text
// that names no charset.
std::string from_cp1252(std::string_view bytes) {
  static constexpr char16_t kHigh[32] = {
      0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
  std::string out;
  out.reserve(bytes.size());
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    const char32_t cp = c < 0x80 ? c : (c < 0xA0 ? kHigh[c - 0x80] : c);
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

}  // namespace

void init_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

std::string to_utf8(std::string_view bytes, std::string_view charset) {
  const std::string name = ascii_lower(charset);
  const bool ascii_compatible = name.empty() || name == "utf-8" || name == "utf8" ||
                                name == "us-ascii" || name == "ascii";
  if (ascii_compatible) return is_utf8(bytes) ? std::string(bytes) : from_cp1252(bytes);
  init_gmime();
  const char* iconv_name = g_mime_charset_iconv_name(name.c_str());
  gsize written = 0;
  gchar* converted = g_convert(bytes.data(), static_cast<gssize>(bytes.size()), "UTF-8",
                               iconv_name, nullptr, &written, nullptr);
  if (!converted) return is_utf8(bytes) ? std::string(bytes) : from_cp1252(bytes);
  std::string out(converted, written);
  g_free(converted);
  return out;
}

}  // namespace spampot::message
