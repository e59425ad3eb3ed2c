// store::store: where harvested records are indexed and read back. One narrow interface; the
// backend is chosen by the URL scheme at startup (sqlite:PATH now, mysql:// in its own issue).
//
// Writes are idempotent by id (a record indexed twice, after a crash between commit and
// checkpoint, adds nothing), and the journal checkpoint moves in the same transaction as the rows
// it covers, so the index and the spool can never disagree after a crash.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "store/records.hpp"

namespace spampot::store {

class store {
 public:
  virtual ~store() = default;

  virtual Status begin() = 0;
  virtual Status commit() = 0;
  virtual void rollback() = 0;

  // True when the row is new, false when its id was stored before (nothing changes then).
  virtual Result<bool> put_message(const message_row& m) = 0;
  virtual Result<bool> put_session(const session_row& s) = 0;

  // How far `sensor`'s spool is indexed. In a fleet every sensor has its own spool and checkpoint.
  virtual Result<spool_checkpoint> checkpoint(std::string_view sensor) = 0;
  virtual Status set_checkpoint(std::string_view sensor, const spool_checkpoint& c) = 0;

  virtual Result<std::vector<message_row>> search(const search_filter& f) = 0;
  virtual Result<std::optional<message_row>> find_message(std::string_view id) = 0;
  virtual Result<std::optional<session_row>> find_session(std::string_view id) = 0;
  virtual Result<totals> count() = 0;

  // Every row in id order, a page at a time after `after_id` ("" for the first page): for
  // `spampot migrate`, which copies one store into another.
  virtual Result<std::vector<message_row>> messages_after(std::string_view after_id, std::size_t limit) = 0;
  virtual Result<std::vector<session_row>> sessions_after(std::string_view after_id, std::size_t limit) = 0;
  virtual Result<std::vector<std::pair<std::string, spool_checkpoint>>> checkpoints() = 0;

  // Empties what `sensor`'s spool can rebuild, for `reindex`: its captured rows, not imported
  // maillog records (not in any spool) nor other sensors' rows.
  virtual Status clear(std::string_view sensor) = 0;
};

// How open() treats a database server that cannot be reached.
enum class reach { now, later };

// "sqlite:PATH" (or a bare path), or "mysql://...". Runs pending migrations. With reach::later
// (serve), a MariaDB server that is down at start is not an error: the store connects and
// migrates on first use, and until then every call fails and is retried by the caller, while
// the spool takes the mail. A malformed URL is an error either way.
Result<std::unique_ptr<store>> open(std::string_view url, reach when = reach::now);

// The URL with any password replaced by "***", for logs and errors.
std::string redact_url(std::string_view url);

}  // namespace spampot::store
