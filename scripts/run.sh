#!/usr/bin/env bash
# The main command: installs what is missing, builds foldrank, loads sample_corpus/
# into the data directory ($FOLDRANK_DATA, default ./data) the first time, and
# starts the HTTP server on http://127.0.0.1:8080/ (a demo search page at /, the
# widget at /widget.js, model status at /admin). Arguments go to `foldrank serve`
# (e.g. --port 9000, --bind 0.0.0.0 --admin-token T); Ctrl-C stops it gracefully.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${FOLDRANK_DATA:-data}

scripts/setup.sh build
cmake -S . -B build/app -DCMAKE_BUILD_TYPE=Release -DFOLDRANK_BUILD_TESTS=OFF \
  -DFOLDRANK_BUILD_BENCH=OFF >/dev/null
cmake --build build/app -j"$(nproc)" --target foldrank
# Only the first time: documents changed later through the API are kept.
if [[ ! -d "$data/index" ]]; then
  build/app/cli/foldrank index --data "$data" sample_corpus/quillstack.jsonl
fi
exec build/app/cli/foldrank serve --data "$data" "$@"
