"""Signals and privileges: SIGHUP reloads the trap domains, SIGTERM drains sessions and flushes
the index, and a server started as root drops to its user before reading a client byte."""
import os
import pwd
import re
import smtplib
import time
import unittest

from harness import DOMAIN, RawClient, Server, main


class SignalsTest(unittest.TestCase):
    def make(self, config="", top=""):
        server = Server(config, top=top)
        self.addCleanup(server.cleanup)
        return server

    def test_sighup_reloads_trap_domains_from_the_config(self):
        server = self.make()
        # --domain on the command line wins over the config, so start with the config's list.
        server.extra_args = []
        with open(server.config_path, "a") as f:
            f.write('[[trap]]\ndomain = "first.example"\n')
        server.start()
        c = RawClient(server.port)
        c.read_reply()
        c.command(b"HELO c")
        c.command(b"MAIL FROM:<a@bad.example>")
        self.assertEqual(c.command(b"RCPT TO:<x@second.example>")[:3], "554")
        c.command(b"QUIT")
        c.close()
        with open(server.config_path, "a") as f:
            f.write('[[trap]]\ndomain = "second.example"\n')
        server.proc.send_signal(1)  # SIGHUP
        deadline = time.time() + 10
        while b"reloaded: 2 trap domains" not in server.read_log():
            self.assertLess(time.time(), deadline, "no reload in the log")
            time.sleep(0.05)
        c = RawClient(server.port)
        self.addCleanup(c.close)
        c.read_reply()
        c.command(b"HELO c")
        c.command(b"MAIL FROM:<a@bad.example>")
        self.assertEqual(c.command(b"RCPT TO:<x@second.example>"), "250 2.1.5 Ok")

    def test_sigterm_lets_sessions_finish_then_says_421(self):
        server = self.make('[limits]\nshutdown_grace = "1s"\n').start()
        c = RawClient(server.port)
        self.addCleanup(c.close)
        c.read_reply()
        c.command(b"HELO slow.example")
        s = smtplib.SMTP("127.0.0.1", server.port, timeout=10)
        s.sendmail("a@bad.example", ["x@" + DOMAIN], b"Subject: before stop\r\n\r\nx\r\n")
        s.quit()
        start = time.time()
        server.proc.send_signal(15)
        # New connections are refused at once; the open session may still work during the grace.
        time.sleep(0.2)
        self.assertEqual(c.command(b"NOOP"), "250 2.0.0 Ok")
        self.assertEqual(c.read_until_closed(timeout=10), "421 4.3.2 mx.trap.example Service shutting down\r\n")
        self.assertEqual(server.proc.wait(timeout=20), 0)
        self.assertLess(time.time() - start, 8)
        # Everything acknowledged was indexed before exit.
        self.assertEqual(server.count(), 1)
        self.assertEqual(server.count("sessions"), 2)
        self.assertIn(b"stopped: indexed 1 messages and 2 sessions", server.read_log())

    @unittest.skipUnless(os.geteuid() == 0, "needs root to drop privileges")
    def test_drops_to_the_configured_user_after_binding(self):
        server = self.make(top='user = "nobody"\n')
        os.chmod(server.dir, 0o755)
        server.start()
        with open("/proc/%d/status" % server.proc.pid) as f:
            status = f.read()
        uid = pwd.getpwnam("nobody").pw_uid
        self.assertRegex(status, r"Uid:\s+%d\s+%d\s+%d\s+%d" % (uid, uid, uid, uid))
        s = smtplib.SMTP("127.0.0.1", server.port, timeout=10)
        s.sendmail("a@bad.example", ["x@" + DOMAIN], b"Subject: unprivileged\r\n\r\nx\r\n")
        s.quit()
        server.wait_indexed(1)
        self.assertEqual(os.stat(server.spool).st_uid, uid)
        self.assertEqual(os.stat(server.db).st_uid, uid)
        self.assertEqual(server.stop(), 0)

    def test_unknown_user_is_a_clear_error(self):
        server = self.make(top='user = "no-such-user-here"\n')
        with self.assertRaises(RuntimeError) as e:
            server.start()
        self.assertIn("unknown user 'no-such-user-here'", str(e.exception))
        self.assertEqual(server.proc.returncode, 1)


class JsonLogTest(unittest.TestCase):
    def test_every_log_line_is_one_json_object(self):
        import json
        server = Server('[log]\nformat = "json"\n').start()
        self.addCleanup(server.cleanup)
        # A HELO with bytes that are neither printable nor UTF-8: escaped in the message, and the
        # line still one valid JSON object.
        c = RawClient(server.port)
        c.read_reply()
        c.command(b"HELO \xff\x1b[2Jbot\"quote")
        c.command(b"QUIT")
        c.close()
        s = smtplib.SMTP("127.0.0.1", server.port, timeout=10)
        s.sendmail("a@bad.example", ["x@" + DOMAIN], b"Subject: logged\r\n\r\nx\r\n")
        s.quit()
        server.wait_indexed(1)
        self.assertEqual(server.stop(), 0)
        lines = server.read_log().decode("utf-8").splitlines()
        self.assertGreater(len(lines), 4)
        records = [json.loads(line) for line in lines]
        for r in records:
            self.assertEqual(set(r), {"time", "level", "logger", "message"})
            self.assertRegex(r["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
        messages = [r["message"] for r in records]
        self.assertTrue(any(m.startswith("listening on 127.0.0.1:") for m in messages))
        helo = [m for m in messages if "helo=" in m and "bot" in m][0]
        self.assertNotIn("\x1b", helo)
        self.assertIn("\\xff", helo)


if __name__ == "__main__":
    main()
