#include "intel/export_format.hpp"

namespace spampot::intel {

// IPs: a cidr table for check_client_access (read as is, no postmap). Senders and domains: a
// hash/lmdb source for check_sender_access (postmap it); a bare domain also matches its
// subdomains with Postfix's default parent_domain_matches_subdomains.
Status export_postfix(entry_source& entries, const export_meta& m,
                      export_sink& out) {
  if (m.what == listing_what::url_domains)
    return Error{"postfix access maps check clients and senders, not the links in a message; "
                 "export url-domains as rbldnsd (a URI DNSBL) or spamassassin"};
  const bool ips = holds_addresses(m.what);
  out += header_comment(
      m,
      ips ? "smtpd_client_restrictions = check_client_access cidr:/etc/postfix/spampot_clients.cidr"
          : "postmap this file; smtpd_sender_restrictions = check_sender_access "
            "hash:/etc/postfix/spampot_senders");
  for (const auto& e : entries) {
    if (!map_safe(e.entry)) continue;
    out += e.entry + (ips ? " " : "\t") + "REJECT Listed by spampot, " + e.reason + "\n";
  }
  return {};
}

}  // namespace spampot::intel
