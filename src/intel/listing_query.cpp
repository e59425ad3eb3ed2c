#include "intel/listing_query.hpp"

#include "base/digits.hpp"
#include "base/time.hpp"

namespace spampot::intel {

Result<listing_policy> parse_policy(const search_params& params, listing_policy p, Micros now,
                                    std::string (*spelling)(std::string_view name)) {
  for (const auto& [name, value] : params) {
    if (value.empty()) continue;
    auto bad = [&, n = name, v = value](std::string_view why) {
      return Error{spelling(n) + " " + v + ": " + std::string(why)};
    };
    auto count = [&](std::uint64_t& out) -> Status {
      const auto n = parse_count(value);
      if (!n) return bad("not a whole number");
      out = *n;
      return {};
    };
    Status s;
    if (name == "min_hits") {
      s = count(p.min_hits);
    } else if (name == "min_days") {
      s = count(p.min_days);
    } else if (name == "aggregate_v4") {
      s = count(p.aggregate_v4);
    } else if (name == "aggregate_v6") {
      s = count(p.aggregate_v6);
    } else if (name == "since") {
      if (!(p.since = parse_time_point(value, now))) s = bad("not a time (2026-11-27, 2026-11-27T10:00:00Z, or 24h)");
    } else if (name == "expire_after") {
      // A bare number is days, as in --expire-after 30.
      const bool digits = value.find_first_not_of("0123456789") == std::string::npos;
      auto d = parse_duration(digits ? value + "d" : value);
      if (!d) s = bad("not a number of days or a duration");
      else p.expire_after = *d;
    }
    if (!s) return s.failure();
  }
  return p;
}

}  // namespace spampot::intel
