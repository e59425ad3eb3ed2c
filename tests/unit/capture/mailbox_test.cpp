#include "capture/mailbox.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "capture/trace_headers.hpp"

namespace spampot::capture {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

TEST(Mailbox, MaildirAndMboxrd) {
  const fs::path dir =
      fs::temp_directory_path() / ("spampot-mailbox-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto md = maildir_writer::open(dir / "Maildir");
  ASSERT_TRUE(md.ok());
  ASSERT_TRUE(
      md->write("1K17NKEE2FNK5XW8Q0B", 1795766207000000, "Subject: x\r\n\r\nFrom here\r\n").ok());
  const fs::path file = dir / "Maildir" / "new" / "1795766207.1K17NKEE2FNK5XW8Q0B.spampot";
  ASSERT_TRUE(fs::exists(file));
  EXPECT_EQ(slurp(file), "Subject: x\n\nFrom here\n");
  EXPECT_TRUE(fs::is_empty(dir / "Maildir" / "tmp"));

  auto mb = mbox_writer::open(dir / "mbox");
  ASSERT_TRUE(mb.ok());
  ASSERT_TRUE(
      mb->write("a b@c", 1795766207000000, "Subject: x\r\n\r\nFrom here\r\n>From there\r\nok")
          .ok());
  ASSERT_TRUE(mb->close().ok());
  EXPECT_EQ(slurp(dir / "mbox"),
            "From a_b@c Fri Nov 27 07:56:47 2026\nSubject: x\n\n>From here\n>>From there\nok\n\n");
  fs::remove_all(dir);
}

TEST(TraceHeaders, AsAnMtaWouldDeliver) {
  message_envelope e;
  e.id = "ID1";
  e.server_name = "mx.trap.example";
  e.received_at = 1795766207000000;
  e.conn.client_ip = "192.0.2.7";
  e.conn.client_port = 4567;
  e.helo = "bot\r\nInjected: yes";
  e.helo_verb = "EHLO";
  e.mail_from = "s@bad.example";
  e.rcpt_to = {"a@trap.example"};
  EXPECT_EQ(delivered_form(e, "Subject: x\r\n\r\nbody\r\n"),
            "Return-Path: <s@bad.example>\r\nX-Original-To: a@trap.example\r\n"
            "Received: from bot??Injected: yes ([192.0.2.7]:4567)\r\n"
            "\tby mx.trap.example (spampot) with ESMTP id ID1\r\n\tfor <a@trap.example>; Fri, 27 "
            "Nov 2026 07:56:47 +0000\r\n"
            "Subject: x\r\n\r\nbody\r\n");
  EXPECT_EQ(trace_headers(e, "Subject: x\n\nbody\n").find("\r\n"),
            std::string::npos);  // LF message, LF headers
}

}  // namespace
}  // namespace spampot::capture
