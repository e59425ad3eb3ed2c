#include "intel/report.hpp"

#include <algorithm>
#include <functional>
#include <map>

#include "base/ascii.hpp"
#include "base/digits.hpp"
#include "base/time.hpp"

namespace spampot::intel {
namespace {

using store::key_kind;

constexpr std::int64_t kMaxBuckets = 1000;  // a histogram's gaps are filled up to this many

struct top_report {
  const char* name;
  key_kind kind;
  const char* column;
};

constexpr top_report kTops[] = {
    {"senders", key_kind::sender, "sender"},
    {"ips", key_kind::ip, "ip"},
    {"domains", key_kind::sender_domain, "domain"},
    {"helos", key_kind::helo, "helo"},
    {"subjects", key_kind::subject, "subject"},
    {"recipients", key_kind::recipient, "recipient"},
    {"message-ids", key_kind::message_id, "message_id"},
    {"trap-domains", key_kind::trap_domain, "trap_domain"},
    {"harvesters", key_kind::harvester, "harvester_ip"},
    {"url-domains", key_kind::url_domain, "url_domain"},
};

std::string when(Micros t) {
  return format_rfc3339(t, false);
}

cell_value hours_between(std::optional<Micros> from, std::optional<Micros> to) {
  if (!from || !to) return std::string();
  return static_cast<double>(*to - *from) / static_cast<double>(store::kMicrosPerHour);
}

Result<std::vector<section>> top(store::store& st, const report_request& r, const top_report& t) {
  auto keys = st.top_keys(t.kind, r.window, r.limit);
  if (!keys) return Error{keys.error()};
  section s{t.name, {t.column, "messages", "sessions", "days", "first_seen", "last_seen"}, {}};
  for (const auto& k : *keys)
    s.rows.push_back({k.name, static_cast<std::int64_t>(k.messages),
                      static_cast<std::int64_t>(k.sessions), static_cast<std::int64_t>(k.days),
                      when(k.first_seen), when(k.last_seen)});
  return std::vector<section>{std::move(s)};
}

// Hours grouped into buckets of `hours_per_bucket`, gaps filled with zeros so the bars show them.
Result<std::vector<section>> histogram(store::store& st, const report_request& r,
                                       std::int64_t hours_per_bucket, const char* title,
                                       const char* column) {
  auto hours = st.hours(r.window);
  if (!hours) return Error{hours.error()};
  std::map<std::int64_t, store::hour_stat> buckets;
  for (const auto& h : *hours) {
    const std::int64_t b =
        (h.hour >= 0 ? h.hour : h.hour - hours_per_bucket + 1) / hours_per_bucket;
    auto& x = buckets[b];
    x.messages += h.messages;
    x.sessions += h.sessions;
    x.relay_attempts += h.relay_attempts;
    x.auth_attempts += h.auth_attempts;
  }
  section s{title, {column, "messages", "sessions", "relay_attempts", "auth_attempts"}, {}, 1};
  if (buckets.empty()) return std::vector<section>{std::move(s)};
  const std::int64_t first = buckets.begin()->first, last = buckets.rbegin()->first;
  const bool fill = last - first < kMaxBuckets;
  auto add = [&](std::int64_t b, const store::hour_stat& x) {
    std::string label = when(b * hours_per_bucket * store::kMicrosPerHour);
    if (hours_per_bucket == 24) label = label.substr(0, 10);
    s.rows.push_back(
        {label, static_cast<std::int64_t>(x.messages), static_cast<std::int64_t>(x.sessions),
         static_cast<std::int64_t>(x.relay_attempts), static_cast<std::int64_t>(x.auth_attempts)});
  };
  if (fill) {
    for (std::int64_t b = first; b <= last; ++b) {
      auto it = buckets.find(b);
      add(b, it == buckets.end() ? store::hour_stat{} : it->second);
    }
  } else {
    for (const auto& [b, x] : buckets) add(b, x);
  }
  return std::vector<section>{std::move(s)};
}

Result<std::vector<section>> summary(store::store& st, const report_request& r) {
  auto hours = st.hours(r.window);
  if (!hours) return Error{hours.error()};
  store::hour_stat total;
  for (const auto& h : *hours) {
    total.messages += h.messages;
    total.sessions += h.sessions;
    total.relay_attempts += h.relay_attempts;
    total.auth_attempts += h.auth_attempts;
  }
  section s{"summary", {"metric", "value"}, {}};
  auto count = [&](std::string name, std::uint64_t v) {
    s.rows.push_back({std::move(name), static_cast<std::int64_t>(v)});
  };
  count("messages", total.messages);
  count("sessions", total.sessions);
  if (!hours->empty()) {
    s.rows.push_back({"first activity", when(hours->front().hour * store::kMicrosPerHour)});
    s.rows.push_back({"last activity", when((hours->back().hour + 1) * store::kMicrosPerHour)});
  }
  const std::pair<key_kind, const char*> uniques[] = {
      {key_kind::ip, "unique client IPs"},
      {key_kind::sender, "unique senders"},
      {key_kind::sender_domain, "unique sender domains"},
      {key_kind::helo, "unique HELO names"},
      {key_kind::recipient, "trap addresses hit"},
      {key_kind::message_id, "unique Message-IDs"},
      {key_kind::subject, "unique subjects"}};
  for (const auto& [kind, label] : uniques) {
    auto n = st.count_keys(kind, r.window);
    if (!n) return Error{n.error()};
    count(label, *n);
  }
  // Sender authentication: of the messages evaluated in the window, the share of each result.
  for (const auto& [kind, label] : {std::pair{key_kind::spf, "SPF"}, std::pair{key_kind::dkim, "DKIM"},
                                    std::pair{key_kind::dmarc, "DMARC"}}) {
    auto results = st.top_keys(kind, r.window, 0);
    if (!results) return Error{results.error()};
    std::uint64_t evaluated = 0;
    for (const auto& k : *results) evaluated += k.messages;
    count(std::string("messages ") + label + "-evaluated", evaluated);
    for (const auto& k : *results) {
      count(std::string(label) + " " + k.name, k.messages);
      s.rows.push_back({std::string(label) + " " + k.name + " share (%)",
                        100.0 * static_cast<double>(k.messages) / static_cast<double>(evaluated)});
    }
  }
  count("sessions trying to relay", total.relay_attempts);
  count("AUTH attempts", total.auth_attempts);
  // Tarpits: the sessions slowed and the time their replies were held back, by cause.
  auto tarpits = st.tarpit_stats(r.window);
  if (!tarpits) return tarpits.failure();
  for (const auto& t : *tarpits) {
    count("sessions tarpitted (" + t.by + ")", t.sessions);
    count("seconds tarpitted (" + t.by + ")", static_cast<std::uint64_t>(t.held / kMicrosPerSecond));
  }
  // Not windowed: what waits in the quarantine now, whenever it came.
  auto held = st.count_quarantined();
  if (!held) return held.failure();
  count("spool records quarantined", *held);
  // Not windowed either: what retention dropped, since the store began.
  auto kept = st.count_retention();
  if (!kept) return kept.failure();
  count("spool segments expired", kept->segments);
  count("spool bytes expired", kept->bytes);
  count("message rows deleted", kept->messages);
  count("session rows deleted", kept->sessions);

  std::vector<store::hour_stat> busiest(hours->begin(), hours->end());
  std::sort(busiest.begin(), busiest.end(), [](const auto& a, const auto& b) {
    return a.messages != b.messages ? a.messages > b.messages : a.hour < b.hour;
  });
  for (std::size_t i = 0; i < busiest.size() && i < 5 && busiest[i].messages > 0; ++i)
    count("busiest hour " + when(busiest[i].hour * store::kMicrosPerHour).substr(0, 13) + ":00Z",
          busiest[i].messages);

  store::window all_domains = r.window;
  all_domains.domain.clear();
  auto domains = st.top_keys(key_kind::trap_domain, all_domains, 0);
  if (!domains) return Error{domains.error()};
  for (const auto& d : *domains)
    if (r.window.domain.empty() || d.name == r.window.domain)
      count("messages to " + d.name, d.messages);
  return std::vector<section>{std::move(s)};
}

Result<std::vector<section>> first_spam(store::store& st, const report_request& r) {
  section s{"first-spam",
            {"trap_domain", "registered", "first_connection", "hours_to_first_connection",
             "first_message", "hours_to_first_message", "message_100", "hours_to_100_messages",
             "messages"},
            {}};
  auto opt_when = [](std::optional<Micros> t) -> cell_value {
    return t ? when(*t) : std::string();
  };
  for (const auto& t : r.traps) {
    if (!r.window.domain.empty() && t.domain != r.window.domain) continue;
    auto key = st.find_key(key_kind::trap_domain, t.domain);
    if (!key) return Error{key.error()};
    auto firsts = st.first_messages(t.domain, 100);
    if (!firsts) return Error{firsts.error()};
    std::optional<Micros> connection, message, hundredth;
    if (*key) connection = (*key)->first_seen;
    if (!firsts->empty()) message = firsts->front();
    if (firsts->size() == 100) hundredth = firsts->back();
    s.rows.push_back({t.domain, opt_when(t.registered), opt_when(connection),
                      hours_between(t.registered, connection), opt_when(message),
                      hours_between(t.registered, message), opt_when(hundredth),
                      hours_between(t.registered, hundredth),
                      static_cast<std::int64_t>(*key ? (*key)->messages : 0)});
  }
  return std::vector<section>{std::move(s)};
}

Result<std::vector<section>> listings(store::store& st, const report_request& r) {
  auto events = st.listing_events(r.window);
  if (!events) return Error{events.error()};
  section s{"listings", {"at", "list", "entry", "action", "reason"}, {}};
  for (const auto& e : *events) s.rows.push_back({when(e.at), e.list, e.entry, e.action, e.reason});
  return std::vector<section>{std::move(s)};
}

Result<std::vector<section>> auth(store::store& st, const report_request& r) {
  std::vector<section> out;
  const std::pair<const char*, std::vector<std::string>> groups[] = {
      {"usernames", {"username"}},
      {"passwords", {"password"}},
      {"pairs", {"username", "password"}}};
  for (const auto& [title, fields] : groups) {
    auto rows = st.top_auth(fields, r.window, r.limit);
    if (!rows) return Error{rows.error()};
    section s{title, fields, {}};
    for (const char* c : {"attempts", "sessions", "first_seen", "last_seen"})
      s.columns.emplace_back(c);
    for (const auto& a : *rows) {
      std::vector<cell_value> row(a.values.begin(), a.values.end());
      row.insert(row.end(), {static_cast<std::int64_t>(a.attempts),
                             static_cast<std::int64_t>(a.sessions), when(a.first), when(a.last)});
      s.rows.push_back(std::move(row));
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::string names_of(const std::vector<std::pair<std::string, std::uint64_t>>& v) {
  std::string out;
  for (const auto& [name, n] : v) out += (out.empty() ? "" : " ") + name;
  return out;
}

// Per seed: where and when it was planted, who took it (a page visit), the spam it drew and
// from whom; then how all the trap's mail divides between planted, registration-only and
// guessed addresses.
Result<std::vector<section>> seeds(store::store& st, const report_request& r) {
  auto stats = st.seed_stats(r.window);
  if (!stats) return Error{stats.error()};
  section s{"seeds",
            {"address", "label", "kind", "planted_at", "harvester_ip", "harvester_agent",
             "first_spam", "last_spam", "hours_to_first_spam", "messages", "spamming_ips",
             "senders", "ip_list", "sender_list"},
            {}};
  for (const auto& x : *stats) {
    const auto& sd = x.seed;
    s.rows.push_back(
        {sd.address, sd.label, sd.kind, when(sd.minted_at), sd.visitor_ip, sd.user_agent,
         x.first_spam ? when(*x.first_spam) : std::string(),
         x.last_spam ? when(*x.last_spam) : std::string(),
         hours_between(sd.minted_at, x.first_spam), static_cast<std::int64_t>(x.messages),
         static_cast<std::int64_t>(x.ips.size()), static_cast<std::int64_t>(x.senders.size()),
         names_of(x.ips), names_of(x.senders)});
  }
  if (r.brief) return std::vector<section>{std::move(s)};
  auto classes = st.seed_classes(r.window);
  if (!classes) return Error{classes.error()};
  std::uint64_t total = 0;
  for (const auto& c : *classes) total += c.messages;
  section shares{"addresses", {"class", "messages", "share_percent"}, {}, 1};
  for (const auto& c : *classes)
    shares.rows.push_back({c.cls, static_cast<std::int64_t>(c.messages),
                           total == 0 ? 0.0
                                      : 100.0 * static_cast<double>(c.messages) /
                                            static_cast<double>(total)});
  return std::vector<section>{std::move(s), std::move(shares)};
}

// Nearest-rank percentile of sorted values, in hours.
cell_value percentile_hours(const std::vector<Micros>& sorted, double p) {
  if (sorted.empty()) return std::string();
  std::size_t rank = static_cast<std::size_t>(p * static_cast<double>(sorted.size()) + 0.999999);
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return static_cast<double>(sorted[rank - 1]) / static_cast<double>(store::kMicrosPerHour);
}

cell_value percent(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return std::string();
  return 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

// Per list: of the entries it answered about, how many it lists now, listed when the trap
// first asked, never listed; and for those it listed only later, the lead time from the trap's
// first sighting to the list's first listing. The trap's value in one table.
Result<std::vector<section>> dnsbl(store::store& st, const report_request& r) {
  section s{"dnsbl",
            {"list", "kind", "answered", "listed_now", "listed_now_pct", "listed_at_first_check",
             "listed_at_first_check_pct", "never_listed", "never_listed_pct", "listed_later",
             "lead_hours_median", "lead_hours_p25", "lead_hours_p75", "lead_hours_p90",
             "unanswered"},
            {}};
  for (const auto& [zone, kind] : r.dnsbls) {
    auto states = st.dnsbl_states(zone, r.window.since);
    if (!states) return Error{states.error()};
    std::uint64_t answered = 0, now = 0, first = 0, never = 0, unanswered = 0;
    std::vector<Micros> leads;
    for (const auto& x : *states) {
      if (x.first_answer.empty()) {
        ++unanswered;
        continue;
      }
      ++answered;
      if (x.last_answer == "listed") ++now;
      if (x.first_answer == "listed") ++first;
      if (x.first_listed_at == 0) ++never;
      if (x.first_answer == "clean" && x.first_listed_at > 0 && x.first_seen > 0)
        leads.push_back(std::max<Micros>(0, x.first_listed_at - x.first_seen));
    }
    std::sort(leads.begin(), leads.end());
    s.rows.push_back({zone, kind, static_cast<std::int64_t>(answered), static_cast<std::int64_t>(now),
                      percent(now, answered), static_cast<std::int64_t>(first), percent(first, answered),
                      static_cast<std::int64_t>(never), percent(never, answered),
                      static_cast<std::int64_t>(leads.size()), percentile_hours(leads, 0.5),
                      percentile_hours(leads, 0.25), percentile_hours(leads, 0.75),
                      percentile_hours(leads, 0.9), static_cast<std::int64_t>(unanswered)});
  }
  return std::vector<section>{std::move(s)};
}

// Groups of near-identical messages (pipeline/campaigns.hpp), largest first: how many, when,
// from how many addresses and senders, and what they said.
Result<std::vector<section>> campaigns(store::store& st, const report_request& r) {
  auto stats = st.campaign_stats(r.window, std::max<std::size_t>(r.min_size, 1));
  if (!stats) return Error{stats.error()};
  section s{"campaigns",
            {"campaign", "messages", "first_seen", "last_seen", "ips", "senders", "subject"},
            {},
            1};
  for (const auto& c : *stats) {
    if (r.limit > 0 && s.rows.size() >= r.limit) break;
    s.rows.push_back({c.id, static_cast<std::int64_t>(c.messages), when(c.first_seen),
                      when(c.last_seen), static_cast<std::int64_t>(c.ips),
                      static_cast<std::int64_t>(c.senders), c.subject});
  }
  return std::vector<section>{std::move(s)};
}

// Autonomous systems or countries ([geoip]), most messages first: what the counters say, and
// how many distinct addresses each sent from and what share of them the DNS lists list now.
Result<std::vector<section>> networks(store::store& st, const report_request& r, key_kind k) {
  auto keys = st.top_keys(k, r.window, r.limit);
  if (!keys) return Error{keys.error()};
  const bool asn = k == key_kind::asn;
  section s{asn ? "asns" : "countries", {}, {}};
  s.columns = asn ? std::vector<std::string>{"asn", "organisation"} : std::vector<std::string>{"country"};
  for (const char* c : {"messages", "sessions", "ips", "listed_ips", "listed_pct", "first_seen", "last_seen"})
    s.columns.emplace_back(c);
  for (const auto& key : *keys) {
    auto ips = st.ips_of_network(k, key.name, r.window);
    if (!ips) return Error{ips.error()};
    std::vector<cell_value> row;
    if (asn) {
      auto org = st.as_org(static_cast<std::uint32_t>(std::strtoul(key.name.c_str(), nullptr, 10)));
      if (!org) return Error{org.error()};
      row = {"AS" + key.name, *org};  // as operators write it, and as search --asn takes it
    } else {
      row = {key.name};
    }
    for (cell_value v : std::initializer_list<cell_value>{
             static_cast<std::int64_t>(key.messages), static_cast<std::int64_t>(key.sessions),
             static_cast<std::int64_t>(ips->ips), static_cast<std::int64_t>(ips->listed), percent(ips->listed, ips->ips),
             when(key.first_seen), when(key.last_seen)})
      row.push_back(std::move(v));
    s.rows.push_back(std::move(row));
  }
  return std::vector<section>{std::move(s)};
}

// From domains that fail DMARC: the brands spam impersonates (banks, parcel services), with how
// many messages, from how many addresses, the policy their owners publish, first and last seen.
Result<std::vector<section>> spoofed(store::store& st, const report_request& r) {
  auto got = st.spoofed_domains(r.window, r.limit);
  if (!got) return Error{got.error()};
  section s{"spoofed", {"from_domain", "messages", "ips", "policy", "first_seen", "last_seen"}, {}};
  for (const auto& d : *got)
    s.rows.push_back({d.domain, static_cast<std::int64_t>(d.messages), static_cast<std::int64_t>(d.ips), d.policy,
                      when(d.first_seen), when(d.last_seen)});
  return std::vector<section>{std::move(s)};
}

// One feature's value from a session's behaviour lines ("verbs=EHLO MAIL ...").
std::string feature_of(std::string_view behaviour, std::string_view name) {
  for (const auto& [n, value] : behaviour_features(behaviour))
    if (n == name) return std::string(value);
  return "";
}

// Families of spamware: sessions that share a behavioural fingerprint, most messages first, with
// how many addresses and networks each came from, its usual HELO and Subject, and what it does.
Result<std::vector<section>> fingerprints(store::store& st, const report_request& r) {
  auto keys = st.top_keys(key_kind::fingerprint, r.window, r.limit);
  if (!keys) return Error{keys.error()};
  section s{"fingerprints",
            {"fingerprint", "sessions", "messages", "ips", "asns", "first_seen", "last_seen", "helo", "subject", "verbs",
             "pipelining"},
            {},
            1};
  for (const auto& k : *keys) {
    auto f = st.family_of(k.name, r.window);
    if (!f) return Error{f.error()};
    s.rows.push_back({k.name, static_cast<std::int64_t>(k.sessions), static_cast<std::int64_t>(k.messages),
                      static_cast<std::int64_t>(f->ips), static_cast<std::int64_t>(f->asns), when(k.first_seen),
                      when(k.last_seen), f->helo, f->subject, feature_of(f->behaviour, "verbs"),
                      feature_of(f->behaviour, "pipelining")});
  }
  return std::vector<section>{std::move(s)};
}

// The greylist experiment: of the (client IP, sender, recipient) triplets held with a 451, which
// share came back, after how long, and which got through after the delay, overall, per family
// (the fingerprint of the held attempt: how the software behaves when it meets a 451) and per AS.
Result<std::vector<section>> greylist(store::store& st, const report_request& r) {
  auto got = st.greylist_rows(r.window);
  if (!got) return Error{got.error()};
  struct triplet {
    Micros first = 0;  // the first held attempt's session
    std::string fingerprint;
    std::uint32_t asn = 0;
    std::optional<Micros> retry;  // the first attempt after it
    bool passed = false;
  };
  std::map<std::tuple<std::string, std::string, std::string>, triplet> triplets;
  for (const auto& g : *got) {
    auto key = std::make_tuple(g.client_ip, ascii_lower(g.sender), ascii_lower(g.recipient));
    auto it = triplets.find(key);
    if (it == triplets.end()) {
      if (g.greylist != "held") continue;  // its hold is before the window
      triplets.emplace(std::move(key), triplet{g.at, g.fingerprint, g.asn, std::nullopt, false});
      continue;
    }
    triplet& t = it->second;
    if (g.at > t.first && !t.retry) t.retry = g.at;
    if (g.greylist == "passed") t.passed = true;
  }
  struct tally {
    std::uint64_t held = 0, retried = 0, passed = 0;
    std::vector<Micros> delays;
  };
  auto add = [](tally& t, const triplet& x) {
    ++t.held;
    if (x.retry) {
      ++t.retried;
      t.delays.push_back(*x.retry - x.first);
    }
    if (x.passed) ++t.passed;
  };
  tally all;
  std::map<std::string, tally> by_family;
  std::map<std::uint32_t, tally> by_asn;
  for (const auto& [key, x] : triplets) {
    add(all, x);
    add(by_family[x.fingerprint], x);  // "" for sessions older than fingerprints
    if (x.asn != 0) add(by_asn[x.asn], x);
  }
  // `d` sorted: its value at quantile q, in whole seconds.
  auto seconds = [](const std::vector<Micros>& d, double q) -> cell_value {
    if (d.empty()) return std::string();
    const auto i = static_cast<std::size_t>(q * static_cast<double>(d.size() - 1));
    return static_cast<std::int64_t>(d[i] / kMicrosPerSecond);
  };
  const std::vector<std::string> numbers{"triplets_held", "retried", "retried_pct", "passed", "min_delay_s",
                                         "median_delay_s", "max_delay_s"};
  auto row_of = [&](std::vector<cell_value> head, const tally& t) {
    std::vector<Micros> d = t.delays;
    std::sort(d.begin(), d.end());
    for (cell_value v : std::initializer_list<cell_value>{
             static_cast<std::int64_t>(t.held), static_cast<std::int64_t>(t.retried), percent(t.retried, t.held),
             static_cast<std::int64_t>(t.passed), seconds(d, 0), seconds(d, 0.5), seconds(d, 1)})
      head.push_back(std::move(v));
    return head;
  };
  section overall{"greylist", {"scope"}, {}};
  overall.columns.insert(overall.columns.end(), numbers.begin(), numbers.end());
  overall.rows.push_back(row_of({"all"}, all));
  // Most triplets held first, at most --limit rows.
  auto ranked = [&](std::string title, std::string first, const auto& by, auto label) {
    section s{std::move(title), {std::move(first)}, {}, 1};
    s.columns.insert(s.columns.end(), numbers.begin(), numbers.end());
    std::vector<std::pair<typename std::decay_t<decltype(by)>::key_type, tally>> v(by.begin(), by.end());
    std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second.held > b.second.held; });
    for (const auto& [key, t] : v) {
      if (r.limit > 0 && s.rows.size() >= r.limit) break;
      s.rows.push_back(row_of({label(key)}, t));
    }
    return s;
  };
  return std::vector<section>{
      std::move(overall), ranked("families", "fingerprint", by_family, [](const std::string& fp) { return fp; }),
      ranked("asns", "asn", by_asn, [](std::uint32_t asn) { return "AS" + std::to_string(asn); })};
}

using report_fn = std::function<Result<std::vector<section>>(store::store&, const report_request&)>;

const std::vector<std::pair<std::string, report_fn>>& reports() {
  static const std::vector<std::pair<std::string, report_fn>> all = [] {
    std::vector<std::pair<std::string, report_fn>> v{
        {"summary", summary},
        {"daily", [](store::store& st,
                     const report_request& r) { return histogram(st, r, 24, "daily", "day"); }},
        {"hourly", [](store::store& st,
                      const report_request& r) { return histogram(st, r, 1, "hourly", "hour"); }},
        {"first-spam", first_spam},
        {"listings", listings},
        {"auth", auth},
        {"seeds", seeds},
        {"dnsbl", dnsbl},
        {"campaigns", campaigns},
        {"asns", [](store::store& st, const report_request& r) { return networks(st, r, key_kind::asn); }},
        {"countries", [](store::store& st, const report_request& r) { return networks(st, r, key_kind::country); }},
        {"spoofed", spoofed},
        {"fingerprints", fingerprints},
        {"greylist", greylist},
    };
    for (const auto& t : kTops)
      v.emplace_back(t.name,
                     [&t](store::store& st, const report_request& r) { return top(st, r, t); });
    return v;
  }();
  return all;
}

}  // namespace

const std::vector<std::string>& report_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& [name, fn] : reports()) n.push_back(name);
    return n;
  }();
  return names;
}

