#!/usr/bin/env python3
"""Real-browser test of the embeddable widget.

A page on another origin embeds /widget.js from a running `foldrank serve`; Debian's
chromium (headless, driven by chromedriver over the W3C WebDriver protocol) types a
query, clicks the second result, and the test then finds that click, with the page's
query id and position, in the ledger.

Standard library only. Exit status: 0 pass, 1 fail, 77 skipped (no chromium or
chromedriver; CI installs both, so there it always runs).
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

from browser import SKIP, Browser, Foldrank, arguments, free_port, serve_pages, wait_for


def main():
    args = arguments()
    if args is None:
        return SKIP

    work = tempfile.mkdtemp(prefix="foldrank-browser-")
    server = browser = None
    try:
        data = os.path.join(work, "data")
        subprocess.run([args.foldrank, "index", "--data", data, args.corpus], check=True,
                       stdout=subprocess.DEVNULL)
        # The host page's origin must be allowed before foldrank starts, and the page
        # needs foldrank's URL: pick the page's port first, serve it afterwards.
        host_port = free_port()
        host_origin = f"http://127.0.0.1:{host_port}"
        server = Foldrank(args.foldrank, data, ["--allow-origins", host_origin,
                                                "--access-log", "false"])
        page = f"""<!doctype html><html><head><meta charset="utf-8"><title>shop</title></head>
<body><h1>A shop on another origin</h1><div id="search"></div>
<script src="{server.url}/widget.js" data-target="#search"></script></body></html>"""
        serve_pages(host_port, {"/": ("text/html; charset=utf-8", page.encode(), {})})

        browser = Browser(work)
        browser.go(host_origin + "/")
        box = wait_for("the widget's search box", lambda: browser.find(".foldrank input"))[0]
        browser.type(box, "billing invoices\ue007")  # \ue007: Enter.
        links = wait_for("two results", lambda: (lambda found: found if len(found) >= 2 else None)(
            browser.find(".foldrank-result a")))
        second = links[1]
        doc_id = browser.attribute(second, "data-doc-id")
        position = int(browser.attribute(second, "data-position"))
        query_id = browser.attribute(browser.find(".foldrank")[0], "data-query-id")
        assert position == 1, f"the second result has position {position}"
        browser.click(second)

        ledger = os.path.join(data, "ledger.sqlite")

        def click_in_ledger():
            with sqlite3.connect(ledger, timeout=5) as db:
                return db.execute(
                    "SELECT event_id FROM clicks WHERE query_id = ? AND doc_id = ? AND position = ?",
                    (query_id, doc_id, position)).fetchone()

        row = wait_for("the click in the ledger", click_in_ledger)
        print(f"PASS: click on {doc_id!r} at position {position} for query {query_id} "
              f"is in the ledger (event {row[0]})")
        status, _ = server.stop()
        assert status == 0, "foldrank serve did not stop cleanly on SIGTERM"
        return 0
    except AssertionError as failure:
        print(f"FAIL: {failure}")
        return 1
    finally:
        if browser:
            browser.close()
        if server:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
