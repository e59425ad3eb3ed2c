"""The trap on IPv6 loopback beside IPv4: both listeners, and the client address recorded."""
import smtplib
import socket

from harness import DOMAIN, Server, main
import unittest


class Ipv6Test(unittest.TestCase):
    def test_ipv4_and_ipv6_listeners(self):
        server = Server(extra_args=("--domain", DOMAIN, "--listen", "[::1]:0"))
        self.addCleanup(server.cleanup)
        server.start()
        log = server.read_log().decode()
        v6_port = int(log.split("listening on [::1]:")[1].split()[0])
        s = smtplib.SMTP(timeout=10)
        s.connect("::1", v6_port)
        s.sendmail("six@bad.example", ["x@" + DOMAIN], b"Subject: over v6\r\n\r\nx\r\n")
        s.quit()
        s = smtplib.SMTP("127.0.0.1", server.port, timeout=10)
        s.sendmail("four@bad.example", ["x@" + DOMAIN], b"Subject: over v4\r\n\r\nx\r\n")
        s.quit()
        server.wait_indexed(2)
        by_from = {m["mail_from"]: m for m in server.search()}
        self.assertEqual(by_from["six@bad.example"]["client_ip"], "::1")
        self.assertEqual(by_from["four@bad.example"]["client_ip"], "127.0.0.1")
        self.assertEqual(len(server.search("--ip", "::1/128")), 1)
        raw = server.cli("show", by_from["six@bad.example"]["id"], "--raw").stdout
        self.assertIn(b"([IPv6:::1]:", raw)


if __name__ == "__main__":
    main()
