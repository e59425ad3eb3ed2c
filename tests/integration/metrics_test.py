"""Prometheus metrics and /healthz ([metrics] listen), through the real server and real clients.

The exposition is checked by promtool (Debian's prometheus package), the counters against what
the test did: messages and their bytes, a relay attempt, AUTH attempts, a pipelining violation,
connections refused by the per-address limit, journal latency histograms, records indexed, spool
size. /healthz answers 200 while all is well, 503 with the reason while the store is locked
away from the indexer and while the spool refuses writes, and 200 again after."""
import base64
import os
import resource
import sqlite3
import subprocess
import unittest
import urllib.error
import urllib.request

from harness import DOMAIN, RawClient, Server, main, wait_for


def healthz(server):
    try:
        with urllib.request.urlopen(server.metrics_url() + "/healthz", timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()



def value(values, name, **labels):
    return values.get((name, tuple(sorted(labels.items()))), 0.0)


class MetricsTest(unittest.TestCase):
    CONFIG = ('auth_capture = true\nrelay_bait = false\n[limits]\nconnections_per_ip = 2\nmessage_bytes = 4000000\n'
              '[metrics]\nlisten = "127.0.0.1:0"\nmax_index_lag = "2s"\n')

    def test_counters_follow_what_clients_did_and_promtool_accepts_them(self):
        server = Server(self.CONFIG)
        self.addCleanup(server.cleanup)
        server.start()
        body = "Subject: metrics\r\n\r\n" + "x" * 1000 + "\r\n"
        swaks = subprocess.run(["swaks", "--server", "127.0.0.1:%d" % server.port, "--from", "a@bad.example",
                                "--to", "v@" + DOMAIN, "--data", body, "--auth", "LOGIN", "--auth-user", "admin",
                                "--auth-password", "hunter2"], capture_output=True)
        self.assertIn(b"535", swaks.stdout)  # AUTH is recorded and refused
        c = RawClient(server.port)
        c.read_reply()
        c.command(b"EHLO bot.example")
        c.command(b"MAIL FROM:<a@bad.example>")
        self.assertTrue(c.command(b"RCPT TO:<victim@gmail.com>").startswith("554"))  # a relay attempt
        c.command(b"RCPT TO:<v@" + DOMAIN.encode() + b">")
        c.command(b"DATA")
        c.send(body.encode() + b".\r\n")
        self.assertTrue(c.read_reply().startswith("250"))
        c.command(b"QUIT")
        c.close()
        # A third connection beside two held open is refused by the per-address limit.
        held = [RawClient(server.port) for _ in range(2)]
        for h in held:
            h.read_reply()
        third = RawClient(server.port)
        self.assertTrue(third.read_reply().startswith("421"))
        third.close()
        for h in held:
            h.command(b"QUIT")
            h.close()
        server.wait_indexed(1)
        wait_for(lambda: server.count("sessions") >= 3, "the sessions to be indexed")

        def indexed():
            _, v = server.scrape()
            return value(v, "spampot_records_indexed_total", kind="message") >= 1
        wait_for(indexed, "the indexed counter")
        text, v = server.scrape()
        check = subprocess.run(["promtool", "check", "metrics"], input=text.encode(), capture_output=True)
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)

        self.assertEqual(value(v, "spampot_messages_total"), 1)
        self.assertGreater(value(v, "spampot_message_bytes_total"), 1000)
        self.assertGreaterEqual(value(v, "spampot_connections_accepted_total"), 5)
        self.assertEqual(value(v, "spampot_connections_refused_total", reason="per_ip_limit"), 1)
        self.assertEqual(value(v, "spampot_relay_attempts_total"), 1)
        self.assertEqual(value(v, "spampot_violations_total", kind="relay_attempt"), 1)
        self.assertEqual(value(v, "spampot_auth_attempts_total"), 1)
        self.assertGreaterEqual(value(v, "spampot_sessions_total", end_reason="quit"), 3)
        self.assertGreaterEqual(value(v, "spampot_journal_append_seconds_count"), 1)
        self.assertGreaterEqual(value(v, "spampot_journal_fdatasync_seconds_count"), 1)
        self.assertEqual(value(v, "spampot_journal_append_seconds_bucket", le="+Inf"),
                         value(v, "spampot_journal_append_seconds_count"))
        self.assertGreater(value(v, "spampot_spool_bytes"), 0)
        self.assertGreaterEqual(value(v, "spampot_spool_segments"), 1)
        self.assertGreater(value(v, "spampot_spool_free_bytes"), 0)
        self.assertEqual(value(v, "spampot_store_up"), 1)
        self.assertEqual(value(v, "spampot_quarantined_records"), 0)
        self.assertEqual(healthz(server), (200, "ok\n"))

        # Only /metrics and /healthz; nothing is written.
        with self.assertRaises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(server.metrics_url() + "/", timeout=10)
        self.assertEqual(e.exception.code, 404)
        req = urllib.request.Request(server.metrics_url() + "/metrics", data=b"x", method="POST")
        with self.assertRaises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(req, timeout=10)
        self.assertEqual(e.exception.code, 405)

        # The store locked away from the indexer for longer than max_index_lag: 503, and why.
        lock = sqlite3.connect(server.db, timeout=1, isolation_level=None)
        lock.execute("BEGIN EXCLUSIVE")
        try:
            subprocess.run(["swaks", "--server", "127.0.0.1:%d" % server.port, "--to", "w@" + DOMAIN],
                           capture_output=True, check=True)
            wait_for(lambda: healthz(server)[0] == 503, "/healthz to fail while the index lags")
            status, why = healthz(server)
            self.assertRegex(why, r"the store refuses the index|the index is \d+ s behind the spool")
            # The message and its session record wait; the gauges follow the indexer's retries.
            wait_for(lambda: value(server.scrape()[1], "spampot_index_lag_records") == 2, "a lag of 2 records")
            _, v = server.scrape()
            self.assertGreater(value(v, "spampot_index_lag_bytes"), 0)
            self.assertGreater(value(v, "spampot_index_lag_seconds"), 0)
        finally:
            lock.execute("ROLLBACK")
            lock.close()
        wait_for(lambda: healthz(server) == (200, "ok\n"), "/healthz to recover")
        _, v = server.scrape()
        self.assertGreaterEqual(value(v, "spampot_store_failures_total"), 1)
        self.assertEqual(value(v, "spampot_index_lag_seconds"), 0)
        self.assertEqual(value(v, "spampot_index_lag_records"), 0)
        self.assertEqual(server.stop(), 0)

    def test_healthz_fails_while_the_spool_refuses_writes(self):
        limit = 8 * 1024 * 1024  # for the spool's segment; the store's files stay well under it
        server = Server(self.CONFIG)
        self.addCleanup(server.cleanup)
        server.preexec = lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        server.start()
        self.assertEqual(healthz(server), (200, "ok\n"))
        big = "Subject: big\r\n\r\n" + base64.encodebytes(os.urandom(1900 * 1024)).decode() + "\r\n"
        refused = False
        for _ in range(6):
            p = subprocess.run(["swaks", "--server", "127.0.0.1:%d" % server.port, "--to", "v@" + DOMAIN,
                                "--data", "-"], input=big.encode(), capture_output=True)
            if b"<** 451 4.3.0" in p.stdout:
                refused = True
                break
        self.assertTrue(refused)
        status, why = healthz(server)
        self.assertEqual(status, 503, server.read_log().decode(errors="replace")[-3000:])
        self.assertIn("the spool refuses writes", why)
        _, v = server.scrape()
        self.assertGreaterEqual(value(v, "spampot_messages_refused_total"), 1)
        self.assertGreaterEqual(value(v, "spampot_journal_failures_total"), 1)
        # A small message fits again: the spool takes it, and /healthz is well again.
        p = subprocess.run(["swaks", "--server", "127.0.0.1:%d" % server.port, "--to", "v@" + DOMAIN],
                           capture_output=True)
        self.assertIn(b"250 2.0.0", p.stdout)
        self.assertEqual(healthz(server), (200, "ok\n"))


if __name__ == "__main__":
    main()
