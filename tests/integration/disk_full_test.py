"""The spool's filesystem fills up for real: a 640 KiB tmpfs that the test mounts in a mount
namespace of its own (unshare -rm, so no root and nothing outside the test sees it). The trap
answers 451 while it is full, stays up, loses nothing it acknowledged, and accepts again as soon
as space returns."""
import base64
import os
import re
import smtplib
import subprocess
import unittest

from harness import BIN, DOMAIN, Server, main


def send(port, i):
    body = base64.encodebytes(os.urandom(24000))  # barely compressible
    with smtplib.SMTP("127.0.0.1", port, timeout=20) as s:
        s.ehlo("full.example")
        s.mail("a@bad.example")
        s.rcpt("x@" + DOMAIN)
        code, text = s.data(b"Subject: n%d\r\n\r\n" % i + body)
        return code, text


class DiskFullTest(unittest.TestCase):
    def test_full_spool_answers_451_stays_up_and_recovers(self):
        if subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode != 0:
            self.skipTest("no user and mount namespaces here")
        server = Server(config="[store]\nsegment_bytes = 65536\n")
        self.addCleanup(server.cleanup)
        os.makedirs(server.spool)
        # The filler takes half the space; removing it later is the space coming back.
        server.wrapper = ["unshare", "-rm", "sh", "-c",
                          'mount -t tmpfs -o size=640k tmpfs "$0" && '
                          'dd if=/dev/zero of="$0/filler" bs=1k count=320 2>/dev/null && exec "$@"', server.spool]
        server.start()
        acked, refused = [], 0
        for i in range(60):
            code, text = send(server.port, i)
            if code == 250:
                acked.append(re.search(rb"queued as (\S+)", text).group(1).decode())
            else:
                self.assertEqual((code, text), (451, b"4.3.0 Error: queue file write error"))
                refused += 1
                if refused == 3:
                    break
        self.assertGreater(len(acked), 3)
        self.assertEqual(refused, 3)
        self.assertIsNone(server.proc.poll())  # still up
        self.assertIn(b"not spooled: 451 sent", server.read_log())

        # Space returns (from inside the server's namespaces, where the tmpfs is mounted).
        inside = ["nsenter", "-t", str(server.proc.pid), "-U", "-m", "--preserve-credentials"]
        freed = subprocess.run(inside + ["rm", os.path.join(server.spool, "filler")], capture_output=True)
        self.assertEqual(freed.returncode, 0, freed.stderr)
        code, text = send(server.port, 1000)
        self.assertEqual(code, 250, text)
        acked.append(re.search(rb"queued as (\S+)", text).group(1).decode())

        server.wait_indexed(len(acked))
        have = {r[0].decode() for r in server.query("SELECT id FROM messages")}
        self.assertEqual(have, set(acked))  # every acknowledged message, and only those
        for qid in acked:  # read back from the spool on the tmpfs, where it lives
            shown = subprocess.run(inside + [BIN, "show", qid, "--raw", "--config", server.config_path, "--db",
                                             server.db_url, "--spool", server.spool], capture_output=True)
            self.assertEqual(shown.returncode, 0, shown.stderr)
            self.assertIn(b"Subject: n", shown.stdout)
        self.assertEqual(server.stop(), 0)


if __name__ == "__main__":
    main()
