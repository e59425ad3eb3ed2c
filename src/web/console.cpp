#include "web/console.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>

#include "base/base64.hpp"
#include "base/digits.hpp"
#include "base/time.hpp"
#include "intel/export_format.hpp"
#include "intel/listing_query.hpp"
#include "intel/message_list.hpp"
#include "intel/publish.hpp"
#include "intel/search_query.hpp"
#include "message/message.hpp"
#include "web/assets.hpp"
#include "web/chart.hpp"
#include "web/html.hpp"
#include "web/openapi.hpp"
#include "web/pages.hpp"
#include "web/query.hpp"

namespace spampot::web {

namespace {

constexpr Micros kHour = 3600 * kMicrosPerSecond;
constexpr Micros kDay = 24 * kHour;

net::http_response html(int status, std::string body) {
  return {status, "text/html; charset=utf-8", {}, std::move(body)};
}

net::http_response json_response(int status, std::string body) {
  return {status, "application/json; charset=utf-8", {}, std::move(body)};
}

net::http_response not_found(std::string_view what) { return html(404, error_page(404, what)); }

// An API error as JSON, a page error as a page.
net::http_response failure(bool api, int status, const std::string& what) {
  if (api) return json_response(status, nlohmann::json{{"error", what}}.dump() + "\n");
  return html(status, error_page(status, what));
}

std::string when(Micros t) { return t ? format_rfc3339(t, false) : ""; }
// For table cells: "2026-11-30 12:47" (UTC; the full time is in the cell's title).
std::string short_when(Micros t) {
  if (!t) return "";
  std::string s = format_rfc3339(t, false).substr(0, 16);
  s[10] = ' ';
  return s;
}

std::string link(std::string_view href, std::string_view text) {
  return fmt::format("<a href=\"{}\">{}</a>", href, escape(text));
}

// Where a client stands in DNS, as the message and session pages say it: its reverse DNS (or why
// the lookup failed) and the lists it is on now.
std::pair<std::string, std::string> dns_standing(const intel::client_reputation& r) {
  std::string listed;
  for (const auto& l : r.listings)
    if (l.last_answer == "listed") listed += (listed.empty() ? "" : ", ") + l.list;
  return {!r.dns_error.empty() ? "lookup failed: " + r.dns_error
          : r.ptr.empty()      ? "(none)"
                               : r.ptr + (r.fcrdns ? " (forward-confirmed)" : " (not confirmed)"),
          listed.empty() ? "not listed" : "listed on " + listed};
}

// "AS64501 Example Carrier, DE" ([geoip]), or why there is nothing to say.
std::string network_text(const std::string& country, std::uint32_t asn, const std::string& as_org) {
  if (country.empty() && asn == 0) return "unknown";
  std::string out;
  if (asn != 0) out = "AS" + std::to_string(asn) + (as_org.empty() ? "" : " " + as_org);
  if (!country.empty()) out += (out.empty() ? "" : ", ") + country;
  return out;
}

std::string seconds_text(Micros t) {
  return fmt::format("{:.1f} s", static_cast<double>(t) / kMicrosPerSecond);
}

// The session's behavioural fingerprint and the features behind it, one row each.
std::string behaviour_panel(const session_record& s) {
  std::string out = "<section class=\"panel\"><h2>Behaviour</h2>";
  if (s.fingerprint.empty()) return out + "<p class=\"muted\">not recorded (imported, or older than fingerprints)</p></section>";
  out += "<p>" + link("/messages?fingerprint=" + url_encode(s.fingerprint), s.fingerprint) + " &middot; " +
         link("/reports/fingerprints", "all families") + "</p><table><tbody>";
  for (const auto& [name, value] : behaviour_features(s.behaviour))
    out += fmt::format("<tr><th scope=\"row\">{}</th><td class=\"wrap\"><code>{}</code></td></tr>", escape(name),
                       escape(value));
  return out + "</tbody></table></section>";
}

// A link to the messages a key of the harvest stands for.
std::string messages_link(store::key_kind kind, const std::string& name) {
  std::string param;
  switch (kind) {
    case store::key_kind::ip: param = "ip"; break;
    case store::key_kind::sender: param = "from"; break;
    case store::key_kind::sender_domain: param = "from"; break;
    case store::key_kind::subject: param = "subject"; break;
    case store::key_kind::url_domain: param = "url_host"; break;
    case store::key_kind::message_id: param = "message_id"; break;
    case store::key_kind::asn: param = "asn"; break;
    case store::key_kind::country: param = "country"; break;
    case store::key_kind::fingerprint: param = "fingerprint"; break;
    default: return escape(name);
  }
  const std::string value = kind == store::key_kind::sender_domain ? "@" + name : name;
  return fmt::format("<a href=\"/messages?{}={}\">{}</a>", param, url_encode(value), escape(name));
}

// The report that ranks a kind of key.
std::string report_of(store::key_kind kind) {
  switch (kind) {
    case store::key_kind::ip: return "ips";
    case store::key_kind::sender: return "senders";
    case store::key_kind::sender_domain: return "domains";
    case store::key_kind::helo: return "helos";
    case store::key_kind::subject: return "subjects";
    case store::key_kind::url_domain: return "url-domains";
    default: return "summary";
  }
}

struct totals {
  std::uint64_t messages = 0, sessions = 0, relay = 0, auth = 0, ips = 0, senders = 0, domains = 0;
};

Result<totals> totals_for(store::store& st, const store::window& w) {
  totals t;
  auto hours = st.hours(w);
  if (!hours) return hours.failure();
  for (const auto& h : *hours) {
    t.messages += h.messages;
    t.sessions += h.sessions;
    t.relay += h.relay_attempts;
    t.auth += h.auth_attempts;
  }
  for (const auto& [kind, out] : {std::pair{store::key_kind::ip, &t.ips}, std::pair{store::key_kind::sender, &t.senders},
                                  std::pair{store::key_kind::sender_domain, &t.domains}}) {
    auto n = st.count_keys(kind, w);
    if (!n) return n.failure();
    *out = *n;
  }
  return t;
}

// `in_frame`: the links open in the whole window, not in the frame the table sits in.
std::string message_rows(const std::vector<store::message_row>& rows, bool in_frame = false) {
  std::string out =
      "<table><thead><tr><th scope=\"col\">received</th><th scope=\"col\">client</th><th scope=\"col\">HELO</th>"
      "<th scope=\"col\">MAIL FROM</th><th scope=\"col\">RCPT TO</th><th scope=\"col\">subject</th>"
      "<th scope=\"col\" class=\"num\">size</th></tr></thead><tbody>";
  for (const auto& m : rows) {
    std::string to;
    for (const auto& r : m.rcpt_to) to += (to.empty() ? "" : ", ") + r;
    out += fmt::format(
        "<tr><td class=\"when\"><a href=\"/message/{}\"{}>{}</a></td><td class=\"mono\">{}</td><td class=\"wrap\">{}</td>"
        "<td class=\"wrap\">{}</td><td class=\"wrap\">{}</td><td class=\"wrap\">{}</td><td class=\"num\">{}</td></tr>",
        url_encode(m.id), in_frame ? " target=\"_top\"" : "", escape(short_when(m.received_at)), escape(m.client_ip), escape(m.helo), escape(m.mail_from),
        escape(to), escape(m.subject), m.size);
  }
  if (rows.empty()) out += "<tr><td colspan=\"7\" class=\"muted\">no messages</td></tr>";
  return out + "</tbody></table>";
}

// Messages per hour (the last 48) and per day (the last 90), stacked by trap domain, with the
// sessions as a line; every slot present. `totals` are all domains' counters, `per_domain` each
// domain's: what the domains shown do not cover (the rest of them) is one more stack.
struct activity_chart {
  std::vector<std::string> labels;
  std::vector<series> stacks;
  series sessions{"sessions", {}};
};

std::pair<activity_chart, activity_chart> activity(
    const std::vector<store::hour_stat>& totals,
    const std::vector<std::pair<std::string, std::vector<store::hour_stat>>>& per_domain, Micros now) {
  const std::int64_t this_hour = now / kHour, today = now / kDay;
  const std::int64_t first_hour = this_hour - 47, first_day = today - 89;
  activity_chart hourly, daily;
  for (std::int64_t h = first_hour; h <= this_hour; ++h) hourly.labels.push_back(format_rfc3339(h * kHour, false).substr(0, 13) + ":00Z");
  for (std::int64_t d = first_day; d <= today; ++d) daily.labels.push_back(format_rfc3339(d * kDay, false).substr(0, 10));
  auto add = [&](const std::vector<store::hour_stat>& hours, std::vector<double>& by_hour, std::vector<double>& by_day,
                 bool sessions) {
    by_hour.assign(hourly.labels.size(), 0);
    by_day.assign(daily.labels.size(), 0);
    for (const auto& h : hours) {
      const double v = static_cast<double>(sessions ? h.sessions : h.messages);
      if (h.hour >= first_hour && h.hour <= this_hour) by_hour[static_cast<std::size_t>(h.hour - first_hour)] += v;
      const std::int64_t day = h.hour * kHour / kDay;
      if (day >= first_day && day <= today) by_day[static_cast<std::size_t>(day - first_day)] += v;
    }
  };
  std::vector<double> all_hour, all_day;
  add(totals, all_hour, all_day, false);
  add(totals, hourly.sessions.values, daily.sessions.values, true);
  for (const auto& [domain, hours] : per_domain) {
    series h{domain, {}}, d{domain, {}};
    add(hours, h.values, d.values, false);
    for (std::size_t i = 0; i < all_hour.size(); ++i) all_hour[i] -= h.values[i];
    for (std::size_t i = 0; i < all_day.size(); ++i) all_day[i] -= d.values[i];
    hourly.stacks.push_back(std::move(h));
    daily.stacks.push_back(std::move(d));
  }
  // What the domains shown do not account for (more trap domains than shown): one stack.
  const bool rest = std::any_of(all_day.begin(), all_day.end(), [](double v) { return v > 0.5; });
  if (rest || per_domain.empty()) {
    for (auto& v : all_hour) v = std::max(v, 0.0);
    for (auto& v : all_day) v = std::max(v, 0.0);
    hourly.stacks.push_back({per_domain.empty() ? "messages" : "other trap domains", all_hour});
    daily.stacks.push_back({per_domain.empty() ? "messages" : "other trap domains", all_day});
  }
  return {hourly, daily};
}

}  // namespace

void add_security_headers(net::http_response& r) {
  auto set = [&](std::string k, std::string v) {
    for (auto& [name, value] : r.headers)
      if (name == k) return;
    r.headers.emplace_back(std::move(k), std::move(v));
  };
  // frame-src 'self': the one frame a page holds is a message's HTML body, itself sandboxed.
  set("Content-Security-Policy",
      "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; "
      "frame-ancestors 'none'; base-uri 'none'");
  set("X-Content-Type-Options", "nosniff");
  set("Referrer-Policy", "no-referrer");
  set("X-Frame-Options", "DENY");
  set("Cross-Origin-Opener-Policy", "same-origin");
  set("Cross-Origin-Resource-Policy", "same-origin");
  set("Server", "spampot");
}

bool authorized(std::string_view authorization, std::string_view token) {
  std::string given;
  if (authorization.starts_with("Bearer ")) {
    given = authorization.substr(7);
  } else if (authorization.starts_with("Basic ")) {
    auto decoded = base64_decode(authorization.substr(6));
    if (!decoded) return false;
    const auto colon = decoded->find(':');
    if (colon == std::string::npos) return false;
    given = decoded->substr(colon + 1);
  } else {
    return false;
  }
  // Constant time over the token's length: the comparison tells nothing of how much matched.
  if (given.size() != token.size()) return false;
  return CRYPTO_memcmp(given.data(), token.data(), token.size()) == 0;
}

console::console(store::store& st, console_options o)
    : store_(st), o_(std::move(o)), raw_(st, o_.spool_given, o_.spool_configured) {}

console::~console() = default;

net::http_response console::handle(const net::http_request& req) {
  net::http_response r;
  if (!o_.token.empty() && !authorized(req.authorization, o_.token)) {
    r = html(401, error_page(401, "this console asks for its token (Bearer, or HTTP Basic with the token as password)"));
    r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"spampot\", charset=\"UTF-8\"");
  } else if (req.method != "GET" && req.method != "HEAD") {
    r = html(405, error_page(405, "the console is read-only: GET and HEAD only"));
    r.headers.emplace_back("Allow", "GET, HEAD");
  } else {
    r = route(req);
  }
  add_security_headers(r);
  return r;
}

