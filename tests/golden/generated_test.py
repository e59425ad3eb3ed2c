#!/usr/bin/env python3
"""The golden test on messages Python's own `email` package writes: random Subjects in many
scripts and charsets, display names, IDN domains, dates in any zone, text in quoted-printable,
base64 or 8bit, HTML alternatives, attachments with RFC 2231 file names, forwarded messages.
Each is read by message_reference.py (the reference) and by the parser (message_test's golden
test, pointed at them), and must read the same.

    tests/golden/generated_test.py BUILD/tests/unit/message_test [SEEDS...]

Seeded, so a failure is reproduced by its seed; CTest runs three seeds of 300 messages."""
import base64
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

# Subjects written as raw 8-bit bytes in a legacy charset, with the charset the message declares
# and the codec that writes the bytes: often the superset (CP932's NEC and IBM characters
# labelled Shift_JIS, GBK's labelled GB2312, CP949's labelled EUC-KR), as spamware sends them.
LEGACY = [
    ("gb2312", "gb2312", ["中文", "测试", "发票", "优惠", "你好", "世界", "免费", "退款"]),
    ("gb2312", "gbk", ["镕", "喆", "中文", "测试", "頁", "發票"]),
    ("gbk", "gb18030", ["中文", "优惠", "\U00020000", "€"]),
    ("shift_jis", "shift_jis", ["日本語", "請求書", "お知らせ", "ｶﾀｶﾅ", "無料"]),
    ("shift_jis", "cp932", ["①②③", "㈱", "Ⅰ", "№", "請求書", "髙橋"]),
    ("euc-kr", "euc-kr", ["안녕하세요", "할인", "무료"]),
    ("euc-kr", "cp949", ["똠방각하", "할인", "쀍"]),
    ("koi8-r", "koi8-r", ["Привет", "счёт", "скидка"]),
    ("windows-1251", "windows-1251", ["Привет", "счёт", "Україна"]),
    ("iso-8859-7", "iso-8859-7", ["Καλημέρα", "προσφορά"]),
]
JAPANESE = ["請求書", "お知らせ", "①②", "㈱", "Ⅲ", "無料", "髙", "ﾃｽﾄ"]


def to_iso2022jp(text):
    """ISO-2022-JP as Microsoft writes it (CP50221): Shift_JIS (CP932) codes to JIS by arithmetic,
    half-width katakana after ESC ( I."""
    out, mode = b"", "ascii"
    for ch in text:
        b = ch.encode("cp932")
        if len(b) == 1 and b[0] < 0x80:
            want, code = "ascii", b
        elif len(b) == 1:
            want, code = "kana", bytes([b[0] - 0x80])
        else:
            s1, s2 = b
            j1 = (s1 - (0x70 if s1 <= 0x9F else 0xB0)) * 2 - 1
            if s2 >= 0x9F:
                j1, j2 = j1 + 1, s2 - 0x7E
            else:
                j2 = s2 - (0x20 if s2 >= 0x80 else 0x1F)
            want, code = "jis", bytes([j1, j2])
        if want != mode:
            out += {"ascii": b"\x1b(B", "jis": b"\x1b$B", "kana": b"\x1b(I"}[want]
            mode = want
        out += code
    return out + (b"\x1b(B" if mode != "ascii" else b"")


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
    raw = m.as_bytes(policy=email.policy.SMTP)
    return with_odd_from(rnd, with_legacy_subject(rnd, raw))


ODD_FROMS = [b"Moderator <moderator>", b"Whomever", b"Big Bug bb@bug.com", b"<>", b"Name Only",
             b"bb@bug.com (Big Bug)", b"undisclosed-recipients:;", b"\"quoted local\"", b"x <Mod.Erator>"]


def with_odd_from(rnd, raw):
    """Some From fields as spamware and old list software write them: no domain, no brackets."""
    if rnd.random() > 0.2:
        return raw
    head, sep, body = raw.partition(b"\r\n\r\n")
    fields = []
    for line in head.split(b"\r\n"):
        if line.startswith((b" ", b"\t")) and fields:
            fields[-1] += b"\r\n" + line
        else:
            fields.append(line)
    fields = [b"From: " + rnd.choice(ODD_FROMS) if f.lower().startswith(b"from:") else f for f in fields]
    return b"\r\n".join(fields) + sep + body


def with_legacy_subject(rnd, raw):
    """Some messages get a Subject as spamware writes it in Asia and Eastern Europe: raw bytes of
    a legacy charset the body declares, or ISO-2022-JP raw or in encoded words."""
    roll = rnd.random()
    if roll > 0.45:
        return raw
    head, sep, body = raw.partition(b"\r\n\r\n")
    fields = []  # whole fields, continuation lines with their field
    for line in head.split(b"\r\n"):
        if line.startswith((b" ", b"\t")) and fields:
            fields[-1] += b"\r\n" + line
        else:
            fields.append(line)
    lines = [f for f in fields if not f.lower().startswith((b"subject:", b"content-type:",
                                                            b"content-transfer-encoding:", b"mime-version:"))]
    if roll < 0.3:
        declared, codec, words = rnd.choice(LEGACY)
        subject = (" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 6)))).encode(codec)
        body_text = " ".join(rnd.choice(words) for _ in range(20)).encode(codec, "replace")
    else:
        declared = "iso-2022-jp"
        text = " ".join(rnd.choice(JAPANESE) for _ in range(rnd.randint(1, 4)))
        if roll < 0.38:
            subject = to_iso2022jp(text)
        else:  # encoded words, each at most a few characters
            words = [text[i:i + 4] for i in range(0, len(text), 4)]
            subject = b" ".join(b"=?iso-2022-jp?B?" + base64.b64encode(to_iso2022jp(w)) + b"?=" for w in words)
        body_text = to_iso2022jp(text)
    lines += [b"Subject: " + subject, b"MIME-Version: 1.0",
              b"Content-Type: text/plain; charset=" + declared.encode(), b"Content-Transfer-Encoding: 8bit"]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body_text + b"\r\n"


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
