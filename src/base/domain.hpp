// The domain of an e-mail address, as every layer compares it: after the last '@', lower-cased,
// without a trailing dot; empty when there is no '@'.
#pragma once

#include <string>
#include <string_view>

#include "base/ascii.hpp"

namespace spampot {

inline std::string domain_of(std::string_view address) {
  const auto at = address.rfind('@');
  if (at == std::string_view::npos) return "";
  std::string d = ascii_lower(address.substr(at + 1));
  if (!d.empty() && d.back() == '.') d.pop_back();
  return d;
}

}  // namespace spampot
