// SPF (RFC 7208) for a message's client address, envelope sender and HELO, with libspf2. Its DNS
// questions go through the trap's own resolver (the [dns] servers, cache and rate budget) by a
// DNS layer of our own under libspf2, never through the system's resolver.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "dns/lookup.hpp"

namespace spampot::enrich {

// RFC 7208's words: pass, fail, softfail, neutral, none, temperror, permerror.
struct spf_verdict {
  std::string result;       // of the MAIL FROM identity (the HELO's when MAIL FROM is <>)
  std::string domain;       // that identity's domain
  std::string helo_result;  // of the HELO identity alone ("none" when the HELO is no domain)
};

using dns_ask = std::function<dns::lookup_result(const std::string& name, dns::rr type)>;

// One per thread: libspf2's server holds per-query state.
class spf_checker {
 public:
  static Result<std::unique_ptr<spf_checker>> make(dns_ask ask);
  ~spf_checker();
  spf_checker(const spf_checker&) = delete;
  spf_checker& operator=(const spf_checker&) = delete;

  spf_verdict check(std::string_view client_ip, std::string_view helo, std::string_view mail_from);

 private:
  struct impl;
  explicit spf_checker(std::unique_ptr<impl> i);
  std::unique_ptr<impl> impl_;
};

// Whether a name can be an SPF identity's domain: a multi-label name of letters, digits and
// hyphens within DNS's limits (RFC 7208 4.3: anything else is "none" without asking).
bool is_checkable_domain(std::string_view domain);

}  // namespace spampot::enrich
