// The embedded store: one SQLite file in WAL mode. synchronous=NORMAL is enough here because the
// spool journal, not the database, is what makes a message durable: a database that loses its
// last transactions in a power cut is re-indexed from the journal at the next start.
#pragma once

#include <string>
#include <unordered_map>
#include <memory>
#include <string_view>

#include "store/store.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace spampot::store {

class stmt;

class sqlite_store final : public store {
 public:
  static Result<std::unique_ptr<store>> open(std::string_view path);
  ~sqlite_store() override;

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
  std::string upsert(std::string_view columns) const override { return " ON CONFLICT (" + std::string(columns) + ") DO UPDATE SET "; }
  std::string excluded(std::string_view column) const override { return "excluded." + std::string(column); }
  std::string_view int_div() const override { return " / "; }

 private:
  explicit sqlite_store(sqlite3* db) : db_(db) {}
  Status exec(std::string_view sql);
  Status migrate();
  Status error(std::string_view what);
  // A prepared statement kept for the life of the connection, for the per-row statements.
  stmt cached(const std::string& sql);
  Result<std::vector<session_row>> read_sessions(std::string_view where, std::string_view arg, std::size_t limit);

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace spampot::store
