#!/usr/bin/env bash
# The quality suite, one command: builds quality_bench (Release, with Xapian as the
# yardstick), writes the Debian query families (make_families.py, its own fixed seed)
# and the test collections' judgments, and prints, per family and per collection,
# MRR@10, recall@100, nDCG@10 and MAP@100 of Xapian BM25, foldrank's retrieval order
# and foldrank's cold start, measured in the same run.
#
# Usage: bench/quality/run.sh [--per-family N]   (needs ../shared/corpora beside the clone)
set -euo pipefail
cd "$(dirname "$0")/../.."
per_family=300
if [[ "${1:-}" == --per-family ]]; then per_family=$2; fi
shared=${FOLDRANK_SHARED:-../shared}/corpora
scripts/setup.sh all >/dev/null
if ! dpkg-query -W -f='${Status}' libxapian-dev 2>/dev/null | grep -q "install ok installed"; then
  sudo_cmd=(); ((EUID != 0)) && sudo_cmd=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq libxapian-dev
fi
cmake -S . -B build/rel -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/rel -j"$(nproc)" --target quality_bench >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

zcat "$shared/debian-packages.jsonl.gz" >"$work/debian.jsonl"
python3 bench/quality/make_families.py "$work/debian.jsonl" --per-family "$per_family" \
  >"$work/debian.tsv"
build/rel/bench/quality_bench --corpus "$work/debian.jsonl" --judgments "$work/debian.tsv" \
  --dir "$work/index"
for collection in cisi cacm; do
  python3 bench/quality/collection_to_tsv.py "$collection" "$shared/testcollections/$collection" \
    >"$work/$collection.tsv"
  build/rel/bench/quality_bench --corpus "$shared/testcollections/$collection/docs.jsonl" \
    --judgments "$work/$collection.tsv" --dir "$work/index"
done
