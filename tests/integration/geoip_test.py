"""Networks and countries end to end: the real server with [geoip] databases that MaxMind's own
writer made (tests/scripts/make_mmdb.pl), real clients (swaks, smtplib) from loopback addresses
those databases place in different ASes and countries, and search, show, report, the console,
import and reindex reading back what was looked up."""
import json
import os
import re
import shutil
import signal
import smtplib
import subprocess
import tempfile
import unittest
import urllib.request

from harness import BIN, DOMAIN, Server, main, wait_for

MAKE_MMDB = os.path.join(os.path.dirname(__file__), "..", "scripts", "make_mmdb.pl")

MAILLOG = """\
Nov 29 10:00:00 oldmx postfix/smtpd[123]: 6AB12C34DE5: client=unknown[127.0.0.9]
Nov 29 10:00:00 oldmx postfix/cleanup[124]: 6AB12C34DE5: message-id=<old-1@spam.example>
Nov 29 10:00:00 oldmx postfix/qmgr[125]: 6AB12C34DE5: from=<old@spam.example>, size=900, nrcpt=1 (queue active)
Nov 29 10:00:01 oldmx postfix/local[126]: 6AB12C34DE5: to=<x@trap.example>, relay=local, delay=1, status=sent (delivered)
"""


def send(port, sender, source="127.0.0.1", host="127.0.0.1", extra_headers=b""):
    with smtplib.SMTP(host, port, source_address=(source, 0), timeout=20) as s:
        s.sendmail(sender, ["x@" + DOMAIN], extra_headers + b"Subject: from " + sender.encode() + b"\r\n\r\nbody\r\n")


class GeoipTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dbs = tempfile.mkdtemp(prefix="spampot-mmdb-")
        subprocess.run(["perl", MAKE_MMDB, os.path.join(cls.dbs, "now")], check=True)
        subprocess.run(["perl", MAKE_MMDB, "--moved", os.path.join(cls.dbs, "moved")], check=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dbs, ignore_errors=True)

    def geoip(self, which="now", country="country.mmdb", asn="asn.mmdb"):
        d = os.path.join(self.dbs, which)
        return '[geoip]\ncountry_db = "%s"\nasn_db = "%s"\n' % (os.path.join(d, country), os.path.join(d, asn))

    def server(self, config):
        server = Server(config, extra_args=("--domain", DOMAIN, "--listen", "[::1]:0"))
        self.addCleanup(server.cleanup)
        return server

    def test_search_show_report_console_import_and_reindex(self):
        server = self.server(self.geoip() + '[web]\nlisten = "127.0.0.1:0"\n').start()
        log = server.read_log().decode()
        self.assertIn("networks from GeoLite2-Country", log)
        v6_port = int(log.split("listening on [::1]:")[1].split()[0])
        # swaks from 127.0.0.1: AS64501 in DE, twice.
        for n in range(2):
            subprocess.run(["swaks", "--server", "127.0.0.1", "--port", str(server.port), "--local-interface",
                            "127.0.0.1", "--from", "swaks%d@spam.example" % n, "--to", "x@" + DOMAIN,
                            "--header", "Subject: swaks %d" % n], check=True, capture_output=True, timeout=30)
        # AS64502 in BR: one message whose Received chain names an origin in AS64504 (NG), whose
        # organisation name is hostile, and one session from another address that sends nothing.
        send(server.port, "br@spam.example", source="127.0.1.5",
             extra_headers=b"Received: from bot ([45.0.3.4]) by relay.example with SMTP id 1;\r\n"
                           b"\tMon, 1 Jan 2024 00:00:00 +0000\r\n")
        with smtplib.SMTP("127.0.0.1", server.port, source_address=("127.0.1.6", 0), timeout=20) as s:
            s.ehlo("quiet.example")
            s.mail("quiet@spam.example")
            s.rcpt("x@" + DOMAIN)
        # IPv6 loopback: AS64503 in JP; 127.0.2.0/24: in no database.
        with smtplib.SMTP(timeout=20) as s:
            s.connect("::1", v6_port)
            s.sendmail("six@spam.example", ["x@" + DOMAIN], b"Subject: six\r\n\r\nx\r\n")
        send(server.port, "nowhere@spam.example", source="127.0.2.9")
        server.wait_indexed(5)
        server.wait_indexed(6, table="sessions")

        def senders(*filters):
            return sorted(m["mail_from"] for m in server.search(*filters))

        self.assertEqual(senders("--asn", "64501"), ["swaks0@spam.example", "swaks1@spam.example"])
        self.assertEqual(senders("--asn", "AS64502"), ["br@spam.example"])
        self.assertEqual(senders("--country", "jp"), ["six@spam.example"])
        self.assertEqual(senders("--country", "NG"), [])  # the Received origin is not the client
        self.assertEqual(senders("--country", "DE", "--asn", "64503"), [])
        for bad, why in ((("--country", "DEU"), "two-letter"), (("--asn", "AS"), "AS number"),
                         (("--asn", "-5"), "AS number")):
            p = server.cli("search", *bad, check=False)
            self.assertEqual(p.returncode, 2, p)
            self.assertIn(why, p.stderr.decode())

        by_from = {m["mail_from"]: m for m in server.search()}
        self.assertEqual(by_from["swaks0@spam.example"]["client_network"],
                         {"country": "DE", "asn": 64501, "as_org": "Trap Test Carrier One"})
        self.assertEqual(by_from["nowhere@spam.example"]["client_network"],
                         {"country": None, "asn": None, "as_org": None})
        # Without [dns] no sender is checked, and the fields say so rather than "none".
        self.assertEqual([by_from["swaks0@spam.example"][k] for k in ("spf", "dkim", "dmarc")], [None, None, None])
        shown = json.loads(server.cli("show", by_from["br@spam.example"]["id"]).stdout)
        self.assertEqual(shown["client_network"]["asn"], 64502)
        self.assertEqual(shown["first_external_ip"], "45.0.3.4")
        self.assertEqual(shown["first_external_network"],
                         {"country": "NG", "asn": 64504, "as_org": "Bulk Hosting <script>alert(1)</script> Ltd"})
        session = json.loads(server.cli("show", shown["session_id"]).stdout)
        self.assertEqual(session["client_network"], {"country": "BR", "asn": 64502, "as_org": "Rede de Teste Dois"})
        csv = server.cli("search", "--asn", "64503", "--format", "csv").stdout.decode().splitlines()
        self.assertTrue(csv[0].endswith(",country,asn"), csv[0])
        self.assertTrue(csv[1].endswith(",JP,64503"), csv[1])

        asns = {r["asn"]: r for r in json.loads(server.cli("report", "asns", "--format", "json").stdout)}
        self.assertEqual(sorted(asns), ["AS64501", "AS64502", "AS64503"])
        self.assertEqual((asns["AS64501"]["messages"], asns["AS64501"]["sessions"], asns["AS64501"]["ips"]), (2, 2, 1))
        self.assertEqual(asns["AS64501"]["organisation"], "Trap Test Carrier One")
        # Two sessions from two addresses, one of them without a message.
        self.assertEqual((asns["AS64502"]["messages"], asns["AS64502"]["sessions"], asns["AS64502"]["ips"]), (1, 2, 2))
        self.assertEqual(asns["AS64502"]["listed_ips"], 0)
        countries = [r["country"] for r in json.loads(server.cli("report", "countries", "--format", "json").stdout)]
        self.assertEqual(countries, ["DE", "BR", "JP"])  # most messages first
        self.assertEqual(json.loads(server.cli("report", "asns", "--since", "2099-01-01", "--format",
                                               "json").stdout), [])
        table = server.cli("report", "countries").stdout.decode()
        self.assertRegex(table, r"DE\s+2\s+2\s+1")

        # The console: the network on the message page, the report with the hostile name escaped.
        base = re.findall(r"console on (http://127\.0\.0\.1:\d+)/", server.read_log().decode())[-1]
        page = urllib.request.urlopen(base + "/message/" + by_from["br@spam.example"]["id"], timeout=10).read().decode()
        self.assertIn("AS64502 Rede de Teste Dois, BR", page)
        self.assertIn("45.0.3.4 (AS64504 Bulk Hosting &lt;script&gt;alert(1)&lt;/script&gt; Ltd, NG)", page)
        self.assertNotIn("<script>", page)
        report = urllib.request.urlopen(base + "/reports/asns", timeout=10).read().decode()
        self.assertIn("Trap Test Carrier One", report)
        listing = urllib.request.urlopen(base + "/messages?country=JP", timeout=10).read().decode()
        self.assertIn("six@spam.example", listing)
        self.assertNotIn("swaks0@spam.example", listing)

        # A maillog imported now is looked up too.
        with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as f:
            f.write(MAILLOG)
        self.addCleanup(os.unlink, f.name)
        server.cli("import", "--config", server.config_path, "--db", server.db_url, "--sensor", "it", f.name)
        self.assertEqual(senders("--asn", "64501"), ["old@spam.example", "swaks0@spam.example", "swaks1@spam.example"])

        # A database update, taken by SIGHUP: new rows get the new network, old ones keep theirs
        # until reindex. A reload naming a file that does not open keeps the databases in use.
        with open(server.config_path) as f:
            config = f.read()
        with open(server.config_path, "w") as f:
            f.write(config.replace(os.path.join(self.dbs, "now", "asn.mmdb"), os.path.join(self.dbs, "gone.mmdb")))
        server.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: b"keeping the old GeoIP databases" in server.read_log(), "the failed reload")
        send(server.port, "still@spam.example")
        server.wait_indexed(7)
        self.assertIn("still@spam.example", senders("--asn", "64501"))
        with open(server.config_path, "w") as f:
            f.write(config.replace(os.path.join(self.dbs, "now"), os.path.join(self.dbs, "moved")))
        server.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: b"reloaded: networks from" in server.read_log(), "the reload")
        send(server.port, "later@spam.example")
        server.wait_indexed(8)
        self.assertEqual(senders("--asn", "64510"), ["later@spam.example"])
        self.assertEqual(len(senders("--asn", "64501")), 4)
        server.stop()
        out = server.cli("reindex").stdout.decode()
        self.assertIn("reindexed 7 messages", out)
        self.assertEqual(senders("--asn", "64501"), [])
        self.assertEqual(senders("--asn", "64510"), ["later@spam.example", "old@spam.example", "still@spam.example",
                                                      "swaks0@spam.example", "swaks1@spam.example"])
        self.assertEqual(senders("--country", "FR"), senders("--asn", "64510"))
        asns = {r["asn"]: r for r in json.loads(server.cli("report", "asns", "--format", "json").stdout)}
        self.assertNotIn("AS64501", asns)
        self.assertEqual(asns["AS64510"]["messages"], 5)
        self.assertEqual(asns["AS64510"]["organisation"], "Moved Carrier SAS")

    def test_ipinfo_lite_one_file(self):
        server = self.server(self.geoip(country="ipinfo.mmdb", asn="ipinfo.mmdb")).start()
        send(server.port, "one@spam.example", source="127.0.1.7")
        server.wait_indexed(1)
        self.assertEqual(server.search()[0]["client_network"],
                         {"country": "BR", "asn": 64502, "as_org": "Rede de Teste Dois"})

    def test_a_database_that_cannot_be_read_stops_the_start(self):
        missing = os.path.join(self.dbs, "now", "GeoLite2-Country.mmdb")
        for config, named in ((self.geoip(country="nope.mmdb"), "nope.mmdb"),
                              (self.geoip(asn="../make_mmdb.pl"), "asn_db")):
            server = self.server(config)
            with self.assertRaises(RuntimeError) as e:
                server.start()
            self.assertIn(named, str(e.exception))
            self.assertNotEqual(server.proc.returncode, 0)
            check = subprocess.run([BIN, "config", "check", server.config_path], capture_output=True)
            self.assertEqual(check.returncode, 1)
            self.assertIn(named, check.stderr.decode())
        self.assertFalse(os.path.exists(missing))


if __name__ == "__main__":
    main()
