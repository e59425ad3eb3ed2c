"""Shared pieces of the integration tests: start the real `spampot serve` on a free loopback port
with its own spool and SQLite file, talk to it, read back what it stored.

Every test talks to 127.0.0.1 only. The server is started with --listen 127.0.0.1:0 and the port
it got is read from its log line "listening on 127.0.0.1:PORT" (no port-picking races).
"""
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
import unittest

BIN = os.environ.get("SPAMPOT_BIN", os.path.join(os.path.dirname(__file__), "..", "..", "build", "spampot"))
DATA = os.environ.get("SPAMPOT_TEST_DATA", os.path.join(os.path.dirname(__file__), "..", "data"))
DOMAIN = "trap.example"


class Server:
    """One `spampot serve` process in a temporary directory."""

    def __init__(self, config="", workdir=None, extra_args=("--domain", DOMAIN), top="", db_url=None):
        self.dir = workdir or tempfile.mkdtemp(prefix="spampot-it-")
        self.db = os.path.join(self.dir, "spampot.db")
        self.db_url = db_url or "sqlite:" + self.db
        self.spool = os.path.join(self.dir, "spool")
        self.config_path = os.path.join(self.dir, "spampot.toml")
        with open(self.config_path, "w") as f:
            # `top` holds top-level keys; `config` continues inside [smtp] and may open other tables.
            f.write('sensor = "it"\n' + top + '[smtp]\nhostname = "mx.trap.example"\n' + config)
        self.extra_args = list(extra_args)
        self.proc = None
        self.preexec = None  # run in the server's process before exec (resource limits)
        self.wrapper = []  # a command the server is started through (e.g. unshare), which execs it
        self.port = None
        self.log_path = os.path.join(self.dir, "serve.log")

    def start(self, listen="127.0.0.1:0"):
        self.log = open(self.log_path, "ab")
        seen = self.log.tell()  # a restart appends: read only this run's lines
        args = self.wrapper + [BIN, "serve", "--config", self.config_path, "--listen", listen,
                "--db", self.db_url, "--spool", self.spool] + self.extra_args
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=self.log, stdin=subprocess.DEVNULL,
                                     preexec_fn=self.preexec)
        deadline = time.time() + 20
        while time.time() < deadline:
            host = re.escape(listen.rsplit(":", 1)[0].encode())
            m = re.findall(rb"listening on " + host + rb":(\d+)", self.read_log()[seen:])
            if m and self.proc.poll() is None:
                self.port = int(m[-1])
                return self
            if self.proc.poll() is not None:
                raise RuntimeError("spampot serve exited: " + self.read_log().decode(errors="replace"))
            time.sleep(0.02)
        raise RuntimeError("spampot serve did not start: " + self.read_log().decode(errors="replace"))

    def read_log(self):
        with open(self.log_path, "rb") as f:
            return f.read()

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=timeout)
        if self.proc:
            self.log.close()
        rc = self.proc.returncode if self.proc else 0
        self.proc = None
        # Under the asan preset a sanitizer report in the server must fail the test that caused it.
        log = self.read_log() if os.path.exists(self.log_path) else b""
        for marker in (b"ERROR: AddressSanitizer", b"ERROR: LeakSanitizer", b"runtime error:"):
            if marker in log:
                raise AssertionError("sanitizer report in spampot serve:\n" + log.decode(errors="replace")[-4000:])
        return rc

    def kill(self):
        return self.stop(signal.SIGKILL)

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    # --- reading back -------------------------------------------------------------------------
    def query(self, sql, args=()):
        con = sqlite3.connect(self.db, timeout=30)
        con.text_factory = bytes
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()

    def count(self, table="messages"):
        return self.query("SELECT count(*) FROM " + table)[0][0]

    def wait_indexed(self, n, table="messages", timeout=60):
        """Waits until the indexer has at least n rows in `table`; for messages, also (briefly) for
        the sessions they came in: a session's log is synced with the next message or within
        lazy_sync of its end, so it may be indexed a moment after its messages."""
        deadline = time.time() + timeout
        got = -1
        while time.time() < deadline:
            try:
                got = self.count(table)
            except sqlite3.OperationalError:
                got = -1
            if got >= n:
                if table == "messages":
                    self.wait_sessions_of_messages()
                return got
            time.sleep(0.05)
        raise AssertionError("only %d of %d %s indexed; %s" % (got, n, table, self.progress()))

    def progress(self):
        """What a wait that timed out needs to tell: the indexer's status (spooled against indexed,
        its error) and the end of the server's log."""
        try:
            with open(os.path.join(self.spool, "status.json")) as f:
                status = f.read()
        except OSError as e:
            status = "no status: %s" % e
        log = self.read_log().decode(errors="replace").splitlines()
        return "status: %s\nlog, last lines:\n%s" % (status, "\n".join(log[-30:]))

    def wait_sessions_of_messages(self, grace=5):
        """Up to `grace` seconds for every indexed message's session row (a session still open has
        none yet: that is not an error)."""
        deadline = time.time() + grace
        while time.time() < deadline:
            try:
                missing = self.query("SELECT count(*) FROM messages m WHERE m.imported = 0 AND NOT EXISTS "
                                     "(SELECT 1 FROM sessions s WHERE s.id = m.session_id)")[0][0]
            except sqlite3.OperationalError:
                missing = 1
            if missing == 0:
                return
            time.sleep(0.02)

    def cli(self, *args, check=True, stdin=None):
        """Runs a spampot subcommand against this server's store and spool."""
        cmd = [BIN] + list(args)
        if args and args[0] in ("search", "show", "reindex", "report", "export", "seed", "check", "backup"):
            cmd += ["--config", self.config_path, "--db", self.db_url, "--spool", self.spool]
        p = subprocess.run(cmd, capture_output=True, input=stdin, timeout=120)
        if check and p.returncode != 0:
            raise AssertionError("%s failed (%d): %s" % (cmd, p.returncode, p.stderr.decode(errors="replace")))
        return p

    def metrics_url(self):
        """The /metrics listener's base URL, from the log line serve writes ([metrics] listen)."""
        m = re.findall(rb"metrics on http://([^/\s]+)/metrics", self.read_log())
        if not m:
            raise AssertionError("serve has no metrics listener")
        return "http://" + m[-1].decode()

    def scrape(self):
        """/metrics as text and as {(name, ((label, value), ...)): value}."""
        import urllib.request
        text = urllib.request.urlopen(self.metrics_url() + "/metrics", timeout=10).read().decode()
        values = {}
        for line in text.splitlines():
            if not line or line.startswith("#"):
                continue
            m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$', line)
            if not m:
                raise AssertionError("not a sample line: " + line)
            labels = tuple(sorted(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(2) or "")))
            values[(m.group(1), labels)] = float(m.group(3))
        return text, values

    def search(self, *filters):
        limit = () if "--limit" in filters else ("--limit", "0")
        out = self.cli("search", "--format", "json", *limit, *filters).stdout
        return json.loads(out)


