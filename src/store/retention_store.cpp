// What retention dropped, written and read the same way by every backend.
#include <array>
#include <span>

#include "store/column_number.hpp"
#include "store/store.hpp"

namespace spampot::store {
namespace {

using E = expired_segment_row;
constexpr std::array<column<E>, 6> kExpired{{
    {"sensor", &E::sensor}, {"segment", &E::segment}, {"bytes", &E::bytes},
    {"newest_at", &E::newest_at}, {"reason", &E::reason}, {"expired_at", &E::expired_at},
}};
const std::string kExpiredColumns = column_names<E>(kExpired);

using R = deleted_rows_row;
constexpr std::array<column<R>, 6> kDeleted{{
    {"sensor", &R::sensor}, {"deleted_at", &R::deleted_at}, {"older_than", &R::older_than},
    {"messages", &R::messages}, {"sessions", &R::sessions}, {"http_requests", &R::http_requests},
}};

std::string placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
  return out;
}

}  // namespace

Status store::expire_segment(const expired_segment_row& e) {
  std::vector<std::string> ignored;
  auto r = insert("expired_segments", fields_of<E>(e, kExpired), ignored, true);
  if (!r) return r.failure();
  return {};
}

Result<std::optional<expired_segment_row>> store::expired_segment(std::string_view sensor, std::uint32_t segment) {
  auto got = rows("SELECT " + kExpiredColumns + " FROM expired_segments WHERE sensor = ? AND segment = ?",
                  {std::string(sensor), std::int64_t{segment}});
  if (!got) return got.failure();
  if (got->empty()) return std::optional<expired_segment_row>{};
  expired_segment_row e;
  read_row<E>(e, got->front(), kExpired);
  return std::optional<expired_segment_row>{e};
}

Result<std::optional<expired_segment_row>> store::last_expired_segment(std::string_view sensor) {
  auto got = rows("SELECT " + kExpiredColumns + " FROM expired_segments WHERE sensor = ? ORDER BY segment DESC LIMIT 1",
                  {std::string(sensor)});
  if (!got) return got.failure();
  if (got->empty()) return std::optional<expired_segment_row>{};
  expired_segment_row e;
  read_row<E>(e, got->front(), kExpired);
  return std::optional<expired_segment_row>{e};
}

Result<deleted_rows_row> store::delete_rows_before(std::string_view sensor, Micros older_than, Micros now,
                                                   std::size_t batch) {
  deleted_rows_row done{std::string(sensor), now, older_than, 0, 0, 0};
  // Each step takes the ids of up to `batch` old rows, deletes what hangs on them, then them,
  // in one short transaction: a big first pass never holds the writers off for long.
  struct step {
    const char* select;
    std::vector<const char*> children;
    const char* table;
    std::uint64_t deleted_rows_row::*count;
  };
  const step steps[] = {
      {"SELECT id FROM messages WHERE sensor = ? AND received_at < ? LIMIT ?",
       {"DELETE FROM message_recipients WHERE message_id IN ", "DELETE FROM message_urls WHERE message_id IN ",
        "DELETE FROM message_attachments WHERE message_id IN ", "DELETE FROM received_hops WHERE message_id IN ",
        "DELETE FROM message_details WHERE id IN ", "DELETE FROM message_raw WHERE id IN "},
       "DELETE FROM messages WHERE id IN ", &deleted_rows_row::messages},
      {"SELECT id FROM sessions WHERE sensor = ? AND ended_at < ? LIMIT ?",
       {"DELETE FROM recipients WHERE session_id IN ", "DELETE FROM auth_attempts WHERE session_id IN "},
       "DELETE FROM sessions WHERE id IN ", &deleted_rows_row::sessions},
      {"SELECT id FROM http_requests WHERE sensor = ? AND at < ? LIMIT ?", {}, "DELETE FROM http_requests WHERE id IN ",
       &deleted_rows_row::http_requests},
  };
  for (const auto& s : steps) {
    for (;;) {
      transaction tx(*this);
      if (!tx.begun()) return tx.begun().failure();
      auto ids = rows(s.select, {std::string(sensor), older_than, static_cast<std::int64_t>(batch)});
      if (!ids) return ids.failure();
      if (ids->empty()) break;
      std::vector<bind_value> args;
      for (const auto& r : *ids) args.emplace_back(r[0]);
      const std::string in = "(" + placeholders(args.size()) + ")";
      for (const char* child : s.children)
        if (auto r = run(child + in, args); !r) return r.failure();
      auto r = run(s.table + in, args);
      if (!r) return r.failure();
      if (auto c = tx.commit(); !c) return c.failure();
      done.*(s.count) += *r;
      if (ids->size() < batch) break;
    }
  }
  if (done.messages + done.sessions + done.http_requests > 0) {
    std::vector<std::string> ignored;
    if (auto r = insert("deleted_rows", fields_of<R>(done, kDeleted), ignored); !r) return r.failure();
  }
  return done;
}

Result<retention_totals> store::count_retention() {
  retention_totals t;
  auto e = rows("SELECT count(*), COALESCE(sum(bytes), 0) FROM expired_segments", {});
  if (!e || e->empty()) return Error{"counting expired segments: " + e.error(), e.kind()};
  t.segments = column_uint(e->front()[0]);
  t.bytes = column_uint(e->front()[1]);
  auto d = rows("SELECT COALESCE(sum(messages), 0), COALESCE(sum(sessions), 0), COALESCE(sum(http_requests), 0) "
                "FROM deleted_rows",
                {});
  if (!d || d->empty()) return Error{"counting deleted rows: " + d.error(), d.kind()};
  t.messages = column_uint(d->front()[0]);
  t.sessions = column_uint(d->front()[1]);
  t.http_requests = column_uint(d->front()[2]);
  return t;
}

}  // namespace spampot::store
