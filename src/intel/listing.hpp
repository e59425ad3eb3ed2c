// The listing policy every export format shares: which harvested keys are listed, and why.
// Pure but for the sort's temporary files: the de-duplicated key counts and the time come in,
// the entries to publish go out.
#pragma once

#include <deque>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/ip_address.hpp"
#include "base/result.hpp"
#include "intel/address_sort.hpp"
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

// Entries one at a time, in order: what every export format reads, once, with a range for.
class entry_source {
 public:
  virtual ~entry_source() = default;
  // Null at the end.
  virtual const listed_entry* next() = 0;

  struct iterator {
    entry_source* source;
    const listed_entry* at;
    const listed_entry& operator*() const { return *at; }
    iterator& operator++() {
      at = source->next();
      return *this;
    }
    bool operator==(std::default_sentinel_t) const { return at == nullptr; }
  };
  iterator begin() { return {this, next()}; }
  std::default_sentinel_t end() { return {}; }
};

// The entries of a vector (tests, and a format's probe with none).
class vector_source final : public entry_source {
 public:
  explicit vector_source(const std::vector<listed_entry>& v) : v_(v) {}
  const listed_entry* next() override { return i_ < v_.size() ? &v_[i_++] : nullptr; }

 private:
  const std::vector<listed_entry>& v_;
  std::size_t i_ = 0;
};

// Keys in, one at a time (a store cursor; a vector in tests). False at the end.
using key_source = std::function<bool(store::key_stat&)>;

// The policy over keys that come ordered by the bytes of their names. Names are listed as they
// come. Addresses are put in numeric order (address_sort, on disk past a few MiB) and aggregated
// into networks as they go by: a network's addresses are neighbours in that order, so only the
// current network's first few are held. A listing of a million keys is never in memory whole.
class listing_stream final : public entry_source {
 public:
  listing_stream(listing_what w, key_source keys, const listing_policy& p, Micros now);
  ~listing_stream() override;
  const listed_entry* next() override;
  // An error of the sort's temporary files (the key source's own errors are its owner's).
  const Status& status() const { return status_; }

 private:
  struct group;
  bool passes(const store::key_stat& k) const;
  bool sort_addresses();
  void close_group();
  void queue(listed_entry e);

  listing_what what_;
  key_source keys_;
  const listing_policy& policy_;
  Micros now_;
  Status status_;
  listed_entry current_;
  std::unique_ptr<address_sort> sorted_;
  std::unique_ptr<group> group_;
  std::deque<listed_entry> ready_;
  bool sorted_ready_ = false;
  std::optional<ip_address> last_;
};

// The entries, sorted (addresses numerically, names by their bytes): a listing_stream over
// keys given whole.
std::vector<listed_entry> apply_policy(listing_what w, std::vector<store::key_stat> keys,
                                       const listing_policy& p, Micros now);

// The network an address would be listed as whole ("192.0.2.0/24", "2001:db8::/64").
std::string aggregate_of(const ip_address& a);

// Why an entry published before is no longer listed: `network_listed` when the network it
// aggregates into is listed now; `key` its counts when the store still has them.
std::string why_delisted(listing_what w, std::string_view entry, bool network_listed,
                         const std::optional<store::key_stat>& key, const listing_policy& p,
                         Micros now);

}  // namespace spampot::intel
