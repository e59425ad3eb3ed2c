// What the MTA line parsers extract (one event per line) and what the correlator builds from them
// (one record per message or per rejected attempt). Plain data.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.hpp"

namespace spampot::importer {

enum class mta : std::uint8_t { postfix, sendmail, exim };
std::string_view to_string(mta m);

enum class event_kind : std::uint8_t {
  ignored,     // a line of a known program that says nothing we keep
  client,      // the connecting client of a queued message
  message_id,  // the Message-ID header
  from,        // envelope sender (with size, and for sendmail/exim the client too)
  to,          // one delivered, bounced or deferred recipient
  done,        // the queue entry is gone: the record is complete
  reject,      // a refused attempt (NOQUEUE reject, ruleset reject, rejected RCPT, failed AUTH)
  lost,        // a client that left before a message (sendmail's "lost input channel")
};

struct log_event {
  event_kind kind = event_kind::ignored;
  std::string queue_id;
  std::string client_name;
  std::string client_ip;
  std::string helo;
  std::string sender;
  bool has_sender = false;  // "from=<>" is a real, empty sender
  std::vector<std::string> recipients;  // sendmail logs several on one to= line
  std::string message_id;
  std::string subject;  // when a header_checks rule logged it
  std::string reply;    // the refusal text of a reject
  std::uint64_t size = 0;
};

// One imported message or refused attempt, with where it came from.
struct import_record {
  bool reject = false;  // a refused attempt, not a message
  mta from_mta = mta::postfix;
  Micros time = 0;      // first line of the record
  std::string host;     // the logging host
  std::string queue_id;
  std::string client_name;
  std::string client_ip;
  std::string helo;
  std::string sender;
  std::vector<std::string> recipients;
  std::string message_id;
  std::string subject;
  std::uint64_t size = 0;
  std::string reply;
  std::string source_file;
  std::uint64_t source_line = 0;
};

}  // namespace spampot::importer
