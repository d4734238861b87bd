#!/usr/bin/env bash
# STYLE.md section 1: a domain core file (src/<domain>/<domain>.c) is pure: no
# database, HTTP or JSON header, no clock, environment or stdio reads.
# Also: only src/db/ includes a database header. Prints one line per violation.
set -uo pipefail
cd "$(dirname "$0")/.."
bad=0
for f in src/*/*.c; do
  d=$(basename "$(dirname "$f")")
  [ "$(basename "$f" .c)" = "$d" ] || continue
  [ "$d" = "lib" ] || [ "$d" = "db" ] || [ "$d" = "http" ] || [ "$d" = "cli" ] && continue
  if grep -nE '#include[[:space:]]*[<"](sqlite3|libpq-fe|microhttpd|jansson)\.h[>"]|#include[[:space:]]*"(db|http)/' "$f"; then
    echo "layering: $f includes a database, HTTP or JSON header"; bad=1
  fi
  if grep -nE '\b(time|getenv|fopen|clock_gettime)\(' "$f"; then
    echo "layering: $f reads the clock, the environment or files"; bad=1
  fi
done
for f in $(grep -rlE '#include[[:space:]]*<(sqlite3|libpq-fe)\.h>' src); do
  case "$f" in src/db/*) ;; *) echo "layering: $f includes a database header outside src/db"; bad=1;; esac
done
exit $bad
