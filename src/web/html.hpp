// The one place captured text becomes HTML. Every byte a spammer sent reaches a console page
// through escape(): it is made valid UTF-8, the five characters HTML gives meaning to become
// entities, and what a reader cannot see or could be fooled by (C0 and C1 controls, bidirectional
// overrides and isolates) is shown as a visible escape, as the terminal tables do.
#pragma once

#include <string>
#include <string_view>

namespace spampot::web {

// Text for an element's content or a double-quoted attribute value.
std::string escape(std::string_view text);
// The same for a <pre> block: line breaks and tabs stay (a CR before a line break goes).
std::string escape_lines(std::string_view text);

// A URL as text an analyst can copy but no browser follows: "hxxp://pill-shop[.]example/buy".
std::string defang(std::string_view url);

// A query parameter's value, percent-encoded (RFC 3986 unreserved characters stay).
std::string url_encode(std::string_view text);

}  // namespace spampot::web
