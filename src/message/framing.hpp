// Where a captured message's header block ends, decided before GMime reads it, the way Postfix's
// cleanup and Python's parser decide it: a line that is neither a field nor a folded
// continuation ends the header block, and what follows is body. (GMime reads on past such a
// line, and would take body text for headers.) Also drops what precedes the message itself:
// a UTF-8 byte order mark, an mbox "From " separator, continuation lines before the first field.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace spampot::message {

// The message as GMime should read it: a view of `raw`, or of `storage` when an empty line had
// to be put where the header block ends. What was changed is added to `problems`.
std::string_view frame(std::string_view raw, std::string& storage, std::vector<std::string>& problems);

// The field name of a header line (printable ASCII but colon, RFC 5322 §2.2), allowing the
// obsolete white space before the colon (RFC 5322 §4.5.2); empty when the line is no field.
std::string_view field_name(std::string_view line);

}  // namespace spampot::message
