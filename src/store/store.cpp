#include "store/store.hpp"

#include "store/mysql/mysql_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace spampot::store {

Result<std::unique_ptr<store>> open(std::string_view url, reach when) {
  if (url.starts_with("sqlite:")) return sqlite_store::open(url.substr(7));
  if (url.starts_with("mysql://") || url.starts_with("mariadb://")) return mysql_store::open(url, when == reach::later);
  if (url.find("://") != std::string_view::npos)
    return Error{"unknown store URL scheme in " + redact_url(url) + " (use sqlite:PATH or mysql://...)"};
  return sqlite_store::open(url);
}

std::string redact_url(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const auto at = url.find('@', scheme + 3);
  const auto colon = url.find(':', scheme + 3);
  if (at == std::string_view::npos || colon == std::string_view::npos || colon > at)
    return std::string(url);
  return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

}  // namespace spampot::store
