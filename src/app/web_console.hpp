// The console wired to a store and a listener, for `spampot web` and `serve` alike. It owns its
// store connection; `serve` runs it on an io_context and thread of its own, so a slow page never
// holds up an SMTP reply.
#pragma once

#include <asio/io_context.hpp>
#include <memory>
#include <string>

#include "base/result.hpp"
#include "config/config.hpp"
#include "net/http_server.hpp"
#include "store/store.hpp"
#include "web/console.hpp"

namespace spampot::app {

class web_console {
 public:
  // Refuses a non-loopback address without a token, and an unreadable or empty token file.
  static Result<std::unique_ptr<web_console>> make(asio::io_context& io, const config::config& cfg,
                                                   const std::string& spool_given);
  void start() { server_->start(); }
  void stop() { server_->stop(); }
  std::string bound() const { return server_->bound(); }
  // "https://127.0.0.1:8025/": where an analyst points a browser.
  std::string url() const { return url_scheme_ + "://" + bound() + "/"; }

 private:
  web_console() = default;
  std::unique_ptr<store::store> store_;
  std::unique_ptr<web::console> console_;
  std::unique_ptr<net::http_server> server_;
  std::string url_scheme_ = "http";
};

}  // namespace spampot::app
