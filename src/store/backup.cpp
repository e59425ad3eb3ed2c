#include "store/backup.hpp"

#include <sqlite3.h>

#include <chrono>
#include <thread>

namespace spampot::store {

namespace {

struct db_handle {
  sqlite3* db = nullptr;
  ~db_handle() { sqlite3_close(db); }
};

}  // namespace

Status backup_sqlite(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::error_code ec;
  if (std::filesystem::exists(to, ec)) return Error{to.string() + " exists: a backup never overwrites a file"};
  db_handle src, dst;
  if (sqlite3_open_v2(from.c_str(), &src.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    return Error{"cannot open the store " + from.string() + ": " + sqlite3_errmsg(src.db)};
  if (sqlite3_open_v2(to.c_str(), &dst.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
    return Error{"cannot create " + to.string() + ": " + sqlite3_errmsg(dst.db)};
  sqlite3_backup* b = sqlite3_backup_init(dst.db, "main", src.db, "main");
  if (!b) return Error{"cannot start the backup: " + std::string(sqlite3_errmsg(dst.db))};
  // All pages in one step: one read transaction, so the copy is the database at one instant. A
  // writer holding the lock briefly (the indexer's commit) is waited for.
  int rc = SQLITE_OK;
  for (int tries = 0; tries < 600; ++tries) {
    rc = sqlite3_backup_step(b, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) {
    std::filesystem::remove(to, ec);
    return Error{"backup of " + from.string() + " failed: " + sqlite3_errstr(rc)};
  }
  // The copy in rollback-journal mode is one self-contained file; the restored store turns WAL
  // back on when it is opened.
  char* err = nullptr;
  if (sqlite3_exec(dst.db, "PRAGMA journal_mode = DELETE", nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string why = err ? err : "unknown";
    sqlite3_free(err);
    return Error{"backup of " + from.string() + ": " + why};
  }
  return {};
}

}  // namespace spampot::store
