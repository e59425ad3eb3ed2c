// The typed configuration. Every key has a default, so a config may hold nothing but one trap
// domain; README.md and spampot.example.toml document the same keys.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/limits.hpp"
#include "base/result.hpp"
#include "base/time.hpp"

namespace spampot::config {

struct listen_address {
  std::string host;  // "0.0.0.0", "::", "127.0.0.1"
  std::uint16_t port = 25;
};

// "0.0.0.0:25", "[::]:25", "127.0.0.1:2525".
Result<listen_address> parse_listen(std::string_view text);

// A listener with options of its own, beside the plain addresses of [smtp] listen.
struct listener {
  std::string address;          // "127.0.0.1:2525"
  bool proxy_protocol = false;  // expect a PROXY v1/v2 header first (HAProxy, cloud balancers)
  // Tarpit (as OpenBSD spamd): replies go out a byte at a time, `stutter` apart (0: at once), and
  // the greeting waits `greeting_delay` (unset: [smtp] greeting_delay).
  Micros stutter = 0;
  std::optional<Micros> greeting_delay;
  bool implicit_tls = false;  // TLS from the first byte, as on port 465
};

struct trap {
  std::string domain;
  std::optional<Micros> registered;  // for the first-spam report
  bool subdomains = false;
};

struct rule {
  std::string address;  // "user@domain" or "@domain"
  bool accept = true;
};

// A DNS-based list. Unset fields come from the catalogue of well-known lists when the zone is
// one of them (dns/lists.cpp), else from the defaults.
struct dnsbl {
  std::string zone;
  std::optional<std::string> kind;  // ip | domain | url
  std::string server;               // "127.0.0.1:5353": this list's own server
  std::optional<std::vector<std::pair<std::string, std::string>>> codes;  // code -> meaning
  std::optional<bool> bitmask;
  std::optional<std::vector<std::string>> error_codes;
};

struct config {
  std::string sensor = "spampot";
  std::string user;  // drop to this user after binding; empty: stay as started

  struct smtp_section {
    std::vector<std::string> listen = {"0.0.0.0:25", "[::]:25"};
    std::string hostname;  // empty: the machine's host name
    std::string banner = "ESMTP Postfix (Debian/GNU)";
    bool relay_bait = false;
    bool auth_capture = false;    // advertise AUTH PLAIN LOGIN, record every attempt, answer 535
    bool tls = true;              // offer STARTTLS
    bool auth_after_tls = false;  // offer AUTH only after STARTTLS (538 before it)
    // Certificate chain and key (PEM). Both empty: a self-signed pair for the hostname is made on
    // first start in the spool (SPOOL/tls/).
    std::string tls_cert, tls_key;
    Micros greeting_delay = 0;  // > 0: wait before the greeting and record early talkers
  } smtp;

  spampot::limits lim;
  std::vector<listener> listeners;
  std::vector<trap> traps;
  std::vector<rule> rules;
  // The trap's certificate and key, for STARTTLS and the console: [smtp] tls_cert and tls_key,
  // else the self-signed pair made on first start in SPOOL/tls/.
  struct certificate {
    std::string cert, key;
    bool self_signed = false;
  };
  certificate trap_certificate() const;

  // True when mail to `domain` reaches a trap: a [[trap]] domain, or below one with subdomains.
  bool traps_domain(std::string_view domain) const;

  struct store_section {
    std::string db = "sqlite:/var/lib/spampot/spampot.db";
    std::string spool = "/var/lib/spampot/spool";
    std::uint64_t segment_bytes = 32u * 1024u * 1024u;
    // Keep each message's raw text in the store as well, compressed, so a fleet's central
    // console and `show --raw` need no sensor's spool. Unset: on for a mysql:// store, off for
    // SQLite (whose file sits beside its spool).
    std::optional<bool> keep_raw;
    bool keeps_raw() const { return keep_raw.value_or(db.starts_with("mysql://")); }
  } store;

  // The listing policy every export format shares (flags of `spampot export` override it).
  struct export_section {
    std::uint64_t min_hits = 1;  // messages, or sessions when more (probes that sent nothing)
    std::uint64_t min_days = 1;  // distinct days seen
    Micros expire_after =
        30LL * 24 * 3600 * kMicrosPerSecond;  // not seen for this long: delisted (0: never)
    std::string exclude;                      // file of CIDRs, addresses and domains never to list
    std::uint64_t aggregate_v4 =
        8;  // list a /24 once this many of its addresses are listed (0: never)
    std::uint64_t aggregate_v6 = 1;  // likewise for a /64 (1: every IPv6 address lists its /64)
  } exports;

