#include "pipeline/indexer.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <fstream>

#include <nlohmann/json.hpp>
#include <thread>

#include "pipeline/campaigns.hpp"
#include "pipeline/rows.hpp"

namespace spampot::pipeline {

indexer::indexer(store::store& st, std::filesystem::path spool, std::string sensor, std::size_t batch)
    : store_(st), spool_(spool), reader_(std::move(spool)), sensor_(std::move(sensor)), batch_(batch) {}

void indexer::write_status(const capture::position& indexed, const capture::position& durable,
                           const std::string& error) {
  nlohmann::json j{{"sensor", sensor_},
                   {"updated_at", format_rfc3339(now_micros())},
                   {"store", error.empty() ? "ok" : "unreachable"},
                   {"error", error},
                   {"indexed", {{"segment", indexed.segment}, {"offset", indexed.offset}}},
                   {"spooled", {{"segment", durable.segment}, {"offset", durable.offset}}},
                   {"messages_indexed", stats_.messages},
                   {"sessions_indexed", stats_.sessions},
                   {"store_failures", stats_.store_failures}};
  // Written aside and renamed, so a reader never sees half a file.
  const auto tmp = spool_ / "status.json.tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  std::error_code ec;
  std::filesystem::rename(tmp, spool_ / "status.json", ec);
}

Status indexer::store_message(const capture::entry& rec, index_stats& batch) {
  auto m = message_from(rec);
  if (!m) {
    spdlog::error("spool record at {}:{}: {}", rec.at.segment, rec.at.offset, m.error());
    ++batch.damaged;
    return {};
  }
  auto added = store_.put_message(m->row);
  if (!added) return Error{added.error()};
  ++batch.messages;
  if (!*added) return {};  // indexed before, details and all
  if (auto c = assign_campaign(store_, m->details); !c) return c;
  return store_.put_details(m->details, m->row.received_at);
}

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
      Status stored;
      switch (rec.rec.type) {
        case capture::record_type::message:
          stored = store_message(rec, batch);
          break;
        case capture::record_type::session:
          stored = store_row(session_row_from(rec), &store::store::put_session, batch.sessions);
          break;
        case capture::record_type::http:
          stored = store_row(http_row_from(rec), &store::store::put_http_request, batch.http_requests);
          break;
      }
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
    done.http_requests += batch.http_requests;
    stats_.http_requests += batch.http_requests;
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
  std::string failing;  // the store's error while it fails
  auto last_status = std::chrono::steady_clock::time_point{};
  for (;;) {
    const bool stopping = stop.load();
    const capture::position end = j.durable_end();
    if (std::chrono::steady_clock::now() - last_status > 1s) {
      write_status(indexed, end, failing);
      last_status = std::chrono::steady_clock::now();
    }
    if (indexed < end) {
      auto r = catch_up(end);
      if (!r) {
        if (failing.empty()) {
          spdlog::error("index: the store fails ({}); mail is still accepted into the spool and "
                        "will be indexed when the store is back",
                        r.error());
        }
        failing = r.error();
        ++stats_.store_failures;
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
        write_status(indexed, end, failing);
      }
      continue;
    }
    if (stopping) {
      write_status(indexed, end, failing);
      return;
    }
    j.wait_beyond(indexed, 200ms);
  }
}

}  // namespace spampot::pipeline
