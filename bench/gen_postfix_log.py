#!/usr/bin/env python3
"""Writes a synthetic postfix maillog of about SIZE bytes (default 1 GiB) to stdout, for the
import benchmark: sessions with connect/client/cleanup/qmgr/delivery/removed/disconnect lines,
interleaved across processes, plus NOQUEUE rejects, in traditional BSD framing.

    bench/gen_postfix_log.py [SIZE_BYTES] > /tmp/maillog
"""
import random
import sys

size = int(sys.argv[1]) if len(sys.argv) > 1 else 1 << 30
rnd = random.Random(1)
out = sys.stdout.buffer
months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
written = 0
t = 0  # seconds since Jan 1, 00:00
qid = 0x10000000
chunk = []
while written < size:
    t += rnd.randint(0, 2)
    day, rest = divmod(t, 86400)
    month, mday = divmod(day, 28)
    stamp = "%s %2d %02d:%02d:%02d" % (months[month % 12], mday + 1, rest // 3600, rest // 60 % 60, rest % 60)
    ip = "%d.%d.%d.%d" % (rnd.randint(1, 223), rnd.randint(0, 255), rnd.randint(0, 255), rnd.randint(1, 254))
    pid = rnd.randint(1000, 60000)
    if rnd.random() < 0.3:
        chunk.append("%s trap postfix/smtpd[%d]: NOQUEUE: reject: RCPT from unknown[%s]: 554 5.7.1 <v%d@victim.example>: "
                     "Relay access denied; from=<s%d@spam.example> to=<v%d@victim.example> proto=ESMTP helo=<bot%d>\n"
                     % (stamp, pid, ip, pid, pid, pid, pid))
    else:
        qid += rnd.randint(1, 99)
        q = "%X" % qid
        n = rnd.randint(1, 3)
        lines = [
            "%s trap postfix/smtpd[%d]: connect from unknown[%s]\n" % (stamp, pid, ip),
            "%s trap postfix/smtpd[%d]: %s: client=unknown[%s]\n" % (stamp, pid, q, ip),
            "%s trap postfix/cleanup[%d]: %s: message-id=<%s.%d@spam.example>\n" % (stamp, pid + 1, q, q, pid),
            "%s trap postfix/qmgr[99]: %s: from=<s%d@spam%d.example>, size=%d, nrcpt=%d (queue active)\n"
            % (stamp, q, pid, pid % 97, rnd.randint(500, 90000), n),
        ]
        for r in range(n):
            lines.append("%s trap postfix/local[%d]: %s: to=<u%d@trap.example>, relay=local, delay=0.1, "
                         "delays=0.05/0/0/0.05, dsn=2.0.0, status=sent (delivered to mailbox)\n" % (stamp, pid + 2, q, r + pid))
        lines.append("%s trap postfix/qmgr[99]: %s: removed\n" % (stamp, q))
        lines.append("%s trap postfix/smtpd[%d]: disconnect from unknown[%s] ehlo=1 mail=1 rcpt=%d data=1 quit=1 commands=%d\n"
                     % (stamp, pid, ip, n, 4 + n))
        chunk.extend(lines)
    if len(chunk) > 5000:
        data = "".join(chunk).encode()
        out.write(data)
        written += len(data)
        chunk = []
if chunk:
    out.write("".join(chunk).encode())
