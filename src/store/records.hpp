// The rows the store keeps and returns. Plain data, shared by every backend.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/ip_address.hpp"
#include "base/session_record.hpp"
#include "base/time.hpp"

namespace spampot::store {

struct message_row {
  std::string id;
  std::string session_id;
  std::string sensor;
  Micros received_at = 0;
  std::string client_ip;
  std::uint16_t client_port = 0;
  // The client's network ([geoip]) when the row was indexed: "" and 0 unknown.
  std::string country;
  std::uint32_t asn = 0;
  std::string as_org;
  std::string helo;
  std::string mail_from;
  std::string mail_from_domain;
  std::vector<std::string> rcpt_to;
  std::uint64_t size = 0;
  std::string sha256;
  std::uint32_t spool_segment = 0;
  std::uint64_t spool_offset = 0;
  // Raw header values as written (decoding them is the message layer's later job).
  std::string message_id;
  std::string date;
  std::string subject;
  std::string from;
  bool relay_attempt = false;
  // Comma-separated flags: bare_lf, long_lines, nul_bytes, eight_bit, chunked.
  std::string flags;
  bool imported = false;  // from a maillog: no raw message in the spool
  std::string source;     // "file:line" of an imported record
  // What the store did to fit a value to its column ("cut:subject", "invalid_utf8:helo").
  std::string problems;
  // SPF (RFC 7208), evaluated after the message was indexed ("" while not evaluated): the result
  // for the MAIL FROM identity, that identity's domain, and the HELO identity's result.
  std::string spf;
  std::string spf_domain;
  std::string spf_helo;
  // DKIM (RFC 6376): the best signature's result, and every signature as a JSON array of
  // {domain, selector, result, error}. DMARC (RFC 7489) for the From domain: result, the record's
  // policy, the domain evaluated, and which mechanisms aligned ("dkim,spf", "dkim", "spf", "").
  std::string dkim;
  std::string dkim_signatures;
  std::string dmarc;
  std::string dmarc_policy;
  std::string dmarc_domain;
  std::string dmarc_alignment;
};

// A request to the seed page (net/seed_server.cpp), as the journal kept it.
struct http_request_row {
  std::string id;
  std::string sensor;
  Micros at = 0;
  std::string client_ip;
  std::uint16_t client_port = 0;
  std::string server_ip;
  std::uint16_t server_port = 0;
  std::string method, target, version, host, user_agent, referer;
  int status = 0;
  std::string problem;
  std::string seed;  // the address the page carried, or empty
  std::string seed_domain;
  std::string seed_label;
  std::string problems;  // as message_row's
};

// A planted address. `kind` says what spam to it means: "planted" (put where harvesters crawl:
// spam to it was harvested) or "registration" (given only to a domain registrar: spam to it came
// from registration data). `source` says who minted it: "page" (the seed page, for the visitor
// named here) or "cli" (`spampot seed`).
struct seed_row {
  std::string address;  // lower case
  std::string domain;
  std::string label;
  std::string kind = "planted";
  std::string source = "cli";
  std::string sensor;
  Micros minted_at = 0;
  std::string request_id;  // the page request that minted it
  std::string visitor_ip;
  std::string user_agent;
};

// One answer of a DNS-based list about a harvested entry: the history behind "first listed at".
struct dnsbl_check_row {
  std::string kind;  // the list's kind: ip, domain, url
  std::string entry;
  std::string list;  // the zone
  Micros checked_at = 0;
  std::string verdict;  // listed, clean, error
  std::string codes;    // the A records, comma-separated
  std::string meaning;  // of the codes; for an error, why
  std::string txt;
};

// Where an entry stands on a list, kept up to date with every check.
struct dnsbl_state_row {
  std::string kind, entry, list;
  Micros first_checked_at = 0, last_checked_at = 0;
  std::string first_answer;  // verdict of the first check that got an answer ("" while none did)
  Micros first_answer_at = 0;
  std::string last_answer;  // verdict of the latest answered check
  Micros first_listed_at = 0, last_listed_at = 0;  // 0: never listed
  std::string codes, meaning, txt;  // of the latest listing
  std::uint64_t errors = 0;
  std::string last_error;
  Micros first_seen = 0;  // the trap's first sighting of the entry (harvest keys), when read back
};

struct search_filter {
  std::optional<Micros> since;  // received_at >= since
  std::optional<Micros> until;  // received_at < until
  std::optional<cidr> ip;
  std::optional<std::string> from;  // "user@dom" exact, or "@dom" for a whole domain
  std::optional<std::string> to;    // likewise, against the accepted recipients
  std::optional<std::string> ja3;   // the TLS fingerprint of the message's session
  std::optional<std::string> ja4;
  std::optional<std::string> fingerprint;  // the behavioural fingerprint of the message's session
  // Message forensics (store/forensics.hpp): a part of the decoded Subject (any case), a URL
  // host or its registrable domain, an attachment's MD5, SHA-1 or SHA-256 (told by length), a
  // normalised Message-ID, a campaign id.
  std::optional<std::string> subject;
  std::optional<std::string> url_host;
  std::optional<std::string> attachment_hash;
  std::optional<std::string> message_id;
  std::optional<std::string> campaign;
  std::optional<std::string> sensor;  // one sensor's captures, in a fleet's store
  // The client's network ([geoip]): its autonomous system, its country (ISO 3166-1, upper case).
  std::optional<std::uint32_t> asn;
  std::optional<std::string> country;
  std::optional<std::string> spf;  // a result word of RFC 7208
  std::optional<std::string> dkim;   // RFC 8601's words
  std::optional<std::string> dmarc;
  // Keyset pagination: only messages after this one in the listing's order (newest first), so a
  // page deep into a million messages costs what the first one does (never OFFSET).
  struct position {
    Micros received_at = 0;
    std::string id;
  };
  std::optional<position> before;
  std::size_t limit = 100;          // 0: no limit
};

struct spool_checkpoint {
  std::uint32_t segment = 1;
  std::uint64_t offset = 0;
};

// A spool record the store refused for good, with why.
struct quarantined_row {
  std::string sensor;
  spool_checkpoint at;      // where the record starts in the sensor's spool
  std::string record_kind;  // message, session, http
  std::string record_id;
  std::string error;
  Micros quarantined_at = 0;
  std::uint64_t attempts = 1;
};

// A message's raw text as a store keeps it (`[store] keep_raw`): its delivered form (the trace
// headers the trap added, then the bytes the client sent), compressed.
struct raw_row {
  std::string id;
  std::string codec;  // "zstd"; "omitted" when it was too big to keep (data is empty then)
  std::uint64_t raw_bytes = 0;  // uncompressed
  std::string data;
};

// A spool segment retention dropped: its messages keep their rows, their raw text is gone.
struct expired_segment_row {
  std::string sensor;
  std::uint32_t segment = 0;
  std::uint64_t bytes = 0;
  Micros newest_at = 0;  // its newest record
  std::string reason;    // max_age, max_spool, min_free
  Micros expired_at = 0;
};

// One pass of [retention] rows_max_age: what it deleted of one sensor's rows.
struct deleted_rows_row {
  std::string sensor;
  Micros deleted_at = 0;
  Micros older_than = 0;
  std::uint64_t messages = 0;
  std::uint64_t sessions = 0;
  std::uint64_t http_requests = 0;
};

// Everything retention dropped, all sensors together.
struct retention_totals {
  std::uint64_t segments = 0;
  std::uint64_t bytes = 0;
  std::uint64_t messages = 0;  // rows deleted
  std::uint64_t sessions = 0;
  std::uint64_t http_requests = 0;
};

// A network as [geoip] tells it, for rows already stored (store::relocate).
struct network_row {
  std::string country;
  std::uint32_t asn = 0;
  std::string as_org;
};
using locator = std::function<network_row(std::string_view ip)>;

struct network_ips {
  std::uint64_t ips = 0;
  std::uint64_t listed = 0;  // on any DNS-based list at its latest answer
};

// A family of sessions that share a behavioural fingerprint (report fingerprints).
struct fingerprint_family {
  std::uint64_t ips = 0;   // distinct client addresses
  std::uint64_t asns = 0;  // distinct autonomous systems, where [geoip] knew them
  std::string helo;        // the most common HELO name
  std::string subject;     // the most common Subject of its messages
  std::string behaviour;   // the features (of its newest session)
};

// One RCPT the greylist experiment held or let through, with its session's client.
struct greylist_row {
  std::string client_ip, sender, recipient;
  std::string greylist;  // "held" or "passed"
  Micros held_since = 0;  // when the triplet was first held
  Micros at = 0;          // this attempt's session start
  std::string fingerprint;
  std::uint32_t asn = 0;
};

// Sessions a tarpit slowed, by what tarpitted them ("listener" or "greytrap").
struct tarpit_stat {
  std::string by;
  std::uint64_t sessions = 0;
  Micros held = 0;  // the time replies were held back, summed
};

// What the checks found, for store::put_auth.
struct auth_row {
  std::string spf, spf_domain, spf_helo;
  std::string dkim, dkim_signatures;
  std::string dmarc, dmarc_policy, dmarc_domain, dmarc_alignment;
};

// A From domain that failed DMARC: `report spoofed`.
struct spoofed_stat {
  std::string domain;
  std::uint64_t messages = 0, ips = 0;
  std::string policy;  // its record's, as last seen
  Micros first_seen = 0, last_seen = 0;
};

struct totals {
  std::uint64_t messages = 0;
  std::uint64_t sessions = 0;
};

}  // namespace spampot::store
