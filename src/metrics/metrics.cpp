#include "metrics/metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <memory>

namespace spampot::metrics {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;
using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;

// Latencies from 50 µs to 5 s: a group commit on an SSD is well under a millisecond, a loaded
// disk can take a second.
const Histogram::BucketBoundaries kLatency{0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                           0.01,    0.025,  0.05,    0.1,    0.25,  0.5,    1,
                                           2.5,     5};

struct all {
  std::shared_ptr<prometheus::Registry> reg = std::make_shared<prometheus::Registry>();

  Counter& accepted = BuildCounter()
                          .Name("spampot_connections_accepted_total")
                          .Help("SMTP connections accepted")
                          .Register(*reg)
                          .Add({});
  Family<Counter>& refused = BuildCounter()
                                 .Name("spampot_connections_refused_total")
                                 .Help("SMTP connections refused with 421, by reason")
                                 .Register(*reg);
  Family<Counter>& sessions =
      BuildCounter().Name("spampot_sessions_total").Help("SMTP sessions ended, by end reason").Register(*reg);
  Counter& messages = BuildCounter()
                          .Name("spampot_messages_total")
                          .Help("Messages accepted (250 after they were durable in the spool)")
                          .Register(*reg)
                          .Add({});
  Counter& message_bytes = BuildCounter()
                               .Name("spampot_message_bytes_total")
                               .Help("Bytes of the messages accepted")
                               .Register(*reg)
                               .Add({});
  Counter& messages_refused = BuildCounter()
                                  .Name("spampot_messages_refused_total")
                                  .Help("Messages answered 451 because the spool could not take them")
                                  .Register(*reg)
                                  .Add({});
  Family<Counter>& violations =
      BuildCounter().Name("spampot_violations_total").Help("Protocol violations, by kind").Register(*reg);
  Counter& auth = BuildCounter()
                      .Name("spampot_auth_attempts_total")
                      .Help("AUTH attempts recorded")
                      .Register(*reg)
                      .Add({});
  Counter& relay = BuildCounter()
                       .Name("spampot_relay_attempts_total")
                       .Help("Recipients outside the trap domains (relay attempts)")
                       .Register(*reg)
                       .Add({});
  Family<Counter>& greylist = BuildCounter()
                                  .Name("spampot_greylist_recipients_total")
                                  .Help("RCPTs the greylist experiment held (451) or let through after the delay")
                                  .Register(*reg);
  Family<Counter>& tarpit_sessions =
      BuildCounter().Name("spampot_tarpit_sessions_total").Help("Sessions tarpitted, by cause").Register(*reg);
  Family<Counter>& tarpit_seconds = BuildCounter()
                                        .Name("spampot_tarpit_seconds_total")
                                        .Help("Time tarpitted sessions' replies were held back, by cause")
                                        .Register(*reg);

  Histogram& append = BuildHistogram()
                          .Name("spampot_journal_append_seconds")
                          .Help("Time from handing a record to the journal to its being durable")
                          .Register(*reg)
                          .Add({}, kLatency);
  Histogram& sync = BuildHistogram()
                        .Name("spampot_journal_fdatasync_seconds")
                        .Help("Time of each group commit's write and fdatasync")
                        .Register(*reg)
                        .Add({}, kLatency);
  Counter& journal_failures = BuildCounter()
                                  .Name("spampot_journal_failures_total")
                                  .Help("Journal writes that failed (the records were refused)")
                                  .Register(*reg)
                                  .Add({});

  Family<Counter>& indexed =
      BuildCounter().Name("spampot_records_indexed_total").Help("Spool records indexed, by kind").Register(*reg);
  Counter& store_failures = BuildCounter()
                                .Name("spampot_store_failures_total")
                                .Help("Index batches the store refused for now (retried)")
                                .Register(*reg)
                                .Add({});
  Gauge& quarantined = BuildGauge()
                           .Name("spampot_quarantined_records")
                           .Help("Spool records the store refused for good, waiting in the quarantine")
                           .Register(*reg)
                           .Add({});
  Gauge& lag_records = BuildGauge()
                           .Name("spampot_index_lag_records")
                           .Help("Spool records durable but not yet indexed")
                           .Register(*reg)
                           .Add({});
  Gauge& lag_bytes = BuildGauge()
                         .Name("spampot_index_lag_bytes")
                         .Help("Spool bytes durable but not yet indexed")
                         .Register(*reg)
                         .Add({});
  Gauge& lag_seconds = BuildGauge()
                           .Name("spampot_index_lag_seconds")
                           .Help("How long the index has been behind the spool (0 when caught up)")
                           .Register(*reg)
                           .Add({});
  Gauge& store_up =
      BuildGauge().Name("spampot_store_up").Help("1 when the store accepts writes").Register(*reg).Add({});

  Counter& dns_queries = BuildCounter()
                             .Name("spampot_dns_queries_total")
                             .Help("DNS questions sent to the network")
                             .Register(*reg)
                             .Add({});
  Family<Counter>& dns_answers = BuildCounter()
                                     .Name("spampot_dns_answers_total")
                                     .Help("DNS answers and errors, by status")
                                     .Register(*reg);
  Counter& dns_cache_hits = BuildCounter()
                                .Name("spampot_dns_cache_hits_total")
                                .Help("DNS questions answered from the cache")
                                .Register(*reg)
                                .Add({});

