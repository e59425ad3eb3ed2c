// What the journal keeps besides the raw bytes: the envelope of a message and the log of a
// session, as JSON in the record's meta (readable with `zstd -d` and `jq` in an emergency, and
// open to new fields without a format change).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "base/time.hpp"

namespace spampot::capture {

struct peer {
  std::string client_ip;
  std::uint16_t client_port = 0;
  std::string server_ip;
  std::uint16_t server_port = 0;
};

struct message_envelope {
  std::string id;
  std::string session_id;
  std::string sensor;
  std::string server_name;  // our hostname, for the trace header
  Micros received_at = 0;
  peer conn;
  std::string helo;
  std::string helo_verb;
  std::string mail_from;
  std::vector<std::pair<std::string, std::string>> mail_params;
  std::vector<std::string> rcpt_to;
  bool relay_attempt = false;
  bool bare_lf = false;
  bool long_lines = false;
  bool nul_bytes = false;
  bool eight_bit = false;
  bool chunked = false;
};

struct recipient_log {
  std::string address;
  bool accepted = false;
  bool relay = false;
  std::string reply;
};

struct violation_log {
  Micros at = 0;
  std::string kind;
  std::string detail;
};

struct auth_log {
  Micros at = 0;
  std::string mechanism;
  std::string username;
  std::string password;
};

struct session_log {
  std::string id;
  std::string sensor;
  Micros started_at = 0;
  Micros ended_at = 0;
  peer conn;
  std::string helo;
  std::string helo_verb;
  std::string end_reason;
  std::uint32_t commands = 0;
  std::uint32_t messages = 0;
  std::uint32_t errors = 0;
  std::vector<recipient_log> recipients;
  std::vector<violation_log> violations;
  std::vector<auth_log> auth_attempts;
  std::vector<std::string> senders;  // distinct MAIL FROM addresses
  std::string tls_version, tls_cipher, tls_sni;  // empty version: no TLS
  std::string ja3, ja4;                          // the client's TLS fingerprints
  std::string ptr;        // the client's reverse DNS name ([dns] on)
  bool fcrdns = false;    // forward-confirmed
  std::string dns_error;  // the lookup failed or did not answer in time
  std::string transcript;
  std::uint64_t transcript_dropped = 0;
  std::uint64_t recipients_dropped = 0;  // RCPTs past the session log's bound
};

// One request to the seed page and what it was answered. A page hands out a fresh seed address,
// bound here to the visitor; the record is durable before the page is sent, like a 250.
struct http_log {
  std::string id;
  std::string sensor;
  Micros at = 0;
  peer conn;
  std::string method, target, version, host, user_agent, referer;
  int status = 0;
  std::string problem;  // why a request was refused, or empty
  std::string seed;     // the address the page carried, or empty
  std::string seed_domain;
  std::string seed_label;
};

std::string to_json(const message_envelope& e);
std::string to_json(const http_log& h);
Result<http_log> parse_http(std::string_view json);
std::string to_json(const session_log& s);
Result<message_envelope> parse_envelope(std::string_view json);
Result<session_log> parse_session(std::string_view json);

}  // namespace spampot::capture