Status apply_report_params(const search_params& params, report_request& r,
                           std::string (*spelling)(std::string_view name)) {
  for (const auto& [name, value] : params) {
    if (value.empty()) continue;
    const auto bad = [&, n = name, v = value](std::string_view why) {
      return Error{spelling(n) + " " + v + ": " + std::string(why)};
    };
    if (name == "since" || name == "until") {
      const auto at = parse_time_point(value, r.now);
      if (!at) return bad("not a time (2026-11-27, 2026-11-27T10:00:00Z, or 24h)");
      (name == "since" ? r.window.since : r.window.until) = at;
    } else if (name == "domain") {
      r.window.domain = ascii_lower(value);
    } else if (name == "limit" || name == "min_size") {
      const auto n = parse_count(value);
      if (!n) return bad("not a number");
      (name == "limit" ? r.limit : r.min_size) = *n;
    }
  }
  return {};
}

Status check_report_name(std::string_view name) {
  const auto& names = report_names();
  if (std::find(names.begin(), names.end(), name) != names.end()) return {};
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  return Error{"unknown report '" + std::string(name) + "' (one of: " + known + ")"};
}

Result<std::vector<section>> make_report(store::store& st, const report_request& r) {
  for (const auto& [name, fn] : reports())
    if (name == r.name) return fn(st, r);
  return Error{check_report_name(r.name).error()};
}

}  // namespace spampot::intel
