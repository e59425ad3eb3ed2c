// Reading the seeds back: what spam each planted address drew, and how the trap's mail divides
// between planted, registration-only and guessed addresses. Written by store/seed_store.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/time.hpp"
#include "store/records.hpp"

namespace spampot::store {

struct seed_stat {
  seed_row seed;
  std::uint64_t messages = 0;  // received after the seed was minted
  std::optional<Micros> first_spam, last_spam;
  std::vector<std::pair<std::string, std::uint64_t>> ips;      // spamming IPs, most messages first
  std::vector<std::pair<std::string, std::uint64_t>> senders;  // envelope senders, likewise
};

// Messages to trap addresses by what the address was: "planted" (a seed put where harvesters
// crawl, mail after its minting), "registration" (a seed given only to a registrar) or
// "guessed" (never planted: dictionary attacks). A message to several counts once, as the
// first class of that order it reached.
struct seed_class_count {
  std::string cls;
  std::uint64_t messages = 0;
};

}  // namespace spampot::store
