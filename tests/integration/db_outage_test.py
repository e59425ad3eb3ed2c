"""MariaDB stops in the middle of a load and starts again: the trap keeps answering 250 into its
spool, says so in its log and status, reconnects, and every acknowledged message is indexed."""
import os
import subprocess
import threading
import time
import unittest

from harness import BIN, DOMAIN, MARIADB_DIR, SCRIPTS, Server, main, mariadb_query, mariadb_url, send_tracked


class DbOutageTest(unittest.TestCase):
    def test_acknowledged_mail_survives_a_database_outage(self):
        url = mariadb_url("spampot_outage")
        server = Server("[limits]\nconnections_per_ip = 200\n", db_url=url)
        self.addCleanup(server.cleanup)
        server.start()
        acked = []
        stop = threading.Event()

        def tracked(worker):
            n = 0
            while not stop.is_set():
                n += 1
                code, qid = send_tracked(server.port, worker, n)
                self.assertEqual(code, 250)  # the outage never costs a 250
                acked.append(qid)

        # smtp-source loads the trap all through the outage; every one of its messages must get a 250.
        load = subprocess.Popen(["/usr/sbin/smtp-source", "-s", "5", "-m", "3000", "-l", "1024", "-f",
                                 "bulk@bad.example", "-t", "x@" + DOMAIN, "127.0.0.1:%d" % server.port],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        threads = [threading.Thread(target=tracked, args=(i,)) for i in range(3)]
        for t in threads:
            t.start()
        time.sleep(1)
        subprocess.run([os.path.join(SCRIPTS, "mariadb.sh"), "pause", MARIADB_DIR], check=True, timeout=60)
        before = len(acked)
        # While the database is down: mail is still acknowledged, the log and the status say so.
        deadline = time.time() + 20
        status = None
        while time.time() < deadline:
            status = subprocess.run([BIN, "status", "--spool", server.spool], capture_output=True)
            if status.returncode == 1 and b'"unreachable"' in status.stdout:
                break
            time.sleep(0.2)
        self.assertEqual(status.returncode, 1, status.stdout)
        self.assertIn(b"the store fails", server.read_log())
        time.sleep(1)
        self.assertGreater(len(acked), before + 10)
        subprocess.run([os.path.join(SCRIPTS, "mariadb.sh"), "resume", MARIADB_DIR], check=True, timeout=120)
        time.sleep(1)
        stop.set()
        for t in threads:
            t.join()
        out, err = load.communicate(timeout=300)
        self.assertEqual(load.returncode, 0, err)
        deadline = time.time() + 60
        missing = set(acked)
        while missing and time.time() < deadline:
            have = {r[0] for r in mariadb_query("spampot_outage", "SELECT id FROM messages")}
            missing = set(acked) - have
            time.sleep(0.3)
        self.assertEqual(missing, set(), "%d acknowledged messages not indexed" % len(missing))
        deadline = time.time() + 60
        while time.time() < deadline:
            total = int(mariadb_query("spampot_outage", "SELECT COUNT(*) FROM messages")[0][0])
            if total >= len(acked) + 3000:
                break
            time.sleep(0.3)
        self.assertEqual(total, len(acked) + 3000)
        self.assertIn(b"the store is back", server.read_log())
        ok = subprocess.run([BIN, "status", "--spool", server.spool], capture_output=True)
        self.assertEqual(ok.returncode, 0, ok.stdout)
        self.assertEqual(server.stop(), 0)


    def test_a_sensor_starts_while_the_database_is_down(self):
        url = mariadb_url("spampot_cold")
        script = os.path.join(SCRIPTS, "mariadb.sh")
        subprocess.run([script, "pause", MARIADB_DIR], check=True, timeout=60)
        try:
            server = Server(db_url=url)
            self.addCleanup(server.cleanup)
            server.start()
            acked = [send_tracked(server.port, 0, n) for n in range(20)]
            self.assertEqual([code for code, _ in acked], [250] * 20)
            deadline = time.time() + 20
            while time.time() < deadline:
                status = subprocess.run([BIN, "status", "--spool", server.spool], capture_output=True)
                if b'"unreachable"' in status.stdout:
                    break
                time.sleep(0.2)
            self.assertIn(b'"unreachable"', status.stdout)
        finally:
            subprocess.run([script, "resume", MARIADB_DIR], check=True, timeout=120)
        deadline = time.time() + 60
        want = {qid for _, qid in acked}
        have = set()
        while time.time() < deadline and not want <= have:
            try:
                have = {r[0] for r in mariadb_query("spampot_cold", "SELECT id FROM messages")}
            except subprocess.CalledProcessError:
                pass  # the table appears when the sensor's first connection migrates
            time.sleep(0.3)
        self.assertEqual(want - have, set())
        self.assertEqual(server.stop(), 0)


if __name__ == "__main__":
    main()
