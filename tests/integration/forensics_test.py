"""Message forensics end to end: real clients (swaks, smtplib) send spam to the real server,
the pipeline parses it, and search, show, report campaigns and reindex read back what an analyst
looks for. The whole corpus goes through SMTP too, and is read as the golden references say."""
import base64
import email.utils
import glob
import hashlib
import json
import os
import random
import sys
import smtplib
import subprocess
import tempfile

from harness import DATA, DOMAIN, ServerTest, main

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "golden"))
from message_reference import escape  # noqa: E402  (the references' own escaping)

GIF = base64.b64decode("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==")


WORDS = ("pharmacy discreet worldwide shipping offer genuine quality tablets prescription free "
         "delivery secure order today limited stock customers satisfied price guarantee").split()


def campaign_letter(name, n):
    # The template's text: the same for every recipient (a fixed seed), varied enough for ssdeep.
    rnd = random.Random(7)
    body = "".join(" ".join(rnd.choice(WORDS) for _ in range(14)) + ".\r\n" for _ in range(40))
    html = ("<html><body><p>Dear %s,</p><p>%s</p><a href=\"https://Shop.PILLS.example/buy?u=%d\">order</a>"
            "<img src=\"http://cdn.pills.example/t.gif\"></body></html>" % (name, body, n))
    return ("From: =?utf-8?B?%s?= <sales@pills.example>\r\n"
            "To: %s@%s\r\n"
            "Subject: =?iso-8859-1?Q?Gr=FC=DFe_f=FCr?= %s\r\n"
            "Message-ID: <Campaign-%d@MX.Pills.Example>\r\n"
            "Date: %s\r\n"
            "Received: from laptop ([10.1.2.3]) by mx.pills.example with ESMTPA id Q%d;\r\n"
            "\tMon, 1 Jan 2024 00:00:00 +0000\r\n"
            "Received: from mx.pills.example (mx.pills.example [8.8.4.4]) by relay.example with ESMTP id R%d;\r\n"
            "\tMon, 1 Jan 2024 00:00:01 +0000\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/html; charset=utf-8\r\n\r\n%s\r\n"
            % (base64.b64encode("Dr. Späm".encode()).decode(), name.lower(), DOMAIN, name, n,
               email.utils.formatdate(usegmt=True), n, n, html)).encode()


