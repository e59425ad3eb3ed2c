"""The web console in a real browser (issue 17): Debian's headless Chromium driven by Selenium.

Messages whose Subject, From name, file names, URLs, HELO, AUTH user names and HTML parts carry
script, event-handler, javascript:, SVG and CSS payloads are sent through the real server; every
page is loaded in Chromium, and nothing executes (the payloads would set window.__pwned or fetch
a canary server on another loopback address), no request leaves for any host but the console's,
and the pages hold no script of their own. The overview's and a report's numbers equal the CLI's
report for the same store, the API's JSON equals the CLI's, the search form filters, and the main
pages can be walked with the keyboard. Screenshots go to SPAMPOT_SCREENSHOT_DIR (the README's
come from here: docs/screenshots/)."""
import base64
import http.server
import json
import os
import re
import smtplib
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
import warnings
from email.message import EmailMessage

from harness import BIN, DOMAIN, Server, main, wait_for

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

SHOTS = os.environ.get("SPAMPOT_SCREENSHOT_DIR") or tempfile.mkdtemp(prefix="spampot-shots-")
CANARY_HOST = "127.0.0.2"


class Canary(http.server.BaseHTTPRequestHandler):
    hits = []

    def do_GET(self):
        Canary.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def hostile_messages(canary):
    """(helo, auth user, EmailMessage) with a payload wherever a spammer can put one."""
    pwn = "window.__pwned=%d"
    out = []
    m = EmailMessage()
    m["From"] = '"<img src=x onerror=%s>" <evil@bad.example>' % (pwn % 1)
    m["To"] = "victim@" + DOMAIN
    m["Subject"] = "<script>%s</script> \"><svg onload=%s>" % (pwn % 2, pwn % 3)
    m.set_content("see javascript:%s and http://evil.example/x and %s/text-url\n" % (pwn % 4, canary))
    m.add_alternative(
        "<html><head><style>body{background:url(%s/css-bg)}</style><script>%s</script></head>"
        "<body onload=\"%s\"><a href=\"javascript:%s\">click</a><img src=\"%s/pixel.gif\">"
        "<iframe src=\"%s/frame\"></iframe><svg><script>%s</script></svg></body></html>"
        % (canary, pwn % 5, pwn % 6, pwn % 7, canary, canary, pwn % 8), subtype="html")
    m.add_attachment(b"%PDF-1.4 not really", maintype="application", subtype="pdf",
                     filename="\"><img src=x onerror=%s>.pdf" % (pwn % 9))
    out.append(("<script>%s</script>.example" % (pwn % 10), "<img src=x onerror=%s>" % (pwn % 11), m))
    m = EmailMessage()
    m["From"] = "CSS <css@bad.example>"
    m["To"] = "victim@" + DOMAIN
    m["Subject"] = "x\"); background: url(%s/css-subject); (\"" % canary
    m.set_content("</pre><script>%s</script><pre>" % (pwn % 12))
    out.append(("css.example", "", m))
    return out


def ordinary_messages():
    out = []
    for i in range(30):
        m = EmailMessage()
        m["From"] = "Promo %d <promo%d@spam%d.example>" % (i, i % 4, i % 3)
        m["To"] = "user%d@%s" % (i % 5, DOMAIN)
        m["Subject"] = ["Cheap pills", "Your parcel is waiting", "Invoice 4711", "Crypto gains"][i % 4]
        m.set_content("Buy now at http://shop%d.example/offer?id=%d\n" % (i % 3, i))
        out.append(("bot%d.example" % (i % 6), "", m))
    return out


class WebTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.canary = http.server.ThreadingHTTPServer((CANARY_HOST, 0), Canary)
        threading.Thread(target=cls.canary.serve_forever, daemon=True).start()
        canary = "http://%s:%d" % (CANARY_HOST, cls.canary.server_address[1])
        cls.server = Server(config='auth_capture = true\n[web]\nlisten = "127.0.0.1:0"\n')
        cls.server.start()
        sent = 0
        for helo, user, msg in hostile_messages(canary) + ordinary_messages():
            with smtplib.SMTP("127.0.0.1", cls.server.port, local_hostname=helo, timeout=20) as s:
                if user:
                    try:
                        s.login(user, "secret")
                    except smtplib.SMTPAuthenticationError:
                        pass  # refused, and recorded
                s.send_message(msg)
                sent += 1
        # A header name is a behavioural feature: it reaches the session page's Behaviour panel.
        with smtplib.SMTP("127.0.0.1", cls.server.port, timeout=20) as s:
            s.sendmail("raw@behaviour.example", ["victim@" + DOMAIN],
                       b"X-<script>window.__pwned=13</script>: v\r\nSubject: raw\r\n\r\nx\r\n")
            sent += 1
        cls.server.wait_indexed(sent)
        wait_for(lambda: cls.server.count("sessions") >= sent, "the sessions")
        m = re.findall(rb"console on http://(127\.0\.0\.1:\d+)/", cls.server.read_log())
        cls.base = "http://" + m[-1].decode()
        opts = webdriver.ChromeOptions()
        opts.binary_location = "/usr/bin/chromium"
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000",
                  "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking"):
            opts.add_argument(a)
        opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        cls.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
        cls.driver.set_page_load_timeout(30)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        cls.canary.shutdown()
        cls.canary.server_close()
        cls.server.cleanup()

    def load(self, path, shot=None, height=1000):
        self.driver.set_window_size(1400, height)
        self.driver.get(self.base + path)
        self.assertIsNone(self.driver.execute_script("return window.__pwned"), path)
        with self.assertRaises(NoAlertPresentException):
            self.driver.switch_to.alert.text
        if shot:
            os.makedirs(SHOTS, exist_ok=True)
            self.driver.save_screenshot(os.path.join(SHOTS, shot))
        return self.driver.page_source

    def requested_hosts(self):
        """Hosts the browser sent requests to since the last call; a request the page's policy
        blocked before it left (Network.loadingFailed with a blockedReason) is no request. The
        browser's log is read until every request it began was answered or failed, so a verdict
        that arrives late (under load) is not missed."""
        sent, blocked, ended = {}, set(), set()
        deadline = time.time() + 10
        while True:
            for entry in self.driver.get_log("performance"):
                msg = json.loads(entry["message"])["message"]
                params = msg.get("params", {})
                if msg["method"] == "Network.requestWillBeSent":
                    sent[params["requestId"]] = params["request"]["url"]
                elif msg["method"] == "Network.loadingFailed":
                    ended.add(params["requestId"])
                    if params.get("blockedReason"):
                        blocked.add(params["requestId"])
                elif msg["method"] in ("Network.loadingFinished", "Network.responseReceived"):
                    ended.add(params["requestId"])
            if set(sent) <= ended or time.time() > deadline:
                break
            time.sleep(0.1)
        hosts = set()
        for rid, url in sent.items():
            if rid in blocked or url.startswith("data:"):
                continue
            hosts.add(re.match(r"^[a-z]+://([^/]+)", url).group(1) if "://" in url else url)
        return hosts

    def cli_json(self, *args):
        return json.loads(self.server.cli(*args, "--format", "json").stdout)

    def api(self, path):
        with urllib.request.urlopen(self.base + path, timeout=30) as r:
            return json.loads(r.read())

    def ids(self):
        return [m["id"] for m in self.server.search()]

    def test_1_no_payload_executes_and_nothing_leaves_for_another_host(self):
        hostile = [m["id"] for m in self.server.search("--from", "@bad.example")]
        self.assertEqual(len(hostile), 2)
        sessions = [r[0].decode() for r in self.server.query(
            "SELECT session_id FROM messages WHERE mail_from LIKE '%bad.example'")]
        pages = ["/", "/messages", "/messages?subject=script", "/reports"]
        evil = self.server.search("--from", "evil@bad.example")[0]["id"]  # the one with an HTML body
        pages += ["/message/" + i for i in hostile] + ["/message/%s/raw" % i for i in hostile]
        pages.append("/message/%s/html" % evil)
        pages += ["/session/" + s for s in sessions]
        pages += ["/reports/" + n for n in ("summary", "senders", "helos", "subjects", "url-domains", "auth",
                                            "campaigns", "daily", "hourly", "first-spam", "fingerprints",
                                            "greylist")]
        for p in pages:
            html = self.load(p)
            if not p.endswith("/raw") and not p.endswith("/html"):
                self.assertNotIn("<script", html.lower(), p)  # captured ones are &lt;script, and ours are none
        hosts = self.requested_hosts()
        self.assertEqual(hosts, {self.base.split("//")[1]}, hosts)
        self.assertEqual(Canary.hits, [])
        # The payloads are on the pages, as text.
        listed = self.load("/messages?from=evil@bad.example")
        self.assertIn("&lt;script&gt;window.__pwned=2&lt;/script&gt;", listed)
        msg = self.load("/message/" + evil, shot="message.png", height=2400)
        self.assertIn("hxxp[://]evil[.]example/x", msg)
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, 'a[href^="javascript"], [onerror], [onload]'), [])
        self.assertIn("onerror=window.__pwned=9", msg)  # the file name, shown as text
        # The HTML body rendered in a sandbox that allows nothing: no script, no remote load.
        frame = self.driver.find_element(By.CSS_SELECTOR, "iframe.html-body")
        self.assertEqual(frame.get_attribute("sandbox"), "")
        self.driver.switch_to.frame(frame)
        self.assertIn("click", self.driver.find_element(By.TAG_NAME, "body").text)
        self.driver.switch_to.default_content()
        self.assertEqual(self.requested_hosts(), {self.base.split("//")[1]})
        self.assertEqual(Canary.hits, [])
        self.assertIn("&lt;img src=x onerror=window.__pwned=11&gt;", self.load("/session/" + sessions[0]) +
                      self.load("/session/" + sessions[-1], shot="session.png", height=2000))
        raw = self.server.search("--from", "raw@behaviour.example")[0]
        page = self.load("/session/" + raw["session_id"])
        self.assertIn("<h2>Behaviour</h2>", page)
        self.assertIn("X-&lt;script&gt;window.__pwned=13&lt;/script&gt;", page)
        fp = self.server.query("SELECT fingerprint FROM sessions WHERE id = ?", (raw["session_id"],))[0][0].decode()
        self.assertIn('href="/messages?fingerprint=%s"' % fp, page)
        self.assertIn(raw["id"], self.load("/messages?fingerprint=" + fp))
        self.assertIn(fp, self.load("/reports/fingerprints", shot="report-fingerprints.png"))

    def test_2_numbers_equal_the_cli(self):
        page = self.load("/", shot="overview.png")
        summary = {r["metric"]: r["value"] for r in self.cli_json("report", "summary")}
        cards = self.driver.find_elements(By.CSS_SELECTOR, '.card[data-metric="messages"] [data-window="all"]')
        self.assertEqual(int(cards[0].text), summary["messages"])
        sessions = self.driver.find_element(By.CSS_SELECTOR, '.card[data-metric="sessions"] [data-window="all"]')
        self.assertEqual(int(sessions.text), summary["sessions"])
        charts = self.driver.find_elements(By.CSS_SELECTOR, "svg.chart.stacked")
        self.assertEqual(len(charts), 2)
        domains = {r["trap_domain"]: r["messages"] for r in self.cli_json("report", "trap-domains")}
        for chart in charts:
            self.assertEqual(int(chart.get_attribute("data-total")), summary["messages"])
            stacks = {g.get_attribute("data-series"): int(g.get_attribute("data-total"))
                      for g in chart.find_elements(By.CSS_SELECTOR, "g[data-series]")}
            self.assertEqual(stacks, domains)  # one stack per trap domain, its count the CLI's
            line = chart.find_element(By.CSS_SELECTOR, "polyline[data-series=sessions]")
            self.assertEqual(int(line.get_attribute("data-total")), summary["sessions"])
        self.assertIn("Top client IPs", page)
        briefs = [e.get_attribute("data-brief") for e in self.driver.find_elements(By.CSS_SELECTOR, "[data-brief]")]
        self.assertEqual(briefs, ["first-spam", "dnsbl", "campaigns", "seeds", "auth"])
        auth = self.driver.find_element(By.CSS_SELECTOR, '[data-brief="auth"]').text
        self.assertIn("<img src=x onerror=window.__pwned=11>", auth)  # the user name tried, as text
        cli_auth = json.dumps(self.cli_json("report", "auth", "--limit", "5"))
        self.assertIn("window.__pwned=11", cli_auth)
        # A report page: the table is the CLI's report, row for row, and the chart sums its column.
        self.load("/reports/senders?limit=50", shot="report-senders.png")
        cli = self.cli_json("report", "senders", "--limit", "50")
        rows = self.driver.find_elements(By.CSS_SELECTOR, "section.panel table tbody tr")
        self.assertEqual(len(rows), len(cli))
        for row, want in zip(rows, cli):
            cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
            self.assertEqual(cells[0], want["sender"])
            self.assertEqual(int(cells[1]), want["messages"])
        bars = self.driver.find_element(By.CSS_SELECTOR, "svg.chart.bars")
        self.assertEqual(int(bars.get_attribute("data-bars")), len(cli))
        # The API's JSON is the CLI's.
        self.assertEqual(self.api("/api/v1/report/senders?limit=50"), {"senders": cli} if isinstance(cli, dict) else cli)
        self.assertEqual(self.api("/api/v1/search?subject=parcel"), self.server.search("--subject", "parcel", "--limit", "100"))
        one = self.ids()[0]
        self.assertEqual(self.api("/api/v1/message/" + one), json.loads(self.server.cli("show", one).stdout))

    def test_2b_exports_are_the_clis(self):
        page = self.load("/exports", shot="exports.png", height=1100)
        self.assertIn("/exports/postfix?what=ips", page)
        for fmt, what, extra in (("postfix", "ips", ""), ("plain", "senders", "&min_hits=2"),
                                 ("csv", "domains", ""), ("rbldnsd", "url-domains", "&min_days=1"),
                                 ("sendmail", "senders", "&expire_after=30")):
            with urllib.request.urlopen("%s/exports/%s?what=%s%s" % (self.base, fmt, what, extra), timeout=30) as r:
                self.assertTrue(r.headers["Content-Disposition"].startswith("attachment;"))
                got = r.read()
            args = ["export", fmt, "--what", what]
            for k, v in re.findall(r"&(\w+)=(\w+)", extra):
                args += ["--" + k.replace("_", "-"), v]
            # The same bytes, but for the header's time of generation (to the second).
            stamp = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
            self.assertEqual(stamp.sub(b"T", got), stamp.sub(b"T", self.server.cli(*args).stdout), fmt)
            with urllib.request.urlopen("%s/api/v1/export/%s?what=%s%s" % (self.base, fmt, what, extra), timeout=30) as r:
                self.assertEqual(stamp.sub(b"T", r.read()), stamp.sub(b"T", got))
        with self.assertRaises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(self.base + "/api/v1/export/postfix?what=ips&min_hits=many", timeout=30)
        self.assertEqual(e.exception.code, 400)
        self.assertIn(b"min_hits many: not a whole number", e.exception.read())

    def test_3_the_search_form_filters_and_pages_without_offset(self):
        self.load("/messages")
        box = self.driver.find_element(By.NAME, "subject")
        box.send_keys("parcel")
        box.submit()
        wait_for(lambda: "subject=parcel" in self.driver.current_url, "the search")
        rows = self.driver.find_elements(By.CSS_SELECTOR, "section.panel table tbody tr")
        self.assertEqual(len(rows), len(self.server.search("--subject", "parcel")))
        self.driver.save_screenshot(os.path.join(SHOTS, "messages.png"))
        # Pages of 7: every message once, newest first, by following "Older messages".
        self.load("/messages?limit=7")
        seen = []
        for _ in range(20):
            seen += [a.get_attribute("href").rsplit("/", 1)[1]
                     for a in self.driver.find_elements(By.CSS_SELECTOR, "section.panel tbody td.when a")]
            older = self.driver.find_elements(By.LINK_TEXT, "Older messages")
            if not older:
                break
            self.assertIn("before=", older[0].get_attribute("href"))
            older[0].click()
        self.assertEqual(seen, self.ids())

    def test_4_keyboard_reaches_the_main_pages(self):
        self.load("/")
        body = self.driver.find_element(By.TAG_NAME, "body")
        body.send_keys(Keys.TAB)
        self.assertEqual(self.driver.switch_to.active_element.text, "Overview")
        self.driver.switch_to.active_element.send_keys(Keys.TAB)
        self.assertEqual(self.driver.switch_to.active_element.text, "Messages")
        self.driver.switch_to.active_element.send_keys(Keys.ENTER)
        wait_for(lambda: self.driver.current_url.endswith("/messages"), "the messages page")
        self.driver.switch_to.active_element.send_keys(Keys.TAB)
        self.driver.switch_to.active_element.send_keys(Keys.TAB)
        self.driver.switch_to.active_element.send_keys(Keys.TAB)
        self.assertEqual(self.driver.switch_to.active_element.text, "Reports")
        self.driver.switch_to.active_element.send_keys(Keys.ENTER)
        wait_for(lambda: self.driver.current_url.endswith("/reports"), "the reports page")

    def test_5_headers_and_downloads(self):
        with urllib.request.urlopen(self.base + "/", timeout=30) as r:
            csp = r.headers["Content-Security-Policy"]
            self.assertIn("default-src 'none'", csp)
            self.assertIn("frame-ancestors 'none'", csp)
            self.assertNotIn("script-src", csp)  # no script at all
            self.assertEqual(r.headers["X-Content-Type-Options"], "nosniff")
        evil = [m["id"] for m in self.server.search("--from", "evil@bad.example")][0]
        with urllib.request.urlopen(self.base + "/message/%s/attachment/0" % evil, timeout=30) as r:
            self.assertEqual(r.headers["Content-Type"], "application/octet-stream")
            self.assertEqual(r.headers["Content-Disposition"], 'attachment; filename="%s-0.bin"' % evil)
            self.assertEqual(r.read(), b"%PDF-1.4 not really")
        with urllib.request.urlopen(self.base + "/message/%s/eml" % evil, timeout=30) as r:
            self.assertEqual(r.headers["Content-Disposition"], 'attachment; filename="%s.eml"' % evil)
            self.assertEqual(r.read(), self.server.cli("show", evil, "--raw").stdout)
        req = urllib.request.Request(self.base + "/messages", data=b"x", method="POST")
        with self.assertRaises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(req, timeout=30)
        self.assertEqual(e.exception.code, 405)


    def test_5b_openapi_lists_every_endpoint_and_a_validator_accepts_it(self):
        with urllib.request.urlopen(self.base + "/api/v1/openapi.json", timeout=30) as r:
            text = r.read()
        spec = json.loads(text)
        path = os.path.join(self.server.dir, "openapi.json")
        with open(path, "wb") as f:
            f.write(text)
        tool = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "openapi")
        check = subprocess.run(["node", os.path.join(tool, "validate.js"), path], capture_output=True, timeout=60)
        self.assertEqual(check.returncode, 0, check.stderr)
        templates = [re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(p)) + "$") for p in spec["paths"]]
        # Every endpoint listed answers (ids from this store), ...
        evil = [m["id"] for m in self.server.search("--from", "evil@bad.example")][0]
        session = self.cli_json_show(evil)["session"]["id"]
        for p in spec["paths"]:
            url = p.replace("/message/{id}", "/message/" + evil).replace("{id}", session).replace("{n}", "0")
            url = url.replace("{name}", "summary").replace("{format}", "plain")
            with urllib.request.urlopen(self.base + url, timeout=30) as r:
                self.assertEqual(r.status, 200, url)
        # ... and every link the pages hold goes to a listed endpoint.
        seen = set()
        for page in ("/", "/messages", "/message/" + evil, "/session/" + session, "/reports", "/exports",
                     "/reports/senders"):
            self.load(page)
            for a in self.driver.find_elements(By.CSS_SELECTOR, "a[href], link[href], iframe[src], form[action]"):
                href = a.get_attribute("href") or a.get_attribute("src") or a.get_attribute("action")
                seen.add(urllib.parse.urlsplit(href).path)
        unlisted = [p for p in seen if not any(t.match(p) for t in templates)]
        self.assertEqual(unlisted, [])
        self.assertIn("/message/%s/attachment/0" % evil, seen)

    def cli_json_show(self, ident):
        return json.loads(self.server.cli("show", ident).stdout)

    def test_6_connections_per_address_are_bounded(self):  # 32 of 64
        import socket
        host, port = self.base.split("//")[1].split(":")
        held = [socket.create_connection((host, int(port)), timeout=10) for _ in range(32)]
        try:
            with socket.create_connection((host, int(port)), timeout=10) as extra:
                self.assertTrue(extra.recv(4096).startswith(b"HTTP/1.1 503"))
        finally:
            for h in held:
                h.close()
        # The console frees a slot when it reads the close, which a slow build does after a while.
        def serves():
            try:
                return self.api("/api/v1/search?limit=1") is not None
            except urllib.error.HTTPError as e:
                if e.code != 503:
                    raise
                return False
        wait_for(serves, "the console to serve again")

    def test_7_newest_messages_arrive_live_and_the_page_stays_still(self):  # last: it adds a message
        self.load("/")
        heading = self.driver.find_element(By.TAG_NAME, "h1")
        frame = self.driver.find_element(By.CSS_SELECTOR, "iframe.live")
        self.assertEqual(urllib.parse.urlsplit(frame.get_attribute("src")).path, "/live/newest")
        with urllib.request.urlopen(self.base + "/live/newest", timeout=30) as r:
            self.assertIn("frame-ancestors 'self'", r.headers["Content-Security-Policy"])
            self.assertNotIn("script-src", r.headers["Content-Security-Policy"])
            self.assertEqual(r.headers["X-Frame-Options"], "SAMEORIGIN")
        m = EmailMessage()
        m["From"] = "late@bad.example"
        m["To"] = "x@" + DOMAIN
        m["Subject"] = "arrived while the analyst watched"
        m.set_content("hi")
        with smtplib.SMTP("127.0.0.1", self.server.port, timeout=20) as c:
            c.send_message(m)

        def shown():
            self.driver.switch_to.frame(self.driver.find_element(By.CSS_SELECTOR, "iframe.live"))
            try:
                return "arrived while the analyst watched" in self.driver.page_source
            finally:
                self.driver.switch_to.default_content()
        wait_for(shown, "the new message in the live frame", timeout=30)
        self.assertEqual(heading.text, "Overview")  # the same element: the page itself did not reload
        self.driver.switch_to.frame(self.driver.find_element(By.CSS_SELECTOR, "iframe.live"))
        try:
            link = self.driver.find_element(By.PARTIAL_LINK_TEXT, "")
            self.assertEqual(link.get_attribute("target"), "_top")  # a message opens in the whole window
        finally:
            self.driver.switch_to.default_content()
        self.assertIsNone(self.driver.execute_script("return window.__pwned"))

    def test_8_an_upgrades_recount_in_progress_is_said_above_the_counts(self):
        # As a recount an upgrade asked for looks while another process on this machine does it.
        import sqlite3
        con = sqlite3.connect(self.server.db)
        con.execute("INSERT INTO harvest_recount (id, claimed_host, claimed_pid, claimed_by, claimed_at) "
                    "VALUES (1, ?, ?, ?, 0)", (socket.gethostname(), os.getpid(), "<b>serve</b> of sensor x"))
        con.commit()
        try:
            self.load("/", shot="overview-recount.png", height=500)
            notice = self.driver.find_element(By.CSS_SELECTOR, '[data-notice="recount"]').text
            self.assertIn("being recounted after an upgrade by <b>serve</b> of sensor x (pid %d" % os.getpid(), notice)
            self.assertIn("incomplete until that ends", notice)
        finally:
            con.execute("DELETE FROM harvest_recount")
            con.commit()
            con.close()
        self.load("/")
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, '[data-notice="recount"]'), [])


