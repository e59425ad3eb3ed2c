"""Two sensors, one MariaDB: both write at once with smtp-source load, ids never collide, every
message and session is there once, each sensor's checkpoint is its own."""
import os
import re
import shutil
import smtplib
import subprocess
import tempfile
import threading
import unittest
import urllib.request
from email.message import EmailMessage

from harness import BIN, DOMAIN, Server, main, mariadb_query, mariadb_url


def smtp_source(port, messages):
    return subprocess.run(["/usr/sbin/smtp-source", "-s", "10", "-m", str(messages), "-l", "1024", "-f",
                           "bulk@bad.example", "-t", "x@" + DOMAIN, "127.0.0.1:%d" % port],
                          capture_output=True, timeout=300)


class FleetTest(unittest.TestCase):
    def test_two_sensors_share_one_database(self):
        url = mariadb_url("spampot_fleet")
        sensors = []
        for name in ("ams-1", "fra-1"):
            s = Server("[limits]\nconnections_per_ip = 200\n", db_url=url,
                       extra_args=("--domain", DOMAIN, "--sensor", name))
            self.addCleanup(s.cleanup)
            sensors.append(s.start())
        results = {}
        threads = [threading.Thread(target=lambda s=s: results.__setitem__(s.port, smtp_source(s.port, 500)))
                   for s in sensors]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for r in results.values():
            self.assertEqual(r.returncode, 0, r.stderr)
        for s in sensors:
            self.assertEqual(s.stop(), 0)  # drains the index into MariaDB before exit
        q = lambda sql: mariadb_query("spampot_fleet", sql)
        self.assertEqual(q("SELECT sensor, COUNT(*) FROM messages GROUP BY sensor ORDER BY sensor"),
                         [["ams-1", "500"], ["fra-1", "500"]])
        self.assertEqual(q("SELECT COUNT(DISTINCT id) FROM messages"), [["1000"]])
        self.assertEqual(q("SELECT COUNT(*) FROM message_recipients"), [["1000"]])
        self.assertEqual(q("SELECT sensor, COUNT(*) FROM sessions GROUP BY sensor ORDER BY sensor"),
                         [["ams-1", "500"], ["fra-1", "500"]])
        self.assertEqual([r[0] for r in q("SELECT sensor FROM spool_checkpoints ORDER BY sensor")], ["ams-1", "fra-1"])
        # Reading back through spampot gives the same as SQLite would.
        rows = sensors[0].search("--limit", "5")
        self.assertEqual(len(rows), 5)
        self.assertEqual(rows[0]["rcpt_to"], ["x@" + DOMAIN])


class MigrateTest(unittest.TestCase):
    def test_sqlite_install_moves_into_mariadb_and_can_move_again(self):
        import os
        import tempfile
        from harness import BIN, DATA
        d = tempfile.mkdtemp(prefix="spampot-migrate-")
        self.addCleanup(__import__("shutil").rmtree, d, True)
        src = "sqlite:" + os.path.join(d, "small.db")
        log = os.path.join(DATA, "maillogs", "generated-postfix-3.7", "traditional.log")
        subprocess.run([BIN, "import", "--db", src, log], check=True, capture_output=True)
        url = mariadb_url("spampot_migrate")
        first = subprocess.run([BIN, "migrate", "--from", src, "--to", url], capture_output=True, check=True)
        self.assertIn(b"copied 38 messages, 15 sessions", first.stdout)
        self.assertNotIn(open(url.split("password_file=")[1]).read().strip().encode(), first.stdout + first.stderr)
        again = subprocess.run([BIN, "migrate", "--from", src, "--to", url], capture_output=True, check=True)
        self.assertIn(b"copied 0 messages, 0 sessions", again.stdout)
        self.assertIn(b"53 were there already", again.stdout)
        self.assertEqual(mariadb_query("spampot_migrate", "SELECT COUNT(*) FROM messages"), [["38"]])


