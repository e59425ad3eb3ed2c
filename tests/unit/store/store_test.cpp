// The store's test suite, run unchanged against every backend: SQLite on real database files, and
// MariaDB on the real server that tests/scripts/mariadb.sh starts on loopback (the Mariadb/ tests
// run when SPAMPOT_TEST_MARIADB_DIR names it; CTest sets that up for them).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>
#include <tuple>

#include "base/domain.hpp"
#include "base/utf8.hpp"
#include "store/columns.hpp"
#include "store/copy.hpp"
#include "store/store.hpp"

namespace spampot::store {
namespace {

namespace fs = std::filesystem;

// A fresh, empty store of the backend under test; empty when that backend is not available.
std::string fresh_store_url(const std::string& backend, std::string name, fs::path& sqlite_path,
                            std::string& mariadb_name) {
  for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';  // "Test/0"
  if (backend == "sqlite") {
    sqlite_path = fs::temp_directory_path() /
                  ("spampot-store-" + std::to_string(::getpid()) + "-" + name + ".db");
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(sqlite_path.string() + suffix);
    return "sqlite:" + sqlite_path.string();
  }
  const char* dir = std::getenv("SPAMPOT_TEST_MARIADB_DIR");
  if (!dir) return "";
  std::string db = "spampot_unit_" + name;
  if (db.size() > 60) db.resize(60);
  mariadb_name = db;
  const std::string cmd =
      std::string(SPAMPOT_SOURCE_DIR) + "/tests/scripts/mariadb.sh db " + dir + " " + db;
  FILE* p = ::popen(cmd.c_str(), "r");
  char buf[512] = {};
  const bool got = p && std::fgets(buf, sizeof buf, p) != nullptr;
  if (p) ::pclose(p);
  std::string url = got ? buf : "";
  while (!url.empty() && url.back() == '\n') url.pop_back();
  EXPECT_FALSE(url.empty()) << "cannot make database " << db << " with " << cmd;
  return url.empty() ? "mysql://failed-to-make-a-database" : url;
}

std::string fresh_store_url(const std::string& backend, std::string name, fs::path& sqlite_path) {
  std::string unused;
  return fresh_store_url(backend, std::move(name), sqlite_path, unused);
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    url_ = fresh_store_url(GetParam(), ::testing::UnitTest::GetInstance()->current_test_info()->name(),
                           path_, db_);
    if (url_.empty()) GTEST_SKIP() << "no MariaDB server for this run (SPAMPOT_TEST_MARIADB_DIR)";
    auto s = open(url_);
    ASSERT_TRUE(s.ok()) << s.error();
    st_ = std::move(s).value();
  }
  void TearDown() override {
    st_.reset();
    remove();
  }
  void remove() {
    if (path_.empty()) return;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix);
  }

  static message_row msg(const std::string& id, Micros at, const std::string& ip,
                         const std::string& from, std::vector<std::string> to) {
    message_row m;
    m.id = id;
    m.session_id = "S" + id;
    m.sensor = "test";
    m.received_at = at;
    m.client_ip = ip;
    m.client_port = 40000;
    m.helo = "bot";
    m.mail_from = from;
    m.mail_from_domain = domain_of(from);
    m.rcpt_to = std::move(to);
    m.size = 10;
    m.sha256 = "ab";
    m.subject = "hello \xff";  // not UTF-8: stored as U+FFFD
    return m;
  }

  void put(const message_row& m) {
    ASSERT_TRUE(st_->begin().ok());
    auto added = st_->put_message(m);
    ASSERT_TRUE(added.ok()) << added.error();
    auto done = st_->commit();
    ASSERT_TRUE(done.ok()) << done.error();
  }

  std::vector<std::string> ids(const search_filter& f) {
    auto r = st_->search(f);
    EXPECT_TRUE(r.ok()) << r.error();
    std::vector<std::string> out;
    for (const auto& m : *r) out.push_back(m.id);
    return out;
  }

  // Runs SQL beside the store, as an operator or a stricter schema would (the store offers no way
  // to break its own rules); returns the rows, tab-separated, a line each.
  std::string shell_sql(const std::string& sql) {
    std::string cmd;
    if (GetParam() == "sqlite") {
      cmd = "sqlite3 -separator '\t' '" + path_.string() + "' \"" + sql + "\"";
    } else {
      cmd = std::string(SPAMPOT_SOURCE_DIR) + "/tests/scripts/mariadb.sh sql " +
            std::getenv("SPAMPOT_TEST_MARIADB_DIR") + " " + db_ + " \"" + sql + "\"";
    }
    FILE* p = ::popen(cmd.c_str(), "r");
    std::string out;
    char buf[4096];
    while (p && std::fgets(buf, sizeof buf, p)) out += buf;
    EXPECT_EQ(p ? ::pclose(p) : -1, 0) << cmd;
    return out;
  }

  std::string url_;
  fs::path path_;
  std::string db_;
  std::unique_ptr<store> st_;
};

TEST_P(StoreTest, SearchFilters) {
  put(msg("A", 100, "192.0.2.1", "x@bad.example", {"a@trap.example"}));
  put(msg("B", 200, "192.0.2.77", "Y@Bad.Example", {"b@trap.example", "c@trap.example"}));
  put(msg("C", 300, "2001:db8::5", "z@other.example", {"c@trap.example"}));

  using V = std::vector<std::string>;
  EXPECT_EQ(ids({}), (V{"C", "B", "A"}));  // newest first
  search_filter f;
  f.since = 200;
  EXPECT_EQ(ids(f), (V{"C", "B"}));
  f = {};
  f.until = 200;
  EXPECT_EQ(ids(f), (V{"A"}));
  f = {};
  f.ip = cidr::parse("192.0.2.0/25");
  EXPECT_EQ(ids(f), (V{"B", "A"}));
  f.ip = cidr::parse("192.0.2.64/26");
  EXPECT_EQ(ids(f), (V{"B"}));
  f.ip = cidr::parse("2001:db8::/32");
  EXPECT_EQ(ids(f), (V{"C"}));
  f = {};
  f.from = "y@bad.example";
  EXPECT_EQ(ids(f), (V{"B"}));
  f.from = "@bad.example";
  EXPECT_EQ(ids(f), (V{"B", "A"}));
  f = {};
  f.to = "c@trap.example";
  EXPECT_EQ(ids(f), (V{"C", "B"}));
  f.limit = 1;
  EXPECT_EQ(ids(f), (V{"C"}));
  f = {};
  f.to = "@trap.example";
  f.from = "@other.example";
  EXPECT_EQ(ids(f), (V{"C"}));
}

TEST_P(StoreTest, KeysetPagesWalkEveryMessageOnceNewestFirst) {
  // Three messages share a second: the id breaks the tie, so no page repeats or skips one.
  for (const auto& [id, at] : std::vector<std::pair<std::string, Micros>>{
           {"A1", 100}, {"B1", 200}, {"B2", 200}, {"B3", 200}, {"C1", 300}, {"D1", 400}}) {
    auto m = msg(id, at, "192.0.2.1", "x@bad.example", {"a@trap.example"});
    if (id == "D1") m.sensor = "other";
    put(m);
  }
  search_filter f;
  f.limit = 2;
  std::vector<std::string> seen;
  for (int page = 0; page < 10; ++page) {
    auto rows = st_->search(f);
    ASSERT_TRUE(rows.ok()) << rows.error();
    for (const auto& m : *rows) seen.push_back(m.id);
    if (rows->size() < f.limit) break;
    f.before = search_filter::position{rows->back().received_at, rows->back().id};
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"D1", "C1", "B3", "B2", "B1", "A1"}));
  search_filter one_sensor;
  one_sensor.sensor = "other";
  EXPECT_EQ(ids(one_sensor), (std::vector<std::string>{"D1"}));
}

TEST_P(StoreTest, MessagesRoundTripAndAreIdempotent) {
  auto m = msg("A", 100, "192.0.2.1", "x@bad.example", {"b@trap.example", "a@trap.example"});
  m.flags = "bare_lf,long_lines";
  m.spool_segment = 3;
  m.spool_offset = 12345;
  put(m);
  put(m);  // indexed twice after a crash: nothing doubles
  auto got = st_->find_message("A");
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->rcpt_to, (std::vector<std::string>{"b@trap.example", "a@trap.example"}));
  EXPECT_EQ((*got)->subject, "hello \uFFFD");
  EXPECT_EQ((*got)->problems, "invalid_utf8:subject");
  EXPECT_EQ((*got)->spool_offset, 12345u);
  EXPECT_EQ((*got)->flags, "bare_lf,long_lines");
  EXPECT_EQ(st_->count()->messages, 1u);
  EXPECT_FALSE(st_->find_message("nope")->has_value());
}

TEST_P(StoreTest, RawTextKeepsEveryByteAndGoesWithItsMessage) {
  std::string bytes;
  for (int round = 0; round < 3; ++round)
    for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  put(msg("A", 100, "192.0.2.1", "x@bad.example", {"a@trap.example"}));
  ASSERT_TRUE(st_->begin().ok());
  ASSERT_TRUE(st_->put_raw({"A", "zstd", 4096, bytes}).ok());
  ASSERT_TRUE(st_->put_raw({"A", "zstd", 1, "again"}).ok());  // written once, like its message
  ASSERT_TRUE(st_->commit().ok());
  auto got = st_->find_raw("A");
  ASSERT_TRUE(got.ok()) << got.error();
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->codec, "zstd");
  EXPECT_EQ((*got)->raw_bytes, 4096u);
  EXPECT_EQ((*got)->data, bytes);
  EXPECT_FALSE(st_->find_raw("B")->has_value());
  // Retention's row deletion takes it with the message.
  ASSERT_TRUE(st_->delete_rows_before("test", 200, 1000).ok());
  EXPECT_FALSE(st_->find_raw("A")->has_value());
}

TEST_P(StoreTest, SessionsWithRecipients) {
  session_record s;
  s.id = "S1";
  s.sensor = "t";
  s.client_ip = "198.51.100.9";
  s.end_reason = "quit";
  s.violations = {{1, "relay_attempt", "v@gmail.com"}};
  s.transcript = "+0.000 S: 220 x\n";
  s.auth_attempts = {{5, "PLAIN", "admin", " Pass\xffword "}, {6, "LOGIN", "root", ""}};
  s.recipients = {{"v@gmail.com", "gmail.com", false, true, "554 5.7.1 ..."},
                  {"a@trap.example", "trap.example", true, false, "250 2.1.5 Ok"}};
  s.tls_version = "TLSv1.3";
  s.tls_cipher = "TLS_AES_256_GCM_SHA384";
  s.tls_sni = "mx.trap.example";
  ASSERT_TRUE(st_->begin().ok());
  auto first = st_->put_session(s);
  auto again = st_->put_session(s);
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_TRUE(*first);
  EXPECT_FALSE(*again);  // stored before: nothing added
  ASSERT_TRUE(st_->commit().ok());
  auto got = st_->find_session("S1");
  ASSERT_TRUE(got.ok() && got->has_value());
  ASSERT_EQ((*got)->recipients.size(), 2u);
  EXPECT_TRUE((*got)->recipients[0].relay);
  EXPECT_EQ((*got)->transcript, s.transcript);
  ASSERT_EQ((*got)->violations.size(), 1u);
  EXPECT_EQ((*got)->violations[0].kind, "relay_attempt");
  EXPECT_EQ((*got)->violations[0].detail, "v@gmail.com");
  ASSERT_EQ((*got)->auth_attempts.size(), 2u);
  EXPECT_EQ((*got)->auth_attempts[0].password, " Pass\uFFFDword ");  // as sent, made UTF-8
  EXPECT_EQ((*got)->problems, "invalid_utf8:password");
  EXPECT_EQ((*got)->auth_attempts[1].mechanism, "LOGIN");
  EXPECT_EQ((*got)->tls_version, "TLSv1.3");
  EXPECT_EQ((*got)->tls_cipher, "TLS_AES_256_GCM_SHA384");
  EXPECT_EQ((*got)->tls_sni, "mx.trap.example");
  EXPECT_EQ(st_->count()->sessions, 1u);
}

