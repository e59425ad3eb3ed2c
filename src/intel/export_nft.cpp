#include "intel/export_format.hpp"

namespace spampot::intel {

// A file for `nft -f`: declares table inet spampot with interval sets spampot_v4 and spampot_v6
// (creating them the first time), empties them and fills them, in one atomic transaction.
// A rule of the user's own drops what they hold, e.g.
//   nft add rule inet spampot input ip saddr @spampot_v4 drop
Status export_nft(entry_source& entries, const export_meta& m,
                  export_sink& out) {
  if (!holds_addresses(m.what)) return Error{"nft sets hold addresses: use --what ips or harvesters"};
  out += "#!/usr/sbin/nft -f\n" + header_comment(m, "load with: nft -f FILE");
  out +=
      "table inet spampot {\n"
      "  set spampot_v4 { type ipv4_addr; flags interval; }\n"
      "  set spampot_v6 { type ipv6_addr; flags interval; }\n"
      "}\n"
      "flush set inet spampot spampot_v4\n"
      "flush set inet spampot spampot_v6\n";
  // Elements in blocks of a thousand, a block per run of one family (the entries come in
  // numeric order, where IPv4 sits among IPv6): the whole file is still one transaction.
  std::size_t in_block = 0;
  bool block_v4 = true;
  auto close = [&] {
    if (in_block) out += "\n}\n";
    in_block = 0;
  };
  for (const auto& e : entries) {
    const auto net = cidr::parse(e.entry);
    if (!net) continue;
    const bool v4 = net->first().is_v4();
    if (in_block && v4 != block_v4) close();
    if (in_block == 0) {
      block_v4 = v4;
      out += std::string("add element inet spampot ") + (v4 ? "spampot_v4" : "spampot_v6") + " {\n    ";
    }
    out += (in_block ? ",\n    " : "") + e.entry;
    if (++in_block == 1000) close();
  }
  close();
  return {};
}

}  // namespace spampot::intel
