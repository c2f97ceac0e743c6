#!/usr/bin/env bash
# Runs each libFuzzer target for a while (default 20 s; `scripts/fuzz.sh 600` for a
# longer session by hand), starting from its saved corpus. Needs a build made with
# clang and -DFOLDRANK_FUZZ=ON (scripts/test.sh makes one: build/fuzz).
# New interesting inputs go to build/fuzz-corpus/NAME (copy the useful ones into
# fuzz/corpus/NAME); a crash is saved under build/fuzz-crashes/ and fails the run:
# add it to fuzz/crashes/NAME so that every later test run replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
build=${FUZZ_BUILD:-build/fuzz}
targets=(document query click_payload model api)

mkdir -p build/fuzz-crashes
for name in "${targets[@]}"; do
  fuzzer="$build/fuzz/${name}_fuzz"
  if [[ ! -x "$fuzzer" ]]; then
    echo "no $fuzzer: build with CXX=clang++ -DFOLDRANK_FUZZ=ON" >&2
    exit 1
  fi
  mkdir -p "build/fuzz-corpus/$name"
  echo "== fuzzing $name for ${seconds}s"
  # The first directory receives new inputs; the saved ones are read only.
  log="build/fuzz-crashes/${name}.log"
  status=0
  "$fuzzer" -max_total_time="$seconds" -max_len=4096 -timeout=30 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="build/fuzz-crashes/${name}-" \
    "build/fuzz-corpus/$name" "fuzz/corpus/$name" >"$log" 2>&1 || status=$?
  grep -E "^(#[0-9]+[[:space:]]+DONE|stat::(number_of_executed_units|average_exec_per_sec|new_units_added)|SUMMARY|fuzz property)" "$log" || true
  if [[ $status -ne 0 ]]; then
    tail -40 "$log" >&2
    echo "fuzzing $name failed (exit $status); the input is in build/fuzz-crashes/" >&2
    exit "$status"
  fi
done
