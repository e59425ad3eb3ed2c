#include "store/migrations.hpp"

#include <array>

namespace spampot::store {
namespace {

// Times are microseconds since the epoch, UTC. client_ip_bin is the 16-byte IPv4-mapped form,
// so CIDR searches are one indexed range scan for both address families.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE sessions (
  id            TEXT PRIMARY KEY,
  sensor        TEXT NOT NULL,
  started_at    INTEGER NOT NULL,
  ended_at      INTEGER NOT NULL,
  client_ip     TEXT NOT NULL,
  client_ip_bin BLOB,
  client_port   INTEGER NOT NULL,
  server_ip     TEXT NOT NULL,
  server_port   INTEGER NOT NULL,
  helo          TEXT NOT NULL,
  helo_verb     TEXT NOT NULL,
  end_reason    TEXT NOT NULL,
  commands      INTEGER NOT NULL,
  messages      INTEGER NOT NULL,
  errors        INTEGER NOT NULL,
  violations    TEXT NOT NULL,
  transcript    TEXT NOT NULL
);
CREATE INDEX sessions_started ON sessions(started_at);
CREATE INDEX sessions_ip ON sessions(client_ip_bin);

CREATE TABLE messages (
  id               TEXT PRIMARY KEY,
  session_id       TEXT NOT NULL,
  sensor           TEXT NOT NULL,
  received_at      INTEGER NOT NULL,
  client_ip        TEXT NOT NULL,
  client_ip_bin    BLOB,
  client_port      INTEGER NOT NULL,
  helo             TEXT NOT NULL,
  mail_from        TEXT NOT NULL,
  mail_from_domain TEXT NOT NULL,
  size             INTEGER NOT NULL,
  sha256           TEXT NOT NULL,
  spool_segment    INTEGER NOT NULL,
  spool_offset     INTEGER NOT NULL,
  message_id       TEXT NOT NULL,
  date             TEXT NOT NULL,
  subject          TEXT NOT NULL,
  from_header      TEXT NOT NULL,
  relay_attempt    INTEGER NOT NULL,
  flags            TEXT NOT NULL
);
CREATE INDEX messages_received ON messages(received_at);
CREATE INDEX messages_ip ON messages(client_ip_bin);
CREATE INDEX messages_from ON messages(mail_from COLLATE NOCASE);
CREATE INDEX messages_from_domain ON messages(mail_from_domain);
CREATE INDEX messages_session ON messages(session_id);

-- The accepted envelope recipients of each message.
CREATE TABLE message_recipients (
  message_id TEXT NOT NULL,
  position   INTEGER NOT NULL,
  address    TEXT NOT NULL,
  domain     TEXT NOT NULL,
  PRIMARY KEY (message_id, position)
);
CREATE INDEX message_recipients_address ON message_recipients(address COLLATE NOCASE);
CREATE INDEX message_recipients_domain ON message_recipients(domain);

-- Every RCPT of a session, accepted or refused, with our reply (directory harvest, relay tests).
CREATE TABLE recipients (
  session_id TEXT NOT NULL,
  position   INTEGER NOT NULL,
  address    TEXT NOT NULL,
  domain     TEXT NOT NULL,
  accepted   INTEGER NOT NULL,
  relay      INTEGER NOT NULL,
  reply      TEXT NOT NULL,
  PRIMARY KEY (session_id, position)
);
CREATE INDEX recipients_address ON recipients(address COLLATE NOCASE);

-- How far the journal is indexed. One row.
CREATE TABLE spool_checkpoint (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  segment   INTEGER NOT NULL,
  offset    INTEGER NOT NULL
);
INSERT INTO spool_checkpoint VALUES (1, 1, 0);
)sql";

// Imported maillog records: marked, with their source ("file:line") so that an analyst can go
// back to the log; imported messages have no spool record (spool_segment 0).
constexpr std::string_view kV2 = R"sql(
ALTER TABLE messages ADD COLUMN imported INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN imported INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN source TEXT NOT NULL DEFAULT '';
)sql";

// One checkpoint per sensor: a sensor's spool is its own, and a store may be shared. The single
// checkpoint of version 1 belongs to whichever sensor indexed into this file; its messages say.
constexpr std::string_view kV3 = R"sql(
CREATE TABLE spool_checkpoints (
  sensor  TEXT PRIMARY KEY,
  segment INTEGER NOT NULL,
  offset  INTEGER NOT NULL
);
INSERT INTO spool_checkpoints
  SELECT (SELECT sensor FROM messages WHERE imported = 0 ORDER BY received_at DESC LIMIT 1), segment, offset
  FROM spool_checkpoint WHERE (SELECT count(*) FROM messages WHERE imported = 0) > 0;
DROP TABLE spool_checkpoint;
)sql";

// Every AUTH attempt of a session, with the credentials exactly as sent.
constexpr std::string_view kV4 = R"sql(
CREATE TABLE auth_attempts (
  session_id TEXT NOT NULL,
  position   INTEGER NOT NULL,
  at         INTEGER NOT NULL,
  mechanism  TEXT NOT NULL,
  username   TEXT NOT NULL,
  password   TEXT NOT NULL,
  PRIMARY KEY (session_id, position)
);
CREATE INDEX auth_attempts_username ON auth_attempts(username);
)sql";

