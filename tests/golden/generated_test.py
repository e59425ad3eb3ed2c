#!/usr/bin/env python3
"""The golden test on messages Python's own `email` package writes: random Subjects in many
scripts and charsets, display names, IDN domains, dates in any zone, text in quoted-printable,
base64 or 8bit, HTML alternatives, attachments with RFC 2231 file names, forwarded messages.
Each is read by message_reference.py (the reference) and by the parser (message_test's golden
test, pointed at them), and must read the same.

    tests/golden/generated_test.py BUILD/tests/unit/message_test [SEEDS...]

Seeded, so a failure is reproduced by its seed; CTest runs three seeds of 300 messages."""
import datetime
import email.headerregistry
import email.message
import email.policy
import email.utils
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from message_reference import reference  # noqa: E402

WORDS = ["cheap", "Grüße", "für", "Straße", "中文", "測試", "русский", "текст", "ελληνικά", "🙂", "café",
         "naïve", "offer", "$$$", "100%", "free!", "日本語", "ąęśćż", "שלום", "مرحبا", "=?", "?=", "a_b",
         "x" * 90]
NAMES = ["Dr. Späm", "Иван Петров", "王伟", "José Müller", "O'Brien, Pat", "\"quoted\"", "plain", "Ünïcödé Name"]
DOMAINS = ["Spam.Example", "bulk.example.co.uk", "xn--bcher-kva.example"]
FILES = ["invoice.pdf", "Rechnung März.pdf", "фото.jpg", "報告書.docx", "a b c.zip", "x" * 80 + "é.txt",
         "plain.bin", "semi;colon.txt"]
CHARSETS = ["utf-8", "utf-8", "iso-8859-1", "koi8-r", "gb2312", "iso-8859-7", "windows-1251"]


def text(rnd, n):
    return " ".join(rnd.choice(WORDS) for _ in range(n))


def message(rnd, i):
    m = email.message.EmailMessage(policy=email.policy.default)
    m["Subject"] = text(rnd, rnd.randint(1, 30))
    m["From"] = email.headerregistry.Address(display_name=rnd.choice(NAMES), username="u%d.x" % i,
                                             domain=rnd.choice(DOMAINS))
    if rnd.random() < 0.3:
        m["Reply-To"] = "collect@drop.example"
    m["To"] = "victim@trap.example"
    m["Message-ID"] = email.utils.make_msgid(idstring=str(i), domain=rnd.choice(["MX.Example.COM", "mail.example"]))
    zone = datetime.timezone(datetime.timedelta(minutes=rnd.choice([-600, -300, 0, 60, 330, 840])))
    m["Date"] = email.utils.format_datetime(datetime.datetime(
        2020 + rnd.randint(0, 6), rnd.randint(1, 12), rnd.randint(1, 28), rnd.randint(0, 23),
        rnd.randint(0, 59), rnd.randint(0, 59), tzinfo=zone))
    body = text(rnd, rnd.randint(5, 200)) + "\nvisit http://www.%s.example/x\n" % rnd.choice("ab")
    charset = rnd.choice(CHARSETS)
    try:
        body.encode(charset)
    except UnicodeEncodeError:
        charset = "utf-8"
    m.set_content(body, charset=charset, cte=rnd.choice(["quoted-printable", "base64", "8bit"]))
    if rnd.random() < 0.5:
        m.add_alternative("<p>%s</p><a href='http://link.example/%d'>x</a>" % (text(rnd, 10), i), subtype="html")
    for _ in range(rnd.randint(0, 3)):
        data = bytes(rnd.getrandbits(8) for _ in range(rnd.randint(0, 3000)))
        m.add_attachment(data, maintype="application", subtype=rnd.choice(["octet-stream", "pdf", "zip"]),
                         filename=rnd.choice(FILES))
    if rnd.random() < 0.2:  # forwarded as message/rfc822
        outer = email.message.EmailMessage(policy=email.policy.default)
        for h in ("Subject", "From", "To", "Message-ID", "Date"):
            outer[h] = m[h]
        outer.set_content("see attached")
        outer.add_attachment(m)
        m = outer
    return m.as_bytes(policy=email.policy.SMTP)


def main():
    binary = sys.argv[1]
    seeds = [int(s) for s in sys.argv[2:]] or [1, 2, 3]
    failed = 0
    for seed in seeds:
        rnd = random.Random(seed)
        with tempfile.TemporaryDirectory(prefix="spampot-generated-") as tmp:
            eml, ref = os.path.join(tmp, "eml"), os.path.join(tmp, "expected")
            os.makedirs(os.path.join(eml, "gen"))
            os.makedirs(os.path.join(ref, "gen"))
            for i in range(300):
                raw = message(rnd, i)
                with open(os.path.join(eml, "gen", "m%03d.eml" % i), "wb") as f:
                    f.write(raw)
                with open(os.path.join(ref, "gen", "m%03d.eml.txt" % i), "w", encoding="utf-8") as f:
                    f.write(reference(raw))
            env = dict(os.environ, SPAMPOT_GOLDEN_EML=eml, SPAMPOT_GOLDEN_EXPECTED=ref)
            p = subprocess.run([binary, "--gtest_filter=Golden.*"], env=env, capture_output=True, text=True)
            print("seed %d: %s" % (seed, "same" if p.returncode == 0 else "differs"))
            if p.returncode != 0:
                print(p.stdout[-4000:])
                failed += 1
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
