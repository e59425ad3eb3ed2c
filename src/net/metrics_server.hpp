// The metrics listener of `serve` ([metrics] listen): GET /metrics answers the Prometheus text
// exposition, GET /healthz 200 "ok" while the trap accepts mail and its index keeps up, else 503
// with what is wrong. Read-only, bounded like the seed page (connections, a deadline per exchange,
// a request head limit), one request per connection. It binds loopback in the example config:
// the figures tell an observer how busy the trap is.
#pragma once

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <string>

#include "base/result.hpp"
#include "base/time.hpp"

namespace spampot::net {

struct health {
  bool ok = true;
  std::string why;  // what is wrong, when not ok
};

struct metrics_options {
  std::string host;
  std::uint16_t port = 9425;
  Micros timeout = 10 * kMicrosPerSecond;
  std::size_t connections = 16;
  std::function<std::string()> metrics;  // the exposition text, made at each scrape
  std::function<health()> healthz;
};

class metrics_server {
 public:
  metrics_server(asio::io_context& io, metrics_options opts);
  ~metrics_server();

  Status bind();
  std::string bound() const;
  void start();
  void stop();

  struct shared;

 private:
  asio::io_context& io_;
  std::shared_ptr<shared> state_;
  std::unique_ptr<asio::ip::tcp::acceptor> acceptor_;
};

}  // namespace spampot::net
