#include "config/config.hpp"

#include <filesystem>

namespace spampot::config {

config::certificate config::trap_certificate() const {
  if (!smtp.tls_cert.empty()) return {smtp.tls_cert, smtp.tls_key, false};
  // In the spool: the one directory the trap is sure to be able to write.
  const auto dir = std::filesystem::path(store.spool) / "tls";
  return {(dir / "spampot.crt").string(), (dir / "spampot.key").string(), true};
}

bool config::traps_domain(std::string_view domain) const {
  for (const auto& t : traps) {
    if (domain == t.domain) return true;
    if (t.subdomains && domain.ends_with("." + t.domain)) return true;
  }
  return false;
}

Result<listen_address> parse_listen(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return Error{"listen address must look like [::1]:25"};
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon)
      return Error{"listen address must look like 127.0.0.1:25 or [::1]:25"};
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.empty()) return Error{"listen address has no host"};
  if (port.empty() || port.size() > 5) return Error{"listen port must be 0 to 65535"};
  unsigned v = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return Error{"listen port must be a number"};
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > 65535) return Error{"listen port must be 0 to 65535"};
  return listen_address{std::string(host), static_cast<std::uint16_t>(v)};
}

}  // namespace spampot::config
