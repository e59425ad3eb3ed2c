// Checking harvested keys against DNS-based lists: one pass over every entry that is due (never
// asked, or asked longer ago than the recheck age), a batch at a time, each batch's answers
// written in one transaction. `spampot check` runs one pass; `serve` runs one every few seconds
// on a thread of its own, so a new key is asked about soon after it is first seen.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>

#include "base/result.hpp"
#include "dns/checker.hpp"
#include "store/store.hpp"

namespace asio {
class io_context;
}

namespace spampot::pipeline {

struct check_options {
  Micros recheck_after = 0;          // entries checked more recently are not due (0: all are)
  std::optional<Micros> seen_since;  // only entries the trap saw at or after this
  std::vector<std::string> lists;    // zones to check; empty: every configured list
  std::size_t batch = 1000;
};

struct check_stats {
  std::uint64_t checked = 0, listed = 0, clean = 0, errors = 0;
};

// How many entries a pass started at `now` would ask about (for a progress bar).
Result<std::uint64_t> count_due(store::store& st, const std::vector<dns::list_spec>& lists,
                                const check_options& o, Micros now);

// Runs `io` (the checker's) until the pass is done or `stop` is set. `progress` after each batch.
Result<check_stats> check_pass(store::store& st, dns::checker& c, asio::io_context& io,
                               const check_options& o, const std::atomic<bool>* stop = nullptr,
                               const std::function<void(const check_stats&)>& progress = {});

}  // namespace spampot::pipeline
