#include "store/sqlite/sqlite_store.hpp"

#include <sqlite3.h>

#include <string>
#include <variant>

#include "base/domain.hpp"
#include "base/text_list.hpp"
#include "store/search_sql.hpp"
#include "store/sqlite/migrations.hpp"

namespace spampot::store {

// A prepared statement with positional binds; every value from a peer goes through bind(), never
// into SQL text. A cached one (the hot inserts) is reset for reuse instead of finalized.
class stmt {
 public:
  stmt(sqlite3* db, std::string_view sql) {
    rc_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &s_, nullptr);
  }
  explicit stmt(sqlite3_stmt* cached)
      : s_(cached), rc_(cached ? SQLITE_OK : SQLITE_ERROR), owned_(false) {}
  ~stmt() {
    if (owned_) {
      sqlite3_finalize(s_);
    } else if (s_) {
      sqlite3_reset(s_);
      sqlite3_clear_bindings(s_);
    }
  }
  stmt(const stmt&) = delete;
  stmt& operator=(const stmt&) = delete;

  bool ok() const { return rc_ == SQLITE_OK; }
  stmt& bind(std::string_view v) {
    sqlite3_bind_text(s_, ++n_, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  stmt& bind(const char* v) { return bind(std::string_view(v)); }
  stmt& bind(std::int64_t v) {
    sqlite3_bind_int64(s_, ++n_, v);
    return *this;
  }
  stmt& bind_blob(const void* p, int n) {
    sqlite3_bind_blob(s_, ++n_, p, n, SQLITE_TRANSIENT);
    return *this;
  }
  stmt& bind_ip(std::string_view text) {
    if (auto ip = ip_address::parse(text)) return bind_blob(ip->bytes().data(), 16);
    sqlite3_bind_null(s_, ++n_);
    return *this;
  }
  stmt& bind_value(const spampot::store::bind_value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return bind(*i);
    if (const auto* t = std::get_if<std::string>(&v)) return bind(*t);
    return bind_blob(std::get<ip_address>(v).bytes().data(), 16);
  }
  int step() { return sqlite3_step(s_); }
  int columns() const { return sqlite3_column_count(s_); }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(s_, col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(sqlite3_column_bytes(s_, col)))
             : std::string();
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(s_, col); }

 private:
  sqlite3_stmt* s_ = nullptr;
  int rc_;
  bool owned_ = true;
  int n_ = 0;
};

namespace {

constexpr std::string_view kMessageColumns =
    "m.id, m.session_id, m.sensor, m.received_at, m.client_ip, m.client_port, m.helo, m.mail_from, "
    "m.mail_from_domain, m.size, m.sha256, m.spool_segment, m.spool_offset, m.message_id, m.date, "
    "m.subject, m.from_header, m.relay_attempt, m.flags, m.imported, m.source, "
    "(SELECT group_concat(address, char(10)) FROM (SELECT address FROM message_recipients r "
    " WHERE r.message_id = m.id ORDER BY position))";

message_row read_message(const stmt& q) {
  message_row m;
  m.id = q.text(0);
  m.session_id = q.text(1);
  m.sensor = q.text(2);
  m.received_at = q.integer(3);
  m.client_ip = q.text(4);
  m.client_port = static_cast<std::uint16_t>(q.integer(5));
  m.helo = q.text(6);
  m.mail_from = q.text(7);
  m.mail_from_domain = q.text(8);
  m.size = static_cast<std::uint64_t>(q.integer(9));
  m.sha256 = q.text(10);
  m.spool_segment = static_cast<std::uint32_t>(q.integer(11));
  m.spool_offset = static_cast<std::uint64_t>(q.integer(12));
  m.message_id = q.text(13);
  m.date = q.text(14);
  m.subject = q.text(15);
  m.from = q.text(16);
  m.relay_attempt = q.integer(17) != 0;
  m.flags = q.text(18);
  m.imported = q.integer(19) != 0;
  m.source = q.text(20);
  m.rcpt_to = split_list(q.text(21), '\n');
  return m;
}

}  // namespace

Result<std::unique_ptr<store>> sqlite_store::open(std::string_view path) {
  if (path.empty()) return Error{"empty SQLite path"};
  sqlite3* db = nullptr;
  const std::string p(path);
  if (sqlite3_open_v2(p.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Error{"cannot open SQLite database " + p + ": " + msg};
  }
  std::unique_ptr<sqlite_store> s(new sqlite_store(db));
  sqlite3_busy_timeout(db, 10000);
  if (auto r =
          s->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
      !r)
    return Error{"cannot set up " + p + ": " + r.error()};
  if (auto r = s->migrate(); !r) return Error{"cannot migrate " + p + ": " + r.error()};
  return std::unique_ptr<store>(std::move(s));
}

sqlite_store::~sqlite_store() {
  for (auto& [sql, s] : cache_) sqlite3_finalize(s);
  sqlite3_close(db_);
}

stmt sqlite_store::cached(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) return stmt(nullptr);
    it = cache_.emplace(sql, s).first;
  }
  return stmt(it->second);
}

