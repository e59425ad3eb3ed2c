// mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?socket=PATH&password_file=PATH]
// The password is better kept out of the URL (which `ps` shows): password_file= names a file that
// holds it, or SPAMPOT_DB_PASSWORD carries it. It is never logged (store::redact_url).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace spampot::store {

struct mysql_url {
  std::string user;
  std::string password;
  std::string host = "127.0.0.1";
  std::uint16_t port = 3306;
  std::string database;
  std::string socket;
};

// Parses the URL; `env_password` is SPAMPOT_DB_PASSWORD's value (or empty).
Result<mysql_url> parse_mysql_url(std::string_view url, std::string_view env_password);

}  // namespace spampot::store
