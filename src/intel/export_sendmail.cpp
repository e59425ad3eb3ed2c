#include "intel/export_format.hpp"

namespace spampot::intel {
namespace {

// Sendmail's access map matches networks by leading octets ("Connect:192.0.2") and IPv6 by
// leading groups of the full form ("Connect:IPv6:2001:db8:0:1").
std::string connect_key(const listed_entry& e) {
  const auto net = cidr::parse(e.entry);
  if (!net) return "";
  const ip_address first = net->first();
  const auto& b = first.bytes();
  if (first.is_v4()) {
    std::string k =
        std::to_string(b[12]) + "." + std::to_string(b[13]) + "." + std::to_string(b[14]);
    return e.network ? k : k + "." + std::to_string(b[15]);
  }
  if (!e.network) return "IPv6:" + first.to_string();
  char buf[40];
  std::snprintf(buf, sizeof buf, "IPv6:%x:%x:%x:%x", b[0] << 8 | b[1], b[2] << 8 | b[3],
                b[4] << 8 | b[5], b[6] << 8 | b[7]);
  return buf;
}

}  // namespace

Status export_sendmail(entry_source& entries, const export_meta& m,
                       export_sink& out) {
  if (m.what == listing_what::url_domains)
    return Error{"sendmail's access map checks clients and senders, not the links in a message; "
                 "export url-domains as rbldnsd (a URI DNSBL) or spamassassin"};
  out += header_comment(
      m, "add to /etc/mail/access, then: makemap hash /etc/mail/access < /etc/mail/access");
  for (const auto& e : entries) {
    if (!map_safe(e.entry)) continue;
    const std::string key =
        holds_addresses(m.what) ? "Connect:" + connect_key(e) : "From:" + e.entry;
    if (key.ends_with(":")) continue;
    out += key + "\tERROR:5.7.1:550 Listed by spampot\n";
  }
  return {};
}

}  // namespace spampot::intel
