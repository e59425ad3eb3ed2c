// store::sql: the one seam between the store's statements and a database. A statement and a row
// mapper are written once (store/*.cpp) over a connection and its dialect; SQLite and MariaDB
// differ only in these two, each in its own subfolder.
//
// Every value is bound, never spliced into SQL text. Every error carries a kind (base/result.hpp):
// transient when waiting may help (a lost connection, a lock, a full or read-only disk), permanent
// when the same statement with the same values will fail again (data, constraint, encoding).
// The indexer retries the first and sets the record aside for the second.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/ip_address.hpp"
#include "base/result.hpp"

namespace spampot::store {

// Bytes that are not text (a compressed raw message): bound as a BLOB, never given a charset.
struct blob {
  std::string bytes;
};

using bind_value = std::variant<std::int64_t, std::string, ip_address, blob>;

// One numbered schema step. Never edit one that has shipped: add one.
struct migration {
  int version;
  std::string_view sql;
};

namespace sql {

using row = std::vector<std::string>;  // every column as text; NULL reads as ""
using rows = std::vector<row>;

// What differs in the SQL text itself.
struct dialect {
  enum class kind : unsigned char { sqlite, mariadb } is;

  std::string_view begin() const { return is == kind::sqlite ? "BEGIN IMMEDIATE" : "START TRANSACTION"; }
  // What follows an INSERT to make a row whose key exists already a no-op (0 rows changed), and
  // nothing else: MariaDB's INSERT IGNORE would also turn a too-long value into a silent cut and
  // SQLite's INSERT OR IGNORE a broken NOT NULL or CHECK into a skipped row.
  std::string ignore_duplicate(std::string_view any_column) const {
    return is == kind::sqlite ? " ON CONFLICT DO NOTHING"
                              : " ON DUPLICATE KEY UPDATE `" + std::string(any_column) + "` = `" +
                                    std::string(any_column) + "`";
  }
  // What follows a multi-row INSERT to update the row it collides with, and how such an update
  // names the value it brought.
  std::string upsert(std::string_view conflict_columns) const {
    return is == kind::sqlite ? " ON CONFLICT (" + std::string(conflict_columns) + ") DO UPDATE SET "
                              : " ON DUPLICATE KEY UPDATE ";
  }
  std::string excluded(std::string_view column) const {
    return is == kind::sqlite ? "excluded." + std::string(column) : "VALUES(" + std::string(column) + ")";
  }
  // Orders a text column by its bytes, as std::string compares (MariaDB's latin1_general_ci
  // columns would fold case and accents).
  std::string bytewise(std::string_view column) const {
    return is == kind::sqlite ? std::string(column) : "BINARY " + std::string(column);
  }
  std::string_view int_div() const { return is == kind::sqlite ? " / " : " DIV "; }
  // Makes an address comparison ignore ASCII case; MariaDB's columns are latin1_general_ci already.
  std::string_view nocase() const { return is == kind::sqlite ? " COLLATE NOCASE" : ""; }
  // SQLite's DDL is transactional: a migration runs whole in one transaction. MariaDB commits
  // each DDL statement by itself, so a migration runs statement by statement, and a named lock
  // keeps two sensors that start together from both migrating.
  bool transactional_ddl() const { return is == kind::sqlite; }
  std::string_view lock_migrations() const { return is == kind::sqlite ? "" : "SELECT GET_LOCK('spampot_migrate', 60)"; }
  std::string_view unlock_migrations() const {
    return is == kind::sqlite ? "" : "SELECT RELEASE_LOCK('spampot_migrate')";
  }
  // What follows DROP INDEX and the index's name: MariaDB names the table, SQLite must not.
  std::string drop_index_on(std::string_view table) const {
    return is == kind::sqlite ? "" : " ON " + std::string(table);
  }
  // A column of up to a gigabyte of bytes.
  std::string_view long_blob() const { return is == kind::sqlite ? "BLOB" : "LONGBLOB"; }
  // Table options of a new table: MariaDB keeps every byte as latin1 (store/mysql/migrations.cpp).
  std::string_view table_options() const {
    return is == kind::sqlite ? "" : " ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci";
  }
  // A counter table keyed by harvested text: rows kept in key order, and keys compared by their
  // bytes (a Subject is not its lower case), as the version 5 harvest tables are.
  std::string_view key_table_options() const {
    return is == kind::sqlite ? " WITHOUT ROWID"
                              : " ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_bin";
  }
};

// The start of a statement, to name it in an error without quoting a page of SQL.
inline std::string head_of(std::string_view sql) {
  return sql.size() <= 48 ? std::string(sql) : std::string(sql.substr(0, 48)) + "...";
}

// Rows one at a time, for reads too big to hold (an export of a million keys). While a cursor is
// open, its connection may run other statements (the listing's trail is written as it is read).
class cursor {
 public:
  virtual ~cursor() = default;
  // False at the end.
  virtual Result<bool> next(row& out) = 0;
};

class connection {
 public:
  virtual ~connection() = default;

  virtual const dialect& sql() const = 0;
  // A statement without values or results (transaction control, DDL).
  virtual Status exec(std::string_view sql) = 0;
  // Rows changed (an ignored INSERT changes none).
  virtual Result<std::uint64_t> run(const std::string& sql, const std::vector<bind_value>& args) = 0;
  virtual Result<rows> query(const std::string& sql, const std::vector<bind_value>& args) = 0;
  virtual Result<std::unique_ptr<cursor>> open_cursor(const std::string& sql,
                                                      const std::vector<bind_value>& args) = 0;
};

}  // namespace sql
}  // namespace spampot::store
