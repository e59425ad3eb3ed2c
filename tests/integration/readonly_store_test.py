"""The database turns read-only under the trap, as a replica does after a failover (MariaDB's
read_only, which binds the trap's unprivileged user): mail is still accepted into the spool, the
failure is logged and counted in status.json, and once the database is writable again the
backlog is indexed without a restart."""
import json
import os
import smtplib
import subprocess
import time
import unittest

from harness import BIN, DOMAIN, Server, main, mariadb_query, mariadb_url

DB = "spampot_readonly"


class ReadOnlyStoreTest(unittest.TestCase):
    def count(self):
        return int(mariadb_query(DB, "SELECT COUNT(*) FROM messages")[0][0])

    def status(self):
        with open(os.path.join(self.server.spool, "status.json")) as f:
            return json.load(f)

    def send(self, n, tag):
        for i in range(n):
            with smtplib.SMTP("127.0.0.1", self.server.port, timeout=20) as s:
                refused = s.sendmail("a@bad.example", ["x@" + DOMAIN], "Subject: %s %d\r\n\r\nhi\r\n" % (tag, i))
                self.assertEqual(refused, {})  # accepted, whatever the database does

    def wait(self, check, timeout=60):
        deadline = time.time() + timeout
        while not check() and time.time() < deadline:
            time.sleep(0.2)
        return check()

    def test_read_only_database_is_logged_counted_and_recovered(self):
        self.server = Server(db_url=mariadb_url(DB))
        self.addCleanup(self.server.cleanup)
        self.server.start()
        self.send(3, "before")
        self.assertTrue(self.wait(lambda: self.count() == 3))

        mariadb_query(DB, "SET GLOBAL read_only = 1")
        self.addCleanup(mariadb_query, DB, "SET GLOBAL read_only = 0")
        self.send(4, "during")
        self.assertTrue(self.wait(lambda: self.status()["store"] == "unreachable"))
        self.assertGreater(self.status()["store_failures"], 0)
        self.assertIn(b"the store fails", self.server.read_log())
        self.assertIn(b"read-only", self.server.read_log())
        self.assertEqual(subprocess.run([BIN, "status", "--spool", self.server.spool],
                                        capture_output=True).returncode, 1)
        self.assertEqual(self.count(), 3)

        mariadb_query(DB, "SET GLOBAL read_only = 0")
        self.assertTrue(self.wait(lambda: self.count() == 7))
        self.assertTrue(self.wait(lambda: self.status()["store"] == "ok", 15))
        self.assertIn(b"the store is back", self.server.read_log())
        self.assertEqual(self.server.stop(), 0)


if __name__ == "__main__":
    main()
