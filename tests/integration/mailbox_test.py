"""search --maildir / --mbox: captured mail opens in any mail reader (read back with Python's
mailbox module, as mutt or Dovecot would read it)."""
import mailbox
import os
import shutil
import smtplib
import subprocess

from harness import BIN, DOMAIN, Server, ServerTest, main


class MailboxTest(ServerTest):
    def send_three(self):
        s = smtplib.SMTP("127.0.0.1", self.server.port, timeout=10)
        bodies = [
            b"Subject: one\r\nFrom: a@bad.example\r\n\r\nFrom the start of a line\r\n>From quoted\r\n",
            b"Subject: two\r\n\r\nsecond\r\n",
            b"Subject: three\r\n\r\nthird\r\n",
        ]
        for i, b in enumerate(bodies):
            s.sendmail("s%d@bad.example" % i, ["r%d@%s" % (i, DOMAIN)], b)
        s.sendmail("other@else.example", ["z@" + DOMAIN], b"Subject: not matched\r\n\r\nx\r\n")
        s.quit()
        self.server.wait_indexed(4)

    def test_maildir(self):
        self.send_three()
        md_path = os.path.join(self.server.dir, "Maildir")
        p = self.server.cli("search", "--from", "@bad.example", "--maildir", md_path)
        self.assertIn(b"wrote 3 messages", p.stderr)
        md = mailbox.Maildir(md_path, factory=None, create=False)
        msgs = sorted(md, key=lambda m: m["Subject"])
        self.assertEqual([m["Subject"] for m in msgs], ["one", "three", "two"])
        one = msgs[0]
        self.assertEqual(one["Return-Path"], "<s0@bad.example>")
        self.assertEqual(one["X-Original-To"], "r0@" + DOMAIN)
        self.assertIn("(spampot) with ESMTP id", one["Received"])
        self.assertEqual(one.get_payload(), "From the start of a line\n>From quoted\n")

    def test_mbox(self):
        self.send_three()
        path = os.path.join(self.server.dir, "spam.mbox")
        self.server.cli("search", "--to", "@" + DOMAIN, "--from", "@bad.example", "--mbox", path)
        box = mailbox.mbox(path, create=False)
        msgs = list(box)
        self.assertEqual([m["Subject"] for m in msgs], ["one", "two", "three"])  # oldest first
        self.assertEqual(msgs[0].get_from().split()[0], "s0@bad.example")
        # mboxrd quoting: one more '>' on every ^>*From line, so "From " never starts a line inside a
        # message; readers show it quoted (as Python and mutt do), and mboxrd-aware ones undo it.
        self.assertEqual(msgs[0].get_payload(), ">From the start of a line\n>>From quoted\n")
        box.close()
        # Appending again adds, as an mbox should.
        self.server.cli("search", "--from", "other@else.example", "--mbox", path)
        box = mailbox.mbox(path, create=False)
        self.assertEqual(len(box), 4)
        box.close()


class SpoolOfTheSensorTest(ServerTest):
    """The store records where each sensor's spool is: on that machine --db alone finds the raw
    text; elsewhere the error names the sensor, the path and --spool."""

    def spampot(self, *args):
        return subprocess.run([BIN] + list(args) + ["--config", "/dev/null", "--db", self.server.db_url],
                              capture_output=True, timeout=60)

    def test_db_alone_finds_the_sensors_spool_and_says_which_option_when_it_cannot(self):
        s = smtplib.SMTP("127.0.0.1", self.server.port, timeout=10)
        s.sendmail("a@bad.example", ["x@" + DOMAIN], b"Subject: where am I\r\n\r\nbody\r\n")
        s.quit()
        self.server.wait_indexed(1)
        mid = self.server.search()[0]["id"]
        self.assertEqual(self.server.stop(), 0)

        raw = self.spampot("show", mid, "--raw")
        self.assertEqual(raw.returncode, 0, raw.stderr)
        self.assertIn(b"Subject: where am I", raw.stdout)
        mbox_path = os.path.join(self.server.dir, "out.mbox")
        got = self.spampot("search", "--mbox", mbox_path)
        self.assertEqual(got.returncode, 0, got.stderr)
        self.assertEqual([m["Subject"] for m in mailbox.mbox(mbox_path)], ["where am I"])

        # The spool moved (or this is a central console): the error says what to give.
        moved = os.path.join(self.server.dir, "copy-of-spool")
        shutil.move(self.server.spool, moved)
        lost = self.spampot("show", mid, "--raw")
        self.assertEqual(lost.returncode, 1)
        self.assertIn(b"sensor it's spool " + self.server.spool.encode(), lost.stderr)
        self.assertIn(b"--spool", lost.stderr)
        found = self.spampot("show", mid, "--raw", "--spool", moved)
        self.assertEqual(found.returncode, 0, found.stderr)
        self.assertIn(b"Subject: where am I", found.stdout)

        # Another sensor's spool has another record at that place: never shown as this message.
        os.makedirs(os.path.join(self.server.dir, "other"))
        other = Server(workdir=os.path.join(self.server.dir, "other")).start()
        s = smtplib.SMTP("127.0.0.1", other.port, timeout=10)
        s.sendmail("b@bad.example", ["y@" + DOMAIN], b"Subject: someone else\r\n\r\nbody\r\n")
        s.quit()
        other.wait_indexed(1)
        other.stop()
        wrong = self.spampot("show", mid, "--raw", "--spool", other.spool)
        self.assertEqual(wrong.returncode, 1)
        self.assertIn(b"holds another record", wrong.stderr)
        self.assertNotIn(b"someone else", wrong.stdout)


if __name__ == "__main__":
    main()
