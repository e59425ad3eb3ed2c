#!/usr/bin/python3
"""make bench: spampot against the SMTP sinks people would otherwise run, in one run on this
machine, loopback only, bounded in time.

Peers, each on its own loopback port: Postfix's smtp-sink (stores nothing: the upper limit), a
Python honeypot on aiosmtpd (bench/peers/), and spampot with full persistence (a 250 only after
the spool record's fdatasync; everything indexed into SQLite). Load comes from Postfix's
smtp-source. Prints a Markdown table and writes bench/results/LATEST.md.

    bench/run.py [--quick]
"""
import asyncio
import os
import platform
import re
import resource
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SPAMPOT = os.path.join(ROOT, "build-release", "spampot")
QUICK = "--quick" in sys.argv
RUNS = 1 if QUICK else 3
SESSIONS = 10
SIZE = 2048


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, 65536) if hard != resource.RLIM_INFINITY else 65536
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


class Peer:
    def __init__(self, name):
        self.name = name
        self.proc = None
        self.port = None
        self.dir = tempfile.mkdtemp(prefix="spampot-bench-%s-" % name)

    def command(self):
        raise NotImplementedError

    def start(self):
        self.port = free_port()
        self.log = open(os.path.join(self.dir, "log"), "wb")
        self.proc = subprocess.Popen(self.command(), stdout=self.log, stderr=self.log, cwd=self.dir,
                                     preexec_fn=raise_nofile)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.recv(512)
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("%s did not start" % self.name)

    def stop(self, keep=False):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        if not keep:
            shutil.rmtree(self.dir, ignore_errors=True)

    def rss_kib(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))

    def anon_kib(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1])
        return 0

    def hwm_kib(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            return int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1))

    def cpu_s(self):
        with open("/proc/%d/stat" % self.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class SmtpSink(Peer):
    messages = 40000 if not QUICK else 10000

    def command(self):
        # -m: smtp-sink handles 256 connections at once unless told more.
        return ["/usr/sbin/smtp-sink", "-u", "nobody", "-m", "20000", "127.0.0.1:%d" % self.port, "4096"]


class Aiosmtpd(Peer):
    messages = 3000 if not QUICK else 1000

    def command(self):
        return ["/usr/bin/python3", os.path.join(HERE, "peers", "aiosmtpd_honeypot.py"), "127.0.0.1", str(self.port),
                self.dir]


class Spampot(Peer):
    messages = 20000 if not QUICK else 5000

    def indexed(self):
        con = sqlite3.connect(os.path.join(self.dir, "spampot.db"), timeout=30)
        try:
            return con.execute("SELECT count(*) FROM messages").fetchone()[0]
        except sqlite3.OperationalError:
            return 0
        finally:
            con.close()

    def drain(self, total):
        """Seconds until all `total` messages are searchable (the indexer runs when the CPU is free)."""
        start = time.time()
        while self.indexed() < total:
            if time.time() - start > 600:
                raise RuntimeError("spampot indexed %d of %d in 600 s" % (self.indexed(), total))
            time.sleep(0.05)
        return time.time() - start

    def reindex(self):
        """Messages per second and CPU seconds of `spampot reindex` over this spool: parse and store
        on one core (the indexer is one thread)."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.time()
        subprocess.run([SPAMPOT, "reindex", "--config", os.path.join(self.dir, "spampot.toml"), "--db",
                        "sqlite:" + os.path.join(self.dir, "spampot.db"), "--spool", os.path.join(self.dir, "spool")],
                       check=True, capture_output=True, timeout=900)
        took = time.time() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return self.indexed() / took, cpu

    def command(self):
        cfg = os.path.join(self.dir, "spampot.toml")
        self.tls_port = free_port()  # implicit TLS, for the idle TLS connections
        with open(cfg, "w") as f:
            f.write('sensor = "bench"\n[smtp]\nhostname = "mx.trap.example"\n[limits]\nconnections = 20000\n'
                    'connections_per_ip = 20000\nmessages_per_session = 1000000\n[log]\nlevel = "warn"\n'
                    '[[listener]]\naddress = "127.0.0.1:%d"\nimplicit_tls = true\n' % self.tls_port)
        return [SPAMPOT, "serve", "--config", cfg, "--listen", "127.0.0.1:%d" % self.port, "--domain", "trap.example",
                "--db", "sqlite:" + os.path.join(self.dir, "spampot.db"), "--spool", os.path.join(self.dir, "spool")]


PATTERNS = [
    ("per-session", ["-d"], 1),
    ("one-per-connection", [], 1),
    ("per-session, 10 rcpt", ["-d", "-r", "10"], 10),
]


def load(peer, extra, messages):
    cpu0 = peer.cpu_s()
    start = time.time()
    p = subprocess.run(["/usr/sbin/smtp-source", "-s", str(SESSIONS), "-m", str(messages), "-l", str(SIZE), "-f",
                        "bench@bad.example", "-t", "rcpt@trap.example"] + extra + ["127.0.0.1:%d" % peer.port],
                       capture_output=True, timeout=600)
    took = time.time() - start
    if p.returncode != 0:
        raise RuntimeError("smtp-source against %s: %s" % (peer.name, p.stderr.decode(errors="replace")))
    return messages / took, peer.cpu_s() - cpu0


def idle(peer, count, tls=False):
    """Opens `count` connections (TLS from the first byte: spampot's implicit TLS listener), reads
    each greeting, holds them; RSS growth per connection."""
    import ssl
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    base = peer.rss_kib()
    socks = []
    greeted = 0
    misses = 0
    deadline = time.time() + 90
    try:
        for _ in range(count):
            # A server that stops greeting (smtp-sink past FD_SETSIZE) ends the test, not the run.
            if misses >= 10 or time.time() > deadline:
                break
            try:
                s = socket.create_connection(("127.0.0.1", peer.tls_port if tls else peer.port), timeout=2)
                if tls:
                    s = ctx.wrap_socket(s, server_hostname="mx.trap.example")
            except OSError:
                misses += 1
                continue
            socks.append(s)
            # Read each greeting as it comes, as a client would, before opening the next.
            try:
                if s.recv(512).startswith(b"220"):
                    greeted += 1
                    continue
            except OSError:
                pass
            misses += 1
        time.sleep(0.5)
        grown = peer.rss_kib() - base
        count = max(1, len(socks))
        # A normal session is still served while they are held.
        ok = normal_session(peer)
        return grown / count, peer.rss_kib(), ok, greeted
    finally:
        for s in socks:
            s.close()


def normal_session(peer):
    import smtplib
    try:
        s = smtplib.SMTP("127.0.0.1", peer.port, timeout=20)
        s.sendmail("check@bad.example", ["rcpt@trap.example"], b"Subject: still served\r\n\r\nx\r\n")
        s.quit()
        return True
    except (OSError, smtplib.SMTPException):
        return False


async def latency(port, sessions, per_session):
    """Time from the end of DATA to the 250, with `sessions` clients at once."""
    samples = []
    body = b"Subject: latency\r\n\r\n" + (b"x" * 76 + b"\r\n") * 26 + b".\r\n"  # about 2 KB

    async def client():
        r, w = await asyncio.open_connection("127.0.0.1", port)

        async def reply():
            while True:
                line = await r.readline()
                if len(line) < 4 or line[3:4] != b"-":
                    return line

        await reply()
        w.write(b"EHLO lat.example\r\n")
        await w.drain()
        await reply()
        for _ in range(per_session):
            w.write(b"MAIL FROM:<l@bad.example>\r\n")
            await reply()
            w.write(b"RCPT TO:<r@trap.example>\r\n")
            await reply()
            w.write(b"DATA\r\n")
            await reply()
            w.write(body)
            t0 = time.perf_counter()
            await w.drain()
            line = await reply()
            samples.append(time.perf_counter() - t0)
            assert line.startswith(b"250"), line
        w.write(b"QUIT\r\n")
        await w.drain()
        w.close()

    await asyncio.gather(*(client() for _ in range(sessions)))
    samples.sort()
    return samples[len(samples) // 2] * 1000, samples[int(len(samples) * 0.99) - 1] * 1000


def machine():
    model = ""
    with open("/proc/cpuinfo") as f:
        m = re.search(r"model name\s*:\s*(.*)", f.read())
        model = m.group(1) if m else ""
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return "%s; %d cores (%s); %.0f GiB; kernel %s" % (platform.node(), os.cpu_count(), model, mem, platform.release())


def main():
    raise_nofile()
    started = time.time()
    out = []
    results = {}
    out.append("## Throughput (smtp-source, %d sessions, %d-byte messages, median of %d runs)\n" % (SESSIONS, SIZE, RUNS))
    out.append("| server | pattern | msg/s median | min | max | server CPU s per 1000 msg | server peak RSS MiB |")
    out.append("|---|---|---|---|---|---|---|")
    end_to_end = []
    for cls in (SmtpSink, Aiosmtpd, Spampot):
        for pattern, extra, _ in PATTERNS:
            rates, cpus = [], []
            peer = cls(cls.__name__.lower()).start()
            try:
                loading = time.time()
                for _ in range(RUNS):
                    rate, cpu = load(peer, extra, cls.messages)
                    rates.append(rate)
                    cpus.append(cpu)
                hwm = peer.hwm_kib()
                if cls is Spampot:
                    total = RUNS * cls.messages
                    loaded = time.time() - loading
                    drained = peer.drain(total)
                    peer.stop(keep=True)  # the spool stays for reindex; the finally removes it
                    index_rate, index_cpu = peer.reindex()
                    end_to_end.append("| %s | %d | %.1f | %.2f | %.0f | %.0f | %.3f |" % (
                        pattern, total, loaded, drained, total / (loaded + drained), index_rate, index_cpu / total * 1000))
            finally:
                peer.stop()
            med = statistics.median(rates)
            results[(cls.__name__, pattern)] = med
            out.append("| %s | %s | %.0f | %.0f | %.0f | %.3f | %.1f |" % (
                cls.__name__, pattern, med, min(rates), max(rates), statistics.median(cpus) / cls.messages * 1000,
                hwm / 1024))
            print(out[-1], flush=True)
    out.append("\n## spampot's ratio to each peer (same run)\n")
    out.append("| pattern | vs smtp-sink | vs aiosmtpd honeypot |")
    out.append("|---|---|---|")
    for pattern, _, _ in PATTERNS:
        sp = results[("Spampot", pattern)]
        out.append("| %s | %.2fx | %.1fx |" % (pattern, sp / results[("SmtpSink", pattern)],
                                               sp / results[("Aiosmtpd", pattern)]))

    out.append("\n## spampot end to end: until the last message is searchable\n")
    out.append("The indexer runs at idle priority: during the load it gets what the SMTP side leaves, and the "
               "backlog waits in the spool. `drain` is the time from the last 250 until every message is in "
               "the store; `reindex` is `spampot reindex` of the same spool afterwards (parse and store, one "
               "thread).\n")
    out.append("| pattern | messages | load s | drain s | end-to-end msg/s | reindex msg/s | reindex CPU s per 1000 msg |")
    out.append("|---|---|---|---|---|---|---|")
    out.extend(end_to_end)

    out.append("\n## Idle connections (each greeting read, all held; then a normal session)\n")
    out.append("RSS after start counts the pages of every shared library the process touched; the anonymous "
               "part is its own heap and stacks.\n")
    out.append("| server | connections | greeted | KiB per connection | server RSS MiB | RSS after start MiB | "
               "of it anonymous MiB | normal session served |")
    out.append("|---|---|---|---|---|---|---|---|")
    runs = [(cls, count, False) for cls in (SmtpSink, Aiosmtpd, Spampot)
            for count in ((1000,) if QUICK else (1000, 10000))] + [(Spampot, 1000, True)]
    for cls, count, tls in runs:
        peer = cls(cls.__name__.lower()).start()
        try:
            time.sleep(0.3)
            at_start, anon = peer.rss_kib(), peer.anon_kib()
            per, rss, ok, greeted = idle(peer, count, tls)
        finally:
            peer.stop()
        out.append("| %s | %d | %d | %.1f | %.1f | %.1f | %.1f | %s |" % (
            cls.__name__ + (" (TLS)" if tls else ""), count, greeted, per, rss / 1024, at_start / 1024,
            anon / 1024, "yes" if ok else "NO"))
        print(out[-1], flush=True)

    out.append("\n## Latency from the end of DATA to the 250, 20 sessions\n")
    out.append("| server | messages | p50 ms | p99 ms |")
    out.append("|---|---|---|---|")
    for cls in (SmtpSink, Aiosmtpd, Spampot):
        peer = cls(cls.__name__.lower()).start()
        try:
            per = 25 if cls is Aiosmtpd else 100
            p50, p99 = asyncio.run(latency(peer.port, 20, per))
        finally:
            peer.stop()
        out.append("| %s | %d | %.2f | %.2f |" % (cls.__name__, 20 * per, p50, p99))
        print(out[-1], flush=True)

    report = "# spampot benchmark\n\n%s, %s; `make bench` took %.0f s.\n\n%s\n" % (
        time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), machine(), time.time() - started, "\n".join(out))
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "LATEST.md"), "w") as f:
        f.write(report)
    print("\n" + report)


if __name__ == "__main__":
    main()
