// Retention: keeps the spool and the store inside the operator's budget ([retention]), so a trap
// left alone for a year does not fill its disk. Runs on its own thread inside `serve`, with a
// store connection of its own, every `check_interval`.
//
// A dropped segment is first recorded in the store (expired_segments), then unlinked: a crash
// between the two leaves a segment marked expired that is still on disk, never a message whose
// raw text is gone without a word.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "base/result.hpp"
#include "capture/retention_plan.hpp"
#include "store/store.hpp"

namespace spampot::pipeline {

struct retention_options {
  std::filesystem::path spool;
  std::string sensor;
  capture::retention_budget budget;
  Micros rows_max_age = 0;
  Micros check_interval = 10 * kMicrosPerSecond;
};

struct retention_pass {
  std::uint64_t segments = 0;  // dropped
  std::uint64_t bytes = 0;
  store::deleted_rows_row rows;
  std::uint64_t spool_over = 0;  // still over the budget after the pass, by this much
  std::uint64_t free_short = 0;
};

// The spool's segments with their sizes and newest-record times, ascending.
Result<std::vector<capture::segment_info>> spool_segments(const std::filesystem::path& spool);

struct spool_usage {
  std::uint64_t bytes = 0;
  std::uint64_t segments = 0;
  std::uint64_t free_bytes = 0;  // on its file system, for an unprivileged writer
};
Result<spool_usage> measure_spool(const std::filesystem::path& spool);

class retention {
 public:
  retention(store::store& st, retention_options o);

  // One pass: drops what the budget asks for, deletes rows past rows_max_age, logs each step.
  Result<retention_pass> run_once(Micros now);

  bool active() const;

 private:
  store::store& store_;
  retention_options o_;
  bool warned_short_ = false;  // the budget cannot be met: said once until it can again
};

// `serve`'s retention thread: a pass at start and every check_interval until stop().
class retention_worker {
 public:
  static Result<std::unique_ptr<retention_worker>> make(const std::string& db_url, retention_options o);
  ~retention_worker();
  void start();
  void stop();

 private:
  retention_worker(std::unique_ptr<store::store> st, retention_options o);
  void run();

  std::unique_ptr<store::store> store_;
  retention r_;
  Micros interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace spampot::pipeline