TEST_P(StoreTest, CheckpointMovesWithTheTransaction) {
  EXPECT_EQ(st_->checkpoint("a")->offset, 0u);
  ASSERT_TRUE(st_->begin().ok());
  ASSERT_TRUE(st_->set_checkpoint("a", {2, 999}).ok());
  st_->rollback();
  EXPECT_EQ(st_->checkpoint("a")->segment, 1u);
  ASSERT_TRUE(st_->begin().ok());
  ASSERT_TRUE(st_->set_checkpoint("a", {2, 999}).ok());
  ASSERT_TRUE(st_->set_checkpoint("b", {7, 1}).ok());
  ASSERT_TRUE(st_->commit().ok());
  EXPECT_EQ(st_->checkpoint("a")->offset, 999u);
  EXPECT_EQ(st_->checkpoint("b")->segment, 7u);  // each sensor its own
  ASSERT_TRUE(st_->clear("a").ok());
  EXPECT_EQ(st_->checkpoint("a")->offset, 0u);
  EXPECT_EQ(st_->checkpoint("b")->segment, 7u);
}

TEST_P(StoreTest, ClearTakesOnlyWhatTheSensorsSpoolCanRebuild) {
  auto a = msg("A", 100, "192.0.2.1", "x@bad.example", {"a@trap.example"});
  a.sensor = "ams-1";
  auto b = msg("B", 100, "192.0.2.1", "x@bad.example", {"a@trap.example"});
  b.sensor = "fra-1";
  auto c = msg("C", 100, "192.0.2.1", "x@bad.example", {"a@trap.example"});
  c.sensor = "ams-1";
  c.imported = true;
  put(a);
  put(b);
  put(c);
  ASSERT_TRUE(st_->clear("ams-1").ok());
  EXPECT_EQ(ids({}), (std::vector<std::string>{"C", "B"}));
}

TEST_P(StoreTest, TextIsStoredAsValidUtf8) {
  // Peer text is not always UTF-8: ASCII and well-formed UTF-8 come back exactly, every byte that
  // starts no character (and NUL) as U+FFFD, the same in every backend. The spool keeps the bytes.
  std::string all, want;
  for (int c = 0; c < 256; ++c) {
    all += static_cast<char>(c);
    want += c == 0 || c >= 0x80 ? std::string("\uFFFD") : std::string(1, static_cast<char>(c));
  }
  const std::string scripts = "\u8A0E\u8AD6 \u043F\u0440\u0438\u0432\u0435\u0442 \U0001F600 e\u0301";
  auto m = msg("A", 100, "192.0.2.1", "x@bad.example", {"a@trap.example"});
  m.subject = all + scripts;
  m.helo = "\xff\xfe bot";
  m.from = scripts;
  put(m);
  auto got = st_->find_message("A");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->subject, want + scripts);
  EXPECT_EQ((*got)->helo, "\uFFFD\uFFFD bot");
  EXPECT_EQ((*got)->from, scripts);
  EXPECT_EQ((*got)->problems, "invalid_utf8:helo,invalid_utf8:subject");
}

TEST_P(StoreTest, ReopeningKeepsDataAndSchema) {
  if (GetParam() != "sqlite") GTEST_SKIP() << "reopening a file";
  put(msg("A", 100, "192.0.2.1", "x@bad.example", {"a@trap.example"}));
  st_.reset();
  auto again = open("sqlite:" + path_.string());
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_EQ((*again)->count()->messages, 1u);
}

TEST_P(StoreTest, PagesAndCopyingIntoAnotherStore) {
  for (int i = 0; i < 5; ++i) put(msg("M" + std::to_string(i), 100 + i, "192.0.2.1", "x@bad.example", {"a@trap.example"}));
  session_record s;
  s.id = "S1";
  s.sensor = "test";
  s.recipients = {{"v@gmail.com", "gmail.com", false, true, "554"}};
  ASSERT_TRUE(st_->begin().ok());
  ASSERT_TRUE(st_->put_session(s).ok());
  ASSERT_TRUE(st_->set_checkpoint("test", {3, 42}).ok());
  ASSERT_TRUE(st_->put_raw({"M2", "zstd", 7, std::string("\0\xff raw", 6)}).ok());
  ASSERT_TRUE(st_->commit().ok());
  auto page = st_->messages_after("M1", 2);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].id, "M2");
  EXPECT_EQ((*page)[1].id, "M3");

  // Copy into a fresh SQLite store, twice: the second adds nothing.
  fs::path other;
  auto dest = open(fresh_store_url("sqlite", "copy_dest_" + GetParam(), other));
  ASSERT_TRUE(dest.ok());
  auto first = copy_store(*st_, **dest);
  ASSERT_TRUE(first.ok()) << first.error();
  EXPECT_EQ(first->messages, 5u);
  EXPECT_EQ(first->sessions, 1u);
  auto again = copy_store(*st_, **dest);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->messages, 0u);
  EXPECT_EQ(again->already, 6u);
  EXPECT_EQ((*dest)->checkpoint("test")->offset, 42u);
  auto copied = (*dest)->find_session("S1");
  ASSERT_TRUE(copied.ok() && copied->has_value());
  EXPECT_EQ((*copied)->recipients.size(), 1u);
  auto raw = (*dest)->find_raw("M2");  // a fleet's kept raw text moves with its message
  ASSERT_TRUE(raw.ok() && raw->has_value());
  EXPECT_EQ((*raw)->data, std::string("\0\xff raw", 6));
  dest->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(other.string() + suffix);
}


namespace {

constexpr Micros kDay = 86400LL * 1000000;

session_record sess(const std::string& id, Micros at, const std::string& ip, std::vector<std::string> senders,
                 std::vector<std::string> accepted) {
  session_record s;
  s.id = id;
  s.sensor = "test";
  s.started_at = s.ended_at = at;
  s.client_ip = ip;
  s.helo = "Bot.Example";
  s.senders = std::move(senders);
  for (const auto& a : accepted) s.recipients.push_back({a, domain_of(a), true, false, "250 2.1.5 Ok"});
  s.recipients.push_back({"victim@elsewhere.example", "elsewhere.example", false, true, "554 5.7.1 Relay"});
  s.auth_attempts.push_back({at, "PLAIN", "admin", "123456"});
  s.violations = {};
  return s;
}

}  // namespace

TEST_P(StoreTest, HarvestCountsEachKeyOnceWithSeenTimesAndDays) {
  // Session S1 on day 10 sends two messages; session S2 from the same IP on day 12 sends one.
  auto m1 = msg("M1", 10 * kDay + 5, "192.0.2.7", "Spammer@Mail.Bad.co.uk", {"a@trap.example", "b@trap.example"});
  m1.session_id = "S1";
  m1.message_id = "<x@bad>";
  auto m2 = msg("M2", 10 * kDay + 9, "192.0.2.7", "spammer@mail.bad.co.uk", {"a@trap.example"});
  m2.session_id = "S1";
  m2.message_id = "<x@bad>";
  auto m3 = msg("M3", 12 * kDay, "192.0.2.7", "other@bad.co.uk", {"A@Trap.Example"});
  m3.session_id = "S2";
  m3.message_id = "<x@bad>";
  for (const auto* m : {&m1, &m2, &m3}) put(*m);
  put(m1);  // indexed twice (a crash between commit and checkpoint): counts once
  ASSERT_TRUE(st_->begin().ok());
  ASSERT_TRUE(st_->put_session(sess("S1", 10 * kDay, "192.0.2.7", {"spammer@mail.bad.co.uk"},
                                    {"a@trap.example", "b@trap.example"})).ok());
  ASSERT_TRUE(st_->put_session(sess("S2", 12 * kDay, "192.0.2.7", {"other@bad.co.uk"}, {"a@trap.example"})).ok());
  ASSERT_TRUE(st_->commit().ok());

  auto ip = st_->find_key(key_kind::ip, "192.0.2.7");
  ASSERT_TRUE(ip.ok()) << ip.error();
  ASSERT_TRUE(ip->has_value());
  EXPECT_EQ((*ip)->messages, 3u);
  EXPECT_EQ((*ip)->sessions, 2u);
  EXPECT_EQ((*ip)->days, 2u);
  EXPECT_EQ((*ip)->first_seen, 10 * kDay);
  EXPECT_EQ((*ip)->last_seen, 12 * kDay);

  // Senders fold case; sender domains fold to the registrable domain (public suffix co.uk).
  auto sender = st_->find_key(key_kind::sender, "SPAMMER@mail.bad.co.uk");
  ASSERT_TRUE(sender.ok() && sender->has_value());
  EXPECT_EQ((*sender)->messages, 2u);
  EXPECT_EQ((*sender)->sessions, 1u);
  auto dom = st_->find_key(key_kind::sender_domain, "bad.co.uk");
  ASSERT_TRUE(dom.ok() && dom->has_value());
  EXPECT_EQ((*dom)->messages, 3u);
  EXPECT_EQ((*dom)->sessions, 2u);

  // The same Message-ID twice in one session is one session.
  auto mid = st_->find_key(key_kind::message_id, "<x@bad>");
  ASSERT_TRUE(mid.ok() && mid->has_value());
  EXPECT_EQ((*mid)->messages, 3u);
  EXPECT_EQ((*mid)->sessions, 2u);
  // Subjects count their sessions the same way (read from the session's messages).
  auto subject = st_->find_key(key_kind::subject, "hello \xff");  // keys are fitted as rows are
  ASSERT_TRUE(subject.ok() && subject->has_value());
  EXPECT_EQ((*subject)->messages, 3u);
  EXPECT_EQ((*subject)->sessions, 2u);

  auto rcpts = st_->top_keys(key_kind::recipient, {}, 0);
  ASSERT_TRUE(rcpts.ok()) << rcpts.error();
  ASSERT_EQ(rcpts->size(), 2u);  // the refused relay target is not a trap address
  EXPECT_EQ((*rcpts)[0].name, "a@trap.example");
  EXPECT_EQ((*rcpts)[0].messages, 3u);
  EXPECT_EQ((*rcpts)[0].sessions, 2u);
  EXPECT_EQ((*rcpts)[1].name, "b@trap.example");
  EXPECT_EQ((*rcpts)[1].messages, 1u);

  // A window of whole days: day 12 alone.
  window w;
  w.since = 12 * kDay;
  auto late = st_->top_keys(key_kind::ip, w, 10);
  ASSERT_TRUE(late.ok()) << late.error();
  ASSERT_EQ(late->size(), 1u);
  EXPECT_EQ((*late)[0].messages, 1u);
  EXPECT_EQ((*late)[0].sessions, 1u);
  auto n = st_->count_keys(key_kind::sender, w);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1u);

  // Hours: overall and per trap domain; relay and AUTH tries count per session.
  auto hours = st_->hours({});
  ASSERT_TRUE(hours.ok()) << hours.error();
  ASSERT_EQ(hours->size(), 2u);
  EXPECT_EQ((*hours)[0].hour, 240);
  EXPECT_EQ((*hours)[0].messages, 2u);
  EXPECT_EQ((*hours)[0].sessions, 1u);
  EXPECT_EQ((*hours)[0].relay_attempts, 1u);
  EXPECT_EQ((*hours)[0].auth_attempts, 1u);
  window trap;
  trap.domain = "trap.example";
  auto trap_hours = st_->hours(trap);
  ASSERT_TRUE(trap_hours.ok());
  ASSERT_EQ(trap_hours->size(), 2u);
  EXPECT_EQ((*trap_hours)[1].messages, 1u);

  // Restricted to a trap domain: counted as overall, from the rows that reached it (its own
  // counters, kept at index time).
  auto by_domain = st_->top_keys(key_kind::sender, trap, 10);
  ASSERT_TRUE(by_domain.ok()) << by_domain.error();
  ASSERT_EQ(by_domain->size(), 2u);
  EXPECT_EQ((*by_domain)[0].name, "spammer@mail.bad.co.uk");
  EXPECT_EQ((*by_domain)[0].messages, 2u);  // M1 went to two addresses there: once
  EXPECT_EQ((*by_domain)[0].sessions, 1u);
  EXPECT_EQ((*by_domain)[0].days, 1u);
  auto domains = st_->top_keys(key_kind::sender_domain, trap, 10);  // merged by registrable domain
  ASSERT_TRUE(domains.ok()) << domains.error();
  ASSERT_EQ(domains->size(), 1u);
  EXPECT_EQ((*domains)[0].name, "bad.co.uk");
  EXPECT_EQ((*domains)[0].messages, 3u);
  EXPECT_EQ((*domains)[0].sessions, 2u);
  EXPECT_EQ((*domains)[0].days, 2u);
  EXPECT_EQ((*domains)[0].first_seen, 10 * kDay);  // S1, which sent it, began then
  EXPECT_EQ((*domains)[0].last_seen, 12 * kDay);
  EXPECT_EQ(*st_->count_keys(key_kind::sender, trap), 2u);
  trap.since = 12 * kDay;
  EXPECT_EQ(*st_->count_keys(key_kind::sender, trap), 1u);
  by_domain = st_->top_keys(key_kind::ip, trap, 10);
  ASSERT_TRUE(by_domain.ok()) << by_domain.error();
  ASSERT_EQ(by_domain->size(), 1u);
  EXPECT_EQ((*by_domain)[0].messages, 1u);
  EXPECT_EQ((*by_domain)[0].sessions, 1u);
  trap.since.reset();
  auto itself = st_->top_keys(key_kind::trap_domain, trap, 10);  // the one trap domain of the window
  ASSERT_TRUE(itself.ok()) << itself.error();
  ASSERT_EQ(itself->size(), 1u);
  EXPECT_EQ((*itself)[0].name, "trap.example");
  EXPECT_EQ((*itself)[0].messages, 3u);
  EXPECT_EQ((*itself)[0].sessions, 2u);
  // The relay test's target reached no trap: nothing counts there.
  window relayed;
  relayed.domain = "elsewhere.example";
  EXPECT_EQ(*st_->count_keys(key_kind::ip, relayed), 0u);

  auto first = st_->first_messages("trap.example", 100);
  ASSERT_TRUE(first.ok()) << first.error();
  EXPECT_EQ(*first, (std::vector<Micros>{10 * kDay + 5, 10 * kDay + 9, 12 * kDay}));

  auto auth = st_->top_auth({"username", "password"}, {}, 10);
  ASSERT_TRUE(auth.ok()) << auth.error();
  ASSERT_EQ(auth->size(), 1u);
  EXPECT_EQ((*auth)[0].values, (std::vector<std::string>{"admin", "123456"}));
  EXPECT_EQ((*auth)[0].attempts, 2u);
}

