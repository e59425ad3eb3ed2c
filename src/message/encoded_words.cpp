#include "message/encoded_words.hpp"

#include <optional>

#include "base/ascii.hpp"
#include "base/base64.hpp"
#include "message/charset.hpp"

namespace spampot::message {
namespace {

struct encoded_word {
  std::string charset;
  std::string bytes;
  std::size_t length = 0;  // of the word in the raw text
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string q_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '_') {
      out += ' ';
    } else if (text[i] == '=' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// "=?charset?B?text?=" (an RFC 2231 "*language" after the charset is dropped) at `s`'s start.
std::optional<encoded_word> read_word(std::string_view s) {
  if (!s.starts_with("=?")) return std::nullopt;
  const auto q1 = s.find('?', 2);
  if (q1 == std::string_view::npos || q1 + 3 >= s.size() || s[q1 + 2] != '?') return std::nullopt;
  const auto end = s.find("?=", q1 + 3);
  if (end == std::string_view::npos) return std::nullopt;
  const std::string_view text = s.substr(q1 + 3, end - q1 - 3);
  if (text.find_first_of(" \t") != std::string_view::npos) return std::nullopt;
  encoded_word w;
  w.charset = std::string(s.substr(2, q1 - 2));
  if (const auto star = w.charset.find('*'); star != std::string::npos) w.charset.resize(star);
  w.length = end + 2;
  const char encoding = s[q1 + 1];
  if (encoding == 'B' || encoding == 'b') {
    auto d = base64_decode(text);
    if (!d) return std::nullopt;
    w.bytes = std::move(*d);
  } else if (encoding == 'Q' || encoding == 'q') {
    w.bytes = q_decode(text);
  } else {
    return std::nullopt;
  }
  return w;
}

}  // namespace

std::string decode_header_text(std::string_view raw, std::string_view declared) {
  std::string out;
  std::string pending, pending_charset;  // bytes of adjacent words of one charset
  std::string plain;                     // undecoded text since the last word
  const auto flush_words = [&] {
    bool ok = true;
    if (!pending.empty()) out += decode_charset(pending, pending_charset, ok);
    pending.clear();
  };
  std::size_t i = 0;
  while (i < raw.size()) {
    if (raw[i] == '=' && i + 1 < raw.size() && raw[i + 1] == '?') {
      if (auto w = read_word(raw.substr(i))) {
        // White space between two encoded words is not text (RFC 2047 §6.2).
        const bool only_space = plain.find_first_not_of(" \t\r\n") == std::string::npos;
        if (!(only_space && !pending.empty())) {
          flush_words();
          out += header_text_8bit(plain, declared);
        } else if (ascii_lower(w->charset) != ascii_lower(pending_charset)) {
          flush_words();
        }
        plain.clear();
        pending_charset = w->charset;
        pending += w->bytes;
        i += w->length;
        continue;
      }
    }
    plain += raw[i++];
  }
  flush_words();
  out += header_text_8bit(plain, declared);
  return out;
}

}  // namespace spampot::message