  Family<Counter>& seed = BuildCounter()
                              .Name("spampot_seed_page_requests_total")
                              .Help("Requests to the seed page, by HTTP status")
                              .Register(*reg);

  Family<Counter>& dropped_segments = BuildCounter()
                                          .Name("spampot_retention_dropped_segments_total")
                                          .Help("Spool segments retention dropped, by reason")
                                          .Register(*reg);
  Counter& dropped_bytes = BuildCounter()
                               .Name("spampot_retention_dropped_bytes_total")
                               .Help("Spool bytes retention dropped")
                               .Register(*reg)
                               .Add({});
  Family<Counter>& deleted_rows = BuildCounter()
                                      .Name("spampot_retention_deleted_rows_total")
                                      .Help("Rows retention deleted (rows_max_age), by table")
                                      .Register(*reg);
  Gauge& spool_bytes =
      BuildGauge().Name("spampot_spool_bytes").Help("Bytes in the spool's segments").Register(*reg).Add({});
  Gauge& spool_segments =
      BuildGauge().Name("spampot_spool_segments").Help("Segments in the spool").Register(*reg).Add({});
  Gauge& spool_free = BuildGauge()
                          .Name("spampot_spool_free_bytes")
                          .Help("Bytes free for the trap on the spool's file system")
                          .Register(*reg)
                          .Add({});
};

all& m() {
  static all a;
  return a;
}

}  // namespace

void connection_accepted() { m().accepted.Increment(); }
void connection_refused(std::string_view reason) { m().refused.Add({{"reason", std::string(reason)}}).Increment(); }

void message_accepted(std::uint64_t bytes) {
  m().messages.Increment();
  m().message_bytes.Increment(static_cast<double>(bytes));
}
void message_refused() { m().messages_refused.Increment(); }

void session_ended(const session_record& s) {
  m().sessions.Add({{"end_reason", s.end_reason.empty() ? std::string("closed") : s.end_reason}}).Increment();
  for (const auto& v : s.violations) m().violations.Add({{"kind", v.kind}}).Increment();
  if (!s.auth_attempts.empty()) m().auth.Increment(static_cast<double>(s.auth_attempts.size()));
  std::uint64_t relay = 0;
  for (const auto& r : s.recipients) {
    relay += r.relay ? 1 : 0;
    if (r.greylist == "held" || r.greylist == "passed") m().greylist.Add({{"verdict", r.greylist}}).Increment();
  }
  if (relay) m().relay.Increment(static_cast<double>(relay));
  if (s.tarpit == "listener" || s.tarpit == "greytrap") {
    m().tarpit_sessions.Add({{"by", s.tarpit}}).Increment();
    m().tarpit_seconds.Add({{"by", s.tarpit}}).Increment(static_cast<double>(s.tarpit_micros) / 1e6);
  }
}

void journal_appended(double seconds) { m().append.Observe(seconds); }
void journal_synced(double seconds) { m().sync.Observe(seconds); }
void journal_failed() { m().journal_failures.Increment(); }

void records_indexed(std::string_view kind, std::uint64_t n) {
  if (n) m().indexed.Add({{"kind", std::string(kind)}}).Increment(static_cast<double>(n));
}
void store_failed() { m().store_failures.Increment(); }
void set_quarantined(std::uint64_t n) { m().quarantined.Set(static_cast<double>(n)); }
void set_index_lag(std::uint64_t records, std::uint64_t bytes, double seconds) {
  m().lag_records.Set(static_cast<double>(records));
  m().lag_bytes.Set(static_cast<double>(bytes));
  m().lag_seconds.Set(seconds);
}
void set_store_up(bool up) { m().store_up.Set(up ? 1 : 0); }

void dns_query() { m().dns_queries.Increment(); }
void dns_answer(std::string_view status) { m().dns_answers.Add({{"status", std::string(status)}}).Increment(); }
void dns_cache_hit() { m().dns_cache_hits.Increment(); }

void seed_request(int status) { m().seed.Add({{"status", std::to_string(status)}}).Increment(); }

void retention_dropped(std::string_view reason, std::uint64_t bytes) {
  m().dropped_segments.Add({{"reason", std::string(reason)}}).Increment();
  m().dropped_bytes.Increment(static_cast<double>(bytes));
}
void retention_deleted(std::string_view table, std::uint64_t rows) {
  if (rows) m().deleted_rows.Add({{"table", std::string(table)}}).Increment(static_cast<double>(rows));
}
void set_spool(std::uint64_t bytes, std::uint64_t segments, std::uint64_t free_bytes) {
  m().spool_bytes.Set(static_cast<double>(bytes));
  m().spool_segments.Set(static_cast<double>(segments));
  m().spool_free.Set(static_cast<double>(free_bytes));
}

std::string exposition() { return prometheus::TextSerializer().Serialize(m().reg->Collect()); }

}  // namespace spampot::metrics
