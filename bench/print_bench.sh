#!/usr/bin/env bash
# ORD-7 printing goal: 1,000 waybills to one PDF through the HTTP endpoint in < 2 s.
# Prints one Markdown table row for bench/RESULTS.md (driver: bench/print_bench.py).
#
#   bash bench/print_bench.sh [path/to/dianpu]          (default build/dianpu, SQLite)
#   PRINT_BENCH_DB=$(bash tests/pg.sh start /tmp/pg) bash bench/print_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/dianpu}
[ -x "$bin" ] || { echo "print_bench: $bin not built (meson setup build && ninja -C build)" >&2; exit 1; }
command -v pdfinfo >/dev/null || { echo "print_bench: pdfinfo (poppler-utils) missing" >&2; exit 1; }
python3 bench/print_bench.py "$bin"