TEST_P(StoreTest, ATopListIsReadInItsOrderNotSortedWhole) {
  // Message-IDs seen once each tie, and ties go by name; the one seen twice leads.
  int n = 0;
  for (const char* id : {"<c@x>", "<a@x>", "<z@x>", "<b@x>", "<z@x>"}) {
    ++n;
    auto m = msg("M" + std::to_string(n), 10 * kDay + n, "192.0.2.7", "x@bad.example", {"a@trap.example"});
    m.session_id = "S" + std::to_string(n);
    m.message_id = id;
    put(m);
  }
  auto top = st_->top_keys(key_kind::message_id, {}, 3);
  ASSERT_TRUE(top.ok()) << top.error();
  ASSERT_EQ(top->size(), 3u);
  EXPECT_EQ((*top)[0].name, "<z@x>");
  EXPECT_EQ((*top)[0].messages, 2u);
  EXPECT_EQ((*top)[1].name, "<a@x>");
  EXPECT_EQ((*top)[2].name, "<b@x>");
  if (GetParam() != "sqlite") return;  // MariaDB's optimizer may scan a table this small whole
  // The query top_keys runs ends after its first rows: nothing is sorted, a million ties included.
  const auto plan = shell_sql(
      "EXPLAIN QUERY PLAN SELECT name, first_seen, last_seen, messages, sessions, days FROM harvest_keys "
      "WHERE kind = 'message_id' ORDER BY messages DESC, sessions DESC, name LIMIT 3");
  EXPECT_NE(plan.find("harvest_keys_ranked"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
}

TEST_P(StoreTest, ClearRecountsTheHarvestFromTheRowsThatStay) {
  auto a = msg("A", 100, "192.0.2.1", "x@bad.example", {"a@trap.example"});
  a.sensor = "ams-1";
  auto b = msg("B", 200, "192.0.2.1", "x@bad.example", {"a@trap.example"});
  b.sensor = "fra-1";
  put(a);
  put(b);
  ASSERT_TRUE(st_->clear("ams-1").ok());
  auto ip = st_->find_key(key_kind::ip, "192.0.2.1");
  ASSERT_TRUE(ip.ok() && ip->has_value());
  EXPECT_EQ((*ip)->messages, 1u);
  EXPECT_EQ((*ip)->first_seen, 200);
  put(a);  // reindexed
  ip = st_->find_key(key_kind::ip, "192.0.2.1");
  EXPECT_EQ((*ip)->messages, 2u);
  EXPECT_EQ((*ip)->first_seen, 100);
}

TEST_P(StoreTest, RetentionDeletesOldRowsAndTheCountersStay) {
  for (Micros at : {100, 200, 300}) put(msg("M" + std::to_string(at), at, "192.0.2.1", "x@bad.example", {"a@trap.example"}));
  for (Micros ended : {150, 350}) {
    session_record s;
    s.id = "S" + std::to_string(ended);
    s.sensor = "test";
    s.started_at = ended - 10;
    s.ended_at = ended;
    s.client_ip = "192.0.2.1";
    s.end_reason = "quit";
    s.auth_attempts = {{ended, "PLAIN", "admin", "x"}};
    s.recipients = {{"a@trap.example", "trap.example", true, false, "250 2.1.5 Ok"}};
    ASSERT_TRUE(st_->begin().ok());
    ASSERT_TRUE(st_->put_session(s).ok());
    ASSERT_TRUE(st_->commit().ok());
  }
  auto other = msg("O", 50, "192.0.2.1", "x@bad.example", {"a@trap.example"});
  other.sensor = "fra-1";  // another sensor's rows are its own retention's business
  put(other);

  // A batch of one: every row still goes, a transaction each.
  auto d = st_->delete_rows_before("test", 250, 1000, 1);
  ASSERT_TRUE(d.ok()) << d.error();
  EXPECT_EQ(d->messages, 2u);
  EXPECT_EQ(d->sessions, 1u);
  EXPECT_EQ(ids({}), (std::vector<std::string>{"M300", "O"}));
  EXPECT_FALSE(st_->find_session("S150")->has_value());
  EXPECT_TRUE(st_->find_session("S350")->has_value());
  auto ip = st_->find_key(key_kind::ip, "192.0.2.1");
  ASSERT_TRUE(ip.ok() && ip->has_value());
  EXPECT_EQ((*ip)->messages, 4u);  // the counters keep what the rows no longer hold
  EXPECT_EQ((*ip)->first_seen, 50);
  EXPECT_EQ(shell_sql("SELECT count(*) FROM auth_attempts"), "1\n");
  EXPECT_EQ(shell_sql("SELECT count(*) FROM recipients"), "1\n");
  EXPECT_EQ(shell_sql("SELECT count(*) FROM message_recipients"), "2\n");

  auto again = st_->delete_rows_before("test", 250, 2000, 1);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->messages + again->sessions + again->http_requests, 0u);
  auto t = st_->count_retention();
  ASSERT_TRUE(t.ok()) << t.error();
  EXPECT_EQ(t->messages, 2u);
  EXPECT_EQ(t->sessions, 1u);
  EXPECT_EQ(shell_sql("SELECT count(*) FROM deleted_rows"), "1\n");  // a pass that deleted nothing is not kept
}

TEST_P(StoreTest, ClearKeepsTheRowsOfExpiredSegments) {
  for (std::uint32_t seg : {1u, 2u, 3u}) {
    auto m = msg("M" + std::to_string(seg), seg * 100, "192.0.2.1", "x@bad.example", {"a@trap.example"});
    m.spool_segment = seg;
    put(m);
  }
  EXPECT_FALSE(st_->last_expired_segment("test")->has_value());
  for (std::uint32_t seg : {1u, 2u})
    ASSERT_TRUE(st_->expire_segment({"test", seg, 4096, seg * 100 + 5, "max_age", 999}).ok());
  ASSERT_TRUE(st_->expire_segment({"test", 2, 4096, 205, "max_age", 999}).ok());  // recorded again: once
  auto e = st_->expired_segment("test", 2);
  ASSERT_TRUE(e.ok() && e->has_value());
  EXPECT_EQ((*e)->reason, "max_age");
  EXPECT_EQ((*e)->expired_at, 999);
  EXPECT_FALSE(st_->expired_segment("test", 3)->has_value());
  EXPECT_FALSE(st_->expired_segment("other", 2)->has_value());
  EXPECT_EQ((*st_->last_expired_segment("test"))->segment, 2u);
  EXPECT_EQ(st_->count_retention()->segments, 2u);
  EXPECT_EQ(st_->count_retention()->bytes, 8192u);

  // reindex empties what the spool can rebuild: segment 3. Segments 1 and 2 are gone from it.
  ASSERT_TRUE(st_->clear("test").ok());
  EXPECT_EQ(ids({}), (std::vector<std::string>{"M2", "M1"}));
  auto ip = st_->find_key(key_kind::ip, "192.0.2.1");
  EXPECT_EQ((*ip)->messages, 2u);
}

TEST_P(StoreTest, ListingChangesAreKeptWithTheirTrail) {
  {
    transaction tx(*st_);
    ASSERT_TRUE(st_->record_listing_changes("ips", {{100, "ips", "192.0.2.1", "added", "3 messages"},
                                                    {100, "ips", "192.0.2.2", "added", "1 message"}}).ok());
    ASSERT_TRUE(st_->record_listing_changes("ips", {{200, "ips", "192.0.2.2", "removed", "expired"}}).ok());
    ASSERT_TRUE(tx.commit().ok());
  }
  auto now = st_->listed_page("ips", "", 10);
  ASSERT_TRUE(now.ok()) << now.error();
  ASSERT_EQ(now->size(), 1u);
  EXPECT_EQ((*now)[0].entry, "192.0.2.1");
  EXPECT_TRUE(st_->listed_page("ips", "192.0.2.1", 10)->empty());
  window w;
  w.since = 150;
  auto trail = st_->listing_events(w);
  ASSERT_TRUE(trail.ok());
  ASSERT_EQ(trail->size(), 1u);
  EXPECT_EQ((*trail)[0].action, "removed");
}

// An export reads the keys through a cursor and writes the listing's trail as it goes, on the
// one connection: MariaDB's server-side cursor and SQLite's own statement allow that.
TEST_P(StoreTest, KeysAreReadOneAtATimeWhileTheTrailIsWritten) {
  for (int i = 0; i < 30; ++i)
    put(msg("K" + std::to_string(i), 1000 + i, "192.0.2.1", "s" + std::to_string(i % 10) + "@Spam.example",
            {"a@trap.example"}));
  transaction tx(*st_);
  ASSERT_TRUE(tx.begun().ok());
  auto keys = st_->read_keys(key_kind::sender);
  ASSERT_TRUE(keys.ok()) << keys.error();
  std::vector<std::string> names;
  key_stat k;
  while (keys->next(k)) {
    names.push_back(k.name);
    EXPECT_EQ(k.messages, 3u) << k.name;
    ASSERT_TRUE(st_->record_listing_changes("senders", {{1, "senders", k.name, "added", "r"}}).ok());
  }
  ASSERT_TRUE(keys->status().ok()) << keys->status().error();
  ASSERT_TRUE(tx.commit().ok());
  ASSERT_EQ(names.size(), 10u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(names.front(), "s0@spam.example");
  EXPECT_EQ(st_->listed_page("senders", "", 100)->size(), 10u);
}

namespace {

http_request_row visit(const std::string& id, Micros at, const std::string& ip, const std::string& seed) {
  http_request_row h;
  h.id = id;
  h.sensor = "test";
  h.at = at;
  h.client_ip = ip;
  h.client_port = 50000;
  h.method = "GET";
  h.target = "/contact";
  h.version = "1.1";
  h.user_agent = "EmailSiphon";
  h.status = 200;
  h.seed = seed;
  h.seed_domain = "trap.example";
  h.seed_label = "seed page";
  return h;
}

}  // namespace

TEST_P(StoreTest, SeedsTraceSpamToTheirPlantingAndClassTheRest) {
  ASSERT_TRUE(st_->begin().ok());
  // A page visit mints a seed; a second record of the same request adds nothing.
  auto v = st_->put_http_request(visit("H1", 1000, "198.51.100.7", "anna.keller84@trap.example"));
  ASSERT_TRUE(v.ok()) << v.error();
  EXPECT_TRUE(*v);
  EXPECT_FALSE(*st_->put_http_request(visit("H1", 1000, "198.51.100.7", "anna.keller84@trap.example")));
  ASSERT_TRUE(st_->put_http_request(visit("H2", 1500, "198.51.100.7", "")).ok());  // robots.txt
  ASSERT_TRUE(st_->add_seed({"Whois.Contact@trap.example", "trap.example", "registrar", "registration",
                             "cli", "test", 500, "", "", ""}).ok());
  auto again = st_->add_seed({"whois.contact@trap.example", "trap.example", "x", "planted", "cli", "test",
                              600, "", "", ""});
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);  // a seed already, whatever the case
  ASSERT_TRUE(st_->commit().ok());

  // Spam to the seed (in another case), before its minting (not harvested: guessed), to the
  // registration seed, and to an address never planted.
  put(msg("M1", 5000, "192.0.2.1", "a@spam.example", {"Anna.Keller84@trap.example"}));
  put(msg("M2", 7000, "192.0.2.2", "b@spam.example", {"anna.keller84@trap.example"}));
  put(msg("M3", 9000, "192.0.2.1", "a@spam.example", {"anna.keller84@trap.example", "x@trap.example"}));
  put(msg("M0", 900, "192.0.2.3", "c@spam.example", {"anna.keller84@trap.example"}));
  put(msg("M4", 9500, "192.0.2.4", "d@spam.example", {"whois.contact@trap.example"}));
  put(msg("M5", 9600, "192.0.2.5", "e@spam.example", {"john@trap.example"}));

  auto stats = st_->seed_stats({});
  ASSERT_TRUE(stats.ok()) << stats.error();
  ASSERT_EQ(stats->size(), 2u);
  const auto& reg = (*stats)[0];  // oldest first
  EXPECT_EQ(reg.seed.address, "whois.contact@trap.example");
  EXPECT_EQ(reg.seed.kind, "registration");
  EXPECT_EQ(reg.messages, 1u);
  const auto& page = (*stats)[1];
  EXPECT_EQ(page.seed.address, "anna.keller84@trap.example");
  EXPECT_EQ(page.seed.source, "page");
  EXPECT_EQ(page.seed.visitor_ip, "198.51.100.7");
  EXPECT_EQ(page.seed.user_agent, "EmailSiphon");
  EXPECT_EQ(page.seed.minted_at, 1000);
  EXPECT_EQ(page.messages, 3u);
  EXPECT_EQ(page.first_spam, 5000);
  EXPECT_EQ(page.last_spam, 9000);
  ASSERT_EQ(page.ips.size(), 2u);
  EXPECT_EQ(page.ips[0], (std::pair<std::string, std::uint64_t>{"192.0.2.1", 2}));
  EXPECT_EQ(page.ips[1], (std::pair<std::string, std::uint64_t>{"192.0.2.2", 1}));
  EXPECT_EQ(page.senders.size(), 2u);

  window w;
  w.since = 6000;
  auto later = st_->seed_stats(w);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ((*later)[1].messages, 2u);
  EXPECT_EQ((*later)[1].first_spam, 7000);

  auto classes = st_->seed_classes({});
  ASSERT_TRUE(classes.ok()) << classes.error();
  ASSERT_EQ(classes->size(), 3u);
  EXPECT_EQ((*classes)[0].cls, "planted");
  EXPECT_EQ((*classes)[0].messages, 3u);  // M3 went to a guessed address too: planted wins
  EXPECT_EQ((*classes)[1].messages, 1u);
  EXPECT_EQ((*classes)[2].cls, "guessed");
  EXPECT_EQ((*classes)[2].messages, 2u);  // M0 (before the minting) and M5

  // The visitor that took a seed is a harvester key; the robots.txt request is not.
  auto h = st_->find_key(key_kind::harvester, "198.51.100.7");
  ASSERT_TRUE(h.ok() && h->has_value());
  EXPECT_EQ((*h)->sessions, 1u);
  EXPECT_TRUE(*st_->address_seen("John@trap.example"));
  EXPECT_FALSE(*st_->address_seen("nobody@trap.example"));
  auto known = st_->seed_addresses();
  ASSERT_TRUE(known.ok());
  EXPECT_EQ(known->size(), 2u);

  // A reindex clears what the spool rebuilds: the page's seed and requests, not the CLI's seed;
  // the harvester count goes with them.
  ASSERT_TRUE(st_->clear("test").ok());
  EXPECT_FALSE(st_->find_seed("anna.keller84@trap.example")->has_value());
  EXPECT_TRUE(st_->find_seed("whois.contact@trap.example")->has_value());
  EXPECT_FALSE(st_->find_key(key_kind::harvester, "198.51.100.7")->has_value());
}

// What version 19 asks of an upgraded store, claimed the ways a fleet meets it: by a process on
// this machine that lives or has died, by one elsewhere that renews its claim or has gone quiet.
TEST_P(StoreTest, ARecountAnUpgradeAsksForIsDoneOnceByWhoeverMayClaimIt) {
  put(msg("A", 1000, "192.0.2.1", "x@bad.example", {"a@trap.example"}));
  put(msg("B", 2000, "192.0.2.1", "y@bad.example", {"b@trap.example", "c@other.example"}));
  EXPECT_EQ(shell_sql("SELECT count(*) FROM harvest_recount"), "0\n");  // a new store has none
  auto senders_at_trap = [&](store& s) {
    auto got = s.count_keys(key_kind::sender, window{std::nullopt, std::nullopt, "trap.example"});
    EXPECT_TRUE(got.ok()) << got.error();
    return got.ok() ? *got : 0;
  };
  ASSERT_EQ(senders_at_trap(*st_), 2u);
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  const pid_t dead = ::fork();  // a pid that was a process and is none now
  if (dead == 0) ::_exit(0);
  ::waitpid(dead, nullptr, 0);
  const Micros now = now_micros();
  // Counters as an older build left them (none per trap domain), and the migration's request,
  // claimed by a process of this machine that still runs (the test's parent).
  shell_sql("DELETE FROM harvest_domain_days");
  shell_sql("INSERT INTO harvest_recount (id, claimed_host, claimed_pid, claimed_by, claimed_at) VALUES (1, '" +
            std::string(host) + "', " + std::to_string(::getppid()) + ", 'serve of sensor x', 0)");
  auto claimed = [&](const std::string& who_host, std::int64_t pid, Micros at) {
    shell_sql("UPDATE harvest_recount SET claimed_host = '" + who_host + "', claimed_pid = " +
              std::to_string(pid) + ", claimed_at = " + std::to_string(at));
    auto s = open(url_);
    EXPECT_TRUE(s.ok()) << s.error();
    return std::move(s).value();
  };
  {
    auto other = claimed(host, ::getppid(), 0);
    auto pending = other->recount_pending();
    ASSERT_TRUE(pending.ok() && pending->has_value());
    EXPECT_EQ((*pending)->by, "serve of sensor x");
    auto done = other->recount_if_pending("test");
    ASSERT_TRUE(done.ok()) << done.error();
    EXPECT_FALSE(*done);
    EXPECT_EQ(senders_at_trap(*other), 0u);  // incomplete until the recount ends
    // A row that would add to the counters waits: refused at commit as a transient error, and
    // nothing of it stays.
    ASSERT_TRUE(other->begin().ok());
    ASSERT_TRUE(other->put_message(msg("C", 3000, "192.0.2.9", "z@bad.example", {"d@trap.example"})).ok());
    auto refused = other->commit();
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.kind(), error_kind::transient);
    EXPECT_NE(refused.error().find("recounted"), std::string::npos) << refused.error();
    EXPECT_EQ(shell_sql("SELECT count(*) FROM messages"), "2\n");
    // Elsewhere, renewed within the lease: held too.
    auto fleet = claimed("sensor-b.example", 1, now_micros());
    EXPECT_FALSE(*fleet->recount_if_pending("test"));
  }
  // The claimer died on this machine: taken over and done; its row goes with it.
  auto after_death = claimed(host, dead, now);
  auto done = after_death->recount_if_pending("test");
  ASSERT_TRUE(done.ok()) << done.error();
  EXPECT_TRUE(*done);
  EXPECT_EQ(shell_sql("SELECT count(*) FROM harvest_recount"), "0\n");
  EXPECT_EQ(senders_at_trap(*after_death), 2u);
  EXPECT_EQ((*after_death->find_key(key_kind::sender, "y@bad.example"))->messages, 1u);
  // Writers go on; the next recount_if_pending has nothing to do.
  ASSERT_TRUE(after_death->begin().ok());
  ASSERT_TRUE(after_death->put_message(msg("C", 3000, "192.0.2.9", "z@bad.example", {"d@trap.example"})).ok());
  ASSERT_TRUE(after_death->commit().ok());
  EXPECT_EQ(senders_at_trap(*after_death), 3u);
  EXPECT_FALSE(*after_death->recount_if_pending("test"));

  // Elsewhere and silent past the lease: taken over.
  shell_sql("INSERT INTO harvest_recount (id) VALUES (1)");
  auto quiet = claimed("sensor-b.example", 1, now_micros() - store::kRecountLease - kMicrosPerSecond);
  EXPECT_TRUE(*quiet->recount_if_pending("test"));
  EXPECT_EQ(senders_at_trap(*quiet), 3u);
}

