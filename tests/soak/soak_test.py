#!/usr/bin/env python3
"""Soak and kill test: a real `foldrank serve` on loopback under concurrent searches,
clicks at a steady rate, document updates and continuous folding, for --seconds.
With --kills N the server is killed with SIGKILL N times under that load, at random
moments, and restarted on the same data directory.

Afterwards it proves, from the ledger and the binary's own tools:
  - no 5xx response, ever;
  - every acknowledged click (202 accepted or 200 duplicate) is in the ledger;
  - every click is folded, and `foldrank replay` rebuilds every folded version bit
    for bit (so each click was folded exactly once);
  - `foldrank check` finds the ledger and index sound after the kills;
  - without kills: resident memory flat after warm-up (after --warmup-share of the
    run, the peak of the second half at most --rss-growth-mb above the peak of the
    first) and never above --rss-max-mb, the click features' in-memory pairs within
    --click-pairs-max, and search p99 within --p99-ms.

Bounded in time and count, loopback only; stops by itself. Exit 0 on success.
  tests/soak/soak_test.py --foldrank build/rel/cli/foldrank \
      --corpus sample_corpus/quillstack.jsonl --seconds 600      # by hand
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse


# The admin token the servers here run with (admin and document routes need one).
ADMIN_TOKEN = "soak-admin-token-0123456789"
ADMIN = {"Authorization": "Bearer " + ADMIN_TOKEN}


class Server:
    """One `foldrank serve` process on an ephemeral port."""

    def __init__(self, foldrank, data, click_pairs_max):
        self.process = subprocess.Popen(
            [foldrank, "serve", "--data", data, "--port", "0", "--threads", "4",
             "--settle-ms", "300", "--access-log", "false",
             "--click-pairs-max", str(click_pairs_max)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=dict(os.environ, FOLDRANK_ADMIN_TOKEN=ADMIN_TOKEN))
        line = self.process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not match:
            raise RuntimeError("server did not start: " + line + self.process.stderr.read())
        self.port = int(match.group(1))

    def rss_mb(self):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)

    def kill(self):
        self.process.kill()
        self.process.wait(timeout=60)


class Load:
    """Searchers, a clicker and a document updater against the current server."""

    def __init__(self, args, titles, doc_ids):
        self.args, self.titles, self.doc_ids = args, titles, doc_ids
        self.lock = threading.Lock()
        self.port = None
        self.acknowledged = set()      # Event ids answered 202 or 200.
        self.statuses = {}
        self.server_errors = []
        self.latencies_ms = []
        self.recent_pages = []
        self.stopping = threading.Event()
        self.next_event = 0
        self.sent = []  # (event id, body) of recent clicks, for retries.

    def note(self, route, status, body=""):
        with self.lock:
            self.statuses[(route, status)] = self.statuses.get((route, status), 0) + 1
            if status >= 500:
                self.server_errors.append((route, status, body[:200]))

    def request(self, connection, method, target, body=None, headers=None):
        connection.request(method, target, body, {**ADMIN, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")

    def connection(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)

    def searcher(self, seed):
        rng = random.Random(seed)
        connection = None
        while not self.stopping.is_set():
            try:
                connection = connection or self.connection()
                words = rng.choice(self.titles).split()
                query = " ".join(rng.sample(words, min(len(words), rng.randint(1, 3))))
                start = time.monotonic()
                status, body = self.request(
                    connection, "GET",
                    f"/search?k=10&user=u{rng.randint(1, 300)}&q={urllib.parse.quote(query)}")
                elapsed_ms = 1000 * (time.monotonic() - start)
                self.note("search", status, body)
                if status == 200:
                    page = json.loads(body)
                    with self.lock:
                        self.latencies_ms.append(elapsed_ms)
                        if page["results"]:
                            self.recent_pages.append(page)
                            del self.recent_pages[:-200]
                time.sleep(rng.uniform(0, 0.01))
            except (OSError, http.client.HTTPException):
                connection = None  # The server is being killed, or restarting.
                time.sleep(0.05)

    def clicker(self):
        rng = random.Random(7)
        connection = None
        period = 1.0 / self.args.click_rate
        next_at = time.monotonic()
        while not self.stopping.is_set():
            time.sleep(max(0.0, next_at - time.monotonic()))
            next_at += period
            with self.lock:
                page = rng.choice(self.recent_pages) if self.recent_pages else None
            if page is None:
                continue
            if self.sent and rng.random() < 0.1:
                # A retry: the same click under the same event id, answered as a duplicate.
                event, body = rng.choice(self.sent)
            else:
                self.next_event += 1
                event = f"soak-{self.next_event}"
                hit = rng.choice(page["results"])
                body = json.dumps({"query_id": page["query_id"], "doc_id": hit["id"],
                                   "position": hit["position"], "event_id": event})
                self.sent.append((event, body))
                del self.sent[:-1000]
            try:
                connection = connection or self.connection()
                status, reply = self.request(connection, "POST", "/click", body,
                                             {"Content-Type": "application/json"})
                self.note("click", status, reply)
                if status in (200, 202):
                    with self.lock:
                        self.acknowledged.add(event)
            except (OSError, http.client.HTTPException):
                connection = None

    def updater(self):
        rng = random.Random(11)
        connection = None
        while not self.stopping.is_set():
            time.sleep(0.2)
            doc_id = f"soak-doc-{rng.randint(1, 50)}"
            try:
                connection = connection or self.connection()
                if rng.random() < 0.8:
                    document = {"id": doc_id, "title": rng.choice(self.titles),
                                "body": " ".join(rng.sample(self.titles, 3)),
                                "popularity": rng.randint(0, 100)}
                    status, reply = self.request(connection, "PUT", f"/documents/{doc_id}",
                                                 json.dumps(document),
                                                 {"Content-Type": "application/json"})
                else:
                    status, reply = self.request(connection, "DELETE", f"/documents/{doc_id}")
                self.note("documents", status, reply)
            except (OSError, http.client.HTTPException):
                connection = None

    def start(self):
        self.threads = [threading.Thread(target=self.searcher, args=(i,))
                        for i in range(self.args.searchers)]
        self.threads += [threading.Thread(target=self.clicker), threading.Thread(target=self.updater)]
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else 0.0


def memory_report(port):
    """The server's own account of its memory (/admin/status), or None."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/admin/status", headers=ADMIN)
        return json.loads(connection.getresponse().read())["memory"]
    except (OSError, ValueError, KeyError):
        return None


