// `spampot report NAME`: options to a report request, the report to stdout.
#include "intel/report.hpp"

#include <cstdio>

#include "app/common.hpp"

namespace spampot::app {
namespace {

struct report_options {
  common_options common;
  std::string name, since, until, domain, format = "table";
  std::size_t limit = 20;
  std::size_t min_size = 2;
};

int fail(const std::string& msg, int code = kExitError) {
  std::fprintf(stderr, "spampot report: %s\n", msg.c_str());
  return code;
}

int report(const report_options& o) {
  intel::report_request r;
  r.name = o.name;
  r.now = now_micros();
  if (auto p = intel::apply_report_params({{"since", o.since},
                                            {"until", o.until},
                                            {"domain", o.domain},
                                            {"limit", std::to_string(o.limit)},
                                            {"min_size", std::to_string(o.min_size)}},
                                           r, intel::cli_spelling);
      !p)
    return fail(p.error(), kExitUsage);
  auto fmt = intel::parse_list_format(o.format);
  if (!fmt) return fail(fmt.error(), kExitUsage);
  if (auto known = intel::check_report_name(o.name); !known) return fail(known.error(), kExitUsage);

  auto cfg = resolve_config(o.common);
  if (!cfg) return fail(cfg.error());
  for (const auto& t : cfg->traps) r.traps.push_back({t.domain, t.registered});
  for (const auto& l : dns_lists(*cfg)) r.dnsbls.emplace_back(l.zone, l.kind);
  auto st = open_counted_store(cfg->store.db, "report");
  if (!st) return fail(st.error());
  auto sections = intel::make_report(**st, r);
  if (!sections) return fail(sections.error());
  std::fputs(intel::render(*sections, *fmt).c_str(), stdout);
  return kExitOk;
}

}  // namespace

void setup_report(CLI::App& sub, int& exit_code) {
  auto o = std::make_shared<report_options>();
  add_common_options(sub, o->common);
  std::string names;
  for (const auto& n : intel::report_names()) names += (names.empty() ? "" : ", ") + n;
  sub.add_option("name", o->name, "The report: " + names)->required();
  sub.add_option("--since", o->since,
                 "From this time: 2026-11-27, 2026-11-27T10:00:00Z, or 24h (ago)");
  sub.add_option("--until", o->until, "Before this time (same forms as --since)");
  sub.add_option("--domain", o->domain, "Only mail to this trap domain");
  sub.add_option("--limit", o->limit, "Top N rows of a top list (0: all)")->default_val(20);
  sub.add_option("--format", o->format, "table, csv or json")->default_val("table");
  sub.add_option("--min-size", o->min_size, "campaigns: groups of at least N messages")
      ->default_val(2);
  sub.footer(
      "Counts come from the de-duplicated counters kept at index time. --since and --until select "
      "whole UTC\n"
      "days for the top lists and whole hours for summary, daily and hourly; --domain counts only "
      "what\n"
      "reached that trap domain (its own counters).");
  sub.callback([o, &exit_code] { exit_code = report(*o); });
}

}  // namespace spampot::app
