// The indexer from a real journal into a real SQLite file: live following, catching up after a
// restart, and idempotence when a batch is repeated.
#include "pipeline/indexer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <future>
#include <thread>

#include "base/digest.hpp"
#include "capture/records.hpp"
#include "base/limits.hpp"
#include "pipeline/import_writer.hpp"
#include "pipeline/kept_raw.hpp"
#include "pipeline/raw_source.hpp"
#include "pipeline/rows.hpp"

namespace spampot::pipeline {
namespace {

namespace fs = std::filesystem;

class IndexerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("spampot-indexer-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<store::store> open_store() {
    auto s = store::open("sqlite:" + (dir_ / "db").string());
    EXPECT_TRUE(s.ok());
    return std::move(s).value();
  }

  static capture::record message(int i) {
    capture::message_envelope e;
    e.id = "M" + std::to_string(1000 + i);
    e.session_id = "S";
    e.sensor = "t";
    e.received_at = 1000 + i;
    e.conn.client_ip = "192.0.2.1";
    e.mail_from = "x@Bad.Example";
    e.rcpt_to = {"a@trap.example"};
    e.bare_lf = i % 2 == 0;
    return {capture::record_type::message, capture::to_json(e),
            "Subject: n" + std::to_string(i) + "\r\nMessage-ID: <" + std::to_string(i) +
                "@x>\r\n\r\nbody\r\n"};
  }

  static void append_sync(capture::journal& j, capture::record r) {
    std::promise<void> p;
    j.append(std::move(r), [&](Result<capture::position>) { p.set_value(); });
    p.get_future().wait();
  }

  fs::path dir_;
};

TEST_F(IndexerTest, RowsCarryHeadersHashAndFlags) {
  auto j = capture::journal::open({dir_ / "spool", 1 << 20, 3});
  ASSERT_TRUE(j.ok());
  append_sync(**j, message(2));
  (*j)->stop();
  auto st = open_store();
  indexer idx(*st, dir_ / "spool", "t");
  auto r = idx.catch_up((*j)->durable_end());
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->messages, 1u);
  auto m = st->find_message("M1002");
  ASSERT_TRUE(m.ok() && m->has_value());
  EXPECT_EQ((*m)->subject, "n2");
  EXPECT_EQ((*m)->message_id, "<2@x>");
  EXPECT_EQ((*m)->mail_from_domain, "bad.example");
  EXPECT_EQ((*m)->flags, "bare_lf");
  EXPECT_EQ((*m)->size, 40u);
  EXPECT_EQ((*m)->sha256, sha256_hex("Subject: n2\r\nMessage-ID: <2@x>\r\n\r\nbody\r\n"));
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(IndexerTest, KeptRawTextIsReadWithoutAnySpool) {
  auto j = capture::journal::open({dir_ / "spool", 1 << 20, 3});
  ASSERT_TRUE(j.ok());
  append_sync(**j, message(1));
  append_sync(**j, message(2));
  (*j)->stop();
  auto st = open_store();
  indexer idx(*st, dir_ / "spool", "t");
  idx.keep_raw(true);
  ASSERT_TRUE(idx.catch_up((*j)->durable_end()).ok());
  raw_source from_spool(*st, (dir_ / "spool").string(), "");
  auto m = st->find_message("M1002");
  ASSERT_TRUE(m.ok() && m->has_value());
  auto expected = from_spool.delivered(**m);
  ASSERT_TRUE(expected.ok()) << expected.error();
  EXPECT_NE(expected->find("Subject: n2\r\n"), std::string::npos);
  // The spool gone, as on a central console: the store answers, byte for byte.
  fs::remove_all(dir_ / "spool");
  raw_source central(*st, "", "");
  auto got = central.delivered(**m);
  ASSERT_TRUE(got.ok()) << got.error();
  EXPECT_EQ(*got, *expected);
  auto kept = st->find_raw("M1002");
  ASSERT_TRUE(kept.ok() && kept->has_value());
  EXPECT_EQ((*kept)->codec, "zstd");
  EXPECT_EQ((*kept)->raw_bytes, expected->size());
}

TEST_F(IndexerTest, WithoutKeepRawTheStoreHoldsNoTextAndTheErrorNamesTheSpool) {
  auto j = capture::journal::open({dir_ / "spool", 1 << 20, 3});
  ASSERT_TRUE(j.ok());
  append_sync(**j, message(1));
  (*j)->stop();
  auto st = open_store();
  indexer idx(*st, dir_ / "spool", "t");
  ASSERT_TRUE(idx.catch_up((*j)->durable_end()).ok());
  EXPECT_FALSE(st->find_raw("M1001")->has_value());
  ASSERT_TRUE(st->record_spool("t", "/elsewhere/spool", 1).ok());
  fs::remove_all(dir_ / "spool");
  raw_source central(*st, "", "");
  auto got = central.delivered(**st->find_message("M1001"));
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.error().find("is in sensor t's spool /elsewhere/spool, which is not on this machine"), std::string::npos)
      << got.error();
}

