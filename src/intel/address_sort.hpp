// Harvested addresses put in numeric order without holding them all: a listing of a million
// addresses is sorted in runs that go to temporary files, then merged. The store gives keys in
// the order of their text ("10.0.0.1" before "9.0.0.1"); firewalls and aggregation into networks
// want the order of the numbers.
#pragma once

#include <cstdio>
#include <memory>
#include <vector>

#include "base/ip_address.hpp"
#include "base/result.hpp"
#include "base/time.hpp"

namespace spampot::intel {

struct address_key {
  ip_address address;
  Micros first_seen = 0;
  Micros last_seen = 0;
  std::uint64_t messages = 0;
  std::uint64_t sessions = 0;
  std::uint64_t days = 0;
};

class address_sort {
 public:
  // Keys held in memory at once (a run); more go to temporary files a run at a time.
  explicit address_sort(std::size_t run = 1 << 16);
  ~address_sort();
  address_sort(const address_sort&) = delete;
  address_sort& operator=(const address_sort&) = delete;

  Status add(const address_key& k);
  // After the last add.
  Status finish();
  // Then the keys in address order, equal addresses in the order they came. False at the end,
  // or when a temporary file could not be read back (status() says so).
  bool next(address_key& out);
  const Status& status() const { return status_; }
  std::size_t size() const { return added_; }

 private:
  struct run_file;
  Status spill();

  std::size_t run_;
  std::size_t added_ = 0;
  std::vector<address_key> buffer_;
  std::vector<std::unique_ptr<run_file>> runs_;
  Status status_;
  std::size_t pos_ = 0;  // into buffer_, when nothing was spilled
};

}  // namespace spampot::intel