def fold_everything(port, seconds=30):
    """Waits out the settle window, then folds until nothing is pending."""
    deadline = time.monotonic() + seconds
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        connection.request("POST", "/admin/fold", "", ADMIN)
        connection.getresponse().read()
        connection.request("GET", "/admin/status", headers=ADMIN)
        status = json.loads(connection.getresponse().read())
        if status["feedback"]["clicks"]["pending"] == 0:
            return True
    return False


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--foldrank", required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--kills", type=int, default=0)
    parser.add_argument("--searchers", type=int, default=4)
    parser.add_argument("--click-rate", type=float, default=50)
    parser.add_argument("--warmup-share", type=float, default=0.5)
    parser.add_argument("--rss-growth-mb", type=float, default=32)
    parser.add_argument("--rss-max-mb", type=float, default=384)
    parser.add_argument("--p99-ms", type=float, default=250)
    # Nearly every soak search is a new query (random title words), so the click
    # features' (query, document) pairs grow ~1,200 a second: a bound the CI run
    # reaches, to prove memory stays flat once it is (the server's default is 500,000).
    parser.add_argument("--click-pairs-max", type=int, default=50000)
    args = parser.parse_args()

    documents = [json.loads(line) for line in open(args.corpus, encoding="utf-8") if line.strip()]
    titles = [d["title"] for d in documents if d.get("title")]
    failures = []
    with tempfile.TemporaryDirectory(prefix="foldrank-soak-") as work:
        data = os.path.join(work, "data")
        loaded = subprocess.run([args.foldrank, "index", "--data", data, args.corpus],
                                capture_output=True, text=True)
        if loaded.returncode != 0:
            print("index failed:", loaded.stderr)
            return 1
        server = Server(args.foldrank, data, args.click_pairs_max)
        load = Load(args, titles, [d["id"] for d in documents])
        load.port = server.port
        load.start()
        rss = []  # (seconds since start, MB) while no kill is planned.
        reports = []  # (seconds since start, the server's memory report), every 10 s.
        start = time.monotonic()
        kill_times = sorted(random.Random(3).uniform(0.1, 0.8) * args.seconds
                            for _ in range(args.kills))
        kills_done = 0
        while time.monotonic() - start < args.seconds:
            time.sleep(1)
            elapsed = time.monotonic() - start
            if kills_done < len(kill_times) and elapsed >= kill_times[kills_done]:
                server.kill()
                kills_done += 1
                server = Server(args.foldrank, data, args.click_pairs_max)
                load.port = server.port
                print(f"killed and restarted the server at {elapsed:.1f} s")
            elif args.kills == 0:
                rss.append((elapsed, server.rss_mb()))
                if len(rss) % 10 == 0:
                    reports.append((elapsed, memory_report(server.port)))
        load.stop()
        if not fold_everything(server.port):
            failures.append("clicks still pending 30 s after the load stopped")
        server.stop()

        ledger = sqlite3.connect(os.path.join(data, "ledger.sqlite"))
        stored = {row[0] for row in ledger.execute("SELECT event_id FROM clicks")}
        unfolded = ledger.execute("SELECT COUNT(*) FROM clicks WHERE folded_by IS NULL").fetchone()[0]
        versions = ledger.execute("SELECT COUNT(*) FROM models").fetchone()[0]
        ledger.close()
        missing = load.acknowledged - stored
        replay = subprocess.run([args.foldrank, "replay", "--data", data], capture_output=True, text=True)
        check = subprocess.run([args.foldrank, "check", "--data", data], capture_output=True, text=True)

        searches = sum(n for (route, _), n in load.statuses.items() if route == "search")
        p50, p99 = percentile(load.latencies_ms, 0.5), percentile(load.latencies_ms, 0.99)
        print(f"{args.seconds:.0f} s, {kills_done} kills: {searches} searches (p50 {p50:.1f} ms, "
              f"p99 {p99:.1f} ms), {len(load.acknowledged)} clicks acknowledged, {len(stored)} "
              f"stored, {unfolded} unfolded, {versions} model versions")
        print("statuses:", {f"{route} {status}": n for (route, status), n in sorted(load.statuses.items())})
        print("replay:", replay.stdout.strip().splitlines()[-1] if replay.stdout.strip() else replay.stderr)
        if load.server_errors:
            failures.append(f"{len(load.server_errors)} 5xx responses, e.g. {load.server_errors[:3]}")
        if missing:
            failures.append(f"{len(missing)} acknowledged clicks missing from the ledger, e.g. "
                            f"{sorted(missing)[:5]}")
        if unfolded:
            failures.append(f"{unfolded} clicks never folded")
        if replay.returncode != 0:
            differing = [line for line in replay.stdout.splitlines() if "DIFFERS" in line]
            failures.append(f"replay: {'; '.join(differing[:10]) or replay.stderr[-500:]}")
        if check.returncode != 0:
            failures.append("foldrank check found damage: " + check.stdout)
        if not load.acknowledged:
            failures.append("no click was acknowledged: the load did not run")
        if args.kills == 0:
            tenths = [max([mb for t, mb in rss if t <= (i + 1) * args.seconds / 10] or [0])
                      for i in range(10)]
            print("resident memory peak by tenth of the run (MB):",
                  " ".join(f"{mb:.0f}" for mb in tenths))
            # Where it went, by the server's account, at the last report of each tenth.
            by_tenth = [[r for t, r in reports if r and t <= (i + 1) * args.seconds / 10][-1:]
                        for i in range(10)]
            if all(by_tenth):
                print("of which SQLite (MB):",
                      " ".join(f"{r[0]['sqlite_bytes'] / 2**20:.0f}" for r in by_tenth))
                print("click count pairs held:",
                      " ".join(str(r[0]["click_count_pairs"]) for r in by_tenth),
                      f"(bound {args.click_pairs_max}; dropped",
                      f"{by_tenth[-1][0]['click_count_pairs_dropped']})")
            # Held: the bound, plus the recent deltas not merged yet (a quarter of what
            # is merged, at least 4096 entries, plus the fold that reaches it).
            slack = max(4096, (args.click_pairs_max + len(documents)) // 4) + 2000
            held = max((r["click_count_pairs"] for _, r in reports if r), default=0)
            if args.click_pairs_max > 0 and held > args.click_pairs_max + slack:
                failures.append(f"{held} click count pairs held, above the bound "
                                f"{args.click_pairs_max} (+{slack} not merged yet)")
            settled = [mb for t, mb in rss if t >= args.warmup_share * args.seconds]
            half = len(settled) // 2
            if half >= 2:
                first, last = max(settled[:half]), max(settled[half:])
                print(f"resident memory after the warm-up ({args.warmup_share:.0%} of the run): "
                      f"first half peak {first:.1f} MB, second half peak {last:.1f} MB "
                      f"(bounds: +{args.rss_growth_mb:.0f} MB, at most {args.rss_max_mb:.0f} MB)")
                if last > first + args.rss_growth_mb:
                    failures.append(f"resident memory grew {last - first:.1f} MB after warm-up")
            if rss and max(mb for _, mb in rss) > args.rss_max_mb:
                failures.append(f"resident memory peaked above {args.rss_max_mb:.0f} MB")
            if p99 > args.p99_ms:
                failures.append(f"search p99 {p99:.1f} ms above the bound {args.p99_ms:.0f} ms")
        keep = os.environ.get("FOLDRANK_SOAK_KEEP")
        if failures and keep:  # For a post-mortem: the data directory as the run left it.
            shutil.copytree(data, os.path.join(keep, os.path.basename(work)))
            print("data kept in", os.path.join(keep, os.path.basename(work)))
    for failure in failures:
        print("FAILED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