TEST_P(StoreTest, SeedsAndPageRequestsAreCopiedAndRecounted) {
  ASSERT_TRUE(st_->begin().ok());
  ASSERT_TRUE(st_->put_http_request(visit("H1", 1000, "198.51.100.7", "anna.keller84@trap.example")).ok());
  ASSERT_TRUE(st_->add_seed({"m.j.rossi@trap.example", "trap.example", "forum", "planted", "cli", "test", 2000,
                             "", "", ""}).ok());
  ASSERT_TRUE(st_->commit().ok());
  ASSERT_TRUE(st_->rebuild_harvest().ok());
  EXPECT_EQ((*st_->find_key(key_kind::harvester, "198.51.100.7"))->sessions, 1u);

  fs::path other;
  auto dest = open(fresh_store_url("sqlite", "seed_copy_" + GetParam(), other));
  ASSERT_TRUE(dest.ok());
  auto first = copy_store(*st_, **dest);
  ASSERT_TRUE(first.ok()) << first.error();
  EXPECT_EQ(first->http_requests, 1u);
  EXPECT_EQ(first->seeds, 1u);  // the page's seed came with its request
  EXPECT_EQ(first->already, 1u);
  auto page_seed = (*dest)->find_seed("anna.keller84@trap.example");
  ASSERT_TRUE(page_seed.ok() && page_seed->has_value());
  EXPECT_EQ((*page_seed)->label, "seed page");
  EXPECT_EQ((*page_seed)->visitor_ip, "198.51.100.7");
  EXPECT_EQ((*(*dest)->find_key(key_kind::harvester, "198.51.100.7"))->sessions, 1u);
  dest->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(other.string() + suffix);
}

