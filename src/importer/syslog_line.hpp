// The framing around a maillog line, in the forms mail logs are kept in:
//   traditional BSD syslog   "Mar  7 10:11:12 host prog[pid]: msg"   (no year)
//   rsyslog high precision   "2026-11-27T06:46:39.998392+00:00 host prog[pid]: msg"
//   journalctl -o short-iso  "2026-11-27T06:46:39+0000 host prog[pid]: msg"
//   RFC 5424                 "<22>1 2026-11-27T06:46:39.998Z host prog pid - - msg"
//   exim's own mainlog       "2026-11-27 06:46:39 [pid] msg" (program "exim")
// A syslog-ng "<facility.priority>" tag after the time is skipped. Pure: the year of a BSD line is
// decided by the caller (year_resolver), which knows the file's mtime.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "base/time.hpp"

namespace spampot::importer {

struct syslog_line {
  Micros time = 0;
  std::string_view host;
  std::string_view program;  // "postfix/smtpd", "sm-mta", "exim"
  std::string_view message;
};

// Picks the year of a BSD line from its month/day/time-of-day (given as a time in year 1970).
using year_resolver = std::function<int(int month, int day)>;

std::optional<syslog_line> parse_syslog(std::string_view line, const year_resolver& year);

// The year rule for year-less lines: the year of `mtime`, unless that puts the line more than a day
// after the file was last written, in which case the year before (a December line in a January file).
int year_for(int month, int day, Micros mtime);

}  // namespace spampot::importer
