#include "enrich/spf.hpp"

// libspf2's headers expect the resolver's types to be declared first.
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/types.h>

extern "C" {
#include <spf2/spf.h>
#include <spf2/spf_dns.h>
#include <spf2/spf_dns_rr.h>
}

#include <cstring>
#include <mutex>
#include <optional>

#include "base/ascii.hpp"
#include "dns/query_name.hpp"

namespace spampot::enrich {
namespace {

// libspf2's warnings and notes would go to stderr: the trap logs nothing of them, each verdict says
// what happened. Its error handler stays the library's own (an internal assertion: it aborts).
void quiet(const char*, int, const char*) {}

void set_handlers_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    SPF_warning_handler = quiet;
    SPF_info_handler = quiet;
    SPF_debug_handler = quiet;
  });
}

std::optional<dns::rr> rr_of(ns_type t) {
  switch (t) {
    case ns_t_a: return dns::rr::a;
    case ns_t_aaaa: return dns::rr::aaaa;
    case ns_t_txt: return dns::rr::txt;
    case ns_t_mx: return dns::rr::mx;
    case ns_t_ptr: return dns::rr::ptr;
    default: return std::nullopt;  // type 99 (SPF) is obsolete (RFC 7208 3.1): not asked
  }
}

SPF_dns_stat_t herrno_of(dns::lookup_result::status s) {
  switch (s) {
    case dns::lookup_result::status::ok: return NETDB_SUCCESS;
    case dns::lookup_result::status::nxdomain: return HOST_NOT_FOUND;
    case dns::lookup_result::status::nodata: return NO_DATA;
    // No answer is never "no record": libspf2 makes these a temperror.
    default: return TRY_AGAIN;
  }
}

// The DNS layer under libspf2: one question to the trap's resolver, the answer as libspf2's
// record set.
SPF_dns_rr_t* lookup(SPF_dns_server_t* layer, const char* domain, ns_type type, int) {
  const auto* ask = static_cast<const dns_ask*>(layer->hook);
  const auto want = rr_of(type);
  if (!want) return SPF_dns_rr_new_init(layer, domain, type, 0, NO_DATA);
  const dns::lookup_result got = (*ask)(domain, *want);
  SPF_dns_rr_t* rr = SPF_dns_rr_new_init(layer, domain, type, static_cast<int>(got.ttl), herrno_of(got.st));
  if (!rr || got.st != dns::lookup_result::status::ok) return rr;
  int n = 0;
  for (const auto& v : got.values) {
    if (type == ns_t_a || type == ns_t_aaaa) {
      if (SPF_dns_rr_buf_realloc(rr, n, type == ns_t_a ? sizeof(in_addr) : sizeof(in6_addr)) != SPF_E_SUCCESS) break;
      void* into = type == ns_t_a ? static_cast<void*>(&rr->rr[n]->a) : static_cast<void*>(&rr->rr[n]->aaaa);
      if (::inet_pton(type == ns_t_a ? AF_INET : AF_INET6, v.c_str(), into) != 1) continue;
    } else {
      // TXT may hold NULs; libspf2 reads C strings, so a record is cut at its first.
      const std::string text(v.c_str());
      if (SPF_dns_rr_buf_realloc(rr, n, text.size() + 1) != SPF_E_SUCCESS) break;
      std::memcpy(rr->rr[n]->txt, text.c_str(), text.size() + 1);
    }
    ++n;
  }
  rr->num_rr = n;
  if (n == 0) rr->herrno = NO_DATA;
  return rr;
}

std::string result_word(SPF_result_t r) {
  switch (r) {
    case SPF_RESULT_PASS: return "pass";
    case SPF_RESULT_FAIL: return "fail";
    case SPF_RESULT_SOFTFAIL: return "softfail";
    case SPF_RESULT_NEUTRAL: return "neutral";
    case SPF_RESULT_NONE: return "none";
    case SPF_RESULT_TEMPERROR: return "temperror";
    case SPF_RESULT_PERMERROR: return "permerror";
    default: return "permerror";  // SPF_RESULT_INVALID: the library could not decide
  }
}

}  // namespace

