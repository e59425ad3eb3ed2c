#include "intel/listing.hpp"

#include <algorithm>
#include <cstdio>

#include "base/ascii.hpp"
#include "base/domain.hpp"

namespace spampot::intel {
namespace {

bool in_domain(std::string_view name, std::string_view domain) {
  if (name == domain) return true;
  return name.size() > domain.size() && name.ends_with(domain) &&
         name[name.size() - domain.size() - 1] == '.';
}

// "YYYY-MM-DD" of a time, for reasons (no ':' in them, see listed_entry::reason). By the civil
// calendar arithmetic of days since the epoch: a million reasons are made per big export.
std::string day(Micros t) {
  const std::int64_t z = (t >= 0 ? t : t - 86399999999) / 86400000000 + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld", static_cast<long long>(y),
                static_cast<long long>(m), static_cast<long long>(d));
  return buf;
}

std::string plural(std::uint64_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string reason_of(const listed_entry& e) {
  std::string r;
  if (e.network) r = plural(e.members, "address") + " listed, ";
  r += plural(e.messages, "message") + " and " + plural(e.sessions, "session") + " on " +
       plural(e.days, "day") + ", seen " + day(e.first_seen) + " to " + day(e.last_seen);
  return r;
}

// The network of `prefix` bits around an address, as text ("192.0.2.0/24", "2001:db8::/64").
std::string network_text(const ip_address& a, int prefix) {
  auto b = a.bytes();
  const int bits = a.is_v4() ? 96 + prefix : prefix;
  for (int i = 0; i < 16; ++i) {
    const int keep = std::clamp(bits - i * 8, 0, 8);
    b[static_cast<std::size_t>(i)] &= static_cast<std::uint8_t>(keep == 0 ? 0 : 0xff << (8 - keep));
  }
  return ip_address(b).to_string() + "/" + std::to_string(prefix);
}

}  // namespace

Result<listing_what> parse_listing_what(std::string_view name) {
  if (name == "ips") return listing_what::ips;
  if (name == "senders") return listing_what::senders;
  if (name == "domains") return listing_what::domains;
  if (name == "harvesters") return listing_what::harvesters;
  if (name == "url-domains") return listing_what::url_domains;
  return Error{"unknown --what '" + std::string(name) +
               "' (use ips, senders, domains, harvesters or url-domains)"};
}

std::string_view to_string(listing_what w) {
  switch (w) {
    case listing_what::ips:
      return "ips";
    case listing_what::senders:
      return "senders";
    case listing_what::domains:
      return "domains";
    case listing_what::harvesters:
      return "harvesters";
    case listing_what::url_domains:
      return "url-domains";
  }
  return "ips";
}

store::key_kind key_kind_of(listing_what w) {
  switch (w) {
    case listing_what::ips:
      return store::key_kind::ip;
    case listing_what::senders:
      return store::key_kind::sender;
    case listing_what::domains:
      return store::key_kind::sender_domain;
    case listing_what::harvesters:
      return store::key_kind::harvester;
    case listing_what::url_domains:
      return store::key_kind::url_domain;
  }
  return store::key_kind::ip;
}

bool exclusions::excludes(listing_what w, std::string_view entry) const {
  if (holds_addresses(w)) {
    if (auto net = cidr::parse(entry)) {
      for (const auto& n : networks)
        if (n.contains(net->first()) && n.contains(net->last())) return true;
    }
    return false;
  }
  const std::string e = ascii_lower(entry);
  if (w == listing_what::senders &&
      std::find(addresses.begin(), addresses.end(), e) != addresses.end())
    return true;
  const std::string d = w == listing_what::senders ? domain_of(e) : e;
  return std::any_of(domains.begin(), domains.end(),
                     [&](const std::string& x) { return in_domain(d, x); });
}

bool exclusions::overlaps(const cidr& net) const {
  return std::any_of(networks.begin(), networks.end(), [&](const cidr& n) {
    return net.contains(n.first()) || n.contains(net.first());
  });
}

Result<exclusions> parse_exclusions(std::string_view text, std::string_view source_name) {
  exclusions out;
  std::size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (const auto hash = line.find('#'); hash != std::string_view::npos)
      line = line.substr(0, hash);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front())))
      line.remove_prefix(1);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
      line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.find_first_of(" \t") != std::string_view::npos)
      return Error{std::string(source_name) + ":" + std::to_string(line_no) +
                   ": one entry per line: " + std::string(line)};
    if (auto net = cidr::parse(line)) {
      out.networks.push_back(*net);
    } else if (line.find('@') != std::string_view::npos) {
      if (line.front() == '@') {
        out.domains.push_back(ascii_lower(line.substr(1)));
      } else {
        out.addresses.push_back(ascii_lower(line));
      }
    } else if (line.find('.') != std::string_view::npos &&
               line.find('/') == std::string_view::npos) {
      std::string d = ascii_lower(line);
      if (d.front() == '.') d.erase(0, 1);
      out.domains.push_back(std::move(d));
    } else {
      return Error{std::string(source_name) + ":" + std::to_string(line_no) +
                   ": not a CIDR range, address or domain: " + std::string(line)};
    }
  }
  return out;
}

