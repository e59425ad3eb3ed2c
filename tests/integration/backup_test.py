"""`spampot backup` under load and `spampot restore` (issue 19).

Four clients send without pause while `spampot backup` runs beside `serve`; the backup is restored
into a new store and spool, a trap is started on them, and every message acknowledged before the
backup began is found there (indexed from the restored checkpoint on), raw text included. The
restore refuses to overwrite; a MariaDB store gets the mariadb-dump advice and its spool copied."""
import base64
import json
import os
import re
import shutil
import smtplib
import subprocess
import tempfile
import threading
import time
import unittest

from harness import BIN, DOMAIN, Server, main


class Load:
    """Clients sending one message a connection until stopped; every 250 noted with its time."""

    def __init__(self, port, workers=4):
        self.port = port
        self.acked = []  # (time of the 250, queue id)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(w,), daemon=True) for w in range(workers)]

    def run(self, worker):
        i = 0
        while not self.stop.is_set():
            i += 1
            with smtplib.SMTP("127.0.0.1", self.port, timeout=30) as s:
                s.ehlo("load%d.example" % worker)
                s.mail("w%d@load.example" % worker)
                s.rcpt("x@" + DOMAIN)
                code, text = s.data(b"Subject: w%d n%d\r\n\r\n" % (worker, i) + base64.encodebytes(os.urandom(1500)))
            if code == 250:
                qid = re.search(rb"queued as (\S+)", text).group(1).decode()
                with self.lock:
                    self.acked.append((time.time(), qid))

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)


class BackupTest(unittest.TestCase):
    def test_backup_under_load_restores_every_acknowledged_message(self):
        server = Server(config="[store]\nsegment_bytes = 262144\n")  # several segments, one open
        self.addCleanup(server.cleanup)
        server.start()
        backup = tempfile.mkdtemp(prefix="spampot-backup-")
        self.addCleanup(shutil.rmtree, backup, True)
        target = os.path.join(backup, "b")
        with Load(server.port) as load:
            while len(load.acked) < 300:
                time.sleep(0.05)
            began = time.time()
            p = server.cli("backup", "--to", target)
            with load.lock:
                before = [qid for at, qid in load.acked if at < began]
            time.sleep(0.5)  # mail keeps coming after the copy
        self.assertRegex(p.stdout.decode(), r"backup in .*: store spampot\.db, spool \d+ segments")
        manifest = json.load(open(os.path.join(target, "backup.json")))
        self.assertGreater(manifest["spool"]["segments"], 2)
        self.assertGreater(len(before), 300 - 8)
        server.stop()

        # Restored elsewhere; a trap started on it indexes what the copied spool holds past the
        # copied store's checkpoint.
        restored = Server(workdir=tempfile.mkdtemp(prefix="spampot-restored-"))
        self.addCleanup(restored.cleanup)
        r = subprocess.run([BIN, "restore", "--from", target, "--config", restored.config_path, "--db",
                            restored.db_url, "--spool", restored.spool], capture_output=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout.decode(), r"restored: \d+ messages")
        restored.start()
        restored.wait_indexed(len(before))
        have = {m["id"] for m in restored.search()}
        missing = set(before) - have
        self.assertFalse(missing, "acknowledged before the backup, not in it: %s" % sorted(missing)[:5])
        for qid in before[:3] + before[-3:]:
            self.assertIn(b"Subject: w", restored.cli("show", qid, "--raw").stdout)
        restored.stop()

        # Never over an existing store or spool.
        again = subprocess.run([BIN, "restore", "--from", target, "--config", restored.config_path, "--db",
                                restored.db_url, "--spool", restored.spool], capture_output=True)
        self.assertEqual(again.returncode, 1)
        self.assertIn(b"restore never overwrites", again.stderr)
        into_full = subprocess.run([BIN, "backup", "--to", target, "--db", restored.db_url, "--spool",
                                    restored.spool], capture_output=True)
        self.assertEqual(into_full.returncode, 1)
        self.assertIn(b"is not empty", into_full.stderr)
        not_backup = subprocess.run([BIN, "restore", "--from", restored.spool, "--db", "sqlite:" +
                                     os.path.join(backup, "x.db"), "--spool", os.path.join(backup, "xs")],
                                    capture_output=True)
        self.assertEqual(not_backup.returncode, 1)
        self.assertIn(b"not a spampot backup", not_backup.stderr)

    def test_a_mariadb_store_is_left_to_mariadb_dump_and_its_spool_is_copied(self):
        server = Server()
        self.addCleanup(server.cleanup)
        server.start()
        subprocess.run(["swaks", "--server", "127.0.0.1:%d" % server.port, "--to", "a@" + DOMAIN],
                       capture_output=True, check=True)
        server.wait_indexed(1)
        server.stop()
        target = tempfile.mkdtemp(prefix="spampot-backup-")
        self.addCleanup(shutil.rmtree, target, True)
        p = subprocess.run([BIN, "backup", "--to", os.path.join(target, "b"), "--db",
                            "mysql://spampot@127.0.0.1:1/spampot", "--spool", server.spool], capture_output=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(b"mariadb-dump --single-transaction", p.stderr)
        self.assertIn(b"no store (MariaDB: use mariadb-dump)", p.stdout)
        self.assertTrue(os.path.exists(os.path.join(target, "b", "spool", "00000001.spj")))


if __name__ == "__main__":
    main()
