#include "pipeline/indexer.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <fstream>

#include <nlohmann/json.hpp>
#include <thread>

#include "capture/trace_headers.hpp"
#include "pipeline/campaigns.hpp"
#include "pipeline/kept_raw.hpp"
#include "pipeline/networks.hpp"
#include "base/escape.hpp"
#include "metrics/metrics.hpp"
#include "pipeline/rows.hpp"

namespace spampot::pipeline {

indexer::indexer(store::store& st, std::filesystem::path spool, std::string sensor, std::size_t batch)
    : store_(st), spool_(spool), reader_(std::move(spool)), sensor_(std::move(sensor)), batch_(batch) {}

void add(index_stats& to, const index_stats& from) {
  to.messages += from.messages;
  to.sessions += from.sessions;
  to.http_requests += from.http_requests;
  to.damaged += from.damaged;
  to.quarantined += from.quarantined;
}

namespace {

// Bytes between two places in the journal: the rest of `from`'s segment, the segments between,
// and `to`'s offset. A segment that is gone counts nothing.
std::uint64_t lag_bytes(const std::filesystem::path& spool, capture::position from, capture::position to) {
  if (from.segment == to.segment) return to.offset > from.offset ? to.offset - from.offset : 0;
  std::uint64_t n = to.offset;
  for (auto s = std::max<std::uint32_t>(from.segment, 1); s < to.segment; ++s) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(capture::segment_path(spool, s), ec);
    if (!ec) n += size - std::min<std::uint64_t>(size, s == from.segment ? from.offset : 0);
  }
  return n;
}

}  // namespace

void indexer::write_status(const capture::position& indexed, const capture::position& durable,
                           const std::string& error) {
  last_indexed_ = indexed;
  // What waits in the quarantine now, this sensor's and the others' (one store, one count).
  if (error.empty()) {
    if (auto n = store_.count_quarantined()) quarantined_ = *n;
  }
  metrics::set_quarantined(quarantined_);
  metrics::set_store_up(error.empty());
  nlohmann::json j{{"sensor", sensor_},
                   {"updated_at", format_rfc3339(now_micros())},
                   {"store", error.empty() ? "ok" : "unreachable"},
                   {"error", error},
                   {"indexed", {{"segment", indexed.segment}, {"offset", indexed.offset}}},
                   {"spooled", {{"segment", durable.segment}, {"offset", durable.offset}}},
                   {"messages_indexed", stats_.messages},
                   {"sessions_indexed", stats_.sessions},
                   {"store_failures", stats_.store_failures},
                   {"quarantined", quarantined_},
                   // While an upgrade's recount of the harvest counters runs (reports incomplete).
                   {"recounting_since", recounting_since_ ? format_rfc3339(recounting_since_) : ""}};
  // Written aside and renamed, so a reader never sees half a file.
  const auto tmp = spool_ / "status.json.tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  std::error_code ec;
  std::filesystem::rename(tmp, spool_ / "status.json", ec);
}

Status indexer::store_message(const capture::entry& rec, index_stats& batch, std::string& id) {
  auto m = message_from(rec);
  if (!m) {
    spdlog::error("spool record at {}:{}: {}", rec.at.segment, rec.at.offset, m.error());
    ++batch.damaged;
    return {};
  }
  id = m->row.id;
  const auto geoip = geoip_.load();
  locate(geoip.get(), m->row);
  auto added = store_.put_message(m->row);
  if (!added) return added.failure();
  ++batch.messages;
  if (!*added) return {};  // indexed before, details and all
  if (keep_raw_) {
    if (auto s = store_.put_raw(pack_raw(m->row.id, capture::delivered_form(m->envelope, rec.rec.body))); !s) return s;
  }
  if (auto c = assign_campaign(store_, m->details, m->body_text); !c) return c;
  locate(geoip.get(), m->details);
  return store_.put_details(m->details, m->row);
}

Status indexer::store_record(const capture::entry& rec, index_stats& batch, std::string& id) {
  // A record that cannot be read is counted and skipped; only the store's refusal is an error.
  auto store_row = [&](auto row, auto put, std::uint64_t& counter) -> Status {
    if (!row) {
      spdlog::error("spool record at {}:{}: {}", rec.at.segment, rec.at.offset, row.error());
      ++batch.damaged;
      return {};
    }
    id = row->id;
    if (auto s = (store_.*put)(*row); !s.ok()) return s.failure();
    ++counter;
    return {};
  };
  switch (rec.rec.type) {
    case capture::record_type::message:
      return store_message(rec, batch, id);
    case capture::record_type::session: {
      auto s = session_row_from(rec);
      if (s) locate(geoip_.load().get(), *s);
      return store_row(std::move(s), &store::store::put_session, batch.sessions);
    }
    case capture::record_type::http:
      return store_row(http_row_from(rec), &store::store::put_http_request, batch.http_requests);
  }
  return {};
}

