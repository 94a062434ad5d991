#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-web.py — the public pages in headless Chromium over WebDriver: a
# citizen applies on /apply with an uploaded PDF (once with scripts, which
# send the form with a progress bar, and once without), sees the receipt,
# tracks the case, and opens /v/ID of a valid and of a revoked letter.
#
# Standard library only. A real loket-server ($LOKET_SERVER_BIN) and
# chromedriver (/usr/bin/chromedriver) run on loopback; the test makes its
# own PDF, database rows and Chromium profile in a temporary directory and
# writes screenshots to the directory given as the first argument.
#
# Usage: test-web.py SCREENSHOT_DIR

import base64
import hashlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

CHROMEDRIVER = os.environ.get("LOKET_CHROMEDRIVER", "/usr/bin/chromedriver")
CHROMIUM = next((p for p in (os.environ.get("LOKET_CHROMIUM"), "/usr/lib/chromium/chromium", "/usr/bin/chromium")
                 if p and os.path.exists(p)), "/usr/bin/chromium")
SERVER = os.environ.get("LOKET_SERVER_BIN", "loket-server")
W3C_ELEMENT = "element-6066-11e4-a52e-4f735466cecf"

VALID_ID = "webvalidletter234abcdefghi"
REVOKED_ID = "webrevokedletter234abcdefg"

# Only loopback: never a proxy.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Failure(Exception):
    pass


def check(condition, what):
    if not condition:
        raise Failure(what)
    print("ok - " + what, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, timeout=60):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with OPENER.open(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def make_pdf(path):
    """A one-page PDF with a line of text, xref offsets computed; qpdf
    rewrites it when it is there (a check that it is a well-formed PDF)."""
    content = b"BT /F1 18 Tf 72 760 Td (Surat pengantar RT/RW - uji Chromium) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content) + 1, content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    raw = path + ".raw"
    with open(raw, "wb") as f:
        f.write(out)
    if shutil.which("qpdf"):
        subprocess.run(["qpdf", raw, path], check=True)
    else:
        shutil.copy(raw, path)


class Server:
    def __init__(self, workdir):
        self.db = os.path.join(workdir, "server.db")
        self.log = open(os.path.join(workdir, "server.log"), "w")
        self.process = subprocess.Popen([SERVER, "--db", self.db, "--listen", "127.0.0.1:0", "--seed-demo", "8"],
                                        stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("listening on "):
            raise Failure("loket-server did not start: %r" % line)
        self.url = line.split()[-1]

    def stop(self):
        self.process.terminate()
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self.process.stdout.close()
        self.log.close()
        return code


class Browser:
    def __init__(self, workdir, name, scripts):
        self.port = free_port()
        self.log = open(os.path.join(workdir, "chromedriver-%s.log" % name), "w")
        self.driver = subprocess.Popen([CHROMEDRIVER, "--port=%d" % self.port], stdout=self.log,
                                       stderr=subprocess.STDOUT)
        self.base = "http://127.0.0.1:%d" % self.port
        deadline = time.monotonic() + 30
        while True:
            try:
                status, body = http("GET", self.base + "/status", timeout=5)
                if status == 200 and json.loads(body)["value"].get("ready"):
                    break
            except (OSError, ValueError):
                pass
            if time.monotonic() > deadline:
                raise Failure("chromedriver did not start")
            time.sleep(0.2)

        # chromedriver reaches the browser's DevTools at "localhost": a
        # machine without that name (a bare chroot without /etc/hosts) gets
        # "unable to connect to renderer" otherwise.
        try:
            socket.getaddrinfo("localhost", None)
        except OSError:
            raise Failure("the name “localhost” does not resolve (no /etc/hosts?); chromedriver needs it")

        profile = os.path.join(workdir, "profile-" + name)
        options = {
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--user-data-dir=" + profile, "--window-size=412,1400", "--no-proxy-server",
                     "--no-first-run", "--lang=id"],
        }
        if not scripts:
            options["prefs"] = {"profile.managed_default_content_settings.javascript": 2}
        status, body = http("POST", self.base + "/session", {
            "capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": options,
                                             "goog:loggingPrefs": {"browser": "ALL"}}}})
        reply = json.loads(body)
        if status != 200:
            raise Failure("no WebDriver session: %s" % reply)
        self.session = self.base + "/session/" + reply["value"]["sessionId"]

    def command(self, method, path, body=None):
        if method == "POST" and body is None:
            body = {}
        status, data = http(method, self.session + path, body)
        reply = json.loads(data) if data else {}
        if status != 200:
            raise Failure("WebDriver %s %s: %s" % (method, path, reply.get("value")))
        return reply.get("value")

    def go(self, url):
        self.command("POST", "/url", {"url": url})

    def find(self, css, timeout=0):
        deadline = time.monotonic() + timeout
        while True:
            status, data = http("POST", self.session + "/element", {"using": "css selector", "value": css})
            if status == 200:
                return json.loads(data)["value"][W3C_ELEMENT]
            if time.monotonic() > deadline:
                raise Failure("no element %s on %s" % (css, self.command("GET", "/url")))
            time.sleep(0.2)

    def exists(self, css):
        status, _ = http("POST", self.session + "/element", {"using": "css selector", "value": css})
        return status == 200

    def type(self, css, text):
        self.command("POST", "/element/%s/value" % self.find(css), {"text": text})

    def click(self, css):
        self.command("POST", "/element/%s/click" % self.find(css))

    def text(self, css, timeout=0):
        return self.command("GET", "/element/%s/text" % self.find(css, timeout))

    def attribute(self, css, name):
        return self.command("GET", "/element/%s/attribute/%s" % (self.find(css), name))

    def screenshot(self, path):
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.command("GET", "/screenshot")))
        print("# screenshot " + path, flush=True)

    def console(self):
        status, data = http("POST", self.session + "/se/log", {"type": "browser"})
        return json.loads(data).get("value", []) if status == 200 else []

    def quit(self):
        try:
            http("DELETE", self.session)
        except OSError:
            pass
        self.driver.terminate()
        try:
            self.driver.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.driver.kill()
        self.log.close()


