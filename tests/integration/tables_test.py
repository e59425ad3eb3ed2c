"""Tables read right in a real UTF-8 terminal (issue 22): tmux runs `spampot search` and `report`
over messages in Chinese, Japanese, Russian and with emoji, sent with SMTPUTF8 addresses, and
capture-pane shows that every column starts (or, for numbers, ends) at the same cell on every row,
that each script is printed as itself, and that no escape sequence a spammer wrote reaches the
terminal. Cells are counted by Python's own Unicode tables, not spampot's."""
import os
import shutil
import smtplib
import subprocess
import time
import unicodedata
from email.message import EmailMessage

from harness import BIN, DOMAIN, ServerTest, main

MESSAGES = [
    ("张伟@例子.example", "用户@" + DOMAIN, "你好，世界 发票"),
    ("yamada@example.jp", "たなか@" + DOMAIN, "こんにちは　請求書のお知らせ"),
    ("ivan@пример.example", "иван@" + DOMAIN, "Привет, счёт на оплату"),
    ("emoji@bad.example", "x@" + DOMAIN, "Deal \U0001F600\U0001F525 now"),
    ("plain@bad.example", "y@" + DOMAIN, "plain ascii"),
    ("kim@example.kr", "z@" + DOMAIN, "안녕하세요 e\u0301te\u0301"),
    ("evil@bad.example", "e@" + DOMAIN, "red \x1b[31malert\x1b[0m \u202eexe.pdf"),
]


def width(ch):
    """Terminal cells of one character, by Python's Unicode tables."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cells(line):
    """(start cell, end cell, text) of each run of text between gaps of two or more spaces."""
    out, cell, start, end, text, gap = [], 0, None, 0, "", 0
    for ch in line:
        if ch == " ":
            gap += 1
            if gap == 2 and start is not None:
                out.append((start, end, text))
                start = None
        else:
            if start is None:
                start, text = cell, ""
            elif gap == 1:
                text += " "
            gap = 0
            text += ch
            end = cell + width(ch)
        cell += width(ch)
    if start is not None:
        out.append((start, end, text))
    return out


class TablesTest(ServerTest):
    def setUp(self):
        super().setUp()
        for sender, rcpt, subject in MESSAGES:
            m = EmailMessage()
            m["From"] = sender
            m["To"] = rcpt
            m["Subject"] = subject
            m.set_content("hello")
            s = smtplib.SMTP("127.0.0.1", self.server.port, timeout=10)
            s.send_message(m, sender, [rcpt], mail_options=["SMTPUTF8"])
            s.quit()
        self.server.wait_indexed(len(MESSAGES))
        self.socket = "spampot-tables-%d" % os.getpid()
        self.addCleanup(subprocess.run, ["tmux", "-L", self.socket, "kill-server"], capture_output=True)

    def in_terminal(self, *args):
        """The screen of a 250-column UTF-8 terminal after `spampot ARGS` printed."""
        cmd = [BIN] + list(args) + ["--config", self.server.config_path, "--db", self.server.db_url,
                                    "--spool", self.server.spool]
        done = "---done---"
        shell = " ".join("'" + a.replace("'", "'\\''") + "'" for a in cmd) + "; echo " + done + "; sleep 60"
        self.terminals = getattr(self, "terminals", 0) + 1
        name = "t%d" % self.terminals
        subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", "-u", "new-session", "-d", "-s", name,
                        "-x", "250", "-y", "60", "-e", "LANG=C.UTF-8", "-e", "LC_ALL=C.UTF-8", shell], check=True)
        deadline = time.time() + 20
        while time.time() < deadline:
            screen = subprocess.run(["tmux", "-L", self.socket, "capture-pane", "-p", "-t", name],
                                    capture_output=True, check=True).stdout.decode("utf-8")
            if done in screen:
                # The session stays until cleanup's kill-server: killing the last one makes the
                # server exit, and the next new-session may reach it while it is going away.
                return [l for l in screen.split("\n")[:screen.split("\n").index(done)] if l.strip()]
            time.sleep(0.1)
        self.fail("spampot %s did not finish in the terminal" % " ".join(args))

    def assert_aligned(self, lines, rows):
        header = cells(lines[0])
        body = [cells(l) for l in lines[1:1 + rows]]
        self.assertEqual(len(body), rows, lines)
        for line, row in zip(lines[1:], body):
            self.assertEqual(len(row), len(header), "%r: %r" % (line, row))
            for (hs, he, name), (s, e, text) in zip(header, row):
                # A column of text starts where its heading starts; a column of numbers ends where
                # its heading ends.
                self.assertTrue(s == hs or e == he, "%s: %r at cells %d-%d, heading %d-%d\n%s" %
                                (name, text, s, e, hs, he, "\n".join(lines)))

    def test_search_and_report_tables_align_in_every_script(self):
        if not shutil.which("tmux"):
            self.skipTest("tmux is not installed")
        lines = self.in_terminal("search")
        self.assert_aligned(lines, len(MESSAGES))
        screen = "\n".join(lines)
        for sender, rcpt, subject in MESSAGES[:6]:
            self.assertIn(sender, screen)
            self.assertIn(rcpt, screen)
            self.assertIn(subject, screen)
        # What a spammer meant for the terminal is shown, not obeyed: the escape bytes written raw
        # into the header never reach the text, the bidi override is shown as its code.
        self.assertIn("red \ufffd[31malert\ufffd[0m \\u{202E}exe.pdf", screen)
        self.assertNotIn("\\x", screen)

        for report, rows in (("senders", len(MESSAGES)), ("subjects", len(MESSAGES)), ("recipients", len(MESSAGES))):
            lines = self.in_terminal("report", report, "--limit", "0")
            self.assertEqual(lines[0], report)
            self.assert_aligned(lines[1:], rows)
        lines = self.in_terminal("report", "senders", "--limit", "0")
        self.assertIn("张伟@例子.example", "\n".join(lines))

    def test_csv_keeps_every_script_and_escapes_only_controls(self):
        csv = self.server.cli("search", "--format", "csv").stdout.decode("utf-8")
        rows = csv.strip().split("\r\n") if "\r\n" in csv else csv.strip().split("\n")
        self.assertEqual(len(rows), len(MESSAGES) + 1)  # no field spans lines
        for sender, rcpt, subject in MESSAGES[:6]:
            self.assertIn(sender, csv)
            self.assertIn(subject, csv)
        self.assertIn("red \ufffd[31malert\ufffd[0m \\u{202E}exe.pdf", csv)
        self.assertNotIn("\x1b", csv)


if __name__ == "__main__":
    main()