class TokenTest(unittest.TestCase):
    def test_off_loopback_needs_a_token_and_every_request_carries_it(self):
        server = Server(config='[web]\nlisten = "0.0.0.0:0"\n')
        self.addCleanup(server.cleanup)
        with self.assertRaises(RuntimeError) as e:
            server.start()
        self.assertIn("give it a token", str(e.exception))
        token_file = os.path.join(server.dir, "token")
        with open(token_file, "w") as f:
            f.write("s3cret-token-0123456789\n")
        p = subprocess.Popen([BIN, "web", "--listen", "127.0.0.1:0", "--token-file", token_file, "--db",
                              server.db_url, "--spool", server.spool], stderr=subprocess.PIPE)
        self.addCleanup(p.kill)
        line = p.stderr.readline().decode()
        while "console on" not in line:
            line = p.stderr.readline().decode()
        base = re.search(r"console on (http://\S+)/", line).group(1)
        with self.assertRaises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(base + "/", timeout=10)
        self.assertEqual(e.exception.code, 401)
        bad = urllib.request.Request(base + "/", headers={"Authorization": "Bearer s3cret-token-0123456788"})
        with self.assertRaises(urllib.error.HTTPError):
            urllib.request.urlopen(bad, timeout=10)
        for auth in ("Bearer s3cret-token-0123456789",
                     "Basic " + base64.b64encode(b"analyst:s3cret-token-0123456789").decode()):
            ok = urllib.request.Request(base + "/", headers={"Authorization": auth})
            with urllib.request.urlopen(ok, timeout=10) as r:
                self.assertEqual(r.status, 200)


