// The DNS-based list checks that run inside `serve`: a thread of its own, with its own store
// connection and resolver, that runs a check pass (pipeline/reputation.hpp) every interval, so a
// slow list never touches the SMTP side or the indexer, and a new key is asked about soon after
// it is first seen.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "pipeline/reputation.hpp"

namespace spampot::pipeline {

class list_worker {
 public:
  // Opens the worker's own store connection (a fleet's server may be down: it is tried again
  // each round) and resolver for `lists`.
  static Result<std::unique_ptr<list_worker>> make(const std::string& store_url, const dns::resolver_options& r,
                                                   const std::vector<dns::list_spec>& lists, Micros recheck_after,
                                                   Micros interval);
  ~list_worker();
  list_worker(const list_worker&) = delete;
  list_worker& operator=(const list_worker&) = delete;

  void start();
  // Ends the pass in flight at its next batch and joins the thread.
  void stop();

 private:
  list_worker() = default;
  void run();

  std::unique_ptr<asio::io_context> io_;
  std::unique_ptr<dns::checker> checker_;
  std::unique_ptr<store::store> store_;
  check_options options_;
  Micros interval_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace spampot::pipeline
