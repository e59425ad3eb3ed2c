#include "message/charset.hpp"

#include <gmime/gmime.h>
#include <iconv.h>

#include <cerrno>
#include <mutex>
#include <unordered_map>

#include "base/ascii.hpp"
#include "base/utf8.hpp"

namespace spampot::message {
namespace {

// iconv descriptors by charset, opened once per thread: glibc's iconv_open looks its converter
// up and dlopen()s the module on every call (6% of parsing the corpus went there). Charset
// names come from messages: only names iconv knows are kept, and at most 64 of them.
class converters {
 public:
  converters() = default;
  converters(const converters&) = delete;
  converters& operator=(const converters&) = delete;
  ~converters() { clear(); }

  iconv_t to_utf8_from(const char* charset) {
    if (const auto it = open_.find(charset); it != open_.end()) return it->second;
    const iconv_t cd = ::iconv_open("UTF-8", charset);
    if (cd == reinterpret_cast<iconv_t>(-1)) return cd;
    if (open_.size() >= 64) clear();
    open_.emplace(charset, cd);
    return cd;
  }

 private:
  void clear() {
    for (auto& [name, cd] : open_) ::iconv_close(cd);
    open_.clear();
  }
  std::unordered_map<std::string, iconv_t> open_;
};

// This thread's converter to UTF-8, in its initial shift state; (iconv_t)-1 when iconv knows
// no such charset.
iconv_t to_utf8_from(const char* charset) {
  thread_local converters open;
  const iconv_t cd = open.to_utf8_from(charset);
  if (cd != reinterpret_cast<iconv_t>(-1)) ::iconv(cd, nullptr, nullptr, nullptr, nullptr);
  return cd;
}

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

// ISO-2022-JP as mail readers decode it (Microsoft's CP50220/CP50221): JIS X 0208 with NEC's
// row 13 and the IBM extensions, JIS X 0201 katakana, in 7 bits between escape sequences. The
// two-byte codes are turned into Shift_JIS arithmetic and read as CP932, which holds those
// extensions at the same places; an escape sequence never reaches the text. `ok` is false when a
// byte was not what the encoding allows (it becomes U+FFFD).
std::string from_iso2022jp(std::string_view in, bool& ok) {
  enum class set { ascii, jis0208, katakana } g = set::ascii;
  std::string sjis;
  ok = true;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const auto c = static_cast<unsigned char>(in[i]);
    if (c == 0x1b) {
      const std::string_view esc = in.substr(i + 1, 3);
      if (esc.starts_with("$B") || esc.starts_with("$@") || esc.starts_with("$(B") || esc.starts_with("$(Q")) {
        g = set::jis0208;
        i += esc.starts_with("$(") ? 3 : 2;
      } else if (esc.starts_with("(B") || esc.starts_with("(J")) {
        g = set::ascii;
        i += 2;
      } else if (esc.starts_with("(I")) {
        g = set::katakana;
        i += 2;
      } else {
        ok = false;
        sjis += '\x1a';  // marks a U+FFFD below
      }
      continue;
    }
    if (c == 0x0e) {  // SO: katakana (CP50222)
      g = set::katakana;
      continue;
    }
    if (c == 0x0f) {
      g = set::ascii;
      continue;
    }
    if (c < 0x21 || c == 0x7f || g == set::ascii || c >= 0x80) {
      if (c >= 0x80) {
        ok = false;
        sjis += '\x1a';
      } else {
        sjis += static_cast<char>(c);
      }
      if (c == '\n') g = set::ascii;
      continue;
    }
    if (g == set::katakana) {
      sjis += static_cast<char>(c + 0x80);
      continue;
    }
    if (i + 1 >= in.size() || static_cast<unsigned char>(in[i + 1]) < 0x21 ||
        static_cast<unsigned char>(in[i + 1]) > 0x7e) {
      ok = false;
      sjis += '\x1a';
      continue;
    }
    const unsigned j1 = c, j2 = static_cast<unsigned char>(in[++i]);
    unsigned s1 = (j1 + 1) / 2 + (j1 <= 0x5e ? 0x70 : 0xb0);
    unsigned s2 = j2 + (j1 % 2 ? (j2 <= 0x5f ? 0x1f : 0x20) : 0x7e);
    sjis += static_cast<char>(s1);
    sjis += static_cast<char>(s2);
  }
  std::string out = convert_replacing(sjis, "CP932", ok);
  // The markers of bad bytes, as replacement characters.
  for (std::size_t at; (at = out.find('\x1a')) != std::string::npos;) out.replace(at, 1, "\xEF\xBF\xBD");
  return out;
}

// Names of UTF-8 and of its ASCII subset, and none at all (lower case).
bool is_utf8_name(std::string_view name) {
  return name.empty() || name == "utf-8" || name == "utf8" || name == "us-ascii" || name == "ascii";
}

// The superset mail readers decode a legacy charset as: what spamware labels GB2312 is GBK or
// GB18030, Shift_JIS is Microsoft's CP932, EUC-KR is CP949 (Unified Hangul Code).
std::string superset(const std::string& name) {
  static const std::pair<std::string_view, std::string_view> kSupersets[] = {
      {"gb2312", "GB18030"},    {"gbk", "GB18030"},      {"cp936", "GB18030"},     {"x-gbk", "GB18030"},
      {"euc-cn", "GB18030"},    {"csgb2312", "GB18030"}, {"gb_2312-80", "GB18030"}, {"gb18030", "GB18030"},
      {"shift_jis", "CP932"},   {"shift-jis", "CP932"},  {"sjis", "CP932"},         {"x-sjis", "CP932"},
      {"ms_kanji", "CP932"},    {"csshiftjis", "CP932"}, {"windows-31j", "CP932"},  {"cp932", "CP932"},
      {"euc-kr", "CP949"},      {"ks_c_5601-1987", "CP949"}, {"ks_c_5601", "CP949"}, {"ksc5601", "CP949"},
      {"cseuckr", "CP949"},     {"cp949", "CP949"},      {"uhc", "CP949"},          {"windows-949", "CP949"},
  };
  for (const auto& [alias, to] : kSupersets)
    if (name == alias) return std::string(to);
  return "";
}

}  // namespace

