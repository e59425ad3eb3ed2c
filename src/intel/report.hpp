// `spampot report NAME`: what the harvest says, read from the store's de-duplicated counters
// (never by scanning every message), as sections that render as a table, CSV or JSON.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "intel/search_query.hpp"
#include "intel/table.hpp"
#include "store/store.hpp"

namespace spampot::intel {

struct trap_domain {
  std::string domain;
  std::optional<Micros> registered;  // from the config, for first-spam
};

struct report_request {
  std::string name;
  store::window window;
  std::size_t limit = 20;  // top N; 0 for all
  std::vector<trap_domain> traps;
  Micros now = 0;
  std::vector<std::pair<std::string, std::string>> dnsbls;  // zone, kind: the configured lists
  std::size_t min_size = 2;  // campaigns: fewer messages than this is no campaign
  // The console's overview: only what reads the counters and small tables (seeds: not the share
  // of all mail by class, which reads every recipient).
  bool brief = false;
};

// since, until, domain (any case), limit and min_size by name, as `spampot report` takes them
// (--since) and the console's report pages and /api/v1/report (since), into `r` (whose `now`
// is set). Empty values are ignored; other names are left to the caller.
Status apply_report_params(const search_params& params, report_request& r,
                           std::string (*spelling)(std::string_view name));

// The report names, for --help and error messages; an error naming them for an unknown one.
const std::vector<std::string>& report_names();
Status check_report_name(std::string_view name);

Result<std::vector<section>> make_report(store::store& st, const report_request& r);

}  // namespace spampot::intel
