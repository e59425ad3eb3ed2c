"""search --maildir / --mbox: captured mail opens in any mail reader (read back with Python's
mailbox module, as mutt or Dovecot would read it)."""
import mailbox
import os
import smtplib

from harness import DOMAIN, ServerTest, main


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


if __name__ == "__main__":
    main()
