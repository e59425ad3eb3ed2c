#include "enrich/dkim.hpp"

#include <sys/types.h>

// dkim.h is C99 and names its booleans _Bool, which C++ spells bool (the same type in the ABI).
#define _Bool bool
extern "C" {
#include <opendkim/dkim.h>
}
#undef _Bool

#include <algorithm>
#include <cstring>

namespace spampot::enrich {
namespace {

// A signature count past this is a flood meant to cost the verifier: the rest are not checked.
constexpr int kMaxSignatures = 16;

// libopendkim asks for a signature's key here, on the verifying thread: one TXT question to the
// trap's resolver, for selector._domainkey.domain.
DKIM_CBSTAT key_lookup(DKIM* dkim, DKIM_SIGINFO* sig, u_char* buf, size_t buflen) {
  const auto* ask = static_cast<const dns_ask*>(dkim_get_user_context(dkim));
  const auto* selector = reinterpret_cast<const char*>(dkim_sig_getselector(sig));
  const auto* domain = reinterpret_cast<const char*>(dkim_sig_getdomain(sig));
  if (!ask || !selector || !domain || buflen == 0) return DKIM_CBSTAT_ERROR;
  const std::string name = std::string(selector) + "._domainkey." + domain;
  if (!is_checkable_domain(name)) return DKIM_CBSTAT_NOTFOUND;
  const dns::lookup_result got = (*ask)(name, dns::rr::txt);
  switch (got.st) {
    case dns::lookup_result::status::ok: break;
    case dns::lookup_result::status::nxdomain:
    case dns::lookup_result::status::nodata: return DKIM_CBSTAT_NOTFOUND;
    default: return DKIM_CBSTAT_TRYAGAIN;  // no answer is not "no key"
  }
  // The key record: the one TXT with a p= tag (a name may hold other TXT records too).
  const auto key = std::find_if(got.values.begin(), got.values.end(),
                                [](const std::string& v) { return v.find("p=") != std::string::npos; });
  if (key == got.values.end()) return DKIM_CBSTAT_NOTFOUND;
  const std::size_t n = std::min(key->size(), buflen - 1);
  std::memcpy(buf, key->data(), n);
  buf[n] = '\0';
  return DKIM_CBSTAT_CONTINUE;
}

std::string word_of(DKIM_SIGINFO* sig) {
  if (DKIM_SIG_CHECK(sig)) return "pass";
  switch (dkim_sig_geterror(sig)) {
    case DKIM_SIGERROR_KEYFAIL: return "temperror";
    case DKIM_SIGERROR_BADSIG: return "fail";
    case DKIM_SIGERROR_OK:  // checked, and the signature or the body hash did not match
      return (dkim_sig_getflags(sig) & DKIM_SIGFLAG_PROCESSED) != 0 ? "fail" : "neutral";
    case DKIM_SIGERROR_EXPIRED:
    case DKIM_SIGERROR_FUTURE: return "neutral";
    default: return "permerror";
  }
}

int rank(const std::string& r) {
  static const char* kOrder[] = {"pass", "fail", "temperror", "permerror", "neutral"};
  for (int i = 0; i < 5; ++i)
    if (r == kOrder[i]) return i;
  return 5;
}

}  // namespace

struct dkim_verifier::impl {
  DKIM_LIB* lib = nullptr;
  dns_ask ask;
  ~impl() {
    if (lib) dkim_close(lib);
  }
};

dkim_verifier::dkim_verifier(std::unique_ptr<impl> i) : impl_(std::move(i)) {}
dkim_verifier::~dkim_verifier() = default;

Result<std::unique_ptr<dkim_verifier>> dkim_verifier::make(dns_ask ask) {
  auto i = std::make_unique<impl>();
  i->ask = std::move(ask);
  i->lib = dkim_init(nullptr, nullptr);
  if (!i->lib) return Error{"libopendkim: cannot initialise"};
  // Spam comes with bare LFs; the hashes are over CRLF lines, as the signer's MTA sent them.
  unsigned int flags = DKIM_LIBFLAGS_FIXCRLF;
  dkim_options(i->lib, DKIM_OP_SETOPT, DKIM_OPTS_FLAGS, &flags, sizeof flags);
  if (dkim_set_key_lookup(i->lib, key_lookup) != DKIM_STAT_OK) return Error{"libopendkim: cannot set the key lookup"};
  return std::unique_ptr<dkim_verifier>(new dkim_verifier(std::move(i)));
}

dkim_verdict dkim_verifier::verify(std::string_view message) const {
  dkim_verdict v{"none", {}};
  DKIM_STAT status = DKIM_STAT_OK;
  DKIM* d = dkim_verify(impl_->lib, reinterpret_cast<const unsigned char*>("spampot"), nullptr, &status);
  if (!d) {
    v.result = "temperror";  // the library's own failure (memory): a later try may do
    return v;
  }
  dkim_set_user_context(d, const_cast<dns_ask*>(&impl_->ask));
  std::string copy(message);  // dkim_chunk takes a mutable buffer
  status = dkim_chunk(d, reinterpret_cast<u_char*>(copy.data()), copy.size());
  if (status == DKIM_STAT_OK) status = dkim_chunk(d, nullptr, 0);
  if (status == DKIM_STAT_OK || status == DKIM_STAT_NOSIG) {
    bool testkey = false;
    status = dkim_eom(d, &testkey);
  }
  DKIM_SIGINFO** sigs = nullptr;
  int n = 0;
  if (dkim_getsiglist(d, &sigs, &n) == DKIM_STAT_OK && sigs) {
    for (int i = 0; i < n && i < kMaxSignatures; ++i) {
      DKIM_SIGINFO* sig = sigs[i];
      dkim_signature s;
      if (const auto* dom = dkim_sig_getdomain(sig)) s.domain = reinterpret_cast<const char*>(dom);
      if (const auto* sel = dkim_sig_getselector(sig)) s.selector = reinterpret_cast<const char*>(sel);
      s.result = word_of(sig);
      if (s.result != "pass") {
        // The body changed after signing: said first, as the most telling reason.
        const int err = dkim_sig_geterror(sig);
        if (dkim_sig_getbh(sig) == DKIM_SIGBH_MISMATCH) {
          s.error = "body hash mismatch";
          s.result = "fail";
        } else if (const char* e = err != DKIM_SIGERROR_OK ? dkim_sig_geterrorstr(err) : nullptr) {
          s.error = e;
        } else {
          s.error = "signature mismatch";
        }
      }
      v.signatures.push_back(std::move(s));
    }
  }
  dkim_free(d);
  for (const auto& s : v.signatures)
    if (v.result == "none" || rank(s.result) < rank(v.result)) v.result = s.result;
  // A key lookup that got no answer ends verification there, before the signatures are listed.
  if ((status == DKIM_STAT_CBTRYAGAIN || status == DKIM_STAT_KEYFAIL) && v.result != "pass") v.result = "temperror";
  return v;
}

}  // namespace spampot::enrich