TEST_P(StoreTest, NetworksAreSearchedCountedReportedAndRelocated) {
  auto located = [](message_row m, const std::string& cc, std::uint32_t asn, const std::string& org) {
    m.country = cc;
    m.asn = asn;
    m.as_org = org;
    return m;
  };
  put(located(msg("N1", 1 * kDay, "192.0.2.1", "a@spam.example", {"x@trap.example"}), "DE", 64501, "Carrier One"));
  put(located(msg("N2", 2 * kDay, "192.0.2.2", "b@spam.example", {"y@other.example"}), "DE", 64501, "Carrier One"));
  put(located(msg("N3", 2 * kDay, "192.0.2.2", "b@spam.example", {"x@trap.example"}), "DE", 64501, "Carrier One"));
  put(located(msg("N4", 3 * kDay, "2001:db8::9", "c@spam.example", {"x@trap.example"}), "BR", 64502, "Rede"));
  put(msg("N5", 3 * kDay, "198.51.100.1", "d@spam.example", {"x@trap.example"}));  // unknown network
  session_record s = sess("SN4", 3 * kDay, "2001:db8::9", {"c@spam.example"}, {"x@trap.example"});
  s.country = "BR";
  s.asn = 64502;
  s.as_org = "Rede";
  ASSERT_TRUE(st_->begin().ok());
  ASSERT_TRUE(st_->put_session(s).ok());
  ASSERT_TRUE(st_->commit().ok());

  using V = std::vector<std::string>;
  search_filter f;
  f.asn = 64501;
  EXPECT_EQ(ids(f), (V{"N3", "N2", "N1"}));
  f = {};
  f.country = "BR";
  EXPECT_EQ(ids(f), (V{"N4"}));
  f.asn = 64501;
  EXPECT_EQ(ids(f), V{});
  auto found = st_->find_message("N4");
  ASSERT_TRUE(found.ok() && *found);
  EXPECT_EQ((*found)->as_org, "Rede");
  auto found_session = st_->find_session("SN4");
  ASSERT_TRUE(found_session.ok() && *found_session);
  EXPECT_EQ((*found_session)->asn, 64502u);

  // Counters: each message once, the session once; no key for an unknown network.
  auto asns = st_->top_keys(key_kind::asn, {}, 0);
  ASSERT_TRUE(asns.ok()) << asns.error();
  ASSERT_EQ(asns->size(), 2u);
  EXPECT_EQ((*asns)[0].name, "64501");
  EXPECT_EQ((*asns)[0].messages, 3u);
  EXPECT_EQ((*asns)[1].name, "64502");
  EXPECT_EQ((*asns)[1].sessions, 1u);
  auto countries = st_->top_keys(key_kind::country, {std::nullopt, std::nullopt, "trap.example"}, 0);
  ASSERT_TRUE(countries.ok()) << countries.error();
  ASSERT_EQ(countries->size(), 2u);
  EXPECT_EQ((*countries)[0].name, "DE");
  EXPECT_EQ((*countries)[0].messages, 2u);  // N2 went to another domain

  // Distinct addresses and how many a list lists.
  ASSERT_TRUE(st_->begin().ok());
  ASSERT_TRUE(st_->record_check({"ip", "192.0.2.2", "bl.test", 5, "listed", "127.0.0.2", "", ""}).ok());
  ASSERT_TRUE(st_->commit().ok());
  auto de = st_->ips_of_network(key_kind::asn, "64501", {});
  ASSERT_TRUE(de.ok()) << de.error();
  EXPECT_EQ(de->ips, 2u);
  EXPECT_EQ(de->listed, 1u);
  de = st_->ips_of_network(key_kind::country, "DE", {2 * kDay, std::nullopt, ""});
  ASSERT_TRUE(de.ok());
  EXPECT_EQ(de->ips, 1u);
  auto br = st_->ips_of_network(key_kind::asn, "64502", {std::nullopt, std::nullopt, "trap.example"});
  ASSERT_TRUE(br.ok());
  EXPECT_EQ(br->ips, 1u);
  EXPECT_EQ(br->listed, 0u);
  auto org = st_->as_org(64502);
  ASSERT_TRUE(org.ok());
  EXPECT_EQ(*org, "Rede");

  // A newer database: every row of the sensor is looked up again and the counters follow.
  auto changed = st_->relocate("test", [](std::string_view ip) {
    return ip == "198.51.100.1" ? network_row{"FR", 64509, "Nouveau"} : network_row{"NL", 64501, "Carrier One B.V."};
  });
  ASSERT_TRUE(changed.ok()) << changed.error();
  EXPECT_EQ(*changed, 6u);  // five messages, one session
  f = {};
  f.country = "NL";
  EXPECT_EQ(ids(f), (V{"N4", "N3", "N2", "N1"}));
  asns = st_->top_keys(key_kind::asn, {}, 0);
  ASSERT_TRUE(asns.ok());
  ASSERT_EQ(asns->size(), 2u);
  EXPECT_EQ((*asns)[0].name, "64501");
  EXPECT_EQ((*asns)[0].messages, 4u);
  EXPECT_EQ((*asns)[1].name, "64509");
  auto again = st_->relocate("test", [](std::string_view ip) {
    return ip == "198.51.100.1" ? network_row{"FR", 64509, "Nouveau"} : network_row{"NL", 64501, "Carrier One B.V."};
  });
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0u);
}

TEST_P(StoreTest, SenderAuthenticationIsWrittenOnceCountedSearchedAndSpoofedDomainsRanked) {
  put(msg("A1", 1 * kDay, "192.0.2.1", "x@mailer.example", {"x@trap.example"}));
  put(msg("A2", 2 * kDay, "192.0.2.2", "y@mailer.example", {"x@trap.example"}));
  put(msg("A3", 2 * kDay, "192.0.2.2", "z@mailer.example", {"x@other.example"}));
  message_row imported = msg("A4", 2 * kDay, "192.0.2.3", "w@mailer.example", {"x@trap.example"});
  imported.imported = true;
  imported.session_id.clear();
  put(imported);
  auto pending = st_->auth_pending_since(0, 10);
  ASSERT_TRUE(pending.ok()) << pending.error();
  ASSERT_EQ(pending->size(), 3u);  // an imported record is history: not judged by today's DNS
  EXPECT_EQ((*pending)[0].id, "A1");
  auto later = st_->auth_pending_since(2 * kDay, 10);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->size(), 2u);

  auto write = [&](const message_row& m, auth_row a) {
    ASSERT_TRUE(st_->begin().ok());
    ASSERT_TRUE(st_->put_auth(m, std::move(a)).ok());
    ASSERT_TRUE(st_->commit().ok());
  };
  write((*pending)[0], {"pass", "mailer.example", "none", "pass", "[]", "fail", "reject", "bank.example", ""});
  write((*pending)[1], {"fail", "mailer.example", "none", "fail", "[]", "fail", "quarantine", "bank.example", ""});
  write((*pending)[2], {"softfail", "mailer.example", "none", "none", "[]", "fail", "reject", "parcel.example", ""});
  // Written once: a second verdict for a message changes nothing and counts nothing.
  write((*pending)[0], {"fail", "x", "x", "fail", "[]", "pass", "", "", ""});
  auto left = st_->auth_pending_since(0, 10);
  ASSERT_TRUE(left.ok());
  EXPECT_TRUE(left->empty());
  auto a1 = st_->find_message("A1");
  ASSERT_TRUE(a1.ok() && *a1);
  EXPECT_EQ((*a1)->spf, "pass");
  EXPECT_EQ((*a1)->dmarc_policy, "reject");

  using V = std::vector<std::string>;
  search_filter f;
  f.dkim = "fail";
  EXPECT_EQ(ids(f), V{"A2"});
  f = {};
  f.dmarc = "fail";
  f.spf = "pass";
  EXPECT_EQ(ids(f), V{"A1"});
  auto spf = st_->top_keys(key_kind::spf, {}, 0);
  ASSERT_TRUE(spf.ok());
  ASSERT_EQ(spf->size(), 3u);
  for (const auto& k : *spf) EXPECT_EQ(k.messages, 1u) << k.name;

  auto spoofed = st_->spoofed_domains({}, 0);
  ASSERT_TRUE(spoofed.ok()) << spoofed.error();
  ASSERT_EQ(spoofed->size(), 2u);
  EXPECT_EQ((*spoofed)[0].domain, "bank.example");
  EXPECT_EQ((*spoofed)[0].messages, 2u);
  EXPECT_EQ((*spoofed)[0].ips, 2u);
  EXPECT_EQ((*spoofed)[0].first_seen, 1 * kDay);
  spoofed = st_->spoofed_domains({std::nullopt, std::nullopt, "trap.example"}, 0);
  ASSERT_TRUE(spoofed.ok());
  ASSERT_EQ(spoofed->size(), 1u);  // A3 went to another domain
  EXPECT_EQ((*spoofed)[0].messages, 2u);
  // The counters are recounted from the rows as they are.
  ASSERT_TRUE(st_->rebuild_harvest().ok());
  auto dmarc = st_->top_keys(key_kind::dmarc, {}, 0);
  ASSERT_TRUE(dmarc.ok());
  ASSERT_EQ(dmarc->size(), 1u);
  EXPECT_EQ((*dmarc)[0].messages, 3u);

  // reindex: clear() keeps the verdicts aside, the rebuilt rows (without any) take them back.
  ASSERT_TRUE(st_->clear("test").ok());
  f = {};
  EXPECT_EQ(ids(f), V{"A4"});  // the imported record stays
  put(msg("A1", 1 * kDay, "192.0.2.1", "x@mailer.example", {"x@trap.example"}));
  put(msg("A2", 2 * kDay, "192.0.2.2", "y@mailer.example", {"x@trap.example"}));  // A3 does not come back
  auto restored = st_->restore_auth();
  ASSERT_TRUE(restored.ok()) << restored.error();
  EXPECT_EQ(*restored, 2u);
  a1 = st_->find_message("A1");
  ASSERT_TRUE(a1.ok() && *a1);
  EXPECT_EQ((*a1)->dmarc_domain, "bank.example");
  f.dkim = "fail";
  EXPECT_EQ(ids(f), V{"A2"});
  dmarc = st_->top_keys(key_kind::dmarc, {}, 0);
  ASSERT_TRUE(dmarc.ok());
  ASSERT_EQ(dmarc->size(), 1u);
  EXPECT_EQ((*dmarc)[0].messages, 2u);
  EXPECT_EQ(shell_sql("SELECT count(*) FROM auth_kept"), "0\n");
  restored = st_->restore_auth();  // nothing kept any more
  ASSERT_TRUE(restored.ok());
  EXPECT_EQ(*restored, 0u);
}

