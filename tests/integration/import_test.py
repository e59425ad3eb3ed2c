"""spampot import against real maillogs: records in the store, idempotent on a second import and
on an overlapping rotation, plain/.gz/.zst/stdin alike, garbage counted and skipped."""
import gzip
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from harness import BIN, DATA, main

LOGS = os.path.join(DATA, "maillogs")
GENERATED = os.path.join(LOGS, "generated-postfix-3.7", "traditional.log")


class ImportTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="spampot-import-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.db = os.path.join(self.dir, "spampot.db")

    def run_import(self, *args, stdin=None, check=True):
        p = subprocess.run([BIN, "import", "--db", "sqlite:" + self.db] + list(args), input=stdin,
                           capture_output=True, timeout=300)
        if check:
            self.assertEqual(p.returncode, 0, p.stderr)
        return p

    def added(self, out):
        return [(int(a), int(b)) for a, b in re.findall(rb"(\d+) added, (\d+) already in the store", out)]

    def query(self, sql):
        import sqlite3
        con = sqlite3.connect(self.db)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def test_import_is_idempotent_and_searchable(self):
        p = self.run_import(GENERATED)
        self.assertEqual(self.added(p.stdout), [(53, 0)])
        self.assertIn(b"416 lines, 38 messages, 15 rejects", p.stdout)
        p = self.run_import(GENERATED)
        self.assertEqual(self.added(p.stdout), [(0, 53)])
        self.assertEqual(self.query("SELECT count(*) FROM messages")[0][0], 38)
        self.assertEqual(self.query("SELECT count(*) FROM sessions WHERE imported = 1")[0][0], 15)
        # The same log as rsyslog's high-precision framing is the same events.
        p = self.run_import(os.path.join(LOGS, "generated-postfix-3.7", "rfc3339.log"))
        self.assertEqual(self.added(p.stdout), [(0, 53)])
        out = subprocess.run([BIN, "search", "--db", "sqlite:" + self.db, "--format", "json", "--limit", "0",
                              "--from", "bulk@example.net"], capture_output=True, check=True).stdout
        import json
        rows = json.loads(out)
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["rcpt_to"], ["a@trap.example", "b@trap.example", "c@trap2.example"])
        self.assertEqual(rows[0]["client_ip"], "127.0.0.4")
        self.assertTrue(rows[0]["imported"])
        self.assertRegex(rows[0]["source"], r"traditional\.log:\d+$")
        # show --raw says plainly that there is no body.
        p = subprocess.run([BIN, "show", rows[0]["id"], "--raw", "--db", "sqlite:" + self.db], capture_output=True)
        self.assertEqual(p.returncode, 1)
        self.assertIn(b"imported from a maillog", p.stderr)

    def test_overlapping_rotation_adds_nothing_twice(self):
        with open(GENERATED, "rb") as f:
            lines = f.readlines()
        # logrotate's view: an older, compressed file and the live one, overlapping by 100 lines.
        rotated = os.path.join(self.dir, "maillog.1.gz")
        with gzip.open(rotated, "wb") as f:
            f.writelines(lines[:300])
        live = os.path.join(self.dir, "maillog")
        with open(live, "wb") as f:
            f.writelines(lines[200:])
        os.utime(rotated, (os.stat(GENERATED).st_mtime,) * 2)
        self.run_import("--year", "2026", rotated, live)
        whole = os.path.join(self.dir, "whole.db")
        subprocess.run([BIN, "import", "--year", "2026", "--db", "sqlite:" + whole, GENERATED], check=True,
                       capture_output=True)
        mine = sorted(r[0] for r in self.query("SELECT message_id || '|' || mail_from FROM messages"))
        import sqlite3
        con = sqlite3.connect(whole)
        theirs = sorted(r[0] for r in con.execute("SELECT message_id || '|' || mail_from FROM messages"))
        con.close()
        self.assertEqual(mine, theirs)
        self.assertEqual(len(mine), len(set(self.query("SELECT id FROM messages"))))

    def test_compressed_stdin_and_garbage(self):
        zst = os.path.join(self.dir, "maillog.zst")
        subprocess.run(["zstd", "-q", "-o", zst, os.path.join(LOGS, "parse-syslog-mail", "sendmail-plain.log")],
                       check=True)
        p = self.run_import("--format", "sendmail", zst)
        self.assertEqual(self.added(p.stdout), [(77, 0)])
        with open(os.path.join(LOGS, "fail2ban", "exim.log"), "rb") as f:
            p = self.run_import("-", stdin=f.read())
        self.assertEqual(self.added(p.stdout), [(14, 0)])
        garbage = os.urandom(200000) + b"\n\x00\x01\x02\nNov 27 06:48:42 vm postfix/smtpd[1]: \xff\xfe\n" + b"x" * 100000
        p = self.run_import("-", stdin=garbage)
        self.assertIn(b"0 messages, 0 rejects", p.stdout)

    def test_errors_and_usage(self):
        p = subprocess.run([BIN, "import", "--dry-run", "--db", "sqlite:" + self.db, GENERATED], capture_output=True,
                           check=True)
        self.assertEqual(p.stdout.count(b"\n"), 53)
        self.assertFalse(os.path.exists(self.db))  # a dry run touches no store
        p = self.run_import("/nonexistent/maillog", check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn(b"cannot open /nonexistent/maillog", p.stderr)
        p = self.run_import("--format", "qmail", GENERATED, check=False)
        self.assertEqual(p.returncode, 2)


if __name__ == "__main__":
    main()
