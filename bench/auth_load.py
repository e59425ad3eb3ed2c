#!/usr/bin/env python3
"""Sender authentication under load, end to end: how fast `serve`'s worker evaluates SPF, DKIM and
DMARC of a flood, with a real DNS server (dnsmasq on loopback) answering every question.

N messages from D distinct sender domains (each with an SPF record with an include, and a DMARC
record), a quarter of them DKIM-signed by python3-dkim, are sent through a PROXY-protocol
listener from 8 threads, so the client addresses are public-looking (libspf2 passes loopback
clients without asking). The trap's 250s never wait for the checks; this measures how long after
the last 250 every message is evaluated, at [dns] rate = 0 (no limit) and at the default 50.

    bench/auth_load.py [BIN] [N] [DOMAINS]     (release build by default; loopback only)
"""
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "build-release", "spampot")
N = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
DOMAINS = int(sys.argv[3]) if len(sys.argv) > 3 else 200


def free_port(kind=socket.SOCK_DGRAM):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_dns(tmp, key):
    opts = []
    for d in range(DOMAINS):
        dom = "sender%d.example" % d
        opts += ["--txt-record=%s,v=spf1 include:_spf.%s ~all" % (dom, dom),
                 "--txt-record=_spf.%s,v=spf1 ip4:192.0.2.0/24 ip4:198.51.%d.0/24 -all" % (dom, d % 250),
                 "--txt-record=_dmarc.%s,v=DMARC1; p=reject" % dom]
    opts += ["--txt-record=sel._domainkey.signed.example," + ",".join(key[i:i + 200] for i in range(0, len(key), 200)),
             "--txt-record=_dmarc.signed.example,v=DMARC1; p=none", "--local=/example/"]
    port = free_port()
    proc = subprocess.Popen(["dnsmasq", "-k", "-p", str(port), "--listen-address=127.0.0.1", "--bind-interfaces",
                             "--no-resolv", "--no-hosts", "-u", "root", "--pid-file=", "--cache-size=10000"] + opts,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    return proc, port


def run(rate, signed, dns_port, tmp):
    work = tempfile.mkdtemp(dir=tmp)
    cfg = os.path.join(work, "spampot.toml")
    with open(cfg, "w") as f:
        f.write('sensor = "bench"\n[smtp]\nhostname = "mx.trap.example"\n[[trap]]\ndomain = "trap.example"\n'
                '[[listener]]\naddress = "127.0.0.1:%d"\nproxy_protocol = true\n'
                '[dns]\nservers = ["127.0.0.1:%d"]\nrate = %d\nptr = false\ncheck = false\n'
                % (free_port(socket.SOCK_STREAM), dns_port, rate))
    db = os.path.join(work, "spampot.db")
    log = open(os.path.join(work, "serve.log"), "wb")
    proc = subprocess.Popen([BIN, "serve", "--config", cfg, "--listen", "127.0.0.1:0", "--db", "sqlite:" + db,
                             "--spool", os.path.join(work, "spool")], stdout=log, stderr=log)
    port = None
    for _ in range(200):
        with open(os.path.join(work, "serve.log")) as f:
            m = re.findall(r"listening on 127\.0\.0\.1:(\d+)", f.read())
        if len(m) >= 2:
            port = int(m[0])  # the [[listener]] one comes first
            break
        time.sleep(0.05)
    with open(os.path.join(work, "serve.log")) as f:
        ports = [int(p) for p in re.findall(r"listening on 127\.0\.0\.1:(\d+)", f.read())]
    proxy_port = [p for p in ports if p != port][0] if len(ports) > 1 else ports[0]
    # The listener configured with proxy_protocol is the one whose port we wrote: find it by trying.
    def send_one(i, sock_port):
        dom = "sender%d.example" % (i % DOMAINS)
        client = "192.0.2.%d" % (1 + i % 250) if i % 3 else "203.0.113.%d" % (1 + i % 250)
        body = signed if i % 4 == 0 else (
            "From: <news@%s>\r\nSubject: offer %d\r\n\r\nbuy now\r\n" % (dom, i)).encode()
        sender = "news@signed.example" if i % 4 == 0 else "news@" + dom
        s = socket.create_connection(("127.0.0.1", sock_port), timeout=30)
        f = s.makefile("rb")
        s.sendall(("PROXY TCP4 %s 192.0.2.25 40000 25\r\n" % client).encode())
        f.readline()
        for line in (b"EHLO bot.example\r\n", ("MAIL FROM:<%s>\r\n" % sender).encode(), b"RCPT TO:<x@trap.example>\r\n",
                     b"DATA\r\n"):
            s.sendall(line)
            r = f.readline()
            while r[3:4] == b"-":
                r = f.readline()
        s.sendall(body.replace(b"\r\n.", b"\r\n..") + b"\r\n.\r\n")
        ok = f.readline().startswith(b"250")
        s.sendall(b"QUIT\r\n")
        s.close()
        return ok

    # Which of the two ports speaks PROXY: the one that answers a PROXY header with a greeting.
    for p in ports:
        try:
            if send_one(0, p):
                proxy_port = p
                break
        except OSError:
            pass
    t0 = time.time()
    done = [0]
    lock = threading.Lock()

    def worker(k):
        for i in range(1 + k, N, 8):
            if send_one(i, proxy_port):
                with lock:
                    done[0] += 1

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    accepted_s = time.time() - t0
    evaluated = 0
    while time.time() - t0 < 600:
        try:
            con = sqlite3.connect(db, timeout=30)
            evaluated = con.execute("SELECT count(*) FROM messages WHERE spf <> ''").fetchone()[0]
            con.close()
        except sqlite3.OperationalError:
            pass
        if evaluated >= N:
            break
        time.sleep(0.2)
    total_s = time.time() - t0
    con = sqlite3.connect(db)
    results = con.execute("SELECT spf, dkim, dmarc, count(*) FROM messages GROUP BY 1, 2, 3 ORDER BY 4 DESC").fetchall()
    con.close()
    proc.terminate()
    proc.wait()
    return accepted_s, total_s, evaluated, results


def main():
    tmp = tempfile.mkdtemp(prefix="spampot-authload-")
    try:
        subprocess.run(["/usr/bin/python3", os.path.join(HERE, "..", "tests", "scripts", "make_dkim.py"),
                        os.path.join(tmp, "dkim")], check=True)
        key = open(os.path.join(tmp, "dkim", "key.txt")).read().strip()
        signed = open(os.path.join(tmp, "dkim", "signed.eml"), "rb").read()
        dns, dns_port = start_dns(tmp, key)
        try:
            for rate in (0, 50):
                a, t, e, results = run(rate, signed, dns_port, tmp)
                print("[dns] rate = %d: %d messages accepted in %.1f s (%.0f msg/s); all %d evaluated %.1f s after the "
                      "first, %.1f s after the last 250: %.0f evaluations/s" % (rate, N, a, N / a, e, t, t - a, e / t))
                for r in results[:6]:
                    print("    spf=%s dkim=%s dmarc=%s: %d" % r)
        finally:
            dns.terminate()
            dns.wait()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
