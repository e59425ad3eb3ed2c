#include "importer/fields.hpp"

#include "base/ip_address.hpp"

namespace spampot::importer {

std::string strip_brackets(std::string_view s) {
  if (s.size() >= 2 && s.front() == '<' && s.back() == '>') s = s.substr(1, s.size() - 2);
  return std::string(s);
}

std::optional<std::string> field(std::string_view msg, std::string_view key) {
  std::size_t pos = 0;
  while ((pos = msg.find(key, pos)) != std::string_view::npos) {
    // The key must start a field: at the beginning or after a separator.
    if (pos == 0 || msg[pos - 1] == ' ' || msg[pos - 1] == ',' || msg[pos - 1] == ';') break;
    pos += key.size();
  }
  if (pos == std::string_view::npos) return std::nullopt;
  std::string_view v = msg.substr(pos + key.size());
  if (!v.empty() && v.front() == '<') {
    const auto close = v.find('>');
    if (close == std::string_view::npos) return std::string(v.substr(1));
    return std::string(v.substr(1, close - 1));
  }
  const auto end = v.find_first_of(", ;");
  return std::string(v.substr(0, end));
}

std::optional<client_spec> parse_client(std::string_view s) {
  const auto open = s.find('[');
  if (open == std::string_view::npos) return std::nullopt;
  const auto close = s.find(']', open);
  if (close == std::string_view::npos) return std::nullopt;
  std::string_view name = s.substr(0, open);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  std::string_view ip = s.substr(open + 1, close - open - 1);
  if (ip.starts_with("IPv6:")) ip.remove_prefix(5);
  const auto addr = ip_address::parse(ip);
  if (!addr) return std::nullopt;
  return client_spec{std::string(name), addr->to_string()};
}

std::optional<std::string_view> take_queue_id(std::string_view& msg) {
  const auto colon = msg.find(": ");
  if (colon == std::string_view::npos || colon < 5 || colon > 32) return std::nullopt;
  const std::string_view id = msg.substr(0, colon);
  for (char c : id) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (!alnum) return std::nullopt;
  }
  msg.remove_prefix(colon + 2);
  return id;
}

}  // namespace spampot::importer
