#!/usr/bin/env bash
# The test command: installs what is missing, checks formatting, then builds and runs
# every test twice: a Release build with warnings as errors, and a Debug build under
# AddressSanitizer + UndefinedBehaviorSanitizer; the concurrency tests also run under
# ThreadSanitizer; the fuzz targets are built with clang and libFuzzer and each is
# fuzzed briefly (their saved inputs replay in both test runs); cppcheck runs over
# every translation unit. The Release build is also installed into a temporary
# prefix for examples/embed, and packaged, installed and purged as a .deb.
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

echo "== install: examples/embed built and run against a temporary prefix (find_package, pkg-config)"
tests/package/install_test.sh build/rel

echo "== Debian package: install it here, check files and unit, serve as its user, purge"
tests/package/deb_test.sh build/rel

echo "== static analysis (cppcheck)"
scripts/static_analysis.sh build/rel

echo "== ThreadSanitizer: model swaps, logging, click features, background checks and the server under concurrency"
cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=Debug -DFOLDRANK_WERROR=ON \
  -DFOLDRANK_SANITIZE=thread -DFOLDRANK_BUILD_BENCH=OFF
cmake --build build/tsan -j"$jobs" --target ranker_test feedback_test http_test public_api_test
TSAN_OPTIONS="suppressions=$PWD/tests/tsan.supp" ctest --test-dir build/tsan --output-on-failure -j"$jobs" \
  -R '^(ModelStoreTest|ServingPolicyTest|ModelTest|ImpressionLogTest|ClickWriterTest|FoldLoopTest|LedgerClickSignalsTest|ServerTest|ApiTest|EngineTest)\.'

echo "== ASan+UBSan build and tests"
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DFOLDRANK_WERROR=ON \
  -DFOLDRANK_SANITIZE=address,undefined -DFOLDRANK_BUILD_BENCH=OFF
cmake --build build/asan -j"$jobs"
# The statistical simulations (thousands of simulated sessions each) run once, in
# Release, where their figures are asserted: under ASan they took most of this
# stage's time and run no code that the other tests here leave out.
ctest --test-dir build/asan --output-on-failure -j"$jobs" \
  -E '^(SimulationTest\.(PositionBiasEstimatesRecoverTheUsersClickModel|NaiveClickCountingIsBeatenUnderPositionBias|NearEqualModelsAreRarelyPromoted)|PositionBiasTest\.IntervalsCoverTheTruthAsOftenAsTheyClaim)$'

echo "== libFuzzer: parsers and the HTTP request path, 10 s each (fuzz/README.md)"
CC=clang CXX=clang++ cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=Debug -DFOLDRANK_WERROR=ON \
  -DFOLDRANK_SANITIZE=address,undefined -DFOLDRANK_FUZZ=ON -DFOLDRANK_BUILD_BENCH=OFF
cmake --build build/fuzz -j"$jobs" \
  --target document_fuzz query_fuzz click_payload_fuzz model_fuzz api_fuzz
scripts/fuzz.sh 10