// One record inside the batch's transaction, under a savepoint: a permanent refusal undoes just
// this record's rows and sets the record aside in the quarantine, so the batch and everything
// after it is still indexed. Any other failure fails the batch, to be retried whole.
Status indexer::index_one(const capture::entry& rec, index_stats& batch) {
  if (auto s = store_.begin_record(); !s) return s;
  std::string id;
  index_stats counted;
  const Status stored = store_record(rec, counted, id);
  if (stored) {
    if (auto k = store_.keep_record(); !k) return k;
    add(batch, counted);
    return {};
  }
  if (stored.kind() != error_kind::permanent) return stored;
  store_.drop_record();
  const std::string kind(capture::to_string(rec.rec.type));
  spdlog::error("index: the store refuses {} {} at spool {}:{} for good ({}); it is quarantined and indexing "
                "goes on (`spampot reindex --quarantined` tries it again)",
                kind, escape_for_log(id, 40), rec.at.segment, rec.at.offset, escape_for_log(stored.error(), 300));
  store::quarantined_row q{sensor_, {rec.at.segment, rec.at.offset}, kind, id, stored.error(), now_micros(), 1};
  if (auto s = store_.quarantine(q); !s) return s;
  ++batch.quarantined;
  return {};
}

Result<index_stats> indexer::catch_up(capture::position end,
                                      const std::function<void(const index_stats&)>& progress) {
  auto cp = store_.checkpoint(sensor_);
  if (!cp) return cp.failure();
  capture::position cursor{cp->segment, cp->offset};
  index_stats done;
  while (cursor < end) {
    store::transaction tx(store_);
    if (!tx.begun()) return tx.begun().failure();
    index_stats batch;
    std::uint64_t read = 0;  // records, counted once the batch is committed
    std::size_t n = 0;
    for (; n < batch_; ++n) {
      auto e = reader_.next(cursor, end);
      if (!e) {
        // A record that cannot be read cannot be indexed by waiting: note it, go on at the next
        // segment. The segment file itself stays for inspection.
        spdlog::error("spool: {}; skipping to the next segment", e.error());
        ++batch.damaged;
        cursor = {cursor.segment + 1, 0};
        continue;
      }
      if (!e->has_value()) break;
      if (auto s = index_one(**e, batch); !s) return s.failure();
      ++read;
      cursor = (*e)->next;
    }
    if (auto s = store_.set_checkpoint(sensor_, {cursor.segment, cursor.offset}); !s) return s.failure();
    // Where this sensor's raw messages are, for show --raw and search --maildir without --spool.
    if (!spool_recorded_) {
      std::error_code ec;
      const auto where = std::filesystem::absolute(spool_, ec);
      if (auto s = store_.record_spool(sensor_, (ec ? spool_ : where).string(), now_micros()); !s) return s.failure();
    }
    if (auto s = tx.commit(); !s) return s.failure();
    records_read_ += read;
    spool_recorded_ = true;
    metrics::records_indexed("message", batch.messages);
    metrics::records_indexed("session", batch.sessions);
    metrics::records_indexed("http", batch.http_requests);
    add(done, batch);
    add(stats_, batch);
    if (progress) progress(done);
    if (n < batch_ && batch.damaged == 0) break;  // reached the end
  }
  return done;
}

