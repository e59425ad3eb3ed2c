#include "message/urls.hpp"

#include <idn2.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "base/ascii.hpp"
#include "base/digits.hpp"
#include "base/ip_address.hpp"
#include "base/limits.hpp"
#include "base/registrable_domain.hpp"

namespace spampot::message {
namespace {

bool ends_url(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u <= ' ' || c == '<' || c == '>' || c == '"' || c == '\'' || c == '`' || u == 0x7f;
}

// The few entities that turn up inside attribute values: &amp; and numeric references.
std::string decode_entities(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    const auto semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out += s[i];
      continue;
    }
    const std::string name = ascii_lower(s.substr(i + 1, semi - i - 1));
    long code = -1;
    if (name == "amp") code = '&';
    else if (name == "quot") code = '"';
    else if (name == "apos") code = '\'';
    else if (name == "lt") code = '<';
    else if (name == "gt") code = '>';
    else if (name.size() > 1 && name[0] == '#') {
      char* end = nullptr;
      code = name[1] == 'x' ? std::strtol(name.c_str() + 2, &end, 16)
                            : std::strtol(name.c_str() + 1, &end, 10);
      if (!end || *end != '\0') code = -1;
    }
    // Only ASCII references are turned back: a URL's non-ASCII text is its host's business.
    if (code <= 0 || code > 0x7e) {
      out += s[i];
      continue;
    }
    out += static_cast<char>(code);
    i = semi;
  }
  return out;
}

void add(std::vector<url>& out, url u) {
  if (u.text.empty() || out.size() >= kUrlsPerMessage) return;
  const bool seen =
      std::any_of(out.begin(), out.end(), [&](const url& x) { return x.text == u.text; });
  if (!seen) out.push_back(std::move(u));
}

// Written-out URLs: http://, https://, ftp:// and www. at a word start.
void scan_text(std::string_view text, std::vector<url>& out) {
  std::size_t i = 0;
  while (i < text.size() && out.size() < kUrlsPerMessage) {
    const char c = text[i];
    const bool candidate = c == 'h' || c == 'H' || c == 'f' || c == 'F' || c == 'w' || c == 'W';
    if (!candidate || (i > 0 && (std::isalnum(static_cast<unsigned char>(text[i - 1])) != 0))) {
      ++i;
      continue;
    }
    std::string prefix;
    if (iequals_at(text, i, "http://") || iequals_at(text, i, "https://") ||
        iequals_at(text, i, "ftp://")) {
    } else if (iequals_at(text, i, "www.")) {
      prefix = "http://";
    } else {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && !ends_url(text[end])) ++end;
    std::string_view found = text.substr(i, end - i);
    // Sentence punctuation after a URL is not part of it; a ')' is when the URL opened one.
    while (!found.empty()) {
      const char last = found.back();
      if (last == ')' && std::count(found.begin(), found.end(), '(') >=
                             std::count(found.begin(), found.end(), ')'))
        break;
      if (std::string_view(".,;:!?)]}*").find(last) == std::string_view::npos) break;
      found.remove_suffix(1);
    }
    add(out, normalise_url(prefix + std::string(found), "text"));
    i = end;
  }
}

// href= and src= values in tags.
void scan_attributes(std::string_view html, std::vector<url>& out) {
  std::size_t i = 0;
  while ((i = html.find('=', i)) != std::string_view::npos && out.size() < kUrlsPerMessage) {
    std::size_t name_end = i;
    while (name_end > 0 && (html[name_end - 1] == ' ' || html[name_end - 1] == '\t')) --name_end;
    std::string_view source;
    if (name_end >= 4 && iequals_at(html, name_end - 4, "href")) source = "href";
    else if (name_end >= 3 && iequals_at(html, name_end - 3, "src")) source = "src";
    ++i;
    if (source.empty()) continue;
    const std::size_t before = name_end - source.size();
    if (before > 0 && std::isalnum(static_cast<unsigned char>(html[before - 1])) != 0) continue;
    while (i < html.size() && (html[i] == ' ' || html[i] == '\t' || html[i] == '\n' || html[i] == '\r')) ++i;
    if (i >= html.size()) break;
    std::size_t end;
    std::size_t start = i;
    if (html[i] == '"' || html[i] == '\'') {
      start = i + 1;
      end = html.find(html[i], start);
      if (end == std::string_view::npos) end = html.size();
    } else {
      end = i;
      while (end < html.size() && !ends_url(html[end])) ++end;
    }
    std::string value = decode_entities(html.substr(start, std::min(end - start, kUrlBytes)));
    const auto b = value.find_first_not_of(" \t\r\n");
    value = b == std::string::npos ? "" : value.substr(b);
    while (!value.empty() && std::string_view(" \t\r\n").find(value.back()) != std::string_view::npos)
      value.pop_back();
    add(out, normalise_url(value, source));
    i = end;
  }
}

