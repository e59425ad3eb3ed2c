#include "intel/export_format.hpp"

namespace spampot::intel {

// An ip4set zone for IPs (IPv4 only: rbldnsd keeps IPv6 in a separate ip6trie dataset) or a
// dnset zone for domains (".domain" lists the domain and every name under it). Every entry
// answers 127.0.0.2 with its reason as TXT; rbldnsd reloads the file when it changes.
Status export_rbldnsd(entry_source& entries, const export_meta& m,
                      export_sink& out) {
  if (m.what == listing_what::senders)
    return Error{"rbldnsd zones hold IPs and domains, not e-mail addresses; use --what domains"};
  const bool ips = holds_addresses(m.what);
  out +=
      header_comment(m, ips ? "rbldnsd -r DIR ZONE:ip4set:FILE" : "rbldnsd -r DIR ZONE:dnset:FILE");
  out += ":127.0.0.2:Listed by spampot\n";
  std::size_t v6 = 0;
  for (const auto& e : entries) {
    if (!map_safe(e.entry)) continue;
    if (ips) {
      const auto net = cidr::parse(e.entry);
      if (!net || !net->first().is_v4()) {
        ++v6;
        continue;
      }
      out += e.entry + " :127.0.0.2:Listed by spampot, " + e.reason + "\n";
    } else {
      out += "." + e.entry + " :127.0.0.2:Listed by spampot, " + e.reason + "\n";
    }
  }
  if (v6 > 0) out += "# " + std::to_string(v6) + " IPv6 entries left out: ip4set holds IPv4 only\n";
  return {};
}

}  // namespace spampot::intel
