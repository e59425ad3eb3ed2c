// A maillog import, line by line: framing, the MTA's parser, the correlator, and the counts the
// summary reports. Pure: lines in, records out through a callback.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "importer/correlator.hpp"
#include "importer/events.hpp"

namespace spampot::importer {

enum class log_format { automatic, postfix, sendmail, exim };
Result<log_format> parse_log_format(std::string_view name);

struct import_stats {
  std::uint64_t lines = 0;
  std::uint64_t bytes = 0;
  std::uint64_t messages = 0;
  std::uint64_t rejects = 0;
  // Lines skipped, by reason:
  std::uint64_t not_syslog = 0;      // no recognisable framing (truncated, garbage)
  std::uint64_t binary = 0;          // NUL or other control bytes
  std::uint64_t other_program = 0;   // a program that is not a known MTA (or not the one asked for)
  std::uint64_t nothing_kept = 0;    // an MTA line that carries nothing we keep
  // Queue entries emitted without an end line (sendmail logs none; otherwise expired or cut by the
  // memory bound), and entries dropped for holding nothing:
  std::uint64_t expired = 0;
  std::uint64_t incomplete = 0;

  std::string summary() const;
};

class line_importer {
 public:
  using emit_fn = std::function<void(import_record&&)>;

  // `mtime` decides the year of year-less BSD lines.
  line_importer(log_format format, std::string source_file, Micros mtime, emit_fn emit);

  void line(std::string_view text);
  void finish();
  const import_stats& stats() const { return stats_; }

 private:
  log_format format_;
  std::string file_;
  Micros mtime_;
  emit_fn emit_;
  import_stats stats_;
  correlator corr_;
};

}  // namespace spampot::importer
