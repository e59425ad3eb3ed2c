#include "store/mysql/mysql_store.hpp"

#include <errmsg.h>
#include <mysql.h>

#include <cstdlib>
#include <deque>
#include <vector>

#include "base/domain.hpp"
#include "base/ip_address.hpp"
#include "store/column_number.hpp"
#include "base/text_list.hpp"
#include "store/mysql/mysql_migrations.hpp"
#include "store/search_sql.hpp"

namespace spampot::store {

// A prepared statement: positional binds in, rows of byte strings out (numbers are converted by
// the caller), so no value ever becomes part of the SQL text.
class mysql_statement {
 public:
  mysql_statement(MYSQL* db, std::string_view sql) : s_(mysql_stmt_init(db)) {
    ok_ = s_ && mysql_stmt_prepare(s_, sql.data(), sql.size()) == 0;
  }
  ~mysql_statement() {
    if (s_) mysql_stmt_close(s_);
  }
  mysql_statement(const mysql_statement&) = delete;
  mysql_statement& operator=(const mysql_statement&) = delete;

  bool ok() const { return ok_; }
  std::string error() const { return s_ ? mysql_stmt_error(s_) : "out of memory"; }
  unsigned error_number() const { return s_ ? mysql_stmt_errno(s_) : 0; }

  mysql_statement& reset() {
    texts_.clear();
    ints_.clear();
    params_.clear();
    return *this;
  }
  mysql_statement& bind(std::string_view v) {
    texts_.emplace_back(v);
    add(MYSQL_TYPE_STRING, texts_.back().data(), texts_.back().size());
    return *this;
  }
  mysql_statement& bind(std::int64_t v) {
    ints_.push_back(v);
    add(MYSQL_TYPE_LONGLONG, &ints_.back(), sizeof(std::int64_t));
    return *this;
  }
  mysql_statement& bind_blob(const void* p, std::size_t n) {
    texts_.emplace_back(static_cast<const char*>(p), n);
    add(MYSQL_TYPE_BLOB, texts_.back().data(), n);
    return *this;
  }
  mysql_statement& bind_ip(std::string_view text) {
    if (auto ip = ip_address::parse(text)) return bind_blob(ip->bytes().data(), 16);
    add(MYSQL_TYPE_NULL, nullptr, 0);
    return *this;
  }

  // Runs the statement; for a query, fetches every row.
  bool execute(std::vector<std::vector<std::string>>* rows = nullptr) {
    std::vector<MYSQL_BIND> b(params_.size());
    for (std::size_t i = 0; i < params_.size(); ++i) {
      b[i].buffer_type = params_[i].type;
      b[i].buffer = params_[i].data;
      b[i].buffer_length = params_[i].size;
      b[i].length = &params_[i].size;
    }
    if ((!b.empty() && mysql_stmt_bind_param(s_, b.data()) != 0) || mysql_stmt_execute(s_) != 0)
      return false;
    if (!rows) return true;
    MYSQL_RES* meta = mysql_stmt_result_metadata(s_);
    if (!meta) return true;
    const unsigned n = mysql_num_fields(meta);
    mysql_free_result(meta);
    if (mysql_stmt_store_result(s_) != 0) return false;
    std::vector<MYSQL_BIND> out(n);
    std::vector<unsigned long> lens(n);
    std::vector<my_bool> nulls(n);
    for (unsigned i = 0; i < n; ++i) {
      out[i].buffer_type = MYSQL_TYPE_STRING;
      out[i].length = &lens[i];
      out[i].is_null = &nulls[i];
    }
    if (mysql_stmt_bind_result(s_, out.data()) != 0) return false;
    for (;;) {
      const int rc = mysql_stmt_fetch(s_);
      if (rc == MYSQL_NO_DATA) break;
      if (rc == 1) return false;
      std::vector<std::string> row(n);
      for (unsigned i = 0; i < n; ++i) {
        if (nulls[i] || lens[i] == 0) continue;
        row[i].resize(lens[i]);
        MYSQL_BIND col{};
        col.buffer_type = MYSQL_TYPE_STRING;
        col.buffer = row[i].data();
        col.buffer_length = lens[i];
        if (mysql_stmt_fetch_column(s_, &col, i, 0) != 0) return false;
      }
      rows->push_back(std::move(row));
    }
    mysql_stmt_free_result(s_);
    return true;
  }

