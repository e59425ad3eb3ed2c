// Naming and listing the journal's segment files: DIR/00000001.spj, DIR/00000002.spj, ...
#pragma once

#include <compare>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace spampot::capture {

// A place in the journal: a segment and a byte offset in it.
struct position {
  std::uint32_t segment = 1;
  std::uint64_t offset = 0;
  friend auto operator<=>(const position&, const position&) = default;
  friend bool operator==(const position&, const position&) = default;
};

std::filesystem::path segment_path(const std::filesystem::path& dir, std::uint32_t segment);

// Segment numbers present in `dir`, ascending. Other files are ignored.
Result<std::vector<std::uint32_t>> list_segments(const std::filesystem::path& dir);

// Cuts a torn record off the tail of the last segment (a crash mid-write) and reports what it did.
struct recovery_report {
  position end;                 // where the next record goes
  std::uint64_t records = 0;    // complete records in the last segment
  std::uint64_t cut_bytes = 0;   // bytes of a torn tail removed
  std::uint64_t zero_bytes = 0;  // zeroes the writer had laid ahead of its records, removed
};
Result<recovery_report> recover(const std::filesystem::path& dir);

}  // namespace spampot::capture
