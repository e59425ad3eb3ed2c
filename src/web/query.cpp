#include "web/query.hpp"

namespace spampot::web {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      const int a = i + 1 < s.size() ? hex_value(s[i + 1]) : -1;
      const int b = i + 2 < s.size() ? hex_value(s[i + 2]) : -1;
      if (a < 0 || b < 0) return Error{"a broken percent escape"};
      out += static_cast<char>(a * 16 + b);
      i += 2;
    } else if (plus_is_space && s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::string target::param(std::string_view name) const {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return "";
}

Result<target> parse_target(std::string_view raw) {
  target t;
  const auto q = raw.find('?');
  auto path = decode(raw.substr(0, q), false);
  if (!path) return path.failure();
  t.path = std::move(*path);
  if (q == std::string_view::npos) return t;
  std::string_view rest = raw.substr(q + 1);
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto k = decode(pair.substr(0, eq), true);
    auto v = decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!k) return k.failure();
    if (!v) return v.failure();
    t.params.emplace_back(std::move(*k), std::move(*v));
  }
  return t;
}

}  // namespace spampot::web