  std::uint64_t affected() const { return mysql_stmt_affected_rows(s_); }

 private:
  struct param {
    enum_field_types type;
    void* data;
    unsigned long size;
  };
  void add(enum_field_types t, void* p, std::size_t n) {
    params_.push_back({t, p, static_cast<unsigned long>(n)});
  }

  MYSQL_STMT* s_;
  bool ok_ = false;
  std::deque<std::string> texts_;  // deque: binds keep pointing at their values as more are added
  std::deque<std::int64_t> ints_;
  std::vector<param> params_;
};

namespace {

bool connection_lost(unsigned code) {
  return code == CR_SERVER_GONE_ERROR || code == CR_SERVER_LOST || code == CR_CONNECTION_ERROR ||
         code == CR_CONN_HOST_ERROR || code == 1927 /* ER_CONNECTION_KILLED */ || code == 4031;
}

constexpr const char* kMessageColumns =
    "m.id, m.session_id, m.sensor, m.received_at, m.client_ip, m.client_port, m.helo, m.mail_from, "
    "m.mail_from_domain, m.size, m.sha256, m.spool_segment, m.spool_offset, m.message_id, "
    "m.`date`, "
    "m.subject, m.from_header, m.relay_attempt, m.flags, m.imported, m.source, "
    "(SELECT GROUP_CONCAT(r.address ORDER BY r.position SEPARATOR '\\n') FROM message_recipients r "
    " WHERE r.message_id = m.id)";

void bind_all(mysql_statement& q, const std::vector<bind_value>& args) {
  for (const auto& a : args) {
    if (const auto* i = std::get_if<std::int64_t>(&a)) {
      q.bind(*i);
    } else if (const auto* t = std::get_if<std::string>(&a)) {
      q.bind(*t);
    } else {
      q.bind_blob(std::get<ip_address>(a).bytes().data(), 16);
    }
  }
}

message_row read_message(const std::vector<std::string>& r) {
  message_row m;
  m.id = r[0];
  m.session_id = r[1];
  m.sensor = r[2];
  m.received_at = column_int(r[3]);
  m.client_ip = r[4];
  m.client_port = static_cast<std::uint16_t>(column_int(r[5]));
  m.helo = r[6];
  m.mail_from = r[7];
  m.mail_from_domain = r[8];
  m.size = static_cast<std::uint64_t>(column_int(r[9]));
  m.sha256 = r[10];
  m.spool_segment = static_cast<std::uint32_t>(column_int(r[11]));
  m.spool_offset = static_cast<std::uint64_t>(column_int(r[12]));
  m.message_id = r[13];
  m.date = r[14];
  m.subject = r[15];
  m.from = r[16];
  m.relay_attempt = column_int(r[17]) != 0;
  m.flags = r[18];
  m.imported = column_int(r[19]) != 0;
  m.source = r[20];
  m.rcpt_to = split_list(r[21], '\n');
  return m;
}

}  // namespace

Result<std::unique_ptr<store>> mysql_store::open(std::string_view url, bool lazy) {
  const char* env = std::getenv("SPAMPOT_DB_PASSWORD");
  auto parsed = parse_mysql_url(url, env ? env : "");
  if (!parsed) return Error{parsed.error()};
  std::unique_ptr<mysql_store> s(new mysql_store(std::move(parsed).value()));
  if (auto c = s->ensure_connected(); !c && !lazy)
    return Error{"cannot open " + redact_url(url) + ": " + c.error()};
  return std::unique_ptr<store>(std::move(s));
}

mysql_store::mysql_store(mysql_url url) : url_(std::move(url)) {}

mysql_store::~mysql_store() {
  cache_.clear();
  if (db_) mysql_close(db_);
}

Status mysql_store::connect() {
  cache_.clear();
  if (db_) mysql_close(db_);
  db_ = mysql_init(nullptr);
  if (!db_) return Error{"out of memory"};
  const unsigned timeout = 10;
  mysql_options(db_, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  mysql_options(db_, MYSQL_OPT_READ_TIMEOUT, &timeout);
  mysql_options(db_, MYSQL_OPT_WRITE_TIMEOUT, &timeout);
  mysql_options(db_, MYSQL_SET_CHARSET_NAME, "latin1");
  const char* host = url_.socket.empty() ? url_.host.c_str() : nullptr;
  if (!mysql_real_connect(db_, host, url_.user.c_str(), url_.password.c_str(),
                          url_.database.c_str(), url_.port,
                          url_.socket.empty() ? nullptr : url_.socket.c_str(), 0)) {
    const std::string msg = mysql_error(db_);
    mysql_close(db_);
    db_ = nullptr;
    broken_ = true;
    return Error{"cannot connect to MariaDB at " +
                 (url_.socket.empty() ? url_.host + ":" + std::to_string(url_.port) : url_.socket) +
                 ": " + msg};
  }
  broken_ = false;
  // Recipient lists are joined with GROUP_CONCAT, whose default cap is 1 KiB; the read and
  // isolation settings make a search see what other sensors committed.
  return query(
      "SET SESSION group_concat_max_len = 16777216, SESSION sql_mode = 'STRICT_ALL_TABLES'");
}

Status mysql_store::ensure_connected() {
  if (db_ && !broken_ && migrated_) return {};
  if (!db_ || broken_) {
    if (auto c = connect(); !c) return c;
  }
  if (!migrated_) {
    if (auto m = migrate(); !m) return Error{"cannot migrate: " + m.error()};
    migrated_ = true;
  }
  if (recount_) {
    recount_ = false;
    if (auto r = rebuild_harvest(); !r) return Error{"cannot count the harvest: " + r.error()};
  }
  return {};
}

Error mysql_store::failure(std::string_view what) {
  const unsigned code = db_ ? mysql_errno(db_) : 0;
  if (!db_ || connection_lost(code)) broken_ = true;
  return Error{std::string(what) + ": " + (db_ ? mysql_error(db_) : "not connected")};
}

Status mysql_store::query(std::string_view sql) {
  if (mysql_real_query(db_, sql.data(), sql.size()) != 0) return failure("query failed");
  // Multi-statement results are not used; drain any result set so the connection stays usable.
  if (MYSQL_RES* r = mysql_store_result(db_)) mysql_free_result(r);
  return {};
}

mysql_statement& mysql_store::prepared(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end())
    it = cache_.emplace(sql, std::make_unique<mysql_statement>(db_, sql)).first;
  return it->second->reset();
}

Status mysql_store::migrate() {
  // Two sensors starting at once must not both migrate: a named lock serialises them.
  if (auto s = query("SELECT GET_LOCK('spampot_migrate', 60)"); !s) return s;
  auto release = [&] { (void)query("SELECT RELEASE_LOCK('spampot_migrate')"); };
  if (auto s = query("CREATE TABLE IF NOT EXISTS schema_migrations (version INT PRIMARY KEY, "
                     "applied_at BIGINT NOT NULL)");
      !s) {
    release();
    return s;
  }
  mysql_statement q(db_, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  std::vector<std::vector<std::string>> rows;
  if (!q.ok() || !q.execute(&rows) || rows.empty()) {
    release();
    return Error{"reading schema version: " + q.error()};
  }
  const std::int64_t current = column_int(rows[0][0]);
  const auto all = mysql_migrations();
  if (current > all.back().version) {
    release();
    return Error{"database schema version " + std::to_string(current) +
                 " is newer than this spampot knows"};
  }
  for (const auto& m : all) {
    if (m.version <= current) continue;
    // DDL commits implicitly in MariaDB, so each statement runs on its own; a failure leaves the
    // version unrecorded and the next start retries from the statement that failed.
    std::string_view sql = m.sql;
    while (!sql.empty()) {
      const auto semi = sql.find(";\n");
      std::string_view one = sql.substr(0, semi);
      sql = semi == std::string_view::npos ? std::string_view() : sql.substr(semi + 2);
      while (!one.empty() && (one.front() == '\n' || one.front() == ' ')) one.remove_prefix(1);
      if (one.empty()) continue;
      if (auto s = query(one); !s) {
        release();
        return Error{"migration " + std::to_string(m.version) + ": " + s.error()};
      }
    }
    mysql_statement rec(db_, "INSERT INTO schema_migrations VALUES (?, UNIX_TIMESTAMP())");
    rec.bind(std::int64_t{m.version});
    if (!rec.execute()) {
      release();
      return Error{"recording migration: " + rec.error()};
    }
  }
  release();
  recount_ = current > 0 && current < 5;
  return {};
}

Status mysql_store::begin() {
  if (auto c = ensure_connected(); !c) return c;
  return query("START TRANSACTION");
}

Status mysql_store::commit_transaction() {
  return query("COMMIT");
}

void mysql_store::rollback_transaction() {
  if (db_ && !broken_) (void)query("ROLLBACK");
}

Result<bool> mysql_store::put_message(const message_row& m) {
  auto& q = prepared(
      "INSERT IGNORE INTO messages (id, session_id, sensor, received_at, client_ip, client_ip_bin, "
      "client_port, helo, "
      "mail_from, mail_from_domain, size, sha256, spool_segment, spool_offset, message_id, `date`, "
      "subject, "
      "from_header, relay_attempt, flags, imported, source) VALUES "
      "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!q.ok()) return failure("preparing message insert: " + q.error());
  q.bind(m.id)
      .bind(m.session_id)
      .bind(m.sensor)
      .bind(m.received_at)
      .bind(m.client_ip)
      .bind_ip(m.client_ip);
  q.bind(std::int64_t{m.client_port}).bind(m.helo).bind(m.mail_from).bind(m.mail_from_domain);
  q.bind(static_cast<std::int64_t>(m.size)).bind(m.sha256).bind(std::int64_t{m.spool_segment});
  q.bind(static_cast<std::int64_t>(m.spool_offset))
      .bind(m.message_id)
      .bind(m.date)
      .bind(m.subject)
      .bind(m.from);
  q.bind(std::int64_t{m.relay_attempt}).bind(m.flags).bind(std::int64_t{m.imported}).bind(m.source);
  if (!q.execute()) {
    if (connection_lost(q.error_number())) broken_ = true;
    return Error{"inserting message " + m.id + ": " + q.error()};
  }
  if (q.affected() == 0) return false;
  for (std::size_t i = 0; i < m.rcpt_to.size(); ++i) {
    auto& r = prepared(
        "INSERT IGNORE INTO message_recipients (message_id, position, address, domain, "
        "received_at) VALUES (?,?,?,?,?)");
    r.bind(m.id)
        .bind(static_cast<std::int64_t>(i))
        .bind(m.rcpt_to[i])
        .bind(domain_of(m.rcpt_to[i]))
        .bind(m.received_at);
    if (!r.execute()) return Error{"inserting recipient of " + m.id + ": " + r.error()};
  }
  if (auto c = count_message(m); !c) return Error{c.error()};
  return true;
}

Result<bool> mysql_store::put_session(const session_row& s) {
  auto& q = prepared(
      "INSERT IGNORE INTO sessions (id, sensor, started_at, ended_at, client_ip, client_ip_bin, "
      "client_port, "
      "server_ip, server_port, helo, helo_verb, end_reason, commands, messages, errors, "
      "violations, transcript, "
      "imported, source, senders, tls_version, tls_cipher, tls_sni, ja3, ja4, ptr, fcrdns, "
      "dns_error) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!q.ok()) return failure("preparing session insert: " + q.error());
  q.bind(s.id)
      .bind(s.sensor)
      .bind(s.started_at)
      .bind(s.ended_at)
      .bind(s.client_ip)
      .bind_ip(s.client_ip);
  q.bind(std::int64_t{s.client_port})
      .bind(s.server_ip)
      .bind(std::int64_t{s.server_port})
      .bind(s.helo);
  q.bind(s.helo_verb)
      .bind(s.end_reason)
      .bind(std::int64_t{s.commands})
      .bind(std::int64_t{s.messages});
  q.bind(std::int64_t{s.errors})
      .bind(s.violations)
      .bind(s.transcript)
      .bind(std::int64_t{s.imported})
      .bind(s.source);
  q.bind(join_list(s.senders, '\n')).bind(s.tls_version).bind(s.tls_cipher).bind(s.tls_sni);
  q.bind(s.ja3).bind(s.ja4).bind(s.ptr).bind(std::int64_t{s.fcrdns}).bind(s.dns_error);
  if (!q.execute()) {
    if (connection_lost(q.error_number())) broken_ = true;
    return Error{"inserting session " + s.id + ": " + q.error()};
  }
  if (q.affected() == 0) return false;
  for (std::size_t i = 0; i < s.recipients.size(); ++i) {
    const auto& r = s.recipients[i];
    auto& q2 = prepared("INSERT IGNORE INTO recipients VALUES (?,?,?,?,?,?,?)");
    q2.bind(s.id).bind(static_cast<std::int64_t>(i)).bind(r.address).bind(domain_of(r.address));
    q2.bind(std::int64_t{r.accepted}).bind(std::int64_t{r.relay}).bind(r.reply);
    if (!q2.execute()) return Error{"inserting recipient of session " + s.id + ": " + q2.error()};
  }
  for (std::size_t i = 0; i < s.auth_attempts.size(); ++i) {
    const auto& a = s.auth_attempts[i];
    auto& q3 = prepared("INSERT IGNORE INTO auth_attempts VALUES (?,?,?,?,?,?)");
    q3.bind(s.id)
        .bind(static_cast<std::int64_t>(i))
        .bind(a.at)
        .bind(a.mechanism)
        .bind(a.username)
        .bind(a.password);
    if (!q3.execute())
      return Error{"inserting AUTH attempt of session " + s.id + ": " + q3.error()};
  }
  if (auto c = count_session(s); !c) return Error{c.error()};
  return true;
}

Result<spool_checkpoint> mysql_store::checkpoint(std::string_view sensor) {
  if (auto c = ensure_connected(); !c) return Error{c.error()};
  auto& q = prepared("SELECT segment, `offset` FROM spool_checkpoints WHERE sensor = ?");
  if (!q.ok()) return failure("preparing checkpoint read: " + q.error());
  q.bind(sensor);
  std::vector<std::vector<std::string>> rows;
  if (!q.execute(&rows)) {
    if (connection_lost(q.error_number())) broken_ = true;
    return Error{"reading spool checkpoint: " + q.error()};
  }
  if (rows.empty()) return spool_checkpoint{};
  return spool_checkpoint{static_cast<std::uint32_t>(column_int(rows[0][0])),
                          static_cast<std::uint64_t>(column_int(rows[0][1]))};
}

Status mysql_store::set_checkpoint(std::string_view sensor, const spool_checkpoint& c) {
  auto& q = prepared(
      "INSERT INTO spool_checkpoints (sensor, segment, `offset`) VALUES (?, ?, ?) "
      "ON DUPLICATE KEY UPDATE segment = VALUES(segment), `offset` = VALUES(`offset`)");
  q.bind(sensor).bind(std::int64_t{c.segment}).bind(static_cast<std::int64_t>(c.offset));
  if (!q.execute()) return Error{"writing spool checkpoint: " + q.error()};
  return {};
}

Result<std::vector<message_row>> mysql_store::messages_where(const std::string& where,
                                                             const std::vector<bind_value>& args,
                                                             std::size_t limit) {
  if (auto c = ensure_connected(); !c) return Error{c.error()};
  std::string sql = std::string("SELECT ") + kMessageColumns + " FROM messages m WHERE " + where +
                    " ORDER BY m.received_at DESC, m.id DESC";
  if (limit > 0) sql += " LIMIT " + std::to_string(limit);
  mysql_statement q(db_, sql);
  if (!q.ok()) return failure("preparing search: " + q.error());
  bind_all(q, args);
  std::vector<std::vector<std::string>> rows;
  if (!q.execute(&rows)) return failure("searching: " + q.error());
  std::vector<message_row> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(read_message(r));
  return out;
}

// The columns' latin1_general_ci collation already compares addresses without regard to case.
Result<std::vector<message_row>> mysql_store::search(const search_filter& f) {
  const sql_filter filter = search_where(f, "");
  return messages_where(filter.where, filter.args, f.limit);
}

Result<std::optional<message_row>> mysql_store::find_message(std::string_view id) {
  auto rows = messages_where("m.id = ?", {std::string(id)}, 1);
  if (!rows) return Error{rows.error()};
  if (rows->empty()) return std::optional<message_row>();
  return std::optional<message_row>(std::move(rows->front()));
}

Result<std::vector<session_row>> mysql_store::read_sessions(const char* where, std::string_view arg,
                                                            std::size_t limit) {
  if (auto c = ensure_connected(); !c) return Error{c.error()};
  mysql_statement q(
      db_,
      std::string("SELECT id, sensor, started_at, ended_at, client_ip, client_port, server_ip, "
                  "server_port, helo, helo_verb, end_reason, commands, messages, errors, "
                  "violations, transcript, imported, source, senders, tls_version, tls_cipher, "
                  "tls_sni, ja3, ja4, ptr, fcrdns, dns_error "
                  "FROM sessions WHERE ") +
          where + " ORDER BY id LIMIT " + std::to_string(limit));
  q.bind(arg);
  std::vector<std::vector<std::string>> rows;
  if (!q.execute(&rows)) return failure("reading sessions: " + q.error());
  std::vector<session_row> out;
  for (const auto& r : rows) {
    session_row s;
    s.id = r[0];
    s.sensor = r[1];
    s.started_at = column_int(r[2]);
    s.ended_at = column_int(r[3]);
    s.client_ip = r[4];
    s.client_port = static_cast<std::uint16_t>(column_int(r[5]));
    s.server_ip = r[6];
    s.server_port = static_cast<std::uint16_t>(column_int(r[7]));
    s.helo = r[8];
    s.helo_verb = r[9];
    s.end_reason = r[10];
    s.commands = static_cast<std::uint32_t>(column_int(r[11]));
    s.messages = static_cast<std::uint32_t>(column_int(r[12]));
    s.errors = static_cast<std::uint32_t>(column_int(r[13]));
    s.violations = r[14];
    s.transcript = r[15];
    s.imported = column_int(r[16]) != 0;
    s.source = r[17];
    s.senders = split_list(r[18], '\n');
    s.tls_version = r[19];
    s.tls_cipher = r[20];
    s.tls_sni = r[21];
    s.ja3 = r[22];
    s.ja4 = r[23];
    s.ptr = r[24];
    s.fcrdns = r[25] == "1";
    s.dns_error = r[26];
    mysql_statement rq(
        db_,
        "SELECT address, domain, accepted, relay, reply FROM recipients WHERE session_id = ? "
        "ORDER BY position");
    rq.bind(s.id);
    std::vector<std::vector<std::string>> rcpts;
    if (!rq.execute(&rcpts)) return failure("reading recipients: " + rq.error());
    for (const auto& x : rcpts)
      s.recipients.push_back({x[0], x[1], column_int(x[2]) != 0, column_int(x[3]) != 0, x[4]});
    mysql_statement aq(
        db_,
        "SELECT at, mechanism, username, password FROM auth_attempts WHERE session_id = ? "
        "ORDER BY position");
    aq.bind(s.id);
    std::vector<std::vector<std::string>> auths;
    if (!aq.execute(&auths)) return failure("reading AUTH attempts: " + aq.error());
    for (const auto& x : auths) s.auth_attempts.push_back({column_int(x[0]), x[1], x[2], x[3]});
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::optional<session_row>> mysql_store::find_session(std::string_view id) {
  auto rows = read_sessions("id = ?", id, 1);
  if (!rows) return Error{rows.error()};
  if (rows->empty()) return std::optional<session_row>();
  return std::optional<session_row>(std::move(rows->front()));
}

Result<std::vector<session_row>> mysql_store::sessions_after(std::string_view after_id,
                                                             std::size_t limit) {
  return read_sessions("id > ?", after_id, limit);
}

Result<std::vector<message_row>> mysql_store::messages_after(std::string_view after_id,
                                                             std::size_t limit) {
  if (auto c = ensure_connected(); !c) return Error{c.error()};
  mysql_statement q(db_, std::string("SELECT ") + kMessageColumns +
                             " FROM messages m WHERE m.id > ? ORDER BY m.id LIMIT " +
                             std::to_string(limit));
  q.bind(after_id);
  std::vector<std::vector<std::string>> rows;
  if (!q.execute(&rows)) return failure("reading messages: " + q.error());
  std::vector<message_row> out;
  for (const auto& r : rows) out.push_back(read_message(r));
  return out;
}

Result<std::vector<std::pair<std::string, spool_checkpoint>>> mysql_store::checkpoints() {
  if (auto c = ensure_connected(); !c) return Error{c.error()};
  mysql_statement q(db_, "SELECT sensor, segment, `offset` FROM spool_checkpoints ORDER BY sensor");
  std::vector<std::vector<std::string>> rows;
  if (!q.execute(&rows)) return failure("reading checkpoints: " + q.error());
  std::vector<std::pair<std::string, spool_checkpoint>> out;
  for (const auto& r : rows)
    out.emplace_back(r[0], spool_checkpoint{static_cast<std::uint32_t>(column_int(r[1])),
                                            static_cast<std::uint64_t>(column_int(r[2]))});
  return out;
}

Result<totals> mysql_store::count() {
  if (auto c = ensure_connected(); !c) return Error{c.error()};
  mysql_statement q(db_, "SELECT (SELECT COUNT(*) FROM messages), (SELECT COUNT(*) FROM sessions)");
  std::vector<std::vector<std::string>> rows;
  if (!q.execute(&rows) || rows.empty()) return failure("counting: " + q.error());
  return totals{static_cast<std::uint64_t>(column_int(rows[0][0])),
                static_cast<std::uint64_t>(column_int(rows[0][1]))};
}

Status mysql_store::clear(std::string_view sensor) {
  if (auto b = begin(); !b) return b;
  if (auto f = clear_forensics(sensor); !f) {
    rollback();
    return f;
  }
  const char* steps[] = {
      "DELETE r FROM message_recipients r JOIN messages m ON r.message_id = m.id WHERE m.imported "
      "= 0 AND m.sensor = ?",
      "DELETE FROM messages WHERE imported = 0 AND sensor = ?",
      "DELETE r FROM recipients r JOIN sessions s ON r.session_id = s.id WHERE s.imported = 0 AND "
      "s.sensor = ?",
      "DELETE a FROM auth_attempts a JOIN sessions s ON a.session_id = s.id WHERE s.imported = 0 "
      "AND s.sensor = ?",
      "DELETE FROM sessions WHERE imported = 0 AND sensor = ?",
      // The seed page's requests and the seeds they minted are in the spool; seeds minted by
      // `spampot seed` are not, and stay.
      "DELETE FROM seeds WHERE source = 'page' AND sensor = ?",
      "DELETE FROM http_requests WHERE sensor = ?",
      "DELETE FROM spool_checkpoints WHERE sensor = ?",
  };
  for (const char* sql : steps) {
    mysql_statement q(db_, sql);
    q.bind(sensor);
    if (!q.execute()) {
      const std::string e = q.error();
      rollback();
      return Error{"clearing the index: " + e};
    }
  }
  if (auto c = commit(); !c) return c;
  return rebuild_harvest();
}

Result<std::uint64_t> mysql_store::run(const std::string& sql,
                                       const std::vector<bind_value>& args) {
  if (auto c = ensure_connected(); !c) return Error{c.error()};
  auto& q = prepared(sql);
  if (!q.ok()) return failure("preparing " + sql + ": " + q.error());
  bind_all(q, args);
  if (!q.execute()) {
    if (connection_lost(q.error_number())) broken_ = true;
    return Error{"running " + sql + ": " + q.error()};
  }
  return q.affected();
}

Result<store::sql_rows> mysql_store::rows(const std::string& sql,
                                          const std::vector<bind_value>& args) {
  if (auto c = ensure_connected(); !c) return Error{c.error()};
  auto& q = prepared(sql);
  if (!q.ok()) return failure("preparing " + sql + ": " + q.error());
  bind_all(q, args);
  sql_rows out;
  if (!q.execute(&out)) {
    if (connection_lost(q.error_number())) broken_ = true;
    return Error{"reading " + sql + ": " + q.error()};
  }
  return out;
}

}  // namespace spampot::store
