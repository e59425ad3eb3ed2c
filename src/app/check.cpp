// `spampot check`: asks the configured DNS-based lists about the harvested keys that are due,
// and records every answer with its time.
#include <unistd.h>

#include <algorithm>
#include <asio/io_context.hpp>
#include <cstdio>
#include <sstream>

#include "app/common.hpp"
#include "dns/checker.hpp"
#include "pipeline/reputation.hpp"
#include "store/store.hpp"

namespace spampot::app {
namespace {

struct check_options {
  common_options common;
  std::string recheck_after, lists, since;
};

int fail(const std::string& msg, int code = kExitError) {
  std::fprintf(stderr, "spampot check: %s\n", msg.c_str());
  return code;
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string part; std::getline(in, part, ',');)
    if (!part.empty()) out.push_back(part);
  return out;
}

int check(const check_options& o) {
  auto cfg = resolve_config(o.common);
  if (!cfg) return fail(cfg.error());
  const auto lists = dns_lists(*cfg);
  if (lists.empty()) return fail("no [[dnsbl]] list in the config: nothing to check against");
  pipeline::check_options co;
  const Micros now = now_micros();
  co.recheck_after = cfg->dns ? cfg->dns->recheck_after : 6 * 3600 * kMicrosPerSecond;
  if (!o.recheck_after.empty()) {
    auto d = parse_duration(o.recheck_after);
    if (!d) return fail("--recheck-after " + o.recheck_after + ": not a duration (6h, 30m, 1d)", kExitUsage);
    co.recheck_after = *d;
  }
  if (!o.since.empty() && !(co.seen_since = parse_time_point(o.since, now)))
    return fail("--since " + o.since + ": not a time (2026-11-27, 2026-11-27T10:00:00Z, or 24h)",
                kExitUsage);
  co.lists = split_commas(o.lists);
  for (const auto& z : co.lists) {
    if (std::none_of(lists.begin(), lists.end(), [&](const auto& l) { return l.zone == z; }))
      return fail("--lists: '" + z + "' is not a [[dnsbl]] zone of the config", kExitUsage);
  }
  auto st = store::open(cfg->store.db);
  if (!st) return fail(st.error());
  asio::io_context io(1);
  auto checker = dns::checker::make(io, resolver_options_of(*cfg), lists);
  if (!checker) return fail(checker.error());
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  std::uint64_t total = 0;
  if (tty) {
    auto n = pipeline::count_due(**st, lists, co, now);
    if (!n) return fail(n.error());
    total = *n;
  }
  auto r = pipeline::check_pass(**st, **checker, io, co, nullptr, [&](const pipeline::check_stats& s) {
    if (!tty) return;
    const int width = 30;
    const int done = total ? static_cast<int>(width * std::min<std::uint64_t>(s.checked, total) / total) : width;
    std::fprintf(stderr, "\r[%s%s] %llu/%llu checked, %llu listed, %llu errors", std::string(done, '#').c_str(),
                 std::string(width - done, '.').c_str(), static_cast<unsigned long long>(s.checked),
                 static_cast<unsigned long long>(total), static_cast<unsigned long long>(s.listed),
                 static_cast<unsigned long long>(s.errors));
  });
  if (tty) std::fputc('\n', stderr);
  if (!r) return fail(r.error());
  std::printf("checked %llu entries against %zu lists: %llu listed, %llu clean, %llu errors\n",
              static_cast<unsigned long long>(r->checked), co.lists.empty() ? lists.size() : co.lists.size(),
              static_cast<unsigned long long>(r->listed), static_cast<unsigned long long>(r->clean),
              static_cast<unsigned long long>(r->errors));
  return kExitOk;
}

}  // namespace

void setup_check(CLI::App& sub, int& exit_code) {
  auto o = std::make_shared<check_options>();
  add_common_options(sub, o->common);
  sub.add_option("--recheck-after", o->recheck_after,
                 "Ask again about entries last asked longer ago than this (default [dns] "
                 "recheck_after, 6h)");
  sub.add_option("--lists", o->lists, "Only these [[dnsbl]] zones, comma-separated");
  sub.add_option("--since", o->since, "Only entries seen at or after this time (2026-11-27, 24h)");
  sub.footer(
      "Asks every [[dnsbl]] list about the harvested client IPs (ip lists) and sender and HELO "
      "domains\n"
      "(domain lists). Every answer is kept with its time; a timeout, SERVFAIL or an operator's "
      "refusal\n"
      "is recorded as an error, never as \"not listed\". `spampot report dnsbl` reads the result.");
  sub.callback([o, &exit_code] { exit_code = check(*o); });
}

}  // namespace spampot::app
