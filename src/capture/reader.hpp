// Reading the journal back: record by record from a position (the indexer, reindex) or one
// record at a known position (show, search --maildir).
#pragma once

#include <filesystem>
#include <optional>

#include "base/result.hpp"
#include "capture/frame.hpp"
#include "capture/segments.hpp"

namespace spampot::capture {

struct entry {
  position at;
  position next;
  record rec;
};

class journal_reader {
 public:
  explicit journal_reader(std::filesystem::path dir);
  ~journal_reader();
  journal_reader(const journal_reader&) = delete;
  journal_reader& operator=(const journal_reader&) = delete;

  // The record at `cursor`, skipping to the next segment at the end of one (its size, or the
  // zeroes laid ahead of the records), or nullopt when `cursor` reaches `end`. A damaged record
  // is an error that names its position; the caller may go on at the next segment.
  Result<std::optional<entry>> next(position cursor, position end);

  // Where the journal ends now, for reading a spool that no writer is appending to.
  Result<position> end_of_spool();

  Result<record> read_at(position at);

  // How many records lie between two places, read from their headers alone (no decompression).
  Result<std::uint64_t> count(position from, position to);

 private:
  Status open_segment(std::uint32_t segment);
  // Where the next record at or after `cursor` starts, across segment ends and dropped segments
  // (that segment open); nullopt when `end` is reached.
  Result<std::optional<position>> seek(position cursor, position end);
  // The frame at `at`, or nullopt at the zeroes the writer lays ahead of its records (journal.hpp):
  // the segment's records end there.
  Result<std::optional<decoded>> read_frame(position at);
  std::filesystem::path dir_;
  int fd_ = -1;
  std::uint32_t open_segment_ = 0;
};

}  // namespace spampot::capture
