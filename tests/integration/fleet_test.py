"""Two sensors, one MariaDB: both write at once with smtp-source load, ids never collide, every
message and session is there once, each sensor's checkpoint is its own."""
import subprocess
import threading
import unittest

from harness import DOMAIN, Server, main, mariadb_query, mariadb_url


def smtp_source(port, messages):
    return subprocess.run(["/usr/sbin/smtp-source", "-s", "10", "-m", str(messages), "-l", "1024", "-f",
                           "bulk@bad.example", "-t", "x@" + DOMAIN, "127.0.0.1:%d" % port],
                          capture_output=True, timeout=300)


class FleetTest(unittest.TestCase):
    def test_two_sensors_share_one_database(self):
        url = mariadb_url("spampot_fleet")
        sensors = []
        for name in ("ams-1", "fra-1"):
            s = Server("[limits]\nconnections_per_ip = 200\n", db_url=url,
                       extra_args=("--domain", DOMAIN, "--sensor", name))
            self.addCleanup(s.cleanup)
            sensors.append(s.start())
        results = {}
        threads = [threading.Thread(target=lambda s=s: results.__setitem__(s.port, smtp_source(s.port, 500)))
                   for s in sensors]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for r in results.values():
            self.assertEqual(r.returncode, 0, r.stderr)
        for s in sensors:
            self.assertEqual(s.stop(), 0)  # drains the index into MariaDB before exit
        q = lambda sql: mariadb_query("spampot_fleet", sql)
        self.assertEqual(q("SELECT sensor, COUNT(*) FROM messages GROUP BY sensor ORDER BY sensor"),
                         [["ams-1", "500"], ["fra-1", "500"]])
        self.assertEqual(q("SELECT COUNT(DISTINCT id) FROM messages"), [["1000"]])
        self.assertEqual(q("SELECT COUNT(*) FROM message_recipients"), [["1000"]])
        self.assertEqual(q("SELECT sensor, COUNT(*) FROM sessions GROUP BY sensor ORDER BY sensor"),
                         [["ams-1", "500"], ["fra-1", "500"]])
        self.assertEqual([r[0] for r in q("SELECT sensor FROM spool_checkpoints ORDER BY sensor")], ["ams-1", "fra-1"])
        # Reading back through spampot gives the same as SQLite would.
        rows = sensors[0].search("--limit", "5")
        self.assertEqual(len(rows), 5)
        self.assertEqual(rows[0]["rcpt_to"], ["x@" + DOMAIN])


class MigrateTest(unittest.TestCase):
    def test_sqlite_install_moves_into_mariadb_and_can_move_again(self):
        import os
        import tempfile
        from harness import BIN, DATA
        d = tempfile.mkdtemp(prefix="spampot-migrate-")
        self.addCleanup(__import__("shutil").rmtree, d, True)
        src = "sqlite:" + os.path.join(d, "small.db")
        log = os.path.join(DATA, "maillogs", "generated-postfix-3.7", "traditional.log")
        subprocess.run([BIN, "import", "--db", src, log], check=True, capture_output=True)
        url = mariadb_url("spampot_migrate")
        first = subprocess.run([BIN, "migrate", "--from", src, "--to", url], capture_output=True, check=True)
        self.assertIn(b"copied 38 messages, 15 sessions", first.stdout)
        self.assertNotIn(open(url.split("password_file=")[1]).read().strip().encode(), first.stdout + first.stderr)
        again = subprocess.run([BIN, "migrate", "--from", src, "--to", url], capture_output=True, check=True)
        self.assertIn(b"copied 0 messages, 0 sessions", again.stdout)
        self.assertIn(b"53 were there already", again.stdout)
        self.assertEqual(mariadb_query("spampot_migrate", "SELECT COUNT(*) FROM messages"), [["38"]])


if __name__ == "__main__":
    main()
