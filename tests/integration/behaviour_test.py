"""Spamware by its behaviour, end to end: real clients (swaks, smtplib, curl, msmtp, Postfix's
smtp-source, Postfix itself relaying to the trap, and a pipelining bot written here) each get a
behavioural fingerprint of their own, the same one from another address with another body, after
a restart and after a reindex; the greylist experiment holds first attempts and lets Postfix's
retry through while the bot never comes back; the greytrap tarpits a client that sent to a trap
address before, also after a restart."""
import json
import os
import shutil
import socket
import smtplib
import subprocess
import sys
import tempfile
import time
import unittest
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from harness import DOMAIN, PostfixRelay, Server, main, wait_for

RCPT = "x@" + DOMAIN
MAKE_MMDB = os.path.join(os.path.dirname(__file__), "..", "scripts", "make_mmdb.pl")


def swaks(port, src, sender, subject, body, check=True):
    p = subprocess.run(["swaks", "--server", "127.0.0.1", "--port", str(port), "--local-interface", src,
                        "--from", sender, "--to", RCPT, "--header", "Subject: " + subject, "--body", body],
                       capture_output=True, timeout=60)
    if check and p.returncode != 0:
        raise AssertionError("swaks failed: " + p.stdout.decode(errors="replace"))


def headers(sender, subject):
    return ("From: <%s>\r\nTo: <%s>\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: %s\r\n" %
            (sender, RCPT, subject, formatdate(), make_msgid(domain="spam.example"))).encode()


def smtplib_send(port, src, sender, subject, body):
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = RCPT
    msg["Subject"] = subject
    msg["Date"] = formatdate()
    msg["Message-ID"] = make_msgid(domain="spam.example")
    msg.set_content(body)
    with smtplib.SMTP("127.0.0.1", port, source_address=(src, 0), timeout=30) as s:
        s.send_message(msg)


def curl_send(port, src, sender, subject, body):
    # curl sends the file's bytes as they are: a program composing mail writes CRLF throughout.
    body = body.replace("\n", "\r\n")
    subprocess.run(["curl", "-sS", "--interface", src, "--url", "smtp://127.0.0.1:%d" % port,
                    "--mail-from", sender, "--mail-rcpt", RCPT, "-T", "-"],
                   input=headers(sender, subject) + b"\r\n" + body.encode() + b"\r\n", check=True, timeout=60)


def msmtp_send(port, src, sender, subject, body):
    subprocess.run(["msmtp", "--host=127.0.0.1", "--port=%d" % port, "--source-ip=" + src, "--from=" + sender,
                    "--auth=off", "--tls=off", "--", RCPT],
                   input=headers(sender, subject) + b"\r\n" + body.encode() + b"\r\n", check=True, timeout=60,
                   env={**os.environ, "HOME": "/nonexistent"})


def smtp_source_send(port, src, sender, subject, body):
    # smtp-source writes its own body; it connects from the default address.
    del src, body
    subprocess.run(["smtp-source", "-c", "-m", "1", "-f", sender, "-t", RCPT, "-S", subject,
                    "127.0.0.1:%d" % port], check=True, capture_output=True, timeout=60)


def read_reply(s):
    data = b""
    while True:
        chunk = s.recv(4096)
        if not chunk:
            return data
        data += chunk
        lines = data.split(b"\r\n")
        if len(lines) >= 2 and len(lines[-2]) >= 4 and lines[-2][3:4] == b" ":
            return data


def bot_send(port, src, sender, subject, body):
    """Spamware as it is often written: lower-case verbs, a space after the colon, bare LF in the
    message, and everything after the EHLO in one write without waiting for a reply."""
    with socket.create_connection(("127.0.0.1", port), source_address=(src, 0), timeout=30) as s:
        read_reply(s)
        s.sendall(b"ehlo bot.example\r\n")
        read_reply(s)
        s.sendall(b"mail from: <%s>\r\nrcpt to: <%s>\r\ndata\r\n" % (sender.encode(), RCPT.encode()) +
                  b"Subject: " + subject.encode() + b"\nFrom: " + sender.encode() + b"\nX-Mailer: Bot 1.0\n\n" +
                  body.encode() + b"\n.\r\nquit\r\n")
        s.settimeout(30)
        while s.recv(4096):
            pass


