// `spampot web`: the console and its JSON API on their own, against any store (a sensor's SQLite
// file, or a fleet's MariaDB: one console for every sensor). `serve` runs the same console when
// the config has [web] listen (app/web_console.cpp).
#include <spdlog/spdlog.h>

#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>
#include <csignal>

#include "app/common.hpp"
#include "app/web_console.hpp"

namespace spampot::app {
namespace {

struct web_options {
  common_options common;
  std::string listen, token_file;
  bool tls = false;
};

int web(const web_options& o) {
  auto cfg = resolve_config(o.common);
  if (!cfg) {
    spdlog::error("{}", cfg.error());
    return kExitError;
  }
  if (!o.listen.empty()) cfg->web.listen = o.listen;
  if (cfg->web.listen.empty()) cfg->web.listen = "127.0.0.1:8025";
  if (!o.token_file.empty()) cfg->web.token_file = o.token_file;
  if (o.tls) cfg->web.tls = true;
  std::signal(SIGPIPE, SIG_IGN);
  asio::io_context io(1);
  auto console = web_console::make(io, *cfg, o.common.spool);
  if (!console) {
    spdlog::error("{}", console.error());
    return kExitError;
  }
  asio::signal_set stop(io, SIGTERM, SIGINT);
  stop.async_wait([&](std::error_code ec, int) {
    if (ec) return;
    (*console)->stop();
    io.stop();
  });
  (*console)->start();
  spdlog::info("console on {}", (*console)->url());
  io.run();
  return kExitOk;
}

}  // namespace

void setup_web(CLI::App& sub, int& exit_code) {
  auto o = std::make_shared<web_options>();
  add_common_options(sub, o->common);
  sub.add_option("--listen", o->listen, "ADDR:PORT (default [web] listen, else 127.0.0.1:8025)");
  sub.add_option("--token-file", o->token_file,
                 "A file whose first line is the token every request must carry (required off loopback)");
  sub.add_flag("--tls", o->tls,
               "HTTPS with the trap's certificate ([smtp] tls_cert and tls_key, else the spool's self-signed pair)");
  sub.footer("Read-only. Pages: / (overview), /messages, /message/ID, /session/ID, /reports/NAME, /exports/FORMAT; "
             "JSON under /api/v1/ (search, message/ID, session/ID, report/NAME, export/FORMAT, openapi.json).");
  sub.callback([o, &exit_code] { exit_code = web(*o); });
}

}  // namespace spampot::app
