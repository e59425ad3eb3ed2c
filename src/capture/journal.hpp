// The spool journal's writer: append-only segment files with group commit.
//
// Contract: append() hands a record to the writer thread; `done` runs on that thread once the
// record is on disk (written and fdatasync'd) with its position, or with an error if it is not.
// Every record that finished in the same window shares one fdatasync: while one sync runs, new
// records queue, and the next write takes them all. That is what lets the trap take bursts and
// still answer 250 only for what is durable (DESIGN.md §3: ~150,000 appends/s with one sync per
// 100 records, against ~2,700/s with one fsync per file).
//
// The indexer follows the journal through durable(): the journal is the queue between capture and
// store, so the backlog lives on disk, never in memory, and a restart resumes it with the same
// code. durable() takes no lock: the indexer runs at idle priority, and a lock it held when the
// scheduler set it aside would stall the writer and, through append(), the trap.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "base/result.hpp"
#include "capture/frame.hpp"
#include "capture/segments.hpp"

namespace spampot::capture {

struct journal_options {
  std::filesystem::path dir;
  std::uint64_t segment_bytes = 32u * 1024u * 1024u;
  int zstd_level = 3;
  std::chrono::milliseconds lazy_sync{10};
};

class journal {
 public:
  using done_fn = std::function<void(Result<position>)>;

  // Creates the directory if needed, cuts a torn tail, and starts the writer thread.
  static Result<std::unique_ptr<journal>> open(const journal_options& opts);
  ~journal();
  journal(const journal&) = delete;
  journal& operator=(const journal&) = delete;

  void append(record r, done_fn done);
  // A record nothing waits for (a session's log): it waits up to lazy_sync (in a flood, messages
  // come far more often) for one that something does, and shares that record's fdatasync instead
  // of costing one of its own (a connection that sent one message needed two). Durable, and given
  // to the indexer, when that sync is done; stop() flushes it.
  void append_lazily(record r);

  position durable_end() const;
  // The durable end with the number of records this journal made durable since it opened, read
  // together: the indexer's lag in records is counted from them.
  struct durable_mark {
    position end;
    std::uint64_t records = 0;
  };
  durable_mark durable() const;
  // False after a write failed, until a message is written again: the trap is answering 451.
  bool writable() const { return writable_; }
  // Writes what is queued, then stops the writer thread. Idempotent.
  void stop();

  const recovery_report& recovered() const { return recovered_; }

 private:
  struct pending {
    record rec;
    done_fn done;
    std::chrono::steady_clock::time_point since;  // handed to append(), for the latency metric
  };

  journal(journal_options opts, recovery_report rep, int fd);
  void run();
  void write_batch(std::vector<pending>& batch);
  Status open_segment(std::uint32_t segment);
  // Writes `bytes` at `at` in the segment, zeroes ahead of them, and syncs.
  Status write_all(const std::string& bytes, std::uint64_t at);

  journal_options opts_;
  recovery_report recovered_;
  int fd_ = -1;
  position end_;  // writer thread only: where the next byte goes
  // Writer thread only: the segment's file is zeroes from end_ to here. Records are written over
  // zeroes laid down ahead of them, so an fdatasync writes their data alone: appending made every
  // sync also write the inode whose size grew (bench/sync_cost.py: 0.14-0.22 ms -> 0.09 ms).
  // Readers end a segment at its first zero header (journal_reader, recover()).
  std::uint64_t zeroed_to_ = 0;
  // The durable end as segment << 40 | offset (open() keeps segments under 2^40 bytes).
  std::atomic<std::uint64_t> durable_;
  std::atomic<std::uint64_t> durable_records_{0};
  void set_durable(position p) { durable_.store(std::uint64_t{p.segment} << 40 | p.offset, std::memory_order_release); }
  bool broken_ = false;  // writer thread only
  std::atomic<bool> writable_{true};

  mutable std::mutex mu_;
  mutable std::condition_variable wake_writer_;
  std::vector<pending> queue_;
  bool awaited_ = false;  // queue_ holds a record something waits for
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace spampot::capture
