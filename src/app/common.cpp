#include "app/common.hpp"

#include "net/tls_context.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace spampot::app {

void add_common_options(CLI::App& sub, common_options& o) {
  sub.add_option("--config", o.config_path,
                 "Config file (default /etc/spampot/spampot.toml, else ./spampot.toml)");
  sub.add_option("--db", o.db, "Store URL: sqlite:PATH (default from config)");
  sub.add_option("--spool", o.spool, "Spool journal directory (default from config)");
}

Result<std::unique_ptr<store::store>> open_counted_store(const std::string& url, std::string_view command) {
  auto st = store::open(url);
  if (!st) return st.failure();
  auto pending = (*st)->recount_pending();
  if (!pending) return pending.failure();
  if (!*pending) return st;
  std::fprintf(stderr,
               "spampot: an upgrade asked for the harvest counters to be recounted once from the "
               "stored rows (a few minutes per million messages)\n");
  const Micros started = now_micros();
  auto done = (*st)->recount_if_pending("spampot " + std::string(command));
  if (!done) return done.failure();
  if (*done) {
    std::fprintf(stderr, "spampot: recounted in %.1f s\n",
                 static_cast<double>(now_micros() - started) / kMicrosPerSecond);
  } else if (auto now = (*st)->recount_pending(); now && *now) {
    std::fprintf(stderr, "spampot: the harvest counters are %s; until that ends, counts are incomplete\n",
                 store::describe(**now).c_str());
  }
  return st;
}

std::string trap_hostname(const config::config& cfg) {
  if (!cfg.smtp.hostname.empty()) return cfg.smtp.hostname;
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return host[0] ? host : "localhost";
}

Result<std::unique_ptr<enrich::geoip>> open_geoip(const config::config& cfg) {
  if (!cfg.geoip.on()) return std::unique_ptr<enrich::geoip>();
  return enrich::geoip::open(cfg.geoip.country_db, cfg.geoip.asn_db);
}

Result<config::config::certificate> trap_certificate_files(const config::config& cfg) {
  auto c = cfg.trap_certificate();
  if (c.self_signed) {
    if (auto g = net::ensure_self_signed(c.cert, c.key, trap_hostname(cfg)); !g) return g.failure();
  }
  return c;
}

Result<config::config> resolve_config(const common_options& o) {
  std::string path = o.config_path;
  if (path.empty()) {
    for (const char* candidate : {"/etc/spampot/spampot.toml", "spampot.toml"}) {
      std::error_code ec;
      if (std::filesystem::exists(candidate, ec)) {
        path = candidate;
        break;
      }
    }
  }
  config::config cfg;
  if (!path.empty()) {
    auto loaded = config::load(path);
    if (!loaded) return Error{loaded.error()};
    cfg = std::move(loaded).value();
  }
  if (!o.db.empty()) cfg.store.db = o.db;
  if (!o.spool.empty()) cfg.store.spool = o.spool;
  return cfg;
}

std::vector<dns::list_spec> dns_lists(const config::config& cfg) {
  std::vector<dns::list_spec> out;
  for (const auto& l : cfg.dnsbls) {
    dns::list_spec s;
    s.zone = l.zone;
    if (auto known = dns::known_list(l.zone)) s = *known;
    if (l.kind) s.kind = *l.kind;
    s.server = l.server;
    if (l.codes) s.codes = {l.codes->begin(), l.codes->end()};
    if (l.bitmask) s.bitmask = *l.bitmask;
    if (l.error_codes) s.error_codes = *l.error_codes;
    out.push_back(std::move(s));
  }
  return out;
}

dns::resolver_options resolver_options_of(const config::config& cfg) {
  const auto d = cfg.dns.value_or(config::config::dns_section{});
  dns::resolver_options o;
  o.servers = d.servers;
  o.timeout = d.timeout;
  o.tries = d.tries;
  o.rate = d.rate;
  o.in_flight = d.in_flight;
  o.min_ttl = d.cache_min_ttl;
  o.max_ttl = d.cache_max_ttl;
  return o;
}

Result<intel::listing_policy> export_defaults(const config::config& cfg, const std::string& exclude_path) {
  intel::listing_policy p;
  p.min_hits = cfg.exports.min_hits;
  p.min_days = cfg.exports.min_days;
  p.aggregate_v4 = cfg.exports.aggregate_v4;
  p.aggregate_v6 = cfg.exports.aggregate_v6;
  p.expire_after = cfg.exports.expire_after;
  if (!exclude_path.empty()) {
    std::ifstream in(exclude_path, std::ios::binary);
    if (!in) return Error{"cannot read exclusions " + exclude_path};
    std::ostringstream buf;
    buf << in.rdbuf();
    auto ex = intel::parse_exclusions(buf.str(), exclude_path);
    if (!ex) return ex.failure();
    p.exclude = std::move(*ex);
  }
  return p;
}

}  // namespace spampot::app
