#!/usr/bin/env bash
# Static analysis: cppcheck over every translation unit of a configured build
# (its compile_commands.json; default build/rel): warnings, performance and
# portability checks. Any finding fails; an accepted one is suppressed inline
# (`// cppcheck-suppress ID ; why`) next to the code it is about.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/rel}
cppcheck --project="$build/compile_commands.json" \
  --enable=warning,performance,portability --library=googletest --inline-suppr \
  --suppress=missingIncludeSystem --suppress='*:/usr/*' \
  --error-exitcode=1 -q -j"$(nproc)" --template='{file}:{line}: {severity}/{id}: {message}'
echo "cppcheck: no findings"
