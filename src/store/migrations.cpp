#include "store/migrations.hpp"

#include "base/time.hpp"

#include <cstdlib>
#include <string>
#include <vector>

namespace spampot::store {
namespace {

// Version 10: what fitting a value changed, per row; and the spool records the store refused
// for good (issue 16: one hostile message must not stop the index).
constexpr std::string_view kV10 = R"sql(
ALTER TABLE messages ADD COLUMN problems TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN problems TEXT NOT NULL DEFAULT '';
ALTER TABLE http_requests ADD COLUMN problems TEXT NOT NULL DEFAULT '';
CREATE TABLE quarantine (
  sensor         VARCHAR(255) NOT NULL,
  segment        BIGINT NOT NULL,
  `offset`       BIGINT NOT NULL,
  record_kind    VARCHAR(16) NOT NULL,
  record_id      VARCHAR(32) NOT NULL,
  error          TEXT NOT NULL,
  quarantined_at BIGINT NOT NULL,
  attempts       BIGINT NOT NULL,
  PRIMARY KEY (sensor, segment, `offset`)
){table_options};
)sql";

// Version 11: where each sensor's spool is, so `show --raw` and `search --maildir` on the
// sensor's own machine need no --spool (issue 22).
constexpr std::string_view kV11 = R"sql(
CREATE TABLE sensor_spools (
  sensor      VARCHAR(255) NOT NULL PRIMARY KEY,
  spool       TEXT NOT NULL,
  recorded_at BIGINT NOT NULL
){table_options};
)sql";

// Version 12: retention (issue 19). The spool segments dropped, so the raw text of their
// messages reads as expired rather than lost, and every pass that deleted old rows.
constexpr std::string_view kV12 = R"sql(
CREATE TABLE expired_segments (
  sensor     VARCHAR(255) NOT NULL,
  segment    BIGINT NOT NULL,
  bytes      BIGINT NOT NULL,
  newest_at  BIGINT NOT NULL,
  reason     VARCHAR(16) NOT NULL,
  expired_at BIGINT NOT NULL,
  PRIMARY KEY (sensor, segment)
){table_options};
CREATE TABLE deleted_rows (
  sensor        VARCHAR(255) NOT NULL,
  deleted_at    BIGINT NOT NULL,
  older_than    BIGINT NOT NULL,
  messages      BIGINT NOT NULL,
  sessions      BIGINT NOT NULL,
  http_requests BIGINT NOT NULL
){table_options};
CREATE INDEX deleted_rows_sensor ON deleted_rows(sensor, deleted_at);
CREATE INDEX sessions_sensor_ended ON sessions(sensor, ended_at);
CREATE INDEX messages_sensor_received ON messages(sensor, received_at);
)sql";

// Version 13: a message's raw text kept in the store itself (`[store] keep_raw`), so a fleet's
// central console and `show --raw` read it without the sensor's spool (issue 17). `codec` says
// how `data` holds it: "zstd", or "omitted" (data empty) when it was too big for a row.
constexpr std::string_view kV13 = R"sql(
CREATE TABLE message_raw (
  id        VARCHAR(32) NOT NULL PRIMARY KEY,
  codec     VARCHAR(16) NOT NULL,
  raw_bytes BIGINT NOT NULL,
  data      {long_blob} NOT NULL
){table_options};
)sql";

// Version 14: the country and autonomous system of each session's and message's client address,
// and of the first public address a message's Received chain names ([geoip], issue 20): looked
// up at index time, searched by (asn, time) and (country, time).
constexpr std::string_view kV14 = R"sql(
ALTER TABLE sessions ADD COLUMN country VARCHAR(2) NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN asn BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN as_org VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN country VARCHAR(2) NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN asn BIGINT NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN as_org VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE message_details ADD COLUMN origin_country VARCHAR(2) NOT NULL DEFAULT '';
ALTER TABLE message_details ADD COLUMN origin_asn BIGINT NOT NULL DEFAULT 0;
ALTER TABLE message_details ADD COLUMN origin_as_org VARCHAR(255) NOT NULL DEFAULT '';
CREATE INDEX messages_asn ON messages(asn, received_at, client_ip);
CREATE INDEX messages_country ON messages(country, received_at, client_ip);
CREATE INDEX sessions_asn ON sessions(asn, started_at, client_ip);
CREATE INDEX sessions_country ON sessions(country, started_at, client_ip);
)sql";

