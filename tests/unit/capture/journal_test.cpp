// The spool journal against real files in a temporary directory.
#include "capture/journal.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <random>
#include <thread>

#include "capture/reader.hpp"

namespace spampot::capture {
namespace {

namespace fs = std::filesystem;

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("spampot-journal-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static record msg(int i) {
    return {record_type::message, "{\"n\":" + std::to_string(i) + "}",
            "body " + std::to_string(i) + "\r\n"};
  }

  // Appends and waits for durability, as a connection does.
  static position append_sync(journal& j, record r) {
    std::promise<Result<position>> p;
    j.append(std::move(r), [&](Result<position> at) { p.set_value(std::move(at)); });
    auto at = p.get_future().get();
    EXPECT_TRUE(at.ok());
    return at.ok() ? at.value() : position{};
  }

  static std::vector<std::string> read_all(const fs::path& dir) {
    journal_reader r(dir);
    auto end = r.end_of_spool();
    EXPECT_TRUE(end.ok());
    std::vector<std::string> metas;
    position cur{1, 0};
    for (;;) {
      auto e = r.next(cur, *end);
      EXPECT_TRUE(e.ok()) << (e.ok() ? "" : e.error());
      if (!e.ok() || !e->has_value()) break;
      metas.push_back((*e)->rec.meta);
      cur = (*e)->next;
    }
    return metas;
  }

  fs::path dir_;
};

TEST_F(JournalTest, AppendsAreDurableAndReadBackInOrder) {
  auto j = journal::open({dir_, 1 << 20, 3});
  ASSERT_TRUE(j.ok()) << j.error();
  std::vector<position> at;
  for (int i = 0; i < 10; ++i) at.push_back(append_sync(**j, msg(i)));
  for (int i = 1; i < 10; ++i) EXPECT_LT(at[i - 1], at[i]);
  // The records, then the zeroes laid ahead of them for the next writes.
  const std::uint64_t end = (*j)->durable_end().offset;
  std::string file;
  {
    std::ifstream in(segment_path(dir_, 1), std::ios::binary);
    file.assign(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_GT(file.size(), end);
  EXPECT_EQ(file.find_first_not_of('\0', end), std::string::npos);
  EXPECT_NE(file[end - 1], '\0');
  journal_reader r(dir_);
  auto rec = r.read_at(at[3]);
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->body, "body 3\r\n");
  (*j)->stop();
  const auto metas = read_all(dir_);
  ASSERT_EQ(metas.size(), 10u);
  EXPECT_EQ(metas[9], "{\"n\":9}");
}

TEST_F(JournalTest, ConcurrentAppendsShareSyncsAndAllLand) {
  auto j = journal::open({dir_, 1 << 20, 3});
  ASSERT_TRUE(j.ok());
  std::atomic<int> done{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        std::promise<void> p;
        (*j)->append(msg(t * 1000 + i), [&](Result<position> at) {
          if (at.ok()) ++done;
          p.set_value();
        });
        p.get_future().wait();
      }
    });
  }
  for (auto& t : threads) t.join();
  (*j)->stop();
  EXPECT_EQ(done.load(), 1600);
  EXPECT_EQ(read_all(dir_).size(), 1600u);
}

// A session log nothing waits for rides on the next message's sync, or is synced by itself once
// lazy_sync has passed.
TEST_F(JournalTest, LazyRecordsShareTheNextAwaitedSyncOrTakeTheirOwnLater) {
  journal_options o{dir_, 1 << 20, 3, std::chrono::milliseconds(60000)};
  auto j = journal::open(o);
  ASSERT_TRUE(j.ok());
  (*j)->append_lazily({record_type::session, "{\"s\":1}", ""});
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ((*j)->durable().records, 0u);  // waiting for company
  append_sync(**j, msg(1));
  EXPECT_EQ((*j)->durable().records, 2u);  // one sync made both durable
  (*j)->stop();
  EXPECT_EQ(read_all(dir_), (std::vector<std::string>{"{\"s\":1}", "{\"n\":1}"}));

  fs::remove_all(dir_);
  o.lazy_sync = std::chrono::milliseconds(20);
  auto k = journal::open(o);
  ASSERT_TRUE(k.ok());
  (*k)->append_lazily({record_type::session, "{\"s\":2}", ""});
  for (int i = 0; i < 500 && (*k)->durable().records == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ((*k)->durable().records, 1u);
  (*k)->append_lazily({record_type::session, "{\"s\":3}", ""});
  (*k)->stop();  // flushes it
  EXPECT_EQ(read_all(dir_).size(), 2u);
}

TEST_F(JournalTest, RotatesSegmentsAndReadsAcrossThem) {
  auto j = journal::open({dir_, 64 * 1024, 3});
  ASSERT_TRUE(j.ok());
  // Incompressible bodies so segments fill.
  std::mt19937 rng(1);
  for (int i = 0; i < 40; ++i) {
    std::string body(8 * 1024, '\0');
    for (auto& c : body) c = static_cast<char>(rng());
    append_sync(**j, {record_type::message, "{\"n\":" + std::to_string(i) + "}", body});
  }
  (*j)->stop();
  auto segs = list_segments(dir_);
  ASSERT_TRUE(segs.ok());
  EXPECT_GT(segs->size(), 3u);
  for (auto s : *segs) EXPECT_LE(fs::file_size(segment_path(dir_, s)), 64u * 1024u);
  // A finished segment is trimmed to its records: it ends in one, not in zeroes.
  for (std::size_t i = 0; i + 1 < segs->size(); ++i) {
    std::ifstream in(segment_path(dir_, (*segs)[i]), std::ios::binary);
    const std::string file(std::istreambuf_iterator<char>(in), {});
    std::size_t off = 0, records = 0;
    while (off < file.size()) {
      const decoded d = decode_frame(std::string_view(file).substr(off));
      ASSERT_EQ(d.status, decode_status::ok) << "segment " << (*segs)[i] << " at " << off;
      off += d.frame_bytes;
      ++records;
    }
    EXPECT_GT(records, 0u);
  }
  journal_reader r(dir_);
  auto end = r.end_of_spool();
  ASSERT_TRUE(end.ok());
  EXPECT_EQ(r.count({1, 0}, *end).value(), 40u);
  const auto metas = read_all(dir_);
  ASSERT_EQ(metas.size(), 40u);
  EXPECT_EQ(metas.back(), "{\"n\":39}");
}

TEST_F(JournalTest, ReopenContinuesAfterTheLastRecord) {
  {
    auto j = journal::open({dir_, 1 << 20, 3});
    ASSERT_TRUE(j.ok());
    append_sync(**j, msg(1));
  }
  auto j = journal::open({dir_, 1 << 20, 3});
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)->recovered().records, 1u);
  EXPECT_EQ((*j)->recovered().cut_bytes, 0u);
  append_sync(**j, msg(2));
  (*j)->stop();
  EXPECT_EQ(read_all(dir_).size(), 2u);
}

