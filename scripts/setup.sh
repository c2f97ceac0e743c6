#!/usr/bin/env bash
# Installs the Debian packages foldrank needs, and only those that are missing.
# Idempotent: a second run installs nothing and exits 0. Needs root or sudo when
# something is missing.
set -euo pipefail

# Usage: scripts/setup.sh [build|all]. `build` (the main command's): what building
# and running foldrank needs. `all` (default): also what the tests and benchmarks use.
set_name=${1:-all}
# Build and runtime dependencies, all from Debian 12's archive.
packages=(
  build-essential cmake pkg-config
  liblucene++-dev libboost-dev libboost-thread-dev libboost-program-options-dev
  libeigen3-dev libsqlite3-dev nlohmann-json3-dev
  libstemmer-dev libutf8proc-dev  # Snowball stemmers, Unicode folding (index/analysis.h).
  zlib1g-dev
)
if [[ "$set_name" == all ]]; then
  packages+=(
    clang clang-format cppcheck
    libclang-rt-14-dev        # Tests: libFuzzer and clang's sanitizer runtimes (fuzz/).
    googletest libgtest-dev libgmock-dev libbenchmark-dev
    python3-xgboost           # Tests: reference scores for the tree-ensemble parity test.
    chromium chromium-driver  # Tests: the search widget in a real browser.
    wrk                       # Benchmarks: HTTP load on loopback (scripts/http_bench.sh).
    systemd                   # Tests: systemd-analyze verify of the packaged unit.
  )
elif [[ "$set_name" != build ]]; then
  echo "usage: scripts/setup.sh [build|all]" >&2
  exit 2
fi

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo_cmd=()
if ((EUID != 0)); then
  if ! command -v sudo >/dev/null; then
    echo "setup: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
