"""Hostile and broken input against the real server: precise replies, everything recorded, and the
server keeps serving."""
import json
import smtplib
import ssl
import time

from harness import DOMAIN, RawClient, Server, ServerTest, main


def client_hello():
    """The bytes a real TLS client sends first (Python's own ClientHello, captured from a BIO)."""
    ctx = ssl.create_default_context()
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(incoming, outgoing, server_hostname="mx.trap.example")
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


class MalformedInputTest(ServerTest):
    def violations(self, expected_sessions):
        self.server.wait_indexed(expected_sessions, "sessions")
        kinds = []
        for (v,) in self.server.query("SELECT violations FROM sessions"):
            kinds += [x["kind"] for x in json.loads(v)]
        return kinds

    def still_serves(self):
        s = smtplib.SMTP("127.0.0.1", self.server.port, timeout=10)
        s.sendmail("a@bad.example", ["x@" + DOMAIN], b"Subject: after\r\n\r\nok\r\n")
        s.quit()

    def open(self):
        c = RawClient(self.server.port)
        self.addCleanup(c.close)
        self.assertTrue(c.read_reply().startswith("220 mx.trap.example ESMTP"))
        return c

    def test_overlong_lines_nul_bytes_and_8bit_garbage(self):
        c = self.open()
        self.assertEqual(c.command(b"EHLO " + b"a" * 5000), "500 5.5.2 Error: line too long")
        self.assertEqual(c.command(b"HELO a\x00b"), "500 5.5.2 Error: bad syntax")
        self.assertEqual(c.command(b"\xff\xfe\x80 \xc3("), "502 5.5.2 Error: command not recognized")
        self.assertEqual(c.command(b"HELO recovered.example"), "250 mx.trap.example")
        self.assertEqual(c.command(b"QUIT"), "221 2.0.0 Bye")
        kinds = self.violations(1)
        for k in ("line_too_long", "nul_byte", "unknown_command"):
            self.assertIn(k, kinds)
        (transcript,) = self.server.query("SELECT transcript FROM sessions")[0]
        self.assertIn(b"C: HELO a\\x00b", transcript)
        self.assertIn(b"C: \\xff\\xfe\\x80 \\xc3(", transcript)
        self.still_serves()

    def test_tls_client_hello_on_the_plain_port(self):
        c = self.open()
        c.send(client_hello())
        self.assertEqual(c.read_until_closed(), "421 4.7.0 mx.trap.example Error: TLS handshake on a plain-text port\r\n")
        self.assertIn("tls_on_plaintext", self.violations(1))
        (reason,) = self.server.query("SELECT end_reason FROM sessions")[0]
        self.assertEqual(reason, b"non_smtp")
        self.still_serves()

    def test_http_request_on_the_smtp_port(self):
        c = self.open()
        c.send(b"GET / HTTP/1.1\r\nHost: mx.trap.example\r\nUser-Agent: scanner\r\n\r\n")
        self.assertEqual(c.read_until_closed(), "221 2.7.0 Error: I can break rules, too. Goodbye.\r\n")
        self.assertIn("non_smtp", self.violations(1))
        self.still_serves()

    def test_data_with_nul_bytes_long_lines_and_bare_lf_is_kept_as_sent(self):
        c = self.open()
        body = b"Subject: raw\r\n\r\n" + b"x" * 3000 + b"\r\nnul\x00byte\nbare lf\r\n\xe9t\xe9\r\n"
        c.send(b"EHLO c\r\nMAIL FROM:<a@bad.example>\r\nRCPT TO:<x@trap.example>\r\nDATA\r\n")
        for _ in range(4):
            c.read_reply()
        self.assertRegex(c.command(body + b"."), r"^250 2\.0\.0 Ok: queued as ")
        self.server.wait_indexed(1)
        m = self.server.search()[0]
        self.assertEqual(set(m["flags"].split(",")), {"bare_lf", "long_lines", "nul_bytes", "eight_bit"})
        raw = self.server.cli("show", m["id"], "--raw").stdout
        self.assertTrue(raw.endswith(body), raw[-100:])

    def test_envelope_bytes_that_are_not_utf8_are_stored_as_replacement_characters(self):
        c = self.open()
        c.send(b"EHLO b\xf6t.example\r\nMAIL FROM:<j\xf6rg@bad.example>\r\nRCPT TO:<\xe9t\xe9@trap.example>\r\nDATA\r\n")
        for _ in range(4):
            c.read_reply()
        self.assertRegex(c.command(b"Subject: latin1\r\n\r\nx\r\n."), r"^250 ")
        c.command(b"QUIT")
        self.server.wait_indexed(1)
        # The store holds UTF-8 (U+FFFD for each stray byte, the same in every backend) and notes
        # it in the row's problems; the spool's envelope keeps the bytes as sent.
        self.assertEqual(self.server.query("SELECT helo, mail_from, problems FROM messages"),
                         [(b"b\xef\xbf\xbdt.example", b"j\xef\xbf\xbdrg@bad.example",
                           b"invalid_utf8:helo,invalid_utf8:mail_from,invalid_utf8:address")])
        self.assertEqual(self.server.query("SELECT address FROM message_recipients"),
                         [(b"\xef\xbf\xbdt\xef\xbf\xbd@trap.example",)])

    def test_client_vanishing_mid_data_leaves_a_session_and_no_message(self):
        c = self.open()
        c.send(b"EHLO c\r\nMAIL FROM:<a@bad.example>\r\nRCPT TO:<x@trap.example>\r\nDATA\r\n")
        for _ in range(4):
            c.read_reply()
        c.send(b"Subject: cut\r\n\r\nhalf a mess")
        c.close()
        self.server.wait_indexed(1, "sessions")
        (reason,) = self.server.query("SELECT end_reason FROM sessions")[0]
        self.assertEqual(reason, b"client_closed")
        self.assertEqual(self.server.count(), 0)
        self.still_serves()

    def test_a_probe_that_only_connects_is_recorded(self):
        c = self.open()
        c.close()
        self.server.wait_indexed(1, "sessions")
        self.assertEqual(self.server.query("SELECT commands, end_reason FROM sessions"), [(0, b"client_closed")])


class EarlyTalkerTest(ServerTest):
    CONFIG = 'greeting_delay = "700ms"\n'

    def test_commands_before_the_greeting(self):
        c = RawClient(self.server.port)
        self.addCleanup(c.close)
        c.send(b"EHLO impatient.example\r\n")  # before the 220
        self.assertTrue(c.read_reply().startswith("220 "))
        self.assertTrue(c.read_reply().startswith("250-mx.trap.example"))
        self.assertEqual(c.command(b"QUIT"), "221 2.0.0 Bye")
        self.server.wait_indexed(1, "sessions")
        (v,) = self.server.query("SELECT violations FROM sessions")[0]
        self.assertEqual([x["kind"] for x in json.loads(v)], ["early_talker"])

    def test_a_patient_client_is_not_an_early_talker(self):
        s = smtplib.SMTP("127.0.0.1", self.server.port, timeout=10)
        s.sendmail("a@bad.example", ["x@" + DOMAIN], b"Subject: patient\r\n\r\nok\r\n")
        s.quit()
        self.server.wait_indexed(1, "sessions")
        (v,) = self.server.query("SELECT violations FROM sessions")[0]
        self.assertEqual(json.loads(v), [])


if __name__ == "__main__":
    main()