// The de-duplicated harvest (store/harvest.hpp): per key, per key and day, per hour and trap
// domain; kept up to date at index time. Version 5 also gives each message recipient its time
// (first-spam report: the first N messages to a domain, one index range) and keeps listing
// decisions with their audit trail. Existing rows are counted into the new tables on open.
constexpr std::string_view kV5 = R"sql(
CREATE TABLE harvest_keys (
  kind       TEXT NOT NULL,
  name       TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen  INTEGER NOT NULL,
  messages   INTEGER NOT NULL,
  sessions   INTEGER NOT NULL,
  days       INTEGER NOT NULL,
  PRIMARY KEY (kind, name)
) WITHOUT ROWID;
CREATE INDEX harvest_keys_top ON harvest_keys(kind, messages, sessions);
CREATE TABLE harvest_key_days (
  kind     TEXT NOT NULL,
  name     TEXT NOT NULL,
  day_no   INTEGER NOT NULL,
  first_at INTEGER NOT NULL,
  last_at  INTEGER NOT NULL,
  messages INTEGER NOT NULL,
  sessions INTEGER NOT NULL,
  PRIMARY KEY (kind, name, day_no)
) WITHOUT ROWID;
CREATE INDEX harvest_key_days_day ON harvest_key_days(kind, day_no);
CREATE TABLE harvest_hours (
  domain         TEXT NOT NULL,
  hour_no        INTEGER NOT NULL,
  messages       INTEGER NOT NULL,
  sessions       INTEGER NOT NULL,
  relay_attempts INTEGER NOT NULL,
  auth_attempts  INTEGER NOT NULL,
  PRIMARY KEY (domain, hour_no)
) WITHOUT ROWID;
ALTER TABLE sessions ADD COLUMN senders TEXT NOT NULL DEFAULT '';
ALTER TABLE message_recipients ADD COLUMN received_at INTEGER NOT NULL DEFAULT 0;
UPDATE message_recipients SET received_at =
  (SELECT received_at FROM messages WHERE messages.id = message_recipients.message_id);
CREATE INDEX message_recipients_first ON message_recipients(domain, received_at);
CREATE INDEX messages_message_id ON messages(message_id, session_id);
CREATE TABLE listings (
  list_name TEXT NOT NULL,
  entry     TEXT NOT NULL,
  listed_at INTEGER NOT NULL,
  reason    TEXT NOT NULL,
  PRIMARY KEY (list_name, entry)
);
CREATE TABLE listing_events (
  at        INTEGER NOT NULL,
  list_name TEXT NOT NULL,
  entry     TEXT NOT NULL,
  action    TEXT NOT NULL,
  reason    TEXT NOT NULL
);
CREATE INDEX listing_events_at ON listing_events(at);
)sql";

// What a session's TLS handshake showed: spamware families reuse TLS stacks.
constexpr std::string_view kV6 = R"sql(
ALTER TABLE sessions ADD COLUMN tls_version TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN tls_cipher TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN tls_sni TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN ja3 TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN ja4 TEXT NOT NULL DEFAULT '';
CREATE INDEX sessions_ja3 ON sessions(ja3);
CREATE INDEX sessions_ja4 ON sessions(ja4);
)sql";

// Seeded addresses and the seed page's requests (issue 10). A seed's address compares without
// case (its column's collation, used by every join on it), as mailers treat the local part.
constexpr std::string_view kV7 = R"sql(
CREATE TABLE seeds (
  address    TEXT PRIMARY KEY COLLATE NOCASE,
  domain     TEXT NOT NULL,
  label      TEXT NOT NULL,
  kind       TEXT NOT NULL,
  source     TEXT NOT NULL,
  sensor     TEXT NOT NULL,
  minted_at  INTEGER NOT NULL,
  request_id TEXT NOT NULL,
  visitor_ip TEXT NOT NULL,
  user_agent TEXT NOT NULL
);
CREATE INDEX seeds_minted ON seeds(minted_at);
CREATE TABLE http_requests (
  id          TEXT PRIMARY KEY,
  sensor      TEXT NOT NULL,
  at          INTEGER NOT NULL,
  client_ip   TEXT NOT NULL,
  client_port INTEGER NOT NULL,
  server_ip   TEXT NOT NULL,
  server_port INTEGER NOT NULL,
  method      TEXT NOT NULL,
  target      TEXT NOT NULL,
  version     TEXT NOT NULL,
  host        TEXT NOT NULL,
  user_agent  TEXT NOT NULL,
  referer     TEXT NOT NULL,
  status      INTEGER NOT NULL,
  problem     TEXT NOT NULL,
  seed        TEXT NOT NULL
);
CREATE INDEX http_requests_at ON http_requests(at);
CREATE INDEX http_requests_ip ON http_requests(client_ip);
)sql";