// The network being aggregated: its entry, and its first addresses while they are too few to
// list it whole (or all of them stay single when an exclusion lies inside it).
struct listing_stream::group {
  std::string net;
  listed_entry whole;
  std::uint64_t threshold = 0;
  bool excluded_inside = false;
  std::vector<listed_entry> members;
};

listing_stream::listing_stream(listing_what w, key_source keys, const listing_policy& p, Micros now)
    : what_(w), keys_(std::move(keys)), policy_(p), now_(now) {}
listing_stream::~listing_stream() = default;

bool listing_stream::passes(const store::key_stat& k) const {
  const auto& p = policy_;
  if (std::max(k.messages, k.sessions) < p.min_hits || k.days < p.min_days) return false;
  if (p.since && k.last_seen < *p.since) return false;
  if (p.expire_after > 0 && k.last_seen < now_ - p.expire_after) return false;
  return !p.exclude.excludes(what_, k.name);
}

bool listing_stream::sort_addresses() {
  sorted_ = std::make_unique<address_sort>();
  store::key_stat k;
  while (keys_(k)) {
    if (!passes(k)) continue;
    const auto a = ip_address::parse(k.name);
    if (!a) continue;  // not an address (an imported log's "unknown"): nothing a firewall can use
    if (auto s = sorted_->add({*a, k.first_seen, k.last_seen, k.messages, k.sessions, k.days}); !s) {
      status_ = s;
      return false;
    }
  }
  if (auto s = sorted_->finish(); !s) {
    status_ = s;
    return false;
  }
  sorted_ready_ = true;
  return true;
}

void listing_stream::queue(listed_entry e) {
  e.reason = reason_of(e);
  ready_.push_back(std::move(e));
}

void listing_stream::close_group() {
  if (!group_) return;
  if (!group_->members.empty() || group_->excluded_inside) {
    for (auto& m : group_->members) queue(std::move(m));
  } else {
    queue(std::move(group_->whole));
  }
  group_.reset();
}

const listed_entry* listing_stream::next() {
  if (!holds_addresses(what_)) {
    store::key_stat k;
    while (keys_(k)) {
      if (!passes(k)) continue;
      current_ = {std::move(k.name), false, k.first_seen, k.last_seen, k.messages, k.sessions, k.days, 1, {}};
      current_.reason = reason_of(current_);
      return &current_;
    }
    return nullptr;
  }
  if (!sorted_ready_ && !sort_addresses()) return nullptr;
  address_key a;
  while (ready_.empty()) {
    if (!sorted_->next(a)) {
      if (!sorted_->status()) {
        status_ = sorted_->status();
        return nullptr;
      }
      close_group();
      break;
    }
    if (last_ && *last_ == a.address) continue;  // the same address under two spellings
    last_ = a.address;
    listed_entry e{a.address.to_string(), false, a.first_seen, a.last_seen, a.messages, a.sessions, a.days, 1, {}};
    const std::uint64_t threshold = a.address.is_v4() ? policy_.aggregate_v4 : policy_.aggregate_v6;
    if (threshold == 0) {
      close_group();
      queue(std::move(e));
      continue;
    }
    std::string net = aggregate_of(a.address);
    if (!group_ || group_->net != net) {
      close_group();
      group_ = std::make_unique<group>();
      group_->whole = {net, true, a.first_seen, a.last_seen, 0, 0, 0, 0, {}};
      group_->threshold = threshold;
      group_->excluded_inside = policy_.exclude.overlaps(*cidr::parse(net));
      group_->net = std::move(net);
    }
    auto& g = *group_;
    g.whole.first_seen = std::min(g.whole.first_seen, e.first_seen);
    g.whole.last_seen = std::max(g.whole.last_seen, e.last_seen);
    g.whole.messages += e.messages;
    g.whole.sessions += e.sessions;
    g.whole.days = std::max(g.whole.days, e.days);
    ++g.whole.members;
    if (g.excluded_inside) {
      queue(std::move(e));  // listed one by one as they come: the network never is
    } else if (g.whole.members >= g.threshold) {
      g.members.clear();  // the network is listed in their place
    } else {
      g.members.push_back(std::move(e));
    }
  }
  if (ready_.empty()) return nullptr;
  current_ = std::move(ready_.front());
  ready_.pop_front();
  return &current_;
}

std::vector<listed_entry> apply_policy(listing_what w, std::vector<store::key_stat> keys,
                                       const listing_policy& p, Micros now) {
  std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  std::size_t i = 0;
  listing_stream s(w, [&](store::key_stat& k) { return i < keys.size() ? (k = keys[i++], true) : false; }, p, now);
  std::vector<listed_entry> out;
  while (const auto* e = s.next()) out.push_back(*e);
  return out;
}

std::string aggregate_of(const ip_address& a) { return network_text(a, a.is_v4() ? 24 : 64); }

std::string why_delisted(listing_what w, std::string_view entry, bool network_listed,
                         const std::optional<store::key_stat>& key, const listing_policy& p, Micros now) {
  if (p.exclude.excludes(w, entry)) return "excluded";
  if (network_listed) return "aggregated into its network";
  if (key && p.expire_after > 0 && key->last_seen < now - p.expire_after)
    return "expired, not seen since " + day(key->last_seen);
  return "no longer meets the listing policy";
}

}  // namespace spampot::intel