// A crash mid-write leaves any prefix of the last record on disk, over the zeroes laid ahead of
// it. Recovery must cut exactly that torn record, at every possible length, keep every complete
// record before it, and take the zeroes away too (the writer lays them again).
TEST_F(JournalTest, RecoveryCutsATornTailAtEveryByteOffset) {
  std::uint64_t complete = 0;
  {
    auto j = journal::open({dir_, 1 << 20, 3});
    ASSERT_TRUE(j.ok());
    for (int i = 0; i < 3; ++i) append_sync(**j, msg(i));
    complete = (*j)->durable_end().offset;
  }
  const fs::path seg = segment_path(dir_, 1);
  const std::string last = encode_frame(msg(3), 3);
  std::string records, zeroes;
  {
    std::ifstream in(seg, std::ios::binary);
    const std::string file(std::istreambuf_iterator<char>(in), {});
    ASSERT_GT(file.size(), complete + last.size());
    records = file.substr(0, complete);
    zeroes = file.substr(complete);
  }
  for (std::size_t cut = 0; cut < last.size(); ++cut) {
    const std::string torn = last.substr(0, cut);
    {
      std::ofstream out(seg, std::ios::binary | std::ios::trunc);
      out << records << torn << zeroes.substr(cut);
    }
    auto rep = recover(dir_);
    ASSERT_TRUE(rep.ok()) << rep.error();
    const std::size_t nonzero = torn.find_last_not_of('\0');
    EXPECT_EQ(rep->records, 3u) << "cut " << cut;
    EXPECT_EQ(rep->cut_bytes, nonzero == std::string::npos ? 0 : nonzero + 1) << "cut " << cut;
    EXPECT_EQ(rep->cut_bytes + rep->zero_bytes, zeroes.size()) << "cut " << cut;
    EXPECT_EQ(rep->end.offset, complete) << "cut " << cut;
    EXPECT_EQ(fs::file_size(seg), complete) << "cut " << cut;
  }
  // And the whole record is kept when nothing was torn.
  {
    std::ofstream out(seg, std::ios::binary | std::ios::trunc);
    out << records << last << zeroes.substr(last.size());
  }
  auto rep = recover(dir_);
  ASSERT_TRUE(rep.ok());
  EXPECT_EQ(rep->records, 4u);
  EXPECT_EQ(rep->cut_bytes, 0u);
  EXPECT_EQ(rep->end.offset, complete + last.size());
}

// A reader of a spool whose writer still runs (reindex, show, backup) ends the last segment at
// the zeroes after its records, without calling them damage.
TEST_F(JournalTest, ReadersStopAtTheZeroesAheadOfTheRecords) {
  auto j = journal::open({dir_, 1 << 20, 3});
  ASSERT_TRUE(j.ok());
  for (int i = 0; i < 5; ++i) append_sync(**j, msg(i));
  journal_reader r(dir_);
  auto end = r.end_of_spool();
  ASSERT_TRUE(end.ok());
  EXPECT_GT(end->offset, (*j)->durable_end().offset);  // the file's size, zeroes included
  EXPECT_EQ(r.count({1, 0}, *end).value(), 5u);
  EXPECT_EQ(read_all(dir_).size(), 5u);
  auto past = r.read_at((*j)->durable_end());
  EXPECT_FALSE(past.ok());
}

TEST_F(JournalTest, AppendAfterStopFailsInsteadOfHanging) {
  auto j = journal::open({dir_, 1 << 20, 3});
  ASSERT_TRUE(j.ok());
  (*j)->stop();
  bool failed = false;
  (*j)->append(msg(1), [&](Result<position> at) { failed = !at.ok(); });
  EXPECT_TRUE(failed);
}

TEST_F(JournalTest, UnwritableSpoolIsAnError) {
  std::ofstream(dir_.string()) << "a file, not a directory";
  auto j = journal::open({dir_ / "spool", 1 << 20, 3});
  EXPECT_FALSE(j.ok());
  fs::remove(dir_);
}

}  // namespace
}  // namespace spampot::capture
