#include "smtp/greylist.hpp"

#include <cstdlib>

#include "base/ascii.hpp"
#include "base/digest.hpp"

namespace spampot::smtp {

std::string greylist::key(std::string_view ip, std::string_view sender, std::string_view rcpt) {
  // Addresses compare without case, as the trap's own recipient policy does.
  std::string k(ip);
  k += '\0';
  k += ascii_lower(sender);
  k += '\0';
  k += ascii_lower(rcpt);
  return k;
}

bool greylist::chosen(std::string_view ip, std::string_view sender, std::string_view rcpt) const {
  if (o_.share <= 0) return false;
  if (o_.share >= 1) return true;
  // The first 52 bits of the triplet's SHA-256, as a fraction of one.
  const std::string h = sha256_hex(key(ip, sender, rcpt)).substr(0, 13);
  const double x = static_cast<double>(std::strtoull(h.c_str(), nullptr, 16)) / 4503599627370496.0;
  return x < o_.share;
}

gate_answer greylist::check(std::string_view ip, std::string_view sender, std::string_view rcpt, Micros now) {
  if (o_.share <= 0) return {};
  std::string k = key(ip, sender, rcpt);
  if (auto it = triplets_.find(k); it != triplets_.end()) {
    entry& e = it->second;
    if (e.passed) {
      e.last_seen = now;
      return {};
    }
    if (now - e.held_since <= o_.expire) {
      e.last_seen = now;
      if (now - e.held_since < o_.min_delay) return {"held", e.held_since};
      e.passed = true;
      return {"passed", e.held_since};
    }
    triplets_.erase(it);  // held too long ago: new again
  }
  if (!chosen(ip, sender, rcpt)) return {};
  if (triplets_.size() >= o_.max_triplets) sweep(now);
  if (triplets_.size() >= o_.max_triplets) return {};
  triplets_.emplace(std::move(k), entry{now, now, false});
  return {"held", now};
}

void greylist::restore(std::string_view ip, std::string_view sender, std::string_view rcpt, Micros held_since,
                       bool passed, Micros now) {
  if (o_.share <= 0 || triplets_.size() >= o_.max_triplets) return;
  entry& e = triplets_[key(ip, sender, rcpt)];
  if (e.held_since == 0 || held_since < e.held_since) e.held_since = held_since;
  e.last_seen = now;
  e.passed = e.passed || passed;
}

void greylist::sweep(Micros now) {
  std::erase_if(triplets_, [&](const auto& kv) {
    const entry& e = kv.second;
    return e.passed ? now - e.last_seen > o_.pass_for : now - e.held_since > o_.expire;
  });
}

}  // namespace spampot::smtp