class TlsTest(unittest.TestCase):
    def test_the_console_speaks_modern_tls_with_the_traps_certificate(self):
        server = Server(config='[web]\nlisten = "127.0.0.1:0"\ntls = true\n')
        self.addCleanup(server.cleanup)
        server.start()
        console = lambda: re.search(rb"console on https://127\.0\.0\.1:(\d+)/", server.read_log())
        wait_for(console, "the console")
        port = int(console().group(1))
        # The trap's certificate, the one STARTTLS shows (self-signed for the hostname, in the spool).
        cert = os.path.join(server.spool, "tls", "spampot.crt")
        ctx = ssl.create_default_context(cafile=cert)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            with ctx.wrap_socket(raw, server_hostname="mx.trap.example") as tls:
                self.assertIn(tls.version(), ("TLSv1.2", "TLSv1.3"))
                with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as c:
                    smtp_ctx = ssl.create_default_context(cafile=cert)
                    smtp_ctx.check_hostname = False  # the same certificate is the point here
                    c.starttls(context=smtp_ctx)
                    self.assertEqual(c.sock.getpeercert(binary_form=True), tls.getpeercert(binary_form=True))
        ctx.check_hostname = False  # the certificate is checked above; the name does not resolve here
        with urllib.request.urlopen("https://127.0.0.1:%d/messages" % port, timeout=10, context=ctx) as r:
            self.assertEqual(r.status, 200)
            self.assertIn("default-src 'none'", r.headers["Content-Security-Policy"])
        # An old client is refused even when it offers what the trap's SMTP side would take.
        old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        old.check_hostname = False
        old.verify_mode = ssl.CERT_NONE
        old.set_ciphers("ALL:@SECLEVEL=0")
        warnings.simplefilter("ignore", DeprecationWarning)  # asking for TLS 1.0 is the point
        old.minimum_version = ssl.TLSVersion.TLSv1
        old.maximum_version = ssl.TLSVersion.TLSv1_1
        with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as c:
            c.starttls(context=old)  # the trap takes it: spamware's old stacks must get through
            self.assertIn(c.sock.version(), ("TLSv1", "TLSv1.1"))
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            with self.assertRaises(ssl.SSLError):
                old.wrap_socket(raw).close()
        # Plain HTTP to the TLS port gets no page.
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            raw.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertFalse(raw.recv(100).startswith(b"HTTP/1.1 200"))


if __name__ == "__main__":
    main()