// Reverse DNS of each session's client and DNS-based list answers with their history (issue 5).
constexpr std::string_view kV8 = R"sql(
ALTER TABLE sessions ADD COLUMN ptr TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN fcrdns INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN dns_error TEXT NOT NULL DEFAULT '';
CREATE TABLE dnsbl_checks (
  kind       TEXT NOT NULL,
  entry      TEXT NOT NULL,
  list_zone  TEXT NOT NULL,
  checked_at INTEGER NOT NULL,
  verdict    TEXT NOT NULL,
  codes      TEXT NOT NULL,
  meaning    TEXT NOT NULL,
  txt        TEXT NOT NULL
);
CREATE INDEX dnsbl_checks_entry ON dnsbl_checks(entry, list_zone, checked_at);
CREATE TABLE dnsbl_state (
  kind             TEXT NOT NULL,
  entry            TEXT NOT NULL,
  list_zone        TEXT NOT NULL,
  first_checked_at INTEGER NOT NULL,
  last_checked_at  INTEGER NOT NULL,
  first_answer     TEXT NOT NULL,
  first_answer_at  INTEGER NOT NULL,
  last_answer      TEXT NOT NULL,
  first_listed_at  INTEGER NOT NULL,
  last_listed_at   INTEGER NOT NULL,
  codes            TEXT NOT NULL,
  meaning          TEXT NOT NULL,
  txt              TEXT NOT NULL,
  errors           INTEGER NOT NULL,
  last_error       TEXT NOT NULL,
  PRIMARY KEY (kind, entry, list_zone)
);
CREATE INDEX dnsbl_state_due ON dnsbl_state(list_zone, last_checked_at);
)sql";

constexpr std::string_view kV9 = R"sql(
CREATE TABLE message_details (
  id                 TEXT PRIMARY KEY,
  subject            TEXT NOT NULL,
  from_name          TEXT NOT NULL,
  from_address       TEXT NOT NULL COLLATE NOCASE,
  reply_to_name      TEXT NOT NULL,
  reply_to_address   TEXT NOT NULL,
  message_id         TEXT NOT NULL,
  message_id_problem TEXT NOT NULL,
  date_utc           INTEGER NOT NULL,
  date_problems      TEXT NOT NULL,
  first_external_ip  TEXT NOT NULL,
  body_sha256        TEXT NOT NULL,
  body_fuzzy         TEXT NOT NULL,
  campaign           TEXT NOT NULL,
  problems           TEXT NOT NULL,
  headers            TEXT NOT NULL
);
CREATE INDEX message_details_message_id ON message_details(message_id);
CREATE INDEX message_details_campaign ON message_details(campaign);
CREATE TABLE message_urls (
  message_id TEXT NOT NULL,
  position   INTEGER NOT NULL,
  url        TEXT NOT NULL,
  host       TEXT NOT NULL,
  domain     TEXT NOT NULL,
  source     TEXT NOT NULL,
  PRIMARY KEY (message_id, position)
);
CREATE INDEX message_urls_host ON message_urls(host);
CREATE INDEX message_urls_domain ON message_urls(domain);
CREATE TABLE message_attachments (
  message_id    TEXT NOT NULL,
  position      INTEGER NOT NULL,
  name          TEXT NOT NULL,
  declared_type TEXT NOT NULL,
  sniffed_type  TEXT NOT NULL,
  disposition   TEXT NOT NULL,
  size          INTEGER NOT NULL,
  md5           TEXT NOT NULL,
  sha1          TEXT NOT NULL,
  sha256        TEXT NOT NULL,
  PRIMARY KEY (message_id, position)
);
CREATE INDEX message_attachments_sha256 ON message_attachments(sha256);
CREATE INDEX message_attachments_sha1 ON message_attachments(sha1);
CREATE INDEX message_attachments_md5 ON message_attachments(md5);
CREATE TABLE received_hops (
  message_id TEXT NOT NULL,
  position   INTEGER NOT NULL,
  from_name  TEXT NOT NULL,
  from_ip    TEXT NOT NULL,
  by_name    TEXT NOT NULL,
  protocol   TEXT NOT NULL,
  hop_id     TEXT NOT NULL,
  at         INTEGER NOT NULL,
  raw        TEXT NOT NULL,
  PRIMARY KEY (message_id, position)
);
CREATE TABLE campaigns (
  id          TEXT PRIMARY KEY,
  body_sha256 TEXT NOT NULL,
  fuzzy       TEXT NOT NULL,
  block_size  INTEGER NOT NULL
);
CREATE INDEX campaigns_body ON campaigns(body_sha256);
CREATE INDEX campaigns_block ON campaigns(block_size, id);
)sql";

constexpr std::array<migration, 9> kMigrations{
    {{1, kV1}, {2, kV2}, {3, kV3}, {4, kV4}, {5, kV5}, {6, kV6}, {7, kV7}, {8, kV8}, {9, kV9}}};

}  // namespace

std::span<const migration> sqlite_history() {
  return kMigrations;
}

}  // namespace spampot::store
