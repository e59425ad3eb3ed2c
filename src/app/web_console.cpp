#include "app/web_console.hpp"

#include <fstream>

#include "app/common.hpp"
#include "net/tls_context.hpp"

namespace spampot::app {

namespace {

bool loopback(const std::string& host) {
  return host.starts_with("127.") || host == "::1" || host == "localhost";
}

Result<std::string> read_token(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{"cannot read the console's token file " + path};
  std::string token;
  std::getline(in, token);
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
  if (token.size() < 16) return Error{"the token in " + path + " is shorter than 16 characters"};
  return token;
}

}  // namespace

Result<std::unique_ptr<web_console>> web_console::make(asio::io_context& io, const config::config& cfg,
                                                        const std::string& spool_given) {
  auto la = config::parse_listen(cfg.web.listen);
  if (!la) return Error{"console: " + la.error()};
  web::console_options o;
  if (!cfg.web.token_file.empty()) {
    auto t = read_token(cfg.web.token_file);
    if (!t) return t.failure();
    o.token = *t;
  } else if (!loopback(la->host)) {
    return Error{"the console on " + cfg.web.listen +
                 " would show the harvest to anyone who reaches it: give it a token ([web] token_file or "
                 "--token-file), or listen on loopback"};
  }
  for (const auto& t : cfg.traps) o.traps.push_back({t.domain, t.registered});
  for (const auto& l : dns_lists(cfg)) o.dnsbls.emplace_back(l.zone, l.kind);
  o.spool_given = spool_given;
  auto defaults = export_defaults(cfg, cfg.exports.exclude);
  if (!defaults) return defaults.failure();
  o.export_defaults = std::move(*defaults);
  auto st = store::open(cfg.store.db, store::reach::later);
  if (!st) return st.failure();
  std::unique_ptr<web_console> w(new web_console());
  w->store_ = std::move(*st);
  w->console_ = std::make_unique<web::console>(*w->store_, std::move(o));
  net::http_server_options so;
  so.name = "console";
  so.host = la->host;
  so.port = la->port;
  so.connections = 64;
  so.connections_per_ip = 32;  // an analyst's browser and a script or two, not a crowd
  so.timeout = 30 * kMicrosPerSecond;
  so.handle = [c = w->console_.get()](const net::http_request& req) { return c->handle(req); };
  if (cfg.web.tls) {
    // The trap's own certificate; on a machine with no trap yet, the self-signed pair serve
    // would make, made now.
    auto files = trap_certificate_files(cfg);
    if (!files) return Error{"console: " + files.error()};
    auto ctx = net::make_console_tls_context(files->cert, files->key);
    if (!ctx) return Error{"console: " + ctx.error()};
    so.tls = std::move(*ctx);
    w->url_scheme_ = "https";
  }
  w->server_ = std::make_unique<net::http_server>(io, std::move(so));
  if (auto b = w->server_->bind(); !b) return b.failure();
  return w;
}

}  // namespace spampot::app
