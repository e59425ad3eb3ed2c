#include "store/mysql/mysql_connection.hpp"

#include <errmsg.h>
#include <mysql.h>

#include <cstdlib>
#include <cstring>
#include <deque>
#include <vector>

#include "store/migrations.hpp"
#include "store/store.hpp"

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
  MYSQL_STMT* handle() const { return s_; }

  void bind(const std::vector<bind_value>& args) {
    texts_.clear();
    ints_.clear();
    params_.clear();
    for (const auto& a : args) {
      if (const auto* i = std::get_if<std::int64_t>(&a)) {
        ints_.push_back(*i);
        add(MYSQL_TYPE_LONGLONG, &ints_.back(), sizeof(std::int64_t));
      } else if (const auto* t = std::get_if<std::string>(&a)) {
        texts_.push_back(*t);
        add(MYSQL_TYPE_STRING, texts_.back().data(), texts_.back().size());
      } else if (const auto* bl = std::get_if<blob>(&a)) {
        texts_.push_back(bl->bytes);
        add(MYSQL_TYPE_BLOB, texts_.back().data(), texts_.back().size());
      } else {
        const auto& b = std::get<ip_address>(a).bytes();
        texts_.emplace_back(reinterpret_cast<const char*>(b.data()), 16);
        add(MYSQL_TYPE_BLOB, texts_.back().data(), 16);
      }
    }
  }

  // Runs the statement; for a query, fetches every row.
  bool execute(sql::rows* rows = nullptr) {
    if (!run_bound()) return false;
    if (!rows || mysql_stmt_field_count(s_) == 0) return true;
    if (!begin_rows(true)) return false;
    for (;;) {
      sql::row row;
      const int got = fetch(row);
      if (got < 0) return false;
      if (got == 0) break;
      rows->push_back(std::move(row));
    }
    mysql_stmt_free_result(s_);
    return true;
  }

  // Runs the statement with a read-only cursor on the server: rows come a thousand at a time,
  // and the connection stays free for other statements between them.
  bool execute_with_cursor() {
    unsigned long type = CURSOR_TYPE_READ_ONLY, prefetch = 1000;
    return mysql_stmt_attr_set(s_, STMT_ATTR_CURSOR_TYPE, &type) == 0 &&
           mysql_stmt_attr_set(s_, STMT_ATTR_PREFETCH_ROWS, &prefetch) == 0 && run_bound() && begin_rows(false);
  }

  // The next row: 1, 0 at the end, -1 on an error.
  int fetch(sql::row& row) {
    const int rc = mysql_stmt_fetch(s_);
    if (rc == MYSQL_NO_DATA) return 0;
    if (rc == 1) return -1;
    row.assign(lens_.size(), std::string());
    for (unsigned i = 0; i < lens_.size(); ++i) {
      if (nulls_[i] || lens_[i] == 0) continue;
      row[i].resize(lens_[i]);
      MYSQL_BIND col{};
      col.buffer_type = MYSQL_TYPE_STRING;
      col.buffer = row[i].data();
      col.buffer_length = lens_[i];
      if (mysql_stmt_fetch_column(s_, &col, i, 0) != 0) return -1;
    }
    return 1;
  }

 private:
  bool run_bound() {
    std::vector<MYSQL_BIND> b(params_.size());
    for (std::size_t i = 0; i < params_.size(); ++i) {
      b[i].buffer_type = params_[i].type;
      b[i].buffer = params_[i].data;
      b[i].buffer_length = params_[i].size;
      b[i].length = &params_[i].size;
    }
    return (b.empty() || mysql_stmt_bind_param(s_, b.data()) == 0) && mysql_stmt_execute(s_) == 0;
  }

  // Binds each column of the result to learn its length first; fetch() then reads it whole.
  // `buffer_all`: the client takes every row now (mysql_stmt_store_result).
  bool begin_rows(bool buffer_all) {
    MYSQL_RES* meta = mysql_stmt_result_metadata(s_);
    const unsigned n = meta ? mysql_num_fields(meta) : 0;
    if (meta) mysql_free_result(meta);
    if (buffer_all && mysql_stmt_store_result(s_) != 0) return false;
    out_.assign(n, MYSQL_BIND{});
    lens_.assign(n, 0);
    nulls_.assign(n, 0);
    for (unsigned i = 0; i < n; ++i) {
      out_[i].buffer_type = MYSQL_TYPE_STRING;
      out_[i].length = &lens_[i];
      out_[i].is_null = &nulls_[i];
    }
    return n == 0 || mysql_stmt_bind_result(s_, out_.data()) == 0;
  }

  struct param {
    enum_field_types type;
    void* data;
    unsigned long size;
  };
  void add(enum_field_types t, void* p, std::size_t n) { params_.push_back({t, p, static_cast<unsigned long>(n)}); }

  MYSQL_STMT* s_;
  bool ok_ = false;
  std::deque<std::string> texts_;  // deque: binds keep pointing at their values as more are added
  std::deque<std::int64_t> ints_;
  std::vector<param> params_;
  std::vector<MYSQL_BIND> out_;
  std::vector<unsigned long> lens_;
  std::vector<my_bool> nulls_;
};

