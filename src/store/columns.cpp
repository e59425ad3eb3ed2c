#include "store/columns.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "base/utf8.hpp"

namespace spampot::store {
namespace {

constexpr std::size_t kText = 65535;            // TEXT
constexpr std::size_t kMediumText = 16777215;   // MEDIUMTEXT
// A whole row travels in one packet, and MariaDB's default max_allowed_packet is 16 MiB: no
// single value may come near it, whatever its column could hold.
constexpr std::size_t kValueBytes = 4 * 1024 * 1024;

}  // namespace

const std::vector<column_spec>& text_columns() {
  static const std::vector<column_spec> all{
      // sessions
      {"sessions", "id", 32},
      {"sessions", "sensor", 255},
      {"sessions", "client_ip", 64},
      {"sessions", "server_ip", 64},
      {"sessions", "helo", kText},
      {"sessions", "helo_verb", 16},
      {"sessions", "end_reason", 64},
      {"sessions", "violations", kMediumText},
      {"sessions", "transcript", kMediumText},
      {"sessions", "source", kText},
      {"sessions", "senders", kMediumText},
      {"sessions", "tls_version", 32},
      {"sessions", "tls_cipher", 128},
      {"sessions", "tls_sni", 255},
      {"sessions", "ja3", 32},
      {"sessions", "ja4", 64},
      {"sessions", "ptr", 255},
      {"sessions", "dns_error", 255},
      {"sessions", "problems", kText},
      // messages
      {"messages", "id", 32},
      {"messages", "session_id", 32},
      {"messages", "sensor", 255},
      {"messages", "client_ip", 64},
      {"messages", "helo", kText},
      {"messages", "mail_from", 1024},
      {"messages", "mail_from_domain", 1024},
      {"messages", "sha256", 64},
      {"messages", "message_id", kText},
      {"messages", "date", kText},
      {"messages", "subject", kMediumText},
      {"messages", "from_header", kText},
      {"messages", "flags", 255},
      {"messages", "source", kText},
      {"messages", "problems", kText},
      // message_recipients
      {"message_recipients", "message_id", 32},
      {"message_recipients", "address", 1024},
      {"message_recipients", "domain", 1024},
      // recipients
      {"recipients", "session_id", 32},
      {"recipients", "address", 1024},
      {"recipients", "domain", 1024},
      {"recipients", "reply", kText},
      // spool_checkpoints
      {"spool_checkpoints", "sensor", 255},
      // auth_attempts
      {"auth_attempts", "session_id", 32},
      {"auth_attempts", "mechanism", 64},
      {"auth_attempts", "username", kText},
      {"auth_attempts", "password", kText},
      // harvest_keys
      {"harvest_keys", "kind", 16},
      {"harvest_keys", "name", 255},
      // harvest_key_days
      {"harvest_key_days", "kind", 16},
      {"harvest_key_days", "name", 255},
      // harvest_hours
      {"harvest_hours", "domain", 255},
      // listings
      {"listings", "list_name", 64},
      {"listings", "entry", 255},
      {"listings", "reason", kText},
      // listing_events
      {"listing_events", "list_name", 64},
      {"listing_events", "entry", 255},
      {"listing_events", "action", 16},
      {"listing_events", "reason", kText},
      // seeds
      {"seeds", "address", 255},
      {"seeds", "domain", 255},
      {"seeds", "label", kText},
      {"seeds", "kind", 16},
      {"seeds", "source", 16},
      {"seeds", "sensor", 255},
      {"seeds", "request_id", 32},
      {"seeds", "visitor_ip", 64},
      {"seeds", "user_agent", kText},
      // http_requests
      {"http_requests", "id", 32},
      {"http_requests", "sensor", 255},
      {"http_requests", "client_ip", 64},
      {"http_requests", "server_ip", 64},
      {"http_requests", "method", 255},
      {"http_requests", "target", kText},
      {"http_requests", "version", 16},
      {"http_requests", "host", kText},
      {"http_requests", "user_agent", kText},
      {"http_requests", "referer", kText},
      {"http_requests", "problem", kText},
      {"http_requests", "seed", 255},
      {"http_requests", "problems", kText},
      // dnsbl_checks
      {"dnsbl_checks", "kind", 16},
      {"dnsbl_checks", "entry", 255},
      {"dnsbl_checks", "list_zone", 255},
      {"dnsbl_checks", "verdict", 16},
      {"dnsbl_checks", "codes", kText},
      {"dnsbl_checks", "meaning", kText},
      {"dnsbl_checks", "txt", kText},
      // dnsbl_state
      {"dnsbl_state", "kind", 16},
      {"dnsbl_state", "entry", 255},
      {"dnsbl_state", "list_zone", 255},
      {"dnsbl_state", "first_answer", 16},
      {"dnsbl_state", "last_answer", 16},
      {"dnsbl_state", "codes", kText},
      {"dnsbl_state", "meaning", kText},
      {"dnsbl_state", "txt", kText},
      {"dnsbl_state", "last_error", kText},
      // message_details
      {"message_details", "id", 32},
      {"message_details", "subject", kText},
      {"message_details", "from_name", kText},
      {"message_details", "from_address", 255},
      {"message_details", "reply_to_name", kText},
      {"message_details", "reply_to_address", kText},
      {"message_details", "message_id", 255},
      {"message_details", "message_id_problem", 16},
      {"message_details", "date_problems", 64},
      {"message_details", "first_external_ip", 64},
      {"message_details", "body_sha256", 64},
      {"message_details", "body_fuzzy", kText},
      {"message_details", "campaign", 32},
      {"message_details", "problems", kText},
      {"message_details", "headers", kMediumText},
      // message_urls
      {"message_urls", "message_id", 32},
      {"message_urls", "url", kText},
      {"message_urls", "host", 255},
      {"message_urls", "domain", 255},
      {"message_urls", "source", 8},
      // message_attachments
      {"message_attachments", "message_id", 32},
      {"message_attachments", "name", kText},
      {"message_attachments", "declared_type", 255},
      {"message_attachments", "sniffed_type", 255},
      {"message_attachments", "disposition", 32},
      {"message_attachments", "md5", 32},
      {"message_attachments", "sha1", 40},
      {"message_attachments", "sha256", 64},
      // received_hops
      {"received_hops", "message_id", 32},
      {"received_hops", "from_name", 255},
      {"received_hops", "from_ip", 64},
      {"received_hops", "by_name", 255},
      {"received_hops", "protocol", 64},
      {"received_hops", "hop_id", 255},
      {"received_hops", "raw", kText},
      // campaigns
      {"campaigns", "id", 32},
      {"campaigns", "body_sha256", 64},
      {"campaigns", "fuzzy", kText},
      // quarantine
      {"quarantine", "sensor", 255},
      {"quarantine", "record_kind", 16},
      {"quarantine", "record_id", 32},
      {"quarantine", "error", kText},
  };
  return all;
}

std::size_t column_width(std::string_view table, std::string_view column) {
  for (const auto& c : text_columns())
    if (c.table == table && c.column == column) return std::min(c.width, kValueBytes);
  std::fprintf(stderr, "spampot: store column %.*s.%.*s has no width in store/columns.cpp\n",
               static_cast<int>(table.size()), table.data(), static_cast<int>(column.size()), column.data());
  std::abort();
}

std::string fit_text(std::string& value, std::size_t width) {
  std::string done;
  if (!is_utf8(value) || value.find('\0') != std::string::npos) {
    value = to_valid_utf8(value);
    done = "invalid_utf8";
  }
  if (value.size() > width) {
    value.resize(utf8_prefix(value, width).size());
    done += done.empty() ? "cut" : ",cut";
  }
  return done;
}

void fit_column(std::string_view table, std::string_view column, std::string& value,
                std::vector<std::string>& problems) {
  const std::string done = fit_text(value, column_width(table, column));
  if (done.empty()) return;
  auto note = [&](std::string_view what) {
    std::string p = std::string(what) + ":" + std::string(column);
    if (std::find(problems.begin(), problems.end(), p) == problems.end()) problems.push_back(std::move(p));
  };
  if (done.starts_with("invalid_utf8")) note("invalid_utf8");
  if (done.ends_with("cut")) note("cut");
}

}  // namespace spampot::store
