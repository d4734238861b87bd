#!/usr/bin/env bash
# make bench: runs the benchmarks and writes bench/RESULTS.md (ratios against named peers).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null && command -v nginx >/dev/null || bash scripts/deps.sh
out=$(python3 bench/http_bench.py build/dianpu)
{
  echo "# Benchmark results"
  echo
  echo "Written by \`make bench\`; numbers are from the machine that ran it."
  echo
  echo "$out"
} > bench/RESULTS.md
cat bench/RESULTS.md
