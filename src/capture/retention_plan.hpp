// Which spool segments retention drops: a pure function of the spool's segments, how far the
// store has indexed them, and the budget ([retention] in the config).
//
// A segment is dropped whole, oldest first, and only once every record in it is in the store:
// below the indexed segment, or the indexed segment itself when the checkpoint sits at its end
// and a newer segment exists. The newest segment is the journal's open one and never goes, nor
// one that holds a quarantined record (the store refused it; dropping it would lose it).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include "base/time.hpp"
#include "capture/segments.hpp"

namespace spampot::capture {

struct retention_budget {
  Micros max_age = 0;             // segments whose newest record is older go (0: no age limit)
  std::uint64_t max_spool = 0;    // the spool's bytes are kept at or under this (0: no limit)
  std::uint64_t min_free = 0;     // free bytes kept on the spool's file system (0: no limit)
};

struct segment_info {
  std::uint32_t segment = 0;
  std::uint64_t bytes = 0;
  Micros newest_at = 0;  // when its last record was written (the file's modification time)
};

enum class drop_reason { max_age, max_spool, min_free };
std::string_view to_string(drop_reason r);

struct segment_drop {
  segment_info segment;
  drop_reason reason;
};

struct retention_plan {
  std::vector<segment_drop> drops;  // oldest first
  // The budget is still exceeded after the drops, and by how much: what holds it is not yet
  // indexed, quarantined, or the open segment.
  std::uint64_t spool_over = 0;
  std::uint64_t free_short = 0;
};

// `segments` ascending; `indexed` the store's checkpoint for this spool; `held` segments with
// quarantined records; `free_bytes` what the file system has free now.
retention_plan plan_retention(const std::vector<segment_info>& segments, position indexed,
                              const std::set<std::uint32_t>& held, std::uint64_t free_bytes,
                              const retention_budget& budget, Micros now);

}  // namespace spampot::capture
