// The shared store's connection for a fleet: MariaDB or MySQL through MariaDB Connector/C, every
// value bound in a prepared statement. Several sensors write at once: rows are keyed by
// fleet-unique ids, and two sensors starting together migrate one after the other.
//
// A lost connection is not fatal: the failing call returns a transient error (the indexer retries
// with backoff while the spool keeps accepting), and the next call reconnects.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "store/mysql/mysql_url.hpp"
#include "store/sql/connection.hpp"

struct st_mysql;

namespace spampot::store {

class mysql_statement;

class mysql_connection final : public sql::connection {
 public:
  // `lazy`: a server that is down now is connected to (and migrated) on first use.
  static Result<std::unique_ptr<sql::connection>> open(std::string_view url, bool lazy);
  ~mysql_connection() override;

  const sql::dialect& sql() const override;
  Status exec(std::string_view sql) override;
  Result<std::uint64_t> run(const std::string& sql, const std::vector<bind_value>& args) override;
  Result<sql::rows> query(const std::string& sql, const std::vector<bind_value>& args) override;
  Result<std::unique_ptr<sql::cursor>> open_cursor(const std::string& sql,
                                                   const std::vector<bind_value>& args) override;

 private:
  explicit mysql_connection(mysql_url url);
  Status connect();
  Status ready();
  Status plain(std::string_view sql);
  Error failure(std::string_view what, unsigned code, const char* sqlstate, std::string_view message);
  Result<mysql_statement*> prepared(const std::string& sql, const std::vector<bind_value>& args);

  mysql_url url_;
  st_mysql* db_ = nullptr;
  bool broken_ = false;    // the connection failed: reconnect before the next statement
  bool migrated_ = false;  // migrations ran on this server (a lazy open defers them)
  bool migrating_ = false;
  std::map<std::string, std::unique_ptr<mysql_statement>> cache_;
};

}  // namespace spampot::store