class ForensicsTest(ServerTest):
    def send(self, raw, sender="sales@pills.example", rcpt=None):
        s = smtplib.SMTP("127.0.0.1", self.server.port, timeout=30)
        s.sendmail(sender, [rcpt or "x@" + DOMAIN], raw)
        s.quit()

    def test_numeric_and_escaped_hosts_are_the_addresses_and_names_they_stand_for(self):
        # Phishers write an address as one number, in hex or octal, or percent-escape a name:
        # browsers read them as the address or the name, and so do the report and the exports.
        self.send(b"Subject: numbers\r\nContent-Type: text/html\r\n\r\n"
                  b"<a href=\"http://2742879943/login\">a</a> <a href=\"http://0xA3.0x7B.1.2/x\">b</a> "
                  b"<a href=\"http://%62%61%6e%6b.example/\">c</a>\r\n")
        self.server.wait_indexed(1)
        msg = self.server.search("--subject", "numbers")[0]
        shown = json.loads(self.server.cli("show", msg["id"]).stdout)
        self.assertEqual([(u["url"], u["host"]) for u in shown["urls"]],
                         [("http://2742879943/login", "163.125.6.199"), ("http://0xa3.0x7b.1.2/x", "163.123.1.2"),
                          ("http://%62%61%6e%6b.example/", "bank.example")])
        rows = json.loads(self.server.cli("report", "url-domains", "--format", "json").stdout)
        self.assertEqual(sorted(r["url_domain"] for r in rows), ["163.123.1.2", "163.125.6.199", "bank.example"])
        listed = self.server.cli("export", "plain", "--what", "url-domains", "--min-hits", "1").stdout.split()
        self.assertEqual(sorted(listed), [b"163.123.1.2", b"163.125.6.199", b"bank.example"])
        self.assertEqual(len(self.server.search("--url-host", "163.125.6.199")), 1)

    def test_campaign_urls_attachments_hops_search_show_report_and_reindex(self):
        for i, name in enumerate(["Anna", "Bert", "Carla"]):
            self.send(campaign_letter(name, i + 1))
        # swaks sends the malware-ish one: a GIF named like an invoice.
        with tempfile.NamedTemporaryFile("wb", suffix=".pdf", delete=False) as f:
            f.write(GIF)
            path = f.name
        self.addCleanup(os.unlink, path)
        p = subprocess.run(["swaks", "--server", "127.0.0.1", "--port", str(self.server.port),
                            "--from", "billing@invoices.example", "--to", "acct@" + DOMAIN,
                            "--header", "Subject: Your invoice",
                            "--body", "See attached, or visit www.invoices.example/pay now.",
                            "--attach-type", "application/pdf", "--attach-name", "invoice.pdf",
                            "--attach", "@" + path],
                           capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.server.wait_indexed(4)

        rows = self.server.search("--subject", "grüße FÜR")  # ASCII case folds, the rest as sent
        self.assertEqual(rows, [])
        rows = self.server.search("--subject", "Grüße für")
        self.assertEqual(len(rows), 3)
        m = rows[0]
        self.assertEqual(m["from"]["name"], "Dr. Späm")
        self.assertEqual(m["from"]["address"], "sales@pills.example")
        self.assertEqual(m["message_id"], "<Campaign-3@mx.pills.example>")
        self.assertEqual(m["message_id_raw"], "<Campaign-3@MX.Pills.Example>")
        self.assertRegex(m["date_utc"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(m["date_problems"], [])
        self.assertEqual([h["from_ip"] for h in m["received"]], ["10.1.2.3", "8.8.4.4"])
        self.assertEqual(m["first_external_ip"], "8.8.4.4")
        self.assertEqual([(u["url"], u["source"]) for u in m["urls"]],
                         [("https://shop.pills.example/buy?u=3", "href"), ("http://cdn.pills.example/t.gif", "src")])
        self.assertEqual({r["campaign"] for r in rows}, {rows[-1]["id"]})  # the first names the campaign

        self.assertEqual(len(self.server.search("--url-host", "pills.example")), 3)
        self.assertEqual(len(self.server.search("--url-host", "cdn.pills.example")), 3)
        self.assertEqual(self.server.search("--url-host", "other.example"), [])
        self.assertEqual([r["message_id"] for r in self.server.search("--message-id", "Campaign-2@mx.PILLS.example")],
                         ["<Campaign-2@mx.pills.example>"])
        self.assertEqual(len(self.server.search("--campaign", rows[-1]["id"])), 3)

        inv = self.server.search("--subject", "your INVOICE")
        self.assertEqual(len(inv), 1)
        self.assertEqual(self.server.search("--message-id", inv[0]["message_id"]), inv)
        att = inv[0]["attachments"]
        self.assertEqual(len(att), 1)
        self.assertEqual(att[0]["name"], "invoice.pdf")
        self.assertEqual(att[0]["type"], "application/pdf")
        self.assertEqual(att[0]["sniffed_type"], "image/gif")
        self.assertEqual(att[0]["size"], len(GIF))
        for algo in ("md5", "sha1", "sha256"):
            digest = hashlib.new(algo, GIF).hexdigest()
            self.assertEqual(att[0][algo], digest)
            self.assertEqual([r["id"] for r in self.server.search("--attachment-hash", digest.upper())],
                             [inv[0]["id"]])
        self.assertEqual([u["url"] for u in inv[0]["urls"]], ["http://www.invoices.example/pay"])
        bad = self.server.cli("search", "--attachment-hash", "xyz", check=False)
        self.assertEqual(bad.returncode, 2)
        self.assertIn(b"--attachment-hash", bad.stderr)

        shown = self.server.cli("show", m["id"]).stdout.decode()
        self.assertIn('"name": "Subject"', shown)
        self.assertIn("=?iso-8859-1?Q?Gr=FC=DFe_f=FCr?=", shown)  # the raw text beside the decoded
        self.assertIn('"by_name": "relay.example"', shown)

        import json
        report = json.loads(self.server.cli("report", "campaigns", "--format", "json").stdout)
        groups = report["campaigns"] if isinstance(report, dict) else report
        self.assertEqual(len(groups), 1)
        self.assertEqual(groups[0]["messages"], 3)
        self.assertEqual(groups[0]["ips"], 1)
        self.assertEqual(groups[0]["senders"], 1)
        self.assertEqual(groups[0]["subject"], "Grüße für Anna")
        table = self.server.cli("report", "campaigns", "--min-size", "1").stdout.decode()
        self.assertIn("Your invoice", table)

        before = self.server.search()
        self.assertEqual(self.server.stop(), 0)
        self.server.cli("reindex")
        self.assertEqual(self.server.search(), before)  # re-parsed from the spool, same reading

    def test_broken_messages_are_stored_with_their_problems(self):
        broken = [
            b"Subject: no boundary\r\nContent-Type: multipart/mixed\r\n\r\n--x\r\nhi\r\n",
            b"Subject: unterminated\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
            b"Content-Type: text/plain\r\n\r\nhttp://cut.example/\r\n",
            b"Subject: 8bit \xe9t\xe9\r\nFrom: J\xfcrgen <j@x.example>\r\n\r\nbody\r\n",
            b"Subject: nul\r\n\r\nbefore\x00after http://after-nul.example/\r\n",
            b"Subject: deep\r\n" + b"".join(b"Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n" % (i, i)
                                           for i in range(3000)) + b"Content-Type: text/plain\r\n\r\nx\r\n",
        ]
        for raw in broken:
            self.send(raw)
        self.server.wait_indexed(len(broken))
        self.assertEqual(self.server.count("message_details"), len(broken))
        by_subject = {m["subject"]: m for m in self.server.search()}
        self.assertIn("multipart_without_boundary", by_subject["no boundary"]["problems"])
        self.assertIn("truncated_message", by_subject["unterminated"]["problems"])
        self.assertEqual(by_subject["unterminated"]["urls"][0]["host"], "cut.example")
        self.assertEqual(by_subject["8bit été"]["from"]["name"], "Jürgen")
        self.assertIn("unencoded_8bit_header", by_subject["8bit été"]["problems"])
        self.assertEqual(by_subject["nul"]["urls"][0]["host"], "after-nul.example")
        self.assertTrue({"depth_limit", "mime_nesting_overflow"} & set(by_subject["deep"]["problems"]))
        # The worker is still there.
        self.send(b"Subject: after\r\n\r\nstill here\r\n")
        self.server.wait_indexed(len(broken) + 1)

    def test_the_corpus_through_smtp_reads_as_the_references_say(self):
        files = sorted(glob.glob(os.path.join(DATA, "eml", "*", "*.eml")))
        want = {}
        s = None
        for i, path in enumerate(files):
            if i % 50 == 0:
                if s:
                    s.quit()
                s = smtplib.SMTP("127.0.0.1", self.server.port, timeout=30)
            with open(path, "rb") as f:
                raw = f.read()
            s.sendmail("corpus@bad.example", ["c@" + DOMAIN], raw)
            want[hashlib.sha256(raw if raw.endswith(b"\r\n") else raw + b"\r\n").hexdigest()] = path
        s.quit()
        self.server.wait_indexed(len(files))
        self.assertEqual(self.server.count("message_details"), len(files))
        checked = 0
        for m in self.server.search():
            path = want[m["sha256"]]
            rel = os.path.relpath(path, os.path.join(DATA, "eml"))
            with open(os.path.join(DATA, "eml-expected", rel + ".txt"), encoding="utf-8") as f:
                ref = dict(line.rstrip("\n").split(": ", 1) for line in f
                           if line.split(": ", 1)[0] in ("subject", "from", "message-id", "date-utc")
                           and ": " in line)
            self.assertEqual(escape(m["subject"]), ref.get("subject", ""), rel)
            self.assertEqual(escape(m["from"]["address"]), ref.get("from", ""), rel)
            self.assertEqual(escape(m["message_id"]), ref.get("message-id", ""), rel)
            self.assertEqual(m["date_utc"] or "-", ref.get("date-utc", "-"), rel)
            checked += 1
        self.assertEqual(checked, len(files))


if __name__ == "__main__":
    main()
