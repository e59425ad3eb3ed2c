// A listing policy's parameters by name, as `spampot export` takes them (--min-hits) and the
// console's export downloads and /api/v1/export take them (min_hits): one reading for both.
#pragma once

#include "intel/listing.hpp"
#include "intel/search_query.hpp"

namespace spampot::intel {

// min_hits, min_days, since, expire_after (a number of days or a duration), aggregate_v4,
// aggregate_v6; what is not given keeps `defaults` (the config's [export]). Empty values are
// ignored; other names are left to the caller.
Result<listing_policy> parse_policy(const search_params& params, listing_policy defaults, Micros now,
                                    std::string (*spelling)(std::string_view name));

}  // namespace spampot::intel
