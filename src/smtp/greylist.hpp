// smtp::greylist: the greylist experiment (OpenBSD spamd's greylisting, measured rather than
// used as a filter). A share of new (client IP, sender, recipient) triplets is answered 451 on
// first sight; the retry after `min_delay` is let through and captured. Real MTAs queue and
// retry; most spamware does not, and `report greylist` tells which did, per behaviour family.
//
// Design decisions:
// - Which triplets are held is decided by a hash of the triplet, not by chance: the retry of a
//   triplet that was not chosen is not chosen either, so the control group stays clean.
// - State lives in memory on the io thread, bounded; `serve` gives it back what the store holds
//   at start (restore), so a restart does not make every waiting triplet new again.
// - The session asks through its recipient gate; nothing here touches a socket or a clock.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/time.hpp"
#include "smtp/session.hpp"

namespace spampot::smtp {

struct greylist_options {
  double share = 0;                                // of new triplets held; 0: off
  Micros min_delay = 5 * 60 * kMicrosPerSecond;    // a retry before this is held again
  Micros expire = 24 * 3600 * kMicrosPerSecond;    // a held triplet not retried by then is new
  Micros pass_for = 36 * 24 * 3600 * kMicrosPerSecond;  // a passed triplet is not asked again
  std::size_t max_triplets = 100'000;              // memory bound; past it new triplets pass
};

class greylist {
 public:
  explicit greylist(greylist_options o) : o_(o) {}

  gate_answer check(std::string_view ip, std::string_view sender, std::string_view rcpt, Micros now);
  // A triplet held (or passed) before this process started.
  void restore(std::string_view ip, std::string_view sender, std::string_view rcpt, Micros held_since,
               bool passed, Micros now);
  bool chosen(std::string_view ip, std::string_view sender, std::string_view rcpt) const;
  std::size_t size() const { return triplets_.size(); }

 private:
  struct entry {
    Micros held_since = 0;
    Micros last_seen = 0;
    bool passed = false;
  };
  static std::string key(std::string_view ip, std::string_view sender, std::string_view rcpt);
  void sweep(Micros now);

  greylist_options o_;
  std::unordered_map<std::string, entry> triplets_;
};

}  // namespace spampot::smtp