  // The seed page (issue 10): served by `spampot serve` when `listen` is set.
  struct seed_section {
    std::string listen;  // "0.0.0.0:80"; empty: no seed page
    std::string domain;  // where addresses are minted; empty: the first [[trap]] domain
    std::string label = "seed page";  // where the page is planted, for `report seeds`
    std::string site;                 // the name the page shows; empty: the domain
    Micros timeout = 10 * kMicrosPerSecond;  // request to answer
    std::size_t connections = 64;
    std::size_t connections_per_ip = 4;
    std::size_t header_bytes = 8192;
  } seed;

  // DNS: reverse DNS of clients and DNS-based list checks. Nothing asks DNS unless the config
  // has a [dns] table (`spampot check` uses the defaults without one).
  struct dns_section {
    std::vector<std::string> servers;  // empty: the system's resolver (/etc/resolv.conf)
    Micros timeout = 2 * kMicrosPerSecond;
    int tries = 2;
    // Questions per second to the network, all lists together; clients' PTR lookups have a
    // budget of their own at the same rate (0: no limit).
    double rate = 50;
    std::size_t in_flight = 100;
    Micros cache_min_ttl = 60 * kMicrosPerSecond;
    Micros cache_max_ttl = 24 * 3600 * kMicrosPerSecond;
    bool ptr = true;    // PTR and FCrDNS of every client
    bool check = true;  // serve checks newly harvested keys against the lists
    bool sender_auth = true;  // serve evaluates SPF, DKIM and DMARC of each new message
    Micros recheck_after = 6 * 3600 * kMicrosPerSecond;  // serve re-asks about keys this old
    Micros check_interval = 10 * kMicrosPerSecond;       // how often serve looks for due keys
  };
  std::optional<dns_section> dns;
  std::vector<dnsbl> dnsbls;

  // Country and AS of every client address, from MaxMind-format databases the operator gives
  // (none is shipped or downloaded). Without either path nothing is looked up.
  struct geoip_section {
    std::string country_db;
    std::string asn_db;  // may be the same file as country_db (IPinfo lite holds both)
    bool on() const { return !country_db.empty() || !asn_db.empty(); }
  } geoip;

  // The greylist experiment: this share of new (client IP, sender, recipient) triplets gets a 451
  // on first sight, and the retry after min_delay is captured (smtp/greylist.hpp). Off at 0.
  struct greylist_section {
    double share = 0;
    Micros min_delay = 5 * 60 * kMicrosPerSecond;
    Micros expire = 24 * 3600 * kMicrosPerSecond;
  } greylist;

  // Greytrapping: a client that sent to a trap address is tarpitted (replies a byte per
  // `stutter`) by every listener for `tarpit_for` after it last did. Off at 0.
  struct greytrap_section {
    Micros tarpit_for = 0;
    Micros stutter = kMicrosPerSecond;
  } greytrap;

  // What the trap keeps, for a disk that must last (issue 19). Every limit is off at 0: nothing
  // is dropped unless the operator asks. Spool segments go whole, oldest first, and only once
  // every record in them is indexed; their messages' rows stay, with the raw text marked expired.
  struct retention_section {
    Micros max_age = 0;            // spool segments older than this
    std::uint64_t max_spool = 0;   // spool bytes kept at most
    std::uint64_t min_free = 0;    // free bytes kept on the spool's file system
    Micros rows_max_age = 0;       // message, session and page-request rows older than this
    Micros check_interval = 10 * kMicrosPerSecond;
  } retention;

  // Prometheus metrics and /healthz, served by `spampot serve` when `listen` is set.
  struct metrics_section {
    std::string listen;  // "127.0.0.1:9425"; empty: none
    Micros max_index_lag = 300 * kMicrosPerSecond;  // /healthz fails when the index is behind longer
  } metrics;

  // The web console: `spampot web`, or inside `serve` when `listen` is set. Read-only. On any
  // address but loopback it needs a token (token_file: the token on its first line).
  struct web_section {
    std::string listen;  // "127.0.0.1:8025"; empty: serve runs no console
    std::string token_file;
    bool tls = false;  // HTTPS with the trap's certificate (trap_certificate())
  } web;

  struct log_section {
    std::string level = "info";
    std::string format = "text";  // text, or json: one object a line
  } log;
};

// Parses TOML text. Errors name the source, line and column: "spampot.toml:12:3: ...".
Result<config> parse(std::string_view text, std::string_view source_name);
Result<config> load(const std::string& path);

}  // namespace spampot::config
