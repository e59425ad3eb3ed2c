"""Five thousand idle connections and a slow-loris sender: the limits hold (the next connection
beyond them gets 421), a legitimate sender is still served meanwhile, the server's memory stays
bounded, and a sender that dribbles its DATA a byte at a time is cut off by the session limit."""
import re
import resource
import smtplib
import socket
import time
import unittest

from harness import DOMAIN, RawClient, Server, main

IDLE = 5000


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(re.search(r"^VmRSS:\s+(\d+)", f.read(), re.M).group(1))


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, IDLE * 2 + 500), hard))


class IdleFloodTest(unittest.TestCase):
    def test_five_thousand_idle_connections(self):
        if resource.getrlimit(resource.RLIMIT_NOFILE)[1] < IDLE * 2 + 500:
            self.skipTest("the hard open-file limit here is below %d" % (IDLE * 2 + 500))
        raise_nofile()
        server = Server("[limits]\nconnections = %d\nconnections_per_ip = %d\nidle_timeout = \"2m\"\n"
                        % (IDLE + 1, IDLE + 10))
        server.preexec = raise_nofile
        self.addCleanup(server.cleanup)
        server.start()
        before = rss_kib(server.proc.pid)
        held = []
        self.addCleanup(lambda: [s.close() for s in held])
        for i in range(IDLE):
            # Spread over loopback sources, as a botnet would be.
            s = socket.create_connection(("127.0.0.1", server.port), timeout=30,
                                         source_address=("127.0.%d.%d" % (1 + i // 250, 1 + i % 250), 0))
            held.append(s)
        # Every one of them got its greeting: the server holds them all.
        for s in held[:: IDLE // 50]:
            self.assertTrue(s.recv(512).startswith(b"220 "))
        holding = rss_kib(server.proc.pid)
        per_conn = (holding - before) / IDLE
        print("\n%d idle connections: RSS %d -> %d KiB, %.1f KiB each" % (IDLE, before, holding, per_conn))
        self.assertLess(per_conn, 32)  # bounded: a few KiB each (bench/run.py measures it precisely)

        # A legitimate sender still gets through: the limit leaves it one slot.
        with smtplib.SMTP("127.0.0.1", server.port, timeout=30) as s:
            self.assertEqual(s.sendmail("a@bad.example", ["x@" + DOMAIN], "Subject: through\r\n\r\nhi\r\n"), {})
        # With the slot taken, the next one is refused at once.
        taker = socket.create_connection(("127.0.0.1", server.port), timeout=30)
        held.append(taker)
        self.assertTrue(taker.recv(512).startswith(b"220 "))
        extra = RawClient(server.port, timeout=30)
        self.addCleanup(extra.close)
        self.assertEqual(extra.read_until_closed(), "421 4.7.0 mx.trap.example Error: too many connections\r\n")
        server.wait_indexed(1)
        self.assertEqual(server.stop(), 0)

    def test_slow_loris_is_cut_by_the_session_limit(self):
        server = Server('[limits]\nsession_time = "3s"\nidle_timeout = "2s"\n')
        self.addCleanup(server.cleanup)
        server.start()
        c = RawClient(server.port, timeout=30)
        self.addCleanup(c.close)
        self.assertTrue(c.read_reply().startswith("220"))
        for line in (b"EHLO loris.example", b"MAIL FROM:<a@bad.example>", b"RCPT TO:<x@" + DOMAIN.encode() + b">"):
            self.assertTrue(c.command(line).startswith("2"))
        self.assertTrue(c.command(b"DATA").startswith("354"))
        # A byte every 0.2 s: never idle for the 2 s idle timeout, so only the session limit ends it.
        reply = ""
        for _ in range(100):
            try:
                c.send(b"x")
            except OSError:
                break
            time.sleep(0.2)
            c.sock.settimeout(0.01)
            try:
                got = c.sock.recv(512)
            except socket.timeout:
                continue
            reply = got.decode("latin-1")
            break
        self.assertTrue(reply.startswith("421 4.4.2"), reply)
        server.wait_indexed(1, table="sessions")
        self.assertEqual(server.query("SELECT end_reason FROM sessions")[0][0], b"session_timeout")
        self.assertEqual(server.count("messages"), 0)


if __name__ == "__main__":
    main()
