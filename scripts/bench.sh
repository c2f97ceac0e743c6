#!/usr/bin/env bash
# Runs the benchmarks on the Debian package corpus (not needed by the two main
# commands). Usage: scripts/bench.sh [CORPUS.jsonl[.gz]] [index_bench flags...]
# Default corpus: ../shared/corpora/debian-packages.jsonl.gz beside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpora/debian-packages.jsonl.gz}
shift || true
if [[ ! -f "$corpus" ]]; then
  echo "bench: no corpus at $corpus (make one with scripts/debian_to_jsonl.py)" >&2
  exit 1
fi

scripts/setup.sh
# Xapian is only a yardstick for rank_bench's quality comparison.
if ! dpkg-query -W -f='${Status}' libxapian-dev 2>/dev/null | grep -q "install ok installed"; then
  sudo_cmd=(); ((EUID == 0)) || sudo_cmd=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq libxapian-dev
fi
cmake -S . -B build/rel -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/rel -j"$(nproc)" --target index_bench rank_bench feedback_bench

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [[ "$corpus" == *.gz ]]; then
  zcat "$corpus" >"$work/corpus.jsonl"
else
  cp "$corpus" "$work/corpus.jsonl"
fi
echo "== index_bench: index/ against bare Lucene++"
build/rel/bench/index_bench --corpus "$work/corpus.jsonl" \
  --queries bench/queries/debian-500.tsv --dir "$work/index" "$@"
echo
echo "== rank_bench: the reranking path and the cold-start ranking's quality"
build/rel/bench/rank_bench --corpus "$work/corpus.jsonl" \
  --queries bench/queries/debian-500.tsv --dir "$work/index" "$@"
echo
echo "== feedback_bench: click ingest, folding, click-to-model latency"
build/rel/bench/feedback_bench --corpus "$work/corpus.jsonl" \
  --queries bench/queries/debian-500.tsv --dir "$work/feedback"
