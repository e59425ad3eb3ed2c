#include <algorithm>

#include "intel/export_format.hpp"

namespace spampot::intel {

// Input for `ipset restore`: hash:net sets spampot_v4 and spampot_v6, created if missing,
// emptied and refilled. Reference them from iptables with -m set --match-set spampot_v4 src.
Status export_ipset(entry_source& entries, const export_meta& m,
                    export_sink& out) {
  if (!holds_addresses(m.what)) return Error{"ipset sets hold addresses: use --what ips or harvesters"};
  const std::size_t maxelem = std::max<std::size_t>(65536, m.most * 2);
  out += header_comment(m, "load with: ipset restore -exist < FILE");
  out += "create spampot_v4 hash:net family inet maxelem " + std::to_string(maxelem) + " -exist\n";
  out += "create spampot_v6 hash:net family inet6 maxelem " + std::to_string(maxelem) + " -exist\n";
  out += "flush spampot_v4\nflush spampot_v6\n";
  for (const auto& e : entries) {
    const auto net = cidr::parse(e.entry);
    if (!net) continue;
    out += std::string("add ") + (net->first().is_v4() ? "spampot_v4 " : "spampot_v6 ") + e.entry +
           " -exist\n";
  }
  return {};
}

}  // namespace spampot::intel
