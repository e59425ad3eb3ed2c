"""Reports and exports over a store filled through real SMTP sessions, each export checked by the
program that consumes it: postmap, spamassassin --lint, rbldnsd + dig, nft -c, ipset restore (in
a network namespace of its own), and STIX 2.1's required structure."""
import json
import os
import re
import shutil
import smtplib
import socket
import subprocess
import tempfile
import time
import unittest

from harness import BIN, Server, main

TRAP = "trap.example"
# Loopback sources: the spammers of this test.
SPAMMERS = {
    "127.0.0.21": ("alice@spam-one.example", 3),
    "127.0.0.22": ("bob@mail.spam-two.co.uk", 2),
    "127.0.0.23": ("carol@spam-one.example", 1),
}


def send(source, sender, n, rcpt="harvested@" + TRAP, subject="cheap pills", port=None):
    with smtplib.SMTP("127.0.0.1", port, source_address=(source, 0), timeout=20) as s:
        s.ehlo("bot-%s.example" % source.split(".")[-1])
        for i in range(n):
            s.sendmail(sender, [rcpt], "From: %s\r\nSubject: %s\r\nMessage-ID: <%s.%d@x>\r\n\r\n"
                       "buy at https://Shop.Spam-Pills.example/x\r\n" % (sender, subject, source, i))


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, timeout=60, **kw)


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HarvestTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(extra_args=(), config='auth_capture = true\n[[trap]]\ndomain = "%s"\n'
                            'registered = 2026-01-01T00:00:00Z\n' % TRAP)
        cls.server.start()
        port = cls.server.port
        for ip, (sender, n) in SPAMMERS.items():
            send(ip, sender, n, port=port)
        # A second trap address, a relay attempt and an AUTH attempt from .21.
        send("127.0.0.21", "alice@spam-one.example", 1, rcpt="other@" + TRAP, subject="again", port=port)
        with smtplib.SMTP("127.0.0.1", port, source_address=("127.0.0.21", 0), timeout=20) as s:
            s.ehlo("bot-21.example")
            try:
                s.login("admin", "hunter2")
            except smtplib.SMTPAuthenticationError:
                pass
            s.mail("alice@spam-one.example")
            code, _ = s.rcpt("victim@elsewhere.example")
            assert code == 554, code
        cls.server.wait_indexed(7)
        cls.server.wait_indexed(5, table="sessions")
        cls.tmp = tempfile.mkdtemp(prefix="spampot-harvest-")

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def cli(self, *args, check=True):
        return self.server.cli(*args, check=check)

    def report(self, name, *args):
        return json.loads(self.cli("report", name, "--format", "json", *args).stdout)

    def export(self, fmt, *args):
        return self.cli("export", fmt, "--expire-after", "0", "--aggregate-v4", "0", *args).stdout.decode()

    # --- reports -----------------------------------------------------------------------------
    def test_summary_counts_what_was_sent(self):
        rows = {r["metric"]: r["value"] for r in self.report("summary")}
        self.assertEqual(rows["messages"], 7)
        self.assertEqual(rows["sessions"], 5)
        self.assertEqual(rows["unique client IPs"], 3)
        self.assertEqual(rows["unique senders"], 3)
        self.assertEqual(rows["unique sender domains"], 2)  # mail.spam-two.co.uk counts as spam-two.co.uk
        self.assertEqual(rows["trap addresses hit"], 2)
        self.assertEqual(rows["sessions trying to relay"], 1)
        self.assertEqual(rows["AUTH attempts"], 2)  # smtplib tries each mechanism offered: PLAIN, then LOGIN
        self.assertEqual(rows["messages to " + TRAP], 7)

    def test_top_lists_and_their_order(self):
        ips = self.report("ips")
        self.assertEqual([r["ip"] for r in ips], ["127.0.0.21", "127.0.0.22", "127.0.0.23"])
        self.assertEqual(ips[0]["messages"], 4)
        self.assertEqual(ips[0]["sessions"], 3)
        domains = self.report("domains")
        self.assertEqual([(r["domain"], r["messages"]) for r in domains],
                         [("spam-one.example", 5), ("spam-two.co.uk", 2)])
        senders = self.report("senders", "--limit", "1")
        self.assertEqual(senders[0]["sender"], "alice@spam-one.example")
        self.assertEqual(len(senders), 1)
        rcpts = self.report("recipients", "--domain", TRAP)
        self.assertEqual([(r["recipient"], r["messages"]) for r in rcpts],
                         [("harvested@" + TRAP, 6), ("other@" + TRAP, 1)])
        subjects = self.report("subjects")
        self.assertEqual(subjects[0], dict(subjects[0], subject="cheap pills", messages=6))
        # A window that ends before anything arrived holds nothing.
        self.assertEqual(self.report("ips", "--until", "2026-01-01"), [])

    def test_histograms_draw_bars(self):
        daily = self.report("daily")
        self.assertEqual(sum(r["messages"] for r in daily), 7)
        table = self.cli("report", "hourly").stdout.decode()
        self.assertRegex(table, r"(?m)^\d{4}-\d\d-\d\dT\d\d:00:00Z +\d+ +\d+ +\d+ +\d+  #{40}$")

    def test_first_spam_measures_from_registration(self):
        row = self.report("first-spam")[0]
        self.assertEqual(row["trap_domain"], TRAP)
        self.assertEqual(row["registered"], "2026-01-01T00:00:00Z")
        self.assertEqual(row["messages"], 7)
        self.assertGreater(row["hours_to_first_message"], 24 * 300)
        self.assertGreaterEqual(row["hours_to_first_message"], row["hours_to_first_connection"])
        self.assertEqual(row["message_100"], "")  # fewer than 100 messages so far

    def test_auth_report_keeps_credentials_exactly(self):
        out = json.loads(self.cli("report", "auth", "--format", "json").stdout)
        self.assertEqual(out["pairs"][0]["username"], "admin")
        self.assertEqual(out["pairs"][0]["password"], "hunter2")

    def test_bad_report_and_export_requests_are_usage_errors(self):
        self.assertEqual(self.cli("report", "nonsense", check=False).returncode, 2)
        self.assertEqual(self.cli("report", "ips", "--since", "yesterday-ish", check=False).returncode, 2)
        self.assertEqual(self.cli("export", "pdf", check=False).returncode, 2)
        bad = self.cli("export", "rbldnsd", "--what", "senders", check=False)
        self.assertEqual(bad.returncode, 2)
        self.assertIn(b"not e-mail addresses", bad.stderr)
        for fmt in ("postfix", "sendmail", "nft", "ipset"):
            bad = self.cli("export", fmt, "--what", "url-domains", check=False)
            self.assertEqual(bad.returncode, 2, fmt)

    def test_url_domains_are_harvested_reported_and_exported(self):
        top = self.report("url-domains")
        rows = top["url-domains"] if isinstance(top, dict) else top
        self.assertEqual([(r["url_domain"], r["messages"]) for r in rows], [("spam-pills.example", 7)])
        zone = self.export("rbldnsd", "--what", "url-domains")
        self.assertIn(".spam-pills.example :127.0.0.2:Listed by spampot", zone)
        self.assertEqual(self.export("plain", "--what", "url-domains").split(), ["spam-pills.example"])

    # --- the listing policy ------------------------------------------------------------------
    def test_policy_thresholds_exclusions_and_aggregation(self):
        self.assertEqual(self.export("plain", "--min-hits", "2").split(), ["127.0.0.21", "127.0.0.22"])
        excl = os.path.join(self.tmp, "never.txt")
        with open(excl, "w") as f:
            f.write("# our own\n127.0.0.22/32\n@spam-one.example\n")
        self.assertEqual(self.export("plain", "--exclude", excl).split(), ["127.0.0.21", "127.0.0.23"])
        self.assertEqual(self.export("plain", "--what", "senders", "--exclude", excl).split(),
                         ["bob@mail.spam-two.co.uk"])
        agg = self.cli("export", "plain", "--expire-after", "0", "--aggregate-v4", "3").stdout.decode()
        self.assertEqual(agg.split(), ["127.0.0.0/24"])
        # Everything was seen today: a one-day expiry keeps it, --since tomorrow drops it.
        self.assertEqual(len(self.cli("export", "plain", "--expire-after", "1").stdout.split()), 3)
        with open(excl, "w") as f:
            f.write("not an entry at all\n")
        bad = self.cli("export", "plain", "--exclude", excl, check=False)
        self.assertEqual(bad.returncode, 1)
        self.assertIn(b"never.txt:1:", bad.stderr)

    def test_listing_changes_are_audited(self):
        out = os.path.join(self.tmp, "audit.txt")
        self.cli("export", "plain", "--list", "audit", "--output", out, "--expire-after", "0")
        with open(out) as f:
            self.assertEqual(len(f.read().split()), 3)
        self.cli("export", "plain", "--list", "audit", "--output", out, "--expire-after", "0", "--min-hits", "2")
        trail = [r for r in self.report("listings") if r["list"] == "audit"]
        added = sorted(r["entry"] for r in trail if r["action"] == "added")
        removed = [r for r in trail if r["action"] == "removed"]
        self.assertEqual(added, ["127.0.0.21", "127.0.0.22", "127.0.0.23"])
        self.assertEqual([r["entry"] for r in removed], ["127.0.0.23"])
        self.assertEqual(removed[0]["reason"], "no longer meets the listing policy")
        self.assertIn("messages", trail[0]["reason"])

    # --- each format against its consumer ----------------------------------------------------
    def test_postfix_maps_answer_through_postmap(self):
        conf = os.path.join(self.tmp, "postfix")
        os.makedirs(conf, exist_ok=True)
        open(os.path.join(conf, "main.cf"), "w").close()
        cidr = os.path.join(conf, "clients.cidr")
        with open(cidr, "w") as f:
            f.write(self.export("postfix"))
        hit = run(["postmap", "-c", conf, "-q", "127.0.0.21", "cidr:" + cidr])
        self.assertEqual(hit.returncode, 0, hit.stderr)
        self.assertTrue(hit.stdout.startswith(b"REJECT Listed by spampot"), hit.stdout)
        self.assertEqual(run(["postmap", "-c", conf, "-q", "127.0.0.99", "cidr:" + cidr]).returncode, 1)
        for what, key in (("senders", "alice@spam-one.example"), ("domains", "spam-two.co.uk")):
            src = os.path.join(conf, what)
            with open(src, "w") as f:
                f.write(self.export("postfix", "--what", what))
            built = run(["postmap", "-c", conf, "hash:" + src])
            self.assertEqual(built.returncode, 0, built.stderr)
            hit = run(["postmap", "-c", conf, "-q", key, "hash:" + src])
            self.assertEqual(hit.returncode, 0, (what, hit.stderr))
            self.assertIn(b"REJECT", hit.stdout)
            self.assertEqual(run(["postmap", "-c", conf, "-q", "nobody@good.example", "hash:" + src]).returncode, 1)

    def test_sendmail_access_lines(self):
        # sendmail's makemap cannot be installed beside Postfix (both are the system MTA): the
        # lines are checked against the access database's documented syntax instead.
        ips = self.export("sendmail").splitlines()
        self.assertIn("Connect:127.0.0.21\tERROR:5.7.1:550 Listed by spampot", ips)
        net = self.cli("export", "sendmail", "--expire-after", "0", "--aggregate-v4", "2").stdout.decode()
        self.assertIn("Connect:127.0.0\tERROR:5.7.1:550 Listed by spampot", net.splitlines())
        senders = self.export("sendmail", "--what", "senders").splitlines()
        self.assertIn("From:alice@spam-one.example\tERROR:5.7.1:550 Listed by spampot", senders)
        for line in ips + senders:
            self.assertRegex(line, r"^(#.*|(Connect|From):\S+\tERROR:5\.7\.1:550 [ -~]+)$")

    def test_spamassassin_lints_the_rules(self):
        site = os.path.join(self.tmp, "sa")
        os.makedirs(site, exist_ok=True)
        for pre in os.listdir("/etc/spamassassin"):  # the plugin loaders lint needs beside our rules
            if pre.endswith(".pre"):
                shutil.copy(os.path.join("/etc/spamassassin", pre), site)
        rules = os.path.join(site, "spampot.cf")
        with open(rules, "w") as f:
            f.write(self.export("spamassassin", "--what", "senders") + self.export("spamassassin", "--what", "domains")
                    + self.export("spamassassin", "--what", "url-domains"))
        with open(rules) as f:
            text = f.read()
        self.assertIn("blocklist_uri_host spam-pills.example\n", text)
        self.assertIn("blocklist_from alice@spam-one.example\n", text)
        self.assertIn("blocklist_from *@spam-two.co.uk\n", text)
        lint = run(["spamassassin", "--lint", "--siteconfigpath", site])
        self.assertEqual(lint.returncode, 0, lint.stderr.decode(errors="replace")[-2000:])
        # The check can fail: a misspelt directive is refused by the same lint.
        with open(rules, "a") as f:
            f.write("blocklist_frm nobody@example.com\n")
        self.assertNotEqual(run(["spamassassin", "--lint", "--siteconfigpath", site]).returncode, 0)

    def test_rbldnsd_serves_the_zones_and_follows_every(self):
        zdir = os.path.join(self.tmp, "zones")
        os.makedirs(zdir, exist_ok=True)
        ipzone, domzone = os.path.join(zdir, "ips"), os.path.join(zdir, "domains")
        self.cli("export", "rbldnsd", "--expire-after", "0", "--aggregate-v4", "0", "--output", ipzone)
        self.cli("export", "rbldnsd", "--what", "domains", "--expire-after", "0", "--output", domzone)
        # --every is watched on a trap of its own, so this test's new spammer stays out of the others.
        live = Server(extra_args=("--domain", TRAP)).start()
        livezone = os.path.join(zdir, "live")
        live.cli("export", "rbldnsd", "--output", livezone)
        port = free_udp_port()
        dns = subprocess.Popen(["rbldnsd", "-n", "-f", "-q", "-c", "1", "-b", "127.0.0.1/%d" % port, "-r", zdir,
                                "bl.spampot.test:ip4set:ips", "dbl.spampot.test:dnset:domains",
                                "live.spampot.test:ip4set:live"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        every = None
        try:
            def dig(name, qtype="A"):
                p = run(["dig", "@127.0.0.1", "-p", str(port), "+time=2", "+tries=3", name, qtype])
                status = re.search(rb"status: (\w+)", p.stdout)
                answers = re.findall(rb"(?m)^[^;\s]\S*\s+\d+\s+IN\s+%s\s+(.+)$" % qtype.encode(), p.stdout)
                return (status.group(1).decode() if status else "none"), [a.decode() for a in answers]

            deadline = time.time() + 10
            while dig("21.0.0.127.bl.spampot.test")[0] != "NOERROR" and time.time() < deadline:
                time.sleep(0.2)
            self.assertEqual(dig("21.0.0.127.bl.spampot.test"), ("NOERROR", ["127.0.0.2"]))
            status, txt = dig("21.0.0.127.bl.spampot.test", "TXT")
            self.assertEqual(status, "NOERROR")
            self.assertIn("Listed by spampot", txt[0])
            self.assertEqual(dig("99.0.0.127.bl.spampot.test")[0], "NXDOMAIN")
            self.assertEqual(dig("spam-two.co.uk.dbl.spampot.test"), ("NOERROR", ["127.0.0.2"]))
            self.assertEqual(dig("www.spam-one.example.dbl.spampot.test"), ("NOERROR", ["127.0.0.2"]))
            self.assertEqual(dig("good.example.dbl.spampot.test")[0], "NXDOMAIN")

            # --every keeps the zone current: a new spammer is served without anyone re-exporting.
            self.assertEqual(dig("24.0.0.127.live.spampot.test")[0], "NXDOMAIN")
            every = subprocess.Popen([BIN, "export", "rbldnsd", "--config", live.config_path, "--db", live.db_url,
                                      "--output", livezone, "--every", "1s"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            send("127.0.0.24", "dave@spam-three.example", 1, port=live.port)
            deadline = time.time() + 30
            while dig("24.0.0.127.live.spampot.test")[0] != "NOERROR" and time.time() < deadline:
                time.sleep(0.3)
            self.assertEqual(dig("24.0.0.127.live.spampot.test"), ("NOERROR", ["127.0.0.2"]))
        finally:
            if every:
                every.terminate()
                self.assertEqual(every.wait(timeout=10), 0)
            # rbldnsd may be mid-reload of the live zone (-f forks to load it) when TERM comes: it
            # is given ten seconds, then killed; the zones were checked above.
            dns.terminate()
            try:
                dns.wait(timeout=10)
            except subprocess.TimeoutExpired:
                dns.kill()
                dns.wait(timeout=10)
            live.cleanup()

    def netns(self, probe, script, path):
        """Runs `script` in a network namespace of its own, so loading sets never touches the
        host's firewall. Skips the test where no namespace can be made or the kernel lacks the
        feature (`probe` fails there too): the format checks above still ran."""
        for prefix in (["unshare", "-n"], ["unshare", "-rn"]):
            if run(prefix + ["true"]).returncode != 0:
                continue
            if run(prefix + ["sh", "-c", probe]).returncode != 0:
                self.skipTest("the kernel here does not allow: " + probe)
            return run(prefix + ["sh", "-c", script, "sh", path])
        self.skipTest("no network namespace can be made here")

    def test_nft_accepts_the_sets(self):
        path = os.path.join(self.tmp, "spampot.nft")
        with open(path, "w") as f:
            f.write(self.cli("export", "nft", "--expire-after", "0", "--aggregate-v4", "2").stdout.decode())
        with open(path) as f:
            self.assertIn("127.0.0.0/24", f.read())
        p = self.netns("nft add table inet probe", 'nft -f "$1" && nft -f "$1" && nft list set inet spampot spampot_v4',
                       path)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(b"127.0.0.0/24", p.stdout)

    def test_ipset_restores_the_sets(self):
        path = os.path.join(self.tmp, "spampot.ipset")
        with open(path, "w") as f:
            f.write(self.export("ipset"))
        with open(path) as f:
            self.assertIn("add spampot_v4 127.0.0.21 -exist\n", f.read())
        p = self.netns("ipset create probe hash:ip",
                       'ipset restore -exist < "$1" && ipset restore -exist < "$1" && ipset test spampot_v4 127.0.0.21',
                       path)
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_stix_bundle_is_well_formed(self):
        bundle = json.loads(self.cli("export", "stix", "--expire-after", "30").stdout)
        self.assertEqual(bundle["type"], "bundle")
        self.assertRegex(bundle["id"], r"^bundle--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        identity = [o for o in bundle["objects"] if o["type"] == "identity"]
        indicators = [o for o in bundle["objects"] if o["type"] == "indicator"]
        self.assertEqual(len(identity), 1)
        self.assertEqual(len(indicators), 3)
        stamp = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"
        for ind in indicators:
            for key in ("spec_version", "id", "created", "modified", "pattern", "pattern_type", "valid_from"):
                self.assertIn(key, ind)
            self.assertEqual(ind["spec_version"], "2.1")
            self.assertEqual(ind["pattern_type"], "stix")
            self.assertEqual(ind["created_by_ref"], identity[0]["id"])
            self.assertRegex(ind["pattern"], r"^\[ipv4-addr:value = '127\.0\.0\.2[123]'\]$")
            for key in ("created", "modified", "valid_from", "valid_until"):
                self.assertRegex(ind[key], stamp)
            self.assertGreater(ind["valid_until"], ind["valid_from"])
        # Ids are stable across exports, so a platform updates an indicator instead of adding one.
        again = json.loads(self.cli("export", "stix", "--expire-after", "30").stdout)
        self.assertEqual(sorted(o["id"] for o in again["objects"]), sorted(o["id"] for o in bundle["objects"]))
        senders = json.loads(self.cli("export", "stix", "--what", "senders").stdout)
        self.assertIn("[email-addr:value = 'alice@spam-one.example']",
                      [o.get("pattern") for o in senders["objects"]])

    def test_csv_and_json_carry_counts_and_reasons(self):
        rows = json.loads(self.export("json"))
        self.assertEqual(rows["count"], 3)
        first = rows["entries"][0]
        self.assertEqual((first["entry"], first["messages"], first["sessions"]), ("127.0.0.21", 4, 3))
        self.assertIn("4 messages and 3 sessions on 1 day", first["reason"])
        csv = self.export("csv").splitlines()
        self.assertEqual(csv[0], "entry,network,first_seen,last_seen,messages,sessions,days,addresses,reason")
        self.assertTrue(csv[1].startswith("127.0.0.21,0,"))


if __name__ == "__main__":
    main()