std::string convert_replacing(std::string_view bytes, const char* from, bool& ok) {
  const iconv_t cd = to_utf8_from(from);
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    ok = false;
    return from_cp1252(bytes);
  }
  std::string out;
  std::string buf(4 * bytes.size() + 16, '\0');
  char* in = const_cast<char*>(bytes.data());  // iconv's signature; it does not write the input
  std::size_t in_left = bytes.size();
  while (in_left > 0) {
    char* o = buf.data();
    std::size_t o_left = buf.size();
    const std::size_t r = ::iconv(cd, &in, &in_left, &o, &o_left);
    out.append(buf.data(), buf.size() - o_left);
    if (r != static_cast<std::size_t>(-1)) break;
    if (errno == E2BIG) continue;
    // An invalid or truncated sequence: one U+FFFD for its first byte, then on.
    ok = false;
    out += "\xEF\xBF\xBD";
    ++in;
    --in_left;
  }
  return out;
}

std::string decode_charset(std::string_view bytes, std::string_view charset, bool& ok) {
  ok = true;
  const std::string name = ascii_lower(charset);
  if (name == "iso-2022-jp" || name == "csiso2022jp" || name == "iso-2022-jp-1" || name == "iso-2022-jp-ms" ||
      name == "cp50220" || name == "cp50221" || name == "cp50222")
    return from_iso2022jp(bytes, ok);
  if (is_utf8_name(name)) {
    if (is_utf8(bytes)) return std::string(bytes);
    ok = false;
    return to_valid_utf8(bytes);
  }
  init_gmime();
  std::string to = superset(name);
  return convert_replacing(bytes, to.empty() ? g_mime_charset_iconv_name(name.c_str()) : to.c_str(), ok);
}

std::string header_text_8bit(std::string_view bytes, std::string_view declared) {
  // An escape byte in a header is ISO-2022-JP's, or garbage: either way it never reaches the text.
  if (bytes.find('\x1b') != std::string_view::npos) {
    bool ok = true;
    return from_iso2022jp(bytes, ok);
  }
  if (is_utf8(bytes)) return std::string(bytes);
  if (!declared.empty()) {
    bool ok = true;
    std::string text = decode_charset(bytes, declared, ok);
    if (ok) return text;
  }
  return from_cp1252(bytes);
}

void init_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

std::string to_utf8(std::string_view bytes, std::string_view charset) {
  const std::string name = ascii_lower(charset);
  // Body text keeps iconv as the fallback, for the ISO-2022-JP-2 and -3 sets this reader lacks.
  if (name.starts_with("iso-2022-jp") || name.starts_with("cp5022")) {
    bool ok = true;
    std::string jp = from_iso2022jp(bytes, ok);
    if (ok) return jp;
  }
  if (is_utf8_name(name)) return is_utf8(bytes) ? std::string(bytes) : from_cp1252(bytes);
  init_gmime();
  // Text that is not valid in its declared charset is read as if it named none.
  bool ok = true;
  std::string converted = convert_replacing(bytes, g_mime_charset_iconv_name(name.c_str()), ok);
  if (!ok) return is_utf8(bytes) ? std::string(bytes) : from_cp1252(bytes);
  return converted;
}

}  // namespace spampot::message
