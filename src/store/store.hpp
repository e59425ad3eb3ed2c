// store::store: where harvested records are indexed and read back. One class, whose statements
// and row mappers are written once over an SQL connection and its dialect (store/sql/): the
// backend, SQLite or MariaDB, is chosen by the URL scheme at startup and differs in nothing else.
//
// Writes are idempotent by id (a record indexed twice, after a crash between commit and
// checkpoint, adds nothing), and the journal checkpoint moves in the same transaction as the rows
// it covers, so the index and the spool can never disagree after a crash.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "store/forensics.hpp"
#include "store/harvest.hpp"
#include "store/records.hpp"
#include "store/search_sql.hpp"
#include "store/row_mapper.hpp"
#include "store/seeds.hpp"
#include "store/sql/connection.hpp"

namespace spampot::store {

// Rows read one at a time (store::read_keys): what would not fit in memory whole, an export of a
// million keys.
template <class T>
class reader {
 public:
  reader(std::unique_ptr<sql::cursor> c, T (*map)(const sql::row&)) : c_(std::move(c)), map_(map) {}
  // False at the end, or on an error, which status() then tells.
  bool next(T& out) {
    if (!c_) return false;
    auto got = c_->next(row_);
    if (!got || !*got) {
      if (!got) status_ = got.failure();
      c_.reset();
      return false;
    }
    out = map_(row_);
    return true;
  }
  const Status& status() const { return status_; }

 private:
  std::unique_ptr<sql::cursor> c_;
  T (*map_)(const sql::row&);
  sql::row row_;
  Status status_;
};

class store {
 public:
  explicit store(std::unique_ptr<sql::connection> conn);
  ~store();
  store(const store&) = delete;
  store& operator=(const store&) = delete;

  // Transactions; prefer store::transaction, which rolls back whatever it did not commit.
  Status begin();
  // Writes the harvest counters the transaction's new rows moved, then commits.
  Status commit();
  void rollback();

  // One spool record's rows inside the batch transaction (a savepoint): kept by keep_record(),
  // undone with the counters they moved by drop_record(), so a record the store refuses for good
  // is set aside without losing the rest of its batch.
  Status begin_record();
  Status keep_record();
  void drop_record();

  // True when the row is new, false when its id was stored before (nothing changes then). Every
  // text value is fitted to its column first (store/columns.hpp); what fitting changed is kept in
  // the row's problems.
  Result<bool> put_message(const message_row& m);
  Result<bool> put_session(const session_record& s);

  // How far `sensor`'s spool is indexed. In a fleet every sensor has its own spool and checkpoint.
  Result<spool_checkpoint> checkpoint(std::string_view sensor);
  Status set_checkpoint(std::string_view sensor, const spool_checkpoint& c);

  Result<std::vector<message_row>> search(const search_filter& f);
  Result<std::optional<message_row>> find_message(std::string_view id);
  Result<std::optional<session_record>> find_session(std::string_view id);
  Result<totals> count();

  // Every row in id order, a page at a time after `after_id` ("" for the first page): for
  // `spampot migrate`, which copies one store into another.
  Result<std::vector<message_row>> messages_after(std::string_view after_id, std::size_t limit);
  Result<std::vector<session_record>> sessions_after(std::string_view after_id, std::size_t limit);
  Result<std::vector<std::pair<std::string, spool_checkpoint>>> checkpoints();

  // Empties what `sensor`'s spool can rebuild, for `reindex`: its captured rows, not imported
  // maillog records (not in any spool) nor other sensors' rows. Their sender authentication
  // verdicts are kept aside for restore_auth(). The harvest counters are
  // recounted from the rows that stay. Its quarantine goes too: reindex reads every record again.
  // Rows from spool segments retention dropped stay: no spool can rebuild them.
  Status clear(std::string_view sensor);

  // Where `sensor`'s spool directory is (its indexer records it), for reading raw messages on
  // that sensor's machine; nullopt when the sensor never recorded one.
  Status record_spool(std::string_view sensor, std::string_view path, Micros at);
  Result<std::optional<std::string>> recorded_spool(std::string_view sensor);

  // Spool records the store refused for good (a permanent error): set aside with the error, so
  // indexing goes on; `spampot reindex --quarantined` tries them again.
  Status quarantine(const quarantined_row& q);
  Result<std::vector<quarantined_row>> quarantined(std::string_view sensor);
  Status release_quarantined(std::string_view sensor, const spool_checkpoint& at);
  Result<std::uint64_t> count_quarantined();

