"""Postfix's smtp-source load generator against the real server: every message it sends is in the
store exactly once, and in the spool journal exactly once."""
import os
import re
import subprocess

from harness import BIN, DOMAIN, ServerTest, main

SMTP_SOURCE = "/usr/sbin/smtp-source"


def smtp_source(port, messages, sessions, *extra):
    p = subprocess.run([SMTP_SOURCE, "-s", str(sessions), "-m", str(messages), "-l", "2048", "-f",
                        "bulk@bad.example", "-t", "harvested@" + DOMAIN] + list(extra) + ["127.0.0.1:%d" % port],
                       capture_output=True, timeout=300)
    return p


class SmtpSourceTest(ServerTest):
    CONFIG = "[limits]\nconnections_per_ip = 200\n"

    def check_counts(self, n):
        self.server.wait_indexed(n)
        self.assertEqual(self.server.count(), n)
        self.assertEqual(len(set(r[0] for r in self.server.query("SELECT id FROM messages"))), n)
        self.assertEqual(self.server.query("SELECT count(*) FROM message_recipients")[0][0], n)
        self.assertEqual(self.server.stop(), 0)
        # The journal alone holds every message: rebuild a fresh database from it and count.
        other = os.path.join(self.server.dir, "rebuilt.db")
        out = subprocess.run([BIN, "reindex", "--db", "sqlite:" + other,
                              "--spool", self.server.spool], capture_output=True, timeout=300)
        self.assertEqual(out.returncode, 0, out.stderr)
        m = re.match(rb"reindexed (\d+) messages and (\d+) sessions", out.stdout)
        self.assertIsNotNone(m, out.stdout)
        self.assertEqual(int(m.group(1)), n)
        return int(m.group(2))

    def test_1000_messages_one_per_connection_over_20_sessions(self):
        p = smtp_source(self.server.port, 1000, 20)
        self.assertEqual(p.returncode, 0, p.stderr)
        sessions = self.check_counts(1000)
        self.assertEqual(sessions, 1000)

    def test_1000_messages_many_per_session(self):
        p = smtp_source(self.server.port, 1000, 20, "-d")
        self.assertEqual(p.returncode, 0, p.stderr)
        sessions = self.check_counts(1000)
        self.assertLessEqual(sessions, 1000)

    def test_ten_recipients_per_message(self):
        p = smtp_source(self.server.port, 200, 10, "-r", "10")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.server.wait_indexed(200)
        self.assertEqual(self.server.query("SELECT count(*) FROM message_recipients")[0][0], 2000)


if __name__ == "__main__":
    main()