Status sqlite_store::error(std::string_view what) {
  return Error{std::string(what) + ": " + sqlite3_errmsg(db_)};
}

Status sqlite_store::exec(std::string_view sql) {
  char* err = nullptr;
  const std::string s(sql);
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Error{msg};
  }
  return {};
}

Status sqlite_store::migrate() {
  if (auto r = exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                    "applied_at INTEGER NOT NULL)");
      !r)
    return r;
  std::int64_t current = 0;
  {
    stmt q(db_, "SELECT coalesce(max(version), 0) FROM schema_migrations");
    if (!q.ok() || q.step() != SQLITE_ROW) return error("reading schema version");
    current = q.integer(0);
  }
  const auto all = sqlite_migrations();
  if (!all.empty() && current > all.back().version)
    return Error{"database schema version " + std::to_string(current) +
                 " is newer than this spampot knows (" + std::to_string(all.back().version) + ")"};
  for (const auto& m : all) {
    if (m.version <= current) continue;
    if (auto r = exec("BEGIN IMMEDIATE"); !r) return r;
    if (auto r = exec(m.sql); !r) {
      rollback();
      return Error{"migration " + std::to_string(m.version) + ": " + r.error()};
    }
    stmt q(db_, "INSERT INTO schema_migrations VALUES (?, strftime('%s','now'))");
    q.bind(std::int64_t{m.version});
    if (q.step() != SQLITE_DONE) {
      rollback();
      return error("recording migration");
    }
    if (auto r = exec("COMMIT"); !r) return r;
  }
  // Version 5 added the harvest counters: count what an older store already holds.
  if (current > 0 && current < 5) return rebuild_harvest();
  return {};
}

Status sqlite_store::begin() {
  return exec("BEGIN IMMEDIATE");
}
Status sqlite_store::commit_transaction() {
  return exec("COMMIT");
}
void sqlite_store::rollback_transaction() {
  (void)exec("ROLLBACK");
}

