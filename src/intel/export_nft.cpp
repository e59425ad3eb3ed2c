#include "intel/export_format.hpp"

namespace spampot::intel {

// A file for `nft -f`: declares table inet spampot with interval sets spampot_v4 and spampot_v6
// (creating them the first time), empties them and fills them, in one atomic transaction.
// A rule of the user's own drops what they hold, e.g.
//   nft add rule inet spampot input ip saddr @spampot_v4 drop
Result<std::string> export_nft(const std::vector<listed_entry>& entries, const export_meta& m) {
  if (m.what != listing_what::ips) return Error{"nft sets hold addresses: use --what ips"};
  std::string v4, v6;
  for (const auto& e : entries) {
    const auto net = cidr::parse(e.entry);
    if (!net) continue;
    std::string& to = net->first().is_v4() ? v4 : v6;
    to += (to.empty() ? "" : ",\n    ") + e.entry;
  }
  std::string out = "#!/usr/sbin/nft -f\n" + header_comment(m, "load with: nft -f FILE");
  out +=
      "table inet spampot {\n"
      "  set spampot_v4 { type ipv4_addr; flags interval; }\n"
      "  set spampot_v6 { type ipv6_addr; flags interval; }\n"
      "}\n"
      "flush set inet spampot spampot_v4\n"
      "flush set inet spampot spampot_v6\n";
  if (!v4.empty()) out += "add element inet spampot spampot_v4 {\n    " + v4 + "\n}\n";
  if (!v6.empty()) out += "add element inet spampot spampot_v6 {\n    " + v6 + "\n}\n";
  return out;
}

}  // namespace spampot::intel
