// Publishing a listing: the export of a policy over the harvested keys, written where the tool
// that reads it looks (a Postfix map, an rbldnsd zone), replaced atomically so a reader never
// sees half of it, with the listing's changes (what was added or removed, when and why) kept in
// the store as its audit trail. `spampot export --output` runs it once; --every keeps doing so.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "base/result.hpp"
#include "intel/export_format.hpp"
#include "store/store.hpp"

namespace spampot::intel {

struct publish_request {
  std::string format;
  listing_what what = listing_what::ips;
  std::string list;    // the listing's name in the audit trail; empty: the what's name
  std::string output;  // the file; empty: `out` gets the export and no trail is kept
  listing_policy policy;
};

struct publish_result {
  std::size_t entries = 0, added = 0, removed = 0;
};

Result<publish_result> publish(store::store& st, const publish_request& r, Micros now,
                               const std::function<void(std::string_view)>& out = {});

// Writes a file beside `path`, flushes it to disk, then renames it over `path`.
Status write_atomically(const std::string& path, const std::function<Status(export_sink&)>& produce);

}  // namespace spampot::intel
