// `spampot reindex`: the database is a cache of the spool; this rebuilds it from the spool alone.
#include <unistd.h>

#include <cstdio>

#include "app/common.hpp"
#include "base/escape.hpp"
#include "capture/reader.hpp"
#include "pipeline/indexer.hpp"
#include "pipeline/networks.hpp"
#include "store/store.hpp"

namespace spampot::app {
namespace {

int fail(const std::string& msg) {
  std::fprintf(stderr, "spampot reindex: %s\n", msg.c_str());
  return kExitError;
}

struct reindex_options {
  common_options common;
  std::string sensor;
  bool quarantined = false;
};

// --quarantined: only the records the store refused for good, after an upgrade that may take
// them. The rest of the store stays as it is, and `serve` may go on running.
int retry_quarantined(store::store& st, const std::string& spool, const std::string& sensor, bool keep_raw,
                      std::shared_ptr<const enrich::geoip> geoip) {
  pipeline::indexer idx(st, spool, sensor);
  idx.keep_raw(keep_raw);
  idx.networks(geoip);
  auto r = idx.retry_quarantined();
  if (!r) return fail(r.error());
  auto left = st.quarantined(sensor);
  if (!left) return fail(left.error());
  std::printf("indexed %llu messages, %llu sessions and %llu page requests from the quarantine; %zu records "
              "stay quarantined\n",
              static_cast<unsigned long long>(r->messages), static_cast<unsigned long long>(r->sessions),
              static_cast<unsigned long long>(r->http_requests), left->size());
  for (const auto& q : *left)
    std::printf("  %s %s at spool %u:%llu: %s\n", q.record_kind.c_str(), escape_for_log(q.record_id, 40).c_str(),
                q.at.segment, static_cast<unsigned long long>(q.at.offset), escape_for_log(q.error, 200).c_str());
  return left->empty() && r->damaged == 0 ? kExitOk : kExitError;
}

int reindex(const reindex_options& o) {
  auto cfg = resolve_config(o.common);
  if (!cfg) return fail(cfg.error());
  auto st = store::open(cfg->store.db);
  if (!st) return fail(st.error());
  if (!o.sensor.empty()) cfg->sensor = o.sensor;
  auto opened = open_geoip(*cfg);
  if (!opened) return fail(opened.error());
  const std::shared_ptr<const enrich::geoip> geoip = std::move(*opened);
  if (o.quarantined) return retry_quarantined(**st, cfg->store.spool, cfg->sensor, cfg->store.keeps_raw(), geoip);
  capture::journal_reader reader(cfg->store.spool);
  auto end = reader.end_of_spool();
  if (!end) return fail(end.error());
  if (auto c = (*st)->clear(cfg->sensor); !c) return fail(c.error());
  // The rows no spool rebuilds (imported, expired) get the networks of today's databases too.
  auto relocated = (*st)->relocate(cfg->sensor, pipeline::locator_of(geoip.get()));
  if (!relocated) return fail(relocated.error());
  pipeline::indexer idx(**st, cfg->store.spool, cfg->sensor, 2000);
  idx.keep_raw(cfg->store.keeps_raw());
  idx.networks(geoip);
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  auto r = idx.catch_up(*end, [tty](const pipeline::index_stats& s) {
    if (tty)
      std::fprintf(stderr, "\rindexed %llu messages, %llu sessions",
                   static_cast<unsigned long long>(s.messages),
                   static_cast<unsigned long long>(s.sessions));
  });
  if (tty) std::fputc('\n', stderr);
  if (!r) return fail(r.error());
  // Verdicts that asked DNS at the time go back to the messages rebuilt (clear kept them aside).
  auto restored = (*st)->restore_auth();
  if (!restored) return fail(restored.error());
  std::printf("reindexed %llu messages and %llu sessions from %s",
              static_cast<unsigned long long>(r->messages),
              static_cast<unsigned long long>(r->sessions), cfg->store.spool.c_str());
  if (*restored > 0)
    std::printf(" (kept the SPF, DKIM and DMARC verdicts of %llu messages)", static_cast<unsigned long long>(*restored));
  if (r->damaged > 0)
    std::printf(" (%llu damaged records skipped)", static_cast<unsigned long long>(r->damaged));
  if (r->quarantined > 0)
    std::printf(" (%llu records refused by the store are quarantined: see `spampot reindex --quarantined`)",
                static_cast<unsigned long long>(r->quarantined));
  std::printf("\n");
  return r->damaged > 0 ? kExitError : kExitOk;
}

}  // namespace

void setup_reindex(CLI::App& sub, int& exit_code) {
  auto o = std::make_shared<reindex_options>();
  add_common_options(sub, o->common);
  sub.add_option("--sensor", o->sensor, "The sensor whose spool this is (default from config)");
  sub.add_flag("--quarantined", o->quarantined,
               "Only index again the records the store refused for good (after an upgrade); keeps the rest");
  sub.footer(
      "Stop `spampot serve` first: reindex empties the database and refills it from the spool.\n"
      "--quarantined empties nothing and may run beside `serve`. Exit code 1 while records stay quarantined.");
  sub.callback([o, &exit_code] { exit_code = reindex(*o); });
}

}  // namespace spampot::app
