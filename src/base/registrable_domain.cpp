#include "base/registrable_domain.hpp"

#include <libpsl.h>

#include "base/ascii.hpp"
#include "base/ip_address.hpp"

namespace spampot {
namespace {

const psl_ctx_t* context() {
  // psl_latest prefers the newer of the system's list file and the built-in copy.
  static const psl_ctx_t* ctx = [] {
    const psl_ctx_t* c = psl_latest(nullptr);
    return c ? c : psl_builtin();
  }();
  return ctx;
}

}  // namespace

std::string registrable_domain(std::string_view host) {
  std::string h = ascii_lower(host);
  while (!h.empty() && h.back() == '.') h.pop_back();
  // An address has no registrable part; the list would read its last two octets as one.
  if (h.empty() || h.front() == '[' || ip_address::parse(h)) return h;
  const char* r = context() ? psl_registrable_domain(context(), h.c_str()) : nullptr;
  return r ? std::string(r) : h;
}

}  // namespace spampot
