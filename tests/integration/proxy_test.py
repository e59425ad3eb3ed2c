"""PROXY protocol v1 and v2 on a listener that asks for it: the client behind the balancer is
what the trap records. A listener that does not ask for it refuses such a header."""
import re
import struct
import time
import unittest

from harness import DOMAIN, RawClient, Server, main

SIG = b"\r\n\r\n\x00\r\nQUIT\n"


class ProxyTest(unittest.TestCase):
    def setUp(self):
        self.server = Server('[[listener]]\naddress = "127.0.0.2:0"\nproxy_protocol = true\n').start()
        self.addCleanup(self.server.cleanup)
        deadline = time.time() + 10
        while time.time() < deadline:
            m = re.findall(rb"listening on 127\.0\.0\.2:(\d+)", self.server.read_log())
            if m:
                self.proxy_port = int(m[-1])
                break
            time.sleep(0.05)

    def dialogue(self, client, sender):
        self.assertTrue(client.read_reply().startswith("220 "))
        self.assertTrue(client.command(b"EHLO balanced.example").startswith("250"))
        self.assertTrue(client.command(b"MAIL FROM:<%s>" % sender.encode()).startswith("250"))
        self.assertTrue(client.command(b"RCPT TO:<someone@" + DOMAIN.encode() + b">").startswith("250"))
        self.assertTrue(client.command(b"DATA").startswith("354"))
        self.assertTrue(client.command(b"Subject: via proxy\r\n\r\nhi\r\n.").startswith("250"))
        client.command(b"QUIT")
        client.close()

    def test_v1_header_gives_the_real_client(self):
        c = RawClient(self.proxy_port, host="127.0.0.2")
        c.send(b"PROXY TCP4 203.0.113.7 192.0.2.25 40000 25\r\n")
        self.dialogue(c, "v1@bad.example")
        self.server.wait_indexed(1)
        m = self.server.search()[0]
        self.assertEqual((m["client_ip"], m["client_port"]), ("203.0.113.7", 40000))
        self.server.wait_indexed(1, table="sessions")
        row = self.server.query("SELECT client_ip, server_ip, server_port FROM sessions")[0]
        self.assertEqual(row, (b"203.0.113.7", b"192.0.2.25", 25))

    def test_v2_header_with_ipv6_and_a_tlv(self):
        addrs = bytes.fromhex("20010db8000000000000000000000007") + bytes.fromhex("20010db8000000000000000000000019")
        body = addrs + struct.pack("!HH", 51000, 25) + b"\x04\x00\x01\x00"  # a NOOP TLV, skipped
        c = RawClient(self.proxy_port, host="127.0.0.2")
        c.send(SIG + b"\x21\x21" + struct.pack("!H", len(body)) + body)
        self.dialogue(c, "v2@bad.example")
        self.server.wait_indexed(1)
        m = self.server.search()[0]
        self.assertEqual((m["client_ip"], m["client_port"]), ("2001:db8::7", 51000))

    def test_proxy_listener_refuses_a_client_without_header(self):
        c = RawClient(self.proxy_port, host="127.0.0.2")
        self.addCleanup(c.close)
        c.send(b"EHLO straight.example\r\n")
        reply = c.read_reply()
        self.assertTrue(reply.startswith("421 4.7.0"), reply)
        self.assertIn("invalid PROXY protocol header", reply)
        self.server.wait_indexed(1, table="sessions")
        self.assertEqual(self.server.query("SELECT end_reason FROM sessions")[0][0], b"refused")
        self.assertIn(b"invalid PROXY protocol header", self.server.read_log())

    def test_plain_listener_refuses_a_proxy_header(self):
        c = RawClient(self.server.port)
        self.addCleanup(c.close)
        self.assertTrue(c.read_reply().startswith("220 "))
        c.send(b"PROXY TCP4 203.0.113.7 192.0.2.25 40000 25\r\n")
        reply = c.read_reply()
        self.assertTrue(reply.startswith("421 4.7.0"), reply)
        self.assertIn("PROXY protocol header on a listener without proxy_protocol", reply)
        self.server.wait_indexed(1, table="sessions")
        self.assertEqual(self.server.query("SELECT client_ip FROM sessions")[0][0], b"127.0.0.1")


if __name__ == "__main__":
    main()
