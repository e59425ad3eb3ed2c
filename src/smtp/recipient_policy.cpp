#include "smtp/recipient_policy.hpp"

#include "base/ascii.hpp"
#include "smtp/address.hpp"

namespace spampot::smtp {

recipient_policy::recipient_policy(std::vector<trap_domain> domains, std::vector<rcpt_rule> rules)
    : domains_(std::move(domains)), rules_(std::move(rules)) {
  for (auto& d : domains_) {
    d.domain = ascii_lower(d.domain);
    if (!d.domain.empty() && d.domain.back() == '.') d.domain.pop_back();
  }
  for (auto& r : rules_) r.pattern = ascii_lower(r.pattern);
}

rcpt_verdict recipient_policy::classify(std::string_view address) const {
  const auto [local, domain] = split(address);
  // RFC 5321 §4.5.1: the bare "postmaster" must be accepted; at a trap it is a trap address too.
  if (domain.empty())
    return iequals(local, "postmaster") ? rcpt_verdict::trap : rcpt_verdict::refused;
  const std::string full = ascii_lower(local) + "@" + domain;
  const std::string whole_domain = "@" + domain;
  for (const auto& r : rules_) {
    if (r.pattern == full) return r.accept ? rcpt_verdict::trap : rcpt_verdict::refused;
  }
  for (const auto& r : rules_) {
    if (r.pattern == whole_domain) return r.accept ? rcpt_verdict::trap : rcpt_verdict::refused;
  }
  for (const auto& d : domains_) {
    if (domain == d.domain) return rcpt_verdict::trap;
    if (d.subdomains && domain.size() > d.domain.size() + 1 && domain.ends_with(d.domain) &&
        domain[domain.size() - d.domain.size() - 1] == '.')
      return rcpt_verdict::trap;
  }
  return rcpt_verdict::relay;
}

}  // namespace spampot::smtp
