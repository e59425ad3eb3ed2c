// Time as the trap keeps it: microseconds since the Unix epoch, UTC. The pure layers never read a
// clock; the edges call now_micros() and pass the value in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace spampot {

using Micros = std::int64_t;

constexpr Micros kMicrosPerSecond = 1'000'000;

Micros now_micros();

// 2026-11-27T07:42:31.123456Z (fraction omitted when `fraction` is false).
std::string format_rfc3339(Micros t, bool fraction = true);

// RFC 5322 date for trace headers and mbox: "Fri, 27 Nov 2026 07:42:31 +0000".
std::string format_rfc5322(Micros t);

// "30s", "5m", "2h", "7d", "500ms" -> microseconds.
std::optional<Micros> parse_duration(std::string_view text);

// A point in time given on the command line: RFC 3339 ("2026-11-27T07:00:00Z", offsets allowed),
// a date ("2026-11-27", midnight UTC), or a duration back from `now` ("24h" means 24 hours ago).
std::optional<Micros> parse_time_point(std::string_view text, Micros now);

}  // namespace spampot
