"""curl's SMTP client (smtp://) against the real server."""
import os
import subprocess
import tempfile

from harness import DOMAIN, ServerTest, main


class CurlTest(ServerTest):
    def test_curl_uploads_a_message(self):
        with tempfile.NamedTemporaryFile("wb", suffix=".eml", delete=False) as f:
            f.write(b"From: <curl@bad.example>\r\nSubject: via curl\r\nMessage-ID: <curl-1@bad.example>\r\n\r\n"
                    b".starts with a dot\r\nbye\r\n")
            path = f.name
        self.addCleanup(os.unlink, path)
        p = subprocess.run(["curl", "--silent", "--show-error", "--max-time", "30",
                            "smtp://127.0.0.1:%d" % self.server.port, "--mail-from", "curl@bad.example",
                            "--mail-rcpt", "x@" + DOMAIN, "--mail-rcpt", "y@" + DOMAIN, "--upload-file", path],
                           capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.server.wait_indexed(1)
        m = self.server.search()[0]
        self.assertEqual(m["subject"], "via curl")
        self.assertEqual(m["message_id"], "<curl-1@bad.example>")
        self.assertEqual(m["rcpt_to"], ["x@" + DOMAIN, "y@" + DOMAIN])
        raw = self.server.cli("show", m["id"], "--raw").stdout
        self.assertTrue(raw.endswith(b"\r\n\r\n.starts with a dot\r\nbye\r\n"), raw[-80:])

    def test_curl_relay_attempt_fails(self):
        p = subprocess.run(["curl", "--silent", "--max-time", "30", "smtp://127.0.0.1:%d" % self.server.port,
                            "--mail-from", "a@bad.example", "--mail-rcpt", "v@elsewhere.example", "--upload-file",
                            "/dev/null"], capture_output=True, timeout=60)
        self.assertNotEqual(p.returncode, 0)
        self.server.wait_indexed(1, "sessions")
        self.assertEqual(self.server.count(), 0)


if __name__ == "__main__":
    main()
