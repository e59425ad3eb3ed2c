#include "base/registrable_domain.hpp"

#include <libpsl.h>

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
  std::string h(host);
  for (char& c : h) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  while (!h.empty() && h.back() == '.') h.pop_back();
  if (h.empty() || h.front() == '[') return h;
  const char* r = context() ? psl_registrable_domain(context(), h.c_str()) : nullptr;
  return r ? std::string(r) : h;
}

}  // namespace spampot
