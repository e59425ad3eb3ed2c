// Rendering a list of messages for `search`: a table for people, CSV and JSON for tools.
// Peer text is escaped in the table (it goes to a terminal) and exact in CSV and JSON.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "store/store.hpp"

namespace spampot::intel {

enum class list_format { table, csv, json };

// What DNS says of a message's client: its session's reverse DNS and where the IP stands on
// each DNS-based list. JSON output carries it as "client_dns" when given.
struct client_reputation {
  std::string ptr;
  bool fcrdns = false;
  std::string dns_error;
  std::vector<store::dnsbl_state_row> listings;
};

Result<list_format> parse_list_format(std::string_view name);

// Reads it for one message: its session's reverse DNS, its IP's list standings.
Result<client_reputation> client_reputation_of(store::store& st, const store::message_row& m);

// `reputation`, when given, is parallel to `rows`.
std::string render_messages(const std::vector<store::message_row>& rows, list_format f,
                            const std::vector<client_reputation>* reputation = nullptr);

// One message as a JSON object (the same fields as a search row), for `show`.
std::string message_json(const store::message_row& m, const client_reputation* rep = nullptr);

// One session as a JSON object: peer, HELO, counts, every RCPT with our reply, violations.
std::string session_json(const store::session_row& s,
                         const std::vector<store::dnsbl_state_row>& listings = {});

}  // namespace spampot::intel
