"""Reverse DNS and DNS-based lists against real DNS servers on loopback: rbldnsd serves the test
lists, dnsmasq the PTR and A records, and two tiny servers of this test answer SERVFAIL or
nothing at all. Mail comes from loopback addresses the lists name; the trap records PTR and
FCrDNS on the sessions, checks every new key while serving, keeps errors as errors, and the
lead-time report sees a listing that appears between two `spampot check` runs."""
import json
import os
import shutil
import signal
import smtplib
import subprocess
import tempfile
import threading
import time
import unittest

from harness import Server, free_udp, main, servfail_server

TRAP = "trap.example"


def port_of(sock):
    return sock.getsockname()[1]


def send(source, sender, rcpt, port):
    with smtplib.SMTP("127.0.0.1", port, source_address=(source, 0), timeout=20) as s:
        s.sendmail(sender, [rcpt], "From: %s\r\nSubject: hi\r\n\r\nbuy at http://www.%s/ or http://%s/\r\n"
                   % (sender, "pill-shop.example" if source.endswith(".21") else "harmless.example",
                      "127.0.0.77" if source.endswith(".21") else "127.0.0.78"))


def wait_for(fn, timeout=30, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        got = fn()
        if got:
            return got
        time.sleep(0.1)
    raise AssertionError("timed out waiting for " + what)


class DnsblTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="spampot-dnsbl-")
        os.chmod(cls.tmp, 0o755)  # rbldnsd reads its zones as its own unprivileged user
        # rbldnsd: the lists. later.test starts empty and lists 127.0.0.22 between two checks.
        with open(os.path.join(cls.tmp, "bl.zone"), "w") as f:
            f.write(":127.0.0.2:Listed for spam, see https://bl.test/lookup?ip=$\n127.0.0.21\n")
        with open(os.path.join(cls.tmp, "dbl.zone"), "w") as f:
            f.write(":127.0.1.2:spam domain $\nbulk-sender.example\n")
        with open(os.path.join(cls.tmp, "uri.zone"), "w") as f:  # a URI list (SURBL's shape)
            f.write(":127.0.0.4:linked from spam: $\npill-shop.example\n77.0.0.127\n")
        cls.later = os.path.join(cls.tmp, "later.zone")
        open(cls.later, "w").close()
        zones = ["bl.test:ip4set:bl.zone", "dbl.test:dnset:dbl.zone", "later.test:ip4set:later.zone",
                 "uri.test:dnset:uri.zone"]
        cls.rbl, cls.rbl_port = cls.start_server(lambda port: [
            "rbldnsd", "-n", "-c", "1", "-b", "127.0.0.1/%d" % port, "-r", cls.tmp] + zones)
        # dnsmasq: PTR and A records; authoritative for in-addr.arpa so a missing PTR is NXDOMAIN.
        cls.dnsmasq, cls.dns_port = cls.start_server(lambda port: [
            "dnsmasq", "-k", "-p", str(port), "--listen-address=127.0.0.1", "--bind-interfaces",
            "--no-resolv", "--no-hosts", "-u", "root", "--local=/in-addr.arpa/", "--pid-file=",
            "--host-record=bot-21.example,127.0.0.21", "--host-record=liar.example,127.0.0.99",
            "--ptr-record=22.0.0.127.in-addr.arpa,liar.example"])
        cls.stop = threading.Event()
        cls.servfail = free_udp()
        threading.Thread(target=servfail_server, args=(cls.servfail, cls.stop), daemon=True).start()
        cls.silent = free_udp()  # takes questions, answers none
        lists = (
            '[[dnsbl]]\nzone = "bl.test"\nkind = "ip"\nserver = "127.0.0.1:%(rbl)d"\n'
            'codes = { "127.0.0.2" = "spam source" }\n'
            '[[dnsbl]]\nzone = "dbl.test"\nkind = "domain"\nserver = "127.0.0.1:%(rbl)d"\n'
            '[[dnsbl]]\nzone = "uri.test"\nkind = "url"\nserver = "127.0.0.1:%(rbl)d"\n'
            '[[dnsbl]]\nzone = "later.test"\nkind = "ip"\nserver = "127.0.0.1:%(rbl)d"\n'
            '[[dnsbl]]\nzone = "servfail.test"\nkind = "ip"\nserver = "127.0.0.1:%(servfail)d"\n'
            '[[dnsbl]]\nzone = "slow.test"\nkind = "ip"\nserver = "127.0.0.1:%(silent)d"\n'
            % {"rbl": cls.rbl_port, "servfail": port_of(cls.servfail), "silent": port_of(cls.silent)})
        cls.server = Server(extra_args=(), config=(
            '[[trap]]\ndomain = "%s"\n[dns]\nservers = ["127.0.0.1:%d"]\ntimeout = "1s"\ntries = 1\n'
            'rate = 0\ncheck_interval = "1s"\nrecheck_after = "1h"\n[metrics]\nlisten = "127.0.0.1:0"\n'
            % (TRAP, cls.dns_port)) + lists)
        cls.server.start()
        port = cls.server.port
        send("127.0.0.21", "promo@bulk-sender.example", "a@" + TRAP, port)
        send("127.0.0.22", "x@clean-sender.example", "b@" + TRAP, port)
        send("127.0.0.23", "y@clean-sender.example", "c@" + TRAP, port)
        cls.server.wait_indexed(3, table="sessions")

    @classmethod
    def start_server(cls, command):
        """Starts a DNS server on a free port, and again on another should the port be taken
        between the probe and the bind; returns the process once it answers."""
        log = os.path.join(cls.tmp, "dns-server.log")
        for _ in range(5):
            probe = free_udp()
            port = port_of(probe)
            probe.close()
            with open(log, "ab") as out:
                proc = subprocess.Popen(command(port), stdout=out, stderr=out)
            deadline = time.time() + 20
            while time.time() < deadline and proc.poll() is None:
                dig = subprocess.run(["dig", "+time=1", "+tries=1", "@127.0.0.1", "-p", str(port),
                                      "-x", "127.0.0.21"], capture_output=True)
                if b"status:" in dig.stdout:
                    return proc, port
                time.sleep(0.1)
            proc.kill()
            proc.wait()
        with open(log, "rb") as f:
            raise AssertionError("no DNS server came up: " + f.read().decode(errors="replace")[-2000:])

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()
        cls.stop.set()
        for p in (cls.rbl, cls.dnsmasq):
            p.terminate()
            p.wait(timeout=10)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_6_metrics_count_dns_queries_answers_errors_and_cache_hits(self):
        wait_for(lambda: self.state("127.0.0.23", "slow.test"), what="the ingest checks")
        send("127.0.0.21", "again@bulk-sender.example", "d@" + TRAP, self.server.port)  # its PTR is cached
        self.server.wait_indexed(4, table="sessions")
        _, v = self.server.scrape()

        def get(name, **labels):
            return v.get((name, tuple(sorted(labels.items()))), 0.0)
        self.assertGreater(get("spampot_dns_queries_total"), 10)
        self.assertGreater(get("spampot_dns_answers_total", status="ok"), 0)
        self.assertGreater(get("spampot_dns_answers_total", status="nxdomain"), 0)
        self.assertGreater(get("spampot_dns_answers_total", status="servfail"), 0)
        self.assertGreater(get("spampot_dns_answers_total", status="timeout"), 0)
        self.assertGreater(get("spampot_dns_cache_hits_total"), 0)

    def state(self, entry, zone):
        rows = self.server.query(
            "SELECT first_answer, last_answer, first_listed_at, codes, meaning, txt, errors, last_error "
            "FROM dnsbl_state WHERE entry = ? AND list_zone = ?", (entry, zone))
        return rows[0] if rows else None

    def test_1_sessions_carry_ptr_and_fcrdns(self):
        rows = dict((r[0], r[1:]) for r in self.server.query(
            "SELECT client_ip, ptr, fcrdns, dns_error FROM sessions"))
        self.assertEqual(rows[b"127.0.0.21"], (b"bot-21.example", 1, b""))
        self.assertEqual(rows[b"127.0.0.22"], (b"liar.example", 0, b""))  # the name does not point back
        self.assertEqual(rows[b"127.0.0.23"], (b"", 0, b""))  # no PTR is an answer, not an error

    def test_2_new_keys_are_checked_while_serving(self):
        wait_for(lambda: self.state("127.0.0.23", "slow.test"), what="the ingest checks")
        first_answer, last, listed_at, codes, meaning, txt, errors, _ = self.state("127.0.0.21", "bl.test")
        self.assertEqual((first_answer, last, codes, meaning), (b"listed", b"listed", b"127.0.0.2", b"spam source"))
        self.assertEqual(txt, b"Listed for spam, see https://bl.test/lookup?ip=127.0.0.21")
        self.assertGreater(listed_at, 0)
        self.assertEqual(self.state("127.0.0.22", "bl.test")[:2], (b"clean", b"clean"))
        dom = wait_for(lambda: self.state("bulk-sender.example", "dbl.test"), what="the domain check")
        self.assertEqual(dom[:2], (b"listed", b"listed"))
        self.assertEqual(dom[5], b"spam domain bulk-sender.example")
        # The registrable domains of the URLs in messages go to the URI lists.
        uri = wait_for(lambda: self.state("pill-shop.example", "uri.test"), what="the URL domain check")
        self.assertEqual(uri[:2], (b"listed", b"listed"))
        self.assertEqual(uri[5], b"linked from spam: pill-shop.example")
        clean = wait_for(lambda: self.state("harmless.example", "uri.test"), what="the clean URL domain")
        self.assertEqual(clean[:2], (b"clean", b"clean"))
        # A link to a bare IP is asked reversed, as URI lists hold IPs.
        ip = wait_for(lambda: self.state("127.0.0.77", "uri.test"), what="the linked IP")
        self.assertEqual(ip[:2], (b"listed", b"listed"))
        self.assertEqual(wait_for(lambda: self.state("127.0.0.78", "uri.test"), what="the clean IP")[:2],
                         (b"clean", b"clean"))
        # SERVFAIL and silence are errors, never "not listed".
        for zone, why in (("servfail.test", b"SERVFAIL"), ("slow.test", b"timeout")):
            first_answer, last, listed_at, _, _, _, errors, last_error = self.state("127.0.0.21", zone)
            self.assertEqual((first_answer, last, listed_at), (b"", b"", 0), zone)
            self.assertGreaterEqual(errors, 1)
            self.assertIn(why, last_error)

    def test_3_show_and_search_carry_ptr_and_listings(self):
        wait_for(lambda: self.state("127.0.0.21", "slow.test"), what="the ingest checks")
        found = self.server.search("--ip", "127.0.0.21")
        self.assertEqual(len(found), 1)
        dns = found[0]["client_dns"]
        self.assertEqual((dns["ptr"], dns["fcrdns"]), ("bot-21.example", True))
        by_list = {l["list"]: l for l in dns["listings"]}
        self.assertEqual(by_list["bl.test"]["status"], "listed")
        self.assertEqual(by_list["bl.test"]["meaning"], "spam source")
        self.assertEqual(by_list["servfail.test"]["status"], "unanswered")
        shown = json.loads(self.server.cli("show", found[0]["id"]).stdout)
        self.assertEqual(shown["client_dns"]["ptr"], "bot-21.example")

    def test_4_lead_time_after_a_zone_changes_between_checks(self):
        wait_for(lambda: self.state("127.0.0.23", "later.test"), what="the first check")
        self.assertEqual(self.state("127.0.0.22", "later.test")[0], b"clean")
        time.sleep(1.0)  # a lead time the report can see
        with open(self.later, "w") as f:
            f.write(":127.0.0.2:listed later\n127.0.0.22\n")
        self.rbl.send_signal(signal.SIGHUP)  # rbldnsd reloads its zones
        wait_for(lambda: subprocess.run(["dig", "+short", "@127.0.0.1", "-p", str(self.rbl_port),
                                         "22.0.0.127.later.test"], capture_output=True).stdout.strip(),
                 what="rbldnsd to serve the new zone")
        out = self.server.cli("check", "--recheck-after", "0s", "--lists", "later.test").stdout.decode()
        self.assertRegex(out, r"checked \d+ entries against 1 lists: 1 listed")
        report = {r["list"]: r for r in json.loads(self.server.cli("report", "dnsbl", "--format", "json").stdout)}
        later = report["later.test"]
        self.assertEqual(later["listed_at_first_check"], 0)
        self.assertEqual(later["listed_later"], 1)
        self.assertEqual(later["listed_now"], 1)
        self.assertGreater(later["lead_hours_median"], 0)
        self.assertLess(later["lead_hours_median"], 0.1)
        self.assertEqual(report["bl.test"]["listed_at_first_check"], 1)
        self.assertEqual(report["servfail.test"]["answered"], 0)
        self.assertGreaterEqual(report["servfail.test"]["unanswered"], 3)
        self.assertEqual(report["dbl.test"]["listed_now"], 1)
        history = self.server.query("SELECT verdict FROM dnsbl_checks WHERE entry = '127.0.0.22' AND "
                                    "list_zone = 'later.test' ORDER BY checked_at")
        self.assertEqual([h[0] for h in history], [b"clean", b"listed"])

    def test_5_check_refuses_what_it_cannot_do(self):
        bad = self.server.cli("check", "--lists", "nowhere.test", check=False)
        self.assertEqual(bad.returncode, 2)
        self.assertIn(b"not a [[dnsbl]] zone", bad.stderr)
        bad = self.server.cli("check", "--recheck-after", "soon", check=False)
        self.assertEqual(bad.returncode, 2)


if __name__ == "__main__":
    main()