// A recount an upgrade asked for comes first, here at idle priority while serve listens: the
// spool holds what arrives meanwhile. Asked of the store until it is done or another process
// does it (then the store refuses this indexer's counters until that ends, and the batch waits).
Result<index_stats> indexer::recount_then_catch_up(capture::position end, const std::atomic<bool>& stop) {
  if (recount_due_) {
    auto pending = store_.recount_pending();
    if (!pending) return pending.failure();
    if (*pending) {
      recounting_since_ = now_micros();
      write_status(last_indexed_, end, "");
      spdlog::info("harvest: an upgrade asked for the counters to be recounted from the stored rows; mail is "
                   "accepted meanwhile and indexed after");
      const auto started = std::chrono::steady_clock::now();
      auto done = store_.recount_if_pending("serve of sensor " + sensor_, &stop);
      recounting_since_ = 0;
      if (!done) return done.failure();
      if (*done) {
        spdlog::info("harvest: recounted in {:.1f} s",
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      } else if (auto now = store_.recount_pending(); now && *now) {
        return Error{"the harvest counters are " + store::describe(**now) + "; indexing waits",
                     error_kind::transient};
      }
    }
    recount_due_ = false;
  }
  return catch_up(end);
}

Result<index_stats> indexer::retry_quarantined() {
  auto held = store_.quarantined(sensor_);
  if (!held) return held.failure();
  index_stats done;
  for (const auto& q : *held) {
    const capture::position at{q.at.segment, q.at.offset};
    auto e = reader_.next(at, {at.segment, at.offset + 1});
    if (!e || !e->has_value()) {
      spdlog::error("quarantined record at spool {}:{} cannot be read: {}", at.segment, at.offset,
                    e ? std::string("it is gone") : e.error());
      ++done.damaged;
      continue;
    }
    store::transaction tx(store_);
    if (!tx.begun()) return tx.begun().failure();
    index_stats one;
    if (auto s = index_one(**e, one); !s) return s.failure();
    // Refused again: index_one kept it quarantined, with the new error and one more attempt.
    if (one.quarantined == 0) {
      if (auto s = store_.release_quarantined(sensor_, q.at); !s) return s.failure();
    }
    if (auto s = tx.commit(); !s) return s.failure();
    add(done, one);
  }
  return done;
}

void indexer::follow(const capture::journal& j, const std::atomic<bool>& stop) {
  using namespace std::chrono_literals;
  auto backoff = 100ms;
  capture::position indexed{0, 0};
  if (auto cp = store_.checkpoint(sensor_)) indexed = {cp->segment, cp->offset};
  // The lag in records: what lay between the checkpoint and the journal's end at start, plus what
  // the journal made durable since, less what this indexer has read.
  const auto start = j.durable();
  std::uint64_t backlog = 0;
  if (indexed < start.end) {
    if (auto n = reader_.count(indexed, start.end)) backlog = *n;
  }
  const std::uint64_t read_at_start = records_read_;
  std::string failing;  // the store's error while it fails
  auto last_status = std::chrono::steady_clock::time_point{};
  auto behind_since = std::chrono::steady_clock::now();  // when the index last was level with the journal
  constexpr double kFirstLagWord = 10;
  double next_lag_word = kFirstLagWord;  // seconds behind at which the lag is logged next
  for (;;) {
    const bool stopping = stop.load();
    const auto mark = j.durable();
    const capture::position end = mark.end;
    double lag = 0;
    if (indexed < end) {
      lag = std::chrono::duration<double>(std::chrono::steady_clock::now() - behind_since).count();
      const std::uint64_t due = backlog + (mark.records - start.records);
      const std::uint64_t read = records_read_ - read_at_start;
      const std::uint64_t records = due > read ? due - read : 0;
      const std::uint64_t waiting = lag_bytes(spool_, indexed, end);
      metrics::set_index_lag(records, waiting, lag);
      // Said once it is 10 s behind, then every minute while it stays behind: under a flood the
      // index waits for the CPU, and the operator should know how far the spool holds it.
      if (lag >= next_lag_word && failing.empty()) {
        spdlog::warn("index: {:.0f} s behind the journal, {} records and {:.1f} MiB waiting in the spool; mail is "
                     "accepted first and indexed when the CPU is free",
                     lag, records, static_cast<double>(waiting) / (1024.0 * 1024.0));
        next_lag_word = lag + 60;
      }
    } else {
      if (next_lag_word > kFirstLagWord)
        spdlog::info("index: level with the journal again after {:.0f} s behind",
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - behind_since).count());
      next_lag_word = kFirstLagWord;
      behind_since = std::chrono::steady_clock::now();
      metrics::set_index_lag(0, 0, 0);
    }
    lag_seconds_ = lag;
    store_ok_ = failing.empty();
    if (std::chrono::steady_clock::now() - last_status > 1s) {
      write_status(indexed, end, failing);
      last_status = std::chrono::steady_clock::now();
    }
    if (indexed < end || recount_due_) {
      auto r = recount_then_catch_up(end, stop);
      if (!r) {
        if (failing.empty()) {
          spdlog::error("index: the store fails ({}); mail is still accepted into the spool and "
                        "will be indexed when the store is back",
                        r.error());
        }
        failing = r.error();
        store_ok_ = false;
        ++stats_.store_failures;
        metrics::store_failed();
        if (stopping) {
          // Shutting down with the store unusable: the journal keeps everything, and the next
          // start indexes it. Waiting here would hold the process hostage to the database.
          spdlog::error("index: {}; the rest is indexed at the next start", r.error());
          return;
        }
        // The store is busy or gone: the journal keeps everything, so wait and try again.
        spdlog::warn("index: {} (retrying in {} ms)", r.error(), backoff.count());
        std::this_thread::sleep_for(backoff);
        backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
        continue;
      }
      backoff = 100ms;
      indexed = end;
      if (!failing.empty()) {
        spdlog::info("index: the store is back; the backlog is indexed");
        failing.clear();
      }
      // What was just indexed (and quarantined) shows at once, not at the next second.
      write_status(indexed, end, failing);
      last_status = std::chrono::steady_clock::now();
      continue;
    }
    if (stopping) {
      write_status(indexed, end, failing);
      return;
    }
    // Level with the journal: look again shortly. Reading two atomics costs nothing, and the
    // records that arrive meanwhile are indexed together, in one transaction.
    std::this_thread::sleep_for(50ms);
  }
}

}  // namespace spampot::pipeline