class BehaviourTest(unittest.TestCase):
    def server(self, config, workdir=None):
        server = Server(config, workdir=workdir)
        self.addCleanup(server.cleanup)
        return server

    def fingerprints(self, server):
        """{envelope sender: fingerprint of its session}, for every captured message."""
        rows = server.query("SELECT m.mail_from, s.fingerprint FROM messages m JOIN sessions s ON s.id = m.session_id")
        return {r[0].decode(): r[1].decode() for r in rows}

    @unittest.skipUnless(os.geteuid() == 0, "runs a private Postfix: root only")
    def test_each_client_has_its_own_fingerprint_across_addresses_bodies_restarts_and_reindex(self):
        server = self.server("").start()
        clients = {"swaks": swaks, "smtplib": smtplib_send, "curl": curl_send, "msmtp": msmtp_send,
                   "smtp-source": smtp_source_send, "bot": bot_send}
        for n, src, body in ((1, "127.0.0.1", "Cheap pills, today only."), (2, "127.0.0.2", "A loan for you\nand more")):
            for name, send in clients.items():
                send(server.port, src, "%s%d@spam.example" % (name, n), "%s offer %d" % (name, n * 37), body * n)
        relay = PostfixRelay(server.port).start()
        self.addCleanup(relay.cleanup)
        for n in (1, 2):
            relay.send("postfix%d@spam.example" % n, RCPT,
                       b"Subject: relayed %d\nFrom: someone@spam.example\n\nrelayed body %d\n" % (n, n * 1000))
        names = list(clients) + ["postfix"]
        senders = {"%s%d@spam.example" % (name, n) for name in names for n in (1, 2)}
        wait_for(lambda: senders <= set(self.fingerprints(server)), "every client's two sessions")
        fps = self.fingerprints(server)
        family = {}
        for name in names:
            one, two = fps["%s1@spam.example" % name], fps["%s2@spam.example" % name]
            self.assertRegex(one, r"^fp1-[0-9a-f]{16}$")
            self.assertEqual(one, two, "%s: another address and body changed the fingerprint:\n%s" % (
                name, [r[0].decode() for r in server.query("SELECT behaviour FROM sessions WHERE fingerprint IN (?, ?)",
                                                          (one, two))]))
            family[name] = one
        self.assertEqual(len(set(family.values())), len(names), family)

        # What tells them apart, for the record (the closing note quotes it).
        features = {}
        for name, fp in family.items():
            sid = server.query("SELECT id FROM sessions WHERE fingerprint = ? LIMIT 1", (fp,))[0][0].decode()
            shown = json.loads(server.cli("show", sid).stdout)
            self.assertEqual(shown["behaviour"]["fingerprint"], fp)
            features[name] = shown["behaviour"]["features"]
            print("%-12s %s %s" % (name, fp, json.dumps(features[name], sort_keys=True)), file=sys.stderr)
        self.assertEqual(features["bot"]["verbs"], "ehlo mail rcpt data")
        self.assertEqual(features["bot"]["pipelining"], "RCPT DATA QUIT body")  # MAIL waited for the EHLO reply
        self.assertEqual(features["bot"]["mail"], " from: <A>")
        self.assertEqual(features["bot"]["body_line_end"], "lf")
        self.assertEqual(features["smtplib"]["pipelining"], "-")
        self.assertIn("MAIL", features["postfix"]["verbs"])
        self.assertNotEqual(features["postfix"]["pipelining"], "-")  # Postfix pipelines its envelope

        # Search and the report read the families back.
        found = server.search("--fingerprint", family["curl"].upper())
        self.assertEqual(sorted(m["mail_from"] for m in found), ["curl1@spam.example", "curl2@spam.example"])
        bad = server.cli("search", "--fingerprint", "nonsense", check=False)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("--fingerprint nonsense: not a behavioural fingerprint", bad.stderr.decode())
        report = json.loads(server.cli("report", "fingerprints", "--format", "json").stdout)
        by_fp = {r["fingerprint"]: r for r in report}
        for name in ("swaks", "smtplib", "curl", "msmtp", "bot"):
            row = by_fp[family[name]]
            self.assertEqual((row["sessions"], row["messages"], row["ips"]), (2, 2, 2), name)
        self.assertEqual(by_fp[family["bot"]]["helo"], "bot.example")
        self.assertIn(by_fp[family["bot"]]["subject"], ("bot offer 37", "bot offer 74"))
        self.assertEqual(by_fp[family["bot"]]["verbs"], "ehlo mail rcpt data")

        # A restart: the same client behaves the same and gets the same fingerprint.
        server.stop()
        server.start()
        swaks(server.port, "127.0.0.3", "swaks3@spam.example", "after restart", "another body again")
        bot_send(server.port, "127.0.0.4", "bot3@spam.example", "after restart", "x")
        server.wait_indexed(2 * (len(clients) + 1) + 2)
        fps = self.fingerprints(server)
        self.assertEqual(fps["swaks3@spam.example"], family["swaks"])
        self.assertEqual(fps["bot3@spam.example"], family["bot"])

        # A reindex rebuilds every session from the spool: every fingerprint stays.
        before = dict(server.query("SELECT id, fingerprint FROM sessions"))
        server.stop()
        server.cli("reindex")
        after = dict(server.query("SELECT id, fingerprint FROM sessions"))
        self.assertEqual(before, after)
        report = json.loads(server.cli("report", "fingerprints", "--format", "json").stdout)
        self.assertEqual({r["fingerprint"]: r["sessions"] for r in report}[family["swaks"]], 3)

    @unittest.skipUnless(os.geteuid() == 0, "runs a private Postfix: root only")
    def test_greylist_experiment_postfix_retries_the_bot_does_not(self):
        # The test databases put 127.0.0.0/24 in AS64501 and 127.0.1.0/24 in AS64502.
        dbs = tempfile.mkdtemp(prefix="spampot-mmdb-")
        self.addCleanup(shutil.rmtree, dbs, True)
        subprocess.run(["perl", MAKE_MMDB, dbs], check=True)
        config = ('[greylist]\nshare = 1.0\nmin_delay = "3s"\nexpire = "1h"\n[metrics]\nlisten = "127.0.0.1:0"\n'
                  '[geoip]\ncountry_db = "%s/country.mmdb"\nasn_db = "%s/asn.mmdb"\n' % (dbs, dbs))
        server = self.server(config).start()
        self.assertIn(b"greylist: share 1 of new triplets", server.read_log())
        relay = PostfixRelay(server.port).start()
        self.addCleanup(relay.cleanup)
        relay.send("mta@spam.example", RCPT, b"Subject: a real MTA\nFrom: mta@spam.example\n\nqueued and retried\n")
        bot_send(server.port, "127.0.1.5", "bot@spam.example", "never again", "x")
        bot_send(server.port, "127.0.1.6", "bot@spam.example", "never again", "y")
        swaks(server.port, "127.0.0.7", "swaks@spam.example", "once", "z", check=False)
        # Postfix defers on the 451, retries (too early: held again), and gets through after 3 s.
        try:
            server.wait_indexed(1, timeout=90)
        except AssertionError as e:
            raise AssertionError("%s\nPostfix's log:\n%s" % (e, relay.log())) from None
        self.assertEqual([m["mail_from"] for m in server.search()], ["mta@spam.example"])
        self.assertIn("Greylisted", relay.log())
        def swaks_held():
            return server.query("SELECT COUNT(*) FROM recipients WHERE sender = 'swaks@spam.example'")[0][0] == 1
        wait_for(swaks_held, "the session of every held attempt")  # the last one sent
        held = server.query("SELECT r.greylist, r.sender, s.client_ip, r.reply, s.messages FROM recipients r "
                            "JOIN sessions s ON s.id = r.session_id WHERE s.client_ip = '127.0.1.5'")
        self.assertEqual(len(held), 1)
        self.assertEqual(held[0][:3], (b"held", b"bot@spam.example", b"127.0.1.5"))
        self.assertIn(b"451 4.7.1", held[0][3])
        self.assertEqual(held[0][4], 0)  # recorded as a session, with no message
        passed = server.query("SELECT COUNT(*) FROM recipients WHERE greylist = 'passed' AND sender = 'mta@spam.example'")
        self.assertEqual(passed[0][0], 1)
        _, metrics = server.scrape()
        self.assertGreaterEqual(metrics[("spampot_greylist_recipients_total", (("verdict", "held"),))], 4)
        self.assertEqual(metrics[("spampot_greylist_recipients_total", (("verdict", "passed"),))], 1)

        report = json.loads(server.cli("report", "greylist", "--format", "json").stdout)
        overall = report["greylist"][0]
        self.assertEqual((overall["triplets_held"], overall["retried"], overall["passed"]), (4, 1, 1))
        self.assertEqual(overall["retried_pct"], 25.0)
        self.assertGreaterEqual(overall["max_delay_s"], 0)
        mta_fp = server.query("SELECT s.fingerprint FROM sessions s JOIN recipients r ON r.session_id = s.id "
                              "WHERE r.sender = 'mta@spam.example' ORDER BY s.started_at LIMIT 1")[0][0].decode()
        bot_fp = server.query("SELECT fingerprint FROM sessions WHERE client_ip = '127.0.1.5'")[0][0].decode()
        families = {f["fingerprint"]: f for f in report["families"]}
        self.assertEqual((families[mta_fp]["triplets_held"], families[mta_fp]["retried_pct"]), (1, 100.0))
        self.assertEqual((families[bot_fp]["triplets_held"], families[bot_fp]["retried"]), (2, 0))
        asns = {a["asn"]: a for a in report["asns"]}
        self.assertEqual((asns["AS64501"]["triplets_held"], asns["AS64501"]["retried"]), (2, 1))  # Postfix, swaks
        self.assertEqual((asns["AS64502"]["triplets_held"], asns["AS64502"]["retried"]), (2, 0))  # the bot

        # A restart keeps what was held: the swaks triplet's retry now passes, not held anew.
        server.stop()
        server.start()
        self.assertIn(b"known triplets restored", server.read_log())
        time.sleep(3)
        swaks(server.port, "127.0.0.7", "swaks@spam.example", "once more", "z")
        server.wait_indexed(2)
        self.assertEqual(server.query("SELECT greylist FROM recipients WHERE sender = 'swaks@spam.example' "
                                      "ORDER BY held_since, greylist")[-1][0], b"passed")

    def test_greytrap_tarpits_a_client_that_sent_to_a_trap_address(self):
        server = self.server('[greytrap]\ntarpit_for = "1h"\nstutter = "5ms"\n'
                             '[metrics]\nlisten = "127.0.0.1:0"\n').start()
        smtplib_send(server.port, "127.0.0.8", "first@spam.example", "first", "body")
        # The next connection from that address is tarpitted; another address is not.
        t0 = time.time()
        smtplib_send(server.port, "127.0.0.8", "second@spam.example", "second", "body")
        slow = time.time() - t0
        smtplib_send(server.port, "127.0.0.9", "other@spam.example", "other", "body")
        server.wait_indexed(3, table="sessions")
        rows = dict((r[0].decode(), (r[1].decode(), r[2])) for r in server.query(
            "SELECT m.mail_from, s.tarpit, s.tarpit_micros FROM messages m JOIN sessions s ON s.id = m.session_id"))
        self.assertEqual(rows["first@spam.example"], ("", 0))
        self.assertEqual(rows["other@spam.example"], ("", 0))
        by, held = rows["second@spam.example"]
        self.assertEqual(by, "greytrap")
        # Every reply byte but the first of each reply waited 5 ms: the greeting alone is 40 bytes.
        self.assertGreater(held, 40 * 5000)
        self.assertGreater(slow, held / 1e6 * 0.9)
        summary = {r["metric"]: r["value"] for r in json.loads(server.cli("report", "summary", "--format", "json").stdout)}
        self.assertEqual(summary["sessions tarpitted (greytrap)"], 1)
        self.assertIn("seconds tarpitted (greytrap)", summary)
        shown = json.loads(server.cli("show", server.search("--from", "second@spam.example")[0]["session_id"]).stdout)
        self.assertEqual(shown["tarpit"]["by"], "greytrap")
        _, metrics = server.scrape()
        self.assertEqual(metrics[("spampot_tarpit_sessions_total", (("by", "greytrap"),))], 1)
        self.assertAlmostEqual(metrics[("spampot_tarpit_seconds_total", (("by", "greytrap"),))], held / 1e6, places=3)

        # After a restart the address is still trapped: serve reads it back from the store.
        server.stop()
        server.start()
        self.assertIn(b"greytrap: 2 clients tarpitted from before this start", server.read_log())
        smtplib_send(server.port, "127.0.0.9", "third@spam.example", "third", "body")
        server.wait_indexed(4, table="sessions")
        self.assertEqual(server.query("SELECT s.tarpit FROM sessions s JOIN messages m ON m.session_id = s.id "
                                      "WHERE m.mail_from = 'third@spam.example'")[0][0], b"greytrap")


if __name__ == "__main__":
    main()
