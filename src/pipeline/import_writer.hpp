// Imported maillog records into the store in batched transactions, as the indexer writes the
// spool's: a few thousand records a transaction, each under its own savepoint, so a record the
// store refuses for good (store/columns.hpp fits values, a stricter schema may still refuse) is
// counted and skipped instead of failing the file. A maillog has no spool to quarantine from:
// importing the file again after the fix adds what was skipped, and nothing twice.
#pragma once

#include <cstdint>
#include <string>

#include "enrich/geoip.hpp"
#include "importer/events.hpp"
#include "store/store.hpp"

namespace spampot::pipeline {

struct import_counts {
  std::uint64_t added = 0;    // new rows
  std::uint64_t known = 0;    // in the store already (a file imported again)
  std::uint64_t refused = 0;  // refused for good, skipped
};

class import_writer {
 public:
  // `geoip` (not owned, may be null) gives each row its client's network.
  import_writer(store::store& st, std::string sensor, const enrich::geoip* geoip = nullptr, std::size_t batch = 5000);

  // Writes one record; the first error that is not about this record (the database gone, the
  // disk full) stops the writer, and every later call returns it.
  Status put(const importer::import_record& r);
  // Commits what is pending.
  Status finish();
  // Drops what is pending (after a failure).
  void abandon();

  const import_counts& counts() const { return counts_; }

 private:
  store::store& store_;
  std::string sensor_;
  const enrich::geoip* geoip_;
  std::size_t batch_;
  std::size_t pending_ = 0;
  Status failed_;
  import_counts counts_;
};

}  // namespace spampot::pipeline
