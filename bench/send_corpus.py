#!/usr/bin/env python3
"""Sends every file under DIR, as it is, to the trap at 127.0.0.1:PORT, one SMTP session each;
prints how many the trap accepted. For benchmarks that need captured (not imported) messages.

    bench/send_corpus.py PORT DIR [DIR...]
"""
import os
import smtplib
import sys


def main():
    port, dirs = int(sys.argv[1]), sys.argv[2:]
    accepted = 0
    for d in dirs:
        for root, _, files in os.walk(d):
            for name in sorted(files):
                with open(os.path.join(root, name), "rb") as f:
                    raw = f.read()
                try:
                    with smtplib.SMTP("127.0.0.1", port, timeout=30) as s:
                        s.sendmail("bulk@bad.example", ["x@trap0.example"], raw)
                    accepted += 1
                except (smtplib.SMTPException, UnicodeError):
                    pass  # refused (over the size limit, say): the trap says why in its log
    print(accepted)


if __name__ == "__main__":
    main()