def wait_for(predicate, what, timeout=60):
    """Polls `predicate` until it holds; fails naming `what` after `timeout` seconds."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting for " + what)


def send_tracked(port, worker, n):
    """Sends one message in its own session; returns (code, queue id or None). smtplib's sendmail
    hides the reply text, so the dialogue is spelt out to read the id of the 250."""
    import smtplib
    s = smtplib.SMTP("127.0.0.1", port, timeout=10)
    try:
        s.ehlo("tracked.example")
        s.mail("w%d@bad.example" % worker)
        s.rcpt("x@" + DOMAIN)
        code, text = s.data(b"Subject: w%d n%d\r\n\r\nbody\r\n" % (worker, n))
        m = re.search(rb"queued as (\S+)", text)
        return code, m.group(1).decode() if (code == 250 and m) else None
    finally:
        s.close()


MARIADB_DIR = os.environ.get("SPAMPOT_TEST_MARIADB_DIR", "")
SCRIPTS = os.path.join(os.path.dirname(__file__), "..", "scripts")


def mariadb_url(name):
    """A fresh, empty database on the test MariaDB server; its store URL."""
    out = subprocess.run([os.path.join(SCRIPTS, "mariadb.sh"), "db", MARIADB_DIR, name], capture_output=True,
                         check=True, timeout=60)
    return out.stdout.decode().strip()


def mariadb_query(name, sql):
    """Rows of a query on the test MariaDB server, as lists of strings."""
    out = subprocess.run(["mariadb", "--no-defaults", "--socket=" + os.path.join(MARIADB_DIR, "mysqld.sock"),
                          "-uroot", "-N", "-B", name, "-e", sql], capture_output=True, check=True, timeout=60)
    return [line.split("\t") for line in out.stdout.decode().splitlines()]


class RawClient:
    """A byte-level SMTP client for what real clients will not send."""

    def __init__(self, port, timeout=10, host="127.0.0.1"):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buf = b""

    def send(self, data):
        self.sock.sendall(data)

    def read_reply(self):
        """Reads one complete (possibly multi-line) reply; returns it as text, or '' on close."""
        while True:
            lines = self.buf.split(b"\r\n")
            for i, line in enumerate(lines[:-1]):
                if len(line) >= 4 and line[3:4] == b" ":
                    reply = b"\r\n".join(lines[: i + 1])
                    self.buf = b"\r\n".join(lines[i + 1:])
                    return reply.decode("latin-1")
            chunk = self.sock.recv(65536)
            if not chunk:
                rest, self.buf = self.buf, b""
                return rest.decode("latin-1")
            self.buf += chunk

    def command(self, line):
        self.send(line + b"\r\n")
        return self.read_reply()

    def read_until_closed(self, timeout=10):
        self.sock.settimeout(timeout)
        data = self.buf
        self.buf = b""
        while True:
            chunk = self.sock.recv(65536)
            if not chunk:
                return data.decode("latin-1")
            data += chunk

    def close(self):
        self.sock.close()


def free_udp():
    """A UDP socket bound to a free loopback port (a DNS server of a test's own)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    return s


def servfail_server(sock, stop):
    """Answers every DNS question on `sock` with SERVFAIL (RFC 1035 header, RCODE 2), echoing the
    question, until `stop` is set."""
    sock.settimeout(0.2)
    while not stop.is_set():
        try:
            q, addr = sock.recvfrom(512)
        except socket.timeout:
            continue
        if len(q) < 12:
            continue
        flags = 0x8182 | (q[2] & 0x01) << 8  # QR, RD copied, RA, RCODE 2
        sock.sendto(q[:2] + flags.to_bytes(2, "big") + q[4:6] + b"\0\0\0\0\0\0" + q[12:], addr)


class ServerTest(unittest.TestCase):
    """A test case with a fresh server per test; CONFIG is appended to its config file."""

    CONFIG = ""

    def setUp(self):
        self.server = Server(self.CONFIG).start()
        # Cleanups run last-in first-out: clients a test registers close before the server stops.
        self.addCleanup(self.server.cleanup)


def main():
    unittest.main(verbosity=2)


class PostfixRelay:
    """A private Postfix instance (its own main.cf, queue and log under a temporary directory) whose
    only route is relayhost = the trap on loopback: mail injected with its sendmail goes through
    pickup, cleanup, qmgr and Postfix's smtp client to spampot. Root only (master runs as root).
    Retries come within seconds, so a greylisted message is seen retried inside a test."""

    def __init__(self, trap_port):
        self.dir = tempfile.mkdtemp(prefix="spampot-postfix-")
        os.chmod(self.dir, 0o755)  # Postfix's own processes run as the postfix user
        self.conf = os.path.join(self.dir, "conf")
        os.makedirs(self.conf)
        os.makedirs(os.path.join(self.dir, "queue"))
        data = os.path.join(self.dir, "data")
        os.makedirs(data)
        shutil.chown(data, user="postfix")
        shutil.copy("/etc/postfix/master.cf", self.conf)
        self.maillog = os.path.join(self.dir, "maillog")
        with open(os.path.join(self.conf, "main.cf"), "w") as f:
            f.write("\n".join([
                "compatibility_level = 3.6",
                "queue_directory = %s/queue" % self.dir,
                "data_directory = %s" % data,
                "mail_owner = postfix",
                "setgid_group = postdrop",
                "myhostname = relay.test",
                "mydomain = relay.test",
                "myorigin = relay.test",
                "inet_interfaces = loopback-only",
                "inet_protocols = ipv4",
                "mydestination =",
                "relayhost = [127.0.0.1]:%d" % trap_port,
                "smtp_tls_security_level = none",
                "alias_maps =",
                "alias_database =",
                "maillog_file = " + self.maillog,
                "maillog_file_prefixes = " + self.dir,
                "master_service_disable = inet",  # no listener: mail comes in through sendmail only
                "queue_run_delay = 1s",
                "minimal_backoff_time = 1s",
                "maximal_backoff_time = 2s",
                # A cached connection is closed without QUIT by the cache, not the client: that
                # session would end differently (and so be another behaviour) by queue timing.
                "smtp_connection_cache_on_demand = no",
                "",
            ]))

    def postfix(self, *args):
        # postfix(1) reports only to a terminal or syslog: `script` gives it a terminal.
        cmd = " ".join(["postfix", "-c", self.conf] + list(args))
        return subprocess.run(["script", "-qc", cmd, "/dev/null"], capture_output=True, timeout=60)

    def start(self):
        p = self.postfix("start")
        if p.returncode != 0 or b"fatal" in p.stdout:
            raise RuntimeError("postfix did not start: " + p.stdout.decode(errors="replace") + self.log())
        # master starts in the background; until pickup's socket is there a message would wait
        # for pickup's next scan of the maildrop, a minute later.
        wait_for(lambda: os.path.exists(os.path.join(self.dir, "queue", "public", "pickup")), "Postfix's pickup", 30)
        return self

    def send(self, sender, recipient, message):
        subprocess.run(["sendmail", "-C", self.conf, "-f", sender, recipient], input=message, check=True, timeout=30)

    def log(self):
        try:
            with open(self.maillog, errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def cleanup(self):
        self.postfix("stop")
        shutil.rmtree(self.dir, ignore_errors=True)
