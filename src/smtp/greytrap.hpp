// smtp::greytrap: spamd's greytrapping, live. A client that sent to a trap address is served by
// every listener in tarpit mode for `tarpit_for` after it last did: the trap costs spammers
// time while it keeps recording them. Memory on the io thread, bounded; `serve` restores it
// from the store at start. Pure: the caller says what time it is.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/time.hpp"

namespace spampot::smtp {

class greytrap {
 public:
  explicit greytrap(Micros tarpit_for, std::size_t max_clients = 100'000)
      : tarpit_for_(tarpit_for), max_(max_clients) {}

  // The client sent to a trap address at `at`.
  void hit(std::string_view ip, Micros at);
  bool trapped(std::string_view ip, Micros now) const;
  std::size_t size() const { return last_hit_.size(); }

 private:
  Micros tarpit_for_;
  std::size_t max_;
  std::unordered_map<std::string, Micros> last_hit_;
};

}  // namespace spampot::smtp
