#!/usr/bin/env python3
"""Real-browser test of the embeddable widget.

A page on another origin embeds /widget.js from a running `foldrank serve`; Debian's
chromium (headless, driven by chromedriver over the W3C WebDriver protocol) types a
query, clicks the second result, and the test then finds that click, with the page's
query id and position, in the ledger.

Standard library only. Exit status: 0 pass, 1 fail, 77 skipped (no chromium or
chromedriver; CI installs both, so there it always runs).
"""

import argparse
import http.server
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

SKIP = 77


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def webdriver(port, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"{}").get("value")


def wait_for(what, predicate, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def host_page_server(port, foldrank_url):
    """Serves the embedding page on its own port: a different origin from foldrank."""
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>shop</title></head>
<body><h1>A shop on another origin</h1><div id="search"></div>
<script src="{foldrank_url}/widget.js" data-target="#search"></script></body></html>"""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the stdlib's name)
            body = page.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--foldrank", required=True)
    parser.add_argument("--corpus", required=True)
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    chromedriver = shutil.which("chromedriver")
    if not chromium or not chromedriver:
        print("SKIP: chromium and chromedriver are needed (apt-get install chromium chromium-driver)")
        return SKIP

    work = tempfile.mkdtemp(prefix="foldrank-browser-")
    processes = []
    try:
        data = os.path.join(work, "data")
        subprocess.run([args.foldrank, "index", "--data", data, args.corpus], check=True,
                       stdout=subprocess.DEVNULL)
        # The host page's origin must be allowed before foldrank starts, and the page
        # needs foldrank's URL: pick the page's port first, serve it afterwards.
        host_port = free_port()
        host_origin = f"http://127.0.0.1:{host_port}"
        serve = subprocess.Popen(
            [args.foldrank, "serve", "--data", data, "--port", "0", "--allow-origins", host_origin,
             "--settle-ms", "200", "--access-log", "false"],
            stdout=subprocess.PIPE, text=True)
        processes.append(serve)
        banner = serve.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", banner)
        assert match, f"no address in serve's banner: {banner!r}"
        foldrank_url = f"http://127.0.0.1:{match.group(1)}"

        host_page_server(host_port, foldrank_url)

        driver_port = free_port()
        driver = subprocess.Popen([chromedriver, f"--port={driver_port}"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(driver)
        wait_for("chromedriver", lambda: _ready(driver_port))
        session = webdriver(driver_port, "POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--user-data-dir={os.path.join(work, 'profile')}"]}}}})["sessionId"]
        base = f"/session/{session}"
        try:
            webdriver(driver_port, "POST", f"{base}/url", {"url": host_origin + "/"})
            find = lambda css: webdriver(driver_port, "POST", f"{base}/elements",  # noqa: E731
                                         {"using": "css selector", "value": css})
            box = wait_for("the widget's search box", lambda: find(".foldrank input"))[0]
            key = next(iter(box))  # The W3C element reference key.
            webdriver(driver_port, "POST", f"{base}/element/{box[key]}/value",
                      {"text": "billing invoices\ue007"})  # \ue007: Enter.
            links = wait_for("two results", lambda: (lambda found: found if len(found) >= 2 else None)(
                find(".foldrank-result a")))
            second = links[1][key]
            attribute = lambda element, name: webdriver(  # noqa: E731
                driver_port, "GET", f"{base}/element/{element}/attribute/{name}")
            doc_id = attribute(second, "data-doc-id")
            position = int(attribute(second, "data-position"))
            root = find(".foldrank")[0][key]
            query_id = attribute(root, "data-query-id")
            assert position == 1, f"the second result has position {position}"
            webdriver(driver_port, "POST", f"{base}/element/{second}/click", {})
        finally:
            try:
                webdriver(driver_port, "DELETE", base)
            except Exception:  # noqa: BLE001 (the browser may already be gone)
                pass

        ledger = os.path.join(data, "ledger.sqlite")

        def click_in_ledger():
            with sqlite3.connect(ledger, timeout=5) as db:
                return db.execute(
                    "SELECT event_id FROM clicks WHERE query_id = ? AND doc_id = ? AND position = ?",
                    (query_id, doc_id, position)).fetchone()

        row = wait_for("the click in the ledger", click_in_ledger)
        print(f"PASS: click on {doc_id!r} at position {position} for query {query_id} "
              f"is in the ledger (event {row[0]})")

        serve.terminate()
        assert serve.wait(timeout=30) == 0, "foldrank serve did not stop cleanly on SIGTERM"
        return 0
    except AssertionError as failure:
        print(f"FAIL: {failure}")
        return 1
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        shutil.rmtree(work, ignore_errors=True)


def _ready(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=2) as response:
            return json.loads(response.read())["value"]["ready"]
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(main())