Result<bool> sqlite_store::put_message(const message_row& m) {
  stmt q = cached(
      "INSERT OR IGNORE INTO messages (id, session_id, sensor, received_at, client_ip, "
      "client_ip_bin, "
      "client_port, helo, mail_from, mail_from_domain, size, sha256, spool_segment, spool_offset, "
      "message_id, date, subject, from_header, relay_attempt, flags, imported, source) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!q.ok()) return Error{error("preparing message insert").error()};
  q.bind(m.id)
      .bind(m.session_id)
      .bind(m.sensor)
      .bind(m.received_at)
      .bind(m.client_ip)
      .bind_ip(m.client_ip)
      .bind(std::int64_t{m.client_port})
      .bind(m.helo)
      .bind(m.mail_from)
      .bind(m.mail_from_domain)
      .bind(static_cast<std::int64_t>(m.size))
      .bind(m.sha256)
      .bind(std::int64_t{m.spool_segment})
      .bind(static_cast<std::int64_t>(m.spool_offset))
      .bind(m.message_id)
      .bind(m.date)
      .bind(m.subject)
      .bind(m.from)
      .bind(std::int64_t{m.relay_attempt})
      .bind(m.flags)
      .bind(std::int64_t{m.imported})
      .bind(m.source);
  if (q.step() != SQLITE_DONE) return Error{error("inserting message " + m.id).error()};
  if (sqlite3_changes(db_) == 0) return false;  // indexed before: nothing to add
  for (std::size_t i = 0; i < m.rcpt_to.size(); ++i) {
    stmt r = cached(
        "INSERT INTO message_recipients (message_id, position, address, domain, received_at) "
        "VALUES (?,?,?,?,?)");
    r.bind(m.id)
        .bind(static_cast<std::int64_t>(i))
        .bind(m.rcpt_to[i])
        .bind(domain_of(m.rcpt_to[i]))
        .bind(m.received_at);
    if (r.step() != SQLITE_DONE) return Error{error("inserting recipient of " + m.id).error()};
  }
  if (auto c = count_message(m); !c) return Error{c.error()};
  return true;
}

Result<bool> sqlite_store::put_session(const session_row& s) {
  stmt q = cached(
      "INSERT OR IGNORE INTO sessions (id, sensor, started_at, ended_at, client_ip, client_ip_bin, "
      "client_port, server_ip, server_port, helo, helo_verb, end_reason, commands, messages, "
      "errors, violations, transcript, imported, source, senders, tls_version, tls_cipher, "
      "tls_sni, ja3, ja4, ptr, fcrdns, dns_error) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!q.ok()) return Error{error("preparing session insert").error()};
  q.bind(s.id)
      .bind(s.sensor)
      .bind(s.started_at)
      .bind(s.ended_at)
      .bind(s.client_ip)
      .bind_ip(s.client_ip)
      .bind(std::int64_t{s.client_port})
      .bind(s.server_ip)
      .bind(std::int64_t{s.server_port})
      .bind(s.helo)
      .bind(s.helo_verb)
      .bind(s.end_reason)
      .bind(std::int64_t{s.commands})
      .bind(std::int64_t{s.messages})
      .bind(std::int64_t{s.errors})
      .bind(s.violations)
      .bind(s.transcript)
      .bind(std::int64_t{s.imported})
      .bind(s.source)
      .bind(join_list(s.senders, '\n'))
      .bind(s.tls_version)
      .bind(s.tls_cipher)
      .bind(s.tls_sni)
      .bind(s.ja3)
      .bind(s.ja4)
      .bind(s.ptr)
      .bind(std::int64_t{s.fcrdns})
      .bind(s.dns_error);
  if (q.step() != SQLITE_DONE) return Error{error("inserting session " + s.id).error()};
  if (sqlite3_changes(db_) == 0) return false;
  for (std::size_t i = 0; i < s.recipients.size(); ++i) {
    const auto& r = s.recipients[i];
    stmt q2 = cached("INSERT INTO recipients VALUES (?,?,?,?,?,?,?)");
    q2.bind(s.id)
        .bind(static_cast<std::int64_t>(i))
        .bind(r.address)
        .bind(domain_of(r.address))
        .bind(std::int64_t{r.accepted})
        .bind(std::int64_t{r.relay})
        .bind(r.reply);
    if (q2.step() != SQLITE_DONE)
      return Error{error("inserting recipient of session " + s.id).error()};
  }
  for (std::size_t i = 0; i < s.auth_attempts.size(); ++i) {
    const auto& a = s.auth_attempts[i];
    stmt q3 = cached("INSERT INTO auth_attempts VALUES (?,?,?,?,?,?)");
    q3.bind(s.id)
        .bind(static_cast<std::int64_t>(i))
        .bind(a.at)
        .bind(a.mechanism)
        .bind(a.username)
        .bind(a.password);
    if (q3.step() != SQLITE_DONE)
      return Error{error("inserting AUTH attempt of session " + s.id).error()};
  }
  if (auto c = count_session(s); !c) return Error{c.error()};
  return true;
}

Result<spool_checkpoint> sqlite_store::checkpoint(std::string_view sensor) {
  stmt q(db_, "SELECT segment, offset FROM spool_checkpoints WHERE sensor = ?");
  q.bind(sensor);
  const int rc = q.step();
  if (rc == SQLITE_DONE) return spool_checkpoint{};
  if (rc != SQLITE_ROW)
    return Error{"reading spool checkpoint: " + std::string(sqlite3_errmsg(db_))};
  return spool_checkpoint{static_cast<std::uint32_t>(q.integer(0)),
                          static_cast<std::uint64_t>(q.integer(1))};
}

Status sqlite_store::set_checkpoint(std::string_view sensor, const spool_checkpoint& c) {
  stmt q = cached(
      "INSERT INTO spool_checkpoints (sensor, segment, offset) VALUES (?, ?, ?) "
      "ON CONFLICT (sensor) DO UPDATE SET segment = excluded.segment, offset = excluded.offset");
  q.bind(sensor).bind(std::int64_t{c.segment}).bind(static_cast<std::int64_t>(c.offset));
  if (q.step() != SQLITE_DONE) return error("writing spool checkpoint");
  return {};
}

Result<std::vector<message_row>> sqlite_store::search(const search_filter& f) {
  const sql_filter filter = search_where(f, " COLLATE NOCASE");
  std::string sql = "SELECT " + std::string(kMessageColumns) + " FROM messages m WHERE " +
                    filter.where + " ORDER BY m.received_at DESC, m.id DESC";
  if (f.limit > 0) sql += " LIMIT " + std::to_string(f.limit);
  const auto& args = filter.args;

  stmt q(db_, sql);
  if (!q.ok()) return Error{"preparing search: " + std::string(sqlite3_errmsg(db_))};
  for (const auto& a : args) q.bind_value(a);
  std::vector<message_row> out;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) out.push_back(read_message(q));
  if (rc != SQLITE_DONE) return Error{"searching: " + std::string(sqlite3_errmsg(db_))};
  return out;
}

Result<std::optional<message_row>> sqlite_store::find_message(std::string_view id) {
  stmt q(db_, "SELECT " + std::string(kMessageColumns) + " FROM messages m WHERE m.id = ?");
  q.bind(id);
  const int rc = q.step();
  if (rc == SQLITE_ROW) return std::optional<message_row>(read_message(q));
  if (rc == SQLITE_DONE) return std::optional<message_row>();
  return Error{"reading message: " + std::string(sqlite3_errmsg(db_))};
}

namespace {

constexpr std::string_view kSessionColumns =
    "id, sensor, started_at, ended_at, client_ip, client_port, server_ip, server_port, helo, "
    "helo_verb, "
    "end_reason, commands, messages, errors, violations, transcript, imported, source, senders, "
    "tls_version, tls_cipher, tls_sni, ja3, ja4, ptr, fcrdns, dns_error";

}  // namespace

Result<std::vector<session_row>> sqlite_store::read_sessions(std::string_view where,
                                                             std::string_view arg,
                                                             std::size_t limit) {
  stmt q(db_, "SELECT " + std::string(kSessionColumns) + " FROM sessions WHERE " +
                  std::string(where) + " ORDER BY id LIMIT " + std::to_string(limit));
  q.bind(arg);
  std::vector<session_row> out;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) {
    session_row s;
    s.id = q.text(0);
    s.sensor = q.text(1);
    s.started_at = q.integer(2);
    s.ended_at = q.integer(3);
    s.client_ip = q.text(4);
    s.client_port = static_cast<std::uint16_t>(q.integer(5));
    s.server_ip = q.text(6);
    s.server_port = static_cast<std::uint16_t>(q.integer(7));
    s.helo = q.text(8);
    s.helo_verb = q.text(9);
    s.end_reason = q.text(10);
    s.commands = static_cast<std::uint32_t>(q.integer(11));
    s.messages = static_cast<std::uint32_t>(q.integer(12));
    s.errors = static_cast<std::uint32_t>(q.integer(13));
    s.violations = q.text(14);
    s.transcript = q.text(15);
    s.imported = q.integer(16) != 0;
    s.source = q.text(17);
    s.senders = split_list(q.text(18), '\n');
    s.tls_version = q.text(19);
    s.tls_cipher = q.text(20);
    s.tls_sni = q.text(21);
    s.ja3 = q.text(22);
    s.ja4 = q.text(23);
    s.ptr = q.text(24);
    s.fcrdns = q.integer(25) != 0;
    s.dns_error = q.text(26);
    out.push_back(std::move(s));
  }
  if (rc != SQLITE_DONE) return Error{"reading sessions: " + std::string(sqlite3_errmsg(db_))};
  for (auto& s : out) {
    stmt r(db_,
           "SELECT address, domain, accepted, relay, reply FROM recipients WHERE session_id = ? "
           "ORDER BY position");
    r.bind(s.id);
    while (r.step() == SQLITE_ROW)
      s.recipients.push_back(
          {r.text(0), r.text(1), r.integer(2) != 0, r.integer(3) != 0, r.text(4)});
    stmt a(db_,
           "SELECT at, mechanism, username, password FROM auth_attempts WHERE session_id = ? ORDER "
           "BY position");
    a.bind(s.id);
    while (a.step() == SQLITE_ROW)
      s.auth_attempts.push_back({a.integer(0), a.text(1), a.text(2), a.text(3)});
  }
  return out;
}

