#include "capture/frame.hpp"

#include <gtest/gtest.h>

namespace spampot::capture {
namespace {

TEST(Frame, RoundTripsBinaryBodies) {
  record r{record_type::message, R"({"id":"X"})", std::string("a\0b\r\n\xff", 6)};
  const std::string f = encode_frame(r, 3);
  const decoded d = decode_frame(f);
  ASSERT_EQ(d.status, decode_status::ok);
  EXPECT_EQ(d.frame_bytes, f.size());
  EXPECT_EQ(d.rec.type, record_type::message);
  EXPECT_EQ(d.rec.meta, r.meta);
  EXPECT_EQ(d.rec.body, r.body);
}

TEST(Frame, EveryPrefixNeedsMoreAndEveryBitFlipIsCaught) {
  const std::string f = encode_frame({record_type::session, "{}", std::string(300, 'z')}, 3);
  for (std::size_t i = 0; i < f.size(); ++i)
    EXPECT_EQ(decode_frame(f.substr(0, i)).status, decode_status::need_more) << "prefix " << i;
  for (std::size_t i = 0; i < f.size(); ++i) {
    std::string bad = f;
    bad[i] = static_cast<char>(bad[i] ^ 0x40);
    EXPECT_NE(decode_frame(bad).status, decode_status::ok) << "flip at " << i;
  }
}

TEST(Frame, GarbageIsCorruptNotAnAllocation) {
  EXPECT_EQ(decode_frame("GET / HTTP/1.1\r\n").status, decode_status::corrupt);
  EXPECT_EQ(decode_frame(std::string("SPJ1\xff\xff\xff\x7f\0\0\0\0", 12)).status,
            decode_status::corrupt);
}

}  // namespace
}  // namespace spampot::capture
