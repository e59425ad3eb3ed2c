#!/usr/bin/env python3
"""Memory and threads of spampot holding CONNECTIONS tarpitted sessions (default 2000): a release
build with a tarpit listener (stutter 1s: one byte per second), every client connected and
having sent EHLO, so the server is stuttering a greeting or an EHLO reply to each at once.
Prints the server's RSS before and while holding them, per connection, and its thread count.

    bench/tarpit_load.py [CONNECTIONS]
"""
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BIN = os.path.join(ROOT, "build-release", "spampot")
N = int(sys.argv[1]) if len(sys.argv) > 1 else 2000


def status(pid, key):
    with open("/proc/%d/status" % pid) as f:
        return int(re.search(r"^%s:\s+(\d+)" % key, f.read(), re.M).group(1))


def main():
    if not os.path.exists(BIN):
        subprocess.run(["make", "-C", ROOT, "release"], check=True, stdout=subprocess.DEVNULL)
    need = N + 200
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, need * 2)), hard))
    work = tempfile.mkdtemp(prefix="spampot-tarpit-")
    try:
        conf = os.path.join(work, "spampot.toml")
        with open(conf, "w") as f:
            f.write('sensor = "bench"\n[smtp]\nhostname = "mx.trap.example"\nlisten = ["127.0.0.1:0"]\n'
                    '[[listener]]\naddress = "127.0.0.5:0"\nstutter = "1s"\n'
                    '[limits]\nconnections = %d\nconnections_per_ip = %d\n[[trap]]\ndomain = "trap.example"\n'
                    '[store]\ndb = "sqlite:%s/db"\nspool = "%s/spool"\n' % (N + 100, N + 100, work, work))
        log = open(os.path.join(work, "log"), "wb")
        srv = subprocess.Popen([BIN, "serve", "--config", conf], stdout=log, stderr=log)
        port = None
        for _ in range(200):
            m = re.findall(rb"listening on 127\.0\.0\.5:(\d+)", open(os.path.join(work, "log"), "rb").read())
            if m:
                port = int(m[-1])
                break
            time.sleep(0.05)
        time.sleep(0.5)
        base = status(srv.pid, "VmRSS")
        socks = []
        for _ in range(N):
            s = socket.create_connection(("127.0.0.5", port), timeout=30)
            s.sendall(b"EHLO tarpitted.example\r\n")
            socks.append(s)
        time.sleep(5)  # every session now mid-stutter
        held = status(srv.pid, "VmRSS")
        threads = status(srv.pid, "Threads")
        got = sum(1 for s in socks if s.recv(64, socket.MSG_PEEK | socket.MSG_DONTWAIT))
        print("| tarpitted connections | receiving bytes | server threads | RSS before KiB | RSS holding KiB | KiB per connection |")
        print("|---|---|---|---|---|---|")
        print("| %d | %d | %d | %d | %d | %.1f |" % (N, got, threads, base, held, (held - base) / N))
        for s in socks:
            s.close()
        srv.terminate()
        srv.wait(timeout=60)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
