#!/usr/bin/env bash
# Builds the Debian package from a configured build directory, installs it on this
# machine, and checks what an operator gets: the files, the library's metadata,
# the service user and data directory, the unit (systemd-analyze verify), and a
# server started as the service user with the shipped configuration answering a
# search. Purges the package at the end, also on failure.
# Usage: tests/package/deb_test.sh [BUILD_DIR] (default build/rel). Needs root or
# passwordless sudo (it installs a package).
set -euo pipefail

source_dir=$(cd "$(dirname "$0")/../.." && pwd)
build_dir=$(cd "${1:-$source_dir/build/rel}" && pwd)
as_root=()
if [[ $(id -u) -ne 0 ]]; then
  if ! sudo -n true 2>/dev/null; then
    echo "deb_test: needs root or passwordless sudo (it installs a package)" >&2
    exit 1
  fi
  as_root=(sudo -n)
fi
fail() {
  echo "deb_test: FAILED: $*" >&2
  exit 1
}

work=$(mktemp -d /tmp/foldrank-deb-XXXXXX)
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; fi
  if dpkg-query -W -f='${Status}' foldrank 2>/dev/null | grep -q "installed"; then
    "${as_root[@]}" dpkg --purge foldrank >/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if dpkg-query -W -f='${Status}' foldrank 2>/dev/null | grep -q "installed"; then
  fail "a foldrank package is already installed here; remove it first (dpkg --purge foldrank)"
fi

echo "== cpack -G DEB in $build_dir"
(cd "$build_dir" && cpack -G DEB -B "$work/package" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log"; fail "cpack"; }
deb=$(ls "$work"/package/foldrank_*.deb)
echo "package: $(basename "$deb") ($(du -h "$deb" | cut -f1))"
dpkg-deb --info "$deb" | grep -E "^ (Package|Version|Depends):"

echo "== dpkg -i"
"${as_root[@]}" dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -i"; }

echo "== files"
for file in /usr/bin/foldrank /usr/lib/libfoldrank.so.0 /usr/include/foldrank/engine.h \
  /usr/include/foldrank/version.h /usr/lib/cmake/foldrank/foldrankConfig.cmake \
  /usr/lib/pkgconfig/foldrank.pc /usr/lib/systemd/system/foldrank.service \
  /usr/lib/sysusers.d/foldrank.conf /etc/foldrank/foldrank.conf \
  /usr/share/doc/foldrank/embedding.md; do
  [[ -e "$file" ]] || fail "missing $file"
done
soname=$(objdump -p /usr/lib/libfoldrank.so.0 | awk '/SONAME/ {print $2}')
[[ "$soname" == libfoldrank.so.0 ]] || fail "SONAME is '$soname', not libfoldrank.so.0"
ldconfig -p | grep -q "libfoldrank.so.0 " || fail "libfoldrank.so.0 is not in the linker cache"
if ldd /usr/bin/foldrank /usr/lib/libfoldrank.so.0 | grep -q "not found"; then
  fail "unresolved shared libraries: $(ldd /usr/bin/foldrank /usr/lib/libfoldrank.so.0 | grep 'not found')"
fi
version=$(pkg-config --modversion foldrank) || fail "pkg-config does not know foldrank"
[[ "$version" == "$(/usr/bin/foldrank --version | awk '{print $NF}')" ]] ||
  fail "pkg-config says $version, foldrank --version says $(/usr/bin/foldrank --version)"
grep -q "^/etc/foldrank/foldrank.conf$" /var/lib/dpkg/info/foldrank.conffiles ||
  fail "/etc/foldrank/foldrank.conf is not a conffile"
echo "files, SONAME $soname, pkg-config $version: ok"

echo "== service user and data directory"
getent passwd foldrank >/dev/null || fail "no user foldrank"
[[ $(id -u foldrank) -ne 0 ]] || fail "the service user is root"
[[ $(stat -c %U /var/lib/foldrank) == foldrank ]] || fail "/var/lib/foldrank is not foldrank's"
grep -q "^User=foldrank$" /usr/lib/systemd/system/foldrank.service || fail "unit runs as root"
echo "user foldrank (uid $(id -u foldrank)), /var/lib/foldrank $(stat -c '%U:%G %a' /var/lib/foldrank): ok"

echo "== systemd-analyze verify"
systemd-analyze verify /usr/lib/systemd/system/foldrank.service >"$work/verify.log" 2>&1 ||
  { cat "$work/verify.log"; fail "systemd-analyze verify"; }
if grep -i "foldrank" "$work/verify.log"; then fail "systemd-analyze verify warns about the unit"; fi
echo "verify: ok"

echo "== serve as the service user with the shipped configuration"
install -m 0644 "$source_dir/sample_corpus/quillstack.jsonl" "$work/corpus.jsonl"
chmod 0755 "$work"
"${as_root[@]}" setpriv --reuid foldrank --regid foldrank --init-groups -- /usr/bin/foldrank index --data /var/lib/foldrank \
  "$work/corpus.jsonl" >"$work/index.log" 2>&1 || { cat "$work/index.log"; fail "index"; }
"${as_root[@]}" setpriv --reuid foldrank --regid foldrank --init-groups -- /usr/bin/foldrank serve --data /var/lib/foldrank \
  --config /etc/foldrank/foldrank.conf --port 0 >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
port=""
for _ in $(seq 1 100); do
  port=$(grep -o '127\.0\.0\.1:[0-9]*' "$work/serve.out" | head -1 | cut -d: -f2 || true)
  [[ -n "$port" ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err"; fail "serve exited"; }
  sleep 0.1
done
[[ -n "$port" ]] || fail "serve did not start within 10 s"
answer=$(python3 -c "
import json, sys, urllib.request
page = json.load(urllib.request.urlopen('http://127.0.0.1:$port/search?q=search&k=3', timeout=10))
print(len(page['results']), page['query_id'] != '')")
[[ "$answer" == "3 True" ]] || fail "search answered '$answer'"
owner=$(stat -c %U /var/lib/foldrank/ledger.sqlite)
[[ "$owner" == foldrank ]] || fail "the ledger belongs to $owner"
# No token in the shipped configuration: the server made one only its user reads.
token_file=$(stat -c '%U %a' /var/lib/foldrank/admin-token)
[[ "$token_file" == "foldrank 600" ]] || fail "the admin token file is '$token_file'"
grep -q '/admin/login?code=' "$work/serve.out" || fail "serve printed no admin sign-in link"
kill -TERM "$server_pid"
wait "$server_pid" || fail "serve did not stop cleanly on SIGTERM"
server_pid=""
echo "search on port $port: 3 results; stopped on SIGTERM: ok"

echo "== dpkg --purge"
"${as_root[@]}" dpkg --purge foldrank >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; fail "purge"; }
[[ ! -e /usr/bin/foldrank && ! -e /var/lib/foldrank ]] || fail "purge left files behind"
! getent passwd foldrank >/dev/null || fail "purge left the user behind"
echo "deb_test: passed"
