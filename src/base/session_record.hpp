// One SMTP session as spampot keeps it: filled by the SMTP state machine (what the client did)
// and the network layer (who, when, reverse DNS), written to the journal as it is, and stored as
// it is. One struct from smtp/ through capture/ to store/, so a new field is declared once; the
// journal codec (capture/records.cpp) and the store's column list (store/message_store.cpp) are
// the only other places that name it. Plain data in base/, because all three layers share it and
// none may include another's headers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/time.hpp"

namespace spampot {

struct session_record {
  struct recipient {
    std::string address;
    std::string domain;  // of the address; the store fills it
    bool accepted = false;
    bool relay = false;  // not at a trap domain
    std::string reply;   // what we answered, e.g. "554 5.7.1 <x@y>: Relay access denied"
    // The greylist experiment ([greylist]): "held" when this RCPT was answered 451 for its
    // (client IP, sender, recipient) triplet, "passed" for the retry it let through; with the
    // triplet's sender and when the triplet was first held.
    std::string greylist = {};
    std::string sender = {};
    Micros held_since = 0;
  };
  // One AUTH attempt, exactly as sent: what the credential stuffers try is the evidence.
  struct auth {
    Micros at = 0;
    std::string mechanism;  // "PLAIN", "LOGIN", or what the client named
    std::string username;   // decoded; for PLAIN the authentication identity
    std::string password;   // decoded, no trimming or case folding
  };
  struct violation {
    Micros at = 0;
    std::string kind;    // smtp::to_string(smtp::violation), or the network layer's own
    std::string detail;  // escaped, short
  };

  // Who and when: the network layer's.
  std::string id;
  std::string sensor;
  Micros started_at = 0;
  Micros ended_at = 0;
  std::string client_ip;
  std::uint16_t client_port = 0;
  std::string server_ip;
  std::uint16_t server_port = 0;
  std::string ptr;        // the client's reverse DNS name, when [dns] is on
  bool fcrdns = false;    // the name resolves back to the client's address
  std::string dns_error;  // the PTR lookup failed (a timeout, SERVFAIL): not "no PTR"
  // The client's network ([geoip]), looked up by the indexer: not in the journal, so a reindex
  // asks the database of its day.
  std::string country;  // ISO 3166-1 alpha-2; "" unknown
  std::uint32_t asn = 0;
  std::string as_org;

  // What the client did: the SMTP session's.
  std::string helo;
  std::string helo_verb;
  std::string end_reason;
  std::uint32_t commands = 0;
  std::uint32_t messages = 0;
  std::uint32_t errors = 0;
  std::vector<recipient> recipients;     // RCPTs in order, up to kSessionRecipients
  std::uint32_t recipients_dropped = 0;  // RCPTs past that bound, counted only
  std::vector<std::string> senders;      // distinct MAIL FROM addresses, up to kSessionRecipients
  std::string tls_version, tls_cipher, tls_sni;  // empty version: plain text throughout
  std::string ja3, ja4;                          // the client's TLS fingerprints
  std::vector<violation> violations;
  std::vector<auth> auth_attempts;       // up to kSessionRecipients, like the RCPT log
  std::string fingerprint;  // how the client behaved, as a versioned hash (smtp/behaviour.hpp)
  std::string behaviour;    // the features behind it, "name=value" lines
  // Tarpit: "listener" ([[listener]] stutter) or "greytrap" (the client sent to a trap address
  // before, [greytrap]), and the time its replies were held back.
  std::string tarpit;
  Micros tarpit_micros = 0;
  std::string transcript;                // "+0.012 C: EHLO x" / "+0.013 S: 250 ..." lines, escaped
  std::uint64_t transcript_dropped = 0;  // bytes not kept past kTranscriptBytes

  // Where it came from and what the store did to it.
  bool imported = false;  // from a maillog
  std::string source;     // "file:line" of an imported record
  std::string problems;   // what fitting values to their columns changed (store/columns.hpp)
};

// A session's behaviour lines ("verbs=EHLO MAIL RCPT DATA\n..."), as (name, value) in their order.
inline std::vector<std::pair<std::string_view, std::string_view>> behaviour_features(std::string_view lines) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  while (!lines.empty()) {
    const auto eol = lines.find('\n');
    const std::string_view line = lines.substr(0, eol);
    lines = eol == std::string_view::npos ? std::string_view() : lines.substr(eol + 1);
    if (const auto eq = line.find('='); eq != std::string_view::npos)
      out.emplace_back(line.substr(0, eq), line.substr(eq + 1));
  }
  return out;
}

}  // namespace spampot