net::http_response console::route(const net::http_request& req) {
  auto t = parse_target(req.target);
  if (!t) return html(400, error_page(400, t.error()));
  const std::string& path = t->path;
  const bool api = path.starts_with("/api/v1/");
  const Micros now = now_micros();
  auto segments = [&](std::string_view prefix) { return path.substr(prefix.size()); };

  if (path == "/api/v1/openapi.json") return json_response(200, openapi_json());
  if (path == "/static/console.css") {
    net::http_response r{200, "text/css; charset=utf-8", {{"Cache-Control", "max-age=3600"}}, std::string(console_css())};
    return r;
  }

  // The overview's newest messages, in a frame that reloads itself: live without a script.
  if (path == "/live/newest") {
    store::search_filter newest;
    newest.limit = 15;
    auto rows = store_.search(newest);
    if (!rows) return html(503, error_page(503, rows.error()));
    net::http_response r = html(200, frame_page("Newest messages", message_rows(*rows, true), 5));
    // Framed by this console's own pages, and by nothing else.
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'none'; style-src 'self'; frame-ancestors 'self'; form-action 'none'; base-uri 'none'");
    r.headers.emplace_back("X-Frame-Options", "SAMEORIGIN");
    return r;
  }

  // --- the message list and the search API -------------------------------------------------
  if (path == "/messages" || path == "/api/v1/search") {
    intel::search_params params;
    for (const auto& [k, v] : t->params)
      if (std::find(intel::search_param_names().begin(), intel::search_param_names().end(), k) !=
          intel::search_param_names().end() || api)
        params.emplace_back(k, v);
    auto f = intel::parse_search(params, now, intel::api_spelling);
    if (!f) return failure(api, 400, f.error());
    if (!api) f->limit = std::clamp<std::size_t>(f->limit == 0 ? 50 : f->limit, 1, 500);
    if (api && f->limit == 0) f->limit = 1000;  // the API pages too: never the whole store at once
    auto rows = store_.search(*f);
    if (!rows) return failure(api, 503, rows.error());
    if (api) {
      std::vector<intel::message_extras> extras;
      for (const auto& m : *rows) {
        auto x = intel::message_extras_of(store_, m, intel::extras_scope::details_and_dns);
        if (!x) return failure(true, 503, x.error());
        extras.push_back(std::move(*x));
      }
      return json_response(200, intel::render_messages(*rows, intel::list_format::json, &extras));
    }
    std::string form = "<form class=\"filters\" method=\"get\" action=\"/messages\">";
    static const std::pair<const char*, const char*> kFields[] = {
        {"since", "since (2026-11-27, 24h)"}, {"until", "until"},         {"ip", "client IP or CIDR"},
        {"from", "MAIL FROM (a@b, @domain)"}, {"to", "RCPT TO"},          {"subject", "subject contains"},
        {"url_host", "URL host or domain"},   {"attachment_hash", "attachment MD5/SHA-1/SHA-256"},
        {"message_id", "Message-ID"},         {"campaign", "campaign"},   {"ja3", "JA3"},
        {"ja4", "JA4"},                       {"fingerprint", "behaviour (fp1-...)"},
        {"asn", "AS number"},                 {"country", "country (DE)"},
        {"spf", "SPF result"},                {"dkim", "DKIM result"},    {"dmarc", "DMARC result"},
        {"sensor", "sensor"}};
    for (const auto& [name, label] : kFields)
      form += fmt::format("<label>{}<input name=\"{}\" value=\"{}\"></label>", label, name, escape(t->param(name)));
    form += "<button type=\"submit\">Search</button></form>";
    std::string body = form + "<section class=\"panel\">" + message_rows(*rows);
    if (rows->size() == f->limit) {
      // The next page starts after the last row shown: keyset, never OFFSET.
      std::string next = "/messages?";
      for (const auto& [k, v] : t->params)
        if (k != "before" && !v.empty()) next += url_encode(k) + "=" + url_encode(v) + "&";
      next += "before=" + url_encode(intel::before_param({rows->back().received_at, rows->back().id}));
      body += "<div class=\"pager\">" + link(next, "Older messages") + "</div>";
    }
    return html(200, layout("Messages", "messages", body + "</section>"));
  }

  // --- one message ---------------------------------------------------------------------------
  if (path.starts_with("/message/") || path.starts_with("/api/v1/message/")) {
    std::string rest(segments(api ? "/api/v1/message/" : "/message/"));
    std::string part;
    if (const auto slash = rest.find('/'); slash != std::string::npos) {
      part = rest.substr(slash + 1);
      rest = rest.substr(0, slash);
    }
    auto found = store_.find_message(rest);
    if (!found) return failure(api, 503, found.error());
    if (!*found) return failure(api, 404, "no message with id " + rest);
    const store::message_row& m = **found;
    auto extras = intel::message_extras_of(store_, m, intel::extras_scope::everything);
    if (!extras) return failure(api, 503, extras.error());
    if (api) {
      if (!part.empty()) return failure(true, 404, "no such route");
      return json_response(200, intel::message_json(m, &*extras));
    }
    // The raw text: from the spool, or why it is not there.
    std::optional<std::string> raw;
    std::string raw_problem;
    if (auto text = raw_.delivered(m)) raw = std::move(*text);
    else raw_problem = text.error();
    if (part == "raw" || part == "eml") {
      if (!raw) return not_found(raw_problem);
      net::http_response r{200, part == "raw" ? "text/plain; charset=utf-8" : "application/octet-stream", {}, *raw};
      if (part == "eml")
        r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + m.id + ".eml\"");
      // Shown as text in a sandbox of its own: nothing in it can act as this console's page.
      r.headers.emplace_back("Content-Security-Policy", "sandbox; default-src 'none'");
      return r;
    }
    const message::parsed p = raw ? message::parse(*raw, m.received_at, {true}) : message::parsed{};
    if (part.starts_with("attachment/")) {
      const auto n = parse_count(part.substr(11));
      if (!n) return not_found("no such attachment");
      if (!raw || *n >= p.attachments.size()) return not_found(raw ? "no such attachment" : raw_problem);
      net::http_response r{200, "application/octet-stream", {}, p.attachments[*n].content};
      // Named by the message and position, never by the sender's file name.
      r.headers.emplace_back("Content-Disposition", fmt::format("attachment; filename=\"{}-{}.bin\"", m.id, *n));
      r.headers.emplace_back("Content-Security-Policy", "sandbox; default-src 'none'");
      return r;
    }
    if (part == "html") {
      if (!raw || p.html_body.empty()) return not_found(raw ? "this message has no HTML body" : raw_problem);
      // The spammer's HTML, rendered, in a frame that can do nothing: sandboxed without scripts,
      // forms, popups or top navigation (a unique origin, so not even this console's cookies),
      // and a policy that loads nothing but inline styles and data: images, so no remote image,
      // font or tracking pixel is fetched. Links are made inert: a click would leave the trap.
      net::http_response r{200, "text/html; charset=utf-8", {}, "<style>a,area{pointer-events:none!important}</style>" + p.html_body};
      r.headers.emplace_back("Content-Security-Policy",
                             "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
                             "frame-ancestors 'self'; form-action 'none'; base-uri 'none'");
      r.headers.emplace_back("X-Frame-Options", "SAMEORIGIN");
      return r;
    }
    if (!part.empty()) return not_found("no such page");

    std::string to;
    for (const auto& r : m.rcpt_to) to += (to.empty() ? "" : ", ") + r;
    const auto [rdns, listed] = dns_standing(extras->dns);
    std::vector<std::pair<std::string, std::string>> envelope{
        {"received", when(m.received_at)},
        {"sensor", m.sensor},
        {"client", m.client_ip + ":" + std::to_string(m.client_port)},
        {"reverse DNS", rdns},
        {"network", network_text(m.country, m.asn, m.as_org)},
        {"SPF", m.spf.empty() ? "not evaluated" : m.spf + " for " + m.spf_domain + " (HELO: " + m.spf_helo + ")"},
        {"DKIM", m.dkim.empty() ? "not evaluated" : m.dkim},
        {"DMARC", m.dmarc.empty() ? "not evaluated"
                                  : m.dmarc + (m.dmarc_domain.empty() ? "" : " for " + m.dmarc_domain) +
                                        (m.dmarc_policy.empty() ? "" : " (p=" + m.dmarc_policy + ")") +
                                        (m.dmarc_alignment.empty() ? "" : ", aligned: " + m.dmarc_alignment)},
        {"HELO", m.helo},
        {"MAIL FROM", m.mail_from},
        {"RCPT TO", to},
        {"size", std::to_string(m.size) + " bytes"},
        {"SHA-256", m.sha256},
        {"flags", m.flags},
        {"store problems", m.problems}};
    envelope.emplace_back("DNS lists", listed);
    if (extras->details && !extras->details->first_external_ip.empty()) {
      const auto& d = *extras->details;
      envelope.emplace_back("Received origin", d.first_external_ip + " (" +
                                                   network_text(d.origin_country, d.origin_asn, d.origin_as_org) + ")");
    }
    std::string body = "<div class=\"grid\"><section class=\"panel\"><h2>Envelope</h2>" + key_values(envelope) + "</section>";
    if (extras->session) {
      const auto& s = *extras->session;
      std::string auth;
      for (const auto& a : s.auth_attempts) auth += (auth.empty() ? "" : "; ") + a.mechanism + " " + a.username + " / " + a.password;
      body += "<section class=\"panel\"><h2>Session</h2>" +
              key_values({{"session", s.id},
                          {"HELO", s.helo_verb + " " + s.helo},
                          {"TLS", s.tls_version.empty() ? "none" : s.tls_version + " " + s.tls_cipher},
                          {"SNI", s.tls_sni},
                          {"JA3", s.ja3},
                          {"JA4", s.ja4},
                          {"behaviour", s.fingerprint.empty() ? "not recorded" : s.fingerprint},
                          {"AUTH tried", auth.empty() ? "none" : auth},
                          {"violations", std::to_string(s.violations.size())},
                          {"ended", s.end_reason}}) +
              "<p>" + link("/session/" + url_encode(s.id), "Transcript and violations") + "</p></section>";
    }
    body += "</div>";
    body += "<section class=\"panel\"><h2>Raw message</h2>";
    if (raw) {
      body += "<p>" + link("/message/" + url_encode(m.id) + "/raw", "View as text") + " &middot; " +
              link("/message/" + url_encode(m.id) + "/eml", "Download .eml") + "</p>";
    } else {
      body += "<p class=\"warn\">" + escape(raw_problem) + "</p>";
    }
    body += "</section>";
    if (raw) {
      body += "<section class=\"panel\"><h2>Headers</h2><table><thead><tr><th scope=\"col\">field</th>"
              "<th scope=\"col\">decoded</th><th scope=\"col\">as sent</th></tr></thead><tbody>";
      for (const auto& h : p.headers)
        body += fmt::format("<tr><td>{}</td><td class=\"wrap\">{}</td><td class=\"wrap mono\">{}</td></tr>", escape(h.name),
                            escape(h.value), escape(h.raw));
      body += "</tbody></table></section>";
      if (!p.received.empty()) {
        body += "<section class=\"panel\"><h2>Received hops</h2><table><thead><tr><th scope=\"col\">from</th>"
                "<th scope=\"col\">IP</th><th scope=\"col\">by</th><th scope=\"col\">with</th><th scope=\"col\">at</th>"
                "</tr></thead><tbody>";
        for (const auto& h : p.received)
          body += fmt::format("<tr><td class=\"wrap\">{}</td><td class=\"mono\">{}</td><td class=\"wrap\">{}</td><td>{}</td><td>{}</td></tr>",
                              escape(h.from_name), escape(h.from_ip), escape(h.by_name), escape(h.protocol), escape(h.at ? when(*h.at) : ""));
        body += "</tbody></table></section>";
      }
      body += "<section class=\"panel\"><h2>URLs</h2>";
      if (p.urls.empty()) body += "<p class=\"muted\">none</p>";
      else {
        body += "<p class=\"muted\">Defanged: copy them, no browser follows them.</p><table><tbody>";
        for (const auto& u : p.urls)
          body += fmt::format("<tr><td class=\"wrap mono\">{}</td><td>{}</td></tr>", escape(defang(u.text)), escape(u.source));
        body += "</tbody></table>";
      }
      body += "</section><section class=\"panel\"><h2>Attachments</h2>";
      if (p.attachments.empty()) body += "<p class=\"muted\">none</p>";
      else {
        body += "<table><thead><tr><th scope=\"col\">name</th><th scope=\"col\">declared</th><th scope=\"col\">sniffed</th>"
                "<th scope=\"col\" class=\"num\">size</th><th scope=\"col\">hashes</th><th scope=\"col\"></th></tr></thead><tbody>";
        for (std::size_t i = 0; i < p.attachments.size(); ++i) {
          const auto& a = p.attachments[i];
          body += fmt::format(
              "<tr><td class=\"wrap\">{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"mono wrap\">MD5 {}<br>SHA-1 {}<br>SHA-256 {}</td>"
              "<td><a href=\"/message/{}/attachment/{}\">download</a></td></tr>",
              escape(a.name), escape(a.declared_type), escape(a.sniffed_type), a.size, escape(a.md5), escape(a.sha1),
              escape(a.sha256), url_encode(m.id), i);
        }
        body += "</tbody></table>";
      }
      body += "</section>";
      body += "<section class=\"panel\"><h2>Text body</h2>" +
              (p.text_body.empty() ? std::string("<p class=\"muted\">none</p>") : "<pre>" + escape_lines(p.text_body) + "</pre>") +
              "</section>" +
              (p.html_body.empty() ? std::string()
                                   : "<section class=\"panel\"><h2>HTML body, rendered</h2><p class=\"muted\">In a "
                                     "sandbox: no script runs, nothing remote loads, links do not work.</p>"
                                     "<iframe class=\"html-body\" sandbox title=\"the message's HTML body\" src=\"/message/" +
                                         url_encode(m.id) + "/html\"></iframe></section>") +
              "<section class=\"panel\"><h2>HTML body, as source</h2>" +
              (p.html_body.empty() ? std::string("<p class=\"muted\">none</p>") : "<pre>" + escape_lines(p.html_body) + "</pre>") +
              "</section>";
    }
    return html(200, layout(m.subject.empty() ? "(no subject)" : m.subject, "messages", body));
  }

  // --- one session ---------------------------------------------------------------------------
  if (path.starts_with("/session/") || path.starts_with("/api/v1/session/")) {
    const std::string id(segments(api ? "/api/v1/session/" : "/session/"));
    auto s = store_.find_session(id);
    if (!s) return failure(api, 503, s.error());
    if (!*s) return failure(api, 404, "no session with id " + id);
    auto listings = store_.dnsbl_entry((*s)->client_ip);
    if (!listings) return failure(api, 503, listings.error());
    if (api) return json_response(200, intel::session_json(**s, *listings));
    const auto& ss = **s;
    const auto [rdns, listed] = dns_standing({ss.ptr, ss.fcrdns, ss.dns_error, std::move(*listings)});
    std::string body = "<div class=\"grid\"><section class=\"panel\"><h2>Connection</h2>" +
                       key_values({{"client", ss.client_ip + ":" + std::to_string(ss.client_port)},
                                   {"reverse DNS", rdns},
                                   {"network", network_text(ss.country, ss.asn, ss.as_org)},
                                   {"DNS lists", listed},
                                   {"to", ss.server_ip + ":" + std::to_string(ss.server_port) + " (sensor " + ss.sensor + ")"},
                                   {"started", when(ss.started_at)},
                                   {"ended", when(ss.ended_at) + " (" + ss.end_reason + ")"},
                                   {"tarpit", ss.tarpit.empty() ? "no"
                                                                : ss.tarpit + ", replies held back " +
                                                                      seconds_text(ss.tarpit_micros)}}) +
                       "</section><section class=\"panel\"><h2>SMTP and TLS</h2>" +
                       key_values({{"HELO", ss.helo_verb + " " + ss.helo},
                                   {"commands", std::to_string(ss.commands) + " (" + std::to_string(ss.errors) + " refused)"},
                                   {"messages", std::to_string(ss.messages)},
                                   {"TLS", ss.tls_version.empty() ? "none" : ss.tls_version + " " + ss.tls_cipher},
                                   {"SNI", ss.tls_sni},
                                   {"JA3", ss.ja3},
                                   {"JA4", ss.ja4}}) +
                       "</section></div><section class=\"panel\"><h2>Recipients</h2><table><thead><tr><th scope=\"col\">"
                       "RCPT TO</th><th scope=\"col\">relay</th><th scope=\"col\">answer</th></tr></thead><tbody>";
    for (const auto& r : ss.recipients)
      body += fmt::format("<tr><td class=\"wrap\">{}</td><td>{}</td><td class=\"wrap\">{}</td></tr>", escape(r.address),
                          r.relay ? "relay attempt" : "", escape(r.reply));
    if (ss.recipients.empty()) body += "<tr><td colspan=\"3\" class=\"muted\">none</td></tr>";
    if (ss.recipients_dropped > 0)
      body += fmt::format("<tr><td colspan=\"3\" class=\"muted\">and {} more, counted only</td></tr>", ss.recipients_dropped);
    body += "</tbody></table></section><section class=\"panel\"><h2>AUTH tried</h2><table><tbody>";
    for (const auto& a : ss.auth_attempts)
      body += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"wrap\">{}</td><td class=\"wrap\">{}</td></tr>",
                          escape(when(a.at)), escape(a.mechanism), escape(a.username), escape(a.password));
    if (ss.auth_attempts.empty()) body += "<tr><td class=\"muted\">none</td></tr>";
    body += "</tbody></table></section><section class=\"panel\"><h2>Violations</h2><table><tbody>";
    for (const auto& v : ss.violations)
      body += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"wrap\">{}</td></tr>", escape(when(v.at)), escape(v.kind),
                          escape(v.detail));
    if (ss.violations.empty()) body += "<tr><td class=\"muted\">none</td></tr>";
    body += "</tbody></table></section>" + behaviour_panel(ss) +
            "<section class=\"panel\"><h2>Transcript</h2><pre>" + escape_lines(ss.transcript) +
            "</pre></section>";
    return html(200, layout("Session " + ss.id, "messages", body));
  }

  // --- reports -------------------------------------------------------------------------------
  if (path == "/reports") {
    std::string body = "<section class=\"panel\"><ul>";
    for (const auto& n : intel::report_names()) body += "<li>" + link("/reports/" + n, n) + "</li>";
    body += "</ul><p>" + link("/exports", "Blocklist exports") + "</p>";
    return html(200, layout("Reports", "reports", body + "</section>"));
  }
  if (path.starts_with("/reports/") || path.starts_with("/api/v1/report/")) {
    const std::string name(segments(api ? "/api/v1/report/" : "/reports/"));
    if (auto known = intel::check_report_name(name); !known) return failure(api, 404, known.error());
    intel::report_request r;
    r.name = name;
    r.now = now;
    r.traps = o_.traps;
    r.dnsbls = o_.dnsbls;
    if (auto p = intel::apply_report_params(t->params, r, intel::api_spelling); !p) return failure(api, 400, p.error());
    auto sections = intel::make_report(store_, r);
    if (!sections) return failure(api, 503, sections.error());
    if (api) return json_response(200, intel::render(*sections, intel::list_format::json));
    std::string body = "<form class=\"filters\" method=\"get\"><label>since<input name=\"since\" value=\"" +
                       escape(t->param("since")) + "\"></label><label>until<input name=\"until\" value=\"" +
                       escape(t->param("until")) + "\"></label><label>trap domain<input name=\"domain\" value=\"" +
                       escape(t->param("domain")) + "\"></label><label>top N<input name=\"limit\" value=\"" +
                       escape(t->param("limit")) + "\"></label><button type=\"submit\">Show</button></form>";
    for (const auto& s : *sections) {
      body += "<section class=\"panel\" data-section=\"" + escape(s.title) + "\"><h2>" + escape(s.title) + "</h2>";
      // The report's own bar column, else a ranking's message count.
      int column = s.bar_column;
      for (std::size_t c = 0; column < 0 && c < s.columns.size(); ++c)
        if (s.columns[c] == "messages" && c > 0) column = static_cast<int>(c);
      if (column >= 0 && !s.rows.empty()) {
        std::vector<bar> bars;
        for (const auto& row : s.rows) {
          const auto& v = row[static_cast<std::size_t>(column)];
          const double value = std::holds_alternative<std::int64_t>(v) ? static_cast<double>(std::get<std::int64_t>(v))
                               : std::holds_alternative<double>(v)      ? std::get<double>(v)
                                                                        : 0;
          const auto* label = std::get_if<std::string>(&row[0]);
          bars.push_back({label ? *label : "", value});
        }
        body += (name == "daily" || name == "hourly") ? column_chart(s.title, bars) : bar_list(s.title, bars);
      }
      // A first column the search form takes links to its messages.
      int link_column = -1;
      std::string prefix;
      for (const char* param : {"fingerprint", "asn", "country", "campaign"})
        if (!s.columns.empty() && s.columns[0] == param) {
          link_column = 0;
          prefix = std::string("/messages?") + param + "=";
        }
      body += section_table(s, link_column, prefix) + "</section>";
    }
    return html(200, layout("Report: " + name, "reports", body));
  }

  // --- exports: every format, with the listing policy's parameters ---------------------------
  if (path == "/exports") {
    std::string body = "<section class=\"panel\"><p>Each blocklist as the tool that reads it wants it, from the harvest as it "
           "is now; the parameters are those of <code>spampot export</code> (empty: the config's "
           "<code>[export]</code> policy).</p><table><thead><tr><th scope=\"col\">format</th><th scope=\"col\">"
           "what it is for</th><th scope=\"col\">download</th></tr></thead><tbody>";
    for (const auto& f : intel::export_formats()) {
      std::string links;
      for (const char* what : {"ips", "senders", "domains", "harvesters", "url-domains"}) {
        if (!intel::render_export(f.name, {}, {now, "", *intel::parse_listing_what(what), 0})) continue;
        links += link(fmt::format("/exports/{}?what={}", f.name, what), what) + " ";
      }
      body += fmt::format("<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>", escape(f.name), escape(f.help), links);
    }
    body += "</tbody></table><p class=\"muted\">Parameters: what, min_hits, min_days, since, expire_after, "
            "aggregate_v4, aggregate_v6, e.g. <code>/exports/postfix?what=ips&amp;min_hits=3&amp;since=30d</code>; "
            "the same under <code>/api/v1/export/FORMAT</code>.</p></section>";
    return html(200, layout("Exports", "reports", body));
  }
  if (path.starts_with("/exports/") || path.starts_with("/api/v1/export/")) {
    const std::string format(segments(api ? "/api/v1/export/" : "/exports/"));
    auto what = intel::parse_listing_what(t->param("what").empty() ? "ips" : t->param("what"));
    if (!what) return failure(api, 400, what.error());
    if (auto probe = intel::render_export(format, {}, {now, "", *what, 0}); !probe) return failure(api, 404, probe.error());
    auto policy = intel::parse_policy(t->params, o_.export_defaults, now, intel::api_spelling);
    if (!policy) return failure(api, 400, policy.error());
    std::string out;
    auto done = intel::publish(store_, {format, *what, "", "", *policy}, now, [&](std::string_view b) { out += b; });
    if (!done) return failure(api, 503, done.error());
    net::http_response r{200, format == "json" || format == "stix" ? "application/json; charset=utf-8" : "text/plain; charset=utf-8",
                         {}, std::move(out)};
    if (!api)
      r.headers.emplace_back("Content-Disposition",
                             fmt::format("attachment; filename=\"spampot-{}-{}.txt\"", intel::to_string(*what), format));
    r.headers.emplace_back("Content-Security-Policy", "sandbox; default-src 'none'");
    return r;
  }

  // --- the overview --------------------------------------------------------------------------
  if (path == "/") {
    const Micros today = now / kDay * kDay;
    std::string cards = "<div class=\"cards\">";
    const std::pair<const char*, store::window> windows[] = {
        {"today", {today, std::nullopt, ""}}, {"7 days", {now - 7 * kDay, std::nullopt, ""}}, {"all time", {}}};
    std::vector<totals> per;
    for (const auto& [label, w] : windows) {
      auto t2 = totals_for(store_, w);
      if (!t2) return html(503, error_page(503, t2.error()));
      per.push_back(*t2);
    }
    auto card = [&](const char* key, std::uint64_t totals::*field) {
      cards += fmt::format(
          "<div class=\"card\" data-metric=\"{}\"><div class=\"k\">{}</div><div class=\"n\" data-window=\"all\">{}</div>"
          "<div class=\"sub\">today <span data-window=\"today\">{}</span> &middot; 7 days <span data-window=\"7d\">{}</span></div></div>",
          key, key, per[2].*field, per[0].*field, per[1].*field);
    };
    card("messages", &totals::messages);
    card("sessions", &totals::sessions);
    card("unique IPs", &totals::ips);
    card("senders", &totals::senders);
    card("sender domains", &totals::domains);
    card("relay attempts", &totals::relay);
    card("AUTH attempts", &totals::auth);
    cards += "</div>";
    auto hours = store_.hours({now - 90 * kDay, std::nullopt, ""});
    if (!hours) return html(503, error_page(503, hours.error()));
    // The busiest trap domains of the 90 days, each its own stack (the per-domain hour counters).
    auto domains = store_.top_keys(store::key_kind::trap_domain, {now - 90 * kDay, std::nullopt, ""}, 8);
    if (!domains) return html(503, error_page(503, domains.error()));
    std::vector<std::pair<std::string, std::vector<store::hour_stat>>> per_domain;
    for (const auto& d : *domains) {
      auto h = store_.hours({now - 90 * kDay, std::nullopt, d.name});
      if (!h) return html(503, error_page(503, h.error()));
      per_domain.emplace_back(d.name, std::move(*h));
    }
    const auto [hourly, daily] = activity(*hours, per_domain, now);
    // An upgrade's recount in progress: every count below is short until it ends.
    auto recount = store_.recount_pending();
    if (!recount) return html(503, error_page(503, recount.error()));
    if (*recount)
      cards = "<p class=\"warn\" data-notice=\"recount\">The harvest counters are " + escape(store::describe(**recount)) +
              ": the counts and reports here are incomplete until that ends.</p>" + cards;
    std::string body = cards + "<div class=\"grid\"><section class=\"panel\" data-chart=\"hourly\"><h2>Messages and sessions per hour, last 48 hours</h2>" +
                       stacked_chart("messages per hour by trap domain", hourly.labels, hourly.stacks, hourly.sessions) +
                       "</section><section class=\"panel\" data-chart=\"daily\"><h2>Messages and sessions per day, last 90 days</h2>" +
                       stacked_chart("messages per day by trap domain", daily.labels, daily.stacks, daily.sessions) +
                       "</section></div><div class=\"grid\">";
    const std::pair<store::key_kind, const char*> tops[] = {
        {store::key_kind::ip, "Top client IPs"},       {store::key_kind::sender, "Top senders"},
        {store::key_kind::sender_domain, "Top sender domains"}, {store::key_kind::helo, "Top HELO names"},
        {store::key_kind::subject, "Top subjects"},    {store::key_kind::url_domain, "Top URL domains"}};
    for (const auto& [kind, title] : tops) {
      // All time, from the counters' own index (a window would add up per-day counters); the
      // report pages take any window.
      auto top = store_.top_keys(kind, {}, 10);
      if (!top) return html(503, error_page(503, top.error()));
      body += fmt::format("<section class=\"panel\" data-top=\"{}\"><h2>{}</h2><table><thead><tr><th scope=\"col\">{}</th>"
                          "<th scope=\"col\" class=\"num\">messages</th><th scope=\"col\" class=\"num\">sessions</th>"
                          "<th scope=\"col\">last seen</th></tr></thead><tbody>",
                          store::to_string(kind), title, store::to_string(kind));
      for (const auto& k : *top)
        body += fmt::format("<tr><td class=\"wrap\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"when\">{}</td></tr>",
                            messages_link(kind, k.name), k.messages, k.sessions, escape(short_when(k.last_seen)));
      if (top->empty()) body += "<tr><td colspan=\"4\" class=\"muted\">nothing yet</td></tr>";
      body += "</tbody></table><p>" + link(fmt::format("/reports/{}?since=7d", report_of(kind)), "last 7 days") +
              "</p></section>";
    }
    body += "</div>";
    // Live: a frame of its own reloads every few seconds, and the page around it stays still.
    body += "<section class=\"panel\"><h2>Newest messages <span class=\"muted\">(live)</span></h2>"
            "<iframe class=\"live\" src=\"/live/newest\" title=\"Newest messages, refreshed every 5 seconds\"></iframe>"
            "</section>";
    // The intelligence reports in brief: each is the CLI's report, its first rows.
    body += "<div class=\"grid\">";
    const std::pair<const char*, const char*> briefs[] = {{"first-spam", "First spam per trap domain"},
                                                          {"dnsbl", "DNS-list lead time per list"},
                                                          {"campaigns", "Campaigns"},
                                                          {"seeds", "Seeds: harvester, address, spammer"},
                                                          {"auth", "AUTH tried"}};
    for (const auto& [name, title] : briefs) {
      intel::report_request r;
      r.name = name;
      r.now = now;
      r.limit = 5;
      r.brief = true;
      r.traps = o_.traps;
      r.dnsbls = o_.dnsbls;
      auto sections = intel::make_report(store_, r);
      if (!sections) return html(503, error_page(503, sections.error()));
      body += fmt::format("<section class=\"panel\" data-brief=\"{}\"><h2>{}</h2>", name, title);
      for (const auto& s : *sections) {
        if (sections->size() > 1) body += "<h3>" + escape(s.title) + "</h3>";
        intel::section first = s;
        if (first.rows.size() > 5) first.rows.resize(5);
        body += section_table(first);
      }
      body += "<p>" + link(std::string("/reports/") + name, "the whole report") + "</p></section>";
    }
    body += "</div>";
    body += "<section class=\"panel\"><h2>More</h2><p>";
    for (const char* n : {"first-spam", "dnsbl", "campaigns", "seeds", "auth", "trap-domains"})
      body += link(std::string("/reports/") + n, n) + " &middot; ";
    body += link("/reports", "every report") + " &middot; " + link("/exports", "blocklist exports") + "</p></section>";
    return html(200, layout("Overview", "overview", body, 300));
  }

  return failure(api, 404, "no page at " + path);
}

}  // namespace spampot::web
