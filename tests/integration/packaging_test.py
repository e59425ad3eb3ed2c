"""What an operator installs beside the binary is checked by the tools that read it: the systemd
unit by systemd-analyze (syntax and its security exposure), the man pages by groff with every
warning on and against the subcommands the binary really has, logrotate's file by logrotate, and
`cmake --install` puts each where the unit expects it."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from harness import BIN, main

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, timeout=120, **kw)


class PackagingTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="spampot-pkg-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def unit_copy(self):
        with open(os.path.join(ROOT, "packaging", "spampot.service")) as f:
            text = f.read()
        path = os.path.join(self.tmp, "spampot.service")
        with open(path, "w") as f:
            f.write(text.replace("/usr/local/bin/spampot", os.path.abspath(BIN)))
        return path, text

    def test_systemd_unit_verifies_and_is_hardened(self):
        path, text = self.unit_copy()
        verify = run(["systemd-analyze", "verify", "--man=no", path])
        self.assertEqual(verify.returncode, 0, verify.stderr.decode(errors="replace"))
        for directive in ("NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/spampot",
                          "CapabilityBoundingSet=CAP_NET_BIND_SERVICE", "PrivateTmp=yes",
                          "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "SystemCallFilter=@system-service"):
            self.assertIn(directive + "\n", text)
        sec = run(["systemd-analyze", "security", "--offline=true", path])
        level = re.search(rb"Overall exposure level for \S+: ([0-9.]+)", sec.stdout + sec.stderr)
        self.assertIsNotNone(level, sec.stdout)
        self.assertLess(float(level.group(1)), 2.0)  # systemd calls below 2.0 "OK"

    def test_man_pages_are_clean_and_name_every_subcommand(self):
        for page in ("spampot.1", "spampot.toml.5"):
            p = run(["groff", "-Tutf8", "-man", "-ww", "-z", os.path.join(ROOT, "docs", "man", page)])
            self.assertEqual((p.returncode, p.stderr), (0, b""), page)
        with open(os.path.join(ROOT, "docs", "man", "spampot.1")) as f:
            man = f.read()
        help_text = run([BIN, "--help"]).stdout.decode()
        subcommands = re.findall(r"^  ([a-z]+) {2,}", help_text.split("Subcommands:")[1], re.M)
        self.assertGreater(len(subcommands), 8)
        for sub in subcommands:
            self.assertRegex(man, r"\.(B|BI) \"?%s\b" % sub, "spampot.1 does not describe " + sub)

    def test_logrotate_accepts_its_file(self):
        # The spampot user exists once sysusers ran on install; here the test's own user stands in.
        import grp
        import pwd
        with open(os.path.join(ROOT, "packaging", "spampot.logrotate")) as f:
            text = f.read()
        self.assertIn("su spampot adm\n", text)
        me = "su %s %s\n" % (pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name)
        conf = os.path.join(self.tmp, "spampot.logrotate")
        with open(conf, "w") as f:
            f.write(text.replace("su spampot adm\n", me))
        state = os.path.join(self.tmp, "state")
        p = run(["logrotate", "--debug", "--state", state, conf])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn(b"error", p.stderr.lower())

    def test_install_puts_everything_in_place(self):
        dest = os.path.join(self.tmp, "root")
        build = os.path.dirname(os.path.abspath(BIN))
        p = run(["cmake", "--install", build, "--prefix", "/usr/local"], env=dict(os.environ, DESTDIR=dest))
        self.assertEqual(p.returncode, 0, p.stderr)
        for path in ("usr/local/bin/spampot", "usr/local/share/man/man1/spampot.1",
                     "usr/local/share/man/man5/spampot.toml.5", "usr/local/lib/systemd/system/spampot.service",
                     "usr/local/lib/sysusers.d/spampot.conf", "usr/local/lib/tmpfiles.d/spampot.conf",
                     "usr/local/etc/logrotate.d/spampot", "usr/local/etc/spampot/spampot.example.toml"):
            self.assertTrue(os.path.exists(os.path.join(dest, path)), path)
        tmpfiles = run(["systemd-tmpfiles", "--cat-config"])  # the tool is there to read it
        self.assertEqual(tmpfiles.returncode, 0)


if __name__ == "__main__":
    main()
