"""The small harvest of the upgrade fixtures (make-fixture.sh), sent to 127.0.0.1:PORT."""
import smtplib
import sys

port = int(sys.argv[1])
messages = [
    ("spammer@bad.example", ["anna@trap.example"],
     b"From: Shop <spammer@bad.example>\r\nSubject: =?utf-8?B?R3LDvMOfZQ==?= offer\r\n"
     b"Message-ID: <v9-1@bad.example>\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\n"
     b"visit http://shop.bad.example/buy now\r\n"),
    ("spammer@bad.example", ["bert@trap.example", "carla@trap.example"],
     b"From: Shop <spammer@bad.example>\r\nSubject: invoice\r\nMessage-ID: <v9-2@bad.example>\r\n"
     b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
     b"Content-Type: text/plain\r\n\r\nsee attached\r\n--b\r\nContent-Type: application/pdf; name=inv.pdf\r\n"
     b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n"),
    ("jorg@latin.example", ["dora@trap.example"],
     b"Subject: caf\xe9 \xff\r\nMessage-ID: <v9-3@latin.example>\r\n\r\nbody\r\n"),
]
for sender, rcpts, raw in messages:
    s = smtplib.SMTP("127.0.0.1", port, timeout=10)
    s.ehlo("bot.example")
    s.mail(sender)
    for r in rcpts:
        s.rcpt(r)
    s.data(raw)
    s.quit()

# A relay attempt and AUTH tried, with no message.
s = smtplib.SMTP("127.0.0.1", port, timeout=10)
s.ehlo("relay.example")
try:
    s.login("admin", "hunter2")
except smtplib.SMTPException:
    pass
s.mail("x@bad.example")
s.rcpt("victim@gmail.com")
s.quit()
