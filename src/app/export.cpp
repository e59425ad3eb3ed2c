// `spampot export FORMAT`: the listing policy over the harvested keys, written in the format of
// the tool that reads it; with --output the file is replaced atomically (a reader never sees half
// of it) and the listing's changes are kept as its audit trail; --every keeps doing so.
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include "app/common.hpp"
#include "intel/listing_query.hpp"
#include "intel/publish.hpp"
#include "store/store.hpp"

namespace spampot::app {
namespace {

struct export_options {
  common_options common;
  std::string format, what = "ips", output, list, since, expire_after, exclude, every;
  std::optional<std::uint64_t> min_hits, min_days, aggregate_v4, aggregate_v6;
};

std::atomic<bool> g_stop{false};

int fail(const std::string& msg, int code = kExitError) {
  std::fprintf(stderr, "spampot export: %s\n", msg.c_str());
  return code;
}

Status export_once(store::store& st, const export_options& o, intel::listing_what what,
                   const intel::listing_policy& policy) {
  auto r = intel::publish(st, {o.format, what, o.list, o.output, policy}, now_micros(),
                          [](std::string_view s) { std::fwrite(s.data(), 1, s.size(), stdout); });
  if (!r) return r.failure();
  if (!o.output.empty())
    std::fprintf(stderr, "%s: %zu entries (%zu added, %zu removed)\n", o.output.c_str(), r->entries, r->added,
                 r->removed);
  return {};
}

int run_export(const export_options& o) {
  const Micros now = now_micros();
  auto what = intel::parse_listing_what(o.what);
  if (!what) return fail(what.error(), kExitUsage);
  // An unknown format, or one that cannot carry what was asked for (an rbldnsd zone of
  // addresses), is a usage error.
  if (auto probe = intel::render_export(o.format, {}, {now, "", *what, 0}); !probe)
    return fail(probe.error(), kExitUsage);
  for (char c : o.list)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
      return fail("--list " + o.list + ": use letters, digits, '.', '_' and '-'", kExitUsage);
  std::optional<Micros> every;
  if (!o.every.empty()) {
    every = parse_duration(o.every);
    if (!every || *every <= 0)
      return fail("--every " + o.every + ": not a duration (30s, 5m, 1h)", kExitUsage);
    if (o.output.empty())
      return fail("--every needs --output: the file it keeps current", kExitUsage);
  }

  auto cfg = resolve_config(o.common);
  if (!cfg) return fail(cfg.error());
  // The config's [export] policy, with --exclude in place of its exclusions when given.
  auto defaults = export_defaults(*cfg, o.exclude.empty() ? cfg->exports.exclude : o.exclude);
  if (!defaults) return fail(defaults.error());
  auto given = [](const std::optional<std::uint64_t>& v) { return v ? std::to_string(*v) : std::string(); };
  auto policy = intel::parse_policy({{"min_hits", given(o.min_hits)},
                                     {"min_days", given(o.min_days)},
                                     {"aggregate_v4", given(o.aggregate_v4)},
                                     {"aggregate_v6", given(o.aggregate_v6)},
                                     {"expire_after", o.expire_after},
                                     {"since", o.since}},
                                    std::move(*defaults), now, intel::cli_spelling);
  if (!policy) return fail(policy.error(), kExitUsage);
  intel::listing_policy p = std::move(*policy);

  auto st = open_counted_store(cfg->store.db, "export");
  if (!st) return fail(st.error());
  if (!every) {
    if (auto r = export_once(**st, o, *what, p); !r) return fail(r.error());
    return kExitOk;
  }
  std::signal(SIGTERM, [](int) { g_stop = true; });
  std::signal(SIGINT, [](int) { g_stop = true; });
  while (!g_stop) {
    // A failed round (the database away, the disk full) is reported and tried again next time:
    // the last good file stays in place meanwhile.
    if (auto r = export_once(**st, o, *what, p); !r)
      std::fprintf(stderr, "spampot export: %s\n", r.error().c_str());
    const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(*every);
    while (!g_stop && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return kExitOk;
}

}  // namespace

void setup_export(CLI::App& sub, int& exit_code) {
  auto o = std::make_shared<export_options>();
  add_common_options(sub, o->common);
  std::string formats;
  for (const auto& f : intel::export_formats())
    formats += "\n  " + std::string(f.name) + ": " + f.help;
  sub.add_option("format", o->format, "The format:" + formats)->required();
  sub.add_option("--what", o->what,
                 "ips, senders, domains (registrable sender domains), harvesters (seed page "
                 "visitors) or url-domains (registrable domains linked from messages)")
      ->default_val("ips");
  sub.add_option("--output", o->output,
                 "Replace this file atomically (and keep the listing's audit trail)");
  sub.add_option("--list", o->list,
                 "The listing's name in the audit trail (default: the --what value)");
  sub.add_option("--min-hits", o->min_hits,
                 "Listed after this many messages (or sessions, when more)");
  sub.add_option("--min-days", o->min_days, "Listed after being seen on this many distinct days");
  sub.add_option("--since", o->since,
                 "Only keys seen at or after this time (2026-11-27, or 7d ago)");
  sub.add_option("--expire-after", o->expire_after,
                 "Delist what was not seen for this many days (or 12h, 30d)");
  sub.add_option("--exclude", o->exclude, "File of CIDRs, addresses and domains never to list");
  sub.add_option("--aggregate-v4", o->aggregate_v4,
                 "List a /24 whole once this many of its addresses are listed (0: never)");
  sub.add_option("--aggregate-v6", o->aggregate_v6, "Likewise for a /64");
  sub.add_option("--every", o->every,
                 "Keep --output current: export again every DURATION (5m) until stopped");
  sub.footer("Defaults of the policy come from the [export] section of the config.");
  sub.callback([o, &exit_code] { exit_code = run_export(*o); });
}

}  // namespace spampot::app
