// Peer bytes are hostile: before they reach a log line, a terminal or a transcript they are made
// printable. Printable ASCII passes, backslash doubles, everything else becomes \xNN (so the
// transcript stays valid UTF-8 text and still shows exactly which bytes were sent).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace spampot {

std::string escape_bytes(std::string_view raw);

// For log lines: escaped and cut to `max` input bytes, with "..." when cut (Postfix's %.100s).
std::string escape_for_log(std::string_view raw, std::size_t max = 100);

}  // namespace spampot
