"""A tarpit listener stutters its replies a byte at a time and can hold its greeting back, while
the trap's other listeners answer at once. Checked by how the bytes arrive, not by a clock."""
import re
import socket
import time
import unittest

from harness import Server, main


def listener_port(server, host):
    deadline = time.time() + 10
    while time.time() < deadline:
        m = re.findall(rb"listening on " + re.escape(host.encode()) + rb":(\d+)", server.read_log())
        if m:
            return int(m[-1])
        time.sleep(0.05)
    raise AssertionError("no listener on " + host)


def read_line_counting_reads(sock):
    """Reads up to the first CRLF; returns (line, how many recv calls it took)."""
    data, reads = b"", 0
    while not data.endswith(b"\r\n"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
        reads += 1
    return data, reads


class TarpitTest(unittest.TestCase):
    def setUp(self):
        self.server = Server('[[listener]]\naddress = "127.0.0.3:0"\nstutter = "20ms"\n'
                             '[[listener]]\naddress = "127.0.0.4:0"\ngreeting_delay = "300ms"\n').start()
        self.addCleanup(self.server.cleanup)

    def test_replies_stutter_on_the_tarpit_only(self):
        with socket.create_connection(("127.0.0.3", listener_port(self.server, "127.0.0.3")), timeout=20) as s:
            line, reads = read_line_counting_reads(s)
            self.assertTrue(line.startswith(b"220 mx.trap.example"), line)
            self.assertGreater(reads, len(line) // 2)  # a byte (or two) at a time
            s.sendall(b"QUIT\r\n")
            line, reads = read_line_counting_reads(s)
            self.assertTrue(line.startswith(b"221"), line)
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=20) as s:
            line, reads = read_line_counting_reads(s)
            self.assertEqual(reads, 1)
            s.sendall(b"QUIT\r\n")
            s.recv(4096)
        # The session says what slowed it and by how much: every byte but the first of each reply.
        self.server.wait_indexed(2, table="sessions")
        rows = dict(self.server.query("SELECT server_ip, tarpit || ' ' || tarpit_micros FROM sessions"))
        by, held = rows[b"127.0.0.3"].split()
        self.assertEqual(by, b"listener")
        self.assertGreaterEqual(int(held), (len(b"220 mx.trap.example ESMTP Postfix (Debian/GNU)\r\n") - 1) * 20000)
        self.assertEqual(rows[b"127.0.0.1"], b" 0")

    def test_a_listener_can_hold_its_greeting_back(self):
        with socket.create_connection(("127.0.0.4", listener_port(self.server, "127.0.0.4")), timeout=20) as s:
            s.sendall(b"EHLO impatient.example\r\n")  # before the greeting: an early talker
            line, _ = read_line_counting_reads(s)
            self.assertTrue(line.startswith(b"220"), line)
            s.sendall(b"QUIT\r\n")
            s.recv(4096)
        self.server.wait_indexed(1, table="sessions")
        violations = self.server.query("SELECT violations FROM sessions")[0][0]
        self.assertIn(b"early_talker", violations)


if __name__ == "__main__":
    main()
