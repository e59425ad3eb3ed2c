// Parsing the arguments of MAIL FROM and RCPT TO as bots really send them.
//
// Accepted beside RFC 5321's "FROM:<addr> PARAM=V": lower case, spaces around the colon, a missing
// pair of angle brackets, source routes (<@relay:user@dom>). Each of these sets `sloppy`, which is
// recorded: the way a client writes its envelope identifies spamware families.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"

namespace spampot::smtp {

struct path_args {
  std::string address;  // without brackets or source route; empty for the null path <>
  std::vector<std::pair<std::string, std::string>> params;  // keyword upper-cased, value as sent
  bool sloppy = false;
};

// `args` is everything after the verb, e.g. " FROM:<a@b> SIZE=10"; `keyword` is "FROM" or "TO".
Result<path_args> parse_path(std::string_view args, std::string_view keyword);

// Splits at the last '@' outside a quoted local part. The domain is lower-cased and a trailing dot
// dropped; it is empty when there is no '@'.
struct split_address {
  std::string local;
  std::string domain;
};
split_address split(std::string_view address);


}  // namespace spampot::smtp
