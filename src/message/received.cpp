#include "message/received.hpp"

#include <array>

#include "base/ascii.hpp"
#include "base/ip_address.hpp"

namespace spampot::message {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

struct token {
  std::string_view text;
  bool comment = false;  // text is inside the parentheses
};

// Words and (nested) comments of the part before the date.
std::vector<token> tokens_of(std::string_view s) {
  std::vector<token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (is_space(s[i])) {
      ++i;
    } else if (s[i] == '(') {
      const std::size_t start = ++i;
      int depth = 1;
      while (i < s.size() && depth > 0) {
        if (s[i] == '\\') ++i;
        else if (s[i] == '(') ++depth;
        else if (s[i] == ')') --depth;
        ++i;
      }
      const std::size_t end = depth == 0 ? i - 1 : s.size();
      out.push_back({s.substr(start, end - start), true});
    } else {
      const std::size_t start = i;
      while (i < s.size() && !is_space(s[i]) && s[i] != '(') ++i;
      out.push_back({s.substr(start, i - start), false});
    }
  }
  return out;
}

// The last ';' outside comments: what follows is the date.
std::size_t date_separator(std::string_view s) {
  std::size_t found = std::string_view::npos;
  int depth = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\') ++i;
    else if (s[i] == '(') ++depth;
    else if (s[i] == ')' && depth > 0) --depth;
    else if (s[i] == ';' && depth == 0) found = i;
  }
  return found;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// "[192.0.2.1]", "[IPv6:2001:db8::1]", "192.0.2.1" -> canonical text; "" when not an address.
std::string ip_of(std::string_view word) {
  while (!word.empty() && (word.front() == '[' || word.front() == '(')) word.remove_prefix(1);
  while (!word.empty() && (word.back() == ']' || word.back() == ')' || word.back() == ',' ||
                           word.back() == ';'))
    word.remove_suffix(1);
  if (word.size() > 5 && ascii_lower(word.substr(0, 5)) == "ipv6:") word.remove_prefix(5);
  // A bare number or name parses as nothing here; a dotted quad or an IPv6 text parses.
  if (word.find_first_of(".:") == std::string_view::npos) return "";
  const auto a = ip_address::parse(word);
  return a ? a->to_string() : "";
}

// The address in a comment after "from": a bracketed literal first, then any word that is one.
std::string ip_in_comment(std::string_view c) {
  if (const auto open = c.find('['); open != std::string_view::npos) {
    const auto close = c.find(']', open);
    if (close != std::string_view::npos) {
      if (auto ip = ip_of(c.substr(open + 1, close - open - 1)); !ip.empty()) return ip;
    }
  }
  std::size_t i = 0;
  while (i < c.size()) {
    while (i < c.size() && (is_space(c[i]) || c[i] == '=' || c[i] == ',')) ++i;
    const std::size_t start = i;
    while (i < c.size() && !is_space(c[i]) && c[i] != '=' && c[i] != ',') ++i;
    if (auto ip = ip_of(c.substr(start, i - start)); !ip.empty()) return ip;
  }
  return "";
}

// "HELO name", "EHLO name" or "helo=name" in a comment.
std::string helo_in_comment(std::string_view c) {
  const std::string lower = ascii_lower(c);
  for (std::string_view key : {"helo=", "helo ", "ehlo=", "ehlo "}) {
    const auto at = lower.find(key);
    if (at == std::string::npos) continue;
    std::size_t i = at + key.size();
    while (i < c.size() && is_space(c[i])) ++i;
    const std::size_t start = i;
    while (i < c.size() && !is_space(c[i]) && c[i] != ')') ++i;
    if (i > start) return std::string(c.substr(start, i - start));
  }
  return "";
}

std::string bare(std::string_view word) {
  while (!word.empty() && (word.back() == ';' || word.back() == ',')) word.remove_suffix(1);
  return std::string(word);
}

}  // namespace

received_text parse_received(std::string_view value) {
  received_text out;
  out.hop.raw = std::string(trim(value));
  std::string_view route = value;
  if (const auto semi = date_separator(value); semi != std::string_view::npos) {
    out.date = std::string(trim(value.substr(semi + 1)));
    route = value.substr(0, semi);
  }
  enum class key { none, from, by, via, with, id, for_ } current = key::none;
  bool want_value = false;
  bool from_is_literal = false;
  std::string helo;
  for (const auto& t : tokens_of(route)) {
    if (!t.comment) {
      const std::string w = ascii_lower(t.text);
      static constexpr std::array<std::pair<std::string_view, key>, 6> kKeys{
          {{"from", key::from}, {"by", key::by}, {"via", key::via}, {"with", key::with},
           {"id", key::id}, {"for", key::for_}}};
      bool is_key = false;
      for (const auto& [name, k] : kKeys) {
        if (w == name) {
          current = k;
          want_value = true;
          is_key = true;
        }
      }
      if (is_key) continue;
      if (!want_value) continue;
      want_value = false;
      switch (current) {
        case key::from:
          if (auto ip = ip_of(t.text); !ip.empty()) {
            out.hop.from_ip = ip;
            from_is_literal = true;
          } else {
            out.hop.from_name = bare(t.text);
          }
          break;
        case key::by: out.hop.by_name = bare(t.text); break;
        case key::with: out.hop.protocol = bare(t.text); break;
        case key::id: out.hop.id = bare(t.text); break;
        default: break;
      }
      continue;
    }
    if (current != key::from) continue;
    if (out.hop.from_ip.empty()) out.hop.from_ip = ip_in_comment(t.text);
    if (helo.empty()) helo = helo_in_comment(t.text);
  }
  // Exim's "from [192.0.2.1] (helo=name)" and qmail's "from unknown (HELO name)": the name the
  // sender gave is in the comment.
  if (!helo.empty() && (from_is_literal || iequals(out.hop.from_name, "unknown")))
    out.hop.from_name = helo;
  return out;
}

bool is_public_ip(std::string_view text) {
  const auto a = ip_address::parse(text);
  if (!a) return false;
  static const char* const kSpecial[] = {
      "0.0.0.0/8",      "10.0.0.0/8",      "100.64.0.0/10",  "127.0.0.0/8",   "169.254.0.0/16",
      "172.16.0.0/12",  "192.0.0.0/24",    "192.0.2.0/24",   "192.88.99.0/24", "192.168.0.0/16",
      "198.18.0.0/15",  "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/3",   "::/128",
      "::1/128",        "64:ff9b:1::/48",  "100::/64",       "2001::/23",     "2001:db8::/32",
      "fc00::/7",       "fe80::/10",       "ff00::/8"};
  static const std::vector<cidr> special = [] {
    std::vector<cidr> v;
    for (const char* s : kSpecial) v.push_back(*cidr::parse(s));
    return v;
  }();
  for (const auto& c : special)
    if (c.contains(*a)) return false;
  return true;
}

std::string first_external_ip(const std::vector<received_hop>& hops_latest_first) {
  for (auto it = hops_latest_first.rbegin(); it != hops_latest_first.rend(); ++it)
    if (is_public_ip(it->from_ip)) return it->from_ip;
  return "";
}

}  // namespace spampot::message
