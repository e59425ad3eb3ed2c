#include "smtp/address.hpp"

#include "base/ascii.hpp"

namespace spampot::smtp {
namespace {

char upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

void skip_spaces(std::string_view& s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
}

// Takes a bracketed path "<...>" from the front of `s`, honouring quoted local parts.
bool take_bracketed(std::string_view& s, std::string& out) {
  bool quoted = false;
  for (std::size_t i = 1; i < s.size(); ++i) {
    const char c = s[i];
    if (quoted && c == '\\' && i + 1 < s.size()) {
      ++i;
      continue;
    }
    if (c == '"') quoted = !quoted;
    if (!quoted && c == '>') {
      out.assign(s.substr(1, i - 1));
      s.remove_prefix(i + 1);
      return true;
    }
  }
  return false;
}

}  // namespace

Result<path_args> parse_path(std::string_view s, std::string_view keyword) {
  path_args out;
  const bool leading_space = !s.empty() && s.front() == ' ';
  skip_spaces(s);
  if (s.size() < keyword.size() || !iequals(s.substr(0, keyword.size()), keyword))
    return Error{"expected " + std::string(keyword) + ":"};
  s.remove_prefix(keyword.size());
  const std::size_t before = s.size();
  skip_spaces(s);
  if (s.empty() || s.front() != ':') return Error{"expected " + std::string(keyword) + ":"};
  s.remove_prefix(1);
  if (s.size() != before - 1 || !leading_space) out.sloppy = true;
  if (!s.empty() && (s.front() == ' ' || s.front() == '\t')) out.sloppy = true;
  skip_spaces(s);

  std::string path;
  if (!s.empty() && s.front() == '<') {
    if (!take_bracketed(s, path)) return Error{"unbalanced angle brackets"};
  } else {
    // "MAIL FROM: user@example" - no brackets: take to the next space.
    out.sloppy = true;
    const auto end = s.find_first_of(" \t");
    path.assign(s.substr(0, end));
    s.remove_prefix(end == std::string_view::npos ? s.size() : end);
    if (path.empty()) return Error{"missing address"};
  }
  // Source route "@a,@b:user@dom" (RFC 5321 §4.1.2 says accept and ignore it).
  if (!path.empty() && path.front() == '@') {
    const auto colon = path.find(':');
    if (colon == std::string::npos) return Error{"bad source route"};
    path.erase(0, colon + 1);
    out.sloppy = true;
  }
  for (char c : path) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return Error{"control character in address"};
  }
  out.address = std::move(path);

  while (true) {
    skip_spaces(s);
    if (s.empty()) break;
    const auto end = s.find_first_of(" \t");
    std::string_view p = s.substr(0, end);
    s.remove_prefix(end == std::string_view::npos ? s.size() : end);
    const auto eq = p.find('=');
    std::string key(p.substr(0, eq));
    for (char& c : key) c = upper(c);
    if (key.empty()) return Error{"empty parameter"};
    out.params.emplace_back(std::move(key), eq == std::string_view::npos
                                                ? std::string()
                                                : std::string(p.substr(eq + 1)));
  }
  return out;
}

split_address split(std::string_view address) {
  bool quoted = false;
  std::size_t at = std::string_view::npos;
  for (std::size_t i = 0; i < address.size(); ++i) {
    if (address[i] == '"') quoted = !quoted;
    if (!quoted && address[i] == '@') at = i;
  }
  if (at == std::string_view::npos) return {std::string(address), ""};
  std::string domain = ascii_lower(address.substr(at + 1));
  if (!domain.empty() && domain.back() == '.') domain.pop_back();
  return {std::string(address.substr(0, at)), std::move(domain)};
}

}  // namespace spampot::smtp
