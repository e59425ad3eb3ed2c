// A request target taken apart: the path and its query parameters, percent-decoded.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"

namespace spampot::web {

struct target {
  std::string path;
  std::vector<std::pair<std::string, std::string>> params;  // in order; a name may repeat

  // The first value of `name`, or "".
  std::string param(std::string_view name) const;
};

// "/messages?ip=192.0.2.1&subject=caf%C3%A9+x" -> "/messages", {ip: 192.0.2.1, subject: "café x"}.
// A broken escape ("%G1", "%4") is an error (the console answers 400).
Result<target> parse_target(std::string_view raw);

}  // namespace spampot::web
