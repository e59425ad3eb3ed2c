#include "store/mysql/mysql_url.hpp"

#include <fstream>
#include <sstream>

namespace spampot::store {
namespace {

std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

Result<mysql_url> parse_mysql_url(std::string_view url, std::string_view env_password) {
  mysql_url u;
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return Error{"not a mysql:// URL"};
  std::string_view rest = url.substr(scheme + 3);
  std::string_view query;
  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  const auto at = rest.rfind('@');
  if (at == std::string_view::npos) return Error{"mysql URL needs USER@HOST: mysql://spampot@127.0.0.1/spampot"};
  std::string_view userinfo = rest.substr(0, at);
  rest = rest.substr(at + 1);
  if (const auto colon = userinfo.find(':'); colon != std::string_view::npos) {
    u.password = unescape(userinfo.substr(colon + 1));
    userinfo = userinfo.substr(0, colon);
  }
  u.user = unescape(userinfo);
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash + 1 >= rest.size())
    return Error{"mysql URL needs a database: mysql://USER@HOST/DATABASE"};
  u.database = unescape(rest.substr(slash + 1));
  std::string_view hostport = rest.substr(0, slash);
  if (!hostport.empty() && hostport.front() == '[') {
    const auto close = hostport.find(']');
    if (close == std::string_view::npos) return Error{"bad IPv6 host in mysql URL"};
    u.host = std::string(hostport.substr(1, close - 1));
    hostport = hostport.substr(close + 1);
    if (!hostport.empty() && hostport.front() == ':') hostport = hostport.substr(1); else hostport = {};
  } else if (const auto colon = hostport.find(':'); colon != std::string_view::npos) {
    u.host = std::string(hostport.substr(0, colon));
    hostport = hostport.substr(colon + 1);
  } else {
    if (!hostport.empty()) u.host = std::string(hostport);
    hostport = {};
  }
  if (!hostport.empty()) {
    unsigned v = 0;
    for (char c : hostport) {
      if (c < '0' || c > '9' || v > 65535) return Error{"bad port in mysql URL"};
      v = v * 10 + static_cast<unsigned>(c - '0');
    }
    if (v == 0 || v > 65535) return Error{"bad port in mysql URL"};
    u.port = static_cast<std::uint16_t>(v);
  }
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view kv = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const auto eq = kv.find('=');
    const std::string_view key = kv.substr(0, eq);
    const std::string value = eq == std::string_view::npos ? "" : unescape(kv.substr(eq + 1));
    if (key == "socket") {
      u.socket = value;
    } else if (key == "password_file") {
      std::ifstream in(value);
      if (!in) return Error{"cannot read password_file " + value};
      std::getline(in, u.password);
    } else {
      return Error{"unknown mysql URL parameter '" + std::string(key) + "' (socket, password_file)"};
    }
  }
  if (u.password.empty()) u.password = std::string(env_password);
  if (u.user.empty()) return Error{"mysql URL needs a user"};
  return u;
}

}  // namespace spampot::store
