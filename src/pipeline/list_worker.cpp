#include "pipeline/list_worker.hpp"

#include <spdlog/spdlog.h>

#include <asio/io_context.hpp>
#include <chrono>

namespace spampot::pipeline {

Result<std::unique_ptr<list_worker>> list_worker::make(const std::string& store_url, const dns::resolver_options& r,
                                                       const std::vector<dns::list_spec>& lists,
                                                       Micros recheck_after, Micros interval) {
  std::unique_ptr<list_worker> w(new list_worker());
  w->io_ = std::make_unique<asio::io_context>(1);
  auto c = dns::checker::make(*w->io_, r, lists);
  if (!c) return c.failure();
  w->checker_ = std::move(*c);
  auto s = store::open(store_url, store::reach::later);
  if (!s) return s.failure();
  w->store_ = std::move(*s);
  w->options_.recheck_after = recheck_after;
  w->options_.batch = 500;
  w->interval_ = interval;
  return w;
}

list_worker::~list_worker() { stop(); }

void list_worker::start() {
  thread_ = std::thread([this] { run(); });
}

void list_worker::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void list_worker::run() {
  while (!stop_) {
    auto r = check_pass(*store_, *checker_, *io_, options_, &stop_);
    if (!r) {
      spdlog::warn("dnsbl: {} (trying again in {} s)", r.error(), interval_ / kMicrosPerSecond);
    } else if (r->checked > 0) {
      spdlog::info("dnsbl: checked {} entries: {} listed, {} clean, {} errors", r->checked, r->listed, r->clean,
                   r->errors);
    }
    for (Micros waited = 0; waited < interval_ && !stop_; waited += 100000)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace spampot::pipeline
