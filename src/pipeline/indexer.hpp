// The indexer: follows the spool journal from the store's checkpoint and writes what it finds into
// the store in batched transactions, on its own thread, never on the network thread.
//
// The same code serves three moments: live indexing while `serve` runs, catching up at start on
// records a crash left unindexed, and `reindex` from an empty store. The checkpoint moves in the
// same transaction as the rows, and rows are idempotent by id, so a crash anywhere repeats at
// most one batch and duplicates nothing.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>

#include "base/result.hpp"
#include "capture/journal.hpp"
#include "capture/reader.hpp"
#include "enrich/geoip.hpp"
#include "store/store.hpp"

namespace spampot::pipeline {

struct index_stats {
  std::uint64_t messages = 0;
  std::uint64_t sessions = 0;
  std::uint64_t http_requests = 0;  // to the seed page
  std::uint64_t damaged = 0;  // records skipped because they could not be read
  std::uint64_t store_failures = 0;  // batches the store refused (read-only, down): retried
  std::uint64_t quarantined = 0;  // records the store refused for good: set aside, not retried
};

void add(index_stats& to, const index_stats& from);

class indexer {
 public:
  // Indexes `sensor`'s spool: its checkpoint is that sensor's.
  indexer(store::store& st, std::filesystem::path spool, std::string sensor, std::size_t batch = 500);

  // Indexes from the checkpoint up to `end`. `progress`, when set, is called after each batch.
  Result<index_stats> catch_up(capture::position end,
                               const std::function<void(const index_stats&)>& progress = {});

  // Follows a live journal until `stop` is set and everything durable is indexed. While the store
  // fails, it retries with backoff; SPOOL/status.json says whether the store is reachable and how
  // far indexing lags behind the journal (`spampot status` prints it).
  void follow(const capture::journal& j, const std::atomic<bool>& stop);

  // Indexes again the records `sensor`'s quarantine holds (after an upgrade that accepts them):
  // each one indexed leaves the quarantine, each one refused again stays with its new error.
  Result<index_stats> retry_quarantined();

  // Keep each new message's raw text in the store too (`[store] keep_raw`).
  void keep_raw(bool on) { keep_raw_ = on; }
  // Look up each new row's networks in these databases ([geoip]; null: none). Safe from any
  // thread while the indexer runs: serve swaps them on SIGHUP.
  void networks(std::shared_ptr<const enrich::geoip> g) { geoip_.store(std::move(g)); }

  const index_stats& stats() const { return stats_; }

  // For /healthz, from any thread: whether the store takes the batches, and how long the index
  // has been behind the journal (0 when level with it).
  bool store_ok() const { return store_ok_; }
  double lag_seconds() const { return lag_seconds_; }

 private:
  void write_status(const capture::position& indexed, const capture::position& durable, const std::string& error);
  // A message record: its row, then (when new) its raw text when kept, campaign and forensics rows. `id` is set to
  // the record's id once it is known.
  Status store_message(const capture::entry& rec, index_stats& batch, std::string& id);
  Status store_record(const capture::entry& rec, index_stats& batch, std::string& id);
  Status index_one(const capture::entry& rec, index_stats& batch);
  Result<index_stats> recount_then_catch_up(capture::position end, const std::atomic<bool>& stop);

  store::store& store_;
  std::filesystem::path spool_;
  capture::journal_reader reader_;
  std::string sensor_;
  std::size_t batch_;
  index_stats stats_;
  std::uint64_t quarantined_ = 0;  // in the store, as last counted
  bool recount_due_ = true;  // until the store says no recount is asked for (follow)
  Micros recounting_since_ = 0;  // while this indexer recounts
  capture::position last_indexed_{0, 0};  // as status.json last said
  bool spool_recorded_ = false;
  bool keep_raw_ = false;
  std::atomic<std::shared_ptr<const enrich::geoip>> geoip_;
  std::uint64_t records_read_ = 0;  // journal records this indexer has gone past
  std::atomic<bool> store_ok_{true};
  std::atomic<double> lag_seconds_{0};
};

}  // namespace spampot::pipeline
