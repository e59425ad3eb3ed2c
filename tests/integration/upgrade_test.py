"""Stores written by the previous release (schema 9, tests/data/upgrade/v9) are upgraded in place by
this binary: SQLite with its spool, and a MariaDB dump. Everything the old store held reads back,
new mail is indexed beside it, and reindex rebuilds the old spool with today's code. Run with
--mariadb for the MariaDB store (it needs the test server)."""
import json
import os
import smtplib
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

from harness import BIN, DATA, DOMAIN, MARIADB_DIR, Server, mariadb_query, mariadb_url

MARIADB = "--mariadb" in sys.argv
if MARIADB:
    sys.argv.remove("--mariadb")

FIXTURE = os.path.join(DATA, "upgrade", "v9")


class UpgradeTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="spampot-upgrade-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        if MARIADB:
            self.url = mariadb_url("spampot_upgrade")
            with open(os.path.join(FIXTURE, "mariadb.sql"), "rb") as f:
                subprocess.run(["mariadb", "--no-defaults", "--socket=" + os.path.join(MARIADB_DIR, "mysqld.sock"),
                                "-uroot", "spampot_upgrade"], stdin=f, check=True, timeout=120)
            self.spool = os.path.join(self.dir, "spool")  # the sensor's spool is not in the dump
        else:
            shutil.copytree(os.path.join(FIXTURE, "sqlite"), os.path.join(self.dir, "v9"))
            self.url = "sqlite:" + os.path.join(self.dir, "v9", "spampot.db")
            self.spool = os.path.join(self.dir, "v9", "spool")

    def cli(self, *args, check=True):
        p = subprocess.run([BIN] + list(args) + ["--db", self.url, "--spool", self.spool, "--config", "/dev/null"],
                           capture_output=True, timeout=120)
        if check and p.returncode != 0:
            raise AssertionError("%s: %s" % (args, p.stderr.decode(errors="replace")))
        return p.stdout

    def scalar(self, sql):
        if MARIADB:
            return mariadb_query("spampot_upgrade", sql)[0][0]
        import sqlite3
        con = sqlite3.connect(self.url[7:])
        try:
            return str(con.execute(sql).fetchone()[0])
        finally:
            con.close()

    def version(self):
        return int(self.scalar("SELECT MAX(version) FROM schema_migrations"))

    def per_domain_senders(self):
        """What `report senders --domain` must say: each sender's messages with a recipient at the
        trap domain, each in its own session, from the stored messages themselves."""
        found = json.loads(self.cli("search", "--format", "json", "--limit", "0"))
        at_trap = [m for m in found if any(r.endswith("@" + DOMAIN) for r in m["rcpt_to"])]
        return {s: sum(1 for m in at_trap if m["mail_from"] == s) for s in {m["mail_from"] for m in at_trap}}

    def test_the_previous_store_is_upgraded_and_reads_back(self):
        self.assertEqual(self.version(), 9)
        summary = {r["metric"]: r["value"] for r in json.loads(self.cli("report", "summary", "--format", "json"))}
        self.assertGreaterEqual(self.version(), 10)
        self.assertEqual(summary["messages"], 3)
        self.assertEqual(summary["sessions"], 4)
        self.assertEqual(summary["sessions trying to relay"], 1)
        self.assertEqual(summary["AUTH attempts"], 2)
        self.assertEqual(summary["spool records quarantined"], 0)
        found = json.loads(self.cli("search", "--format", "json", "--limit", "0"))
        self.assertEqual(sorted(m["subject"] for m in found), ["Grüße offer", "café ÿ", "invoice"])
        invoice = [m for m in found if m["subject"] == "invoice"][0]
        self.assertEqual(sorted(invoice["rcpt_to"]), ["bert@" + DOMAIN, "carla@" + DOMAIN])
        shown = json.loads(self.cli("show", invoice["id"]))
        self.assertEqual([a["name"] for a in shown["attachments"]], ["inv.pdf"])
        self.assertEqual(shown["problems"], [])  # old rows have no store problems column values
        relay = [s for s in json.loads(self.cli("report", "auth", "--format", "json"))["pairs"]]
        self.assertEqual(relay[0]["username"], "admin")
        keys = json.loads(self.cli("report", "senders", "--format", "json"))
        self.assertIn("spammer@bad.example", [k["sender"] for k in keys])
        # The per-trap-domain counters (version 18) were counted from the old rows on upgrade,
        # by the first command that reads them, which said so.
        p = subprocess.run([BIN, "report", "senders", "--domain", DOMAIN, "--format", "json", "--db", self.url,
                            "--config", "/dev/null"], capture_output=True, timeout=120, check=True)
        self.assertNotIn(b"recounted", p.stderr)  # the summary report above did it
        expected = self.per_domain_senders()
        by_domain = json.loads(p.stdout)
        self.assertEqual({k["sender"]: k["messages"] for k in by_domain}, expected)
        self.assertEqual({k["sender"]: k["sessions"] for k in by_domain}, expected)
        self.assertEqual(self.scalar("SELECT count(*) FROM harvest_recount"), "0")

    def serve_one_new_message(self, sensor, spool):
        """Serves the upgraded store, sends it one message, waits until it is the fourth stored, stops."""
        server = Server(workdir=self.dir, db_url=self.url, extra_args=("--domain", DOMAIN, "--sensor", sensor))
        server.spool = spool
        server.start()
        self.addCleanup(server.stop)
        s = smtplib.SMTP("127.0.0.1", server.port, timeout=10)
        s.sendmail("new@bad.example", ["x@" + DOMAIN], b"Subject: after the upgrade\r\n\r\nhi\r\n")
        s.quit()
        deadline = time.time() + 10
        while len(server.search()) < 4 and time.time() < deadline:
            time.sleep(0.1)
        self.assertEqual(len(server.search()), 4)
        self.assertEqual(server.stop(), 0)
        return server

    def test_serve_recounts_the_upgraded_store_while_it_takes_mail(self):
        # serve listens at once and its indexer recounts at idle priority, then indexes what came.
        server = self.serve_one_new_message("upgraded", os.path.join(self.dir, "new-spool"))
        log = server.read_log()
        self.assertIn(b"harvest: recounted in", log)
        self.assertLess(log.index(b"listening on"), log.index(b"harvest: recounted in"))
        self.assertEqual(self.scalar("SELECT count(*) FROM harvest_recount"), "0")
        p = subprocess.run([BIN, "report", "senders", "--domain", DOMAIN, "--format", "json", "--db", self.url,
                            "--config", "/dev/null"], capture_output=True, timeout=120, check=True)
        self.assertEqual(p.stderr, b"")  # nothing left to recount
        expected = self.per_domain_senders()
        self.assertEqual(expected["new@bad.example"], 1)
        self.assertEqual({k["sender"]: k["messages"] for k in json.loads(p.stdout)}, expected)

    def test_new_mail_goes_beside_the_old_and_reindex_rebuilds_the_old_spool(self):
        if MARIADB:
            self.skipTest("the sensor's spool stays on the sensor; the SQLite fixture carries one")
        # The upgraded sensor keeps its name, so it goes on from its own checkpoint in its spool
        # (the old three are not indexed again).
        server = self.serve_one_new_message("v9", self.spool)
        out = self.cli("reindex", "--sensor", "v9")
        self.assertIn(b"reindexed 4 messages and 5 sessions", out)
        found = json.loads(self.cli("search", "--format", "json", "--limit", "0"))
        self.assertEqual(len(found), 4)
        latin = [m for m in found if m["subject"].startswith("caf")][0]
        self.assertIn("invalid_utf8:subject", json.loads(self.cli("show", latin["id"]))["problems"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