TEST_P(StoreTest, BehaviourFamiliesGreylistAndTarpitsAreReadBack) {
  // Family A: two sessions from two addresses (one in an AS), three messages; family B: one
  // session that the greylist held and that never came back. A third address retried and passed.
  auto family = [&](const std::string& id, Micros at, const std::string& ip, const std::string& fp,
                    std::vector<std::string> message_ids, const std::string& subject) {
    session_record s = sess(id, at, ip, {"a@spam.example"}, {"x@trap.example"});
    s.fingerprint = fp;
    s.behaviour = "verbs=EHLO MAIL RCPT DATA\npipelining=RCPT DATA\n";
    s.helo = id == "SB1" ? "other.example" : "Bot.Example";
    for (const auto& m : message_ids) {
      message_row row = msg(m, at, ip, "a@spam.example", {"x@trap.example"});
      row.session_id = id;
      row.subject = subject;
      put(row);
    }
    return s;
  };
  const std::string fa = "fp1-00000000000000aa", fb = "fp1-00000000000000bb";
  std::vector<session_record> all{family("SA1", 1 * kDay, "192.0.2.1", fa, {"A1", "A2"}, "pills"),
                                  family("SA2", 2 * kDay, "192.0.2.2", fa, {"A3"}, "loans"),
                                  family("SB1", 2 * kDay, "192.0.2.3", fb, {}, "")};
  all[1].asn = 64501;
  all[2].recipients[0].accepted = false;
  all[2].recipients[0].greylist = "held";
  all[2].recipients[0].sender = "b@spam.example";
  all[2].recipients[0].held_since = 2 * kDay;
  session_record first = sess("SC1", 3 * kDay, "192.0.2.4", {"c@spam.example"}, {"y@trap.example"});
  first.fingerprint = fb;
  first.recipients[0] = {"y@trap.example", "", false, false, "451 4.7.1 Greylisted", "held", "c@spam.example",
                         3 * kDay};
  session_record retry = sess("SC2", 3 * kDay + 600'000'000, "192.0.2.4", {"c@spam.example"}, {"y@trap.example"});
  retry.recipients[0].greylist = "passed";
  retry.recipients[0].sender = "c@spam.example";
  retry.recipients[0].held_since = 3 * kDay;
  retry.tarpit = "greytrap";
  retry.tarpit_micros = 2'500'000;
  all.push_back(first);
  all.push_back(retry);
  ASSERT_TRUE(st_->begin().ok());
  for (const auto& s : all) ASSERT_TRUE(st_->put_session(s).ok());
  ASSERT_TRUE(st_->commit().ok());

  // Stored and read back with its features; searched by the session's fingerprint.
  auto back = st_->find_session("SA1");
  ASSERT_TRUE(back.ok() && *back);
  EXPECT_EQ((*back)->fingerprint, fa);
  EXPECT_EQ((*back)->behaviour, "verbs=EHLO MAIL RCPT DATA\npipelining=RCPT DATA\n");
  search_filter f;
  f.fingerprint = fa;
  EXPECT_EQ(ids(f), (std::vector<std::string>{"A3", "A2", "A1"}));
  f.fingerprint = fb;
  EXPECT_TRUE(ids(f).empty());

  // Counted as a harvest key: sessions, and the messages those sessions stored.
  auto top = st_->top_keys(key_kind::fingerprint, {}, 0);
  ASSERT_TRUE(top.ok()) << top.error();
  ASSERT_EQ(top->size(), 2u);
  EXPECT_EQ((*top)[0].name, fa);
  EXPECT_EQ((*top)[0].messages, 3);
  EXPECT_EQ((*top)[0].sessions, 2);
  EXPECT_EQ((*top)[1].name, fb);
  EXPECT_EQ((*top)[1].sessions, 2);
  auto fam = st_->family_of(fa, {});
  ASSERT_TRUE(fam.ok()) << fam.error();
  EXPECT_EQ(fam->ips, 2u);
  EXPECT_EQ(fam->asns, 1u);
  EXPECT_EQ(fam->helo, "Bot.Example");
  EXPECT_EQ(fam->subject, "pills");
  EXPECT_EQ(fam->behaviour, "verbs=EHLO MAIL RCPT DATA\npipelining=RCPT DATA\n");
  auto narrow = st_->family_of(fa, {2 * kDay, std::nullopt, ""});
  ASSERT_TRUE(narrow.ok());
  EXPECT_EQ(narrow->ips, 1u);
  EXPECT_EQ(narrow->subject, "loans");

  // The greylist's verdicts, oldest first, in the window of their first hold.
  auto grey = st_->greylist_rows({});
  ASSERT_TRUE(grey.ok()) << grey.error();
  ASSERT_EQ(grey->size(), 3u);
  EXPECT_EQ((*grey)[0].client_ip, "192.0.2.3");
  EXPECT_EQ((*grey)[0].greylist, "held");
  EXPECT_EQ((*grey)[0].fingerprint, fb);
  EXPECT_EQ((*grey)[2].greylist, "passed");
  EXPECT_EQ((*grey)[2].sender, "c@spam.example");
  EXPECT_EQ((*grey)[2].held_since, 3 * kDay);
  auto later = st_->greylist_rows({3 * kDay, std::nullopt, ""});
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->size(), 2u);
  auto holds = st_->greylist_holds("test", 2 * kDay + 1);
  ASSERT_TRUE(holds.ok());
  EXPECT_EQ(holds->size(), 2u);

  // Who sent to a trap address since when (accepted or held; never a relay test).
  auto trapped = st_->trap_senders("test", 2 * kDay);
  ASSERT_TRUE(trapped.ok()) << trapped.error();
  std::map<std::string, Micros> by_ip(trapped->begin(), trapped->end());
  EXPECT_EQ(by_ip.size(), 3u);
  EXPECT_EQ(by_ip["192.0.2.4"], 3 * kDay + 600'000'000);
  EXPECT_EQ(by_ip.count("192.0.2.1"), 0u);
  EXPECT_TRUE(st_->trap_senders("other-sensor", 0)->empty());

  auto tarpits = st_->tarpit_stats({});
  ASSERT_TRUE(tarpits.ok()) << tarpits.error();
  ASSERT_EQ(tarpits->size(), 1u);
  EXPECT_EQ((*tarpits)[0].by, "greytrap");
  EXPECT_EQ((*tarpits)[0].sessions, 1u);
  EXPECT_EQ((*tarpits)[0].held, 2'500'000);
}

TEST_P(StoreTest, ListAnswersKeepTheirHistoryAndTheFirstListing) {
  put(msg("M1", 1000, "192.0.2.1", "a@spam.example", {"x@trap.example"}));
  put(msg("M2", 2000, "192.0.2.2", "b@spam.example", {"x@trap.example"}));
  auto due = st_->due_entries("ip", "bl.test", 100, std::nullopt, "", 10);
  ASSERT_TRUE(due.ok()) << due.error();
  EXPECT_EQ(*due, (std::vector<std::string>{"192.0.2.1", "192.0.2.2"}));
  auto domains = st_->due_entries("domain", "dbl.test", 100, std::nullopt, "", 10);
  ASSERT_TRUE(domains.ok());
  EXPECT_EQ(*domains, (std::vector<std::string>{"bot", "spam.example"}));  // HELO and sender domain

  auto check = [&](const std::string& ip, Micros at, const std::string& verdict) {
    ASSERT_TRUE(st_->begin().ok());
    auto r = st_->record_check({"ip", ip, "bl.test", at, verdict, verdict == "listed" ? "127.0.0.2" : "",
                                verdict == "error" ? "timeout" : "", ""});
    ASSERT_TRUE(r.ok()) << r.error();
    ASSERT_TRUE(st_->commit().ok());
  };
  check("192.0.2.1", 5000, "error");   // no answer: not "clean"
  check("192.0.2.1", 6000, "clean");
  check("192.0.2.1", 9000, "listed");  // listed later: 8000 after the trap saw it
  check("192.0.2.1", 9500, "clean");   // delisted again
  check("192.0.2.2", 5000, "listed");  // listed when first asked

  auto states = st_->dnsbl_states("bl.test", std::nullopt);
  ASSERT_TRUE(states.ok()) << states.error();
  ASSERT_EQ(states->size(), 2u);
  const auto& a = (*states)[0];
  EXPECT_EQ(a.entry, "192.0.2.1");
  EXPECT_EQ(a.first_checked_at, 5000);
  EXPECT_EQ(a.first_answer, "clean");
  EXPECT_EQ(a.first_answer_at, 6000);
  EXPECT_EQ(a.first_listed_at, 9000);
  EXPECT_EQ(a.last_listed_at, 9000);
  EXPECT_EQ(a.last_answer, "clean");
  EXPECT_EQ(a.errors, 1u);
  EXPECT_EQ(a.last_error, "");  // a later answer supersedes the error
  EXPECT_EQ(a.first_seen, 1000);
  EXPECT_EQ((*states)[1].first_answer, "listed");
  EXPECT_EQ((*st_->dnsbl_history("192.0.2.1")).size(), 4u);
  EXPECT_EQ((*st_->dnsbl_entry("192.0.2.2")).size(), 1u);
  // Checked at 9500 and 5000: due again only once older than the recheck age.
  EXPECT_EQ(*st_->due_entries("ip", "bl.test", 6000, std::nullopt, "", 10),
            (std::vector<std::string>{"192.0.2.2"}));
  EXPECT_EQ(st_->due_entries("ip", "bl.test", 6000, std::nullopt, "192.0.2.2", 10)->size(), 0u);
  EXPECT_EQ(st_->dnsbl_states("bl.test", 1500)->size(), 1u);  // first seen since
}

// Hostile text of `n` bytes in one of four shapes, so that cuts land everywhere: ASCII, 4-byte
// characters (a cut inside one), bytes that are not UTF-8 (each grows to 3 bytes of U+FFFD) and
// NULs between CJK characters.
std::string hostile(std::size_t n, int shape) {
  static const std::string_view units[] = {"a", "\U0001F600", "\xff\xfe\xc3", std::string_view("\0\u8a0e", 4)};
  const std::string_view u = units[shape % 4];
  std::string out;
  out.reserve(n + u.size());
  while (out.size() < n) out.append(u);
  out.resize(n);
  return out;
}

// What the store should hold for `sent` in table.column: valid UTF-8, within the width, and the
// longest such start of the sent text; a cut is noted in `problems`.
void expect_fitted(std::string_view table, std::string_view column, const std::string& got, const std::string& sent,
                   const std::string& problems) {
  const std::string clean = to_valid_utf8(sent);
  const std::size_t width = column_width(table, column);
  SCOPED_TRACE(std::string(table) + "." + std::string(column) + " sent " + std::to_string(sent.size()) + " bytes");
  EXPECT_TRUE(is_utf8(got));
  EXPECT_LE(got.size(), width);
  EXPECT_EQ(got, utf8_prefix(clean, width));
  if (clean.size() > width) {
    EXPECT_NE(problems.find("cut:" + std::string(column)), std::string::npos) << problems;
  }
  if (clean != sent) {
    EXPECT_NE(problems.find("invalid_utf8:" + std::string(column)), std::string::npos) << problems;
  }
}