namespace {

class mysql_cursor final : public sql::cursor {
 public:
  explicit mysql_cursor(std::unique_ptr<mysql_statement> s) : s_(std::move(s)) {}
  Result<bool> next(sql::row& out) override {
    const int got = s_->fetch(out);
    if (got < 0) {
      MYSQL_STMT* h = s_->handle();
      return Error{std::string("reading: ") + mysql_stmt_error(h), error_kind::transient};
    }
    return got > 0;
  }

 private:
  std::unique_ptr<mysql_statement> s_;
};

}  // namespace

namespace {

constexpr sql::dialect kDialect{sql::dialect::kind::mariadb};

bool connection_lost(unsigned code) {
  return (code >= 2000 && code < 3000) /* every client-side error (CR_*) */ ||
         code == 1927 /* ER_CONNECTION_KILLED */ || code == 4031 /* idle disconnect */ ||
         code == 1053 /* ER_SERVER_SHUTDOWN */;
}

// Permanent: the statement's values break a rule of the schema, and will every time. The
// SQLSTATE classes 22 (data exception) and 23 (integrity constraint) say so by the standard; the
// codes are the ones MariaDB files under the general HY000, and a trigger's SIGNAL (45000).
// Everything else (connection, deadlock 1213, lock wait 1205, disk full 1021/1114, read-only
// 1290/1836, too many connections 1040) may pass: transient.
error_kind kind_of(unsigned code, const char* sqlstate) {
  if (sqlstate && (std::strncmp(sqlstate, "22", 2) == 0 || std::strncmp(sqlstate, "23", 2) == 0 ||
                   std::strcmp(sqlstate, "45000") == 0))
    return error_kind::permanent;
  switch (code) {
    case 1048:  // ER_BAD_NULL_ERROR
    case 1062:  // ER_DUP_ENTRY
    case 1264:  // ER_WARN_DATA_OUT_OF_RANGE
    case 1265:  // WARN_DATA_TRUNCATED
    case 1292:  // ER_TRUNCATED_WRONG_VALUE
    case 1300:  // ER_INVALID_CHARACTER_STRING
    case 1366:  // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD ("Incorrect string value")
    case 1406:  // ER_DATA_TOO_LONG
    case 1451:
    case 1452:  // foreign keys
    case 1644:  // ER_SIGNAL_EXCEPTION
    case 4025:  // ER_CONSTRAINT_FAILED
      return error_kind::permanent;
    default:
      return error_kind::transient;
  }
}

}  // namespace

Result<std::unique_ptr<sql::connection>> mysql_connection::open(std::string_view url, bool lazy) {
  const char* env = std::getenv("SPAMPOT_DB_PASSWORD");
  auto parsed = parse_mysql_url(url, env ? env : "");
  if (!parsed) return Error{parsed.error()};
  std::unique_ptr<mysql_connection> c(new mysql_connection(std::move(parsed).value()));
  if (auto r = c->ready(); !r && !lazy) return Error{"cannot open " + redact_url(url) + ": " + r.error(), r.kind()};
  return std::unique_ptr<sql::connection>(std::move(c));
}

mysql_connection::mysql_connection(mysql_url url) : url_(std::move(url)) {}

mysql_connection::~mysql_connection() {
  cache_.clear();
  if (db_) mysql_close(db_);
}

const sql::dialect& mysql_connection::sql() const { return kDialect; }


