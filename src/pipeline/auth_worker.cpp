#include "pipeline/auth_worker.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "base/domain.hpp"

namespace spampot::pipeline {

namespace {
// A verdict is about the DNS of its day: messages older than this when the worker first sees them
// (serve was down, or ran without [dns]) stay "not evaluated" rather than be judged by today's.
constexpr Micros kEvaluateWithin = 24 * 3600 * kMicrosPerSecond;
constexpr std::size_t kBatch = 200;
// The raw text of a batch held at once, at most: DKIM hashes every byte of a message.
constexpr std::uint64_t kBatchBytes = 64ULL << 20;

// What one message's checks need, read from the store and the spool before they run in parallel.
struct job {
  store::message_row m;
  std::string raw;     // "" when the spool no longer has it: DKIM and DMARC are then not evaluated
  bool has_raw = false;
  std::string from_domain;
};

}  // namespace

std::string signatures_json(const std::vector<enrich::dkim_signature>& sigs) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& s : sigs)
    a.push_back({{"domain", s.domain}, {"selector", s.selector}, {"result", s.result}, {"error", s.error}});
  return a.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<std::unique_ptr<auth_worker>> auth_worker::make(const std::string& store_url, const std::string& spool,
                                                       const dns::resolver_options& r, std::size_t parallel) {
  std::unique_ptr<auth_worker> w(new auth_worker());
  auto d = dns::blocking_resolver::make(r);
  if (!d) return d.failure();
  w->dns_ = std::move(*d);
  auto ask = [dns = w->dns_.get()](const std::string& name, dns::rr t) { return dns->ask(name, t); };
  for (std::size_t i = 0; i < std::max<std::size_t>(parallel, 1); ++i) {
    auto c = enrich::spf_checker::make(ask);
    if (!c) return c.failure();
    w->spf_.push_back(std::move(*c));
  }
  auto k = enrich::dkim_verifier::make(ask);
  if (!k) return k.failure();
  w->dkim_ = std::move(*k);
  auto m = enrich::dmarc_checker::make(ask);
  if (!m) return m.failure();
  w->dmarc_ = std::move(*m);
  auto s = store::open(store_url, store::reach::later);
  if (!s) return s.failure();
  w->store_ = std::move(*s);
  w->raw_ = std::make_unique<raw_source>(*w->store_, "", spool);
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
  auto pending = store_->auth_pending_since(since, limit);
  if (!pending) return pending.failure();
  auth_pass pass;
  if (pending->empty()) return pass;

  // Read what the checks need, up to the batch's byte bound (the rest waits for the next batch).
  std::vector<job> jobs;
  std::uint64_t bytes = 0;
  for (auto& p : *pending) {
    if (!jobs.empty() && bytes >= kBatchBytes) break;
    job j{std::move(p), {}, false, {}};
    if (auto text = raw_->delivered(j.m)) {
      j.raw = std::move(*text);
      j.has_raw = true;
      bytes += j.raw.size();
    }
    auto details = store_->find_details(j.m.id);
    if (!details) return details.failure();
    if (*details) j.from_domain = domain_of((*details)->from_address);
    jobs.push_back(std::move(j));
  }

  std::vector<store::auth_row> verdicts(jobs.size());
  std::atomic<std::size_t> next{0};
  auto work = [&](enrich::spf_checker& spf) {
    for (std::size_t i; (i = next++) < jobs.size();) {
      const job& j = jobs[i];
      store::auth_row& a = verdicts[i];
      const auto s = spf.check(j.m.client_ip, j.m.helo, j.m.mail_from);
      a.spf = s.result;
      a.spf_domain = s.domain;
      a.spf_helo = s.helo_result;
      if (!j.has_raw) continue;  // DKIM hashes the text, and DMARC needs DKIM's answer
      const auto k = dkim_->verify(j.raw);
      a.dkim = k.result;
      a.dkim_signatures = signatures_json(k.signatures);
      const auto d = dmarc_->check({j.m.client_ip, j.from_domain, j.m.mail_from.empty(), s, k.signatures});
      a.dmarc = d.result;
      a.dmarc_policy = d.policy;
      a.dmarc_domain = j.from_domain;
      a.dmarc_alignment = d.dkim_aligned && d.spf_aligned ? "dkim,spf" : d.dkim_aligned ? "dkim" : d.spf_aligned ? "spf" : "";
    }
  };
  std::vector<std::thread> threads;
  const std::size_t n = std::min(spf_.size(), jobs.size());
  for (std::size_t t = 1; t < n; ++t) threads.emplace_back(work, std::ref(*spf_[t]));
  work(*spf_[0]);
  for (auto& t : threads) t.join();

  store::transaction tx(*store_);
  if (!tx.begun()) return tx.begun().failure();
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const auto& a = verdicts[i];
    if (a.spf == "temperror" || a.dkim == "temperror" || a.dmarc == "temperror") ++pass.temperrors;
    if (auto s = store_->put_auth(jobs[i].m, a); !s) return s.failure();
    ++pass.evaluated;
  }
  if (auto c = tx.commit(); !c) return c.failure();
  return pass;
}

void auth_worker::run() {
  while (!stop_) {
    auto r = evaluate(now_micros() - kEvaluateWithin, kBatch);
    if (!r) {
      spdlog::warn("sender authentication: {} (trying again in 5 s)", r.error());
      for (int i = 0; i < 50 && !stop_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    if (r->evaluated > 0) {
      spdlog::debug("sender authentication: evaluated {} messages ({} with a temperror)", r->evaluated, r->temperrors);
      continue;  // more may wait
    }
    for (int i = 0; i < 10 && !stop_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace spampot::pipeline
