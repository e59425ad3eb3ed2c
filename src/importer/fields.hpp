// Small cursor helpers shared by the MTA line parsers: key=value fields, client specs, queue IDs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace spampot::importer {

// The value of `key` ("from=") in a comma- or space-separated list; a value in angle brackets is
// taken whole (addresses may contain commas) and returned without them.
std::optional<std::string> field(std::string_view msg, std::string_view key);

// "name[1.2.3.4]", "name[1.2.3.4]:25", "[1.2.3.4]:25", "name [1.2.3.4] (may be forged)".
struct client_spec {
  std::string name;
  std::string ip;
};
std::optional<client_spec> parse_client(std::string_view s);

// A queue ID at the start of a message ("D4937A7618D: ..."): letters and digits, at least 5,
// followed by ": ". Returns it and advances `msg` past the ": ".
std::optional<std::string_view> take_queue_id(std::string_view& msg);

std::string strip_brackets(std::string_view s);

}  // namespace spampot::importer
