"""STARTTLS and implicit TLS with OpenSSL 3, driven by swaks, openssl s_client and Python's ssl:
what the handshake shows (version, cipher, SNI) is stored with the session; a self-signed
certificate for the hostname is made on first start; clients that break TLS are recorded and the
trap stays up; commands pipelined behind STARTTLS in plain text are discarded and recorded."""
import hashlib
import json
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


def grease(v):
    return (v & 0x0F0F) == 0x0A0A and (v >> 8) == (v & 0xFF)


def fingerprints(record):
    """JA3 (MD5) and JA4 of a ClientHello, parsed here from the client's own bytes, independently
    of the server's OpenSSL callback."""
    assert record[0] == 22 and record[5] == 1
    body = record[9:]
    legacy = int.from_bytes(body[0:2], "big")
    i = 2 + 32
    i += 1 + body[i]
    n = int.from_bytes(body[i:i + 2], "big")
    ciphers = [int.from_bytes(body[i + 2 + k:i + 4 + k], "big") for k in range(0, n, 2)]
    i += 2 + n
    i += 1 + body[i]
    end = i + 2 + int.from_bytes(body[i:i + 2], "big")
    i += 2
    exts, data = [], {}
    while i < end:
        t, ln = int.from_bytes(body[i:i + 2], "big"), int.from_bytes(body[i + 2:i + 4], "big")
        exts.append(t)
        data[t] = body[i + 4:i + 4 + ln]
        i += 4 + ln
    u16s = lambda b: [int.from_bytes(b[k:k + 2], "big") for k in range(0, len(b), 2)]
    groups = u16s(data.get(10, b"\0\0")[2:])
    points = list(data.get(11, b"\0")[1:])
    sigs = u16s(data.get(13, b"\0\0")[2:])
    versions = u16s(data.get(43, b"\0")[1:])
    alpn = []
    if 16 in data:
        b, k = data[16][2:], 0
        while k < len(b):
            alpn.append(b[k + 1:k + 1 + b[k]].decode())
            k += 1 + b[k]
    dash = lambda v: "-".join(str(x) for x in v if not grease(x))
    ja3 = hashlib.md5(("%d,%s,%s,%s,%s" % (legacy, dash(ciphers), dash(exts), dash(groups),
                                          "-".join(str(p) for p in points))).encode()).hexdigest()
    top = max([v for v in versions if not grease(v)] or [legacy])
    code = {0x0304: "13", 0x0303: "12", 0x0302: "11", 0x0301: "10"}[top]
    cs = sorted(c for c in ciphers if not grease(c))
    es = [e for e in exts if not grease(e)]
    first = alpn[0] if alpn else ""
    a = "t%s%s%02d%02d%s" % (code, "d" if 0 in es else "i", len(cs), len(es), first[0] + first[-1] if first else "00")
    h = lambda s: hashlib.sha256(s.encode()).hexdigest()[:12]
    c_in = ",".join("%04x" % e for e in sorted(e for e in es if e not in (0, 16)))
    sig_list = [x for x in sigs if not grease(x)]
    if sig_list:
        c_in += "_" + ",".join("%04x" % x for x in sig_list)
    return ja3, "%s_%s_%s" % (a, h(",".join("%04x" % c for c in cs)), h(c_in))


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
        tls_dir = os.path.join(self.server.spool, "tls")
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

    def test_ja3_and_ja4_are_stored_and_searchable(self):
        ctx = client_context()
        ctx.set_alpn_protocols(["h2", "smtp"])
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = ctx.wrap_bio(incoming, outgoing, server_hostname="fp.trap.example")
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=20) as raw:
            f = raw.makefile("rb")
            f.readline()
            raw.sendall(b"EHLO fp.example\r\n")
            while not f.readline().startswith(b"250 "):
                pass
            raw.sendall(b"STARTTLS\r\n")
            self.assertTrue(f.readline().startswith(b"220 2.0.0"))
            hello = None
            while True:  # the handshake, pumped by hand so the ClientHello's bytes can be kept
                try:
                    tls.do_handshake()
                    done = True
                except ssl.SSLWantReadError:
                    done = False
                out = outgoing.read()
                if out:
                    hello = hello or out
                    raw.sendall(out)
                if done:
                    break
                incoming.write(raw.recv(65536))

            def say(line):
                tls.write(line + b"\r\n")
                raw.sendall(outgoing.read())
                reply = b""
                while not re.search(rb"(^|\n)\d{3} [^\n]*\r\n$", reply):
                    try:
                        reply += tls.read(65536)
                    except ssl.SSLWantReadError:
                        incoming.write(raw.recv(65536))
                return reply

            self.assertIn(b"250", say(b"EHLO fp.example"))
            self.assertTrue(say(b"MAIL FROM:<fp@bad.example>").startswith(b"250"))
            self.assertTrue(say(b"RCPT TO:<a@" + DOMAIN.encode() + b">").startswith(b"250"))
            self.assertTrue(say(b"DATA").startswith(b"354"))
            self.assertTrue(say(b"Subject: fingerprinted\r\n\r\nhi\r\n.").startswith(b"250"))
            say(b"QUIT")
        want_ja3, want_ja4 = fingerprints(hello)
        self.server.wait_indexed(1)
        self.sessions(1)
        ja3, ja4 = self.server.query("SELECT ja3, ja4 FROM sessions")[0]
        self.assertEqual(ja3.decode(), want_ja3)
        self.assertEqual(ja4.decode(), want_ja4)
        self.assertEqual(want_ja4[:4], "t13d")  # TLS 1.3, with SNI
        self.assertEqual(want_ja4[8:10], "h2")  # the first ALPN value offered
        for flag, value in (("--ja3", want_ja3), ("--ja4", want_ja4)):
            found = json.loads(self.server.cli("search", flag, value, "--format", "json").stdout)
            self.assertEqual([m["subject"] for m in found], ["fingerprinted"], flag)
        self.assertEqual(json.loads(self.server.cli("search", "--ja3", "0" * 32, "--format", "json").stdout), [])
        # One look at the message tells how it came: its session's greeting, TLS and fingerprints.
        shown = json.loads(self.server.cli("show", found[0]["id"]).stdout)["session"]
        self.assertEqual(shown["tls"]["ja3"], want_ja3)
        self.assertEqual(shown["tls"]["ja4"], want_ja4)
        self.assertIn(shown["tls"]["version"], ("TLSv1.3", "TLSv1.2"))
        self.assertTrue(shown["tls"]["cipher"])
        self.assertIn(shown["helo_verb"], ("EHLO", "HELO"))

    def test_auth_offered_only_inside_tls(self):
        server = Server("auth_capture = true\nauth_after_tls = true\n").start()
        self.addCleanup(server.cleanup)
        plain = subprocess.run(["swaks", "--server", "127.0.0.1:%d" % server.port, "--to", "a@" + DOMAIN, "--auth",
                                "PLAIN", "--auth-user", "admin", "--auth-password", "in clear", "--timeout", "20"],
                               capture_output=True, timeout=60)
        self.assertIn(b"Host did not advertise authentication", plain.stdout + plain.stderr)
        tls = subprocess.run(["swaks", "--server", "127.0.0.1:%d" % server.port, "--to", "a@" + DOMAIN, "--tls",
                              "--auth", "PLAIN", "--auth-user", "admin", "--auth-password", "s3cret!", "--timeout",
                              "20"], capture_output=True, timeout=60)
        self.assertIn(b"<~* 535 5.7.8", tls.stdout)
        server.wait_indexed(2, table="sessions")
        rows = server.query("SELECT a.username, a.password, s.tls_version FROM auth_attempts a "
                            "JOIN sessions s ON s.id = a.session_id")
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][:2], (b"admin", b"s3cret!"))
        self.assertTrue(rows[0][2].startswith(b"TLSv1"))

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