Result<std::optional<session_row>> sqlite_store::find_session(std::string_view id) {
  auto rows = read_sessions("id = ?", id, 1);
  if (!rows) return Error{rows.error()};
  if (rows->empty()) return std::optional<session_row>();
  return std::optional<session_row>(std::move(rows->front()));
}

Result<std::vector<session_row>> sqlite_store::sessions_after(std::string_view after_id,
                                                              std::size_t limit) {
  return read_sessions("id > ?", after_id, limit);
}

Result<std::vector<message_row>> sqlite_store::messages_after(std::string_view after_id,
                                                              std::size_t limit) {
  stmt q(db_, "SELECT " + std::string(kMessageColumns) +
                  " FROM messages m WHERE m.id > ? ORDER BY m.id LIMIT " + std::to_string(limit));
  q.bind(after_id);
  std::vector<message_row> out;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) out.push_back(read_message(q));
  if (rc != SQLITE_DONE) return Error{"reading messages: " + std::string(sqlite3_errmsg(db_))};
  return out;
}

Result<std::vector<std::pair<std::string, spool_checkpoint>>> sqlite_store::checkpoints() {
  stmt q(db_, "SELECT sensor, segment, offset FROM spool_checkpoints ORDER BY sensor");
  std::vector<std::pair<std::string, spool_checkpoint>> out;
  while (q.step() == SQLITE_ROW)
    out.emplace_back(q.text(0), spool_checkpoint{static_cast<std::uint32_t>(q.integer(1)),
                                                 static_cast<std::uint64_t>(q.integer(2))});
  return out;
}

