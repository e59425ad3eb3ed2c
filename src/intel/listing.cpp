#include "intel/listing.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

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

std::vector<listed_entry> apply_policy(listing_what w, const std::vector<store::key_stat>& keys,
                                       const listing_policy& p, Micros now) {
  std::vector<listed_entry> out;
  // Addresses sort numerically; names alphabetically.
  std::map<ip_address, listed_entry> ips;
  for (const auto& k : keys) {
    if (std::max(k.messages, k.sessions) < p.min_hits || k.days < p.min_days) continue;
    if (p.since && k.last_seen < *p.since) continue;
    if (p.expire_after > 0 && k.last_seen < now - p.expire_after) continue;
    if (p.exclude.excludes(w, k.name)) continue;
    listed_entry e{k.name, false, k.first_seen, k.last_seen, k.messages, k.sessions, k.days, 1, {}};
    if (holds_addresses(w)) {
      const auto a = ip_address::parse(k.name);
      if (!a) continue;  // not an address (an imported log's "unknown"): nothing a firewall can use
      e.entry = a->to_string();
      ips.emplace(*a, std::move(e));
    } else {
      out.push_back(std::move(e));
    }
  }
  if (!holds_addresses(w)) {
    auto by_entry = [](const auto& a, const auto& b) { return a.entry < b.entry; };
    if (!std::is_sorted(out.begin(), out.end(), by_entry))
      std::sort(out.begin(), out.end(), by_entry);
    for (auto& e : out) e.reason = reason_of(e);
    return out;
  }
  // Aggregation: a network with enough listed addresses (and nothing excluded inside) is listed
  // whole in their place.
  std::map<std::string, std::vector<const listed_entry*>> groups;
  for (const auto& [a, e] : ips) {
    const std::uint64_t k = a.is_v4() ? p.aggregate_v4 : p.aggregate_v6;
    if (k > 0) groups[network_text(a, a.is_v4() ? 24 : 64)].push_back(&e);
  }
  std::set<const listed_entry*> merged;
  std::map<ip_address, listed_entry> nets;
  for (const auto& [net_text, members] : groups) {
    const auto net = cidr::parse(net_text);
    const auto a = net->first();
    const std::uint64_t k = a.is_v4() ? p.aggregate_v4 : p.aggregate_v6;
    if (members.size() < k || p.exclude.overlaps(*net)) continue;
    listed_entry n{net_text, true, members.front()->first_seen, members.front()->last_seen, 0, 0, 0,
                   0,        {}};
    for (const auto* m : members) {
      n.first_seen = std::min(n.first_seen, m->first_seen);
      n.last_seen = std::max(n.last_seen, m->last_seen);
      n.messages += m->messages;
      n.sessions += m->sessions;
      n.days = std::max(n.days, m->days);
      ++n.members;
      merged.insert(m);
    }
    nets.emplace(a, std::move(n));
  }
  for (auto& [a, e] : ips)
    if (!merged.count(&e)) nets.emplace(a, std::move(e));
  for (auto& [a, e] : nets) {
    e.reason = reason_of(e);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<store::listing_event> listing_changes(std::string_view list,
                                                  const std::vector<store::listing>& before,
                                                  const std::vector<listed_entry>& now_listed,
                                                  const std::vector<store::key_stat>& keys,
                                                  listing_what w, const listing_policy& p,
                                                  Micros now) {
  std::vector<store::listing_event> out;
  std::set<std::string> was;
  for (const auto& b : before) was.insert(b.entry);
  std::set<std::string> is;
  for (const auto& e : now_listed) {
    is.insert(e.entry);
    if (!was.count(e.entry)) out.push_back({now, std::string(list), e.entry, "added", e.reason});
  }
  std::map<std::string, const store::key_stat*> by_name;
  for (const auto& k : keys)
    by_name[holds_addresses(w) ? ip_address::parse(k.name).value_or(ip_address()).to_string()
                                   : k.name] = &k;
  for (const auto& b : before) {
    if (is.count(b.entry)) continue;
    std::string why = "no longer meets the listing policy";
    const auto net = holds_addresses(w) ? cidr::parse(b.entry) : std::nullopt;
    const auto it = by_name.find(b.entry);
    if (p.exclude.excludes(w, b.entry)) {
      why = "excluded";
    } else if (net && std::any_of(now_listed.begin(), now_listed.end(), [&](const listed_entry& e) {
                 auto n = cidr::parse(e.entry);
                 return e.network && n && n->contains(net->first());
               })) {
      why = "aggregated into its network";
    } else if (it != by_name.end() && p.expire_after > 0 &&
               it->second->last_seen < now - p.expire_after) {
      why = "expired, not seen since " + day(it->second->last_seen);
    }
    out.push_back({now, std::string(list), b.entry, "removed", why});
  }
  return out;
}

}  // namespace spampot::intel
