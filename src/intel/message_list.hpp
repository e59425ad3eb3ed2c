// Rendering a list of messages for `search`: a table for people, CSV and JSON for tools.
// Peer text is escaped in the table (it goes to a terminal) and exact in CSV and JSON.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "store/records.hpp"

namespace spampot::intel {

enum class list_format { table, csv, json };

Result<list_format> parse_list_format(std::string_view name);

std::string render_messages(const std::vector<store::message_row>& rows, list_format f);

// One message as a JSON object (the same fields as a search row), for `show`.
std::string message_json(const store::message_row& m);

// One session as a JSON object: peer, HELO, counts, every RCPT with our reply, violations.
std::string session_json(const store::session_row& s);

}  // namespace spampot::intel
