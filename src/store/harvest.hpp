// The de-duplicated harvest: for every key a spammer revealed (client IP, envelope sender, sender
// domain, HELO, trap address hit, trap domain, Message-ID, Subject) its first and last sighting,
// message and session counts and distinct days; per day for time windows, per trap domain and day
// for reports restricted to one trap domain, and per hour (overall and per trap domain) for
// histograms.
//
// The counters move at index time, in the same transaction as the row that moves them and only
// when that row is new, so a record indexed twice counts once and reports never scan every
// message. This file is the pure part: which keys a row carries and what each adds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.hpp"
#include "store/records.hpp"

namespace spampot::store {

enum class key_kind : std::uint8_t {
  ip,
  sender,
  sender_domain,  // registrable domain of the envelope sender (libpsl)
  helo,
  recipient,    // trap address hit: the harvested ones
  trap_domain,  // domain of an accepted trap address
  message_id,
  subject,
  harvester,  // a client that fetched a seed page and got an address
  url_domain,  // registrable domain of a URL in a message (message forensics)
  asn,         // the client's autonomous system number ([geoip])
  country,     // the client's country, ISO 3166-1 alpha-2 ([geoip])
  spf,         // a message's SPF result, counted when it is evaluated
  dkim,        // its DKIM result, likewise
  dmarc,       // its DMARC result, likewise
  fingerprint,  // a session's behavioural fingerprint (smtp/behaviour.hpp), with its messages
};


std::string_view to_string(key_kind k);
std::optional<key_kind> key_kind_from(std::string_view name);

// What one row adds to one key.
struct key_hit {
  key_kind kind;
  std::string name;
  Micros at = 0;
  std::uint32_t messages = 0;
  std::uint32_t sessions = 0;
};

// What one row adds to one hour, overall (domain "") and per trap domain.
struct hour_hit {
  std::string domain;
  Micros at = 0;
  std::uint32_t messages = 0;
  std::uint32_t sessions = 0;
  std::uint32_t relay_attempts = 0;
  std::uint32_t auth_attempts = 0;
};

struct row_hits {
  std::vector<key_hit> keys;
  std::vector<hour_hit> hours;
  // The trap domains the row reached (a message's recipients there, a session's accepted trap
  // addresses): each key counts again under each of them, as it counts overall. A relay test's
  // recipients are somebody else's, so it reaches none.
  std::vector<std::string> domains;
};

// A message counts once for each of its keys. A captured message's session counts when its
// session row arrives (the session's messages are stored by then: the journal writes a session
// after its messages); an imported message has no session row and stands for its own connection.
// `message_ids` and `subjects` are those of the session's messages, which the store reads.
row_hits hits_of(const message_row& m);
row_hits hits_of(const session_record& s, const std::vector<std::string>& message_ids,
                 const std::vector<std::string>& subjects);

// A seed page visit that handed out an address counts its client as a harvester, one session.
row_hits hits_of(const http_request_row& h);

// A message's SPF, DKIM and DMARC results count once each, at its receipt, when evaluated.
row_hits auth_hits(const auth_row& a, const message_row& m);

// The registrable domains of a message's URLs count once each, at the message's receipt.
row_hits url_hits(const std::vector<std::string>& domains, const message_row& m);

// Whether a key kind also counts per trap domain: not the trap domain itself, nor a harvester
// (a web client, which reaches no trap domain).
bool counted_per_domain(key_kind k);

// Normalised key text: lower-cased where case carries no meaning (addresses, names, domains),
// made valid UTF-8 and cut to kHarvestKeyBytes at a character boundary, as stored values are.
std::string key_name(key_kind k, std::string_view raw);

// Reading it back.
struct key_stat {
  std::string name;
  Micros first_seen = 0;
  Micros last_seen = 0;
  std::uint64_t messages = 0;
  std::uint64_t sessions = 0;
  std::uint64_t days = 0;
};

struct window {
  std::optional<Micros> since;  // inclusive
  std::optional<Micros> until;  // exclusive
  std::string domain;           // a trap domain, or "" for all
};

struct hour_stat {
  std::int64_t hour = 0;  // hours since the epoch
  std::uint64_t messages = 0;
  std::uint64_t sessions = 0;
  std::uint64_t relay_attempts = 0;
  std::uint64_t auth_attempts = 0;
};

struct auth_stat {
  std::vector<std::string> values;  // one per grouped field
  std::uint64_t attempts = 0;
  std::uint64_t sessions = 0;
  Micros first = 0;
  Micros last = 0;
};

struct listing {
  std::string entry;
  Micros listed_at = 0;
  std::string reason;
};

struct listing_event {
  Micros at = 0;
  std::string list;
  std::string entry;
  std::string action;  // "added" or "removed"
  std::string reason;
};

inline constexpr Micros kMicrosPerHour = 3600LL * 1000000;
inline constexpr Micros kMicrosPerDay = 24 * kMicrosPerHour;
inline std::int64_t hour_of(Micros t) {
  return t >= 0 ? t / kMicrosPerHour : (t + 1) / kMicrosPerHour - 1;
}
inline std::int64_t day_of(Micros t) {
  return t >= 0 ? t / kMicrosPerDay : (t + 1) / kMicrosPerDay - 1;
}

}  // namespace spampot::store
