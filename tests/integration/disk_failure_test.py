"""When the spool cannot be written, the trap answers 451 (try again later), logs it, keeps
serving, and loses nothing it acknowledged. The failure is made real with a file size limit
(RLIMIT_FSIZE) on the server process: its writes past the limit fail with EFBIG."""
import base64
import os
import re
import resource
import smtplib
import unittest

from harness import DOMAIN, Server, main

LIMIT = 1024 * 1024  # the SQLite file and its WAL (eleven migrations at start) live under the same limit


def limit_file_size():
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


class DiskFailureTest(unittest.TestCase):
    def test_failed_spool_write_answers_451_and_loses_nothing_acknowledged(self):
        server = Server()
        self.addCleanup(server.cleanup)
        server.preexec = limit_file_size
        server.start()
        acked, refused = [], 0
        for i in range(60):  # about 30 KB a record once compressed: the limit is passed half way
            body = base64.encodebytes(os.urandom(30000))
            s = smtplib.SMTP("127.0.0.1", server.port, timeout=10)
            s.ehlo("disk.example")
            s.mail("a@bad.example")
            s.rcpt("x@" + DOMAIN)
            code, text = s.data(b"Subject: n%d\r\n\r\n" % i + body)
            if code == 250:
                acked.append(re.search(rb"queued as (\S+)", text).group(1).decode())
            else:
                self.assertEqual((code, text), (451, b"4.3.0 Error: queue file write error"))
                refused += 1
            s.quit()
        self.assertGreater(len(acked), 3)
        self.assertGreater(refused, 10)
        self.assertIn(b"not spooled: 451 sent", server.read_log())
        server.stop()

        # Without the limit, every acknowledged message is there and readable, and nothing else.
        server.preexec = None
        server.start()
        deadline_ids = set(acked)
        server.wait_indexed(len(acked))
        have = {r[0].decode() for r in server.query("SELECT id FROM messages")}
        self.assertEqual(have, deadline_ids)
        for qid in acked:
            self.assertIn(b"Subject: n", server.cli("show", qid, "--raw").stdout)


if __name__ == "__main__":
    main()
