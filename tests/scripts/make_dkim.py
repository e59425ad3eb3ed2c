#!/usr/bin/python3
"""Writes DKIM test material with an independent signer (Debian's python3-dkim, dkimpy):
a 2048-bit RSA key made by openssl, its public key record, and messages signed with it, some
altered after signing. The DKIM and DMARC tests read it.

Usage: make_dkim.py OUTPUT_DIR
Writes key.txt (the TXT record of sel._domainkey.signed.example, as one line) and:
  signed.eml         signed by signed.example, From signed.example       -> pass
  signed_lf.eml      the same with bare LF line ends (as spam arrives)    -> pass
  body_altered.eml   a word of the body changed after signing            -> fail
  header_altered.eml the Subject changed after signing                   -> fail
  nokey.eml          signed with selector "gone", which has no record     -> permerror
  other_domain.eml   signed by signed.example, From bank.example          -> pass, but not aligned
  unsigned.eml       no signature                                         -> none
"""
import base64
import os
import subprocess
import sys

import dkim

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
key_pem = subprocess.run(["openssl", "genrsa", "2048"], check=True, capture_output=True).stdout
der = subprocess.run(["openssl", "rsa", "-pubout", "-outform", "DER"], input=key_pem, check=True,
                     capture_output=True).stdout
with open(os.path.join(out, "key.txt"), "w") as f:
    f.write("v=DKIM1; k=rsa; p=" + base64.b64encode(der).decode() + "\n")


def message(sender, subject):
    return ("From: Sender <%s>\r\nTo: x@trap.example\r\nSubject: %s\r\nDate: Mon, 30 Nov 2026 10:00:00 +0000\r\n"
            "Message-ID: <%s.%s>\r\n\r\nHello,\r\nthis is the body of the message.\r\n"
            % (sender, subject, subject.replace(" ", "-"), sender)).encode()


def sign(raw, selector=b"sel", domain=b"signed.example"):
    return dkim.sign(raw, selector, domain, key_pem, include_headers=[b"from", b"to", b"subject", b"date",
                                                                         b"message-id"]) + raw


def write(name, raw):
    with open(os.path.join(out, name), "wb") as f:
        f.write(raw)


signed = sign(message("news@signed.example", "signed"))
write("signed.eml", signed)
write("signed_lf.eml", signed.replace(b"\r\n", b"\n"))
write("body_altered.eml", signed.replace(b"the body", b"a body"))
write("header_altered.eml", signed.replace(b"Subject: signed", b"Subject: altered"))
write("nokey.eml", sign(message("news@signed.example", "nokey"), selector=b"gone"))
write("other_domain.eml", sign(message("security@bank.example", "your account")))
write("unsigned.eml", message("news@signed.example", "unsigned"))
