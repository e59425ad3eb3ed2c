#include "store/store.hpp"

#include "base/text_list.hpp"
#include "store/mysql/mysql_connection.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace spampot::store {

std::optional<std::filesystem::path> sqlite_file_of(std::string_view url) {
  if (url.starts_with("sqlite:")) return std::filesystem::path(url.substr(7));
  if (url.find("://") != std::string_view::npos) return std::nullopt;
  return std::filesystem::path(url);
}

Result<std::unique_ptr<store>> open(std::string_view url, reach when) {
  Result<std::unique_ptr<sql::connection>> conn = Error{""};
  if (url.starts_with("mysql://") || url.starts_with("mariadb://")) {
    conn = mysql_connection::open(url, when == reach::later);
  } else if (const auto file = sqlite_file_of(url)) {
    conn = sqlite_connection::open(file->string());
  } else {
    return Error{"unknown store URL scheme in " + redact_url(url) + " (use sqlite:PATH or mysql://...)"};
  }
  if (!conn) return conn.failure();
  return std::make_unique<store>(std::move(conn).value());
}

std::string redact_url(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const auto at = url.find('@', scheme + 3);
  const auto colon = url.find(':', scheme + 3);
  if (at == std::string_view::npos || colon == std::string_view::npos || colon > at) return std::string(url);
  return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

Result<std::uint64_t> store::run(const std::string& sql, const std::vector<bind_value>& args) {
  return conn_->run(sql, args);
}

Result<store::sql_rows> store::rows(const std::string& sql, const std::vector<bind_value>& args) {
  return conn_->query(sql, args);
}

Result<std::uint64_t> store::insert(std::string_view table, std::vector<field> fields,
                                    std::vector<std::string>& problems, bool ignore) {
  std::string sql = "INSERT INTO " + std::string(table) + " (";
  std::string values;
  std::vector<bind_value> args;
  args.reserve(fields.size());
  for (auto& f : fields) {
    if (auto* text = std::get_if<std::string>(&f.value)) fit_column(table, f.column, *text, problems);
    if (!args.empty()) {
      sql += ", ";
      values += ",";
    }
    sql += '`';
    sql += f.column;
    sql += '`';
    values += '?';
    args.push_back(std::move(f.value));
  }
  sql += ") VALUES (" + values + ")";
  if (ignore && !fields.empty()) sql += dialect().ignore_duplicate(fields.front().column);
  return run(sql, args);
}

Status store::record_spool(std::string_view sensor, std::string_view path, Micros at) {
  std::vector<std::string> fitted;
  std::string p(path);
  fit_column("sensor_spools", "spool", p, fitted);
  auto r = run("INSERT INTO sensor_spools (sensor, spool, recorded_at) VALUES (?, ?, ?)" + upsert("sensor") +
                   "spool = " + excluded("spool") + ", recorded_at = " + excluded("recorded_at"),
               {std::string(sensor), p, at});
  if (!r) return r.failure();
  return {};
}

Result<std::optional<std::string>> store::recorded_spool(std::string_view sensor) {
  auto got = rows("SELECT spool FROM sensor_spools WHERE sensor = ?", {std::string(sensor)});
  if (!got) return got.failure();
  if (got->empty()) return std::optional<std::string>{};
  return std::optional<std::string>{got->front()[0]};
}

Status store::quarantine(const quarantined_row& q) {
  std::vector<std::string> ignored;
  auto r = insert("quarantine",
                  {{"sensor", q.sensor},
                   {"segment", std::int64_t{q.at.segment}},
                   {"offset", static_cast<std::int64_t>(q.at.offset)},
                   {"record_kind", q.record_kind},
                   {"record_id", q.record_id},
                   {"error", q.error},
                   {"quarantined_at", q.quarantined_at},
                   {"attempts", std::int64_t{1}}},
                  ignored, true);
  if (!r) return r.failure();
  if (*r > 0) return {};
  // Quarantined before (a retry that failed again): the newest error, one more attempt.
  std::string error = q.error;
  fit_column("quarantine", "error", error, ignored);
  auto u = run("UPDATE quarantine SET error = ?, quarantined_at = ?, attempts = attempts + 1 "
               "WHERE sensor = ? AND segment = ? AND `offset` = ?",
               {error, q.quarantined_at, q.sensor, std::int64_t{q.at.segment}, static_cast<std::int64_t>(q.at.offset)});
  if (!u) return u.failure();
  return {};
}

Result<std::vector<quarantined_row>> store::quarantined(std::string_view sensor) {
  auto got = rows("SELECT sensor, segment, `offset`, record_kind, record_id, error, quarantined_at, attempts "
                  "FROM quarantine WHERE sensor = ? ORDER BY segment, `offset`",
                  {std::string(sensor)});
  if (!got) return got.failure();
  std::vector<quarantined_row> out;
  for (const auto& r : *got)
    out.push_back({r[0], {static_cast<std::uint32_t>(column_int(r[1])), column_uint(r[2])}, r[3], r[4], r[5],
                   column_int(r[6]), column_uint(r[7])});
  return out;
}

Status store::release_quarantined(std::string_view sensor, const spool_checkpoint& at) {
  auto r = run("DELETE FROM quarantine WHERE sensor = ? AND segment = ? AND `offset` = ?",
               {std::string(sensor), std::int64_t{at.segment}, static_cast<std::int64_t>(at.offset)});
  if (!r) return r.failure();
  return {};
}

Result<std::uint64_t> store::count_quarantined() {
  auto got = rows("SELECT count(*) FROM quarantine", {});
  if (!got || got->empty()) return Error{"counting quarantined records: " + got.error(), got.kind()};
  return column_uint(got->front()[0]);
}

}  // namespace spampot::store