bool is_checkable_domain(std::string_view d) {
  std::string name = ascii_lower(d);
  if (!name.empty() && name.back() == '.') name.pop_back();
  return name.find('.') != std::string::npos && dns::is_dns_name(name);
}

struct spf_checker::impl {
  dns_ask ask;
  SPF_dns_server_t layer{};
  SPF_server_t* server = nullptr;

  ~impl() {
    if (server) SPF_server_free(server);  // the layer has no destructor: it is ours
  }

  // One identity: MAIL FROM (or postmaster@HELO when `from` is empty).
  std::string query(std::string_view ip, std::string_view helo, std::string_view from) {
    SPF_request_t* req = SPF_request_new(server);
    if (!req) return "temperror";
    const std::string ip_text(ip);
    const bool v6 = ip_text.find(':') != std::string::npos;
    std::string result = "permerror";
    const SPF_errcode_t set = v6 ? SPF_request_set_ipv6_str(req, ip_text.c_str()) : SPF_request_set_ipv4_str(req, ip_text.c_str());
    if (set == SPF_E_SUCCESS) {
      const std::string helo_text(helo), from_text(from);
      SPF_request_set_helo_dom(req, helo_text.c_str());
      if (!from_text.empty()) SPF_request_set_env_from(req, from_text.c_str());
      SPF_response_t* resp = nullptr;
      SPF_request_query_mailfrom(req, &resp);
      if (resp) {
        result = result_word(SPF_response_result(resp));
        // libspf2 1.2 calls a record it could not fetch (SERVFAIL, a timeout), its own or an
        // include's, a permerror; RFC 7208 4.4 and 5.2 call it a temperror: a later try may pass.
        if (result == "permerror") {
          bool dns_failed = SPF_response_errcode(resp) == SPF_E_DNS_ERROR;
          for (int k = 0; k < SPF_response_messages(resp) && !dns_failed; ++k)
            dns_failed = SPF_error_code(SPF_response_message(resp, k)) == SPF_E_DNS_ERROR;
          if (dns_failed) result = "temperror";
        }
        SPF_response_free(resp);
      }
    }
    SPF_request_free(req);
    return result;
  }
};

spf_checker::spf_checker(std::unique_ptr<impl> i) : impl_(std::move(i)) {}
spf_checker::~spf_checker() = default;

Result<std::unique_ptr<spf_checker>> spf_checker::make(dns_ask ask) {
  set_handlers_once();
  auto i = std::make_unique<impl>();
  i->ask = std::move(ask);
  i->layer.lookup = lookup;
  i->layer.name = "spampot";
  i->layer.hook = &i->ask;
  i->server = SPF_server_new_dns(&i->layer, 0);
  if (!i->server) return Error{"libspf2: cannot make an SPF server"};
  return std::unique_ptr<spf_checker>(new spf_checker(std::move(i)));
}

spf_verdict spf_checker::check(std::string_view client_ip, std::string_view helo, std::string_view mail_from) {
  spf_verdict v;
  const std::string helo_domain = ascii_lower(helo);
  const bool helo_is_domain = is_checkable_domain(helo_domain);
  v.helo_result = helo_is_domain ? impl_->query(client_ip, helo_domain, "") : "none";
  const auto at = mail_from.rfind('@');
  if (mail_from.empty()) {
    // The null sender: the HELO identity is the one checked (RFC 7208 2.4).
    v.domain = helo_domain;
    v.result = v.helo_result;
    return v;
  }
  v.domain = ascii_lower(at == std::string_view::npos ? std::string_view() : mail_from.substr(at + 1));
  if (!is_checkable_domain(v.domain) || at == 0) {
    v.result = "none";
    return v;
  }
  v.result = impl_->query(client_ip, helo_is_domain ? std::string_view(helo_domain) : v.domain,
                          std::string(mail_from.substr(0, at)) + "@" + v.domain);
  return v;
}

}  // namespace spampot::enrich
