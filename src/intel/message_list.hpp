// Rendering a list of messages for `search`: a table for people, CSV and JSON for tools.
// Peer text is escaped in the table (it goes to a terminal) and exact in CSV and JSON.
#pragma once

#include <optional>
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

// What the store knows of a message beyond its row: DNS of its client and, for a captured
// message, what forensics found (decoded headers, hops, URLs, attachments, campaign).
struct message_extras {
  client_reputation dns;
  std::optional<store::message_details> details;
  std::optional<session_record> session;  // for `show`: how the message came
  // For `show`: retention dropped the spool segment with the raw text.
  std::optional<store::expired_segment_row> raw_expired;
};

Result<list_format> parse_list_format(std::string_view name);

// What to read: tables and CSV show only the decoded Subject; JSON carries the DNS as well;
// `show` also the summary of the message's session (HELO, TLS, AUTH tried, PTR).
enum class extras_scope { details, details_and_dns, everything };

// Reads them for one message: its details, and with details_and_dns its session's reverse DNS
// and its IP's list standings.
Result<message_extras> message_extras_of(store::store& st, const store::message_row& m,
                                         extras_scope scope = extras_scope::details_and_dns);

// `extras`, when given, is parallel to `rows`. Tables and CSV show the decoded Subject when
// `extras` carries it; JSON carries everything.
std::string render_messages(const std::vector<store::message_row>& rows, list_format f,
                            const std::vector<message_extras>* extras = nullptr);

// One message as a JSON object (the same fields as a search row, and every decoded header
// field), for `show`.
std::string message_json(const store::message_row& m, const message_extras* extras = nullptr);

// One session as a JSON object: peer, HELO, counts, every RCPT with our reply, violations.
std::string session_json(const session_record& s,
                         const std::vector<store::dnsbl_state_row>& listings = {});

}  // namespace spampot::intel
