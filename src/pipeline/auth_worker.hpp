// Sender authentication inside `serve` (with [dns]): a thread of its own, with its own store
// connection and resolver, that evaluates SPF, DKIM and DMARC for each captured message indexed in
// the last day and not evaluated yet, several messages at once, and writes the verdicts. The SMTP
// side never waits for it and neither does the indexer; a message shows "not evaluated" until
// it is done.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "dns/blocking_resolver.hpp"
#include "enrich/dkim.hpp"
#include "enrich/dmarc.hpp"
#include "enrich/spf.hpp"
#include "pipeline/raw_source.hpp"
#include "store/store.hpp"

namespace spampot::pipeline {

struct auth_pass {
  std::size_t evaluated = 0;
  std::size_t temperrors = 0;  // of any mechanism
};

class auth_worker {
 public:
  // `spool`: where the messages' raw text is (DKIM hashes it). `parallel` messages are evaluated
  // at once (each check mostly waits on DNS, not on the CPU).
  static Result<std::unique_ptr<auth_worker>> make(const std::string& store_url, const std::string& spool,
                                                   const dns::resolver_options& r, std::size_t parallel = 8);
  ~auth_worker();
  auth_worker(const auth_worker&) = delete;
  auth_worker& operator=(const auth_worker&) = delete;

  void start();
  // Finishes the batch in flight and joins the thread.
  void stop();

  // One batch of at most `limit` messages received at or after `since`.
  Result<auth_pass> evaluate(Micros since, std::size_t limit);

 private:
  auth_worker() = default;
  void run();

  std::unique_ptr<store::store> store_;
  std::unique_ptr<raw_source> raw_;
  std::unique_ptr<dns::blocking_resolver> dns_;
  std::vector<std::unique_ptr<enrich::spf_checker>> spf_;  // one per parallel check
  std::unique_ptr<enrich::dkim_verifier> dkim_;            // shared: libopendkim's handle is
  std::unique_ptr<enrich::dmarc_checker> dmarc_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The JSON array a message row keeps of its DKIM signatures, and back.
std::string signatures_json(const std::vector<enrich::dkim_signature>& sigs);

}  // namespace spampot::pipeline
