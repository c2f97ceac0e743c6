#!/usr/bin/env python3
"""Full disk, simulated with a file-size limit (RLIMIT_FSIZE, set on the running
server with prlimit, so no root and no special filesystem is needed): a real
`foldrank serve` on loopback takes searches, clicks and document updates while its
files may not grow past their size. It proves:
  - writes fail with a clear error (503 with a JSON body that says why), never a
    crash, never a 500; searches keep answering 200;
  - when space returns (the limit is lifted), clicks and document updates are
    accepted again without a restart;
  - afterwards every acknowledged click is in the ledger and folded, `foldrank
    replay` agrees with every version, and `foldrank check` finds no damage.
Bounded in time; stops by itself. Exit 0 on success.
"""

import argparse
import http.client
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse


ADMIN_TOKEN = "disk-admin-token-0123456789"


def request(port, method, target, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    headers["Authorization"] = "Bearer " + ADMIN_TOKEN
    connection.request(method, target, body, headers)
    response = connection.getresponse()
    return response.status, response.read().decode("utf-8", "replace")


def largest_file(directory):
    sizes = [os.path.getsize(os.path.join(root, name))
             for root, _, names in os.walk(directory) for name in names]
    return max(sizes)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--foldrank", required=True)
    parser.add_argument("--corpus", required=True)
    args = parser.parse_args()
    failures = []
    acknowledged = set()
    statuses = {}

    examples = {}

    def note(phase, route, status, body):
        statuses[(phase, route, status)] = statuses.get((phase, route, status), 0) + 1
        if status >= 500:
            examples.setdefault(route, body)
        if status == 500 or (status >= 500 and not json.loads(body).get("message")):
            failures.append(f"{phase}: {route} answered {status} without a clear error: {body[:200]}")

    with tempfile.TemporaryDirectory(prefix="foldrank-disk-") as work:
        data = os.path.join(work, "data")
        subprocess.run([args.foldrank, "index", "--data", data, args.corpus], check=True,
                       capture_output=True)
        server = subprocess.Popen(
            [args.foldrank, "serve", "--data", data, "--port", "0", "--settle-ms", "200",
             "--access-log", "false"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=dict(os.environ, FOLDRANK_ADMIN_TOKEN=ADMIN_TOKEN))
        port = int(re.search(r":(\d+)/", server.stdout.readline()).group(1))
        event = 0
        earlier_pages = []

        def traffic(phase, rounds):
            nonlocal event
            for i in range(rounds):
                status, body = request(port, "GET", f"/search?k=5&q={urllib.parse.quote('cache build')}")
                note(phase, "search", status, body)
                if status != 200:
                    failures.append(f"{phase}: search answered {status}: {body[:200]}")
                    continue
                page = json.loads(body)
                if phase == "before" and page["results"]:
                    earlier_pages.append(page)
                if page["results"]:
                    hit = page["results"][i % len(page["results"])]
                    event += 1
                    click = json.dumps({"query_id": page["query_id"], "doc_id": hit["id"],
                                        "position": hit["position"], "event_id": f"disk-{event}"})
                    status, body = request(port, "POST", "/click", click)
                    note(phase, "click", status, body)
                    if status in (200, 202):
                        acknowledged.add(f"disk-{event}")
                document = json.dumps({"title": f"Disk test {phase} {i}", "body": "x" * 2000})
                status, body = request(port, "PUT", f"/documents/disk-{phase}-{i}", document)
                note(phase, "documents", status, body)

        traffic("before", 20)
        # The disk is full: no file may grow past its size now (plus a page).
        limit = largest_file(data) + 4096
        subprocess.run(["prlimit", f"--pid={server.pid}", f"--fsize={limit}:unlimited"], check=True)
        traffic("full", 300)
        # Clicks on searches stored before the disk filled cannot be stored either.
        for page in earlier_pages:
            event += 1
            hit = page["results"][-1]
            click = json.dumps({"query_id": page["query_id"], "doc_id": hit["id"],
                                "position": hit["position"], "event_id": f"disk-{event}"})
            status, body = request(port, "POST", "/click", click)
            note("full", "earlier click", status, body)
            if status in (200, 202):
                acknowledged.add(f"disk-{event}")
        full_click_errors = statuses.get(("full", "click", 503), 0)
        full_document_errors = statuses.get(("full", "documents", 503), 0)
        if full_click_errors + full_document_errors == 0:
            failures.append("no write failed while the disk was full: the test did not bite")
        if server.poll() is not None:
            failures.append(f"the server died while the disk was full: {server.stderr.read()[-500:]}")
            return report(failures, statuses)
        # Space returns.
        subprocess.run(["prlimit", f"--pid={server.pid}", "--fsize=unlimited:unlimited"], check=True)
        recovered = False
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not recovered:
            before = (statuses.get(("after", "click", 202), 0),
                      statuses.get(("after", "documents", 201), 0))
            traffic("after", 5)
            recovered = (statuses.get(("after", "click", 202), 0) > before[0] and
                         statuses.get(("after", "documents", 201), 0) > before[1])
            time.sleep(0.5)
        if not recovered:
            failures.append("clicks and document updates did not resume within 30 s of space returning")
        time.sleep(1)
        request(port, "POST", "/admin/fold", "")
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        if server.returncode != 0:
            failures.append(f"serve exited {server.returncode}: {server.stderr.read()[-500:]}")

        ledger = sqlite3.connect(os.path.join(data, "ledger.sqlite"))
        stored = {row[0] for row in ledger.execute("SELECT event_id FROM clicks")}
        unfolded = ledger.execute("SELECT COUNT(*) FROM clicks WHERE folded_by IS NULL").fetchone()[0]
        ledger.close()
        if acknowledged - stored:
            failures.append(f"{len(acknowledged - stored)} acknowledged clicks are missing")
        if unfolded:
            failures.append(f"{unfolded} clicks were never folded")
        replay = subprocess.run([args.foldrank, "replay", "--data", data], capture_output=True, text=True)
        if replay.returncode != 0:
            failures.append("replay differs: " + replay.stdout[-300:] + replay.stderr[-300:])
        check = subprocess.run([args.foldrank, "check", "--data", data], capture_output=True, text=True)
        if check.returncode != 0:
            failures.append("foldrank check found damage: " + check.stdout)
        for route, body in examples.items():
            print(f"while full, {route}: {body[:300]}")
        print(f"file-size limit {limit} bytes; {len(acknowledged)} clicks acknowledged, "
              f"{len(stored)} stored, {unfolded} unfolded")
    return report(failures, statuses)


def report(failures, statuses):
    print("statuses:", {" ".join(map(str, key)): n for key, n in sorted(statuses.items())})
    for failure in failures:
        print("FAILED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
