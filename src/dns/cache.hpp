// Answers kept by their TTL, clamped between a floor (lists with TTL 0 would be asked on every
// message) and a ceiling (a listing can change). Only answers are kept: a timeout or SERVFAIL
// is asked again next time. Bounded: past `max_entries` the oldest entry goes. Pure: the caller
// gives the time.
#pragma once

#include <cstddef>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>

#include "base/time.hpp"
#include "dns/lookup.hpp"

namespace spampot::dns {

class answer_cache {
 public:
  answer_cache(Micros min_ttl, Micros max_ttl, std::size_t max_entries)
      : min_ttl_(min_ttl), max_ttl_(max_ttl), max_entries_(max_entries) {}

  std::optional<lookup_result> get(const std::string& key, Micros now);
  void put(const std::string& key, const lookup_result& r, Micros now);
  std::size_t size() const { return entries_.size(); }

 private:
  struct entry {
    lookup_result result;
    Micros expires = 0;
    std::list<std::string>::iterator age;
  };
  Micros min_ttl_, max_ttl_;
  std::size_t max_entries_;
  std::unordered_map<std::string, entry> entries_;
  std::list<std::string> order_;  // oldest first
};

// A token bucket: `rate` questions per second on average, `burst` at once. Pure.
class rate_limit {
 public:
  rate_limit(double rate, double burst) : rate_(rate), burst_(burst), tokens_(burst) {}
  // How long to wait before the next question may go (0: now, and the token is taken).
  Micros take(Micros now);

 private:
  double rate_, burst_, tokens_;
  Micros last_ = 0;
};

}  // namespace spampot::dns
