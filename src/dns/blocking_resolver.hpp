// A resolver for threads that may wait (the sender-authentication checks, whose libraries ask
// one question at a time): the c-ares resolver runs on an io_context and thread of its own, and
// ask() hands it the question and waits for the answer. Safe from any number of threads; the
// cache, the sharing of concurrent questions and the rate limit are the resolver's.
#pragma once

#include <memory>
#include <string>

#include "base/result.hpp"
#include "dns/lookup.hpp"
#include "dns/resolver.hpp"

namespace spampot::dns {

class blocking_resolver {
 public:
  static Result<std::unique_ptr<blocking_resolver>> make(const resolver_options& o);
  ~blocking_resolver();
  blocking_resolver(const blocking_resolver&) = delete;
  blocking_resolver& operator=(const blocking_resolver&) = delete;

  // Waits at most the resolver's timeout times its tries (then: timeout).
  lookup_result ask(const std::string& name, rr type);

 private:
  struct impl;
  explicit blocking_resolver(std::unique_ptr<impl> i);
  std::unique_ptr<impl> impl_;
};

}  // namespace spampot::dns
