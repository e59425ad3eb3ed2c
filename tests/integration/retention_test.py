"""Retention, through the real server (issue 19).

A small tmpfs holds the spool (mounted in a mount namespace of the test's own, as in
disk_full_test.py): the trap takes several times the file system's size in mail because retention
drops indexed segments to keep [retention] min_free free, and every message stays searchable with
its raw text marked expired. When a filler leaves nothing retention may drop, the trap answers 451
as before, and takes mail again once the space is back.

Then, on an ordinary disk: max_age drops old segments, rows_max_age deletes old rows while the
harvest counters keep them, and reindex rebuilds what the spool still holds without losing the
rows of dropped segments."""
import base64
import json
import os
import re
import smtplib
import subprocess
import time
import unittest

from harness import BIN, DOMAIN, Server, main, wait_for

TMPFS_KIB = 1024
N = 150  # messages of about 24 KB each once compressed


def send(port, i, size=24000, sender="a@bad.example"):
    body = base64.encodebytes(os.urandom(size))  # barely compressible
    with smtplib.SMTP("127.0.0.1", port, timeout=20) as s:
        s.ehlo("full.example")
        s.mail(sender)
        s.rcpt("x@" + DOMAIN)
        code, text = s.data(b"Subject: n%d\r\n\r\n" % i + body)
        return code, text


def queued(text):
    return re.search(rb"queued as (\S+)", text).group(1).decode()



