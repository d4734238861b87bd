#!/usr/bin/env bash
# make bench: runs the benchmarks and writes bench/RESULTS.md (ratios against named peers).
#   BENCH_ORDERS       orders for the import benchmark (default 1,000,000)
#   BENCH_LIST_ORDERS  orders behind the order list benchmark (default 1,000,000)
#   BENCH_SECONDS      seconds per wrk run (default 10)
#   BENCH_PG=1         also run the import against a throwaway PostgreSQL (tests/pg.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null && command -v nginx >/dev/null || bash scripts/deps.sh
sections=()
sections+=("$(python3 bench/http_bench.py build/dianpu)")
pgdir=""
if [ "${BENCH_PG:-0}" = 1 ]; then
  pgdir=$(mktemp -d /tmp/dianpu-bench-pg.XXXXXX)
  BENCH_PG_URL=$(bash tests/pg.sh start "$pgdir")
  export BENCH_PG_URL
  trap 'bash tests/pg.sh stop "$pgdir" >/dev/null 2>&1' EXIT
fi
sections+=("$(python3 bench/import_bench.py build/dianpu)")
sections+=("$(python3 bench/orders_bench.py build/dianpu)")
sections+=("$(printf '## Printing (issue 3)\n\n| job | time | output | goal |\n|---|---|---|---|\n%s' "$(bash bench/print_bench.sh build/dianpu)")")
{
  echo "# Benchmark results"
  echo
  echo "Written by \`make bench\`; numbers are from the machine that ran it, with every peer measured in the same run."
  for s in "${sections[@]}"; do
    echo
    echo "$s"
  done
} > bench/RESULTS.md
cat bench/RESULTS.md
