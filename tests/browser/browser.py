"""What the real-browser tests share: free ports, a headless Chromium driven by
chromedriver over the W3C WebDriver protocol, a page server for a second origin, and
`foldrank serve` on loopback. Standard library only."""

import argparse
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.request

SKIP = 77  # The exit status ctest reads as "skipped".


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, predicate, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def arguments():
    """The tests' command line (--foldrank, --corpus); None when the browser is
    missing (the caller exits SKIP)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--foldrank", required=True)
    parser.add_argument("--corpus", required=True)
    args = parser.parse_args()
    if not tools():
        print("SKIP: chromium and chromedriver are needed (apt-get install chromium chromium-driver)")
        return None
    return args


def tools():
    """(chromium, chromedriver), or None when either is missing."""
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    return (chromium, chromedriver) if chromium and chromedriver else None


def serve_pages(port, routes):
    """Serves `routes` ({path: (content type, bytes, extra headers)}) on 127.0.0.1:port,
    another origin than foldrank's, in a daemon thread."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the stdlib's name)
            path = self.path.split("?")[0]
            if path not in routes:
                self.send_error(404)
                return
            content_type, body, headers = routes[path]
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class Foldrank:
    """`foldrank serve` on an ephemeral loopback port; its first two lines of output
    give the address and the one-time sign-in link."""

    def __init__(self, binary, data, args=(), env=None):
        self.process = subprocess.Popen(
            [binary, "serve", "--data", data, "--port", "0", "--settle-ms", "200", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=dict(os.environ, **(env or {})))
        banner = self.process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", banner)
        assert match, f"no address in serve's banner: {banner!r}"
        self.port = int(match.group(1))
        self.url = f"http://127.0.0.1:{self.port}"
        link = re.search(r"(http://\S+/admin/login\?code=[0-9a-f]+)", self.process.stdout.readline())
        assert link, "serve printed no sign-in link"
        self.login_link = link.group(1)

    def stop(self):
        """SIGTERM; returns the exit status and the access log (stderr)."""
        self.process.terminate()
        status = self.process.wait(timeout=30)
        return status, self.process.stderr.read()

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class Browser:
    """A headless Chromium session; `resolver_rules` maps host names (--host-resolver-rules)."""

    def __init__(self, work, resolver_rules=None):
        chromium, chromedriver = tools()
        self.driver_port = free_port()
        self.driver = subprocess.Popen([chromedriver, f"--port={self.driver_port}"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for("chromedriver", self._ready)
        args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--user-data-dir={os.path.join(work, 'profile')}"]
        if resolver_rules:
            args.append(f"--host-resolver-rules={resolver_rules}")
        session = self.call("POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args}}}})
        self.base = f"/session/{session['sessionId']}"

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{self.driver_port}{path}", data=data,
                                         method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read() or b"{}").get("value")

    def _ready(self):
        try:
            return self.call("GET", "/status")["ready"]
        except OSError:
            return False

    def go(self, url):
        self.call("POST", f"{self.base}/url", {"url": url})

    def run(self, script, *args):
        """Runs `script` (a function body) in the page; its return value."""
        return self.call("POST", f"{self.base}/execute/sync", {"script": script, "args": list(args)})

    def find(self, css):
        return self.call("POST", f"{self.base}/elements", {"using": "css selector", "value": css})

    # Elements are W3C references ({key: id}) as find() returns them.
    def _element(self, element):
        return next(iter(element.values()))

    def type(self, element, text):
        self.call("POST", f"{self.base}/element/{self._element(element)}/value", {"text": text})

    def click(self, element):
        self.call("POST", f"{self.base}/element/{self._element(element)}/click", {})

    def attribute(self, element, name):
        return self.call("GET", f"{self.base}/element/{self._element(element)}/attribute/{name}")

    def close(self):
        try:
            self.call("DELETE", self.base)
        except Exception:  # noqa: BLE001 (the browser may already be gone)
            pass
        self.driver.kill()
        self.driver.wait()
