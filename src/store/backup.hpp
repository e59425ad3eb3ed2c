// A consistent copy of a live store, taken while `serve` writes to it.
//
// SQLite: the online backup API copies the database as of one read transaction (WAL mode lets
// the trap's writes go on meanwhile) into a new file. MariaDB: the server's own tool does it
// better (mariadb-dump --single-transaction); the caller is told so.
#pragma once

#include <filesystem>
#include <string>

#include "base/result.hpp"

namespace spampot::store {

// Copies the SQLite database at `from` into `to`, which must not exist.
Status backup_sqlite(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace spampot::store
