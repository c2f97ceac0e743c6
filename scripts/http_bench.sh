#!/usr/bin/env bash
# HTTP benchmark: wrk on loopback against /search (10 s, 2 threads, 64 connections)
# beside the in-process search throughput with the same queries, measured in the
# same run; then the same load with clicks arriving at 200/s.
# Usage: scripts/http_bench.sh [CORPUS.jsonl[.gz]] [QUERIES.tsv]
# Default: the Debian package corpus beside the checkout and its 500 queries.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpora/debian-packages.jsonl.gz}
queries=${2:-bench/queries/debian-500.tsv}
[[ -f "$corpus" ]] || { echo "http_bench: no corpus at $corpus" >&2; exit 1; }

scripts/setup.sh
cmake -S . -B build/rel -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/rel -j"$(nproc)" --target foldrank search_throughput

work=$(mktemp -d)
server=
cleanup() {
  [[ -n "$server" ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
if [[ "$corpus" == *.gz ]]; then zcat "$corpus" >"$work/corpus.jsonl"; else cp "$corpus" "$work/corpus.jsonl"; fi
build/rel/cli/foldrank index --data "$work/data" "$work/corpus.jsonl" | tail -1

echo "== in-process (2 threads, 10 s)"
build/rel/bench/search_throughput --data "$work/data" --queries "$queries" --seconds 10 --threads 2

start_server() {
  build/rel/cli/foldrank serve --data "$work/data" --port 0 --threads 2 --access-log false \
    >"$work/serve.out" &
  server=$!
  for _ in $(seq 100); do
    port=$(grep -o '127.0.0.1:[0-9]*' "$work/serve.out" | head -1 | cut -d: -f2 || true)
    [[ -n "$port" ]] && return
    sleep 0.1
  done
  echo "http_bench: the server did not start" >&2
  exit 1
}

start_server
echo "== HTTP: wrk -t2 -c64 -d10s /search"
wrk -t2 -c64 -d10s --latency -s bench/wrk_search.lua "http://127.0.0.1:$port" -- "$queries"

echo "== HTTP with clicks at 200/s: wrk -t2 -c64 -d10s /search"
/usr/bin/python3 bench/click_load.py --port "$port" --queries "$queries" --rate 200 --seconds 10 &
clicker=$!
wrk -t2 -c64 -d10s --latency -s bench/wrk_search.lua "http://127.0.0.1:$port" -- "$queries"
wait "$clicker"
curl -s -H "Authorization: Bearer $(cat "$work/data/admin-token")" "http://127.0.0.1:$port/admin/status" | /usr/bin/python3 -c '
import json, sys
s = json.load(sys.stdin)
f = s["feedback"]
print("after the run: model v%d, %d clicks folded, %d pending, %d impressions dropped, "
      "click-to-model p50 %.0f ms p99 %.0f ms" % (s["model"]["version"], f["clicks"]["folded"],
      f["clicks"]["pending"], f["impressions_dropped"], f["click_to_model_ms"]["p50"],
      f["click_to_model_ms"]["p99"]))'
