"""Python's smtplib against the real server: ESMTP features, and real spam from the corpus stored
byte for byte with the header fields an analyst greps for."""
import email.parser
import email.policy
import glob
import hashlib
import os
import smtplib

from harness import DATA, DOMAIN, RawClient, ServerTest, main


class SmtplibTest(ServerTest):
    def connect(self):
        s = smtplib.SMTP("127.0.0.1", self.server.port, local_hostname="client.example", timeout=20)
        self.addCleanup(s.close)
        return s

    def test_ehlo_advertises_the_extensions_of_a_real_mta(self):
        s = self.connect()
        code, text = s.ehlo()
        self.assertEqual(code, 250)
        for ext in ("pipelining", "size", "8bitmime", "smtputf8", "enhancedstatuscodes", "chunking"):
            self.assertTrue(s.has_extn(ext), ext)
        self.assertEqual(s.esmtp_features["size"], "10485760")
        self.assertTrue(text.startswith(b"mx.trap.example"))
        self.assertEqual(s.verify("root")[0], 252)
        self.assertEqual(s.docmd("EXPN", "staff")[0], 252)
        self.assertEqual(s.docmd("HELP")[0], 214)
        self.assertEqual(s.noop()[0], 250)
        self.assertEqual(s.rset()[0], 250)
        self.assertEqual(s.docmd("XYZZY")[0], 502)
        s.quit()

    def test_refusals_are_precise(self):
        s = self.connect()
        s.ehlo()
        self.assertEqual(s.mail("a@bad.example", ["SIZE=999999999"])[0], 552)
        self.assertEqual(s.rcpt("x@" + DOMAIN)[0], 503)
        self.assertEqual(s.mail("a@bad.example")[0], 250)
        self.assertEqual(s.mail("a@bad.example")[0], 503)
        self.assertEqual(s.docmd("DATA")[0], 554)
        code, text = s.rcpt("v@elsewhere.example")
        self.assertEqual((code, text), (554, b"5.7.1 <v@elsewhere.example>: Relay access denied"))
        s.quit()

    def test_smtputf8_and_several_messages_in_one_session(self):
        s = self.connect()
        s.ehlo()
        refused = s.sendmail("spammer@bad.example", ["one@" + DOMAIN, "two@" + DOMAIN],
                             b"Subject: first\r\n\r\nhello\r\n")
        self.assertEqual(refused, {})
        s.sendmail("j\u00f6rg@bad.example", ["\u00fcser@" + DOMAIN], "Subject: zweite\r\n\r\nGr\u00fc\u00dfe\r\n".encode(),
                   mail_options=["SMTPUTF8", "BODY=8BITMIME"])
        s.quit()
        self.server.wait_indexed(2)
        rows = self.server.search()
        self.assertEqual([r["subject"] for r in rows], ["zweite", "first"])
        self.assertEqual(rows[0]["mail_from"], "j\u00f6rg@bad.example")
        self.assertEqual(rows[0]["rcpt_to"], ["\u00fcser@" + DOMAIN])
        self.assertEqual(rows[1]["rcpt_to"], ["one@" + DOMAIN, "two@" + DOMAIN])
        self.assertEqual(rows[0]["session_id"], rows[1]["session_id"])

    def test_bdat_chunks(self):
        c = RawClient(self.server.port)
        self.addCleanup(c.close)
        self.assertTrue(c.read_reply().startswith("220 "))
        self.assertIn("CHUNKING", c.command(b"EHLO client.example"))
        # Pipelined, as RFC 3030 clients send it.
        c.send(b"MAIL FROM:<a@bad.example>\r\nRCPT TO:<x@trap.example>\r\nBDAT 15\r\nSubject: bdat\r\n"
               b"BDAT 8 LAST\r\n\r\nbody\r\n")
        replies = [c.read_reply() for _ in range(4)]
        self.assertEqual(replies[:3], ["250 2.1.0 Ok", "250 2.1.5 Ok", "250 2.0.0 Ok: 15 bytes"])
        self.assertRegex(replies[3], r"^250 2\.0\.0 Ok: queued as [0-9A-Z]{19}$")
        self.server.wait_indexed(1)
        m = self.server.search()[0]
        self.assertEqual(m["subject"], "bdat")
        self.assertEqual(m["size"], 23)
        self.assertIn("chunked", m["flags"])

    def test_real_spam_is_spooled_byte_for_byte_and_its_fields_stored(self):
        files = sorted(glob.glob(os.path.join(DATA, "eml", "*", "*.eml")))
        self.assertGreater(len(files), 100)
        want = {}
        s = None
        for i, path in enumerate(files):
            if i % 50 == 0:  # stay under the per-session message limit
                if s:
                    s.quit()
                s = self.connect()
                s.ehlo()
            with open(path, "rb") as f:
                raw = f.read()
            # smtplib dot-stuffs and ends the data with CRLF; the trap must give back exactly that.
            expected = raw if raw.endswith(b"\r\n") else raw + b"\r\n"
            s.sendmail("corpus@bad.example", ["c@" + DOMAIN], raw)
            want[hashlib.sha256(expected).hexdigest()] = (path, raw)
        s.quit()
        self.server.wait_indexed(len(files))
        stored = {r[0].decode(): r for r in self.server.query("SELECT sha256, subject, message_id, date, size FROM messages")}
        self.assertEqual(set(stored), set(want))

        # The header fields match what Python's parser reads, for every well-formed message.
        compared = 0
        parser = email.parser.BytesParser(policy=email.policy.compat32)
        for sha, (path, raw) in want.items():
            msg = parser.parsebytes(raw)
            if msg.defects or raw.startswith(b"From ") or b"\r" in raw.replace(b"\r\n", b""):
                continue
            _, subject, message_id, date, _ = stored[sha]

            def raw_field(name):
                # raw_items() keeps the bytes as sent (8-bit ones as surrogates), unlike get().
                for k, v in msg.raw_items():
                    if k.lower() == name:
                        return v.encode("ascii", "surrogateescape").replace(b"\r\n", b"").replace(b"\n", b"").strip(b" \t")
                return b""

            # The store keeps each field as UTF-8: a byte that starts no UTF-8 character is U+FFFD
            # there (the spool keeps the bytes, checked by sha256 above).
            def as_stored(b):
                return b.decode("utf-8", "replace").replace("\0", "\ufffd").encode()

            self.assertEqual(subject, as_stored(raw_field("subject")), path)
            self.assertEqual(message_id, as_stored(raw_field("message-id")), path)
            self.assertEqual(date, as_stored(raw_field("date")), path)
            compared += 1
        self.assertGreater(compared, 50)


if __name__ == "__main__":
    main()
