#include "pipeline/indexer.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <thread>

#include "pipeline/rows.hpp"

namespace spampot::pipeline {

indexer::indexer(store::store& st, std::filesystem::path spool, std::string sensor, std::size_t batch)
    : store_(st), reader_(std::move(spool)), sensor_(std::move(sensor)), batch_(batch) {}

Result<index_stats> indexer::catch_up(capture::position end,
                                      const std::function<void(const index_stats&)>& progress) {
  auto cp = store_.checkpoint(sensor_);
  if (!cp) return Error{cp.error()};
  capture::position cursor{cp->segment, cp->offset};
  index_stats done;
  while (cursor < end) {
    if (auto s = store_.begin(); !s) return Error{s.error()};
    index_stats batch;
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
      const capture::entry& rec = **e;
      // A record that cannot be read is counted and skipped; only a store failure stops the batch.
      auto store_row = [&](auto row, auto put, std::uint64_t& counter) -> Status {
        if (!row) {
          spdlog::error("spool record at {}:{}: {}", rec.at.segment, rec.at.offset, row.error());
          ++batch.damaged;
          return {};
        }
        if (auto s = (store_.*put)(*row); !s.ok()) return Error{s.error()};
        ++counter;
        return {};
      };
      const Status stored = rec.rec.type == capture::record_type::message
                                ? store_row(message_row_from(rec), &store::store::put_message, batch.messages)
                                : store_row(session_row_from(rec), &store::store::put_session, batch.sessions);
      if (!stored) {
        store_.rollback();
        return Error{stored.error()};
      }
      cursor = rec.next;
    }
    if (auto s = store_.set_checkpoint(sensor_, {cursor.segment, cursor.offset}); !s) {
      store_.rollback();
      return Error{s.error()};
    }
    if (auto s = store_.commit(); !s) {
      store_.rollback();
      return Error{s.error()};
    }
    done.messages += batch.messages;
    done.sessions += batch.sessions;
    done.damaged += batch.damaged;
    stats_.messages += batch.messages;
    stats_.sessions += batch.sessions;
    stats_.damaged += batch.damaged;
    if (progress) progress(done);
    if (n < batch_ && batch.damaged == 0) break;  // reached the end
  }
  return done;
}

void indexer::follow(const capture::journal& j, const std::atomic<bool>& stop) {
  using namespace std::chrono_literals;
  auto backoff = 100ms;
  capture::position indexed{0, 0};
  for (;;) {
    const bool stopping = stop.load();
    const capture::position end = j.durable_end();
    if (indexed < end) {
      auto r = catch_up(end);
      if (!r) {
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
      continue;
    }
    if (stopping) return;
    j.wait_beyond(indexed, 200ms);
  }
}

}  // namespace spampot::pipeline
