#include "intel/export_format.hpp"

namespace spampot::intel {

// blocklist_from (SpamAssassin 4; blacklist_from before) matches the From and envelope
// sender; blocklist_uri_host a domain (and its subdomains) linked from the message, scored by
// the stock URI_HOST_IN_BLOCKLIST rule. IPs belong in a DNS zone instead: export rbldnsd and
// point an askdns or header eval:check_rbl rule at it.
Status export_spamassassin(entry_source& entries, const export_meta& m,
                           export_sink& out) {
  if (holds_addresses(m.what))
    return Error{
        "spamassassin rules hold senders and domains; for IPs export rbldnsd and query it as a "
        "DNSBL"};
  out += header_comment(m, "copy to /etc/spamassassin/spampot.cf and run spamassassin --lint");
  for (const auto& e : entries) {
    if (!map_safe(e.entry) || e.entry.find_first_of("*?") != std::string::npos) continue;
    if (m.what == listing_what::senders) {
      out += "blocklist_from " + e.entry + "\n";
    } else if (m.what == listing_what::url_domains) {
      out += "blocklist_uri_host " + e.entry + "\n";
    } else {
      out += "blocklist_from *@" + e.entry + "\nblocklist_from *@*." + e.entry + "\n";
    }
  }
  return {};
}

}  // namespace spampot::intel
