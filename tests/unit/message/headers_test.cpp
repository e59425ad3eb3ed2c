#include "message/headers.hpp"

#include <gtest/gtest.h>

#include "base/limits.hpp"

namespace spampot::message {
namespace {

TEST(BasicHeaders, UnfoldsFirstOccurrenceAndStopsAtBody) {
  const auto h = extract_basic_headers(
      "Received: from x\r\n\tby y\r\nSubject: =?UTF-8?B?aGk=?=\r\n  continued\r\nFROM: \"Bob\" "
      "<b@x.example>\r\n"
      "Message-ID:<abc@x>\r\nSubject: second\r\nDate: Fri, 27 Nov 2026 07:56:47 "
      "+0000\r\n\r\nSubject: in body\r\n");
  EXPECT_EQ(h.subject, "=?UTF-8?B?aGk=?=  continued");
  EXPECT_EQ(h.from, "\"Bob\" <b@x.example>");
  EXPECT_EQ(h.message_id, "<abc@x>");
  EXPECT_EQ(h.date, "Fri, 27 Nov 2026 07:56:47 +0000");
}

TEST(BasicHeaders, BareLfMissingFieldsAndGarbage) {
  const auto h = extract_basic_headers(
      "From bot@x Mon Jan  1 10:11:12 2001\nSubject :x\nnot a header line\nDate: d\n\n");
  EXPECT_EQ(h.subject, "x");
  EXPECT_EQ(h.date, "");  // after a line that is not a field, the header block is over
  EXPECT_EQ(h.message_id, "");
  EXPECT_EQ(extract_basic_headers("").subject, "");
  EXPECT_EQ(extract_basic_headers("\r\nSubject: body only\r\n").subject, "");
}

TEST(BasicHeaders, BoundedValues) {
  std::string raw = "Subject: ";
  for (int i = 0; i < 400; ++i) raw += std::string(100, 's') + "\r\n ";
  raw += "end\r\n\r\n";
  EXPECT_LE(extract_basic_headers(raw).subject.size(), kIndexedHeaderBytes);
}

}  // namespace
}  // namespace spampot::message
