#!/usr/bin/env bash
# The main command: installs what is missing, builds foldrank, indexes sample_corpus/
# into the data directory ($FOLDRANK_DATA, default ./data) and answers queries:
# the arguments as one query if there are any, else one query per line of input.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${FOLDRANK_DATA:-data}

scripts/setup.sh
cmake -S . -B build/app -DCMAKE_BUILD_TYPE=Release -DFOLDRANK_BUILD_TESTS=OFF \
  -DFOLDRANK_BUILD_BENCH=OFF >/dev/null
cmake --build build/app -j"$(nproc)" --target foldrank
build/app/cli/foldrank index --data "$data" sample_corpus/quillstack.jsonl
exec build/app/cli/foldrank search --data "$data" "$@"
