// The MariaDB/MySQL schema: the same tables, columns and version numbers as the SQLite one
// (store/sqlite/migrations.cpp), in MariaDB's dialect.
//
// Text columns are latin1 with a case-insensitive collation, and the connection speaks latin1
// too: every byte a peer sent (UTF-8 or not) goes in and comes out unchanged, as in SQLite, and
// address comparisons ignore ASCII case as the SQLite store's NOCASE does. utf8mb4 was rejected:
// strict mode refuses the invalid UTF-8 that spam carries.
#include "store/migrations.hpp"

#include <array>

namespace spampot::store {
namespace {

constexpr std::string_view kV1 = R"sql(
CREATE TABLE sessions (
  id            VARCHAR(32) PRIMARY KEY,
  sensor        VARCHAR(255) NOT NULL,
  started_at    BIGINT NOT NULL,
  ended_at      BIGINT NOT NULL,
  client_ip     VARCHAR(64) NOT NULL,
  client_ip_bin VARBINARY(16),
  client_port   INT NOT NULL,
  server_ip     VARCHAR(64) NOT NULL,
  server_port   INT NOT NULL,
  helo          TEXT NOT NULL,
  helo_verb     VARCHAR(16) NOT NULL,
  end_reason    VARCHAR(64) NOT NULL,
  commands      INT NOT NULL,
  messages      INT NOT NULL,
  errors        INT NOT NULL,
  violations    MEDIUMTEXT NOT NULL,
  transcript    MEDIUMTEXT NOT NULL,
  KEY sessions_started (started_at),
  KEY sessions_ip (client_ip_bin)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
CREATE TABLE messages (
  id               VARCHAR(32) PRIMARY KEY,
  session_id       VARCHAR(32) NOT NULL,
  sensor           VARCHAR(255) NOT NULL,
  received_at      BIGINT NOT NULL,
  client_ip        VARCHAR(64) NOT NULL,
  client_ip_bin    VARBINARY(16),
  client_port      INT NOT NULL,
  helo             TEXT NOT NULL,
  mail_from        VARCHAR(1024) NOT NULL,
  mail_from_domain VARCHAR(1024) NOT NULL,
  size             BIGINT NOT NULL,
  sha256           VARCHAR(64) NOT NULL,
  spool_segment    INT NOT NULL,
  spool_offset     BIGINT NOT NULL,
  message_id       TEXT NOT NULL,
  `date`           TEXT NOT NULL,
  subject          MEDIUMTEXT NOT NULL,
  from_header      TEXT NOT NULL,
  relay_attempt    TINYINT NOT NULL,
  flags            VARCHAR(255) NOT NULL,
  KEY messages_received (received_at),
  KEY messages_ip (client_ip_bin),
  KEY messages_from (mail_from(255)),
  KEY messages_from_domain (mail_from_domain(255)),
  KEY messages_session (session_id)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
CREATE TABLE message_recipients (
  message_id VARCHAR(32) NOT NULL,
  position   INT NOT NULL,
  address    VARCHAR(1024) NOT NULL,
  domain     VARCHAR(1024) NOT NULL,
  PRIMARY KEY (message_id, position),
  KEY message_recipients_address (address(255)),
  KEY message_recipients_domain (domain(255))
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
CREATE TABLE recipients (
  session_id VARCHAR(32) NOT NULL,
  position   INT NOT NULL,
  address    VARCHAR(1024) NOT NULL,
  domain     VARCHAR(1024) NOT NULL,
  accepted   TINYINT NOT NULL,
  relay      TINYINT NOT NULL,
  reply      TEXT NOT NULL,
  PRIMARY KEY (session_id, position),
  KEY recipients_address (address(255))
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
CREATE TABLE spool_checkpoint (
  singleton INT PRIMARY KEY,
  segment   INT NOT NULL,
  `offset`  BIGINT NOT NULL
) ENGINE=InnoDB;
INSERT INTO spool_checkpoint VALUES (1, 1, 0);
)sql";

constexpr std::string_view kV2 = R"sql(
ALTER TABLE messages ADD COLUMN imported TINYINT NOT NULL DEFAULT 0, ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN imported TINYINT NOT NULL DEFAULT 0, ADD COLUMN source TEXT NOT NULL DEFAULT '';
)sql";

constexpr std::string_view kV3 = R"sql(
CREATE TABLE spool_checkpoints (
  sensor   VARCHAR(255) PRIMARY KEY,
  segment  INT NOT NULL,
  `offset` BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
DROP TABLE spool_checkpoint;
)sql";

constexpr std::string_view kV4 = R"sql(
CREATE TABLE auth_attempts (
  session_id VARCHAR(32) NOT NULL,
  position   INT NOT NULL,
  at         BIGINT NOT NULL,
  mechanism  VARCHAR(64) NOT NULL,
  username   TEXT NOT NULL,
  password   TEXT NOT NULL,
  PRIMARY KEY (session_id, position),
  KEY auth_attempts_username (username(255))
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_bin;
)sql";

// Version 5 as in store/sqlite/migrations.cpp. Key names are compared byte for byte (latin1_bin):
// the store lower-cases those whose case means nothing, and keeps Subjects and Message-IDs exact.
constexpr std::string_view kV5 = R"sql(
CREATE TABLE harvest_keys (
  kind       VARCHAR(16) NOT NULL,
  name       VARCHAR(255) NOT NULL,
  first_seen BIGINT NOT NULL,
  last_seen  BIGINT NOT NULL,
  messages   BIGINT NOT NULL,
  sessions   BIGINT NOT NULL,
  days       BIGINT NOT NULL,
  PRIMARY KEY (kind, name),
  KEY harvest_keys_top (kind, messages, sessions)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_bin;
CREATE TABLE harvest_key_days (
  kind     VARCHAR(16) NOT NULL,
  name     VARCHAR(255) NOT NULL,
  day_no   BIGINT NOT NULL,
  first_at BIGINT NOT NULL,
  last_at  BIGINT NOT NULL,
  messages BIGINT NOT NULL,
  sessions BIGINT NOT NULL,
  PRIMARY KEY (kind, name, day_no),
  KEY harvest_key_days_day (kind, day_no)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_bin;
CREATE TABLE harvest_hours (
  domain         VARCHAR(255) NOT NULL,
  hour_no        BIGINT NOT NULL,
  messages       BIGINT NOT NULL,
  sessions       BIGINT NOT NULL,
  relay_attempts BIGINT NOT NULL,
  auth_attempts  BIGINT NOT NULL,
  PRIMARY KEY (domain, hour_no)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_bin;
ALTER TABLE sessions ADD COLUMN senders MEDIUMTEXT NOT NULL DEFAULT '';
ALTER TABLE message_recipients ADD COLUMN received_at BIGINT NOT NULL DEFAULT 0;
UPDATE message_recipients r JOIN messages m ON m.id = r.message_id SET r.received_at = m.received_at;
CREATE INDEX message_recipients_first ON message_recipients(domain(255), received_at);
CREATE INDEX messages_message_id ON messages(message_id(255), session_id);
CREATE TABLE listings (
  list_name VARCHAR(64) NOT NULL,
  entry     VARCHAR(255) NOT NULL,
  listed_at BIGINT NOT NULL,
  reason    TEXT NOT NULL,
  PRIMARY KEY (list_name, entry)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_bin;
CREATE TABLE listing_events (
  at        BIGINT NOT NULL,
  list_name VARCHAR(64) NOT NULL,
  entry     VARCHAR(255) NOT NULL,
  action    VARCHAR(16) NOT NULL,
  reason    TEXT NOT NULL,
  KEY listing_events_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_bin;
)sql";

constexpr std::string_view kV6 = R"sql(
ALTER TABLE sessions ADD COLUMN tls_version VARCHAR(32) NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN tls_cipher VARCHAR(128) NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN tls_sni VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN ja3 VARCHAR(32) NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN ja4 VARCHAR(64) NOT NULL DEFAULT '';
CREATE INDEX sessions_ja3 ON sessions(ja3);
CREATE INDEX sessions_ja4 ON sessions(ja4);
)sql";

// Version 7 as in store/sqlite/migrations.cpp; latin1_general_ci compares seed addresses
// without case, as SQLite's NOCASE does.
constexpr std::string_view kV7 = R"sql(
CREATE TABLE seeds (
  address    VARCHAR(255) NOT NULL PRIMARY KEY,
  domain     VARCHAR(255) NOT NULL,
  label      TEXT NOT NULL,
  kind       VARCHAR(16) NOT NULL,
  source     VARCHAR(16) NOT NULL,
  sensor     VARCHAR(255) NOT NULL,
  minted_at  BIGINT NOT NULL,
  request_id VARCHAR(32) NOT NULL,
  visitor_ip VARCHAR(64) NOT NULL,
  user_agent TEXT NOT NULL,
  KEY seeds_minted (minted_at)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
CREATE TABLE http_requests (
  id          VARCHAR(32) PRIMARY KEY,
  sensor      VARCHAR(255) NOT NULL,
  at          BIGINT NOT NULL,
  client_ip   VARCHAR(64) NOT NULL,
  client_port INT NOT NULL,
  server_ip   VARCHAR(64) NOT NULL,
  server_port INT NOT NULL,
  method      VARCHAR(255) NOT NULL,
  target      TEXT NOT NULL,
  version     VARCHAR(16) NOT NULL,
  host        TEXT NOT NULL,
  user_agent  TEXT NOT NULL,
  referer     TEXT NOT NULL,
  status      INT NOT NULL,
  problem     TEXT NOT NULL,
  seed        VARCHAR(255) NOT NULL,
  KEY http_requests_at (at),
  KEY http_requests_ip (client_ip)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
)sql";

// Reverse DNS of each session's client and DNS-based list answers with their history (issue 5).
constexpr std::string_view kV8 = R"sql(
ALTER TABLE sessions ADD COLUMN ptr VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN fcrdns INT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN dns_error VARCHAR(255) NOT NULL DEFAULT '';
CREATE TABLE dnsbl_checks (
  kind       VARCHAR(16) NOT NULL,
  entry      VARCHAR(255) NOT NULL,
  list_zone  VARCHAR(255) NOT NULL,
  checked_at BIGINT NOT NULL,
  verdict    VARCHAR(16) NOT NULL,
  codes      TEXT NOT NULL,
  meaning    TEXT NOT NULL,
  txt        TEXT NOT NULL,
  KEY dnsbl_checks_entry (entry, list_zone, checked_at)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
CREATE TABLE dnsbl_state (
  kind             VARCHAR(16) NOT NULL,
  entry            VARCHAR(255) NOT NULL,
  list_zone        VARCHAR(255) NOT NULL,
  first_checked_at BIGINT NOT NULL,
  last_checked_at  BIGINT NOT NULL,
  first_answer     VARCHAR(16) NOT NULL,
  first_answer_at  BIGINT NOT NULL,
  last_answer      VARCHAR(16) NOT NULL,
  first_listed_at  BIGINT NOT NULL,
  last_listed_at   BIGINT NOT NULL,
  codes            TEXT NOT NULL,
  meaning          TEXT NOT NULL,
  txt              TEXT NOT NULL,
  errors           BIGINT NOT NULL,
  last_error       TEXT NOT NULL,
  PRIMARY KEY (kind, entry, list_zone),
  KEY dnsbl_state_due (list_zone, last_checked_at)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
)sql";

constexpr std::string_view kV9 = R"sql(
CREATE TABLE message_details (
  id                 VARCHAR(32) NOT NULL PRIMARY KEY,
  subject            TEXT NOT NULL,
  from_name          TEXT NOT NULL,
  from_address       VARCHAR(255) NOT NULL,
  reply_to_name      TEXT NOT NULL,
  reply_to_address   TEXT NOT NULL,
  message_id         VARCHAR(255) NOT NULL,
  message_id_problem VARCHAR(16) NOT NULL,
  date_utc           BIGINT NOT NULL,
  date_problems      VARCHAR(64) NOT NULL,
  first_external_ip  VARCHAR(64) NOT NULL,
  body_sha256        VARCHAR(64) NOT NULL,
  body_fuzzy         TEXT NOT NULL,
  campaign           VARCHAR(32) NOT NULL,
  problems           TEXT NOT NULL,
  headers            MEDIUMTEXT NOT NULL,
  KEY message_details_message_id (message_id),
  KEY message_details_campaign (campaign)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
CREATE TABLE message_urls (
  message_id VARCHAR(32) NOT NULL,
  position   INT NOT NULL,
  url        TEXT NOT NULL,
  host       VARCHAR(255) NOT NULL,
  domain     VARCHAR(255) NOT NULL,
  source     VARCHAR(8) NOT NULL,
  PRIMARY KEY (message_id, position),
  KEY message_urls_host (host),
  KEY message_urls_domain (domain)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
CREATE TABLE message_attachments (
  message_id    VARCHAR(32) NOT NULL,
  position      INT NOT NULL,
  name          TEXT NOT NULL,
  declared_type VARCHAR(255) NOT NULL,
  sniffed_type  VARCHAR(255) NOT NULL,
  disposition   VARCHAR(32) NOT NULL,
  size          BIGINT NOT NULL,
  md5           CHAR(32) NOT NULL,
  sha1          CHAR(40) NOT NULL,
  sha256        CHAR(64) NOT NULL,
  PRIMARY KEY (message_id, position),
  KEY message_attachments_sha256 (sha256),
  KEY message_attachments_sha1 (sha1),
  KEY message_attachments_md5 (md5)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
CREATE TABLE received_hops (
  message_id VARCHAR(32) NOT NULL,
  position   INT NOT NULL,
  from_name  VARCHAR(255) NOT NULL,
  from_ip    VARCHAR(64) NOT NULL,
  by_name    VARCHAR(255) NOT NULL,
  protocol   VARCHAR(64) NOT NULL,
  hop_id     VARCHAR(255) NOT NULL,
  at         BIGINT NOT NULL,
  raw        TEXT NOT NULL,
  PRIMARY KEY (message_id, position)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
CREATE TABLE campaigns (
  id          VARCHAR(32) NOT NULL PRIMARY KEY,
  body_sha256 CHAR(64) NOT NULL,
  fuzzy       TEXT NOT NULL,
  block_size  BIGINT NOT NULL,
  KEY campaigns_body (body_sha256),
  KEY campaigns_block (block_size, id)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
)sql";

constexpr std::array<migration, 9> kMigrations{
    {{1, kV1}, {2, kV2}, {3, kV3}, {4, kV4}, {5, kV5}, {6, kV6}, {7, kV7}, {8, kV8}, {9, kV9}}};

}  // namespace

std::span<const migration> mysql_history() { return kMigrations; }

}  // namespace spampot::store
