#include "pipeline/auth_worker.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

namespace spampot::pipeline {

namespace {
// A verdict is about the DNS of its day: messages older than this when the worker first sees them
// (serve was down, or ran without [dns]) stay "not evaluated" rather than be judged by today's.
constexpr Micros kEvaluateWithin = 24 * 3600 * kMicrosPerSecond;
constexpr std::size_t kBatch = 200;
}  // namespace

Result<std::unique_ptr<auth_worker>> auth_worker::make(const std::string& store_url, const dns::resolver_options& r,
                                                       std::size_t parallel) {
  std::unique_ptr<auth_worker> w(new auth_worker());
  auto d = dns::blocking_resolver::make(r);
  if (!d) return d.failure();
  w->dns_ = std::move(*d);
  for (std::size_t i = 0; i < std::max<std::size_t>(parallel, 1); ++i) {
    auto c = enrich::spf_checker::make(
        [dns = w->dns_.get()](const std::string& name, dns::rr t) { return dns->ask(name, t); });
    if (!c) return c.failure();
    w->checkers_.push_back(std::move(*c));
  }
  auto s = store::open(store_url, store::reach::later);
  if (!s) return s.failure();
  w->store_ = std::move(*s);
  return w;
}

auth_worker::~auth_worker() { stop(); }

void auth_worker::start() {
  thread_ = std::thread([this] { run(); });
}

void auth_worker::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

Result<auth_pass> auth_worker::evaluate(Micros since, std::size_t limit) {
  auto pending = store_->spf_pending_since(since, limit);
  if (!pending) return pending.failure();
  auth_pass pass;
  if (pending->empty()) return pass;
  std::vector<enrich::spf_verdict> verdicts(pending->size());
  std::atomic<std::size_t> next{0};
  auto work = [&](enrich::spf_checker& c) {
    for (std::size_t i; (i = next++) < pending->size();) {
      const auto& m = (*pending)[i];
      verdicts[i] = c.check(m.client_ip, m.helo, m.mail_from);
    }
  };
  std::vector<std::thread> threads;
  const std::size_t n = std::min(checkers_.size(), pending->size());
  for (std::size_t t = 1; t < n; ++t) threads.emplace_back(work, std::ref(*checkers_[t]));
  work(*checkers_[0]);
  for (auto& t : threads) t.join();

  store::transaction tx(*store_);
  if (!tx.begun()) return tx.begun().failure();
  for (std::size_t i = 0; i < pending->size(); ++i) {
    const auto& v = verdicts[i];
    if (auto s = store_->put_spf((*pending)[i], v.result, v.domain, v.helo_result); !s) return s.failure();
    ++pass.evaluated;
    if (v.result == "temperror") ++pass.temperrors;
  }
  if (auto c = tx.commit(); !c) return c.failure();
  return pass;
}

void auth_worker::run() {
  while (!stop_) {
    auto r = evaluate(now_micros() - kEvaluateWithin, kBatch);
    if (!r) {
      spdlog::warn("spf: {} (trying again in 5 s)", r.error());
      for (int i = 0; i < 50 && !stop_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    if (r->evaluated > 0) {
      spdlog::debug("spf: evaluated {} messages ({} temperror)", r->evaluated, r->temperrors);
      if (r->evaluated == kBatch) continue;  // more wait
    }
    for (int i = 0; i < 10 && !stop_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace spampot::pipeline
