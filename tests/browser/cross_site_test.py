#!/usr/bin/env python3
"""Cross-site attacks on a running `foldrank serve`, in real Chromium (docs/security.md).

Two origins on loopback: foldrank on one port (A), an attacker's page on another (B).
For a server with a generated token and one with a configured token, the browser
first signs in to A's admin page with the printed one-time link (so its cookie is
there: the worst case), then opens B's page, which tries to index a document,
activate a model and fold (requests a page may send without a preflight, cookie
included) and to read /admin/status. Every one must be refused and nothing change.
Then, with a name mapped to 127.0.0.1 (DNS rebinding, as --host-resolver-rules), A
must refuse requests that name that host; and the widget, fed a javascript: link and
markup by a hostile server, must build neither a script link nor an element.

Standard library only. Exit status: 0 pass, 1 fail, 77 skipped (no chromium).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request

from browser import SKIP, Browser, Foldrank, arguments, free_port, serve_pages, wait_for

ATTACK_JS = """
(function () {
  var A = document.body.getAttribute("data-target");
  var results = window.results = {};
  function record(name, promise) {
    return promise.then(function (r) { results[name] = "answered " + r.type + " " + r.status; },
                        function (e) { results[name] = "failed " + e.message; });
  }
  var simple = {method: "POST", mode: "no-cors", credentials: "include",
                headers: {"Content-Type": "text/plain"}};
  Promise.all([
    record("plant", fetch(A + "/documents", Object.assign({}, simple, {
      body: '{"id":"planted","title":"planted by another origin","url":"javascript:alert(1)"}\\n'}))),
    record("activate", fetch(A + "/admin/models/1/activate", simple)),
    record("fold", fetch(A + "/admin/fold", simple)),
    fetch(A + "/admin/status", {credentials: "include"})
      .then(function (r) { return r.text(); })
      .then(function (t) { results.read = "read " + t.slice(0, 60); },
            function (e) { results.read = "blocked " + e.message; })
  ]).then(function () {
    document.getElementById("fold-form").submit();  // A form post, in a hidden frame.
    setTimeout(function () { window.done = true; }, 1500);
  });
})();
"""

HOSTILE_SEARCH = json.dumps({
    "query_id": "q", "model_version": 1, "took_ms": 1, "total": 2, "results": [
        {"position": 0, "id": "evil", "title": "Evil", "url": "javascript:window.pwned=1",
         "snippet": "<img src=x onerror=window.pwned=1>",
         "snippet_html": "<img src=x onerror=window.pwned=1>",
         "snippet_parts": [{"text": "<img src=x onerror=window.pwned=1>", "mark": False}]},
        {"position": 1, "id": "ok", "title": "OK", "url": "https://example.org/ok",
         "snippet": "fine", "snippet_parts": [{"text": "fine", "mark": True}]}]}).encode()


def admin_get(server, token, path):
    request = urllib.request.Request(server.url + path,
                                     headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def attack(args, work, browser, name, env):
    data = os.path.join(work, name)
    subprocess.run([args.foldrank, "index", "--data", data, args.corpus], check=True,
                   stdout=subprocess.DEVNULL)
    server = Foldrank(args.foldrank, data, env=env)
    try:
        token = env.get("FOLDRANK_ADMIN_TOKEN") or open(os.path.join(data, "admin-token")).read().strip()
        documents = admin_get(server, token, "/admin/status")["index"]["documents"]

        # Signed in through the one-time link: the admin page shows the model.
        browser.go(server.login_link)
        wait_for("the signed-in admin page", lambda: browser.run(
            "var d = document.getElementById('dashboard');"
            "return d && !d.hidden && document.querySelectorAll('.card').length > 0;"))
        assert browser.run("return document.cookie") == "", "the cookie is HttpOnly"

        page_port = free_port()
        page = (f'<!doctype html><html><head><meta charset="utf-8"><title>attack</title></head>'
                f'<body data-target="{server.url}"><iframe name="sink"></iframe>'
                f'<form id="fold-form" method="post" action="{server.url}/admin/fold" '
                f'target="sink" enctype="text/plain"><input name="x" value="y"></form>'
                f'<script src="/attack.js"></script></body></html>')
        pages = serve_pages(page_port, {
            "/": ("text/html; charset=utf-8", page.encode(), {}),
            "/attack.js": ("text/javascript", ATTACK_JS.encode(), {})})
        browser.go(f"http://127.0.0.1:{page_port}/")
        wait_for("the attack page", lambda: browser.run("return window.done === true"), 30)
        results = browser.run("return window.results")
        pages.shutdown()
        assert results["read"].startswith("blocked"), f"{name}: the page read /admin/status: {results}"

        status, log = server.stop()
        assert status == 0, f"{name}: serve did not stop cleanly"
        lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
        attacked = [(line["method"], line["path"], line["status"]) for line in lines
                    if line["method"] == "POST"]
        expected = {("POST", "/documents"), ("POST", "/admin/models/1/activate"),
                    ("POST", "/admin/fold")}
        seen = {(method, path) for method, path, _ in attacked}
        assert expected <= seen, f"{name}: the attacks did not all reach the server: {attacked}"
        assert all(code == 403 for _, _, code in attacked), f"{name}: not refused: {attacked}"
        reads = [line["status"] for line in lines if line["path"] == "/admin/status"]
        assert 403 in reads, f"{name}: the cross-site read was not refused: {reads}"

        # Nothing changed: the planted document is not there.
        server = Foldrank(args.foldrank, data, env=env)
        after = admin_get(server, token, "/admin/status")["index"]["documents"]
        assert after == documents, f"{name}: documents {documents} -> {after}"
        print(f"PASS ({name}): index, activate, fold (fetch and form) refused 403 with the "
              f"admin cookie present; /admin/status unreadable ({results['read'][:40]}...)")
        return server, token
    except BaseException:
        server.kill()
        raise


def rebinding_and_widget(args, browser, server):
    # DNS rebinding: attacker.test resolves to 127.0.0.1 in this browser.
    for path in ("/admin/status", "/", "/search?q=cache"):
        browser.go(f"http://attacker.test:{server.port}{path}")
        text = browser.run("return document.body ? document.body.innerText : ''")
        assert "unknown_host" in text, f"attacker.test{path} was answered: {text[:200]}"

    # A hostile server's results in the widget: no script link, no element from markup.
    page_port = free_port()
    page = (f'<!doctype html><html><head><meta charset="utf-8"></head><body><div id="w"></div>'
            f'<script src="{server.url}/widget.js"></script><script src="/mount.js"></script>'
            f'</body></html>')
    mount = ('window.w = FoldrankWidget.mount(document.getElementById("w"), '
             '{server: location.origin}); w.search("anything");')
    pages = serve_pages(page_port, {
        "/": ("text/html; charset=utf-8", page.encode(), {}),
        "/mount.js": ("text/javascript", mount.encode(), {}),
        "/search": ("application/json", HOSTILE_SEARCH, {"Access-Control-Allow-Origin": "*"})})
    browser.go(f"http://127.0.0.1:{page_port}/")
    links = wait_for("two results", lambda: (lambda found: found if len(found) == 2 else None)(
        browser.find(".foldrank-result a")))
    assert browser.attribute(links[0], "href") is None, "a javascript: URL reached an href"
    assert browser.attribute(links[1], "href") == "https://example.org/ok"
    browser.click(links[0])
    assert browser.run("return document.querySelectorAll('.foldrank img').length") == 0
    assert browser.run("return window.pwned === undefined"), "script from a result ran"
    assert browser.run("return document.querySelector('.foldrank-snippet').textContent") == \
        "<img src=x onerror=window.pwned=1>"
    pages.shutdown()
    print("PASS: a rebinding name gets 421 on every route; the widget set no javascript: "
          "href and made no element from a result's markup")


def main():
    args = arguments()
    if args is None:
        return SKIP
    work = tempfile.mkdtemp(prefix="foldrank-cross-site-")
    browser = server = None
    try:
        browser = Browser(work, resolver_rules="MAP attacker.test 127.0.0.1")
        server, _ = attack(args, work, browser, "generated-token", {})
        server.kill()
        server, _ = attack(args, work, browser, "configured-token",
                           {"FOLDRANK_ADMIN_TOKEN": "configured-token-0123456789"})
        rebinding_and_widget(args, browser, server)
        return 0
    except AssertionError as failure:
        print(f"FAIL: {failure}")
        return 1
    finally:
        if server:
            server.kill()
        if browser:
            browser.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
