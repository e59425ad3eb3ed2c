// Loading and validating the TOML config. Every problem is reported with its line and column, all
// at once, so `spampot config check` shows the whole list. Unknown keys are errors: a misspelt
// limit that silently keeps its default is worse than a refusal to start.
#include <toml++/toml.h>

#include <cstdint>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <sstream>

#include "config/config.hpp"

namespace spampot::config {
namespace {

std::optional<std::uint64_t> parse_size(std::string_view text) {
  std::size_t i = 0;
  std::uint64_t n = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    if (n > (UINT64_MAX - 9) / 10) return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(text[i] - '0');
  }
  if (i == 0) return std::nullopt;
  std::string unit;
  for (char c : text.substr(i)) {
    if (c == ' ') continue;
    unit += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  }
  static const std::pair<std::string_view, std::uint64_t> units[] = {
      {"", 1},         {"B", 1},
      {"K", 1ULL << 10}, {"KIB", 1ULL << 10}, {"KB", 1000},
      {"M", 1ULL << 20}, {"MIB", 1ULL << 20}, {"MB", 1000000},
      {"G", 1ULL << 30}, {"GIB", 1ULL << 30}, {"GB", 1000000000},
      {"T", 1ULL << 40}, {"TIB", 1ULL << 40}, {"TB", 1000000000000}};
  for (const auto& [name, factor] : units) {
    if (unit != name) continue;
    if (n > UINT64_MAX / factor) return std::nullopt;
    return n * factor;
  }
  return std::nullopt;
}

class checker {
 public:
  explicit checker(std::string source) : source_(std::move(source)) {}

  void error(const toml::node* n, const std::string& msg) {
    std::ostringstream o;
    o << source_;
    if (n) o << ":" << n->source().begin.line << ":" << n->source().begin.column;
    o << ": " << msg;
    errors_.push_back(o.str());
  }

  // Reports keys of `t` that are not in `known`.
  void only(const toml::table& t, const std::string& where,
            std::initializer_list<std::string_view> known) {
    for (const auto& [k, v] : t) {
      bool ok = false;
      for (auto name : known) ok = ok || k.str() == name;
      if (!ok)
        error(&v, "unknown key '" + std::string(k.str()) + "'" +
                      (where.empty() ? "" : " in [" + where + "]"));
    }
  }

  void str(const toml::table& t, std::string_view key, std::string& out) {
    if (const auto* n = t.get(key)) {
      if (auto v = n->value<std::string>()) {
        out = *v;
      } else {
        error(n, "'" + std::string(key) + "' must be a string");
      }
    }
  }

  void boolean(const toml::table& t, std::string_view key, bool& out) {
    if (const auto* n = t.get(key)) {
      if (auto v = n->value<bool>()) {
        out = *v;
      } else {
        error(n, "'" + std::string(key) + "' must be true or false");
      }
    }
  }

  template <class T>
  void count(const toml::table& t, std::string_view key, T& out, std::int64_t min = 1) {
    if (const auto* n = t.get(key)) {
      const auto v = n->value<std::int64_t>();
      if (!v || !n->is_integer()) {
        error(n, "'" + std::string(key) + "' must be a whole number");
      } else if (*v < min) {
        error(n, "'" + std::string(key) + "' must be at least " + std::to_string(min));
      } else {
        out = static_cast<T>(*v);
      }
    }
  }

  // "30s", "5m", "2h", "1d", "500ms", or a number of seconds.
  void duration(const toml::table& t, std::string_view key, Micros& out) {
    if (const auto* n = t.get(key)) {
      if (n->is_integer()) {
        out = *n->value<std::int64_t>() * kMicrosPerSecond;
        if (out < 0) error(n, "'" + std::string(key) + "' must not be negative");
      } else if (auto s = n->value<std::string>(); s && parse_duration(*s)) {
        out = *parse_duration(*s);
      } else {
        error(n, "'" + std::string(key) + "' must be a duration such as \"30s\", \"5m\" or \"1h\"");
      }
    }
  }

