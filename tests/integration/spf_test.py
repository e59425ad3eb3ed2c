"""SPF end to end against a real DNS server on loopback: dnsmasq publishes the senders' SPF
records (and their MX and A records), a tiny server of this test answers SERVFAIL for one domain;
swaks and smtplib send through a PROXY-protocol listener, as from behind a balancer, so the
client addresses the trap records are ones the records allow and deny (libspf2 passes every
loopback client: its local policy). No traffic goes to those addresses: they are text in the
PROXY header. Every RFC 7208 result is read back through search, show, report summary and the
console."""
import json
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
}


class SpfTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="spampot-spf-")
        cls.stop_servfail = threading.Event()
        cls.servfail = free_udp()
        threading.Thread(target=servfail_server, args=(cls.servfail, cls.stop_servfail), daemon=True).start()
        options = ["--txt-record=%s,%s" % (d, t) for d, ts in RECORDS.items() for t in ts]
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

    def send(self, sender, client, helo="bot.example"):
        family = "TCP6" if ":" in client else "TCP4"
        dest = "2001:db8::25" if ":" in client else "192.0.2.25"

        class Proxied(smtplib.SMTP):
            def _get_socket(self, host, port, timeout):
                sock = socket.create_connection((host, port), timeout)
                sock.sendall(("PROXY %s %s %s 40000 25\r\n" % (family, client, dest)).encode())
                return sock

        with Proxied("127.0.0.2", self.proxy_port, local_hostname=helo, timeout=20) as s:
            s.sendmail(sender, ["x@" + DOMAIN], b"Subject: spf " + sender.encode() + b"\r\n\r\nx\r\n")

    def spf_of(self, sender):
        deadline = time.time() + 30
        while time.time() < deadline:
            got = [m for m in self.server.search("--limit", "0") if m["mail_from"] == sender]
            if got and got[0]["spf"]:
                return got[0]["spf"]
            time.sleep(0.1)
        raise AssertionError("no SPF verdict for " + sender)

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

        def senders(result):
            return sorted(m["mail_from"] for m in self.server.search("--spf", result, "--limit", "0"))

        self.assertEqual(senders("fail"), ["b@allowed.example", "k@mx.example"])
        self.assertEqual(senders("temperror"), ["h@down.example", "i@include.example"])
        p = self.server.cli("search", "--spf", "maybe", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("not an SPF result", p.stderr.decode())

        shown = json.loads(self.server.cli("show", self.server.search("--spf", "permerror")[0]["id"]).stdout)
        self.assertEqual(shown["spf"], {"result": "permerror", "domain": "broken.example", "helo": "none"})
        summary = {r["metric"]: r["value"] for r in
                   json.loads(self.server.cli("report", "summary", "--format", "json").stdout)}
        self.assertEqual(summary["messages SPF-evaluated"], 13)
        self.assertEqual(summary["SPF pass"], 4)
        self.assertEqual(summary["SPF temperror"], 2)
        self.assertAlmostEqual(summary["SPF pass share (%)"], 400 / 13)

        base = re.findall(r"console on (http://127\.0\.0\.1:\d+)/", self.server.read_log().decode())[-1]
        page = urllib.request.urlopen(base + "/message/" + shown["id"], timeout=10).read().decode()
        self.assertIn("permerror for broken.example", page)


if __name__ == "__main__":
    main()