// Version 15: SPF of each captured message, evaluated after it is indexed (issue 20); "" while
// not evaluated, which is what the checker looks for by (spf, received_at).
constexpr std::string_view kV15 = R"sql(
ALTER TABLE messages ADD COLUMN spf VARCHAR(16) NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN spf_domain VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN spf_helo VARCHAR(16) NOT NULL DEFAULT '';
CREATE INDEX messages_spf ON messages(spf, received_at);
)sql";

// Version 16: DKIM signatures and DMARC of each captured message, evaluated with its SPF; the
// From domains that fail DMARC are read by (dmarc, received_at) for `report spoofed`. The
// verdicts are not in the spool: `reindex` keeps them aside in auth_kept while it rebuilds.
constexpr std::string_view kV16 = R"sql(
ALTER TABLE messages ADD COLUMN dkim VARCHAR(16) NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN dkim_signatures TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN dmarc VARCHAR(16) NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN dmarc_policy VARCHAR(16) NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN dmarc_domain VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN dmarc_alignment VARCHAR(16) NOT NULL DEFAULT '';
CREATE INDEX messages_dmarc ON messages(dmarc, received_at);
CREATE TABLE auth_kept (
  id              VARCHAR(32) NOT NULL PRIMARY KEY,
  spf             VARCHAR(16) NOT NULL,
  spf_domain      VARCHAR(255) NOT NULL,
  spf_helo        VARCHAR(16) NOT NULL,
  dkim            VARCHAR(16) NOT NULL,
  dkim_signatures TEXT NOT NULL,
  dmarc           VARCHAR(16) NOT NULL,
  dmarc_policy    VARCHAR(16) NOT NULL,
  dmarc_domain    VARCHAR(255) NOT NULL,
  dmarc_alignment VARCHAR(16) NOT NULL
){table_options};
)sql";

// Version 17: how each session's client behaved (issue 21): its behavioural fingerprint and the
// features behind it, searched by (fingerprint, started_at); the greylist experiment's verdict
// on each RCPT with its triplet's sender; and the time a tarpit held the session's replies back.
constexpr std::string_view kV17 = R"sql(
ALTER TABLE sessions ADD COLUMN fingerprint VARCHAR(32) NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN behaviour TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN tarpit VARCHAR(16) NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN tarpit_micros BIGINT NOT NULL DEFAULT 0;
ALTER TABLE recipients ADD COLUMN greylist VARCHAR(8) NOT NULL DEFAULT '';
ALTER TABLE recipients ADD COLUMN sender VARCHAR(1024) NOT NULL DEFAULT '';
ALTER TABLE recipients ADD COLUMN held_since BIGINT NOT NULL DEFAULT 0;
CREATE INDEX sessions_fingerprint ON sessions(fingerprint, started_at);
CREATE INDEX sessions_tarpit ON sessions(tarpit, started_at);
CREATE INDEX recipients_greylist ON recipients(greylist, held_since);
)sql";

// Version 18: the harvest per trap domain and day (issue 18), so a report restricted to one trap
// domain reads counters as every other report does, not every message sent there (a million
// messages took a second). A store from before it is recounted once (version 19 asks for it).
constexpr std::string_view kV18 = R"sql(
CREATE TABLE harvest_domain_days (
  domain   VARCHAR(255) NOT NULL,
  kind     VARCHAR(16) NOT NULL,
  name     VARCHAR(255) NOT NULL,
  day_no   BIGINT NOT NULL,
  first_at BIGINT NOT NULL,
  last_at  BIGINT NOT NULL,
  messages BIGINT NOT NULL,
  sessions BIGINT NOT NULL,
  PRIMARY KEY (domain, kind, name, day_no)
){key_table_options};
)sql";

// Version 19: a recount of the harvest counters kept in the store until it is done, so that one
// cut short (a restart, a kill) is taken up again and `serve` need not recount before it listens
// (store::recount_if_pending). The process doing it names itself in the row and renews it as it
// goes. Every store with rows is recounted once more here: one upgraded to 18 by an earlier
// build may have been stopped in the middle of its recount, and nothing else would tell.
constexpr std::string_view kV19 = R"sql(
CREATE TABLE harvest_recount (
  id           INT PRIMARY KEY,
  claimed_host VARCHAR(255) NOT NULL DEFAULT '',
  claimed_pid  BIGINT NOT NULL DEFAULT 0,
  claimed_by   VARCHAR(255) NOT NULL DEFAULT '',
  claimed_at   BIGINT NOT NULL DEFAULT 0
){table_options};
INSERT INTO harvest_recount (id) SELECT 1 FROM (SELECT 1 AS one) AS t
  WHERE EXISTS (SELECT 1 FROM sessions) OR EXISTS (SELECT 1 FROM messages)
     OR EXISTS (SELECT 1 FROM http_requests);
)sql";

