"""swaks against the real server: what README promises a user sees."""
import re
import subprocess

from harness import DOMAIN, ServerTest, main


def swaks(port, *args):
    p = subprocess.run(["swaks", "--server", "127.0.0.1:%d" % port, "--timeout", "20"] + list(args),
                       capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode(errors="replace")


class SwaksTest(ServerTest):
    def test_message_is_acknowledged_stored_and_shown(self):
        rc, out = swaks(self.server.port, "--to", "anyone@" + DOMAIN, "--from", "spammer@bad.example",
                        "--helo", "bot.bad.example", "--header", "Subject: cheap pills",
                        "--header", "Message-Id: <abc123@bad.example>")
        self.assertEqual(rc, 0, out)
        queued = re.search(r"<-  250 2\.0\.0 Ok: queued as ([0-9A-Z]{19})", out)
        self.assertIsNotNone(queued, out)
        qid = queued.group(1)
        self.server.wait_indexed(1)

        rows = self.server.search()
        self.assertEqual(len(rows), 1)
        m = rows[0]
        self.assertEqual(m["id"], qid)
        self.assertEqual(m["mail_from"], "spammer@bad.example")
        self.assertEqual(m["rcpt_to"], ["anyone@" + DOMAIN])
        self.assertEqual(m["helo"], "bot.bad.example")
        self.assertEqual(m["subject"], "cheap pills")
        self.assertEqual(m["message_id"], "<abc123@bad.example>")
        self.assertEqual(m["client_ip"], "127.0.0.1")
        self.assertEqual(m["sensor"], "it")
        self.assertFalse(m["relay_attempt"])
        self.assertRegex(m["received_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
        self.assertEqual(len(m["sha256"]), 64)
        for key in ("client_port", "size", "date"):
            self.assertIn(key, m)

        table = self.server.cli("search").stdout.decode()
        self.assertIn(qid, table)
        self.assertIn("cheap pills", table)

        raw = self.server.cli("show", qid, "--raw").stdout
        self.assertTrue(raw.startswith(b"Return-Path: <spammer@bad.example>\r\nX-Original-To: anyone@trap.example\r\n"
                                       b"Received: from bot.bad.example ([127.0.0.1]:"), raw[:300])
        self.assertIn(b"Subject: cheap pills", raw)

        transcript = self.server.cli("show", qid, "--transcript").stdout.decode()
        self.assertIn("C: EHLO bot.bad.example", transcript)
        self.assertIn("S: 250 2.0.0 Ok: queued as " + qid, transcript)

    def test_relay_attempt_is_refused_and_recorded(self):
        rc, out = swaks(self.server.port, "--to", "victim@gmail.example", "--from", "x@bad.example")
        self.assertNotEqual(rc, 0)
        self.assertIn("554 5.7.1 <victim@gmail.example>: Relay access denied", out)
        self.server.wait_indexed(1, "sessions")
        rows = self.server.query("SELECT address, accepted, relay, reply FROM recipients")
        self.assertEqual(rows, [(b"victim@gmail.example", 0, 1, b"554 5.7.1 <victim@gmail.example>: Relay access denied")])
        self.assertEqual(self.server.count(), 0)

    def test_swaks_pipelining_and_8bit_body(self):
        rc, out = swaks(self.server.port, "--to", "a@%s,b@%s" % (DOMAIN, DOMAIN), "--pipeline",
                        "--body", "caf\xc3\xa9 \xe2\x82\xac")
        self.assertEqual(rc, 0, out)
        self.server.wait_indexed(1)
        m = self.server.search()[0]
        self.assertEqual(m["rcpt_to"], ["a@" + DOMAIN, "b@" + DOMAIN])


class RelayBaitTest(ServerTest):
    CONFIG = "relay_bait = true\n"

    def test_relay_is_accepted_recorded_and_never_sent(self):
        rc, out = swaks(self.server.port, "--to", "victim@gmail.example")
        self.assertEqual(rc, 0, out)
        self.server.wait_indexed(1)
        m = self.server.search()[0]
        self.assertTrue(m["relay_attempt"])
        self.assertEqual(m["rcpt_to"], ["victim@gmail.example"])


class AuthCaptureTest(ServerTest):
    CONFIG = "auth_capture = true\n"

    def test_swaks_credentials_are_recorded_exactly(self):
        for mech, user, password in (("PLAIN", "admin", "p@ss w0rd "), ("LOGIN", "Root", "toor")):
            rc, out = swaks(self.server.port, "--to", "x@" + DOMAIN, "--auth", mech, "--auth-user", user,
                            "--auth-password", password)
            self.assertNotEqual(rc, 0)
            self.assertIn("535 5.7.8 Error: authentication failed", out)
        self.server.wait_indexed(2, "sessions")
        rows = self.server.query("SELECT mechanism, username, password FROM auth_attempts ORDER BY at")
        self.assertEqual(rows, [(b"PLAIN", b"admin", b"p@ss w0rd "), (b"LOGIN", b"Root", b"toor")])
        sid = self.server.query("SELECT session_id FROM auth_attempts ORDER BY at LIMIT 1")[0][0].decode()
        import json
        shown = json.loads(self.server.cli("show", sid).stdout)
        self.assertEqual(shown["auth_attempts"][0]["password"], "p@ss w0rd ")


if __name__ == "__main__":
    main()