  // Retention (store/retention_store.cpp). A dropped spool segment, recorded before its file
  // goes, so its messages' raw text reads as expired, never as lost.
  Status expire_segment(const expired_segment_row& e);
  Result<std::optional<expired_segment_row>> expired_segment(std::string_view sensor, std::uint32_t segment);
  // The newest segment of `sensor` dropped, and its newest record's time: reindex keeps the rows
  // up to there, which no spool can rebuild.
  Result<std::optional<expired_segment_row>> last_expired_segment(std::string_view sensor);
  // Deletes `sensor`'s message, session and page-request rows older than `older_than`, with their
  // recipients, AUTH attempts and forensics, `batch` messages a transaction; the harvest counters
  // stay. The pass is recorded when it deleted anything.
  Result<deleted_rows_row> delete_rows_before(std::string_view sensor, Micros older_than, Micros now,
                                              std::size_t batch = 1000);
  Result<retention_totals> count_retention();

  // A message's raw text kept in the store (store/raw_store.cpp), inside the caller's transaction;
  // written once, like the message. Read by pipeline::raw_source when no spool here holds it.
  Status put_raw(raw_row r);
  Result<std::optional<raw_row>> find_raw(std::string_view id);

  // The de-duplicated harvest (store/harvest.hpp), read the same way by every backend
  // (store/harvest_store.cpp). Most messages first, then most sessions; `limit` 0 for all.
  // A window with a trap domain is answered from the messages to that domain; without one,
  // from the per-day counters, so --since and --until select whole UTC days.
  Result<std::vector<key_stat>> top_keys(key_kind k, const window& w, std::size_t limit);
  // Every key of a kind in name order (the primary key's): what an export lists from.
  // Every key of a kind, ordered by the bytes of its name.
  Result<reader<key_stat>> read_keys(key_kind k);
  Result<std::optional<key_stat>> find_key(key_kind k, std::string_view name);
  Result<std::uint64_t> count_keys(key_kind k, const window& w);
  // Hour by hour, oldest first; hours with nothing are absent.
  Result<std::vector<hour_stat>> hours(const window& w);
  // When the first `n` messages to a trap domain arrived, oldest first.
  Result<std::vector<Micros>> first_messages(std::string_view domain, std::size_t n);
  // AUTH attempts grouped by `fields` ("username", "password" or both), most tried first.
  Result<std::vector<auth_stat>> top_auth(const std::vector<std::string>& fields, const window& w,
                                          std::size_t limit);

  // What a named list (an export's listing) holds now, and the changes: written together.
  // A page of it: up to `limit` entries after `after` (in the column's order; "" for the first).
  Result<std::vector<listing>> listed_page(std::string_view list, std::string_view after, std::size_t limit);
  // Inside the caller's transaction (store::transaction).
  Status record_listing_changes(std::string_view list, const std::vector<listing_event>& changes);
  Result<std::vector<listing_event>> listing_events(const window& w);

  // Seeds (store/seed_store.cpp). A seed page request, with the seed it minted, inside the
  // caller's transaction (the indexer's); true when new.
  Result<bool> put_http_request(const http_request_row& h);
  // A seed minted outside the spool (`spampot seed`), inside the caller's transaction; false
  // when the address is a seed already.
  Result<bool> add_seed(const seed_row& s);
  Result<std::optional<seed_row>> find_seed(std::string_view address);
  // True when mail or a RCPT ever reached the address: a new seed must not be one.
  Result<bool> address_seen(std::string_view address);
  // Every seed address, for the seed page's check that it never hands one out twice.
  Result<std::vector<std::string>> seed_addresses();
  // Every seed, oldest first, with the spam it drew within the window.
  Result<std::vector<seed_stat>> seed_stats(const window& w);
  Result<std::vector<seed_class_count>> seed_classes(const window& w);
  // Pages in id (address) order, for `spampot migrate`.
  Result<std::vector<http_request_row>> http_requests_after(std::string_view after_id, std::size_t limit);
  Result<std::vector<seed_row>> seeds_after(std::string_view after_address, std::size_t limit);