TEST(KeptRaw, PacksAndUnpacksEveryByteAndOmitsWhatIsTooBig) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  auto r = pack_raw("X", all);
  EXPECT_EQ(r.codec, "zstd");
  EXPECT_EQ(unpack_raw(r).value(), all);
  // Incompressible and past the limit: only a note is kept.
  std::string noise(kStoredRawBytes + 1024, '\0');
  std::uint64_t x = 88172645463325252ULL;
  for (auto& c : noise) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    c = static_cast<char>(x);
  }
  auto big = pack_raw("Y", noise);
  EXPECT_EQ(big.codec, "omitted");
  EXPECT_TRUE(big.data.empty());
  EXPECT_EQ(big.raw_bytes, noise.size());
  auto why = unpack_raw(big);
  ASSERT_FALSE(why.ok());
  EXPECT_NE(why.error().find("too big to keep in the store"), std::string::npos);
  r.data[r.data.size() / 2] ^= 0x55;
  r.data.resize(r.data.size() - 2);
  EXPECT_FALSE(unpack_raw(r).ok());
}

TEST_F(IndexerTest, FollowsALiveJournalAndDrainsOnStop) {
  auto j = capture::journal::open({dir_ / "spool", 1 << 20, 3});
  ASSERT_TRUE(j.ok());
  auto st = open_store();
  indexer idx(*st, dir_ / "spool", "t", 7);
  std::atomic<bool> stop{false};
  std::thread t([&] { idx.follow(**j, stop); });
  for (int i = 0; i < 100; ++i) append_sync(**j, message(i));
  (*j)->stop();
  stop = true;
  t.join();
  EXPECT_EQ(st->count()->messages, 100u);
  const auto cp = st->checkpoint("t");
  EXPECT_EQ(cp->offset, (*j)->durable_end().offset);
}

TEST_F(IndexerTest, CatchesUpFromTheCheckpointAndRepeatsNothing) {
  auto j = capture::journal::open({dir_ / "spool", 1 << 20, 3});
  ASSERT_TRUE(j.ok());
  for (int i = 0; i < 10; ++i) append_sync(**j, message(i));
  const auto half = (*j)->durable_end();
  for (int i = 10; i < 20; ++i) append_sync(**j, message(i));
  (*j)->stop();
  auto st = open_store();
  {
    indexer idx(*st, dir_ / "spool", "t", 3);
    ASSERT_TRUE(idx.catch_up(half).ok());
  }
  EXPECT_EQ(st->count()->messages, 10u);
  // A crash after the rows were committed but, say, with the checkpoint rolled back: re-running
  // from an older checkpoint adds nothing twice.
  ASSERT_TRUE(st->begin().ok());
  ASSERT_TRUE(st->set_checkpoint("t", {1, 0}).ok());
  ASSERT_TRUE(st->commit().ok());
  indexer again(*st, dir_ / "spool", "t", 4);
  auto r = again.catch_up((*j)->durable_end());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(st->count()->messages, 20u);
}

