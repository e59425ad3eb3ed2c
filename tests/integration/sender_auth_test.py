"""SPF, DKIM and DMARC end to end against a real DNS server on loopback: dnsmasq publishes the
senders' SPF records (and their MX and A records), DKIM keys and DMARC records, a tiny server of
this test answers SERVFAIL for one domain; messages are signed by an independent signer
(python3-dkim, tests/scripts/make_dkim.py), some altered after signing;
swaks and smtplib send through a PROXY-protocol listener, as from behind a balancer, so the
client addresses the trap records are ones the records allow and deny (libspf2 passes every
loopback client: its local policy). No traffic goes to those addresses: they are text in the
PROXY header. Every RFC 7208 result is read back through search, show, report summary and the
console."""
import json
import os
import re
import shutil
import smtplib
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.request

from harness import DOMAIN, Server, free_udp, main, servfail_server

MAKE_DKIM = os.path.join(os.path.dirname(__file__), "..", "scripts", "make_dkim.py")

# domain: (TXT records, extra dnsmasq options)
RECORDS = {
    "allowed.example": ['v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all'],
    "soft.example": ['v=spf1 ip4:192.0.2.1 ~all'],
    "neutral.example": ['v=spf1 ?all'],
    "broken.example": ['v=spf1 ip4:192.0.2.1 frobnicate:x -all'],
    "mx.example": ['v=spf1 mx -all'],
    "helo.example": ['v=spf1 a -all'],
    "include.example": ['v=spf1 include:down.example -all'],
    "nospf.example": ['some-verification=1234'],
    "signed.example": ['v=spf1 ip4:192.0.2.0/24 -all'],
    "_dmarc.signed.example": ['v=DMARC1; p=reject'],
    "_dmarc.bank.example": ['v=DMARC1; p=reject; sp=quarantine'],
    "_dmarc.broken.example": ['v=DMARC1; p=bogus'],
}


class SenderAuthTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="spampot-auth-")
        cls.dkim = os.path.join(cls.tmp, "dkim")
        subprocess.run(["/usr/bin/python3", MAKE_DKIM, cls.dkim], check=True)
        with open(os.path.join(cls.dkim, "key.txt")) as f:
            key = f.read().strip()
        cls.stop_servfail = threading.Event()
        cls.servfail = free_udp()
        threading.Thread(target=servfail_server, args=(cls.servfail, cls.stop_servfail), daemon=True).start()
        options = ["--txt-record=%s,%s" % (d, t) for d, ts in RECORDS.items() for t in ts]
        # A 2048-bit key is longer than one TXT string: published as several, as operators do
        # (dnsmasq splits at commas; its arguments here meet no shell, so no quotes).
        options.append("--txt-record=sel._domainkey.signed.example," +
                       ",".join(key[i:i + 200] for i in range(0, len(key), 200)))
        options += ["--mx-host=mx.example,mail.mx.example,10", "--host-record=mail.mx.example,198.51.100.25",
                    "--host-record=helo.example,198.51.100.7",
                    # authoritative NXDOMAIN for everything else under example; down.example SERVFAILs
                    "--local=/example/", "--server=/down.example/127.0.0.1#%d" % cls.servfail.getsockname()[1]]
        for _ in range(5):
            probe = free_udp()
            cls.dns_port = probe.getsockname()[1]
            probe.close()
            cls.dnsmasq = subprocess.Popen(
                ["dnsmasq", "-k", "-p", str(cls.dns_port), "--listen-address=127.0.0.1", "--bind-interfaces",
                 "--no-resolv", "--no-hosts", "-u", "root", "--pid-file="] + options,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.time() + 10
            while time.time() < deadline and cls.dnsmasq.poll() is None:
                dig = subprocess.run(["dig", "+short", "+time=1", "+tries=1", "@127.0.0.1", "-p", str(cls.dns_port),
                                      "TXT", "allowed.example"], capture_output=True)
                if b"v=spf1" in dig.stdout:
                    break
                time.sleep(0.1)
            if cls.dnsmasq.poll() is None:
                break
        cls.server = Server(
            '[dns]\nservers = ["127.0.0.1:%d"]\ntimeout = "1s"\ntries = 1\nrate = 0\nptr = false\ncheck = false\n'
            '[web]\nlisten = "127.0.0.1:0"\n[[listener]]\naddress = "127.0.0.2:0"\nproxy_protocol = true\n'
            % cls.dns_port)
        cls.server.start()
        cls.proxy_port = int(re.findall(r"listening on 127\.0\.0\.2:(\d+)", cls.server.read_log().decode())[-1])

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()
        cls.stop_servfail.set()
        cls.dnsmasq.terminate()
        cls.dnsmasq.wait()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def send(self, sender, client, helo="bot.example", raw=None):
        family = "TCP6" if ":" in client else "TCP4"
        dest = "2001:db8::25" if ":" in client else "192.0.2.25"

        class Proxied(smtplib.SMTP):
            def _get_socket(self, host, port, timeout):
                sock = socket.create_connection((host, port), timeout)
                sock.sendall(("PROXY %s %s %s 40000 25\r\n" % (family, client, dest)).encode())
                return sock

        with Proxied("127.0.0.2", self.proxy_port, local_hostname=helo, timeout=20) as s:
            s.sendmail(sender, ["x@" + DOMAIN], raw or b"Subject: spf " + sender.encode() + b"\r\n\r\nx\r\n")

    def verdict(self, sender, mechanism="spf"):
        deadline = time.time() + 30
        while time.time() < deadline:
            got = [m for m in self.server.search("--limit", "0") if m["mail_from"] == sender]
            if got and got[0]["spf"]:
                return got[0][mechanism]
            time.sleep(0.1)
        raise AssertionError("no verdict for " + sender)

    def spf_of(self, sender):
        return self.verdict(sender)

    def signed(self, name):
        with open(os.path.join(self.dkim, name), "rb") as f:
            return f.read()

    def test_dkim_and_dmarc_through_search_show_spoofed_summary_and_console(self):
        cases = [  # envelope sender, client, message, DKIM, DMARC
            ("news1@signed.example", "192.0.2.1", "signed.eml", "pass", "pass"),
            ("news2@signed.example", "198.51.100.1", "signed_lf.eml", "pass", "pass"),  # bare LF; DKIM aligns
            ("news3@signed.example", "198.51.100.1", "body_altered.eml", "fail", "fail"),
            ("news4@signed.example", "192.0.2.1", "header_altered.eml", "fail", "pass"),  # SPF aligns
            ("news5@signed.example", "198.51.100.1", "nokey.eml", "permerror", "fail"),
            ("news6@signed.example", "192.0.2.1", "unsigned.eml", "none", "pass"),
            ("bounce@mailer.example", "198.51.100.2", "other_domain.eml", "pass", "fail"),  # a bank's name
            ("bounce@mailer.example", "198.51.100.3", "other_domain.eml", "pass", "fail"),
        ]
        for sender, client, name, _, _ in cases:
            self.send(sender, client, raw=self.signed(name))
        extra = [  # From domain, DMARC
            ("alerts@secure.bank.example", "fail"),  # a subdomain: the bank's sp=
            ("x@down.example", "temperror"),
            ("x@broken.example", "permerror"),
            ("x@norecord.example", "none"),
        ]
        for n, (frm, _) in enumerate(extra):
            self.send("e%d@mailer.example" % n, "198.51.100.4",
                      raw=("From: <%s>\r\nSubject: extra %d\r\n\r\nx\r\n" % (frm, n)).encode())
        for sender, _, _, _, _ in cases:
            self.verdict(sender)
        rows = {(m["mail_from"], m["client_ip"]): m for m in self.server.search("--limit", "0")}
        for sender, client, name, dkim_want, dmarc_want in cases:
            m = rows[(sender, client)]
            self.assertEqual((m["dkim"]["result"], m["dmarc"]["result"]), (dkim_want, dmarc_want), (sender, name, m["dkim"], m["dmarc"]))
        for n, (frm, want) in enumerate(extra):
            self.assertEqual(self.verdict("e%d@mailer.example" % n, "dmarc")["result"], want, frm)
        self.assertEqual(self.verdict("e0@mailer.example", "dmarc")["policy"], "quarantine")

        good = rows[("news1@signed.example", "192.0.2.1")]
        self.assertEqual(good["dkim"]["signatures"], [{"domain": "signed.example", "selector": "sel", "result": "pass",
                                                       "error": ""}])
        self.assertEqual(good["dmarc"], {"result": "pass", "policy": "reject", "from_domain": "signed.example",
                                         "aligned": ["dkim", "spf"]})
        altered = rows[("news3@signed.example", "198.51.100.1")]
        self.assertEqual(altered["dkim"]["signatures"][0]["error"], "body hash mismatch")

        def senders(*filters):
            return sorted(m["mail_from"] for m in self.server.search(*filters, "--limit", "0"))

        self.assertEqual(senders("--dkim", "fail"), ["news3@signed.example", "news4@signed.example"])
        self.assertEqual(senders("--dmarc", "fail", "--dkim", "pass"), ["bounce@mailer.example", "bounce@mailer.example"])
        p = self.server.cli("search", "--dmarc", "softfail", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("not a DMARC result", p.stderr.decode())

        spoofed = {r["from_domain"]: r for r in json.loads(self.server.cli("report", "spoofed", "--format", "json").stdout)}
        self.assertEqual((spoofed["bank.example"]["messages"], spoofed["bank.example"]["ips"],
                          spoofed["bank.example"]["policy"]), (2, 2, "reject"))
        self.assertEqual(spoofed["secure.bank.example"]["policy"], "quarantine")
        self.assertEqual(spoofed["signed.example"]["messages"], 2)
        self.assertEqual(list(spoofed)[0], "bank.example")  # most messages first
        summary = {r["metric"]: r["value"] for r in
                   json.loads(self.server.cli("report", "summary", "--format", "json").stdout)}
        self.assertGreaterEqual(summary["messages DKIM-evaluated"], 12)
        self.assertGreaterEqual(summary["DMARC fail"], 5)

        base = re.findall(r"console on (http://127\.0\.0\.1:\d+)/", self.server.read_log().decode())[-1]
        page = urllib.request.urlopen(base + "/message/" + good["id"], timeout=10).read().decode()
        self.assertIn("pass for signed.example (p=reject), aligned: dkim,spf", page)
        report = urllib.request.urlopen(base + "/reports/spoofed", timeout=10).read().decode()
        self.assertIn("bank.example", report)

    def test_every_result_through_search_show_summary_and_console(self):
        cases = [
            ("a@allowed.example", "192.0.2.1", "pass"),
            ("b@allowed.example", "198.51.100.9", "fail"),
            ("l@allowed.example", "2001:db8::77", "pass"),
            ("c@soft.example", "192.0.2.2", "softfail"),
            ("d@neutral.example", "192.0.2.2", "neutral"),
            ("e@nospf.example", "192.0.2.2", "none"),
            ("f@nxdomain.example", "192.0.2.2", "none"),
            ("g@broken.example", "192.0.2.1", "permerror"),
            ("h@down.example", "192.0.2.1", "temperror"),
            ("i@include.example", "192.0.2.1", "temperror"),
            ("j@mx.example", "198.51.100.25", "pass"),
            ("k@mx.example", "198.51.100.26", "fail"),
        ]
        for sender, source, _ in cases:
            self.send(sender, source)
        # swaks too, with the null sender: the HELO identity is checked.
        subprocess.run(["swaks", "--server", "127.0.0.2", "--port", str(self.proxy_port), "--proxy-version", "1",
                        "--proxy", "TCP4 198.51.100.7 192.0.2.25 40000 25", "--helo", "helo.example", "--from", "<>",
                        "--to", "x@" + DOMAIN, "--header", "Subject: bounce"], check=True, capture_output=True,
                        timeout=30)
        for sender, _, want in cases:
            self.assertEqual(self.spf_of(sender)["result"], want, sender)
        self.assertEqual(self.spf_of("a@allowed.example")["domain"], "allowed.example")
        bounce = self.spf_of("")
        self.assertEqual((bounce["result"], bounce["domain"], bounce["helo"]), ("pass", "helo.example", "pass"))

        mine = {c[0] for c in cases}  # the class's server also holds the DKIM test's messages

        def senders(result):
            return sorted(m["mail_from"] for m in self.server.search("--spf", result, "--limit", "0")
                          if m["mail_from"] in mine)

        self.assertEqual(senders("fail"), ["b@allowed.example", "k@mx.example"])
        self.assertEqual(senders("temperror"), ["h@down.example", "i@include.example"])
        p = self.server.cli("search", "--spf", "maybe", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("not an SPF result", p.stderr.decode())

        shown = json.loads(self.server.cli("show", self.server.search("--spf", "permerror", "--from",
                                                                       "g@broken.example")[0]["id"]).stdout)
        self.assertEqual(shown["spf"], {"result": "permerror", "domain": "broken.example", "helo": "none"})
        summary = {r["metric"]: r["value"] for r in
                   json.loads(self.server.cli("report", "summary", "--format", "json").stdout)}
        # The class's server is shared with the DKIM test: at least this test's messages.
        self.assertGreaterEqual(summary["messages SPF-evaluated"], 13)
        self.assertGreaterEqual(summary["SPF temperror"], 2)
        self.assertAlmostEqual(summary["SPF pass share (%)"], 100 * summary["SPF pass"] / summary["messages SPF-evaluated"])

        base = re.findall(r"console on (http://127\.0\.0\.1:\d+)/", self.server.read_log().decode())[-1]
        page = urllib.request.urlopen(base + "/message/" + shown["id"], timeout=10).read().decode()
        self.assertIn("permerror for broken.example", page)

        # The verdicts asked DNS at the time: a reindex rebuilds the rows from the spool and keeps
        # them (this test runs last; the server stays stopped).
        def verdicts():
            return sorted((m["id"], json.dumps([m["spf"], m["dkim"], m["dmarc"]], sort_keys=True))
                          for m in self.server.search("--limit", "0"))

        before = verdicts()
        self.server.stop()
        out = self.server.cli("reindex").stdout.decode()
        self.assertIn("kept the SPF, DKIM and DMARC verdicts of %d messages" % len(before), out)
        self.assertEqual(verdicts(), before)


if __name__ == "__main__":
    main()
