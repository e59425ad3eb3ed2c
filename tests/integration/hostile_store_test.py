"""No message can stall the store (issue 16): hostile values in every place a spammer controls go
through the real server into the real store (SQLite here; a real MariaDB when run with
--mariadb), each followed by an ordinary message that must be searchable within seconds. Then a
store that refuses a record for good (a schema stricter than spampot's) quarantines it, goes on
indexing, counts it in `status` and `report summary`, and `reindex --quarantined` indexes it once
the schema takes it again."""
import base64
import json
import os
import smtplib
import sqlite3
import sys
import time
import unittest

from harness import DOMAIN, RawClient, Server, mariadb_query, mariadb_url

MARIADB = "--mariadb" in sys.argv
if MARIADB:
    sys.argv.remove("--mariadb")

EMOJI = "\U0001F600"
CJK = "\u8a0e\u8ad6"


def header_message(headers, body=b"body\r\n"):
    return b"".join(h + b"\r\n" for h in headers) + b"\r\n" + body


class HostileStore(unittest.TestCase):
    def setUp(self):
        self.db_name = "spampot_hostile_" + self._testMethodName[5:25]
        self.url = mariadb_url(self.db_name) if MARIADB else None
        self.server = Server("auth_capture = true\n", db_url=self.url).start()
        self.addCleanup(self.server.cleanup)
        self.ordinary = 0

    # --- the store, whichever it is -------------------------------------------------------------
    def sql(self, statement):
        if MARIADB:
            mariadb_query(self.db_name, statement)
        else:
            con = sqlite3.connect(self.server.db, timeout=30)
            try:
                con.executescript(statement)
            finally:
                con.close()

    def summary(self):
        rows = json.loads(self.server.cli("report", "summary", "--format", "json").stdout)
        return {r["metric"]: r["value"] for r in rows}

    def status(self):
        deadline = time.time() + 10
        while True:
            p = self.server.cli("status", "--config", self.server.config_path, "--spool", self.server.spool,
                                check=False)
            st = json.loads(p.stdout)
            if time.time() > deadline or st["indexed"] == st["spooled"]:
                return st
            time.sleep(0.1)

    # --- senders ----------------------------------------------------------------------------
    def send(self, raw, sender="hostile@bad.example", rcpt=None):
        s = smtplib.SMTP("127.0.0.1", self.server.port, timeout=30)
        s.sendmail(sender, [rcpt or "x@" + DOMAIN], raw)
        s.quit()

    def raw_session(self, lines):
        c = RawClient(self.server.port)
        c.read_reply()
        try:
            replies = [c.command(line) for line in lines]
            c.command(b"QUIT")
            return replies
        finally:
            c.close()

    def assert_ordinary_searchable(self, after):
        """An ordinary message sent now is found by `search` within seconds."""
        self.ordinary += 1
        subject = "ordinary %d" % self.ordinary
        self.send(("Subject: %s\r\nMessage-ID: <o%d@ok.example>\r\n\r\nhello\r\n" % (subject, self.ordinary)).encode(),
                  sender="friend@ok.example")
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.server.search("--subject", subject):
                return
            time.sleep(0.1)
        self.fail("an ordinary message after %s was not searchable within 10 s:\n%s" %
                  (after, self.server.read_log().decode(errors="replace")[-3000:]))

    def found(self, *filters):
        rows = self.server.search(*filters)
        self.assertEqual(len(rows), 1, filters)
        return json.loads(self.server.cli("show", rows[0]["id"]).stdout)

    # --- the battery ----------------------------------------------------------------------------
    def test_hostile_values_everywhere_never_stall_the_index(self):
        long_host = "h" * 300 + ".example"
        cases = [
            ("headers past their columns", header_message([
                b"Message-ID: <" + b"m" * 2000 + b"@long.example>",
                b"From: \"" + (EMOJI * 3000).encode() + b"\" <" + b"a" * 1000 + b"@bad.example>",
                b"Reply-To: <" + b"r" * 70000 + b"@bad.example>",
                b"Subject: " + ((EMOJI + CJK) * 1600).encode(),
                b"Date: " + b"Mon, 1 Jan 2024 00:00:00 +0000 " * 200])),
            ("bytes that are not UTF-8, and NUL", header_message([
                b"Subject: caf\xe9 \xff\xfe \xc3 na\xefve \xe4\xb8",
                b"From: J\xf6rg \xff <j\xf6rg@bad.example>",
                b"X-Mailer: mailer\x00with\x00nul",
                b"Message-ID: <\xff\xfe@bad.example>"], b"caf\xe9\x00\r\n")),
            ("URLs past their columns", header_message([b"Subject: urls"], (
                "see http://%s/x and http://ok.example/%s and http://%s.example/\r\n" %
                (long_host, "p" * 70000, CJK * 30)).encode())),
            ("an attachment named past every bound", header_message([
                b"Subject: attachment", b"MIME-Version: 1.0",
                b"Content-Type: multipart/mixed; boundary=b"], b"--b\r\n"
                b"Content-Type: application/x-" + b"t" * 300 + b"; name*0*=utf-8''" + b"%F0%9F%98%80" * 400 +
                b"; name*1=\"\xff\xfe" + b"n" * 3000 + b"\"\r\n"
                b"Content-Disposition: attachment-" + b"d" * 100 + b"\r\n"
                b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.b64encode(b"\x00" * 300) + b"\r\n--b--\r\n")),
            ("Received hops past their columns", header_message([
                b"Subject: hops",
                b"Received: from " + long_host.encode() + b" (" + b"x" * 300 + b" [203.0.113.5]) by " +
                long_host.encode() + b" with " + b"P" * 100 + b" id " + b"I" * 300 + b"; Mon, 1 Jan 2024 00:00:00 +0000",
                b"Received: from \xff\xfe" + (EMOJI * 100).encode() + b" by x with ESMTP; garbage date"])),
        ]
        for name, raw in cases:
            self.send(raw)
            self.assert_ordinary_searchable(name)

        # The envelope and the session: a HELO and addresses in 4-byte characters and stray bytes,
        # AUTH credentials that are neither UTF-8 nor short.
        helo = (EMOJI * 200).encode() + b"\xff\xfe\xc3"
        local = (EMOJI * 150).encode() + b"\xe9"
        replies = self.raw_session([
            b"EHLO " + helo,
            b"AUTH PLAIN " + base64.b64encode(b"\x00" + b"user\xff\xfe" * 40 + b"\x00" + b"p\x00ss" + EMOJI.encode() * 50),
            b"MAIL FROM:<" + local + b"@bad.example> SMTPUTF8",
            b"RCPT TO:<" + local + b"@" + DOMAIN.encode() + b">",
            b"DATA",
            b"Subject: envelope\r\n\r\nx\r\n.",
        ])
        self.assertTrue(replies[-1].startswith("250"), replies)
        self.assert_ordinary_searchable("a hostile envelope and AUTH")

        # Nothing was refused, and each value was fitted where it had to be, with the note in problems.
        self.assertEqual(self.summary()["spool records quarantined"], 0)
        self.assertEqual(self.status()["quarantined"], 0)
        long_headers = self.found("--subject", CJK + EMOJI)
        self.assertIn("cut:message_id", long_headers["problems"])
        self.assertIn("cut:from_address", long_headers["problems"])
        self.assertLessEqual(len(long_headers["message_id"].encode()), 255)
        stray = self.found("--subject", "caf")
        self.assertIn("invalid_utf8:subject", stray["problems"])
        self.assertIn("\ufffd", stray["subject_raw"])
        urls = self.found("--subject", "urls")
        self.assertIn("cut:host", urls["problems"])
        hops = self.found("--subject", "hops")
        self.assertIn("cut:from_name", hops["problems"])
        self.assertIn("cut:protocol", hops["problems"])
        envelope = self.found("--subject", "envelope")
        self.assertIn("\ufffd", envelope["helo"])
        self.assertIn("invalid_utf8:helo", envelope["problems"])
        # show carries the session: how the message came, AUTH tried included.
        self.assertEqual(envelope["session"]["helo_verb"], "EHLO")
        self.assertEqual(envelope["session"]["auth_attempts"][0]["mechanism"], "PLAIN")
        self.assertIn("user\ufffd\ufffduser", envelope["session"]["auth_attempts"][0]["username"])
        auth = self.server.cli("report", "auth", "--format", "json").stdout.decode()
        self.assertIn("user\ufffd\ufffduser", auth)
        self.assertIn("p\ufffdss" + EMOJI, auth)
        # The spool keeps every byte as sent.
        raw = self.server.cli("show", stray["id"], "--raw").stdout
        self.assertIn(b"Subject: caf\xe9 \xff\xfe \xc3 na\xefve \xe4\xb8\r\n", raw)
        self.assertIn(b"X-Mailer: mailer\x00with\x00nul\r\n", raw)

    def test_a_record_refused_for_good_is_quarantined_and_indexed_after_the_fix(self):
        # A schema stricter than spampot's own: a refusal that no retry can get past.
        if MARIADB:
            self.sql("ALTER TABLE message_details MODIFY subject VARCHAR(16) NOT NULL")
        else:
            self.sql("CREATE TRIGGER strict BEFORE INSERT ON message_details WHEN length(NEW.subject) > 16 "
                     "BEGIN SELECT RAISE(ABORT, 'subject too long for this schema'); END;")
        self.send(b"Subject: refused by the schema\r\n\r\nbody\r\n")
        self.assert_ordinary_searchable("a refused record")
        self.assertEqual(self.server.search("--subject", "refused"), [])
        self.assertEqual(self.status()["quarantined"], 1)
        self.assertEqual(self.status()["store"], "ok")
        self.assertEqual(self.summary()["spool records quarantined"], 1)
        # While the schema still refuses it: it stays quarantined, and the command says so.
        again = self.server.cli("reindex", "--quarantined", check=False)
        self.assertEqual(again.returncode, 1, again.stderr)
        self.assertIn(b"1 records stay quarantined", again.stdout)

        if MARIADB:
            self.sql("ALTER TABLE message_details MODIFY subject TEXT NOT NULL")
        else:
            self.sql("DROP TRIGGER strict;")
        fixed = self.server.cli("reindex", "--quarantined")
        self.assertIn(b"indexed 1 messages", fixed.stdout)
        self.assertIn(b"0 records stay quarantined", fixed.stdout)
        self.assertEqual(len(self.server.search("--subject", "refused by the schema")), 1)
        self.assertEqual(self.summary()["spool records quarantined"], 0)
        self.assert_ordinary_searchable("the retry")


if __name__ == "__main__":
    unittest.main(verbosity=2)
