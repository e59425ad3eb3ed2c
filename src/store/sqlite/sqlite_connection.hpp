// The embedded store's connection: one SQLite file in WAL mode. synchronous=NORMAL is enough
// here because the spool journal, not the database, is what makes a message durable: a database
// that loses its last transactions in a power cut is re-indexed from the journal at the next start.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/sql/connection.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace spampot::store {

class sqlite_connection final : public sql::connection {
 public:
  // Opens (creating) the file and brings its schema up to date.
  static Result<std::unique_ptr<sql::connection>> open(std::string_view path);
  ~sqlite_connection() override;

  const sql::dialect& sql() const override;
  Status exec(std::string_view sql) override;
  Result<std::uint64_t> run(const std::string& sql, const std::vector<bind_value>& args) override;
  Result<sql::rows> query(const std::string& sql, const std::vector<bind_value>& args) override;
  Result<std::unique_ptr<sql::cursor>> open_cursor(const std::string& sql,
                                                   const std::vector<bind_value>& args) override;

 private:
  explicit sqlite_connection(sqlite3* db) : db_(db) {}
  Error failure(std::string_view what, int rc) const;
  // Prepared once for the life of the connection, reset for each use.
  Result<sqlite3_stmt*> prepared(const std::string& sql, const std::vector<bind_value>& args);

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace spampot::store
