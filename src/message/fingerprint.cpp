#include "message/fingerprint.hpp"

#include <fuzzy.h>

#include <charconv>

#include "base/ascii.hpp"
#include "base/digest.hpp"

namespace spampot::message {
std::string html_text(std::string_view html) {
  std::string out;
  out.reserve(html.size() / 2);
  std::size_t i = 0;
  while (i < html.size()) {
    if (html[i] != '<') {
      out += html[i++];
      continue;
    }
    if (iequals_at(html, i, "<!--")) {
      const auto end = html.find("-->", i + 4);
      i = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    // The content of script and style elements is never text a reader sees.
    for (std::string_view element : {"script", "style"}) {
      if (iequals_at(html, i + 1, element)) {
        std::size_t j = i;
        std::string close = "</" + std::string(element);
        while (j < html.size() && !iequals_at(html, j, close)) ++j;
        i = j;
        break;
      }
    }
    const auto end = html.find('>', i);
    i = end == std::string_view::npos ? html.size() : end + 1;
    out += ' ';  // a tag separates words
  }
  return out;
}

std::string normalise_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v' || u == 0xa0) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    else if (c >= '0' && c <= '9') c = '#';
    out += c;
  }
  return out;
}

fingerprint fingerprint_of(std::string_view normalised_text, bool fuzzy) {
  fingerprint f;
  if (normalised_text.empty()) return f;
  f.sha256 = sha256_hex(normalised_text);
  if (!fuzzy) return f;
  char result[FUZZY_MAX_RESULT];
  if (fuzzy_hash_buf(reinterpret_cast<const unsigned char*>(normalised_text.data()),
                     static_cast<std::uint32_t>(normalised_text.size()), result) == 0)
    f.fuzzy = result;
  return f;
}

int fuzzy_score(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return 0;
  const int s = fuzzy_compare(a.c_str(), b.c_str());
  return s < 0 ? 0 : s;
}

unsigned long fuzzy_block_size(std::string_view hash) {
  unsigned long n = 0;
  const auto [end, ec] = std::from_chars(hash.data(), hash.data() + hash.size(), n);
  if (ec != std::errc{} || end == hash.data() + hash.size() || *end != ':') return 0;
  return n;
}

}  // namespace spampot::message