def send(port, subject, attachment):
    m = EmailMessage()
    m["From"] = "Spammer <bulk@bad.example>"
    m["To"] = "x@" + DOMAIN
    m["Subject"] = subject
    m.set_content("Caf\u00e9 prices\n")
    m.add_attachment(attachment, maintype="application", subtype="octet-stream", filename="a.bin")
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as c:
        c.send_message(m)


class KeptRawTest(unittest.TestCase):
    """[store] keep_raw, on by default for a MariaDB store: a central console and `show --raw` on a
    machine without the sensor's spool read the raw text from the store."""

    def central(self, url):
        """A config for a machine that has the fleet's store and no spool of any sensor."""
        d = tempfile.mkdtemp(prefix="spampot-central-")
        self.addCleanup(shutil.rmtree, d, True)
        path = os.path.join(d, "central.toml")
        with open(path, "w") as f:
            f.write('[store]\ndb = "%s"\nspool = "%s"\n' % (url, os.path.join(d, "no-spool")))
        return path

    def test_a_machine_without_the_spool_reads_what_the_store_kept(self):
        url = mariadb_url("spampot_keep_raw")
        sensor = Server(db_url=url, extra_args=("--domain", DOMAIN, "--sensor", "ams-1"))
        self.addCleanup(sensor.cleanup)
        sensor.start()
        send(sensor.port, "first", os.urandom(3000))
        send(sensor.port, "second", bytes(range(256)) * 8)
        self.assertEqual(sensor.stop(), 0)
        ids = [r[0] for r in mariadb_query("spampot_keep_raw", "SELECT id FROM messages ORDER BY id")]
        self.assertEqual(len(ids), 2)
        self.assertEqual(mariadb_query("spampot_keep_raw", "SELECT codec, COUNT(*) FROM message_raw GROUP BY codec"),
                         [["zstd", "2"]])
        from_spool = {i: sensor.cli("show", i, "--raw").stdout for i in ids}
        shutil.rmtree(sensor.spool)

        config = self.central(url)
        for i in ids:
            p = subprocess.run([BIN, "show", i, "--raw", "--config", config], capture_output=True, timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(p.stdout, from_spool[i])
        maildir = os.path.join(os.path.dirname(config), "md")
        p = subprocess.run([BIN, "search", "--maildir", maildir, "--config", config], capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        written = sorted(open(os.path.join(maildir, "new", f), "rb").read() for f in os.listdir(os.path.join(maildir, "new")))
        self.assertEqual(written, sorted(raw.replace(b"\r\n", b"\n") for raw in from_spool.values()))  # maildir: LF

        web = subprocess.Popen([BIN, "web", "--listen", "127.0.0.1:0", "--config", config], stderr=subprocess.PIPE)
        self.addCleanup(web.kill)
        line = web.stderr.readline().decode()
        while "console on" not in line:
            self.assertTrue(line, "spampot web exited")
            line = web.stderr.readline().decode()
        base = re.search(r"console on (http://\S+)/", line).group(1)
        for i in ids:
            with urllib.request.urlopen(base + "/message/%s/eml" % i, timeout=10) as r:
                self.assertEqual(r.read(), from_spool[i])

    def test_without_keep_raw_the_error_names_the_sensor_and_its_spool(self):
        url = mariadb_url("spampot_no_raw")
        sensor = Server("[store]\nkeep_raw = false\n", db_url=url, extra_args=("--domain", DOMAIN, "--sensor", "fra-1"))
        self.addCleanup(sensor.cleanup)
        sensor.start()
        send(sensor.port, "only", b"x")
        self.assertEqual(sensor.stop(), 0)
        self.assertEqual(mariadb_query("spampot_no_raw", "SELECT COUNT(*) FROM message_raw"), [["0"]])
        [[i]] = mariadb_query("spampot_no_raw", "SELECT id FROM messages")
        spool = os.path.realpath(sensor.spool)
        shutil.rmtree(spool)  # on the sensor's machine, not this one
        p = subprocess.run([BIN, "show", i, "--raw", "--config", self.central(url)], capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 1)
        self.assertIn(("the raw text of %s is in sensor fra-1's spool %s, which is not on this machine" %
                       (i, spool)).encode(), p.stderr)


if __name__ == "__main__":
    main()