// "%62ank" as a browser reads it: "bank". An escape that is not two hex digits stays as written.
std::string percent_decoded(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// One part of a numeric host as the WHATWG URL standard's IPv4 number parser reads it: 0x for
// hex, a leading 0 for octal, else decimal. nullopt: not a number.
std::optional<std::uint64_t> ipv4_number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int base = 10;
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  } else if (s.size() >= 2 && s[0] == '0') {
    base = 8;
    s.remove_prefix(1);
  }
  if (s.empty()) return 0;  // "0x" is zero
  std::uint64_t v = 0;
  for (char c : s) {
    const int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                  : std::isxdigit(static_cast<unsigned char>(c)) ? std::tolower(c) - 'a' + 10
                                                                : 99;
    if (d >= base) return std::nullopt;
    v = v * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
    if (v > 0xffffffffULL) return 0x100000000ULL;  // past any address: refused below
  }
  return v;
}

// A host whose last label is a number is an IPv4 address, however it is written ("2742879943",
// "0xA3.0x7B.1.2", "0243.123.1.2", "163.123.258"), as browsers read it; nullopt when it is not
// such a host. `valid` is false when it ends in a number but is no address (a browser refuses it).
std::optional<std::string> numeric_host(std::string_view host, bool& valid) {
  valid = true;
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto dot = host.find('.', start);
    parts.push_back(host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (parts.size() > 1 && parts.back().empty()) parts.pop_back();
  const std::string_view last = parts.back();
  const bool ends_in_number = all_digits(last) || ipv4_number(last).has_value();
  if (!ends_in_number) return std::nullopt;
  if (parts.size() > 4) {
    valid = false;
    return std::nullopt;
  }
  std::vector<std::uint64_t> n;
  for (auto p : parts) {
    auto v = ipv4_number(p);
    if (!v) {
      valid = false;
      return std::nullopt;
    }
    n.push_back(*v);
  }
  for (std::size_t i = 0; i + 1 < n.size(); ++i)
    if (n[i] > 255) {
      valid = false;
      return std::nullopt;
    }
  if (n.back() >= (1ULL << (8 * (5 - n.size())))) {
    valid = false;
    return std::nullopt;
  }
  std::uint64_t v = n.back();
  for (std::size_t i = 0; i + 1 < n.size(); ++i) v += n[i] << (8 * (3 - i));
  return std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 255) + "." + std::to_string((v >> 8) & 255) +
         "." + std::to_string(v & 255);
}

}  // namespace

url normalise_url(std::string_view text, std::string_view source) {
  url u;
  if (text.size() > kUrlBytes) text = text.substr(0, kUrlBytes);
  const auto colon = text.find("://");
  if (colon == std::string_view::npos) return u;
  const std::string scheme = ascii_lower(text.substr(0, colon));
  if (scheme != "http" && scheme != "https" && scheme != "ftp") return u;
  std::string_view rest = text.substr(colon + 3);
  const auto authority_end = rest.find_first_of("/?#\\");
  std::string_view authority = rest.substr(0, authority_end);
  const std::string_view tail =
      authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  // "http://bank.example@evil.example/": the host is after the last '@', a phisher's old trick.
  std::string userinfo;
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    userinfo = std::string(authority.substr(0, at + 1));
    authority.remove_prefix(at + 1);
  }
  std::string_view host = authority;
  std::string port;
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos) return u;
    port = std::string(host.substr(close + 1));
    host = host.substr(1, close - 1);
    const auto ip = ip_address::parse(host);
    if (!ip) return u;
    u.host = ip->to_string();
    u.text = scheme + "://" + userinfo + "[" + u.host + "]" + port + std::string(tail);
    u.domain = u.host;
    u.source = std::string(source);
    return u;
  }
  if (const auto c = host.rfind(':'); c != std::string_view::npos) {
    port = std::string(host.substr(c));
    host = host.substr(0, c);
  }
  while (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (host.empty()) return u;
  // As a browser reads the host: percent escapes decoded, then a number is an IPv4 address. The
  // URL keeps the host as written; host and domain are what it names.
  const std::string written = ascii_lower(host);
  std::string lower = ascii_lower(percent_decoded(host));
  bool valid = true;
  if (auto v4 = numeric_host(lower, valid)) {
    u.host = *v4;
    u.domain = u.host;
    u.text = scheme + "://" + userinfo + written + port + std::string(tail);
    u.source = std::string(source);
    return u;
  }
  if (!valid) return u;
  const bool ascii = std::all_of(lower.begin(), lower.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (!ascii) {
    char* out = nullptr;
    if (idn2_to_ascii_8z(lower.c_str(), &out, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT) == IDN2_OK) {
      lower = out;
    }
    idn2_free(out);
  }
  const bool name_like = std::all_of(lower.begin(), lower.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
  });
  if (!name_like) return u;
  if (const auto ip = ip_address::parse(lower); ip) lower = ip->to_string();
  u.host = lower;
  u.domain = registrable_domain(lower);
  u.text = scheme + "://" + userinfo + (written.find('%') == std::string::npos ? lower : written) + port +
           std::string(tail);
  u.source = std::string(source);
  return u;
}

void extract_urls(std::string_view text, std::vector<url>& out) { scan_text(text, out); }

void extract_html_urls(std::string_view html, std::string_view visible, std::vector<url>& out) {
  scan_attributes(html, out);
  // URLs written out in what the page shows (an href's own text is found above).
  scan_text(decode_entities(visible), out);
}

}  // namespace spampot::message