// Version 20: the top of a kind read in its report's order (most messages, most sessions, then by
// name), so the first N rows end the read. Version 5's index, read backwards for the top, gives
// ties in descending name order, so every tie was sorted again: a kind whose keys all tie (a
// million Message-IDs seen once each) was sorted whole for its top 20, a second warm and five
// cold. Both tables keep their primary key in a secondary index, so the name costs no room.
constexpr std::string_view kV20 = R"sql(
CREATE INDEX harvest_keys_ranked ON harvest_keys(kind, messages DESC, sessions DESC, name);
DROP INDEX harvest_keys_top{drop_index_on harvest_keys};
)sql";

constexpr migration kShared[] = {{10, kV10}, {11, kV11}, {12, kV12}, {13, kV13}, {14, kV14},
                                 {15, kV15}, {16, kV16}, {17, kV17}, {18, kV18}, {19, kV19},
                                 {20, kV20}};

std::vector<migration> render(std::span<const migration> history, const sql::dialect& d,
                              std::vector<std::string>& texts) {
  std::vector<migration> out(history.begin(), history.end());
  texts.reserve(std::size(kShared));
  for (const auto& m : kShared) {
    std::string sql(m.sql);
    auto fill = [&](std::string_view name, std::string_view value) {
      for (std::size_t at; (at = sql.find(name)) != std::string::npos;)
        sql.replace(at, name.size(), value);
    };
    fill("{table_options}", d.table_options());
    fill("{key_table_options}", d.key_table_options());
    fill("{long_blob}", d.long_blob());
    fill("{drop_index_on harvest_keys}", d.drop_index_on("harvest_keys"));
    texts.push_back(std::move(sql));
    out.push_back({m.version, texts.back()});
  }
  return out;
}

Status run_one(sql::connection& c, const migration& m) {
  if (c.sql().transactional_ddl()) return c.exec(m.sql);
  std::string_view sql = m.sql;
  while (!sql.empty()) {
    const auto semi = sql.find(";\n");
    std::string_view one = sql.substr(0, semi);
    sql = semi == std::string_view::npos ? std::string_view() : sql.substr(semi + 2);
    while (!one.empty() && (one.front() == '\n' || one.front() == ' ')) one.remove_prefix(1);
    if (one.empty()) continue;
    if (auto s = c.exec(one); !s) return s;
  }
  return {};
}

}  // namespace

Result<int> migrate(sql::connection& c) {
  const sql::dialect& d = c.sql();
  const bool whole = d.transactional_ddl();
  if (!d.lock_migrations().empty()) {
    if (auto s = c.exec(d.lock_migrations()); !s) return s.failure();
  }
  struct unlock {
    sql::connection& c;
    ~unlock() {
      if (!c.sql().unlock_migrations().empty()) (void)c.exec(c.sql().unlock_migrations());
    }
  } release{c};
  if (auto s = c.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INT PRIMARY KEY, applied_at BIGINT NOT NULL)");
      !s)
    return s.failure();
  auto got = c.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {});
  if (!got || got->empty()) return Error{"reading schema version: " + got.error(), got.kind()};
  const int current = std::atoi(got->front()[0].c_str());
  const auto all = migrations(c.sql());
  if (current > all.back().version)
    return Error{"database schema version " + std::to_string(current) + " is newer than this spampot knows (" +
                 std::to_string(all.back().version) + ")"};
  for (const auto& m : all) {
    if (m.version <= current) continue;
    if (whole) {
      if (auto s = c.exec(d.begin()); !s) return s.failure();
    }
    Status step = run_one(c, m);
    if (step) {
      auto rec = c.run("INSERT INTO schema_migrations VALUES (?, ?)",
                       {std::int64_t{m.version}, now_micros() / kMicrosPerSecond});
      if (!rec) step = rec.failure();
    }
    if (step && whole) step = c.exec("COMMIT");
    if (!step) {
      if (whole) (void)c.exec("ROLLBACK");
      return Error{"migration " + std::to_string(m.version) + ": " + step.error(), step.kind()};
    }
  }
  return current;
}

std::span<const migration> migrations(const sql::dialect& d) {
  if (d.is == sql::dialect::kind::sqlite) {
    static std::vector<std::string> texts;
    static const std::vector<migration> all = render(sqlite_history(), d, texts);
    return all;
  }
  static std::vector<std::string> texts;
  static const std::vector<migration> all = render(mysql_history(), d, texts);
  return all;
}

}  // namespace spampot::store
