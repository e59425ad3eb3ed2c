// Copying a live spool, for `spampot backup` and `restore`: closed segments whole, the open one
// up to its last complete record (a write under way when the copy read it is cut off, as a
// restart's recovery would). The writer never rewrites what it wrote, so a copy taken beside it
// holds everything acknowledged before the copy began.
#pragma once

#include <cstdint>
#include <filesystem>

#include "base/result.hpp"
#include "capture/segments.hpp"

namespace spampot::capture {

struct spool_copy_report {
  std::uint64_t segments = 0;
  std::uint64_t bytes = 0;
  std::uint64_t cut_bytes = 0;  // of a record still being written
  position end;                 // after the last complete record
};

// Copies `from`'s segments (and its tls/ directory, the trap's certificate) into `to`, which must
// not exist or be empty; every file and directory is synced before it returns.
Result<spool_copy_report> copy_spool(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace spampot::capture
