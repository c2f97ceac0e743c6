#!/usr/bin/env bash
# The test command: installs what is missing, checks formatting, then builds and runs
# every test twice: a Release build with warnings as errors, and a Debug build under
# AddressSanitizer + UndefinedBehaviorSanitizer; the concurrency tests also run under
# ThreadSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

scripts/setup.sh

echo "== format check"
git ls-files '*.h' '*.cc' | xargs clang-format --dry-run --Werror

echo "== release build and tests"
cmake -S . -B build/rel -DCMAKE_BUILD_TYPE=Release -DFOLDRANK_WERROR=ON
cmake --build build/rel -j"$jobs"
ctest --test-dir build/rel --output-on-failure -j"$jobs"

echo "== ThreadSanitizer: model swaps, logging, click features and the server under concurrency"
cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=Debug -DFOLDRANK_WERROR=ON \
  -DFOLDRANK_SANITIZE=thread -DFOLDRANK_BUILD_BENCH=OFF
cmake --build build/tsan -j"$jobs" --target ranker_test feedback_test http_test
ctest --test-dir build/tsan --output-on-failure -j"$jobs" \
  -R '^(ModelStoreTest|ServingPolicyTest|ModelTest|ImpressionLogTest|ClickWriterTest|FoldLoopTest|LedgerClickSignalsTest|ServerTest|ApiTest)\.'

echo "== ASan+UBSan build and tests"
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DFOLDRANK_WERROR=ON \
  -DFOLDRANK_SANITIZE=address,undefined -DFOLDRANK_BUILD_BENCH=OFF
cmake --build build/asan -j"$jobs"
ctest --test-dir build/asan --output-on-failure -j"$jobs"
