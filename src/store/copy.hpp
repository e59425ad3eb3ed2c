// Copying one store into another (`spampot migrate`): every message, session and spool
// checkpoint, a page at a time in id order, in transactions. Inserts are idempotent, so a copy
// that was interrupted, or is run again after more mail arrived, adds only what is missing.
#pragma once

#include <cstdint>
#include <functional>

#include "base/result.hpp"
#include "store/store.hpp"

namespace spampot::store {

struct copy_stats {
  std::uint64_t messages = 0;  // copied now
  std::uint64_t sessions = 0;
  std::uint64_t http_requests = 0;  // seed page requests
  std::uint64_t seeds = 0;          // minted by `spampot seed` (a page's come with its request)
  std::uint64_t already = 0;   // present in the destination before
};

Result<copy_stats> copy_store(store& from, store& to, const std::function<void(const copy_stats&)>& progress = {});

}  // namespace spampot::store
