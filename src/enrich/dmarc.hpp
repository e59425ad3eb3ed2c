// DMARC (RFC 7489) for a message's From domain, with libopendmarc: the record is asked through the
// trap's own resolver (at the From domain, then its organisational domain) and handed to the
// library with the SPF and DKIM results already found, which it judges for alignment and policy.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "enrich/dkim.hpp"
#include "enrich/spf.hpp"

namespace spampot::enrich {

struct dmarc_input {
  std::string client_ip;
  std::string from_domain;  // of the From header's address; "" when it has none
  bool null_sender = false;  // MAIL FROM <>: the SPF result is the HELO identity's
  spf_verdict spf;
  std::vector<dkim_signature> dkim;
};

struct dmarc_verdict {
  std::string result;         // pass, fail, none (no record), temperror, permerror
  std::string policy;         // the record's p= (sp= for a subdomain): none, quarantine, reject
  std::string record_domain;  // where the record was found
  bool dkim_aligned = false;
  bool spf_aligned = false;
};

class dmarc_checker {
 public:
  static Result<std::unique_ptr<dmarc_checker>> make(dns_ask ask);
  dmarc_verdict check(const dmarc_input& in) const;

 private:
  explicit dmarc_checker(dns_ask ask) : ask_(std::move(ask)) {}
  dns_ask ask_;
};

}  // namespace spampot::enrich
