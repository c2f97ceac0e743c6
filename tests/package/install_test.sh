#!/usr/bin/env bash
# Installs a build into a temporary prefix and builds examples/embed against the
# installed tree only, twice (find_package, and pkg-config), then runs it on the
# sample corpus: a broken install (missing header, export, config file, SONAME
# link) breaks this. Also checks that the installed headers include nothing but
# the standard library and each other.
# Usage: tests/package/install_test.sh [BUILD_DIR] (default build/rel).
set -euo pipefail

source_dir=$(cd "$(dirname "$0")/../.." && pwd)
build_dir=$(cd "${1:-$source_dir/build/rel}" && pwd)
work=$(mktemp -d /tmp/foldrank-install-XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"
fail() {
  echo "install_test: FAILED: $*" >&2
  exit 1
}

cmake --install "$build_dir" --prefix "$prefix" >"$work/install.log" ||
  { cat "$work/install.log"; fail "cmake --install"; }
for file in bin/foldrank lib/libfoldrank.so lib/libfoldrank.so.0 include/foldrank/engine.h \
  lib/cmake/foldrank/foldrankConfig.cmake lib/pkgconfig/foldrank.pc; do
  [[ -e "$prefix/$file" ]] || fail "missing $file"
done

# Public headers: only <foldrank/...> and standard headers (no dots or slashes).
bad=$(grep -h '^#include' "$prefix"/include/foldrank/*.h | grep -v -E '^#include <(foldrank/[a-z_]+\.h|[a-z_]+)>$' || true)
[[ -z "$bad" ]] || fail "public headers include non-public headers: $bad"
# Each header compiles on its own, with only the installed include directory.
for header in "$prefix"/include/foldrank/*.h; do
  echo "#include <foldrank/$(basename "$header")>" |
    g++ -std=c++20 -fsyntax-only -Wall -Wextra -Werror -I"$prefix/include" -x c++ - ||
    fail "$(basename "$header") does not compile on its own"
done

cmake -S "$source_dir/examples/embed" -B "$work/embed" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror" >"$work/embed.log" || { cat "$work/embed.log"; fail "configure"; }
cmake --build "$work/embed" >>"$work/embed.log" 2>&1 || { cat "$work/embed.log"; fail "build (find_package)"; }
"$work/embed/embed" "$source_dir/sample_corpus/quillstack.jsonl" || fail "embed (find_package) failed"

flags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs foldrank)
# shellcheck disable=SC2086
g++ -std=c++20 -Wall -Wextra -Werror "$source_dir/examples/embed/main.cc" -o "$work/embed-pc" $flags ||
  fail "build (pkg-config)"
LD_LIBRARY_PATH="$prefix/lib" "$work/embed-pc" "$source_dir/sample_corpus/quillstack.jsonl" >/dev/null ||
  fail "embed (pkg-config) failed"
echo "install_test: passed (prefix $prefix: find_package and pkg-config builds ran)"
