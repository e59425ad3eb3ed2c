"""Every limit, hit for real over TCP: its RFC reply, and a record of it."""
import json
import smtplib
import socket
import time

from harness import DOMAIN, RawClient, ServerTest, main


class LimitsTest(ServerTest):
    CONFIG = ("[limits]\nmessage_bytes = 4096\nrecipients = 3\nmessages_per_session = 2\nerrors = 5\n"
              "idle_timeout = \"1s\"\nsession_time = \"3s\"\nconnections_per_ip = 3\nconnections = 100\n")

    def open(self):
        c = RawClient(self.server.port)
        self.addCleanup(c.close)
        self.assertTrue(c.read_reply().startswith("220 "))
        return c

    def kinds(self):
        out = []
        for (v,) in self.server.query("SELECT violations FROM sessions"):
            out += [x["kind"] for x in json.loads(v)]
        return out

    def test_message_size(self):
        s = smtplib.SMTP("127.0.0.1", self.server.port, timeout=10)
        self.assertEqual(s.ehlo()[0], 250)
        self.assertEqual(s.esmtp_features["size"], "4096")
        # smtplib declares SIZE=, so the refusal comes at MAIL FROM...
        with self.assertRaises(smtplib.SMTPSenderRefused) as e:
            s.sendmail("a@bad.example", ["x@" + DOMAIN], b"Subject: big\r\n\r\n" + b"y" * 8000 + b"\r\n")
        self.assertEqual(e.exception.smtp_code, 552)
        # ...and a client that does not declare it is refused at the end of DATA.
        c = self.open()
        c.command(b"HELO c")
        c.command(b"MAIL FROM:<a@bad.example>")
        c.command(b"RCPT TO:<x@trap.example>")
        c.command(b"DATA")
        self.assertEqual(c.command(b"y" * 8000 + b"\r\n."), "552 5.3.4 Error: message file too big")
        c.command(b"QUIT")
        s.sendmail("a@bad.example", ["x@" + DOMAIN], b"Subject: small\r\n\r\nok\r\n")  # session goes on
        s.quit()
        self.server.wait_indexed(1)
        self.assertEqual(self.server.search()[0]["subject"], "small")
        self.server.wait_indexed(2, "sessions")
        self.assertIn("message_too_large", self.kinds())

    def test_recipients_and_messages_per_session(self):
        c = self.open()
        c.command(b"HELO c")
        c.command(b"MAIL FROM:<a@bad.example>")
        codes = [c.command(b"RCPT TO:<r%d@trap.example>" % i)[:3] for i in range(4)]
        self.assertEqual(codes, ["250", "250", "250", "452"])
        c.command(b"RSET")
        for _ in range(2):
            c.command(b"MAIL FROM:<a@bad.example>")
            c.command(b"RCPT TO:<x@trap.example>")
            c.command(b"DATA")
            self.assertRegex(c.command(b"Subject: x\r\n\r\nx\r\n."), "^250 ")
        self.assertEqual(c.command(b"MAIL FROM:<a@bad.example>"),
                         "421 4.7.0 mx.trap.example Error: too many messages in this session")
        self.server.wait_indexed(1, "sessions")
        self.assertIn("too_many_recipients", self.kinds())
        self.assertIn("too_many_messages", self.kinds())

    def test_too_many_errors(self):
        c = self.open()
        replies = [c.command(b"BOGUS %d" % i) for i in range(5)]
        self.assertEqual(replies[:4], ["502 5.5.2 Error: command not recognized"] * 4)
        self.assertEqual(replies[4], "502 5.5.2 Error: command not recognized")
        self.assertEqual(c.read_reply(), "421 4.7.0 mx.trap.example Error: too many errors")
        self.assertEqual(c.read_until_closed(), "")

    def test_idle_timeout(self):
        c = self.open()
        c.command(b"HELO idle")
        start = time.time()
        self.assertEqual(c.read_until_closed(timeout=10), "421 4.4.2 mx.trap.example Error: timeout exceeded\r\n")
        self.assertLess(time.time() - start, 8)
        self.server.wait_indexed(1, "sessions")
        self.assertEqual(self.server.query("SELECT end_reason FROM sessions")[0][0], b"idle_timeout")

    def test_session_time(self):
        c = self.open()
        deadline = time.time() + 10
        reply = ""
        while time.time() < deadline:  # busy, never idle, but too long
            reply = c.command(b"NOOP")
            if not reply.startswith("250"):
                break
            time.sleep(0.3)
        self.assertEqual(reply, "421 4.4.2 mx.trap.example Error: timeout exceeded")
        self.server.wait_indexed(1, "sessions")
        self.assertEqual(self.server.query("SELECT end_reason FROM sessions")[0][0], b"session_timeout")

    def test_connections_per_ip(self):
        held = [self.open() for _ in range(3)]
        extra = RawClient(self.server.port)
        self.addCleanup(extra.close)
        self.assertEqual(extra.read_until_closed(),
                         "421 4.7.0 mx.trap.example Error: too many connections from your address\r\n")
        for c in held:
            c.command(b"QUIT")
        self.server.wait_indexed(3, "sessions")
        # A slot is free again once a session ends.
        time.sleep(0.2)
        self.assertTrue(self.open())

    def test_a_flood_is_refused_and_recorded_in_aggregate(self):
        held = [self.open() for _ in range(3)]
        for i in range(60):  # beyond the per-address limit: each gets 421 at once
            if i % 10 == 0:  # the held sessions stay busy (idle_timeout is 1 s here)
                for c in held:
                    self.assertTrue(c.command(b"NOOP").startswith("250"))
            extra = RawClient(self.server.port)
            self.assertEqual(extra.read_until_closed(),
                             "421 4.7.0 mx.trap.example Error: too many connections from your address\r\n")
            extra.close()
        legit = self.open
        for c in held:
            c.command(b"QUIT")
        self.server.wait_indexed(3, "sessions")
        self.assertTrue(legit())
        self.assertEqual(self.server.stop(), 0)  # the tally is journaled at least at shutdown
        self.server.start()
        self.server.wait_indexed(5, "sessions")
        rows = self.server.query("SELECT client_ip, violations, transcript FROM sessions WHERE end_reason = "
                                 "'connection_limit'")
        self.assertEqual(len(rows), 1)  # one record for the flood, not sixty
        self.assertEqual(rows[0][0], b"127.0.0.1")
        self.assertIn(b"60 connections refused with 421 (too many connections from your address)", rows[0][1])


if __name__ == "__main__":
    main()