  // "20GiB", "512MiB", "1GB", "64k", or a number of bytes. Binary (KiB, MiB, GiB, TiB) and
  // decimal (kB, MB, GB, TB) units as written; K, M, G, T alone are binary, as df prints them.
  void size(const toml::table& t, std::string_view key, std::uint64_t& out) {
    if (const auto* n = t.get(key)) {
      if (n->is_integer()) {
        const auto v = *n->value<std::int64_t>();
        if (v < 0) return error(n, "'" + std::string(key) + "' must not be negative");
        out = static_cast<std::uint64_t>(v);
      } else if (auto s = n->value<std::string>(); s && parse_size(*s)) {
        out = *parse_size(*s);
      } else {
        error(n, "'" + std::string(key) + "' must be a size such as \"20GiB\", \"500MiB\" or \"1GB\"");
      }
    }
  }

  std::string joined() const {
    std::string out;
    for (const auto& e : errors_) out += (out.empty() ? "" : "\n") + e;
    return out;
  }
  bool ok() const { return errors_.empty(); }

 private:
  std::string source_;
  std::vector<std::string> errors_;
};

Micros to_micros(const toml::date_time& dt) {
  const auto& d = dt.date;
  const auto& t = dt.time;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04u-%02u-%02uT%02u:%02u:%02uZ", d.year, d.month, d.day, t.hour,
                t.minute, t.second);
  Micros v = parse_time_point(buf, 0).value_or(0);
  if (dt.offset) v -= static_cast<Micros>(dt.offset->minutes) * 60 * kMicrosPerSecond;
  return v;
}

void read_dnsbls(checker& c, const toml::table& root, config& cfg) {
  const auto* n = root.get("dnsbl");
  if (!n) return;
  const auto* arr = n->as_array();
  if (!arr) return c.error(n, "'dnsbl' must be an array of tables: write [[dnsbl]]");
  for (const auto& item : *arr) {
    const auto* t = item.as_table();
    if (!t) {
      c.error(&item, "each [[dnsbl]] must be a table");
      continue;
    }
    c.only(*t, "dnsbl", {"zone", "kind", "server", "codes", "bitmask", "error_codes"});
    dnsbl l;
    c.str(*t, "zone", l.zone);
    if (l.zone.empty() || l.zone.find_first_of(" @/") != std::string::npos)
      c.error(t, "[[dnsbl]] needs a zone such as zone = \"zen.spamhaus.org\"");
    if (const auto* k = t->get("kind")) {
      auto v = k->value<std::string>();
      if (!v || (*v != "ip" && *v != "domain" && *v != "url"))
        c.error(k, "'kind' must be ip, domain or url");
      else
        l.kind = *v;
    }
    c.str(*t, "server", l.server);
    if (!l.server.empty() && !parse_listen(l.server))
      c.error(t->get("server"), "'server' must be \"ADDRESS:PORT\" such as \"127.0.0.1:5353\"");
    if (const auto* codes = t->get("codes")) {
      const auto* ct = codes->as_table();
      if (!ct) c.error(codes, "'codes' must be a table such as { \"127.0.0.2\" = \"SBL\" }");
      std::vector<std::pair<std::string, std::string>> v;
      for (const auto& [code, meaning] : ct ? *ct : toml::table{}) {
        auto m = meaning.value<std::string>();
        if (!m) c.error(&meaning, "each code's meaning must be a string");
        else v.emplace_back(std::string(code.str()), *m);
      }
      l.codes = v;
    }
    if (const auto* b = t->get("bitmask")) {
      if (auto v = b->value<bool>()) l.bitmask = *v;
      else c.error(b, "'bitmask' must be true or false");
    }
    if (const auto* e = t->get("error_codes")) {
      const auto* ea = e->as_array();
      if (!ea) c.error(e, "'error_codes' must be an array of addresses");
      std::vector<std::string> v;
      for (const auto& x : ea ? *ea : toml::array{}) {
        if (auto s = x.value<std::string>()) v.push_back(*s);
        else c.error(&x, "each error code must be a string such as \"127.255.255.254\"");
      }
      l.error_codes = v;
    }
    for (const auto& other : cfg.dnsbls)
      if (other.zone == l.zone) c.error(t, "[[dnsbl]] zone '" + l.zone + "' is listed twice");
    cfg.dnsbls.push_back(std::move(l));
  }
}

