// The listing policy every export format shares: which harvested keys are listed, and why.
// Pure: the de-duplicated key counts and the time come in, the entries to publish go out.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/ip_address.hpp"
#include "base/result.hpp"
#include "store/harvest.hpp"

namespace spampot::intel {

// harvesters: clients that fetched a seed page (issue 10); addresses like ips.
enum class listing_what { ips, senders, domains, harvesters, url_domains };

// True for the kinds whose entries are IP addresses and networks.
inline bool holds_addresses(listing_what w) {
  return w == listing_what::ips || w == listing_what::harvesters;
}

Result<listing_what> parse_listing_what(std::string_view name);
std::string_view to_string(listing_what w);
store::key_kind key_kind_of(listing_what w);

// Never listed, whatever they did: networks (CIDR or single addresses), whole addresses, and
// domains (with their subdomains, and every address at them). One per line, '#' comments.
struct exclusions {
  std::vector<cidr> networks;
  std::vector<std::string> addresses;  // lower-cased
  std::vector<std::string> domains;    // lower-cased

  bool excludes(listing_what w, std::string_view entry) const;
  // True when any excluded network lies inside `net` (which then must not be listed whole).
  bool overlaps(const cidr& net) const;
};

// Errors name the file and line.
Result<exclusions> parse_exclusions(std::string_view text, std::string_view source_name);

struct listing_policy {
  std::uint64_t min_hits = 1;
  std::uint64_t min_days = 1;
  std::optional<Micros> since;  // seen at or after (last_seen)
  Micros expire_after = 0;      // not seen for this long: not listed (0: never expires)
  exclusions exclude;
  std::uint64_t aggregate_v4 =
      0;  // >0: a /24 with at least this many listed addresses is listed whole
  std::uint64_t aggregate_v6 = 0;  // likewise for a /64
};

struct listed_entry {
  std::string
      entry;  // "192.0.2.1", "192.0.2.0/24", "2001:db8::/64", "spam@bad.example", "bad.example"
  bool network = false;
  Micros first_seen = 0;
  Micros last_seen = 0;
  std::uint64_t messages = 0;
  std::uint64_t sessions = 0;
  std::uint64_t days = 0;
  std::uint64_t members = 1;  // addresses behind an aggregated network
  std::string reason;         // plain ASCII, no ':' so every format can carry it
};

// The entries, sorted (addresses numerically, names alphabetically).
std::vector<listed_entry> apply_policy(listing_what w, const std::vector<store::key_stat>& keys,
                                       const listing_policy& p, Micros now);

// What changed since the last published listing, each with its time and reason.
std::vector<store::listing_event> listing_changes(std::string_view list,
                                                  const std::vector<store::listing>& before,
                                                  const std::vector<listed_entry>& now_listed,
                                                  const std::vector<store::key_stat>& keys,
                                                  listing_what w, const listing_policy& p,
                                                  Micros now);

}  // namespace spampot::intel
