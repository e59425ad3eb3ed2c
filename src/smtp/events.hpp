// What a session tells the world: replies to send, events to record, and at most one message to
// make durable before its 250. Plain data; the net layer acts on it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/session_record.hpp"
#include "base/time.hpp"

namespace spampot::smtp {

enum class event_kind : std::uint8_t { helo, mail_from, rcpt, message, reset, violation, quit };

// Each violation is recorded with the session; together they tell a bot from an MTA.
enum class violation : std::uint8_t {
  early_talker,      // spoke before the greeting (postscreen's PREGREET)
  non_smtp,          // HTTP or proxy request on the SMTP port
  tls_on_plaintext,  // TLS ClientHello on a port without implicit TLS
  line_too_long,     // command line over the limit
  nul_byte,          // NUL in a command line
  bad_syntax,        // unparseable arguments
  unknown_command,
  bad_sequence,       // command out of order (MAIL before HELO, DATA before RCPT...)
  relay_attempt,      // RCPT to a domain that is not ours
  refused_recipient,  // RCPT refused by a per-address rule
  too_many_recipients,
  message_too_large,
  too_many_messages,
  too_many_errors,
  session_timeout,
  idle_timeout,
  auth_attempt,   // AUTH while authentication is off
  tls_attempt,    // STARTTLS while TLS is off
  tls_injection,  // commands pipelined behind STARTTLS in plain text (discarded, CVE-2011-0411)
};

std::string_view to_string(violation v);

struct event {
  event_kind kind;
  std::string detail;
};

using recipient = session_record::recipient;

// A message that finished DATA or BDAT LAST. The session waits for message_stored() or
// message_failed() before it answers, so that a 250 always means "on disk".
struct message {
  Micros received_at = 0;
  std::string helo;
  std::string helo_verb;
  std::string mail_from;
  std::vector<std::pair<std::string, std::string>> mail_params;
  std::vector<std::string> rcpt_to;  // accepted recipients, in order
  bool relay_attempt = false;        // at least one accepted recipient is not ours (relay_bait)
  std::string body;                  // the bytes after dot-unstuffing, line ends as sent
  bool bare_lf = false;              // a line ended in LF without CR
  bool long_lines = false;           // a text line over RFC 5321's 1000 octets
  bool nul_bytes = false;
  bool eight_bit = false;
  bool chunked = false;  // arrived with BDAT
};

struct output {
  std::string replies;
  std::vector<event> events;
  // Behind a pointer: an output lives in the connection's coroutine frame for the whole session,
  // and a message is rare beside the replies.
  std::unique_ptr<message> msg;
  bool close = false;
  bool start_tls = false;  // the 220 to STARTTLS is in `replies`: hand the connection to TLS now

  void append(output&& o);
};

// What the TLS layer reports once a handshake is done.
struct tls_info {
  std::string version;  // "TLSv1.3"
  std::string cipher;   // "TLS_AES_256_GCM_SHA384"
  std::string sni;      // the server name the client asked for, if any
  std::string ja3;      // client fingerprints from its ClientHello (net/tls_fingerprint.hpp)
  std::string ja4;
};

}  // namespace spampot::smtp
