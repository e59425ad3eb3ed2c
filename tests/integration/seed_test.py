"""Seeded addresses end to end: a harvester fetches the seed page over HTTP from one loopback
address, a spammer mails the address it carried from another through SMTP, and the seeds report
links the two with the label and the latency. Hostile HTTP gets a 4xx, is recorded, and never
stops the trap."""
import http.client
import json
import re
import smtplib
import socket
import subprocess
import time
import unittest

from harness import Server, main

TRAP = "trap.example"
HARVESTER = "127.0.0.20"
SPAMMER = "127.0.0.21"
GUESSER = "127.0.0.22"
MAILTO = re.compile(rb'href="mailto:([^"]+)"')


def send(source, sender, rcpt, subject="offer"):
    with smtplib.SMTP("127.0.0.1", SERVER.port, source_address=(source, 0), timeout=20) as s:
        s.sendmail(sender, [rcpt], "From: %s\r\nSubject: %s\r\n\r\nbuy now\r\n" % (sender, subject))


def curl_page(path="/contact", source=HARVESTER, agent="EmailCollector/1.0"):
    p = subprocess.run(["curl", "-sS", "--interface", source, "-A", agent, "--max-time", "10",
                        "http://127.0.0.1:%d%s" % (SEED_PORT, path)], capture_output=True, timeout=20)
    assert p.returncode == 0, p.stderr
    m = MAILTO.search(p.stdout)
    assert m, p.stdout
    return m.group(1).decode()


def raw(payload, half_close=True, timeout=10):
    """Sends bytes to the seed port, returns the whole answer."""
    with socket.create_connection(("127.0.0.1", SEED_PORT), timeout=timeout) as s:
        s.sendall(payload)
        if half_close:
            s.shutdown(socket.SHUT_WR)
        out = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return out
            out += chunk


def status_of(answer):
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else None


def seed_port(server):
    deadline = time.time() + 10
    while time.time() < deadline:
        m = re.findall(rb"seed page on http://127\.0\.0\.1:(\d+)/", server.read_log())
        if m:
            return int(m[-1])
        time.sleep(0.02)
    raise AssertionError("no seed page in the log: " + server.read_log().decode(errors="replace"))


def report(*args):
    return json.loads(SERVER.cli("report", "seeds", "--format", "json", *args).stdout)


SERVER = None
SEED_PORT = None


class SeedTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        global SERVER, SEED_PORT
        SERVER = Server(extra_args=(), config='[[trap]]\ndomain = "%s"\n'
                        '[seed]\nlisten = "127.0.0.1:0"\nlabel = "shop contact page"\nsite = "Keller GmbH"\n'
                        'timeout = "2s"\nconnections_per_ip = 3\n[metrics]\nlisten = "127.0.0.1:0"\n' % TRAP)
        SERVER.start()
        SEED_PORT = seed_port(SERVER)

    @classmethod
    def tearDownClass(cls):
        SERVER.cleanup()

    def test_1_page_visit_to_spam_is_traced(self):
        planted = SERVER.cli("seed", "new", "--domain", TRAP, "--count", "2", "--label",
                             "forum signature").stdout.decode().split()
        self.assertEqual(len(planted), 2)
        address = curl_page()
        self.assertTrue(address.endswith("@" + TRAP), address)
        self.assertNotIn(address, planted)
        time.sleep(0.2)  # the spam comes a little after the harvest: a latency above zero
        send(SPAMMER, "promo@bulk-sender.example", address)
        send(SPAMMER, "promo@bulk-sender.example", address.upper())  # case does not hide it
        send(GUESSER, "x@guesser.example", "john@" + TRAP)
        send(GUESSER, "x@guesser.example", planted[0])
        SERVER.wait_indexed(4)

        r = report()
        seeds = {s["address"]: s for s in r["seeds"]}
        s = seeds[address]
        self.assertEqual(s["label"], "shop contact page")
        self.assertEqual(s["kind"], "planted")
        self.assertEqual(s["harvester_ip"], HARVESTER)
        self.assertEqual(s["harvester_agent"], "EmailCollector/1.0")
        self.assertEqual(s["ip_list"], SPAMMER)
        self.assertEqual(s["sender_list"], "promo@bulk-sender.example")
        self.assertEqual(s["messages"], 2)
        self.assertGreater(s["hours_to_first_spam"], 0)
        self.assertLess(s["hours_to_first_spam"], 0.1)
        self.assertEqual(seeds[planted[0]]["label"], "forum signature")
        self.assertEqual(seeds[planted[0]]["harvester_ip"], "")
        self.assertEqual(seeds[planted[0]]["ip_list"], GUESSER)
        self.assertEqual(seeds[planted[1]]["messages"], 0)
        shares = {c["class"]: c["messages"] for c in r["addresses"]}
        self.assertEqual(shares, {"planted": 3, "registration": 0, "guessed": 1})

        # The table names the same link for a person to read.
        table = SERVER.cli("report", "seeds").stdout.decode()
        line = next(l for l in table.splitlines() if l.startswith(address))
        for part in ("shop contact page", HARVESTER, "EmailCollector/1.0", SPAMMER):
            self.assertIn(part, line)

        # The harvester is a key like a spammer's IP, and exports like one.
        harvesters = json.loads(SERVER.cli("report", "harvesters", "--format", "json").stdout)
        self.assertEqual([h["harvester_ip"] for h in harvesters], [HARVESTER])
        postfix = SERVER.cli("export", "postfix", "--what", "harvesters").stdout.decode()
        self.assertRegex(postfix, r"(?m)^127\.0\.0\.20\s+REJECT")
        self.assertNotIn(SPAMMER, postfix)

    def test_2_every_visit_gets_its_own_address_and_they_survive_a_restart(self):
        first = {curl_page("/team/%d" % i, agent="Crawler") for i in range(30)}
        self.assertEqual(len(first), 30)
        SERVER.stop()
        SERVER.start()
        global SEED_PORT
        SEED_PORT = seed_port(SERVER)
        second = {curl_page("/about", agent="Crawler") for _ in range(30)}
        self.assertEqual(len(second), 30)
        self.assertFalse(first & second)
        # Every one of them is in the store once indexed (the wait ends when all are).
        deadline = time.time() + 30
        while time.time() < deadline:
            stored = {s["address"] for s in report()["seeds"]}
            if first | second <= stored:
                break
            time.sleep(0.1)
        self.assertLessEqual(first | second, stored)

    def test_3_hostile_requests_get_4xx_are_recorded_and_change_nothing(self):
        before = SERVER.count("seeds")
        cases = [
            (b"GARBAGE\r\n\r\n", 400),
            (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40, 400),
            (b"GET /" + b"a" * 3000 + b" HTTP/1.1\r\n\r\n", 414),
            (b"GET / HTTP/1.1\r\nX-Pad: " + b"y" * 9000 + b"\r\n\r\n", 431),
            (b"GET / HTTP/1.1\r\nHost a\r\n\r\n", 400),
            (b"POST /login HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", 405),
            (b"CONNECT mail.example:25 HTTP/1.1\r\n\r\n", 405),
            (b"GET /favicon.ico HTTP/1.1\r\n\r\n", 404),
            (b"GET /wp-admin/x.js HTTP/1.1\r\n\r\n", 404),
        ]
        for payload, want in cases:
            self.assertEqual(status_of(raw(payload)), want, payload[:40])
        # robots.txt forbids everything; HEAD shows no address and mints none.
        self.assertIn(b"Disallow: /", raw(b"GET /robots.txt HTTP/1.0\r\n\r\n"))
        head = raw(b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertEqual(status_of(head), 200)
        self.assertNotIn(b"mailto:", head)
        # No file is ever read: a traversal gets a page like any other path.
        traversal = raw(b"GET /../../../../etc/passwd HTTP/1.1\r\n\r\n")
        self.assertNotIn(b"root:", traversal)
        self.assertIn(b"mailto:", traversal)
        # A slow sender is cut at the deadline (2 s here) with a 408.
        start = time.time()
        with socket.create_connection(("127.0.0.1", SEED_PORT), timeout=10) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: slow")
            answer = s.recv(4096)
        self.assertEqual(status_of(answer), 408)
        self.assertLess(time.time() - start, 8)
        # Beyond the connections per address: 503, and the others are still served.
        held = [socket.create_connection(("127.0.0.1", SEED_PORT)) for _ in range(3)]
        try:
            # Refused before a byte is read: the answer comes at once.
            with socket.create_connection(("127.0.0.1", SEED_PORT), timeout=10) as s:
                self.assertEqual(status_of(s.recv(4096)), 503)
            self.assertIn("@" + TRAP, curl_page(source="127.0.0.30"))
        finally:
            for h in held:
                h.close()

        # Every request that sent a byte is recorded (connections that sent nothing are not).
        want = [400, 400, 400, 404, 404, 405, 405, 408, 414, 431]
        deadline = time.time() + 30
        while time.time() < deadline:
            rows = SERVER.query("SELECT status, problem FROM http_requests WHERE status >= 400")
            statuses = sorted(r[0] for r in rows)
            if all(statuses.count(w) >= want.count(w) for w in set(want)):
                break
            time.sleep(0.1)
        self.assertEqual(statuses, want)
        self.assertTrue(any(p.startswith(b"bad ") for s, p in rows if s == 400))
        # Only the two pages that showed an address minted a seed.
        SERVER.wait_indexed(before + 2, table="seeds")
        self.assertEqual(SERVER.count("seeds"), before + 2)
        # The metrics count each request by its status, the refused ones too.
        _, v = SERVER.scrape()
        for status in set(want):
            self.assertGreaterEqual(v.get(("spampot_seed_page_requests_total", (("status", str(status)),)), 0),
                                    want.count(status), status)
        self.assertGreaterEqual(v.get(("spampot_seed_page_requests_total", (("status", "200"),)), 0), 4)
        self.assertIsNone(SERVER.proc.poll())

    def test_4_reindex_rebuilds_page_seeds_and_keeps_planted_ones(self):
        added = SERVER.cli("seed", "add", "hostmaster@" + TRAP, "--kind", "registration",
                           "--label", "whois", "--at", "2026-01-01").stdout.decode().strip()
        self.assertEqual(added, "hostmaster@" + TRAP)
        again = SERVER.cli("seed", "add", "HostMaster@" + TRAP, check=False)
        self.assertEqual(again.returncode, 1)
        self.assertIn(b"is a seed already", again.stderr)
        before = SERVER.count("messages")
        send(GUESSER, "x@guesser.example", "hostmaster@" + TRAP)
        SERVER.wait_indexed(before + 1)
        reported = report()
        SERVER.stop()
        SERVER.cli("reindex")
        SERVER.start()
        after = report()
        self.assertEqual(reported["seeds"], after["seeds"])
        self.assertEqual(reported["addresses"], after["addresses"])
        reg = next(s for s in after["seeds"] if s["address"] == "hostmaster@" + TRAP)
        self.assertEqual((reg["kind"], reg["label"], reg["messages"]), ("registration", "whois", 1))
        self.assertEqual({c["class"]: c["messages"] for c in after["addresses"]}["registration"], 1)

    def test_5_seed_commands_refuse_what_cannot_work(self):
        other = SERVER.cli("seed", "new", "--domain", "elsewhere.example", check=False)
        self.assertEqual(other.returncode, 1)
        self.assertIn(b"not a [[trap]] domain", other.stderr)
        kind = SERVER.cli("seed", "new", "--domain", TRAP, "--kind", "bogus", check=False)
        self.assertEqual(kind.returncode, 1)
        self.assertIn(b"--kind bogus", kind.stderr)
        bad = SERVER.cli("seed", "add", "not-an-address", check=False)
        self.assertEqual(bad.returncode, 2)
        html = SERVER.cli("seed", "html", "--domain", TRAP, "--label", "blog footer").stdout.decode()
        m = re.search(r'<a href="mailto:([^"]+)">([^<]+)</a>', html)
        self.assertIsNotNone(m, html)
        self.assertEqual(m.group(1), m.group(2))
        seeds = {s["address"]: s for s in report()["seeds"]}
        self.assertEqual(seeds[m.group(1)]["label"], "blog footer")


if __name__ == "__main__":
    main()
