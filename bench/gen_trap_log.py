#!/usr/bin/env python3
"""Writes a postfix maillog of a spam trap's life to stdout: MESSAGES accepted messages over DAYS
days, from client IPs, senders, sender domains, HELOs and to trap addresses drawn with a long
tail (a few bots send most of the spam, as at a real trap), plus 10% relay-attempt rejects.
For `bench/report_load.sh`, which imports it and times every report and export.

    bench/gen_trap_log.py [MESSAGES] [DAYS] > /tmp/maillog
"""
import random
import sys

messages = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
days = int(sys.argv[2]) if len(sys.argv) > 2 else 90
rnd = random.Random(7)
out = sys.stdout.buffer
months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
month_days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def longtail(n):
    """An index in [0, n) where small indexes are far more likely (about Zipf with s=1)."""
    return min(n - 1, int(n ** rnd.random()) - 1)


def stamp(t):
    day, rest = divmod(t, 86400)
    m = 0
    while day >= month_days[m % 12]:
        day -= month_days[m % 12]
        m += 1
    return "%s %2d %02d:%02d:%02d" % (months[m % 12], day + 1, rest // 3600, rest // 60 % 60, rest % 60)


N_IPS, N_SENDERS, N_DOMAINS, N_HELOS, N_RCPTS, N_SUBJECTS = 200_000, 100_000, 8_000, 20_000, 5_000, 3_000
ips = ["%d.%d.%d.%d" % (rnd.randint(1, 223), rnd.randint(0, 255), rnd.randint(0, 255), rnd.randint(1, 254))
       for _ in range(N_IPS)]
step = days * 86400 / messages
qid = 0x10000000
chunk = []
t = 0.0
for i in range(messages):
    t += rnd.expovariate(1 / step)
    s = stamp(int(t) % (days * 86400))
    ip = ips[longtail(N_IPS)]
    pid = 1000 + i % 59000
    sender = "u%d@mail%d.spam%d.example" % (longtail(N_SENDERS), longtail(40), longtail(N_DOMAINS))
    helo = "bot%d.example" % longtail(N_HELOS)
    if rnd.random() < 0.1:
        chunk.append("%s trap postfix/smtpd[%d]: NOQUEUE: reject: RCPT from unknown[%s]: 554 5.7.1 <v%d@victim.example>: "
                     "Relay access denied; from=<%s> to=<v%d@victim.example> proto=ESMTP helo=<%s>\n"
                     % (s, pid, ip, i, sender, i, helo))
    qid += 1 + i % 7
    q = "%X" % qid
    n = 1 + (i % 5 == 0)
    chunk.append("%s trap postfix/smtpd[%d]: connect from unknown[%s]\n" % (s, pid, ip))
    chunk.append("%s trap postfix/smtpd[%d]: %s: client=unknown[%s]\n" % (s, pid, q, ip))
    chunk.append("%s trap postfix/cleanup[%d]: %s: message-id=<%s.%d@spam.example>\n" % (s, pid + 1, q, q, i))
    chunk.append("%s trap postfix/cleanup[%d]: %s: warning: header Subject: offer number %d from unknown[%s]; "
                 "from=<%s> to=<x@trap.example> proto=ESMTP helo=<%s>\n" % (s, pid + 1, q, longtail(N_SUBJECTS), ip, sender, helo))
    chunk.append("%s trap postfix/qmgr[99]: %s: from=<%s>, size=%d, nrcpt=%d (queue active)\n" % (s, q, sender, 2000 + i % 5000, n))
    for r in range(n):
        chunk.append("%s trap postfix/local[%d]: %s: to=<u%d@trap%d.example>, relay=local, delay=0.1, "
                     "delays=0.05/0/0/0.05, dsn=2.0.0, status=sent (delivered to mailbox)\n"
                     % (s, pid + 2, q, longtail(N_RCPTS), (i + r) % 3))
    chunk.append("%s trap postfix/qmgr[99]: %s: removed\n" % (s, q))
    chunk.append("%s trap postfix/smtpd[%d]: disconnect from unknown[%s] ehlo=1 mail=1 rcpt=%d data=1 quit=1 commands=%d\n"
                 % (s, pid, ip, n, 4 + n))
    if len(chunk) > 20000:
        out.write("".join(chunk).encode())
        chunk = []
out.write("".join(chunk).encode())
