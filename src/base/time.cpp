#include "base/time.hpp"

#include "base/digits.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace spampot {
namespace {

// Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::tm to_tm(Micros t) {
  std::time_t secs = static_cast<std::time_t>(t / kMicrosPerSecond);
  if (t < 0 && t % kMicrosPerSecond != 0) --secs;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}

}  // namespace

Micros now_micros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

std::string format_rfc3339(Micros t, bool fraction) {
  const std::tm tm = to_tm(t);
  char buf[96];
  Micros frac = t % kMicrosPerSecond;
  if (frac < 0) frac += kMicrosPerSecond;
  if (fraction) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<long long>(frac));
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  }
  return buf;
}

std::string format_rfc5322(Micros t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::tm tm = to_tm(t);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s, %d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::optional<Micros> parse_duration(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (i == 0 || i > 12) return std::nullopt;
  Micros n = 0;
  for (char c : text.substr(0, i)) n = n * 10 + (c - '0');
  const std::string_view unit = text.substr(i);
  if (unit == "ms") return n * 1000;
  if (unit == "s" || unit.empty()) return n * kMicrosPerSecond;
  if (unit == "m") return n * 60 * kMicrosPerSecond;
  if (unit == "h") return n * 3600 * kMicrosPerSecond;
  if (unit == "d") return n * 86400 * kMicrosPerSecond;
  return std::nullopt;
}

std::optional<Micros> parse_time_point(std::string_view s, Micros now) {
  // YYYY-MM-DD[THH:MM:SS[.frac]][Z|+HH:MM|-HH:MM]
  if (s.size() >= 10 && s[4] == '-' && s[7] == '-' && all_digits(s.substr(0, 4)) &&
      all_digits(s.substr(5, 2)) && all_digits(s.substr(8, 2))) {
    const int y = to_int(s.substr(0, 4));
    const int mo = to_int(s.substr(5, 2));
    const int d = to_int(s.substr(8, 2));
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
    Micros t = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400;
    std::string_view rest = s.substr(10);
    if (rest.empty()) return t * kMicrosPerSecond;
    if (rest[0] != 'T' && rest[0] != 't' && rest[0] != ' ') return std::nullopt;
    rest.remove_prefix(1);
    if (rest.size() < 8 || rest[2] != ':' || rest[5] != ':' || !all_digits(rest.substr(0, 2)) ||
        !all_digits(rest.substr(3, 2)) || !all_digits(rest.substr(6, 2)))
      return std::nullopt;
    const int hh = to_int(rest.substr(0, 2));
    const int mm = to_int(rest.substr(3, 2));
    const int ss = to_int(rest.substr(6, 2));
    if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
    t += hh * 3600 + mm * 60 + ss;
    Micros us = t * kMicrosPerSecond;
    rest.remove_prefix(8);
    if (!rest.empty() && rest[0] == '.') {
      rest.remove_prefix(1);
      Micros frac = 0;
      int digits = 0;
      while (!rest.empty() && rest[0] >= '0' && rest[0] <= '9') {
        if (digits < 6) frac = frac * 10 + (rest[0] - '0'), ++digits;
        rest.remove_prefix(1);
      }
      if (digits == 0) return std::nullopt;
      while (digits++ < 6) frac *= 10;
      us += frac;
    }
    if (rest.empty() || rest == "Z" || rest == "z") return us;
    if ((rest[0] == '+' || rest[0] == '-') && rest.size() == 6 && rest[3] == ':' &&
        all_digits(rest.substr(1, 2)) && all_digits(rest.substr(4, 2))) {
      const Micros off =
          (to_int(rest.substr(1, 2)) * 3600 + to_int(rest.substr(4, 2)) * 60) * kMicrosPerSecond;
      return rest[0] == '+' ? us - off : us + off;
    }
    return std::nullopt;
  }
  if (auto d = parse_duration(s); d && !s.empty() && !all_digits(s)) return now - *d;
  return std::nullopt;
}

}  // namespace spampot
