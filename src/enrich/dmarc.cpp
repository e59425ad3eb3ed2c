#include "enrich/dmarc.hpp"

// dmarc.h sizes a struct of the library's by MAXPATHLEN: take it from where the library did.
#include <netinet/in.h>
#include <sys/param.h>
#include <sys/socket.h>
#include <sys/types.h>

extern "C" {
#include <opendmarc/dmarc.h>
}

#include <cstring>
#include <filesystem>
#include <mutex>

#include "base/ascii.hpp"
#include "base/registrable_domain.hpp"

namespace spampot::enrich {
namespace {

// The Public Suffix List Debian installs: the library's organisational domains then match ours.
constexpr const char* kSuffixList = "/usr/share/publicsuffix/public_suffix_list.dat";

Status init_library_once() {
  static std::once_flag once;
  static int status = DMARC_PARSE_OKAY;
  std::call_once(once, [] {
    static OPENDMARC_LIB_T lib;
    std::memset(&lib, 0, sizeof lib);
    lib.tld_type = OPENDMARC_TLD_TYPE_NONE;
    if (std::filesystem::exists(kSuffixList)) {
      lib.tld_type = OPENDMARC_TLD_TYPE_MOZILLA;
      std::strncpy(reinterpret_cast<char*>(lib.tld_source_file), kSuffixList, sizeof lib.tld_source_file - 1);
    }
    status = opendmarc_policy_library_init(&lib);
  });
  if (status != DMARC_PARSE_OKAY) return Error{"libopendmarc: cannot initialise (" + std::to_string(status) + ")"};
  return {};
}

u_char* text(std::string& s) { return reinterpret_cast<u_char*>(s.data()); }

// The one DMARC record at `name`: nullopt-like "" when there is none; `failed` when DNS gave no
// answer; `several` when the name holds more than one (RFC 7489 6.6.3: then none applies).
struct record_lookup {
  std::string record;
  bool failed = false;
  bool several = false;
};

record_lookup find_record(const dns_ask& ask, const std::string& domain) {
  record_lookup out;
  const std::string name = "_dmarc." + domain;
  if (!is_checkable_domain(name)) return out;
  const dns::lookup_result got = ask(name, dns::rr::txt);
  if (!got.answered()) {
    out.failed = true;
    return out;
  }
  for (const auto& v : got.values) {
    std::string head = ascii_lower(v.substr(0, 8));
    if (head.rfind("v=dmarc1", 0) != 0) continue;
    if (!out.record.empty()) out.several = true;
    out.record = v;
  }
  return out;
}

std::string policy_word(int p) {
  switch (p) {
    case DMARC_RECORD_P_NONE: return "none";
    case DMARC_RECORD_P_QUARANTINE: return "quarantine";
    case DMARC_RECORD_P_REJECT: return "reject";
    default: return "";
  }
}

int spf_outcome(const std::string& r) {
  if (r == "pass") return DMARC_POLICY_SPF_OUTCOME_PASS;
  if (r == "temperror") return DMARC_POLICY_SPF_OUTCOME_TMPFAIL;
  if (r == "fail" || r == "softfail") return DMARC_POLICY_SPF_OUTCOME_FAIL;
  return DMARC_POLICY_SPF_OUTCOME_NONE;
}

int dkim_outcome(const std::string& r) {
  if (r == "pass") return DMARC_POLICY_DKIM_OUTCOME_PASS;
  if (r == "temperror") return DMARC_POLICY_DKIM_OUTCOME_TMPFAIL;
  if (r == "fail") return DMARC_POLICY_DKIM_OUTCOME_FAIL;
  return DMARC_POLICY_DKIM_OUTCOME_NONE;
}

}  // namespace

Result<std::unique_ptr<dmarc_checker>> dmarc_checker::make(dns_ask ask) {
  if (auto s = init_library_once(); !s) return s.failure();
  return std::unique_ptr<dmarc_checker>(new dmarc_checker(std::move(ask)));
}

dmarc_verdict dmarc_checker::check(const dmarc_input& in) const {
  dmarc_verdict v{"none", "", "", false, false};
  std::string from = ascii_lower(in.from_domain);
  while (!from.empty() && from.back() == '.') from.pop_back();
  if (!is_checkable_domain(from)) return v;  // no From domain to protect: nothing applies
  // The record at the From domain, else at its organisational domain (RFC 7489 6.6.3).
  std::string org = registrable_domain(from);
  record_lookup found = find_record(ask_, from);
  v.record_domain = from;
  if (!found.failed && found.record.empty() && !found.several && !org.empty() && org != from) {
    found = find_record(ask_, org);
    v.record_domain = org;
  }
  if (found.failed) {
    v.result = "temperror";
    return v;
  }
  if (found.several) {
    v.result = "permerror";
    return v;
  }
  if (found.record.empty()) {
    v.record_domain.clear();
    return v;
  }

  std::string ip = in.client_ip;
  DMARC_POLICY_T* p = opendmarc_policy_connect_init(text(ip), ip.find(':') != std::string::npos ? 6 : 4);
  if (!p) {
    v.result = "temperror";
    return v;
  }
  opendmarc_policy_store_from_domain(p, text(from));
  std::string record = found.record, at = v.record_domain;
  if (opendmarc_policy_store_dmarc(p, text(record), text(from), org.empty() ? nullptr : text(org)) != DMARC_PARSE_OKAY) {
    opendmarc_policy_connect_shutdown(p);
    v.result = "permerror";
    return v;
  }
  for (const auto& sig : in.dkim) {
    std::string d = sig.domain, s = sig.selector, human = sig.result;
    if (d.empty()) continue;
    opendmarc_policy_store_dkim(p, text(d), text(s), dkim_outcome(sig.result), text(human));
  }
  if (!in.spf.domain.empty()) {
    std::string d = in.spf.domain, human = in.spf.result;
    opendmarc_policy_store_spf(p, text(d), spf_outcome(in.spf.result),
                               in.null_sender ? DMARC_POLICY_SPF_ORIGIN_HELO : DMARC_POLICY_SPF_ORIGIN_MAILFROM,
                               text(human));
  }
  const int policy = opendmarc_get_policy_to_enforce(p);
  switch (policy) {
    case DMARC_POLICY_PASS: v.result = "pass"; break;
    case DMARC_POLICY_REJECT:
    case DMARC_POLICY_QUARANTINE:
    case DMARC_POLICY_NONE: v.result = "fail"; break;
    case DMARC_POLICY_ABSENT: v.result = "none"; break;
    default: v.result = "permerror"; break;
  }
  int dkim_align = 0, spf_align = 0;
  if (opendmarc_policy_fetch_alignment(p, &dkim_align, &spf_align) == DMARC_PARSE_OKAY) {
    v.dkim_aligned = dkim_align == DMARC_POLICY_DKIM_ALIGNMENT_PASS;
    v.spf_aligned = spf_align == DMARC_POLICY_SPF_ALIGNMENT_PASS;
  }
  int pv = 0;
  // A subdomain without its own record is held to sp= (the library falls back to p=).
  if (at != from) {
    if (opendmarc_policy_fetch_sp(p, &pv) == DMARC_PARSE_OKAY && pv != DMARC_RECORD_P_UNSPECIFIED) v.policy = policy_word(pv);
  }
  if (v.policy.empty() && opendmarc_policy_fetch_p(p, &pv) == DMARC_PARSE_OKAY) v.policy = policy_word(pv);
  opendmarc_policy_connect_shutdown(p);
  return v;
}

}  // namespace spampot::enrich
