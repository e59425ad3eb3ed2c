// Every cap on what a peer can make the trap hold, with its default, in one place. The config can
// change the ones in `limits`; the fixed ones below it guard the formats we write ourselves.
#pragma once

#include <cstddef>

#include "base/time.hpp"

namespace spampot {

struct limits {
  // RFC 5321 §4.5.3.1.4 allows 512 octets for a command line; real MTAs accept more (Postfix 2048)
  // and so do we, so that a long bot line is recorded whole before it is refused.
  std::size_t line_bytes = 1000;
  std::size_t message_bytes = 10 * 1024 * 1024;  // advertised in SIZE; 552 5.3.4 past it
  std::size_t recipients = 100;                  // per message; 452 4.5.3 past it
  std::size_t messages_per_session = 100;        // 421 4.7.0 past it
  std::size_t errors = 20;  // client errors before 421 4.7.0 (Postfix hard limit)
  Micros session_time = 30 * 60 * kMicrosPerSecond;  // whole session; 421 4.4.2 past it
  Micros idle_timeout = 5 * 60 * kMicrosPerSecond;   // between reads; 421 4.4.2 past it
  std::size_t connections = 1000;                    // at once, in total; 421 4.7.0 past it
  std::size_t connections_per_ip = 20;            // at once, per client address; 421 4.7.0 past it
  Micros shutdown_grace = 10 * kMicrosPerSecond;  // on SIGTERM, before open sessions get 421
};

// Bytes of transcript kept per session; the rest is counted, not kept.
inline constexpr std::size_t kTranscriptBytes = 64 * 1024;
// RCPT commands kept in a session's log (accepted ones are in their messages as well); the rest
// are counted. Without it a long pipelined session could grow its log without end.
inline constexpr std::size_t kSessionRecipients = 1000;
// Largest journal record accepted when reading (a message at the size limit plus its envelope
// fits many times over); a length beyond it marks a corrupt or torn frame.
inline constexpr std::size_t kMaxRecordBytes = 1024u * 1024u * 1024u;
// How many bytes of one header field we keep in the index (Subject, From, Message-ID, Date):
// generous, since spam subjects of several encoded words run past 1000, but bounded.
inline constexpr std::size_t kIndexedHeaderBytes = 16 * 1024;

// Largest compressed raw message a store keeps in a row (`[store] keep_raw`). A row travels in
// one packet and MariaDB's default max_allowed_packet is 16 MiB; a bigger one stays in the spool.
inline constexpr std::size_t kStoredRawBytes = 8 * 1024 * 1024;

// A de-duplicated key (address, HELO, subject...) is kept to this many bytes: the dedupe tables
// are indexed on it, and a longer value of a peer's is cut, not refused.
inline constexpr std::size_t kHarvestKeyBytes = 255;

// Message forensics (message/parse.cpp): how much of one message's structure is examined. A
// message past a limit is still stored and indexed, with the limit named among its problems.
// Header values are kept to kIndexedHeaderBytes each, raw and decoded.
// MIME nesting beyond this depth is not walked (GMime's parser has its own, deeper, guard).
inline constexpr std::size_t kMimeDepth = 20;
// Leaf parts examined per message (attachments, text for URLs and the fingerprint).
inline constexpr std::size_t kMimeParts = 500;
// URLs kept per message, and bytes of one URL.
inline constexpr std::size_t kUrlsPerMessage = 500;
inline constexpr std::size_t kUrlBytes = 2048;
// Received hops kept per message (mail loops and forged chains can have hundreds).
inline constexpr std::size_t kReceivedHops = 50;
// Bytes of decoded text per message that feed URL extraction and the body fingerprint.
inline constexpr std::size_t kTextBytes = 2 * 1024 * 1024;

}  // namespace spampot
