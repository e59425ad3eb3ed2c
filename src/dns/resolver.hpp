// dns::resolver: asks DNS questions without blocking the thread that asks. The one
// implementation runs c-ares on an Asio io_context: c-ares's sockets are watched by Asio and its
// timeouts are an Asio timer, so no thread waits per question. Answers are cached by TTL,
// concurrent questions for one name share one query, and a rate limit keeps the trap polite to
// list operators. Callbacks run on the io_context's thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "base/time.hpp"
#include "dns/cache.hpp"
#include "dns/lookup.hpp"

namespace asio {
class io_context;
}

namespace spampot::dns {

struct resolver_options {
  std::vector<std::string> servers;  // "127.0.0.1:5353", "[::1]:53"; empty: /etc/resolv.conf
  Micros timeout = 2 * kMicrosPerSecond;  // per try
  int tries = 2;
  double rate = 50;        // questions per second that reach the network (0: no limit)
  // Resolvers on one io_context may share one budget (a checker's lists on servers of their
  // own); unset: this resolver's own, at `rate`.
  std::shared_ptr<rate_limit> shared_rate;
  std::size_t in_flight = 100;  // questions on the network at once (200 lost answers to rbldnsd)
  Micros min_ttl = 60 * kMicrosPerSecond;
  Micros max_ttl = 24 * 3600 * kMicrosPerSecond;
  std::size_t cache_entries = 100000;
};

class resolver {
 public:
  using callback = std::function<void(const lookup_result&)>;
  virtual ~resolver() = default;
  virtual void query(const std::string& name, rr type, callback done) = 0;
  // Questions asked but not answered yet (queued, or on the network).
  virtual std::size_t pending() const = 0;
};

Result<std::unique_ptr<resolver>> make_resolver(asio::io_context& io, const resolver_options& o);

}  // namespace spampot::dns