TEST_P(StoreTest, HostileValuesAreFittedToEveryColumnAndTheNextMessageIsStored) {
  // Each text column at, just under, just over and far beyond its width, in each shape; every
  // round then stores an ordinary message that must be found.
  int round = 0;
  for (int shape = 0; shape < 4; ++shape) {
    for (int size = 0; size < 4; ++size) {
      const std::string tag = std::to_string(round++);
      // The size for a column of `table`: the width (at most 70,000 for the 16 MiB columns, whose
      // bound has its own round below) minus one, itself, plus one, three times.
      auto v = [&](std::string_view table, std::string_view column) {
        const std::size_t w = std::min<std::size_t>(column_width(table, column), 70000);
        const std::size_t n[] = {w - 1, w, w + 1, 3 * w};
        return hostile(n[size], shape);
      };
      message_row m = msg("H" + tag, 1000 + round, "192.0.2.7", "x@bad.example", {});
      m.session_id = "HS" + tag;
      m.sensor = v("messages", "sensor");
      m.client_ip = v("messages", "client_ip");
      m.helo = v("messages", "helo");
      m.mail_from = v("messages", "mail_from");
      m.mail_from_domain = v("messages", "mail_from_domain");
      m.message_id = v("messages", "message_id");
      m.date = v("messages", "date");
      m.subject = v("messages", "subject");
      m.from = v("messages", "from_header");
      m.flags = v("messages", "flags");
      m.source = v("messages", "source");
      m.rcpt_to = {v("message_recipients", "address"), "ok@trap.example"};
      session_record s;
      s.id = "HS" + tag;
      s.sensor = v("sessions", "sensor");
      s.client_ip = v("sessions", "client_ip");
      s.server_ip = v("sessions", "server_ip");
      s.helo = v("sessions", "helo");
      s.helo_verb = v("sessions", "helo_verb");
      s.end_reason = v("sessions", "end_reason");
      s.violations = {{1, v("sessions", "end_reason"), v("sessions", "transcript")}};
      s.transcript = v("sessions", "transcript");
      s.tls_version = v("sessions", "tls_version");
      s.tls_cipher = v("sessions", "tls_cipher");
      s.tls_sni = v("sessions", "tls_sni");
      s.ja3 = v("sessions", "ja3");
      s.ja4 = v("sessions", "ja4");
      s.ptr = v("sessions", "ptr");
      s.dns_error = v("sessions", "dns_error");
      s.senders = {v("messages", "mail_from")};
      s.recipients = {{v("recipients", "address"), "", true, false, v("recipients", "reply")}};
      s.auth_attempts = {{5, v("auth_attempts", "mechanism"), v("auth_attempts", "username"),
                          v("auth_attempts", "password")}};
      message_details d;
      d.id = m.id;
      d.subject = v("message_details", "subject");
      d.from_name = v("message_details", "from_name");
      d.from_address = v("message_details", "from_address");
      d.reply_to_name = v("message_details", "reply_to_name");
      d.reply_to_address = v("message_details", "reply_to_address");
      d.message_id = v("message_details", "message_id");
      d.date_problems = v("message_details", "date_problems");
      d.first_external_ip = v("message_details", "first_external_ip");
      d.body_fuzzy = v("message_details", "body_fuzzy");
      d.headers = v("message_details", "headers");
      d.urls = {{v("message_urls", "url"), v("message_urls", "host"), v("message_urls", "domain"),
                 v("message_urls", "source")}};
      d.attachments = {{v("message_attachments", "name"), v("message_attachments", "declared_type"),
                        v("message_attachments", "sniffed_type"), v("message_attachments", "disposition"), 7,
                        v("message_attachments", "md5"), v("message_attachments", "sha1"),
                        v("message_attachments", "sha256")}};
      d.received = {{v("received_hops", "from_name"), v("received_hops", "from_ip"), v("received_hops", "by_name"),
                     v("received_hops", "protocol"), v("received_hops", "hop_id"), 9, v("received_hops", "raw")}};

      ASSERT_TRUE(st_->begin().ok());
      auto put_m = st_->put_message(m);
      ASSERT_TRUE(put_m.ok()) << put_m.error();
      auto put_d = st_->put_details(d, m);
      ASSERT_TRUE(put_d.ok()) << put_d.error();
      auto put_s = st_->put_session(s);
      ASSERT_TRUE(put_s.ok()) << put_s.error();
      auto done = st_->commit();
      ASSERT_TRUE(done.ok()) << done.error();

      auto gm = st_->find_message(m.id);
      ASSERT_TRUE(gm.ok() && gm->has_value()) << gm.error();
      const message_row& M = **gm;
      for (const auto& [column, got, sent] :
           {std::tuple{"sensor", M.sensor, m.sensor}, {"client_ip", M.client_ip, m.client_ip}, {"helo", M.helo, m.helo},
            {"mail_from", M.mail_from, m.mail_from}, {"mail_from_domain", M.mail_from_domain, m.mail_from_domain},
            {"message_id", M.message_id, m.message_id}, {"date", M.date, m.date}, {"subject", M.subject, m.subject},
            {"from_header", M.from, m.from}, {"flags", M.flags, m.flags}, {"source", M.source, m.source}})
        expect_fitted("messages", column, got, sent, M.problems);
      ASSERT_EQ(M.rcpt_to.size(), 2u);
      expect_fitted("message_recipients", "address", M.rcpt_to[0], m.rcpt_to[0], M.problems);

      auto gs = st_->find_session(s.id);
      ASSERT_TRUE(gs.ok() && gs->has_value()) << gs.error();
      const session_record& S = **gs;
      for (const auto& [column, got, sent] :
           {std::tuple{"sensor", S.sensor, s.sensor}, {"client_ip", S.client_ip, s.client_ip},
            {"server_ip", S.server_ip, s.server_ip}, {"helo", S.helo, s.helo}, {"helo_verb", S.helo_verb, s.helo_verb},
            {"end_reason", S.end_reason, s.end_reason},
            {"transcript", S.transcript, s.transcript}, {"tls_version", S.tls_version, s.tls_version},
            {"tls_cipher", S.tls_cipher, s.tls_cipher}, {"tls_sni", S.tls_sni, s.tls_sni}, {"ja3", S.ja3, s.ja3},
            {"ja4", S.ja4, s.ja4}, {"ptr", S.ptr, s.ptr}, {"dns_error", S.dns_error, s.dns_error}})
        expect_fitted("sessions", column, got, sent, S.problems);
      ASSERT_EQ(S.recipients.size(), 1u);
      expect_fitted("recipients", "address", S.recipients[0].address, s.recipients[0].address, S.problems);
      expect_fitted("recipients", "reply", S.recipients[0].reply, s.recipients[0].reply, S.problems);
      ASSERT_EQ(S.auth_attempts.size(), 1u);
      expect_fitted("auth_attempts", "mechanism", S.auth_attempts[0].mechanism, s.auth_attempts[0].mechanism, S.problems);
      expect_fitted("auth_attempts", "username", S.auth_attempts[0].username, s.auth_attempts[0].username, S.problems);
      expect_fitted("auth_attempts", "password", S.auth_attempts[0].password, s.auth_attempts[0].password, S.problems);
      ASSERT_EQ(S.senders.size(), 1u);
      expect_fitted("messages", "mail_from", S.senders[0], s.senders[0], S.problems);

      auto gd = st_->find_details(m.id);
      ASSERT_TRUE(gd.ok() && gd->has_value()) << gd.error();
      const message_details& D = **gd;
      for (const auto& [column, got, sent] :
           {std::tuple{"subject", D.subject, d.subject}, {"from_name", D.from_name, d.from_name},
            {"from_address", D.from_address, d.from_address}, {"reply_to_name", D.reply_to_name, d.reply_to_name},
            {"reply_to_address", D.reply_to_address, d.reply_to_address}, {"message_id", D.message_id, d.message_id},
            {"date_problems", D.date_problems, d.date_problems},
            {"first_external_ip", D.first_external_ip, d.first_external_ip}, {"body_fuzzy", D.body_fuzzy, d.body_fuzzy},
            {"headers", D.headers, d.headers}})
        expect_fitted("message_details", column, got, sent, D.problems);
      ASSERT_EQ(D.urls.size(), 1u);
      expect_fitted("message_urls", "url", D.urls[0].url, d.urls[0].url, D.problems);
      expect_fitted("message_urls", "host", D.urls[0].host, d.urls[0].host, D.problems);
      ASSERT_EQ(D.attachments.size(), 1u);
      expect_fitted("message_attachments", "name", D.attachments[0].name, d.attachments[0].name, D.problems);
      expect_fitted("message_attachments", "sha256", D.attachments[0].sha256, d.attachments[0].sha256, D.problems);
      ASSERT_EQ(D.received.size(), 1u);
      expect_fitted("received_hops", "raw", D.received[0].raw, d.received[0].raw, D.problems);
      expect_fitted("received_hops", "from_name", D.received[0].from_name, d.received[0].from_name, D.problems);

      put(msg("N" + tag, 5000 + round, "198.51.100.1", "plain@sender.example", {"ok@trap.example"}));
      search_filter f;
      f.from = "plain@sender.example";
      EXPECT_EQ(ids(f).size(), static_cast<std::size_t>(round));
    }
  }
  // Harvest keys are cut as rows are: the key of a 3x-wide HELO is the stored HELO's first 255 bytes.
  auto helo_keys = st_->top_keys(key_kind::helo, {}, 0);
  ASSERT_TRUE(helo_keys.ok()) << helo_keys.error();
  for (const auto& k : *helo_keys) {
    EXPECT_TRUE(is_utf8(k.name));
    EXPECT_LE(k.name.size(), 255u);
    EXPECT_TRUE(k.name.empty() || k.name.back() != ' ');
  }
}

TEST_P(StoreTest, AValueBeyondTheRowBoundIsCutNotRefused) {
  // A 16 MiB column could hold more than one packet carries: values stop at 4 MiB.
  auto m = msg("BIG", 100, "192.0.2.1", "x@bad.example", {"a@trap.example"});
  m.subject = std::string(5 * 1024 * 1024, 'S');
  put(m);
  auto got = st_->find_message("BIG");
  ASSERT_TRUE(got.ok() && got->has_value()) << got.error();
  EXPECT_EQ((*got)->subject.size(), 4u * 1024 * 1024);
  EXPECT_EQ((*got)->problems, "cut:subject");
}

TEST_P(StoreTest, ARefusalThatWillRepeatIsPermanentAndLeavesTheTransactionUsable) {
  // A stricter schema than the store's: a column narrowed below what the store fits to (MariaDB:
  // "Data too long"), or a rule a trigger enforces (SQLite: a constraint).
  if (GetParam() == "sqlite") {
    shell_sql("CREATE TRIGGER narrow BEFORE INSERT ON messages WHEN length(NEW.subject) > 10 "
              "BEGIN SELECT RAISE(ABORT, 'subject too long for this schema'); END;");
  } else {
    shell_sql("ALTER TABLE messages MODIFY subject VARCHAR(10) NOT NULL");
  }
  auto bad = msg("BAD", 100, "192.0.2.1", "x@bad.example", {"a@trap.example"});
  bad.subject = "far longer than ten bytes";
  ASSERT_TRUE(st_->begin().ok());
  ASSERT_TRUE(st_->begin_record().ok());
  auto refused = st_->put_message(bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.kind(), error_kind::permanent) << refused.error();
  st_->drop_record();
  ASSERT_TRUE(st_->begin_record().ok());
  auto fine = st_->put_message(msg("GOOD", 101, "192.0.2.1", "x@bad.example", {"a@trap.example"}));
  ASSERT_TRUE(fine.ok()) << fine.error();
  ASSERT_TRUE(st_->keep_record().ok());
  ASSERT_TRUE(st_->commit().ok());
  EXPECT_FALSE(st_->find_message("BAD")->has_value());
  EXPECT_TRUE(st_->find_message("GOOD")->has_value());
  EXPECT_EQ((*st_->find_key(key_kind::ip, "192.0.2.1"))->messages, 1u);  // the refused row counts nothing
}

