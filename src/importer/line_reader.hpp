// Lines from a maillog: plain, gzip (.gz, as logrotate leaves them) or zstd (.zst), told apart by
// their first bytes, not their names; "-" is standard input. A line longer than kMaxLine is cut
// (and counted): a log line never needs more, and garbage must not grow memory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/result.hpp"

namespace spampot::importer {

inline constexpr std::size_t kMaxLine = 64 * 1024;

class line_reader {
 public:
  static Result<std::unique_ptr<line_reader>> open(const std::string& path);
  virtual ~line_reader() = default;

  // The next line without its newline; false at the end. An I/O or decompression error ends the
  // input and is reported by error().
  virtual bool next(std::string& line) = 0;
  virtual std::uint64_t compressed_bytes() const = 0;  // read from the file so far
  const std::string& error() const { return error_; }
  std::uint64_t cut_lines() const { return cut_; }

 protected:
  std::string error_;
  std::uint64_t cut_ = 0;
};

}  // namespace spampot::importer
