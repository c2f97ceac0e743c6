#!/usr/bin/env python3
"""Steady click traffic for the HTTP benchmark: search, then click one result, at
--rate clicks per second for --seconds, over keep-alive connections. Prints how many
clicks were acknowledged (202) and any other statuses."""

import argparse
import http.client
import json
import random
import threading
import time
import urllib.parse


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--queries", required=True)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=128)
    args = parser.parse_args()
    queries = [line.split("\t")[0] for line in open(args.queries, encoding="utf-8") if line.strip()]
    statuses = {}
    lock = threading.Lock()
    start = time.monotonic()
    period = args.workers / args.rate

    def worker(index):
        rng = random.Random(index)
        connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=10)
        next_at = start + index * period / args.workers
        while next_at < start + args.seconds:
            time.sleep(max(0.0, next_at - time.monotonic()))
            next_at += period
            query = urllib.parse.quote(rng.choice(queries))
            connection.request("GET", f"/search?q={query}&k=10")
            page = json.loads(connection.getresponse().read())
            if not page.get("results"):
                continue
            hit = rng.choice(page["results"])
            body = json.dumps({"query_id": page["query_id"], "doc_id": hit["id"],
                               "position": hit["position"]})
            connection.request("POST", "/click", body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            with lock:
                statuses[response.status] = statuses.get(response.status, 0) + 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    accepted = statuses.get(202, 0)
    print(f"clicks: {accepted} acknowledged in {elapsed:.1f} s ({accepted / elapsed:.0f}/s); "
          f"statuses {dict(sorted(statuses.items()))}")


if __name__ == "__main__":
    main()
