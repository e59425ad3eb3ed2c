// The web console and its JSON API: a request in, a response out, no sockets (net/http_server
// does the I/O). Read-only: every route is a GET (or HEAD) that reads the store and the spool.
//
// Routes: /  /messages  /message/ID  /message/ID/raw  /message/ID/eml  /message/ID/attachment/N
// /session/ID  /reports  /reports/NAME  /static/console.css, and under /api/v1/: search,
// message/ID, session/ID, report/NAME (the same JSON as `spampot search|show|report --format json`).
//
// Every response carries a strict Content-Security-Policy (no script at all; styles and images
// from the console only), nosniff, no referrer and frame-ancestors 'none'. Captured content is
// never served as something a browser renders: the raw message and attachments go out as
// downloads or plain text under a sandboxing policy of their own.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "intel/listing.hpp"
#include "intel/report.hpp"
#include "net/http_message.hpp"
#include "pipeline/raw_source.hpp"
#include "store/store.hpp"

namespace spampot::web {

struct console_options {
  std::vector<intel::trap_domain> traps;                    // for first-spam
  std::vector<std::pair<std::string, std::string>> dnsbls;  // zone, kind
  std::string spool_given;       // --spool
  std::string spool_configured;  // the config's
  // Required in every request when set (Bearer, or HTTP Basic with it as the password);
  // compared in constant time.
  std::string token;
  // The config's [export] policy (exclusions read), which the export downloads start from.
  intel::listing_policy export_defaults;
};

class console {
 public:
  console(store::store& st, console_options o);
  ~console();

  net::http_response handle(const net::http_request& req);

 private:
  net::http_response route(const net::http_request& req);

  store::store& store_;
  console_options o_;
  pipeline::raw_source raw_;
};

// The headers every console response carries.
void add_security_headers(net::http_response& r);

// True when `authorization` carries `token` (Bearer T, or Basic with T as the password).
bool authorized(std::string_view authorization, std::string_view token);

}  // namespace spampot::web