Status mysql_connection::connect() {
  cache_.clear();
  if (db_) mysql_close(db_);
  db_ = mysql_init(nullptr);
  if (!db_) return Error{"out of memory", error_kind::transient};
  const unsigned timeout = 10;
  mysql_options(db_, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  mysql_options(db_, MYSQL_OPT_READ_TIMEOUT, &timeout);
  mysql_options(db_, MYSQL_OPT_WRITE_TIMEOUT, &timeout);
  mysql_options(db_, MYSQL_SET_CHARSET_NAME, "latin1");
  const char* host = url_.socket.empty() ? url_.host.c_str() : nullptr;
  if (!mysql_real_connect(db_, host, url_.user.c_str(), url_.password.c_str(), url_.database.c_str(), url_.port,
                          url_.socket.empty() ? nullptr : url_.socket.c_str(), 0)) {
    const std::string msg = mysql_error(db_);
    mysql_close(db_);
    db_ = nullptr;
    broken_ = true;
    return Error{"cannot connect to MariaDB at " +
                     (url_.socket.empty() ? url_.host + ":" + std::to_string(url_.port) : url_.socket) + ": " + msg,
                 error_kind::transient};
  }
  broken_ = false;
  // Strict mode: a value that does not fit is an error, never silently cut (the store fits
  // values itself, store/columns.cpp, and records each cut).
  return plain("SET SESSION sql_mode = 'STRICT_ALL_TABLES'");
}

Status mysql_connection::ready() {
  if (db_ && !broken_ && (migrated_ || migrating_)) return {};
  if (!db_ || broken_) {
    if (auto c = connect(); !c) return c;
  }
  if (!migrated_ && !migrating_) {
    migrating_ = true;  // the migration's own statements go through exec(), run() and query()
    auto migrated = migrate(*this);
    migrating_ = false;
    if (!migrated) return Error{"cannot migrate: " + migrated.error(), migrated.kind()};
    migrated_ = true;
  }
  return {};
}

Error mysql_connection::failure(std::string_view what, unsigned code, const char* sqlstate,
                                std::string_view message) {
  if (!db_ || connection_lost(code)) {
    broken_ = true;
    return Error{std::string(what) + ": " + std::string(message), error_kind::transient};
  }
  return Error{std::string(what) + ": " + std::string(message), kind_of(code, sqlstate)};
}

Status mysql_connection::plain(std::string_view sql) {
  if (mysql_real_query(db_, sql.data(), sql.size()) != 0)
    return failure("query failed", mysql_errno(db_), mysql_sqlstate(db_), mysql_error(db_));
  // Multi-statement results are not used; drain any result set so the connection stays usable.
  if (MYSQL_RES* r = mysql_store_result(db_)) mysql_free_result(r);
  return {};
}

Status mysql_connection::exec(std::string_view sql) {
  if (auto r = ready(); !r) return r;
  return plain(sql);
}

Result<mysql_statement*> mysql_connection::prepared(const std::string& sql, const std::vector<bind_value>& args) {
  if (auto r = ready(); !r) return r.failure();
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    auto s = std::make_unique<mysql_statement>(db_, sql);
    if (!s->ok()) {
      MYSQL_STMT* h = s->handle();
      return h ? failure("preparing " + sql::head_of(sql), mysql_stmt_errno(h), mysql_stmt_sqlstate(h), mysql_stmt_error(h))
               : Error{"out of memory", error_kind::transient};
    }
    it = cache_.emplace(sql, std::move(s)).first;
  }
  it->second->bind(args);
  return it->second.get();
}

Result<std::uint64_t> mysql_connection::run(const std::string& sql, const std::vector<bind_value>& args) {
  auto s = prepared(sql, args);
  if (!s) return s.failure();
  MYSQL_STMT* h = (*s)->handle();
  if (!(*s)->execute())
    return failure("running " + sql::head_of(sql), mysql_stmt_errno(h), mysql_stmt_sqlstate(h), mysql_stmt_error(h));
  return mysql_stmt_affected_rows(h);
}

Result<sql::rows> mysql_connection::query(const std::string& sql, const std::vector<bind_value>& args) {
  auto s = prepared(sql, args);
  if (!s) return s.failure();
  MYSQL_STMT* h = (*s)->handle();
  sql::rows out;
  if (!(*s)->execute(&out))
    return failure("reading " + sql::head_of(sql), mysql_stmt_errno(h), mysql_stmt_sqlstate(h), mysql_stmt_error(h));
  return out;
}

Result<std::unique_ptr<sql::cursor>> mysql_connection::open_cursor(const std::string& sql,
                                                                   const std::vector<bind_value>& args) {
  if (auto r = ready(); !r) return r.failure();
  auto s = std::make_unique<mysql_statement>(db_, sql);
  MYSQL_STMT* h = s->handle();
  if (!h) return Error{"out of memory", error_kind::transient};
  if (!s->ok())
    return failure("preparing " + sql::head_of(sql), mysql_stmt_errno(h), mysql_stmt_sqlstate(h), mysql_stmt_error(h));
  s->bind(args);
  if (!s->execute_with_cursor())
    return failure("reading " + sql::head_of(sql), mysql_stmt_errno(h), mysql_stmt_sqlstate(h), mysql_stmt_error(h));
  return std::unique_ptr<sql::cursor>(std::make_unique<mysql_cursor>(std::move(s)));
}

}  // namespace spampot::store
