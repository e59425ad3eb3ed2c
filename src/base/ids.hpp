// Identifiers for sessions and messages ("queued as ID"). They sort by time as strings and are
// unique across a fleet: 11 base-32 characters of microseconds, 4 of a hash of the sensor name,
// 4 of a per-process sequence that starts at a random value. Crockford's alphabet (no I, L, O, U)
// keeps them unambiguous when an analyst reads one aloud.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/time.hpp"

namespace spampot {

class id_generator {
 public:
  id_generator(std::string_view sensor, std::uint32_t seed);

  // Ids from one generator are strictly increasing, even when the clock stands still or steps back.
  std::string next(Micros now);

 private:
  std::uint32_t node_;
  std::uint32_t seq_;
  Micros last_ = 0;
};

// The time part of an id, or -1 if `id` is not one of ours.
Micros id_time(std::string_view id);

}  // namespace spampot
