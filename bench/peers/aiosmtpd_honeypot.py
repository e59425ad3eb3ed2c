#!/usr/bin/python3
"""The benchmark's Python peer: an SMTP honeypot the way the Python ones are written, on Debian's
aiosmtpd. For every message it parses the headers with the standard email package, writes the raw
message to a file, and inserts one row into SQLite (WAL), committing each message.

    aiosmtpd_honeypot.py HOST PORT DIR
"""
import asyncio
import email.parser
import email.policy
import os
import sqlite3
import sys
import time
import uuid

from aiosmtpd.smtp import SMTP


class Honeypot:
    def __init__(self, directory):
        self.dir = directory
        os.makedirs(os.path.join(directory, "messages"), exist_ok=True)
        self.db = sqlite3.connect(os.path.join(directory, "honeypot.db"))
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, received REAL, peer TEXT, "
                        "mail_from TEXT, rcpt_to TEXT, subject TEXT, message_id TEXT, path TEXT)")
        self.parser = email.parser.BytesParser(policy=email.policy.default)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        headers = self.parser.parsebytes(raw, headersonly=True)
        mid = uuid.uuid4().hex
        path = os.path.join(self.dir, "messages", mid + ".eml")
        with open(path, "wb") as f:
            f.write(raw)
        self.db.execute("INSERT INTO messages VALUES (?,?,?,?,?,?,?,?)",
                        (mid, time.time(), str(session.peer), envelope.mail_from, ",".join(envelope.rcpt_tos),
                         str(headers.get("Subject", "")), str(headers.get("Message-ID", "")), path))
        self.db.commit()
        return "250 2.0.0 Ok: queued as " + mid


async def main(host, port, directory):
    handler = Honeypot(directory)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="mx.trap.example", data_size_limit=10485760, decode_data=False,
                     enable_SMTPUTF8=True), host, port, backlog=1024)
    print("listening on %s:%d" % (host, server.sockets[0].getsockname()[1]), flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3]))
