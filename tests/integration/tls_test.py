"""STARTTLS and implicit TLS with OpenSSL 3, driven by swaks, openssl s_client and Python's ssl:
what the handshake shows (version, cipher, SNI) is stored with the session; a self-signed
certificate for the hostname is made on first start; clients that break TLS are recorded and the
trap stays up; commands pipelined behind STARTTLS in plain text are discarded and recorded."""
import os
import re
import socket
import ssl
import subprocess
import time
import unittest

from harness import DOMAIN, RawClient, Server, main


def client_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # the trap's certificate is self-signed, as bots see it
    return ctx


class TlsTest(unittest.TestCase):
    def setUp(self):
        self.server = Server('[limits]\nidle_timeout = "2s"\n[[listener]]\naddress = "127.0.0.6:0"\n'
                             'implicit_tls = true\n').start()
        self.addCleanup(self.server.cleanup)

    def sessions(self, n):
        self.server.wait_indexed(n, table="sessions")
        return self.server.query("SELECT tls_version, tls_cipher, tls_sni, end_reason, violations, transcript "
                                 "FROM sessions ORDER BY started_at")

    def test_swaks_starttls_delivers_and_the_handshake_is_recorded(self):
        p = subprocess.run(["swaks", "--server", "127.0.0.1:%d" % self.server.port, "--tls", "--to", "a@" + DOMAIN,
                            "--from", "x@bad.example", "--timeout", "20"], capture_output=True, timeout=60)
        out = p.stdout.decode(errors="replace")
        self.assertEqual(p.returncode, 0, out)
        self.assertIn("<-  250-STARTTLS", out)
        self.assertIn("<-  220 2.0.0 Ready to start TLS", out)
        self.assertRegex(out, r"=== TLS started with cipher TLSv1\.[23]")
        self.assertRegex(out, r"~>  EHLO|<~  250 2\.0\.0 Ok: queued as")
        self.server.wait_indexed(1)
        version, cipher, sni, end, _, transcript = self.sessions(1)[0]
        self.assertIn(version, (b"TLSv1.3", b"TLSv1.2"))
        self.assertTrue(cipher)
        self.assertEqual(end, b"quit")
        self.assertIn(b"[TLS " + version, transcript)
        # The certificate was made on first start for the configured hostname; its key is private.
        tls_dir = os.path.join(self.server.dir, "tls")
        self.assertEqual(os.stat(os.path.join(tls_dir, "spampot.key")).st_mode & 0o777, 0o600)
        subject = subprocess.run(["openssl", "x509", "-noout", "-subject", "-ext", "subjectAltName", "-in",
                                  os.path.join(tls_dir, "spampot.crt")], capture_output=True).stdout
        self.assertIn(b"CN = mx.trap.example", subject)
        self.assertIn(b"DNS:mx.trap.example", subject)

    def test_openssl_s_client_sni_is_recorded(self):
        p = subprocess.run(["openssl", "s_client", "-starttls", "smtp", "-connect", "127.0.0.1:%d" % self.server.port,
                            "-servername", "sni.trap.example", "-quiet"],
                           input=b"EHLO s-client.example\r\nQUIT\r\n", capture_output=True, timeout=60)
        self.assertIn(b"221 2.0.0 Bye", p.stdout)
        _, _, sni, end, _, _ = self.sessions(1)[0]
        self.assertEqual(sni, b"sni.trap.example")
        self.assertEqual(end, b"quit")

    def test_implicit_tls_listener(self):
        m = re.findall(rb"listening on 127\.0\.0\.6:(\d+)", self.server.read_log())
        port = int(m[-1])
        with socket.create_connection(("127.0.0.6", port), timeout=20) as raw:
            with client_context().wrap_socket(raw, server_hostname="smtps.trap.example") as s:
                greeting = s.recv(512)
                self.assertTrue(greeting.startswith(b"220 mx.trap.example"), greeting)
                s.sendall(b"EHLO tls.example\r\n")
                ehlo = b""
                while b"250 " not in ehlo:
                    ehlo += s.recv(4096)
                self.assertNotIn(b"STARTTLS", ehlo)  # already encrypted: not offered
                s.sendall(b"QUIT\r\n")
                s.recv(512)
        version, _, sni, end, _, _ = self.sessions(1)[0]
        self.assertTrue(version.startswith(b"TLSv1"))
        self.assertEqual(sni, b"smtps.trap.example")
        self.assertEqual(end, b"quit")

    def test_garbage_or_silence_after_starttls(self):
        for payload in (b"this is not a ClientHello\r\n" * 4, b""):
            c = RawClient(self.server.port)
            self.addCleanup(c.close)
            c.read_reply()
            c.command(b"EHLO broken.example")
            self.assertEqual(c.command(b"STARTTLS"), "220 2.0.0 Ready to start TLS")
            if payload:
                c.send(payload)
            c.read_until_closed(timeout=20)  # the trap hangs up (at once, or at the idle timeout)
        rows = self.sessions(2)
        self.assertEqual(sorted(r[3] for r in rows), [b"tls_failed", b"tls_timeout"])
        # Still serving.
        p = subprocess.run(["swaks", "--server", "127.0.0.1:%d" % self.server.port, "--to", "a@" + DOMAIN,
                            "--timeout", "20"], capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 0)

    def test_commands_pipelined_behind_starttls_are_discarded(self):
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=20) as raw:
            raw.recv(512)
            raw.sendall(b"EHLO inject.example\r\n")
            time.sleep(0.2)
            raw.recv(4096)
            raw.sendall(b"STARTTLS\r\nMAIL FROM:<injected@bad.example>\r\n")
            reply = b""
            while not reply.endswith(b"\r\n"):
                reply += raw.recv(1)
            self.assertEqual(reply, b"220 2.0.0 Ready to start TLS\r\n")
            with client_context().wrap_socket(raw) as s:
                s.sendall(b"MAIL FROM:<after@bad.example>\r\n")
                # The injected MAIL was never run, and the state was reset: EHLO again first.
                self.assertTrue(s.recv(512).startswith(b"250 2.1.0"))
                s.sendall(b"QUIT\r\n")
                s.recv(512)
        _, _, _, _, violations, transcript = self.sessions(1)[0]
        self.assertIn(b"tls_injection", violations)
        self.assertNotIn(b"injected@bad.example>\n", transcript.replace(b"\r", b""))


if __name__ == "__main__":
    main()
