"""The command line: exit codes (0 ok, 1 error, 2 usage), --help everywhere, config check,
search filters and formats, show, reindex."""
import csv
import io
import os
import smtplib
import socket
import subprocess
import tempfile
import unittest

from harness import BIN, DOMAIN, Server, ServerTest, main

EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "spampot.example.toml")


def run(*args):
    p = subprocess.run([BIN] + list(args), capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


class CommandLineTest(unittest.TestCase):
    def test_usage_errors_exit_2(self):
        self.assertEqual(run()[0], 2)
        self.assertEqual(run("bogus")[0], 2)
        self.assertEqual(run("search", "--limit", "many")[0], 2)
        rc, _, err = run("search", "--since", "last tuesday", "--db", "sqlite:/nonexistent/x.db")
        self.assertEqual(rc, 2)
        self.assertIn("--since last tuesday: not a time", err)
        self.assertEqual(run("search", "--ip", "300.1.1.1")[0], 2)
        self.assertEqual(run("search", "--format", "xml")[0], 2)

    def test_help_on_every_subcommand(self):
        for sub, option in (("serve", "--listen"), ("search", "--maildir"), ("show", "--raw"),
                            ("reindex", "--spool"), ("config", "check"), ("version", "--help")):
            rc, out, _ = run(sub, "--help")
            self.assertEqual(rc, 0, sub)
            self.assertIn(option, out, sub)
        rc, out, _ = run("--version")
        self.assertEqual(rc, 0)
        self.assertRegex(out, r"^spampot \d+\.\d+\.\d+")
        self.assertEqual(run("version")[1], out)

    def test_config_check(self):
        rc, out, _ = run("config", "check", EXAMPLE)
        self.assertEqual(rc, 0)
        self.assertIn("ok: sensor ams-1, 1 trap domains", out)
        with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
            f.write('sensor = "x"\n[limits]\nline_bytes = 100\nidle_timeout = "forever"\n[[trap]]\ndomain = 7\n')
        self.addCleanup(os.unlink, f.name)
        rc, _, err = run("config", "check", f.name)
        self.assertEqual(rc, 1)
        self.assertIn(f.name + ":3:", err)
        self.assertIn(f.name + ":4:", err)
        self.assertIn(f.name + ":6:", err)
        self.assertEqual(run("config", "check", "/nonexistent.toml")[0], 1)

    def test_serve_refuses_clear_errors(self):
        rc, _, err = run("serve", "--listen", "127.0.0.1:0", "--domain", "trap@example")
        self.assertEqual(rc, 1)
        self.assertIn("--domain 'trap@example'", err)
        rc, _, err = run("serve", "--config", EXAMPLE, "--listen", "127.0.0.1:0", "--domain", "x.example",
                         "--db", "sqlite:/nonexistent/dir/x.db", "--spool", tempfile.mkdtemp())
        self.assertEqual(rc, 1)
        self.assertIn("cannot open SQLite database", err)
        rc, _, err = run("serve", "--listen", "nowhere", "--domain", "x.example")
        self.assertEqual(rc, 1)
        self.assertIn("--listen nowhere", err)
        with tempfile.TemporaryDirectory() as d:
            empty = os.path.join(d, "empty.toml")
            open(empty, "w").close()
            rc, _, err = run("serve", "--config", empty, "--listen", "127.0.0.1:0", "--db", "sqlite:" + d + "/x.db",
                             "--spool", d + "/spool")
            self.assertEqual(rc, 1)
            self.assertIn("no trap domain", err)
            busy = socket.socket()
            busy.bind(("127.0.0.1", 0))
            busy.listen()
            port = busy.getsockname()[1]
            rc, _, err = run("serve", "--config", empty, "--listen", "127.0.0.1:%d" % port, "--domain", "x.example",
                             "--db", "sqlite:" + d + "/x.db", "--spool", d + "/spool")
            busy.close()
            self.assertEqual(rc, 1)
            self.assertIn("cannot listen on 127.0.0.1:%d" % port, err)


class SearchShowReindexTest(ServerTest):
    def setUp(self):
        super().setUp()
        s = smtplib.SMTP("127.0.0.1", self.server.port, timeout=10)
        for i in range(3):
            s.sendmail("s%d@bad%d.example" % (i, i % 2), ["r%d@%s" % (i, DOMAIN)],
                       b"Subject: n%d, with comma\r\n\r\nx\r\n" % i)
        s.quit()
        self.server.wait_indexed(3)

    def test_filters_and_formats(self):
        self.assertEqual(len(self.server.search("--from", "@bad0.example")), 2)
        self.assertEqual(len(self.server.search("--to", "r1@" + DOMAIN)), 1)
        self.assertEqual(len(self.server.search("--ip", "127.0.0.0/8")), 3)
        self.assertEqual(len(self.server.search("--ip", "10.0.0.0/8")), 0)
        self.assertEqual(len(self.server.search("--since", "1h")), 3)
        self.assertEqual(len(self.server.search("--until", "2000-01-01")), 0)
        self.assertEqual(len(self.server.search("--limit", "2")), 2)
        out = self.server.cli("search", "--format", "csv").stdout.decode()
        rows = list(csv.DictReader(io.StringIO(out)))
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows[0]["subject"], "n2, with comma")
        self.assertEqual(rows[2]["mail_from"], "s0@bad0.example")

    def test_show(self):
        mid = self.server.search("--limit", "1")[0]["id"]
        rc = self.server.cli("show", "NOSUCHID", check=False)
        self.assertEqual(rc.returncode, 1)
        self.assertIn(b"no message or session with id NOSUCHID", rc.stderr)
        import json
        shown = json.loads(self.server.cli("show", mid).stdout)
        self.assertEqual(shown["id"], mid)
        session = json.loads(self.server.cli("show", shown["session_id"]).stdout)
        self.assertEqual(session["messages"], 3)
        self.assertEqual(session["helo_verb"], "EHLO")
        self.assertEqual(len(session["recipients"]), 3)

    def test_reindex_rebuilds_the_database_from_the_spool(self):
        before = self.server.search()
        self.assertEqual(self.server.stop(), 0)
        # Imported maillog records are not in the spool: reindex must keep them.
        log = os.path.join(os.path.dirname(__file__), "..", "data", "maillogs", "parse-syslog-mail", "sendmail-done.log")
        subprocess.run([BIN, "import", "--db", "sqlite:" + self.server.db, log], check=True, capture_output=True)
        self.server.cli("reindex")
        self.assertEqual(len(self.server.search()), 4)
        self.assertEqual(sum(m["imported"] for m in self.server.search()), 1)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(self.server.db + suffix):
                os.unlink(self.server.db + suffix)
        out = self.server.cli("reindex").stdout.decode()
        self.assertIn("reindexed 3 messages and 1 sessions", out)
        self.assertEqual(self.server.search(), before)
        # Running it again gives the same database, not twice the rows.
        self.server.cli("reindex")
        self.assertEqual(self.server.search(), before)


if __name__ == "__main__":
    main()
