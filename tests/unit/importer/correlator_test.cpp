#include "importer/correlator.hpp"

#include <gtest/gtest.h>

#include "importer/parsers.hpp"

namespace spampot::importer {
namespace {

struct harness {
  std::vector<import_record> out;
  correlator c{[this](import_record&& r) { out.push_back(std::move(r)); }, 3, 3600 * kMicrosPerSecond};
  std::uint64_t line = 0;
  void postfix(Micros t, std::string_view msg, std::string_view host = "mx") {
    c.feed(parse_postfix(msg), {mta::postfix, t, host, "maillog", ++line});
  }
};

TEST(Correlator, JoinsAQueueEntryIntoOneRecord) {
  harness h;
  h.postfix(10, "AAAAA1: client=bot[192.0.2.1]");
  h.postfix(11, "AAAAA1: message-id=<m@x>");
  h.postfix(12, "AAAAA1: from=<s@bad.example>, size=99, nrcpt=2 (queue active)");
  h.postfix(13, "AAAAA1: to=<a@trap.example>, status=sent");
  h.postfix(13, "AAAAA1: to=<b@trap.example>, status=sent");
  h.postfix(13, "AAAAA1: to=<a@trap.example>, status=sent");  // retried: listed once
  EXPECT_TRUE(h.out.empty());
  h.postfix(14, "AAAAA1: removed");
  ASSERT_EQ(h.out.size(), 1u);
  const auto& r = h.out[0];
  EXPECT_FALSE(r.reject);
  EXPECT_EQ(r.time, 10);
  EXPECT_EQ(r.client_ip, "192.0.2.1");
  EXPECT_EQ(r.message_id, "<m@x>");
  EXPECT_EQ(r.sender, "s@bad.example");
  EXPECT_EQ(r.recipients, (std::vector<std::string>{"a@trap.example", "b@trap.example"}));
  EXPECT_EQ(r.size, 99u);
  EXPECT_EQ(r.source_line, 1u);
}

TEST(Correlator, SameQueueIdOnTwoHostsAreTwoRecords) {
  harness h;
  h.postfix(1, "AAAAA1: from=<a@x>, size=1", "mx1");
  h.postfix(1, "AAAAA1: from=<b@x>, size=1", "mx2");
  h.c.flush();
  ASSERT_EQ(h.out.size(), 2u);
}

TEST(Correlator, MemoryIsBoundedAndOldEntriesExpire) {
  harness h;  // at most 3 pending, 1 hour
  for (int i = 0; i < 5; ++i) h.postfix(i, "ABCDE" + std::to_string(i) + ": from=<a@x>, size=1");
  EXPECT_EQ(h.c.pending(), 3u);
  EXPECT_EQ(h.out.size(), 2u);
  EXPECT_EQ(h.c.expired(), 2u);
  h.postfix(2 * 3600 * kMicrosPerSecond, "FEDCB1: from=<a@x>, size=1");
  EXPECT_EQ(h.c.pending(), 1u);
  EXPECT_EQ(h.out.size(), 5u);
}

TEST(Correlator, RejectsAreImmediateAndEmptyEntriesDropped) {
  harness h;
  h.postfix(1, "NOQUEUE: reject: RCPT from x[192.0.2.3]: 554 5.7.1 no; from=<a@b> to=<c@d> proto=SMTP helo=<h>");
  ASSERT_EQ(h.out.size(), 1u);
  EXPECT_TRUE(h.out[0].reject);
  h.postfix(2, "BBBBB1: message-id=<only@x>");  // nothing else: not a message, no client
  h.postfix(3, "CCCCC1: client=x[192.0.2.4]");  // a client that never got a sender
  h.postfix(4, "DDDDD1: removed");              // the end of something unseen
  h.c.flush();
  ASSERT_EQ(h.out.size(), 2u);
  EXPECT_TRUE(h.out[1].reject);
  EXPECT_EQ(h.out[1].client_ip, "192.0.2.4");
  EXPECT_EQ(h.c.dropped(), 1u);
}

}  // namespace
}  // namespace spampot::importer