class RetentionTest(unittest.TestCase):
    def test_a_small_disk_takes_many_times_its_size_and_then_answers_451_when_nothing_may_go(self):
        if subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode != 0:
            self.skipTest("no user and mount namespaces here")
        server = Server(config='[store]\nsegment_bytes = 65536\n'
                               '[retention]\nmin_free = "384KiB"\ncheck_interval = "1s"\n')
        self.addCleanup(server.cleanup)
        os.makedirs(server.spool)
        server.wrapper = ["unshare", "-rm", "sh", "-c",
                          'mount -t tmpfs -o size=%dk tmpfs "$0" && exec "$@"' % TMPFS_KIB, server.spool]
        server.start()
        inside = ["nsenter", "-t", str(server.proc.pid), "-U", "-m", "--preserve-credentials"]

        # About 3.5 MiB of spool records through a 1 MiB file system. A 451 is retried after a pause,
        # as a real MTA would: retention frees space between its passes.
        acked, refused = [], 0
        for i in range(N):
            for _ in range(20):
                code, text = send(server.port, i)
                if code == 250:
                    acked.append(queued(text))
                    break
                self.assertEqual((code, text), (451, b"4.3.0 Error: queue file write error"))
                refused += 1
                time.sleep(0.5)
            else:
                self.fail("message %d refused 20 times: retention did not free space" % i)
        self.assertEqual(len(acked), N)
        server.wait_indexed(N)
        log = server.read_log().decode(errors="replace")
        dropped = re.findall(r"retention: dropped spool segment (\d+)\.spj \(.*?; min_free\)", log)
        self.assertGreater(len(dropped), 20, log[-3000:])
        expired = server.query("SELECT count(*), sum(bytes) FROM expired_segments")[0]
        self.assertGreaterEqual(expired[0], len(dropped))  # each logged drop was recorded first
        self.assertGreater(expired[1], 2 * TMPFS_KIB * 1024)  # more than twice the disk went through it

        # Every message is still in the store; the first ones' raw text is expired, and says so.
        self.assertEqual(len(server.search("--limit", "0")), N)
        first = server.cli("show", acked[0], "--raw", check=False)
        self.assertEqual(first.returncode, 1)
        self.assertRegex(first.stderr.decode(), r"the raw text of %s expired on \S+: retention \(min_free\) dropped "
                                                 r"spool segment 1 of sensor it" % acked[0])
        shown = json.loads(server.cli("show", acked[0]).stdout)  # the row stays, marked
        self.assertEqual(shown["subject"], "n0")
        self.assertEqual(shown["raw_expired"]["reason"], "min_free")
        self.assertEqual(shown["raw_expired"]["spool_segment"], 1)
        self.assertNotIn("raw_expired", json.loads(server.cli("show", acked[-1]).stdout))
        last = subprocess.run(inside + [BIN, "show", acked[-1], "--raw", "--config", server.config_path, "--db",
                                        server.db_url, "--spool", server.spool], capture_output=True)
        self.assertEqual(last.returncode, 0, last.stderr)
        self.assertIn(b"Subject: n%d" % (N - 1), last.stdout)
        summary = server.cli("report", "summary").stdout.decode()
        counted = int(re.search(r"spool segments expired\s+(\d+)", summary).group(1))
        self.assertGreaterEqual(counted, len(dropped))  # retention may have gone on meanwhile

        # Fillers take the space retention gives back until nothing it may drop is left (the open
        # segment stays): then the budget cannot be met, retention says so, and the trap answers 451.
        # Without the fillers, mail is taken again.
        warning = b"retention: the budget is not met"
        before, n = server.read_log().count(warning), 0

        def fill():
            subprocess.run(inside + ["sh", "-c", 'dd if=/dev/zero of="$0" bs=1k count=%d 2>/dev/null; true' % TMPFS_KIB,
                                     os.path.join(server.spool, "filler%d" % n)], check=True)

        while server.read_log().count(warning) == before:
            n += 1
            self.assertLess(n, 60, "retention never ran out of segments to drop")
            fill()
            time.sleep(1.5)
        n += 1
        fill()  # what the last drop gave back
        code, text = send(server.port, 1000)
        self.assertEqual((code, text), (451, b"4.3.0 Error: queue file write error"))
        self.assertIsNone(server.proc.poll())
        subprocess.run(inside + ["sh", "-c", 'rm "$0"/filler*', server.spool], check=True)
        code, text = send(server.port, 1001)
        self.assertEqual(code, 250, text)
        server.wait_indexed(N + 1)
        self.assertEqual(server.stop(), 0)

    def test_max_age_and_rows_max_age_keep_counters_and_reindex_keeps_what_no_spool_holds(self):
        server = Server(config='[store]\nsegment_bytes = 65536\n'
                               '[retention]\nmax_age = "3s"\nrows_max_age = "1h"\ncheck_interval = "1s"\n')
        self.addCleanup(server.cleanup)
        server.start()
        old = [queued(send(server.port, i, sender="old@spam.example")[1]) for i in range(6)]
        server.wait_indexed(6)
        # Segments holding only the old mail are older than max_age a few seconds later; the open
        # one (which these next messages go to) is never dropped.
        time.sleep(3.5)
        new = [queued(send(server.port, 100 + i, sender="new@spam.example")[1]) for i in range(4)]
        server.wait_indexed(10)
        wait_for(lambda: server.query("SELECT count(*) FROM expired_segments")[0][0] >= 2, "max_age drops")
        self.assertRegex(server.read_log().decode(), r"dropped spool segment 00000001\.spj .*; max_age\)")
        gone = server.cli("show", old[0], "--raw", check=False)
        self.assertIn(b"retention (max_age) dropped spool segment 1", gone.stderr)
        self.assertIn(b"Subject: n100", server.cli("show", new[0], "--raw").stdout)
        server.stop()

        # reindex empties what the spool can rebuild and reads it again: the rows of dropped
        # segments stay, with their counters.
        expired_ids = {r[0].decode() for r in server.query(
            "SELECT id FROM messages WHERE spool_segment <= (SELECT max(segment) FROM expired_segments)")}
        self.assertTrue(expired_ids)
        server.cli("reindex")
        self.assertEqual({m["id"] for m in server.search()}, set(old + new))
        senders = server.cli("report", "senders", "--format", "csv").stdout.decode()
        self.assertRegex(senders, r"old@spam\.example,6,")

        # rows_max_age: rows older than an hour go, in a pass; the counters stay.
        with open(server.config_path) as f:
            conf = f.read().replace('rows_max_age = "1h"', 'rows_max_age = "4s"')
        with open(server.config_path, "w") as f:
            f.write(conf)
        server.start()
        wait_for(lambda: server.count() == 0, "rows_max_age to delete every message", timeout=60)
        self.assertRegex(server.read_log().decode(), r"retention: deleted \d+ messages, \d+ sessions")
        senders = server.cli("report", "senders", "--format", "csv").stdout.decode()
        self.assertRegex(senders, r"old@spam\.example,6,")
        self.assertRegex(senders, r"new@spam\.example,4,")
        self.assertEqual(server.count("sessions"), 0)
        deleted = server.query("SELECT sum(messages) FROM deleted_rows")[0][0]
        self.assertEqual(deleted, 10)
        self.assertEqual(server.stop(), 0)


if __name__ == "__main__":
    main()