void read_traps(checker& c, const toml::table& root, config& cfg) {
  const auto* n = root.get("trap");
  if (!n) return;
  const auto* arr = n->as_array();
  if (!arr) return c.error(n, "'trap' must be an array of tables: write [[trap]]");
  for (const auto& item : *arr) {
    const auto* t = item.as_table();
    if (!t) {
      c.error(&item, "each [[trap]] must be a table");
      continue;
    }
    c.only(*t, "trap", {"domain", "registered", "subdomains"});
    trap tr;
    c.str(*t, "domain", tr.domain);
    if (tr.domain.empty() || tr.domain.find('@') != std::string::npos ||
        tr.domain.find(' ') != std::string::npos)
      c.error(t, "[[trap]] needs a domain such as domain = \"trap.example\"");
    c.boolean(*t, "subdomains", tr.subdomains);
    if (const auto* r = t->get("registered")) {
      if (auto dt = r->value<toml::date_time>()) {
        tr.registered = to_micros(*dt);
      } else if (auto d = r->value<toml::date>()) {
        tr.registered = to_micros(toml::date_time{*d, toml::time{}});
      } else if (auto s = r->value<std::string>(); s && parse_time_point(*s, 0)) {
        tr.registered = parse_time_point(*s, 0);
      } else {
        c.error(r, "'registered' must be a date or date-time such as 2013-03-01T00:00:00Z");
      }
    }
    cfg.traps.push_back(std::move(tr));
  }
}

void read_listeners(checker& c, const toml::table& root, config& cfg) {
  const auto* n = root.get("listener");
  if (!n) return;
  const auto* arr = n->as_array();
  if (!arr) return c.error(n, "'listener' must be an array of tables: write [[listener]]");
  for (const auto& item : *arr) {
    const auto* t = item.as_table();
    if (!t) {
      c.error(&item, "each [[listener]] must be a table");
      continue;
    }
    c.only(*t, "listener",
           {"address", "proxy_protocol", "stutter", "greeting_delay", "implicit_tls"});
    listener l;
    c.str(*t, "address", l.address);
    if (auto la = parse_listen(l.address); !la)
      c.error(t, "[[listener]] needs address = \"HOST:PORT\": " + la.error());
    c.boolean(*t, "proxy_protocol", l.proxy_protocol);
    c.duration(*t, "stutter", l.stutter);
    c.boolean(*t, "implicit_tls", l.implicit_tls);
    if (t->get("greeting_delay")) {
      Micros d = 0;
      c.duration(*t, "greeting_delay", d);
      l.greeting_delay = d;
    }
    cfg.listeners.push_back(std::move(l));
  }
}

void read_rules(checker& c, const toml::table& root, config& cfg) {
  const auto* n = root.get("rule");
  if (!n) return;
  const auto* arr = n->as_array();
  if (!arr) return c.error(n, "'rule' must be an array of tables: write [[rule]]");
  for (const auto& item : *arr) {
    const auto* t = item.as_table();
    if (!t) {
      c.error(&item, "each [[rule]] must be a table");
      continue;
    }
    c.only(*t, "rule", {"address", "action"});
    rule r;
    std::string action = "accept";
    c.str(*t, "address", r.address);
    c.str(*t, "action", action);
    if (r.address.find('@') == std::string::npos)
      c.error(t, "[[rule]] needs address = \"user@domain\" or \"@domain\"");
    if (action != "accept" && action != "refuse")
      c.error(t->get("action"), "'action' must be \"accept\" or \"refuse\"");
    r.accept = action == "accept";
    cfg.rules.push_back(std::move(r));
  }
}

template <class F>
void section(checker& c, const toml::table& root, std::string_view name, F&& read) {
  const auto* n = root.get(name);
  if (!n) return;
  if (const auto* t = n->as_table()) {
    read(*t);
  } else {
    c.error(n, "'" + std::string(name) + "' must be a table: write [" + std::string(name) + "]");
  }
}

}  // namespace