  // DNS-based lists (store/reputation_store.cpp). A check's answer goes into the history and
  // moves the entry's state on its list, inside the caller's transaction.
  Status record_check(const dnsbl_check_row& c);
  // Entries a list of `kind` should be asked about now, in name order after `after`: harvested
  // keys (ip: client IPs; domain: sender domains and HELO names) never checked on `list` or
  // last checked before `checked_before`, seen at or after `seen_since` when given.
  Result<std::vector<std::string>> due_entries(const std::string& kind, const std::string& list,
                                               Micros checked_before, std::optional<Micros> seen_since,
                                               const std::string& after, std::size_t limit);
  // Every entry's state on `list`, with the trap's first sighting of it; first seen at or
  // after `seen_since` when given.
  Result<std::vector<dnsbl_state_row>> dnsbl_states(const std::string& list,
                                                    std::optional<Micros> seen_since);
  // Where one entry stands on every list.
  Result<std::vector<dnsbl_state_row>> dnsbl_entry(const std::string& entry);
  Result<std::vector<dnsbl_check_row>> dnsbl_history(const std::string& entry);
  // A session's reverse DNS: ptr, fcrdns ("1" or "0"), error; empty when it is not stored.
  Result<std::vector<std::string>> session_dns(const std::string& session_id);

  // Message forensics (store/forensics_store.cpp). The details of message `m` just put, inside
  // the caller's transaction; its URL domains count as harvest keys at its receipt, overall and
  // at its trap domains.
  Status put_details(const message_details& d, const message_row& m);
  Result<std::optional<message_details>> find_details(std::string_view id);
  // Campaigns: the one whose fingerprint is this exact body, and the latest ones (at most
  // `limit` per block size) whose fuzzy hashes could match one of these block sizes.
  Result<std::optional<campaign_candidate>> campaign_with_body(const std::string& body_sha256);
  Result<std::vector<campaign_candidate>> campaign_candidates(const std::vector<std::int64_t>& block_sizes,
                                                              std::size_t limit);
  Status add_campaign(const std::string& id, const std::string& body_sha256, const std::string& fuzzy);
  // Campaigns with at least `min_size` messages in the window, largest first.
  Result<std::vector<campaign_stat>> campaign_stats(const window& w, std::size_t min_size);

  // Looks up again, with `where`, the networks of the rows of `sensor` a reindex keeps (imported
  // maillog records, rows of expired spool segments: reindex rebuilds the others), and recounts
  // the harvest when any changed. Returns the rows changed.
  Result<std::uint64_t> relocate(std::string_view sensor, const locator& where);
  // The distinct client addresses of one network (k: asn or country, `name` its key) within the
  // window, and how many of them a DNS-based list lists now (store/network_store.cpp).
  Result<network_ips> ips_of_network(key_kind k, std::string_view name, const window& w);
  // After a reindex: the verdicts clear() kept aside go back to the rebuilt messages (and the
  // counters are recounted); kept verdicts whose message did not come back are dropped.
  Result<std::uint64_t> restore_auth();
  // Captured messages received at or after `since` whose sender authentication is not evaluated
  // yet (store/auth_store.cpp), oldest first.
  Result<std::vector<message_row>> auth_pending_since(Micros since, std::size_t limit);
  // A message's SPF, DKIM and DMARC verdicts, inside the caller's transaction; each result
  // counted as a harvest key.
  Status put_auth(const message_row& m, auth_row a);
  // From domains that failed DMARC in the window (brands impersonated), most messages first.
  Result<std::vector<spoofed_stat>> spoofed_domains(const window& w, std::size_t limit);
  // The organisation the newest row of an AS names.
  Result<std::string> as_org(std::uint32_t asn);

  // Behaviour (store/behaviour_store.cpp): a fingerprint's family within the window; the
  // greylist experiment's RCPTs whose triplet was first held in it, oldest first; the sessions
  // tarpits slowed; and, for serve's start, what its greylist and greytrap knew before: the RCPTs
  // `sensor` held or let through whose triplet was first held since `since`, and the clients that
  // sent to a trap address since then, with the last time each did.
  Result<fingerprint_family> family_of(std::string_view fingerprint, const window& w);
  Result<std::vector<greylist_row>> greylist_rows(const window& w);
  Result<std::vector<tarpit_stat>> tarpit_stats(const window& w);
  Result<std::vector<greylist_row>> greylist_holds(std::string_view sensor, Micros since);
  Result<std::vector<std::pair<std::string, Micros>>> trap_senders(std::string_view sensor, Micros since);

  // Recounts the harvest tables from every stored row (after a reindex's clear, or when a
  // migration asked for it), a transaction per 10,000 rows; ends the recount a migration asked
  // for. `stop`, when set, ends it early between transactions (a transient error), still asked for.
  Status rebuild_harvest(const std::atomic<bool>* stop = nullptr);

