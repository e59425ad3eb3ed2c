#include "store/sqlite/sqlite_connection.hpp"

#include <sqlite3.h>

#include "store/migrations.hpp"

namespace spampot::store {
namespace {

constexpr sql::dialect kDialect{sql::dialect::kind::sqlite};

// Only a value can make a statement fail for good: a constraint (or a trigger's RAISE), a value
// too big or of the wrong type. Everything else (busy, locked, I/O, full, read-only, a schema
// another process is changing) may pass, and is retried.
error_kind kind_of(int rc) {
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
    case SQLITE_TOOBIG:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
      return error_kind::permanent;
    default:
      return error_kind::transient;
  }
}

// Resets a cached statement when a call is done with it, whatever path it leaves by.
struct reset_on_exit {
  sqlite3_stmt* s;
  ~reset_on_exit() {
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
  }
};

void bind_all(sqlite3_stmt* s, const std::vector<bind_value>& args) {
  int n = 0;
  for (const auto& a : args) {
    ++n;
    if (const auto* i = std::get_if<std::int64_t>(&a)) {
      sqlite3_bind_int64(s, n, *i);
    } else if (const auto* t = std::get_if<std::string>(&a)) {
      sqlite3_bind_text(s, n, t->data(), static_cast<int>(t->size()), SQLITE_TRANSIENT);
    } else if (const auto* b = std::get_if<blob>(&a)) {
      sqlite3_bind_blob(s, n, b->bytes.data(), static_cast<int>(b->bytes.size()), SQLITE_TRANSIENT);
    } else {
      sqlite3_bind_blob(s, n, std::get<ip_address>(a).bytes().data(), 16, SQLITE_TRANSIENT);
    }
  }
}

// The current row of a stepped statement, every column as text.
void read_row(sqlite3_stmt* s, sql::row& r) {
  const int n = sqlite3_column_count(s);
  r.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    auto& v = r[static_cast<std::size_t>(i)];
    if (const auto* p = sqlite3_column_text(s, i))
      v.assign(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s, i)));
    else
      v.clear();
  }
}

// A statement of its own, not one from the cache: a cached statement run while the cursor is
// open would be reset under it.
class sqlite_cursor final : public sql::cursor {
 public:
  sqlite_cursor(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  ~sqlite_cursor() override { sqlite3_finalize(s_); }
  sqlite_cursor(const sqlite_cursor&) = delete;
  sqlite_cursor& operator=(const sqlite_cursor&) = delete;

  Result<bool> next(sql::row& out) override {
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_DONE) return false;
    if (rc != SQLITE_ROW) return Error{std::string("reading: ") + sqlite3_errmsg(db_), kind_of(rc)};
    read_row(s_, out);
    return true;
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_;
};

}  // namespace

Result<std::unique_ptr<sql::connection>> sqlite_connection::open(std::string_view path) {
  if (path.empty()) return Error{"empty SQLite path"};
  sqlite3* db = nullptr;
  const std::string p(path);
  if (sqlite3_open_v2(p.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Error{"cannot open SQLite database " + p + ": " + msg, error_kind::transient};
  }
  std::unique_ptr<sqlite_connection> c(new sqlite_connection(db));
  sqlite3_busy_timeout(db, 10000);
  sqlite3_extended_result_codes(db, 1);
  // temp_store=MEMORY: each record is indexed under a savepoint, whose statement journal would
  // otherwise spill to a temporary file on every batch (a third of the indexer's time in pwrite).
  if (auto r = c->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                       "PRAGMA temp_store=MEMORY;");
      !r)
    return Error{"cannot set up " + p + ": " + r.error(), r.kind()};
  if (auto migrated = migrate(*c); !migrated) return Error{"cannot migrate " + p + ": " + migrated.error(), migrated.kind()};
  return std::unique_ptr<sql::connection>(std::move(c));
}

sqlite_connection::~sqlite_connection() {
  for (auto& [sql, s] : cache_) sqlite3_finalize(s);
  sqlite3_close(db_);
}

const sql::dialect& sqlite_connection::sql() const { return kDialect; }

Error sqlite_connection::failure(std::string_view what, int rc) const {
  return Error{std::string(what) + ": " + sqlite3_errmsg(db_), kind_of(rc)};
}

Status sqlite_connection::exec(std::string_view sql) {
  char* err = nullptr;
  const std::string s(sql);
  if (const int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return Error{msg, kind_of(rc)};
  }
  return {};
}

Result<sqlite3_stmt*> sqlite_connection::prepared(const std::string& sql, const std::vector<bind_value>& args) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* s = nullptr;
    if (const int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &s, nullptr);
        rc != SQLITE_OK)
      return failure("preparing " + sql::head_of(sql), rc);
    it = cache_.emplace(sql, s).first;
  }
  sqlite3_stmt* s = it->second;
  bind_all(s, args);
  return s;
}

Result<std::uint64_t> sqlite_connection::run(const std::string& sql, const std::vector<bind_value>& args) {
  auto s = prepared(sql, args);
  if (!s) return s.failure();
  reset_on_exit done{*s};
  if (const int rc = sqlite3_step(*s); rc != SQLITE_DONE && rc != SQLITE_ROW) return failure("running " + sql::head_of(sql), rc);
  return static_cast<std::uint64_t>(sqlite3_changes(db_));
}

Result<sql::rows> sqlite_connection::query(const std::string& sql, const std::vector<bind_value>& args) {
  auto s = prepared(sql, args);
  if (!s) return s.failure();
  reset_on_exit done{*s};
  sql::rows out;
  int rc;
  while ((rc = sqlite3_step(*s)) == SQLITE_ROW) read_row(*s, out.emplace_back());
  if (rc != SQLITE_DONE) return failure("reading " + sql::head_of(sql), rc);
  return out;
}

Result<std::unique_ptr<sql::cursor>> sqlite_connection::open_cursor(const std::string& sql,
                                                                    const std::vector<bind_value>& args) {
  sqlite3_stmt* s = nullptr;
  if (const int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &s, nullptr); rc != SQLITE_OK)
    return failure("preparing " + sql::head_of(sql), rc);
  bind_all(s, args);
  return std::unique_ptr<sql::cursor>(std::make_unique<sqlite_cursor>(db_, s));
}

}  // namespace spampot::store