def add_letters(db_path, pdf_path):
    data = open(pdf_path, "rb").read()
    db = sqlite3.connect(db_path, timeout=30)
    case_id, unit = db.execute("SELECT id, (SELECT id FROM units WHERE code = 'DPMPTSP') FROM cases "
                               "ORDER BY id LIMIT 1").fetchone()
    for letter_id, number, status, reason, payload in (
            (VALID_ID, "470/0101/DPMPTSP/2026", "valid", None, data),
            (REVOKED_ID, "470/0102/DPMPTSP/2026", "revoked", "Salah <i>nama</i>", data + b"\n% revoked copy\n")):
        sha = hashlib.sha256(payload).hexdigest()
        db.execute("INSERT OR IGNORE INTO blobs (sha256, size, data) VALUES (?, ?, ?)", (sha, len(payload), payload))
        db.execute("INSERT INTO letters (id, case_id, number, unit, subject, signer_name, signer_position, "
                   "signed_at, sha256, template_version, status, status_reason, status_at, superseded_by, "
                   "delivery_state, version) VALUES (?, ?, ?, ?, 'Surat Keterangan Domisili', 'Pejabat Demo', "
                   "'Kepala Dinas', 1795860000, ?, 1, ?, ?, ?, NULL, 'delivered', 1)",
                   (letter_id, case_id, number, unit, sha, status, reason, 1795946400 if reason else None))
    db.commit()
    db.close()