Result<config> parse(std::string_view text, std::string_view source_name) {
  toml::table root;
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    std::ostringstream o;
    o << source_name << ":" << e.source().begin.line << ":" << e.source().begin.column << ": "
      << e.description();
    return Error{o.str()};
  }
  checker c{std::string(source_name)};
  config cfg;
  c.only(
      root, "",
      {"sensor", "user", "smtp", "listener", "limits", "trap", "rule", "store", "export", "seed",
       "dns", "dnsbl", "geoip", "greylist", "greytrap", "retention", "metrics", "web", "log"});
  c.str(root, "sensor", cfg.sensor);
  if (cfg.sensor.empty()) c.error(root.get("sensor"), "'sensor' must not be empty");
  c.str(root, "user", cfg.user);

  section(c, root, "smtp", [&](const toml::table& t) {
    c.only(t, "smtp",
           {"listen", "hostname", "banner", "relay_bait", "auth_capture", "auth_after_tls",
            "greeting_delay", "tls", "tls_cert", "tls_key"});
    if (const auto* n = t.get("listen")) {
      const auto* arr = n->as_array();
      if (!arr || arr->empty()) {
        c.error(n, "'listen' must be a non-empty array such as [\"0.0.0.0:25\", \"[::]:25\"]");
      } else {
        cfg.smtp.listen.clear();
        for (const auto& item : *arr) {
          auto s = item.value<std::string>();
          if (!s) {
            c.error(&item, "each listen address must be a string");
          } else if (auto la = parse_listen(*s); !la) {
            c.error(&item, la.error());
          } else {
            cfg.smtp.listen.push_back(*s);
          }
        }
      }
    }
    c.str(t, "hostname", cfg.smtp.hostname);
    c.str(t, "banner", cfg.smtp.banner);
    c.boolean(t, "relay_bait", cfg.smtp.relay_bait);
    c.boolean(t, "auth_capture", cfg.smtp.auth_capture);
    c.boolean(t, "tls", cfg.smtp.tls);
    c.boolean(t, "auth_after_tls", cfg.smtp.auth_after_tls);
    c.str(t, "tls_cert", cfg.smtp.tls_cert);
    c.str(t, "tls_key", cfg.smtp.tls_key);
    if (cfg.smtp.tls_cert.empty() != cfg.smtp.tls_key.empty())
      c.error(&t,
              "'tls_cert' and 'tls_key' go together: set both, or neither for a self-signed pair");
    c.duration(t, "greeting_delay", cfg.smtp.greeting_delay);
  });

  section(c, root, "limits", [&](const toml::table& t) {
    c.only(t, "limits",
           {"line_bytes", "message_bytes", "recipients", "messages_per_session", "errors",
            "session_time", "idle_timeout", "connections", "connections_per_ip", "shutdown_grace"});
    c.count(t, "line_bytes", cfg.lim.line_bytes, 512);  // RFC 5321's minimum for a command line
    c.count(t, "message_bytes", cfg.lim.message_bytes, 1024);
    c.count(t, "recipients", cfg.lim.recipients, 1);
    c.count(t, "messages_per_session", cfg.lim.messages_per_session, 1);
    c.count(t, "errors", cfg.lim.errors, 1);
    c.count(t, "connections", cfg.lim.connections, 1);
    c.count(t, "connections_per_ip", cfg.lim.connections_per_ip, 1);
    c.duration(t, "session_time", cfg.lim.session_time);
    c.duration(t, "idle_timeout", cfg.lim.idle_timeout);
    c.duration(t, "shutdown_grace", cfg.lim.shutdown_grace);
  });

  read_listeners(c, root, cfg);
  read_traps(c, root, cfg);
  read_rules(c, root, cfg);

  section(c, root, "store", [&](const toml::table& t) {
    c.only(t, "store", {"db", "spool", "segment_bytes", "keep_raw"});
    c.str(t, "db", cfg.store.db);
    c.str(t, "spool", cfg.store.spool);
    c.count(t, "segment_bytes", cfg.store.segment_bytes, 64 * 1024);
    if (t.contains("keep_raw")) {
      bool keep = false;
      c.boolean(t, "keep_raw", keep);
      cfg.store.keep_raw = keep;
    }
  });

  section(c, root, "export", [&](const toml::table& t) {
    c.only(t, "export",
           {"min_hits", "min_days", "expire_after", "exclude", "aggregate_v4", "aggregate_v6"});
    c.count(t, "min_hits", cfg.exports.min_hits);
    c.count(t, "min_days", cfg.exports.min_days);
    c.duration(t, "expire_after", cfg.exports.expire_after);
    c.str(t, "exclude", cfg.exports.exclude);
    c.count(t, "aggregate_v4", cfg.exports.aggregate_v4, 0);
    c.count(t, "aggregate_v6", cfg.exports.aggregate_v6, 0);
  });

  section(c, root, "seed", [&](const toml::table& t) {
    c.only(t, "seed",
           {"listen", "domain", "label", "site", "timeout", "connections", "connections_per_ip",
            "header_bytes"});
    c.str(t, "listen", cfg.seed.listen);
    if (!cfg.seed.listen.empty()) {
      if (auto la = parse_listen(cfg.seed.listen); !la) c.error(t.get("listen"), la.error());
    }
    c.str(t, "domain", cfg.seed.domain);
    c.str(t, "label", cfg.seed.label);
    c.str(t, "site", cfg.seed.site);
    c.duration(t, "timeout", cfg.seed.timeout);
    c.count(t, "connections", cfg.seed.connections);
    c.count(t, "connections_per_ip", cfg.seed.connections_per_ip);
    c.count(t, "header_bytes", cfg.seed.header_bytes, 1024);
  });
  if (!cfg.seed.domain.empty() && !cfg.traps_domain(cfg.seed.domain))
    c.error(nullptr, "[seed] domain '" + cfg.seed.domain +
                         "' is not a [[trap]] domain: mail to its seeds would be refused");

  section(c, root, "dns", [&](const toml::table& t) {
    c.only(t, "dns",
           {"servers", "timeout", "tries", "rate", "in_flight", "cache_min_ttl", "cache_max_ttl",
            "ptr", "check", "sender_auth", "recheck_after", "check_interval"});
    config::dns_section d;
    if (const auto* n = t.get("servers")) {
      const auto* arr = n->as_array();
      if (!arr) c.error(n, "'servers' must be an array such as [\"127.0.0.1:53\"]");
      for (const auto& item : arr ? *arr : toml::array{}) {
        auto v = item.value<std::string>();
        if (!v || !parse_listen(*v)) {
          c.error(&item, "each DNS server must be \"ADDRESS:PORT\" such as \"127.0.0.1:53\" or \"[::1]:53\"");
        } else {
          d.servers.push_back(*v);
        }
      }
    }
    c.duration(t, "timeout", d.timeout);
    c.count(t, "tries", d.tries, 1);
    if (const auto* n = t.get("rate")) {
      const auto v = n->value<double>();
      if (!v || *v < 0) {
        c.error(n, "'rate' must be a number of questions per second, 0 for no limit");
      } else {
        d.rate = *v;
      }
    }
    c.count(t, "in_flight", d.in_flight, 1);
    c.duration(t, "cache_min_ttl", d.cache_min_ttl);
    c.duration(t, "cache_max_ttl", d.cache_max_ttl);
    c.boolean(t, "ptr", d.ptr);
    c.boolean(t, "check", d.check);
    c.boolean(t, "sender_auth", d.sender_auth);
    c.duration(t, "recheck_after", d.recheck_after);
    c.duration(t, "check_interval", d.check_interval);
    if (d.cache_min_ttl > d.cache_max_ttl)
      c.error(t.get("cache_min_ttl"), "'cache_min_ttl' must not exceed 'cache_max_ttl'");
    if (d.timeout < 1000) c.error(t.get("timeout"), "'timeout' must be at least 1ms");
    cfg.dns = d;
  });
  read_dnsbls(c, root, cfg);

  section(c, root, "retention", [&](const toml::table& t) {
    c.only(t, "retention", {"max_age", "max_spool", "min_free", "rows_max_age", "check_interval"});
    c.duration(t, "max_age", cfg.retention.max_age);
    c.size(t, "max_spool", cfg.retention.max_spool);
    c.size(t, "min_free", cfg.retention.min_free);
    c.duration(t, "rows_max_age", cfg.retention.rows_max_age);
    c.duration(t, "check_interval", cfg.retention.check_interval);
    if (cfg.retention.check_interval < kMicrosPerSecond)
      c.error(t.get("check_interval"), "'check_interval' must be at least 1s");
    if (cfg.retention.rows_max_age > 0 && cfg.retention.max_age > cfg.retention.rows_max_age)
      c.error(t.get("rows_max_age"), "'rows_max_age' must not be shorter than 'max_age': a message row would go "
                                     "before its raw text");
  });

  section(c, root, "metrics", [&](const toml::table& t) {
    c.only(t, "metrics", {"listen", "max_index_lag"});
    c.str(t, "listen", cfg.metrics.listen);
    c.duration(t, "max_index_lag", cfg.metrics.max_index_lag);
    if (!cfg.metrics.listen.empty() && !parse_listen(cfg.metrics.listen))
      c.error(t.get("listen"), "'listen' must be \"ADDRESS:PORT\" such as \"127.0.0.1:9425\"");
  });

  section(c, root, "geoip", [&](const toml::table& t) {
    c.only(t, "geoip", {"country_db", "asn_db"});
    c.str(t, "country_db", cfg.geoip.country_db);
    c.str(t, "asn_db", cfg.geoip.asn_db);
    if (!cfg.geoip.on())
      c.error(nullptr, "[geoip] needs country_db, asn_db or both: the paths of MaxMind-format databases");
  });

  section(c, root, "greylist", [&](const toml::table& t) {
    c.only(t, "greylist", {"share", "min_delay", "expire"});
    if (const auto* n = t.get("share")) {
      const auto v = n->value<double>();
      if (!v || *v < 0 || *v > 1)
        c.error(n, "'share' must be a number from 0 (off) to 1 (every new triplet), such as 0.5");
      else
        cfg.greylist.share = *v;
    }
    c.duration(t, "min_delay", cfg.greylist.min_delay);
    c.duration(t, "expire", cfg.greylist.expire);
    if (cfg.greylist.expire <= cfg.greylist.min_delay)
      c.error(t.get("expire"), "'expire' must be longer than 'min_delay': a retry must have time to pass");
  });

  section(c, root, "greytrap", [&](const toml::table& t) {
    c.only(t, "greytrap", {"tarpit_for", "stutter"});
    c.duration(t, "tarpit_for", cfg.greytrap.tarpit_for);
    c.duration(t, "stutter", cfg.greytrap.stutter);
    if (cfg.greytrap.tarpit_for > 0 && cfg.greytrap.stutter <= 0)
      c.error(t.get("stutter"), "'stutter' must be more than 0 when 'tarpit_for' is set");
  });

  section(c, root, "web", [&](const toml::table& t) {
    c.only(t, "web", {"listen", "token_file", "tls"});
    c.str(t, "listen", cfg.web.listen);
    c.str(t, "token_file", cfg.web.token_file);
    c.boolean(t, "tls", cfg.web.tls);
    if (!cfg.web.listen.empty() && !parse_listen(cfg.web.listen))
      c.error(t.get("listen"), "'listen' must be \"ADDRESS:PORT\" such as \"127.0.0.1:8025\"");
  });

  section(c, root, "log", [&](const toml::table& t) {
    c.only(t, "log", {"level", "format"});
    c.str(t, "level", cfg.log.level);
    c.str(t, "format", cfg.log.format);
    if (cfg.log.format != "text" && cfg.log.format != "json")
      c.error(t.get("format"), "'format' must be text or json");
    static const std::set<std::string> kLevels = {"trace", "debug", "info", "warn", "error"};
    if (!kLevels.count(cfg.log.level))
      c.error(t.get("level"), "'level' must be one of trace, debug, info, warn, error");
  });

  if (!c.ok()) return Error{c.joined()};
  return cfg;
}

Result<config> load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot read config " + path};
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse(buf.str(), path);
}

}  // namespace spampot::config
