// `spampot serve`: wires config, journal, store, indexer and listener together and runs them.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/signal_set.hpp>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <random>
#include <thread>

#include "app/common.hpp"
#include "base/thread_priority.hpp"
#include "app/json_log.hpp"
#include "app/web_console.hpp"
#include "capture/journal.hpp"
#include "config/config.hpp"
#include "net/privileges.hpp"
#include "metrics/metrics.hpp"
#include "net/http_server.hpp"
#include "net/seed_server.hpp"
#include "net/server.hpp"
#include "net/tls_context.hpp"
#include "pipeline/indexer.hpp"
#include "pipeline/auth_worker.hpp"
#include "pipeline/list_worker.hpp"
#include "pipeline/retention.hpp"
#include "dns/checker.hpp"
#include "store/store.hpp"

namespace spampot::app {
namespace {

struct serve_options {
  common_options common;
  std::vector<std::string> listen;
  std::vector<std::string> domains;
  std::string sensor;
  std::string hostname;
  std::string web;
};

std::shared_ptr<const smtp::recipient_policy> make_policy(const config::config& cfg) {
  std::vector<smtp::trap_domain> domains;
  for (const auto& t : cfg.traps) domains.push_back({t.domain, t.subdomains});
  std::vector<smtp::rcpt_rule> rules;
  for (const auto& r : cfg.rules) rules.push_back({r.address, r.accept});
  return std::make_shared<smtp::recipient_policy>(std::move(domains), std::move(rules));
}

// What the greylist and the greytrap knew before this start, from the rows this sensor stored: a
// restart must not make every waiting triplet new again, nor free every trapped client. What the
// index has not reached yet is not known; a store not reachable now restores nothing.
void restore_traps(store::store& st, const config::config& cfg, net::server_options& so) {
  const Micros now = now_micros();
  if (so.greylist) {
    auto rows = st.greylist_holds(cfg.sensor, now - cfg.greylist.expire);
    if (!rows) {
      spdlog::warn("greylist: nothing restored from the store: {}", rows.error());
    } else {
      for (const auto& r : *rows)
        so.greylist->restore(r.client_ip, r.sender, r.recipient, r.held_since, r.greylist == "passed", now);
      spdlog::info("greylist: share {} of new triplets, {} known triplets restored", cfg.greylist.share,
                   so.greylist->size());
    }
  }
  if (so.greytrap) {
    auto clients = st.trap_senders(cfg.sensor, now - cfg.greytrap.tarpit_for);
    if (!clients) {
      spdlog::warn("greytrap: nothing restored from the store: {}", clients.error());
    } else {
      for (const auto& [ip, at] : *clients) so.greytrap->hit(ip, at);
      spdlog::info("greytrap: {} clients tarpitted from before this start", so.greytrap->size());
    }
  }
}

Result<config::config> effective_config(const serve_options& o) {
  auto cfg = resolve_config(o.common);
  if (!cfg) return cfg;
  if (!o.listen.empty()) {
    for (const auto& l : o.listen) {
      if (auto la = config::parse_listen(l); !la) return Error{"--listen " + l + ": " + la.error()};
    }
    cfg->smtp.listen = o.listen;
  }
  if (!o.domains.empty()) {
    cfg->traps.clear();
    for (const auto& d : o.domains) {
      if (d.empty() || d.find_first_of("@ \t") != std::string::npos)
        return Error{"--domain '" + d + "': give a domain such as trap.example"};
      cfg->traps.push_back({d, std::nullopt, false});
    }
  }
  if (!o.sensor.empty()) cfg->sensor = o.sensor;
  if (!o.web.empty()) {
    if (auto la = config::parse_listen(o.web); !la) return Error{"--web " + o.web + ": " + la.error()};
    cfg->web.listen = o.web;
  }
  if (!o.hostname.empty()) cfg->smtp.hostname = o.hostname;
  cfg->smtp.hostname = trap_hostname(*cfg);
  if (cfg->traps.empty())
    return Error{
        "no trap domain: add [[trap]] domain = \"trap.example\" to the config, or --domain"};
  return cfg;
}

int serve(const serve_options& o) {
  auto cfg_r = effective_config(o);
  if (!cfg_r) {
    spdlog::error("{}", cfg_r.error());
    return kExitError;
  }
  config::config cfg = std::move(cfg_r).value();
  spdlog::set_level(spdlog::level::from_str(cfg.log.level));
  if (cfg.log.format == "json") use_json_log();
  // A full disk or a file size limit must fail a write (and answer 451), not kill the trap.
  std::signal(SIGXFSZ, SIG_IGN);
  std::signal(SIGPIPE, SIG_IGN);

  auto journal = capture::journal::open({cfg.store.spool, cfg.store.segment_bytes, 3});
  if (!journal) {
    spdlog::error("{}", journal.error());
    return kExitError;
  }
  const auto& rec = (*journal)->recovered();
  if (rec.cut_bytes > 0)
    spdlog::warn(
        "spool: cut a torn record of {} bytes at the end of segment {} (a crash mid-write)",
        rec.cut_bytes, rec.end.segment);
  auto opened_geoip = open_geoip(cfg);
  if (!opened_geoip) {
    spdlog::error("{}", opened_geoip.error());
    return kExitError;
  }
  const std::shared_ptr<const enrich::geoip> geoip = std::move(*opened_geoip);
  if (geoip) spdlog::info("networks from {}", geoip->describe());
  // A fleet's database may be down when a sensor starts: the spool takes the mail meanwhile.
  auto st = store::open(cfg.store.db, store::reach::later);
  if (!st) {
    spdlog::error("{}", st.error());
    return kExitError;
  }

  asio::io_context io(1);
  net::server_options so;
  for (const auto& l : cfg.smtp.listen) {
    auto la = config::parse_listen(l).value();
    so.listen.push_back({la.host, la.port, false, 0, std::nullopt, false});
  }
  for (const auto& l : cfg.listeners) {
    auto la = config::parse_listen(l.address).value();
    so.listen.push_back(
        {la.host, la.port, l.proxy_protocol, l.stutter, l.greeting_delay, l.implicit_tls});
  }
  so.sensor = cfg.sensor;
  so.session.hostname = cfg.smtp.hostname;
  so.session.banner = cfg.smtp.banner;
  so.session.relay_bait = cfg.smtp.relay_bait;
  so.session.auth_capture = cfg.smtp.auth_capture;
  so.session.auth_after_tls = cfg.smtp.auth_after_tls;
  so.session.lim = cfg.lim;
  so.session.policy = make_policy(cfg);
  so.greeting_delay = cfg.smtp.greeting_delay;
  if (cfg.greylist.share > 0)
    so.greylist = std::make_shared<smtp::greylist>(
        smtp::greylist_options{cfg.greylist.share, cfg.greylist.min_delay, cfg.greylist.expire});
  if (cfg.greytrap.tarpit_for > 0) {
    so.greytrap = std::make_shared<smtp::greytrap>(cfg.greytrap.tarpit_for);
    so.greytrap_stutter = cfg.greytrap.stutter;
  }
  restore_traps(**st, cfg, so);
  const bool implicit = std::any_of(cfg.listeners.begin(), cfg.listeners.end(),
                                    [](const auto& l) { return l.implicit_tls; });
  if (cfg.smtp.tls || implicit) {
    // Loaded before privileges drop, so a key readable only by root still works.
    auto files = trap_certificate_files(cfg);
    if (!files) {
      spdlog::error("{}", files.error());
      return kExitError;
    }
    auto ctx = net::make_tls_context(files->cert, files->key);
    if (!ctx) {
      spdlog::error("{}", ctx.error());
      return kExitError;
    }
    so.tls = *ctx;
    so.session.starttls = cfg.smtp.tls;
    spdlog::info("TLS certificate {}", files->cert);
  }
  // DNS only when the config has a [dns] table: a trap must not ask anyone anything unasked.
  std::unique_ptr<dns::checker> client_dns;
  if (cfg.dns && cfg.dns->ptr) {
    auto c = dns::checker::make(io, resolver_options_of(cfg), {});
    if (!c) {
      spdlog::error("{}", c.error());
      return kExitError;
    }
    client_dns = std::move(*c);
    so.dns = client_dns.get();
    so.dns_wait = cfg.dns->timeout * cfg.dns->tries + kMicrosPerSecond;
  }
  std::unique_ptr<pipeline::list_worker> lists;
  if (const auto specs = dns_lists(cfg); cfg.dns && cfg.dns->check && !specs.empty()) {
    auto w = pipeline::list_worker::make(cfg.store.db, resolver_options_of(cfg), specs, cfg.dns->recheck_after,
                                         cfg.dns->check_interval);
    if (!w) {
      spdlog::error("{}", w.error());
      return kExitError;
    }
    lists = std::move(*w);
  }
  // SPF, DKIM and DMARC of each new message, on DNS and threads of their own: never in a reply's
  // or the index's way.
  std::unique_ptr<pipeline::auth_worker> auth;
  if (cfg.dns && cfg.dns->sender_auth) {
    auto w = pipeline::auth_worker::make(cfg.store.db, cfg.store.spool, resolver_options_of(cfg));
    if (!w) {
      spdlog::error("{}", w.error());
      return kExitError;
    }
    auth = std::move(*w);
  }
  std::unique_ptr<pipeline::retention_worker> retention;
  {
    pipeline::retention_options ro{cfg.store.spool, cfg.sensor,
                                   {cfg.retention.max_age, cfg.retention.max_spool, cfg.retention.min_free},
                                   cfg.retention.rows_max_age, cfg.retention.check_interval};
    if (pipeline::retention(**st, ro).active()) {
      auto w = pipeline::retention_worker::make(cfg.store.db, ro);
      if (!w) {
        spdlog::error("{}", w.error());
        return kExitError;
      }
      retention = std::move(*w);
    }
  }
  net::server srv(io, **journal, so);
  if (auto b = srv.bind(); !b) {
    spdlog::error("{}", b.error());
    return kExitError;
  }

  std::unique_ptr<net::seed_server> seeds;
  if (!cfg.seed.listen.empty()) {
    auto la = config::parse_listen(cfg.seed.listen).value();
    net::seed_options so2;
    so2.host = la.host;
    so2.port = la.port;
    so2.sensor = cfg.sensor;
    so2.domain = cfg.seed.domain.empty() ? cfg.traps.front().domain : cfg.seed.domain;
    so2.label = cfg.seed.label;
    so2.site = cfg.seed.site.empty() ? so2.domain : cfg.seed.site;
    so2.timeout = cfg.seed.timeout;
    so2.connections = cfg.seed.connections;
    so2.connections_per_ip = cfg.seed.connections_per_ip;
    so2.lim.header_bytes = cfg.seed.header_bytes;
    // The seeds handed out before, never to be handed out again. A store that is down now
    // costs only that check: a fresh address colliding with an old seed is one in millions.
    std::vector<std::string> known;
    if (auto k = (*st)->seed_addresses(); k) {
      known = std::move(*k);
    } else {
      spdlog::warn("seed page: cannot read the known seeds ({}); minting without that check",
                   k.error());
    }
    seeds = std::make_unique<net::seed_server>(io, **journal, so2, known);
    if (auto b = seeds->bind(); !b) {
      spdlog::error("{}", b.error());
      return kExitError;
    }
  }

  std::atomic<bool> stop_indexing{false};
  pipeline::indexer idx(**st, cfg.store.spool, cfg.sensor);
  idx.keep_raw(cfg.store.keeps_raw());
  idx.networks(geoip);
  bool draining = false;

  std::unique_ptr<net::http_server> metrics_http;
  if (!cfg.metrics.listen.empty()) {
    auto la = config::parse_listen(cfg.metrics.listen).value();
    auto exposition = [spool = cfg.store.spool] {
      if (auto u = pipeline::measure_spool(spool)) metrics::set_spool(u->bytes, u->segments, u->free_bytes);
      return metrics::exposition();
    };
    const double max_lag = static_cast<double>(cfg.metrics.max_index_lag) / kMicrosPerSecond;
    auto healthz = [&journal = **journal, &idx, &draining, max_lag]() -> net::health {
      if (draining) return {false, "shutting down: no new connections"};
      if (!journal.writable()) return {false, "the spool refuses writes: new messages are answered 451"};
      if (!idx.store_ok()) return {false, "the store refuses the index (mail is still spooled)"};
      if (idx.lag_seconds() > max_lag)
        return {false, fmt::format("the index is {:.0f} s behind the spool", idx.lag_seconds())};
      return {};
    };
    net::http_server_options mo;
    mo.name = "metrics";
    mo.host = la.host;
    mo.port = la.port;
    mo.handle = [exposition, healthz](const net::http_request& req) {
      return net::metrics_routes(req, exposition, healthz);
    };
    metrics_http = std::make_unique<net::http_server>(io, std::move(mo));
    if (auto b = metrics_http->bind(); !b) {
      spdlog::error("{}", b.error());
      return kExitError;
    }
  }

  // The console on an io_context and thread of its own: a slow page never delays an SMTP reply.
  asio::io_context web_io(1);
  std::unique_ptr<web_console> console;
  if (!cfg.web.listen.empty()) {
    auto c = web_console::make(web_io, cfg, "");
    if (!c) {
      spdlog::error("{}", c.error());
      return kExitError;
    }
    console = std::move(*c);
  }

  // Ports are bound, spool and database are open: from here on we need no privilege.
  std::vector<std::filesystem::path> owned{cfg.store.spool};
  if (const auto db = store::sqlite_file_of(cfg.store.db))
    for (const char* suffix : {"", "-wal", "-shm"}) owned.emplace_back(db->string() + suffix);
  if (auto d = net::drop_privileges(cfg.user, owned); !d) {
    spdlog::error("{}", d.error());
    return kExitError;
  }

  std::thread index_thread([&] {
    // Accept first, index when the CPU is free: under a flood the backlog waits in the spool.
    if (auto p = run_when_idle(); !p) spdlog::warn("index: {}", p.error());
    idx.follow(**journal, stop_indexing);
  });

  if (lists) lists->start();
  if (auth) auth->start();
  if (retention) retention->start();

  asio::signal_set stop_signals(io, SIGTERM, SIGINT);
  asio::signal_set reload_signal(io, SIGHUP);
  std::function<void()> wait_reload = [&] {
    reload_signal.async_wait([&](std::error_code ec, int) {
      if (ec) return;
      auto fresh = effective_config(o);
      if (fresh) {
        srv.set_policy(make_policy(*fresh));
        spdlog::info("reloaded: {} trap domains", fresh->traps.size());
        // The [geoip] databases again (a weekly update): rows indexed from now on use them.
        if (auto g = open_geoip(*fresh)) {
          std::shared_ptr<const enrich::geoip> fresh_geoip = std::move(*g);
          spdlog::info("reloaded: networks from {}", fresh_geoip ? fresh_geoip->describe() : "no database");
          idx.networks(std::move(fresh_geoip));
        } else {
          spdlog::error("reload: keeping the old GeoIP databases: {}", g.error());
        }
      } else {
        spdlog::error("reload failed, keeping the old trap domains: {}", fresh.error());
      }
      wait_reload();
    });
  };
  wait_reload();
  stop_signals.async_wait([&](std::error_code ec, int sig) {
    if (ec) return;
    spdlog::info("signal {}: no new connections; finishing open sessions", sig);
    draining = true;
    if (seeds) seeds->stop();
    srv.shutdown(cfg.lim.shutdown_grace, [&] {
      // Until here /healthz said "shutting down" to whoever watches.
      if (metrics_http) metrics_http->stop();
      reload_signal.cancel();
      io.stop();
    });
  });

  srv.start();
  for (const auto& b : srv.bound()) spdlog::info("listening on {}", b);
  if (seeds) {
    seeds->start();
    spdlog::info("seed page on http://{}/", seeds->bound());
  }
  if (metrics_http) {
    metrics_http->start();
    spdlog::info("metrics on http://{}/metrics", metrics_http->bound());
  }
  std::thread web_thread;
  if (console) {
    console->start();
    spdlog::info("console on {}", console->url());
    web_thread = std::thread([&] { web_io.run(); });
  }
  spdlog::info("sensor {} trapping {} domains as {}", cfg.sensor, cfg.traps.size(),
               cfg.smtp.hostname);
  io.run();

  if (lists) lists->stop();
  if (auth) auth->stop();
  if (retention) retention->stop();
  if (console) {
    asio::post(web_io, [&] { console->stop(); });
    web_io.stop();
    web_thread.join();
  }
  // Every session has ended: flush the journal, then let the indexer reach its end.
  (*journal)->stop();
  stop_indexing = true;
  index_thread.join();
  spdlog::info("stopped: indexed {} messages and {} sessions this run", idx.stats().messages,
               idx.stats().sessions);
  return kExitOk;
}

}  // namespace

void setup_serve(CLI::App& sub, int& exit_code) {
  auto o = std::make_shared<serve_options>();
  add_common_options(sub, o->common);
  sub.add_option("--listen", o->listen,
                 "Listen on ADDR:PORT (repeatable; [::1]:25 for IPv6); replaces the config's");
  sub.add_option("--domain", o->domains,
                 "Trap domain (repeatable); replaces the config's [[trap]] list");
  sub.add_option("--sensor", o->sensor, "Sensor name, unique in a fleet");
  sub.add_option("--hostname", o->hostname, "Host name in the greeting and EHLO reply");
  sub.add_option("--web", o->web, "Run the web console on ADDR:PORT too (replaces [web] listen)");
  sub.callback([o, &exit_code] { exit_code = serve(*o); });
}

}  // namespace spampot::app
