"""SIGKILL in the middle of a load: every message that got a 250 is in the store after restart."""
import smtplib
import subprocess
import threading
import time

from harness import DOMAIN, Server, main, send_tracked
import unittest


class CrashTest(unittest.TestCase):
    def test_every_acknowledged_message_survives_sigkill(self):
        server = Server("[limits]\nconnections_per_ip = 200\n").start()
        self.addCleanup(server.cleanup)
        acked = []
        stop = threading.Event()

        def sender(worker):
            n = 0
            while not stop.is_set():
                n += 1
                try:
                    code, qid = send_tracked(server.port, worker, n)
                    if qid:
                        acked.append(qid)
                except (OSError, smtplib.SMTPException):
                    if stop.is_set():
                        return
                    time.sleep(0.01)

        # smtp-source loads the server beside the tracked senders, as a spam run would.
        load = subprocess.Popen(["/usr/sbin/smtp-source", "-s", "10", "-m", "100000", "-l", "4096", "-f",
                                 "bulk@bad.example", "-t", "x@" + DOMAIN, "127.0.0.1:%d" % server.port],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        threads = [threading.Thread(target=sender, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        deadline = time.time() + 30
        while len(acked) < 200 and time.time() < deadline:
            time.sleep(0.05)
        server.kill()
        stop.set()
        for t in threads:
            t.join()
        load.kill()
        load.wait()
        self.assertGreaterEqual(len(acked), 200)

        # Restart on the same spool and database: recovery cuts any torn tail, the indexer catches up.
        server.start()
        deadline = time.time() + 60
        while time.time() < deadline:
            have = {r[0].decode() for r in server.query("SELECT id FROM messages")}
            if set(acked) <= have:
                break
            time.sleep(0.1)
        missing = set(acked) - have
        self.assertEqual(missing, set(), "%d acknowledged messages lost" % len(missing))
        # And the messages are readable from the spool, not only indexed.
        raw = server.cli("show", acked[-1], "--raw").stdout
        self.assertIn(b"Subject: w", raw)
        self.assertEqual(server.stop(), 0)


if __name__ == "__main__":
    main()