TEST_F(IndexerTest, DamagedRecordIsSkippedAndCounted) {
  auto j = capture::journal::open({dir_ / "spool", 1 << 20, 3});
  ASSERT_TRUE(j.ok());
  append_sync(**j, {capture::record_type::message, "not json", "x"});
  append_sync(**j, message(1));
  (*j)->stop();
  auto st = open_store();
  indexer idx(*st, dir_ / "spool", "t");
  auto r = idx.catch_up((*j)->durable_end());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->messages, 1u);
  EXPECT_EQ(r->damaged, 1u);
}

}  // namespace
// Runs SQL on the store's file with the sqlite3 shell, as an operator (or a stricter schema)
// would: the store itself offers no way to break its own rules.
void sqlite_shell(const fs::path& db, const std::string& sql) {
  const std::string cmd = "sqlite3 '" + db.string() + "' \"" + sql + "\"";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

TEST_F(IndexerTest, ARecordTheStoreRefusesForGoodIsQuarantinedAndTheRestIndexed) {
  auto j = capture::journal::open({dir_ / "spool", 1 << 20, 3});
  ASSERT_TRUE(j.ok());
  for (int i = 0; i < 5; ++i) append_sync(**j, message(i));
  (*j)->stop();
  {
    auto st = open_store();  // creates the schema
  }
  // A rule the store's rows break: the message whose Subject is n2 (a constraint error,
  // permanent in every backend) and, for the first try only, nothing else.
  sqlite_shell(dir_ / "db",
               "CREATE TRIGGER poison BEFORE INSERT ON messages WHEN NEW.subject = 'n2' "
               "BEGIN SELECT RAISE(ABORT, 'poisoned row'); END;");
  auto st = open_store();
  indexer idx(*st, dir_ / "spool", "t");
  auto r = idx.catch_up((*j)->durable_end());
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->messages, 4u);
  EXPECT_EQ(r->quarantined, 1u);
  EXPECT_FALSE(st->find_message("M1002")->has_value());
  EXPECT_TRUE(st->find_message("M1004")->has_value());  // indexing went on past it
  auto held = st->quarantined("t");
  ASSERT_TRUE(held.ok() && held->size() == 1u);
  EXPECT_EQ((*held)[0].record_kind, "message");
  EXPECT_EQ((*held)[0].record_id, "M1002");
  EXPECT_NE((*held)[0].error.find("poisoned row"), std::string::npos);
  EXPECT_EQ(*st->count_quarantined(), 1u);
  // The refused record's rows and counters went with it: four messages from the IP, not five.
  auto ip = st->find_key(store::key_kind::ip, "192.0.2.1");
  ASSERT_TRUE(ip.ok() && ip->has_value());
  EXPECT_EQ((*ip)->messages, 4u);
  // The checkpoint is past it: a restart does not try it again.
  EXPECT_EQ(idx.catch_up((*j)->durable_end())->messages, 0u);

  // Refused again: still quarantined, with one more attempt.
  auto again = idx.retry_quarantined();
  ASSERT_TRUE(again.ok()) << again.error();
  EXPECT_EQ(again->messages, 0u);
  EXPECT_EQ((*st->quarantined("t"))[0].attempts, 2u);

  // After the "upgrade" that lifts the rule, --quarantined indexes it and empties the quarantine.
  st.reset();
  sqlite_shell(dir_ / "db", "DROP TRIGGER poison;");
  st = open_store();
  indexer after(*st, dir_ / "spool", "t");
  auto retried = after.retry_quarantined();
  ASSERT_TRUE(retried.ok()) << retried.error();
  EXPECT_EQ(retried->messages, 1u);
  EXPECT_TRUE(st->find_message("M1002")->has_value());
  EXPECT_EQ(*st->count_quarantined(), 0u);
  EXPECT_EQ((*st->find_key(store::key_kind::ip, "192.0.2.1"))->messages, 5u);
}

TEST_F(IndexerTest, AStoreThatFailsForNowIsRetriedNotQuarantined) {
  auto j = capture::journal::open({dir_ / "spool", 1 << 20, 3});
  ASSERT_TRUE(j.ok());
  append_sync(**j, message(1));
  (*j)->stop();
  {
    auto st = open_store();
  }
  // Another writer holds the database's write lock: busy is transient, never a quarantine.
  auto st = open_store();
  auto holder = open_store();
  ASSERT_TRUE(holder->begin().ok());
  indexer idx(*st, dir_ / "spool", "t");
  auto r = idx.catch_up((*j)->durable_end());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.kind(), error_kind::transient) << r.error();
  holder->rollback();
  auto later = idx.catch_up((*j)->durable_end());
  ASSERT_TRUE(later.ok()) << later.error();
  EXPECT_EQ(later->messages, 1u);
  EXPECT_EQ(*st->count_quarantined(), 0u);
}

TEST_F(IndexerTest, AnImportedRecordRefusedForGoodIsSkippedAndTheFileGoesOn) {
  {
    auto st = open_store();
  }
  sqlite_shell(dir_ / "db",
               "CREATE TRIGGER poison BEFORE INSERT ON messages WHEN NEW.subject = 'bad' "
               "BEGIN SELECT RAISE(ABORT, 'poisoned row'); END;");
  auto st = open_store();
  import_writer w(*st, "old-mx", nullptr, 2);
  for (int i = 0; i < 5; ++i) {
    importer::import_record r;
    r.time = 1'700'000'000'000'000 + i;
    r.host = "old-mx";
    r.queue_id = "Q" + std::to_string(i);
    r.client_ip = "192.0.2.9";
    r.sender = "s@bad.example";
    r.recipients = {"a@trap.example"};
    r.subject = i == 2 ? "bad" : "good";
    r.source_file = "maillog";
    r.source_line = static_cast<std::uint64_t>(i);
    ASSERT_TRUE(w.put(r).ok());
  }
  ASSERT_TRUE(w.finish().ok());
  EXPECT_EQ(w.counts().added, 4u);
  EXPECT_EQ(w.counts().refused, 1u);
  EXPECT_EQ(st->count()->messages, 4u);
  EXPECT_EQ((*st->find_key(store::key_kind::ip, "192.0.2.9"))->messages, 4u);
}

}  // namespace spampot::pipeline