  // A recount a migration asked for (store/migrations.cpp, version 19): nullopt when none is
  // asked for, else who claimed it last (empty `by` when nobody has yet).
  struct recount_claim {
    std::string host, by;
    std::int64_t pid = 0;
    Micros at = 0;
  };
  Result<std::optional<recount_claim>> recount_pending();
  // Does the recount if one is asked for and nobody else is at it, naming itself `by` in the
  // claim; true when it recounted. Another's claim holds while its process lives (on this host)
  // or renews it within kRecountLease (elsewhere): then false, the counters incomplete meanwhile.
  // Until the recount is done, a transaction that would add to the counters fails at commit
  // with a transient error (the caller retries; the recount counts what it wrote) unless it is
  // the recount's own.
  static constexpr Micros kRecountLease = 600 * kMicrosPerSecond;
  Result<bool> recount_if_pending(std::string_view by, const std::atomic<bool>* stop = nullptr);

 private:
  struct pending_harvest;
  using sql_rows = sql::rows;

  // The SQL primitives every statement runs on; values are always bound, never spliced.
  Result<std::uint64_t> run(const std::string& sql, const std::vector<bind_value>& args);
  Result<sql_rows> rows(const std::string& sql, const std::vector<bind_value>& args);
  const sql::dialect& dialect() const { return conn_->sql(); }
  std::string upsert(std::string_view conflict_columns) const { return dialect().upsert(conflict_columns); }
  std::string excluded(std::string_view column) const { return dialect().excluded(column); }
  std::string_view int_div() const { return dialect().int_div(); }
  // INSERT [IGNORE] of one row, each text value fitted to its column; rows changed.
  Result<std::uint64_t> insert(std::string_view table, std::vector<field> fields, std::vector<std::string>& problems,
                               bool ignore = false);
  // greylist_rows and greylist_holds: one query, `sensor` "" for every sensor.
  Result<std::vector<greylist_row>> greylist_of(const window& w, std::string_view sensor);
  Result<std::vector<session_record>> read_sessions(const std::string& where, const std::vector<bind_value>& args,
                                                 std::size_t limit);
  Result<std::vector<message_row>> read_messages(const std::string& where, const std::vector<bind_value>& args,
                                                 const std::string& order, std::size_t limit);

  // Called by put_message/put_session for a new row, inside the caller's transaction: the
  // counters are gathered and written at commit, a few multi-row statements per batch.
  Status count_message(const message_row& m);
  Status count_session(const session_record& s);
  // Deletes the forensics rows of `sensor`'s captured messages, inside clear()'s transaction,
  // before the messages themselves go; `kept` narrows the messages ("AND spool_segment > ?").
  Status clear_forensics(std::string_view sensor, const std::string& kept, const std::vector<bind_value>& kept_args);
  void gather(const row_hits& h);
  Status flush_harvest();

  std::unique_ptr<sql::connection> conn_;
  std::unique_ptr<pending_harvest> pending_;  // the transaction's
  std::unique_ptr<pending_harvest> record_;   // the open record's, merged into pending_ when kept
  // Whether a recount is asked for: unknown until looked up, and once none is, none for good (only
  // a migration asks, and this connection has migrated).
  enum class recount_asked { unknown, yes, no } recount_asked_ = recount_asked::unknown;
  bool recounting_ = false;  // this store is doing it: its counters go in
};

// A recount's state in words: "being recounted after an upgrade by serve of sensor x (pid 7 on
// host), last heard from at T", or that it is asked for and nobody has started it.
std::string describe(const store::recount_claim& c);

// A transaction that rolls back unless committed: every path out of a write is covered.
class transaction {
 public:
  explicit transaction(store& s) : s_(s), begun_(s.begin()) { open_ = begun_.ok(); }
  ~transaction() {
    if (open_) s_.rollback();
  }
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;

  // Whether begin() worked, and its error when not.
  const Status& begun() const { return begun_; }
  Status commit() {
    open_ = false;
    Status c = s_.commit();
    if (!c) s_.rollback();
    return c;
  }

 private:
  store& s_;
  Status begun_;
  bool open_ = false;
};

// How open() treats a database server that cannot be reached.
enum class reach { now, later };

// "sqlite:PATH" (or a bare path), or "mysql://...". Runs pending migrations. With reach::later
// (serve), a MariaDB server that is down at start is not an error: the store connects and
// migrates on first use, and until then every call fails and is retried by the caller, while
// the spool takes the mail. A malformed URL is an error either way.
// The file of a sqlite: URL (or a bare path); nullopt for a server's URL.
std::optional<std::filesystem::path> sqlite_file_of(std::string_view url);

Result<std::unique_ptr<store>> open(std::string_view url, reach when = reach::now);

// The URL with any password replaced by "***", for logs and errors.
std::string redact_url(std::string_view url);

}  // namespace spampot::store
