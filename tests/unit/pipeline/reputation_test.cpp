// The list pass's bookkeeping against a real SQLite store: which entries are due, and that the
// count a progress bar shows is the number a pass then asks about.
#include "pipeline/reputation.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "base/domain.hpp"

namespace spampot::pipeline {
namespace {

namespace fs = std::filesystem;

TEST(Reputation, CountDueFollowsListsRecheckAgeAndHistory) {
  const fs::path db = fs::temp_directory_path() / ("spampot-reputation-" + std::to_string(::getpid()) + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
  auto st = store::open("sqlite:" + db.string());
  ASSERT_TRUE(st.ok()) << st.error();
  ASSERT_TRUE((*st)->begin().ok());
  for (int i = 1; i <= 3; ++i) {
    store::message_row m;
    m.id = "M" + std::to_string(i);
    m.received_at = 1000 * i;
    m.client_ip = "192.0.2." + std::to_string(i);
    m.helo = "bot.example";
    m.mail_from = "a@spam" + std::to_string(i) + ".example";
    m.mail_from_domain = domain_of(m.mail_from);
    m.rcpt_to = {"x@trap.example"};
    ASSERT_TRUE((*st)->put_message(m).ok());
  }
  ASSERT_TRUE((*st)->commit().ok());
  const std::vector<dns::list_spec> lists = {{"bl.test", "ip", "", {}, false, {}},
                                             {"dbl.test", "domain", "", {}, false, {}}};
  check_options o;
  o.recheck_after = 3600 * kMicrosPerSecond;
  const Micros now = now_micros();
  EXPECT_EQ(*count_due(**st, lists, o, now), 3u + 4u);  // 3 IPs; 3 sender domains and the HELO
  o.lists = {"bl.test"};
  EXPECT_EQ(*count_due(**st, lists, o, now), 3u);

  // Asked a minute ago: not due within the hour, due for a recheck of everything.
  ASSERT_TRUE((*st)->begin().ok());
  ASSERT_TRUE((*st)->record_check({"ip", "192.0.2.1", "bl.test", now - 60 * kMicrosPerSecond, "clean", "", "", ""}).ok());
  ASSERT_TRUE((*st)->commit().ok());
  EXPECT_EQ(*count_due(**st, lists, o, now), 2u);
  o.recheck_after = 0;
  EXPECT_EQ(*count_due(**st, lists, o, now), 3u);
  o.seen_since = 2000;  // only entries seen since
  EXPECT_EQ(*count_due(**st, lists, o, now), 2u);
  st->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
}

}  // namespace
}  // namespace spampot::pipeline
