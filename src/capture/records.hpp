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
#include "base/session_record.hpp"
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
// A session is journaled as the session_record the SMTP session and the network layer filled.
std::string to_json(const session_record& s);
Result<message_envelope> parse_envelope(std::string_view json);
Result<session_record> parse_session(std::string_view json);

}  // namespace spampot::capture
