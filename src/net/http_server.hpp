// A small read-only HTTP listener for `serve`'s metrics and `spampot web`'s console: bounded like
// the seed page (connections in total and per address, a deadline per exchange, a request head
// limit), one request per connection, the answer made by `handle` from the request head; over TLS
// when given a context. The head is parsed
// by Boost.Beast (net/http_message.hpp); a body is never read.
#pragma once

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ssl/context.hpp>
#include <functional>
#include <memory>
#include <string>

#include "base/result.hpp"
#include "base/time.hpp"
#include "net/http_message.hpp"

namespace spampot::net {

struct http_server_options {
  std::string name;  // "metrics", "console": for errors and logs
  std::string host;
  std::uint16_t port = 0;
  Micros timeout = 10 * kMicrosPerSecond;
  std::size_t connections = 16;
  std::size_t connections_per_ip = 8;
  http_limits lim;
  std::function<http_response(const http_request&)> handle;
  std::shared_ptr<asio::ssl::context> tls;  // set: every connection speaks TLS first
};

class http_server {
 public:
  http_server(asio::io_context& io, http_server_options opts);
  ~http_server();

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

// serve's metrics routes: GET /metrics (the exposition `metrics` makes) and /healthz.
struct health {
  bool ok = true;
  std::string why;  // what is wrong, when not ok
};
http_response metrics_routes(const http_request& req, const std::function<std::string()>& metrics,
                             const std::function<health()>& healthz);

}  // namespace spampot::net
