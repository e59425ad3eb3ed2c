// What message forensics finds in one captured message: the parsed model the pipeline stores.
// Plain data; GMime stays behind message::parse (parse.cpp) so no other layer includes it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.hpp"

namespace spampot::message {

struct mailbox {
  std::string name;     // display name, decoded to UTF-8
  std::string address;  // addr-spec as written (an empty `<>` stays empty)
};

// A header field the analyst reads, as written (unfolded) and decoded to UTF-8.
struct header_field {
  std::string name;
  std::string raw;
  std::string value;
};

// One Received: field, read by received.cpp. Empty fields were not in the text.
struct received_hop {
  std::string from_name;  // the name the sending host gave (HELO), or what the MTA saw
  std::string from_ip;    // the address the receiving MTA recorded for the sender
  std::string by_name;
  std::string protocol;   // with: SMTP, ESMTPS, ...
  std::string id;         // the receiving MTA's queue id
  std::optional<Micros> at;
  std::string raw;
};

struct url {
  std::string text;    // normalised: scheme and host lower case, host in punycode
  std::string host;
  std::string domain;  // registrable domain of the host (Public Suffix List)
  std::string source;  // href, src or text
};

struct attachment {
  std::string name;  // decoded file name; empty for an unnamed inline part
  std::string declared_type;
  std::string sniffed_type;  // libmagic's reading of the content
  std::string disposition;   // attachment, inline, or empty when not given
  std::uint64_t size = 0;    // decoded bytes
  std::string md5, sha1, sha256;
  std::string content;  // the decoded bytes, only when parse_options::keep_content asks
};

struct parsed {
  std::vector<header_field> headers;  // Subject, From, Reply-To, To, Cc, Return-Path, ... as found
  std::string subject;
  mailbox from, reply_to;
  std::string message_id;          // normalised: <local@domain> with the domain in lower case
  std::string message_id_problem;  // "", "missing" or "malformed"
  std::string date;                // as written
  std::optional<Micros> date_utc;
  std::vector<std::string> date_problems;  // missing, unparseable, future, far_from_receipt
  std::vector<received_hop> received;      // topmost (latest) first
  std::string first_external_ip;           // the first public address the chain claims
  std::vector<url> urls;
  std::vector<attachment> attachments;
  std::string body_sha256;  // of the normalised text; empty when the message has no text
  // The normalised text both fingerprints are of (message/fingerprint.hpp). Its ssdeep hash is
  // taken by the pipeline, and only when the digest matches no campaign already: ssdeep is the
  // costliest step of indexing a message.
  std::string body_text;
  std::vector<std::string> problems;  // what the parser found wrong, and limits reached
  // Only when parse_options::keep_content asks (the console's message page; never the indexer):
  // the text/plain parts' decoded text, the text/html parts' markup as sent (decoded to UTF-8).
  std::string text_body;
  std::string html_body;
};

struct parse_options {
  bool keep_content = false;
};

// Parses a message as captured. `received_at` is the trap's time of receipt, against which the
// Date is judged. Never fails: whatever cannot be read is named in `problems`.
parsed parse(std::string_view raw, Micros received_at, parse_options opts = {});

// The normalised form of a Message-ID value ("<local@Domain>" -> "<local@domain>"), or "" when
// the value holds no id. For stored ids and for what `search --message-id` is given alike.
std::string normalise_message_id(std::string_view value);

}  // namespace spampot::message
