// Which recipients the trap accepts: every address at a trap domain (a wildcard catch-all, like one
// sendmail virtusertable line "@trap.example spampot"), narrowed or widened by per-address rules.
// Anything else is a relay attempt. Immutable once built; SIGHUP builds a new one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace spampot::smtp {

enum class rcpt_verdict { trap, refused, relay };

struct trap_domain {
  std::string domain;
  bool subdomains = false;  // also accept at any name below it
};

// A rule matches one address ("postmaster@trap.example") or a whole domain ("@other.example").
// Address rules win over domain rules, and both over the trap domains.
struct rcpt_rule {
  std::string pattern;
  bool accept = true;
};

class recipient_policy {
 public:
  recipient_policy() = default;
  recipient_policy(std::vector<trap_domain> domains, std::vector<rcpt_rule> rules);

  rcpt_verdict classify(std::string_view address) const;
  const std::vector<trap_domain>& domains() const { return domains_; }

 private:
  std::vector<trap_domain> domains_;  // lower case, no trailing dot
  std::vector<rcpt_rule> rules_;      // lower case
};

}  // namespace spampot::smtp