Result<totals> sqlite_store::count() {
  stmt q(db_, "SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM sessions)");
  if (!q.ok() || q.step() != SQLITE_ROW)
    return Error{"counting: " + std::string(sqlite3_errmsg(db_))};
  return totals{static_cast<std::uint64_t>(q.integer(0)), static_cast<std::uint64_t>(q.integer(1))};
}

Status sqlite_store::clear(std::string_view sensor) {
  if (auto b = begin(); !b) return b;
  if (auto f = clear_forensics(sensor); !f) {
    rollback();
    return f;
  }
  const char* steps[] = {
      "DELETE FROM message_recipients WHERE message_id IN "
      "(SELECT id FROM messages WHERE imported = 0 AND sensor = ?)",
      "DELETE FROM messages WHERE imported = 0 AND sensor = ?",
      "DELETE FROM recipients WHERE session_id IN (SELECT id FROM sessions WHERE imported = 0 AND "
      "sensor = ?)",
      "DELETE FROM auth_attempts WHERE session_id IN (SELECT id FROM sessions WHERE imported = 0 "
      "AND sensor = ?)",
      "DELETE FROM sessions WHERE imported = 0 AND sensor = ?",
      // The seed page's requests and the seeds they minted are in the spool; seeds minted by
      // `spampot seed` are not, and stay.
      "DELETE FROM seeds WHERE source = 'page' AND sensor = ?",
      "DELETE FROM http_requests WHERE sensor = ?",
      "DELETE FROM spool_checkpoints WHERE sensor = ?",
  };
  for (const char* sql : steps) {
    stmt q(db_, sql);
    q.bind(sensor);
    if (q.step() != SQLITE_DONE) {
      const Status e = error("clearing the index");
      rollback();
      return e;
    }
  }
  if (auto c = commit(); !c) return c;
  return rebuild_harvest();
}

Result<std::uint64_t> sqlite_store::run(const std::string& sql,
                                        const std::vector<bind_value>& args) {
  stmt q = cached(sql);
  if (!q.ok()) return Error{error("preparing " + sql).error()};
  for (const auto& a : args) q.bind_value(a);
  if (q.step() != SQLITE_DONE) return Error{error("running " + sql).error()};
  return static_cast<std::uint64_t>(sqlite3_changes(db_));
}

Result<store::sql_rows> sqlite_store::rows(const std::string& sql,
                                           const std::vector<bind_value>& args) {
  stmt q = cached(sql);
  if (!q.ok()) return Error{error("preparing " + sql).error()};
  for (const auto& a : args) q.bind_value(a);
  sql_rows out;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) {
    std::vector<std::string> row(static_cast<std::size_t>(q.columns()));
    for (int i = 0; i < q.columns(); ++i) row[static_cast<std::size_t>(i)] = q.text(i);
    out.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) return Error{error("reading " + sql).error()};
  return out;
}

}  // namespace spampot::store