TEST_P(StoreTest, QuarantineKeepsEachRecordOnceWithItsAttempts) {
  quarantined_row q{"ams-1", {3, 4096}, "message", "M1", "data too long", 100, 1};
  ASSERT_TRUE(st_->begin().ok());
  ASSERT_TRUE(st_->quarantine(q).ok());
  q.error = "still too long";
  q.quarantined_at = 200;
  ASSERT_TRUE(st_->quarantine(q).ok());
  ASSERT_TRUE(st_->quarantine({"fra-1", {1, 0}, "session", "S1", std::string(70000, '\xff'), 300, 1}).ok());
  ASSERT_TRUE(st_->commit().ok());
  EXPECT_EQ(*st_->count_quarantined(), 2u);
  auto held = st_->quarantined("ams-1");
  ASSERT_TRUE(held.ok() && held->size() == 1u);
  EXPECT_EQ((*held)[0].error, "still too long");
  EXPECT_EQ((*held)[0].attempts, 2u);
  EXPECT_EQ((*held)[0].at.offset, 4096u);
  ASSERT_TRUE(st_->release_quarantined("ams-1", {3, 4096}).ok());
  EXPECT_TRUE(st_->quarantined("ams-1")->empty());
  ASSERT_TRUE(st_->clear("fra-1").ok());  // reindex reads every record again
  EXPECT_EQ(*st_->count_quarantined(), 0u);
}

TEST_P(StoreTest, TheWidthsAreTheServersOwn) {
  if (GetParam() == "sqlite") GTEST_SKIP() << "SQLite columns have no widths";
  // Every text column the server has, with the width the store fits values to, and no other.
  std::set<std::string> server, ours;
  std::istringstream rows(shell_sql(
      "SELECT table_name, column_name, character_octet_length FROM information_schema.columns WHERE "
      "table_schema = DATABASE() AND table_name <> 'schema_migrations' AND data_type IN "
      "('char', 'varchar', 'text', 'mediumtext')"));
  for (std::string line; std::getline(rows, line);) server.insert(line);
  for (const auto& c : text_columns())
    ours.insert(std::string(c.table) + "\t" + std::string(c.column) + "\t" + std::to_string(c.width));
  EXPECT_GT(server.size(), 100u);
  EXPECT_EQ(server, ours);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreTest, ::testing::Values("sqlite"));
INSTANTIATE_TEST_SUITE_P(Mariadb, StoreTest, ::testing::Values("mysql"));

TEST(StoreUrl, SchemesAndRedaction) {
  EXPECT_FALSE(open("postgres://x/y").ok());
  EXPECT_FALSE(open("sqlite:/nonexistent-dir/x.db").ok());
  EXPECT_EQ(redact_url("mysql://user:secret@db.example/spampot"),
            "mysql://user:***@db.example/spampot");
  EXPECT_EQ(redact_url("sqlite:/var/lib/x.db"), "sqlite:/var/lib/x.db");
}

}  // namespace
}  // namespace spampot::store

namespace spampot::store {
namespace {

message_details details(const std::string& id, const std::string& campaign) {
  message_details d;
  d.id = id;
  d.subject = "Grüße, cheap pills 100%";
  d.from_name = "Dr. Spam";
  d.from_address = "dr@spam.example";
  d.message_id = "<" + id + "@spam.example>";
  d.date_utc = 1234;
  d.date_problems = "future,far_from_receipt";
  d.first_external_ip = "198.51.100.7";
  d.body_sha256 = "b" + campaign;
  d.body_fuzzy = "3:abc:def";
  d.campaign = campaign;
  d.problems = "malformed_multipart";
  d.headers = R"([{"name":"Subject","raw":"=?utf-8?q?x?=","value":"x"}])";
  d.urls = {{"http://shop.pills.example/buy", "shop.pills.example", "pills.example", "href"}};
  d.attachments = {{"invoice.pdf.exe", "application/pdf", "application/x-dosexec", "attachment", 42,
                    std::string(32, 'a'), std::string(40, 'b'), std::string(64, 'c')}};
  d.received = {{"helo.example", "198.51.100.7", "mx.example", "ESMTP", "Q1", 999, "from helo.example"}};
  return d;
}

}  // namespace

TEST_P(StoreTest, ForensicsRoundTripSearchCampaignsClearAndCopy) {
  const auto f1 = msg("F1", 100, "192.0.2.1", "x@bad.example", {"a@trap.example"});
  const auto f2 = msg("F2", 200, "192.0.2.2", "y@bad.example", {"a@trap.example"});
  const auto f3 = msg("F3", 300, "192.0.2.2", "y@bad.example", {"a@trap.example"});
  for (const auto& m : {f1, f2, f3}) put(m);
  ASSERT_TRUE(st_->begin().ok());
  ASSERT_TRUE(st_->add_campaign("F1", "bF1", "3:abc:def").ok());
  ASSERT_TRUE(st_->put_details(details("F1", "F1"), f1).ok());
  ASSERT_TRUE(st_->put_details(details("F2", "F1"), f2).ok());
  auto other = details("F3", "F3");
  other.subject = "something else";
  other.urls.clear();
  other.attachments.clear();
  ASSERT_TRUE(st_->add_campaign("F3", "bF3", "6:xyz:uvw").ok());
  ASSERT_TRUE(st_->put_details(other, f3).ok());
  ASSERT_TRUE(st_->commit().ok());

  auto d = st_->find_details("F2");
  ASSERT_TRUE(d.ok() && d->has_value()) << (d.ok() ? "none" : d.error());
  EXPECT_EQ((*d)->subject, "Grüße, cheap pills 100%");
  EXPECT_EQ((*d)->campaign, "F1");
  ASSERT_EQ((*d)->attachments.size(), 1u);
  EXPECT_EQ((*d)->attachments[0].sniffed_type, "application/x-dosexec");
  EXPECT_EQ((*d)->attachments[0].size, 42u);
  ASSERT_EQ((*d)->received.size(), 1u);
  EXPECT_EQ((*d)->received[0].at, 999);
  EXPECT_EQ((*d)->urls.at(0).domain, "pills.example");

  // URL domains are harvest keys, and the lists of kind "url" are asked about them.
  auto top = st_->top_keys(key_kind::url_domain, {}, 10);
  ASSERT_TRUE(top.ok()) << top.error();
  ASSERT_EQ(top->size(), 1u);
  EXPECT_EQ((*top)[0].name, "pills.example");
  EXPECT_EQ((*top)[0].messages, 2u);
  EXPECT_EQ((*top)[0].first_seen, 100);
  EXPECT_EQ((*top)[0].last_seen, 200);
  window to_trap;
  to_trap.domain = "trap.example";
  top = st_->top_keys(key_kind::url_domain, to_trap, 10);
  ASSERT_TRUE(top.ok()) << top.error();
  ASSERT_EQ(top->size(), 1u);
  EXPECT_EQ((*top)[0].messages, 2u);
  auto due = st_->due_entries("url", "multi.surbl.test", 1, std::nullopt, "", 10);
  ASSERT_TRUE(due.ok()) << due.error();
  EXPECT_EQ(*due, std::vector<std::string>{"pills.example"});
  ASSERT_TRUE(st_->rebuild_harvest().ok());
  top = st_->top_keys(key_kind::url_domain, {}, 10);
  ASSERT_TRUE(top.ok());
  ASSERT_EQ(top->size(), 1u);
  EXPECT_EQ((*top)[0].messages, 2u);

  using V = std::vector<std::string>;
  search_filter f;
  f.subject = "CHEAP PILLS 100%";
  EXPECT_EQ(ids(f), (V{"F2", "F1"}));
  f.subject = "pills 1000";  // the % is literal
  EXPECT_EQ(ids(f), V{});
  f = {};
  f.url_host = "Shop.Pills.Example.";
  EXPECT_EQ(ids(f), (V{"F2", "F1"}));
  f.url_host = "pills.example";  // the registrable domain covers its hosts
  EXPECT_EQ(ids(f), (V{"F2", "F1"}));
  f = {};
  for (const auto& h : {std::string(32, 'a'), std::string(40, 'B'), std::string(64, 'c')}) {
    f.attachment_hash = h;
    EXPECT_EQ(ids(f), (V{"F2", "F1"})) << h;
  }
  f = {};
  f.message_id = "<F3@spam.example>";
  EXPECT_EQ(ids(f), (V{"F3"}));
  f = {};
  f.campaign = "F1";
  EXPECT_EQ(ids(f), (V{"F2", "F1"}));

  auto exact = st_->campaign_with_body("bF1");
  ASSERT_TRUE(exact.ok() && exact->has_value());
  EXPECT_EQ((*exact)->id, "F1");
  auto cand = st_->campaign_candidates({6, 12}, 10);
  ASSERT_TRUE(cand.ok());
  ASSERT_EQ(cand->size(), 1u);
  EXPECT_EQ((*cand)[0].id, "F3");

  auto stats = st_->campaign_stats({}, 2);
  ASSERT_TRUE(stats.ok()) << stats.error();
  ASSERT_EQ(stats->size(), 1u);
  EXPECT_EQ((*stats)[0].id, "F1");
  EXPECT_EQ((*stats)[0].messages, 2u);
  EXPECT_EQ((*stats)[0].first_seen, 100);
  EXPECT_EQ((*stats)[0].last_seen, 200);
  EXPECT_EQ((*stats)[0].ips, 2u);
  EXPECT_EQ((*stats)[0].senders, 2u);
  EXPECT_EQ((*stats)[0].subject, "Grüße, cheap pills 100%");
  window w;
  w.since = 150;
  stats = st_->campaign_stats(w, 1);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->size(), 2u);

  // Copied with the messages, campaigns included.
  fs::path other_path;
  auto dest = open(fresh_store_url("sqlite", "forensics_dest_" + GetParam(), other_path));
  ASSERT_TRUE(dest.ok());
  ASSERT_TRUE(copy_store(*st_, **dest).ok());
  auto copied = (*dest)->find_details("F1");
  ASSERT_TRUE(copied.ok() && copied->has_value());
  EXPECT_EQ((*copied)->attachments.size(), 1u);
  auto copied_campaign = (*dest)->campaign_with_body("bF1");
  ASSERT_TRUE(copied_campaign.ok() && copied_campaign->has_value());
  dest->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(other_path.string() + suffix);

  // A reindex's clear takes the details and the campaigns nothing belongs to any more.
  ASSERT_TRUE(st_->clear("test").ok());
  d = st_->find_details("F1");
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->has_value());
  exact = st_->campaign_with_body("bF1");
  ASSERT_TRUE(exact.ok());
  EXPECT_FALSE(exact->has_value());
  f = {};
  f.url_host = "pills.example";
  EXPECT_EQ(ids(f), V{});
  top = st_->top_keys(key_kind::url_domain, {}, 10);
  ASSERT_TRUE(top.ok());
  EXPECT_TRUE(top->empty());
}

}  // namespace spampot::store
