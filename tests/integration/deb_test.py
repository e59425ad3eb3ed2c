"""The Debian package, the way an operator meets it (issue 19): `scripts/make-deb.sh` builds it
with dpkg-buildpackage and checks it with lintian (no errors), then this machine installs it with
dpkg -i, runs `spampot config check` and a trap from the installed files as the package's user,
upgrades to a newer build of the package (revision 2) keeping the data and the operator's edit of
the conffile, and removes it: `dpkg -r` leaves config and data, `dpkg --purge` takes both.

It changes the machine it runs on (a package, a system user), as CI's throwaway machine allows;
it runs only as root and purges the package whatever happens."""
import glob
import os
import pwd
import re
import subprocess
import time
import unittest

from harness import DOMAIN, main

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CONF = "/etc/spampot/spampot.toml"


def run(cmd, check=True, **kw):
    p = subprocess.run(cmd, capture_output=True, timeout=1500, **kw)
    if check and p.returncode != 0:
        raise AssertionError("%s failed (%d):\n%s\n%s" % (cmd, p.returncode, p.stdout.decode(errors="replace")[-3000:],
                                                         p.stderr.decode(errors="replace")[-3000:]))
    return p


def version_installed():
    p = run(["dpkg-query", "-W", "-f", "${Status} ${Version}", "spampot"], check=False)
    return p.stdout.decode() if p.returncode == 0 else ""


class Trap:
    """The installed binary, run from the installed config as the package's user, on loopback."""

    def __init__(self):
        self.log = open("/tmp/spampot-deb-test.log", "wb")
        # As the package's user, without a wrapper between: SIGTERM reaches the trap itself.
        pw = pwd.getpwnam("spampot")

        def drop():
            os.setgroups([])
            os.setgid(pw.pw_gid)
            os.setuid(pw.pw_uid)
        self.proc = subprocess.Popen(["/usr/bin/spampot", "serve", "--config", CONF, "--listen", "127.0.0.1:0",
                                      "--domain", DOMAIN], stdout=self.log, stderr=self.log, preexec_fn=drop,
                                     cwd="/var/lib/spampot")
        deadline = time.time() + 20
        while time.time() < deadline:
            m = re.search(rb"listening on 127\.0\.0\.1:(\d+)", open(self.log.name, "rb").read())
            if m:
                self.port = int(m.group(1))
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError("the installed trap did not start: " + open(self.log.name, "rb").read().decode())

    def send(self, subject):
        p = run(["swaks", "--server", "127.0.0.1:%d" % self.port, "--to", "a@" + DOMAIN, "--header",
                 "Subject: " + subject])
        return re.search(rb"queued as (\S+)", p.stdout).group(1).decode()

    def stop(self):
        self.proc.terminate()
        rc = self.proc.wait(timeout=60)
        self.log.close()
        return rc


def search():
    out = run(["runuser", "-u", "spampot", "--", "/usr/bin/spampot", "search", "--config", CONF, "--format", "csv"])
    return out.stdout.decode()


@unittest.skipUnless(os.geteuid() == 0, "installs a package: root only")
class DebTest(unittest.TestCase):
    def setUp(self):
        if version_installed():
            run(["dpkg", "--purge", "spampot"])
        self.addCleanup(lambda: run(["dpkg", "--purge", "spampot"], check=False))

    def build(self, revision):
        env = dict(os.environ, DEB_REVISION=str(revision))
        p = run([os.path.join(ROOT, "scripts", "make-deb.sh")], env=env, cwd=ROOT)
        out = p.stdout.decode()
        self.assertNotRegex(out, r"(?m)^E: ", out)  # lintian: no errors
        deb = glob.glob(os.path.join(ROOT, "build-deb", "spampot_*-%d_amd64.deb" % revision))
        self.assertEqual(len(deb), 1, out)
        return deb[0]

    def test_install_run_upgrade_remove_purge(self):
        first, second = self.build(1), self.build(2)

        run(["dpkg", "-i", first])
        self.assertRegex(version_installed(), r"install ok installed \S+-1$")
        self.assertEqual(run(["/usr/bin/spampot", "config", "check"]).returncode, 0)
        self.assertEqual(run(["/usr/bin/spampot", "version"]).stdout.decode().split()[0], "spampot")
        self.assertTrue(os.path.exists("/usr/share/man/man1/spampot.1.gz"))
        self.assertTrue(os.path.exists("/usr/share/man/man5/spampot.toml.5.gz"))
        self.assertIn("/etc/spampot/spampot.toml", run(["dpkg-query", "-W", "-f", "${Conffiles}", "spampot"]).stdout.decode())
        self.assertEqual(run(["stat", "-c", "%U %a", "/var/lib/spampot"]).stdout.decode().split(), ["spampot", "750"])
        unit = open("/lib/systemd/system/spampot.service").read()
        self.assertIn("ExecStart=/usr/bin/spampot serve --config /etc/spampot/spampot.toml", unit)
        self.assertTrue(os.path.islink("/etc/systemd/system/multi-user.target.wants/spampot.service"))  # enabled
        # ... and not started: no process runs the installed binary (the other integration tests
        # run their own `spampot` beside this one under ctest -j).
        self.assertEqual(run(["pgrep", "-f", "^/usr/bin/spampot "], check=False).returncode, 1)
        verify = run(["systemd-analyze", "verify", "--man=no", "/lib/systemd/system/spampot.service"], check=False)
        self.assertEqual(verify.returncode, 0, verify.stderr)

        trap = Trap()
        first_id = trap.send("before the upgrade")
        deadline = time.time() + 30
        while first_id not in search() and time.time() < deadline:
            time.sleep(0.2)
        self.assertEqual(trap.stop(), 0)
        self.assertIn(first_id, search())

        # The operator's edit of the conffile survives the upgrade; so does the data.
        with open(CONF, "a") as f:
            f.write("# edited by the operator\n")
        run(["dpkg", "-i", second])
        self.assertRegex(version_installed(), r"install ok installed \S+-2$")
        self.assertTrue(open(CONF).read().endswith("# edited by the operator\n"))
        trap = Trap()
        second_id = trap.send("after the upgrade")
        deadline = time.time() + 30
        while second_id not in search() and time.time() < deadline:
            time.sleep(0.2)
        self.assertEqual(trap.stop(), 0)
        listed = search()
        self.assertIn(first_id, listed)
        self.assertIn(second_id, listed)

        run(["dpkg", "-r", "spampot"])
        self.assertRegex(version_installed(), r"^deinstall ok config-files")
        self.assertFalse(os.path.exists("/usr/bin/spampot"))
        self.assertTrue(os.path.exists(CONF))
        self.assertTrue(os.path.exists("/var/lib/spampot/spampot.db"))

        run(["dpkg", "--purge", "spampot"])
        self.assertEqual(version_installed(), "")
        self.assertFalse(os.path.exists("/etc/spampot"))
        self.assertFalse(os.path.exists("/var/lib/spampot"))
        self.assertFalse(os.path.exists("/etc/systemd/system/multi-user.target.wants/spampot.service"))


if __name__ == "__main__":
    main()
