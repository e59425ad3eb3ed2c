// The shared store for a fleet: MariaDB or MySQL through MariaDB Connector/C, with the same
// schema, results and idempotence as the SQLite store, and every value bound in a prepared
// statement. Several sensors write at once: rows are keyed by fleet-unique ids and inserted with
// INSERT IGNORE, and each sensor keeps its own spool checkpoint.
//
// A lost connection is not fatal: the failing call returns an error (the indexer retries with
// backoff while the spool keeps accepting), and the next call reconnects.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "store/mysql/mysql_url.hpp"
#include "store/search_sql.hpp"
#include "store/store.hpp"

struct st_mysql;

namespace spampot::store {

class mysql_statement;

class mysql_store final : public store {
 public:
  // `lazy`: a server that is down now is connected to (and migrated) on first use.
  static Result<std::unique_ptr<store>> open(std::string_view url, bool lazy = false);
  ~mysql_store() override;

  Status begin() override;
  Result<bool> put_message(const message_row& m) override;
  Result<bool> put_session(const session_row& s) override;
  Result<spool_checkpoint> checkpoint(std::string_view sensor) override;
  Status set_checkpoint(std::string_view sensor, const spool_checkpoint& c) override;
  Result<std::vector<message_row>> search(const search_filter& f) override;
  Result<std::optional<message_row>> find_message(std::string_view id) override;
  Result<std::optional<session_row>> find_session(std::string_view id) override;
  Result<totals> count() override;
  Result<std::vector<message_row>> messages_after(std::string_view after_id, std::size_t limit) override;
  Result<std::vector<session_row>> sessions_after(std::string_view after_id, std::size_t limit) override;
  Result<std::vector<std::pair<std::string, spool_checkpoint>>> checkpoints() override;
  Status clear(std::string_view sensor) override;

 protected:
  Result<std::uint64_t> run(const std::string& sql, const std::vector<bind_value>& args) override;
  Result<sql_rows> rows(const std::string& sql, const std::vector<bind_value>& args) override;
  Status commit_transaction() override;
  void rollback_transaction() override;
  std::string upsert(std::string_view) const override { return " ON DUPLICATE KEY UPDATE "; }
  std::string excluded(std::string_view column) const override { return "VALUES(" + std::string(column) + ")"; }
  std::string_view int_div() const override { return " DIV "; }

 private:
  explicit mysql_store(mysql_url url);
  Status connect();
  Status ensure_connected();
  Status query(std::string_view sql);
  Status migrate();
  Error failure(std::string_view what);
  mysql_statement& prepared(const std::string& sql);
  Result<std::vector<session_row>> read_sessions(const char* where, std::string_view arg, std::size_t limit);
  Result<std::vector<message_row>> messages_where(const std::string& where, const std::vector<bind_value>& args,
                                                  std::size_t limit);

  mysql_url url_;
  st_mysql* db_ = nullptr;
  bool broken_ = false;    // the connection failed: reconnect before the next statement
  bool migrated_ = false;  // migrations ran on this server (a lazy open defers them)
  bool recount_ = false;   // a migration added the harvest tables to a store with rows
  std::map<std::string, std::unique_ptr<mysql_statement>> cache_;
};

}  // namespace spampot::store