def apply(browser, server, pdf, shots, name, scripts):
    browser.go(server.url + "/apply")
    browser.click("a[href='/apply/SKD']")
    browser.find("form[action='/apply/SKD']", timeout=10)
    check(browser.exists("input[type=file][name=doc_0][accept='.pdf,.jpg,.jpeg,.png']"),
          "%s: the SKD form has file inputs for its requirements" % name)
    browser.type("#applicant_name", "Budi Santoso")
    browser.type("#nik", "6171051208900002")
    browser.type("#email", "budi.santoso@contoh.id")
    browser.type("#phone", "0812 5555 0101")
    browser.type("#address", "Jl. Tanjungpura No. 12, Pontianak")
    browser.click("#unit option:nth-child(2)")
    index = 0
    while browser.exists("#doc_%d" % index):
        browser.type("#doc_%d" % index, pdf)
        index += 1
    check(index >= 1, "%s: %d files chosen" % (name, index))
    browser.screenshot(os.path.join(shots, "web-%s-apply-form.png" % name))
    if scripts:
        check(browser.find("#upload-progress") is not None, "%s: the form has a progress bar" % name)
        history = browser.command("POST", "/execute/sync", {"script": "return history.length", "args": []})
    browser.click("#submit")
    receipt = browser.text("#receipt", timeout=60)
    secret = browser.text("#secret")
    check(receipt.startswith("SKD-"), "%s: the receipt page shows receipt %s" % (name, receipt))
    check(len(secret) == 12, "%s: the receipt page shows a 12-character secret" % name)
    if scripts:
        # Sent by the script: the page was replaced in place, no navigation.
        after = browser.command("POST", "/execute/sync", {"script": "return history.length", "args": []})
        check(after == history and browser.command("GET", "/url").endswith("/apply/SKD"),
              "%s: the form was sent by the script (no navigation)" % name)
    browser.screenshot(os.path.join(shots, "web-%s-receipt.png" % name))

    db = sqlite3.connect(server.db, timeout=30)
    row = db.execute("SELECT c.state, count(d.id) FROM cases AS c JOIN documents AS d ON d.case_id = c.id "
                     "WHERE c.receipt = ?", (receipt,)).fetchone()
    db.close()
    check(row == ("submitted", index), "%s: the case is stored with its %d documents" % (name, index))

    browser.go("%s/track?receipt=%s&secret=%s" % (server.url, receipt, secret.lower()))
    check("Received" in browser.text("#state", timeout=10), "%s: /track shows the state" % name)
    browser.screenshot(os.path.join(shots, "web-%s-track.png" % name))


def main():
    shots = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
    os.makedirs(shots, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="loket-web-")
    server = None
    browsers = []
    try:
        pdf = os.path.join(workdir, "pengantar.pdf")
        make_pdf(pdf)
        server = Server(workdir)
        add_letters(server.db, pdf)

        for name, scripts in (("js", True), ("nojs", False)):
            browser = Browser(workdir, name, scripts)
            browsers.append(browser)
            apply(browser, server, pdf, shots, name, scripts)

        browser = browsers[0]
        browser.go(server.url + "/v/" + VALID_ID)
        banner = browser.text("#status", timeout=10)
        check("Dokumen ini asli dan berlaku" in banner and "This letter is genuine and valid" in banner,
              "/v/ID of a valid letter says it is genuine and valid")
        check(browser.attribute("#status", "data-status") == "valid", "the valid letter's banner is marked valid")
        check(browser.text("#number") == "470/0101/DPMPTSP/2026", "the valid letter's number is shown")
        browser.screenshot(os.path.join(shots, "web-letter-valid.png"))

        browser.go(server.url + "/v/" + REVOKED_ID)
        banner = browser.text("#status", timeout=10)
        check("DICABUT" in banner and "REVOKED" in banner, "/v/ID of a revoked letter says DICABUT / REVOKED")
        check("Salah <i>nama</i>" in banner, "the revocation reason is shown as text")
        check("genuine" not in banner, "the revoked letter is not called genuine")
        browser.screenshot(os.path.join(shots, "web-letter-revoked.png"))

        # The registered PDF uploaded on /verify: identical, and (this test's
        # PDF is not signed) no signature.
        browser.go(server.url + "/verify")
        browser.type("#file", pdf)
        browser.click("button[type=submit]")
        browser.find("#identical", timeout=30)
        check(browser.attribute("#identical", "data-identical") == "yes"
              and "470/0101/DPMPTSP/2026" in browser.text("#identical"),
              "/verify finds the uploaded PDF byte-identical to the registered letter")
        check(browser.attribute("#signature", "data-signature") == "none", "/verify says it has no signature")
        browser.screenshot(os.path.join(shots, "web-verify.png"))

        browser.go(server.url + "/v/" + "forgedletter234567abcdefgh")
        check("tidak ditemukan" in browser.text("h1", timeout=10), "a forged id gets the not-found page")

        # The strict policy let the stylesheet and the script load.
        problems = [entry["message"] for b in browsers for entry in b.console()
                    if "Content Security Policy" in entry.get("message", "")]
        check(not problems, "no Content-Security-Policy violations (%s)" % problems)
        stopping, server = server, None
        check(stopping.stop() == 0, "loket-server shut down cleanly")
        print("# all checks passed")
        return 0
    except Failure as failure:
        print("not ok - " + str(failure), flush=True)
        for browser in browsers:
            try:
                browser.screenshot(os.path.join(shots, "web-failure-%d.png" % browsers.index(browser)))
            except (Failure, OSError):
                pass
        return 1
    finally:
        for browser in browsers:
            browser.quit()
        if server is not None:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
