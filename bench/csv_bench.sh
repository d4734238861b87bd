#!/usr/bin/env bash
# ORD-2 import goals: generate a seller-center export of $ORDERS orders (default
# 1,000,000) and stream both files through io/csv, reporting time, throughput
# and peak RSS (goal < 64 MB). Prints a Markdown section for bench/RESULTS.md.
#
#   bash bench/csv_bench.sh                 (from anywhere; builds into build-bench-csv/)
#   ORDERS=100000 bash bench/csv_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

orders=${ORDERS:-1000000}
seed=${SEED:-42}
out=build-bench-csv
mkdir -p "$out"
src="src/lib/err.c src/lib/xalloc.c src/lib/sb.c src/lib/arena.c src/lib/utf8.c src/lib/gbk.c
     src/lib/cal.c src/io/csv.c src/io/taobao_format.c src/io/taobao_gen.c"
# shellcheck disable=SC2086 # word splitting of the source list is intended
gcc -std=gnu11 -O2 -D_GNU_SOURCE -Isrc -Wall -Wextra -Wshadow -Wno-missing-field-initializers \
	bench/csv_bench.c $src -o "$out/csv_bench"

# Runs "$@" under /usr/bin/time -v; sets $line (the tool's output), $rss_mb and
# $cpu_s (user + system: steadier than wall time on a shared machine).
measure() {
	line=$(/usr/bin/time -v -o "$out/time.txt" "$@")
	rss_mb=$(awk -F': ' '/Maximum resident/ { printf "%.1f", $2 / 1024 }' "$out/time.txt")
	cpu_s=$(awk -F': ' '/User time|System time/ { t += $2 } END { printf "%.2f", t }' "$out/time.txt")
}
field() { tr ' ' '\n' <<<"$line" | awk -F= -v k="$1" '$1 == k { print $2 }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1e6 }'; }

measure "$out/csv_bench" gen "$orders" "$seed" "$out/orders.csv" "$out/items.csv"
gen_s=$(field seconds); gen_cpu=$cpu_s; gen_rss=$rss_mb
orders_mb=$(mb "$(field orders_bytes)"); items_mb=$(mb "$(field items_bytes)"); items=$(field items)

echo "## CSV import reader (ORD-2) — $(date -u '+%Y-%m-%d %H:%M') UTC"
echo
echo "\`bash bench/csv_bench.sh\`: \`dianpu gen taobao-orders\`'s generator writes $orders orders"
echo "($items item rows, GBK, CRLF), then io/csv streams each file (records include the"
echo "header); machine: $(nproc) cores."
echo
echo "| step | file MB | wall s | CPU s | MB/s (wall) | records/s (wall) | peak RSS MB (goal < 64) |"
echo "|---|---|---|---|---|---|---|"
echo "| generate both files | $orders_mb + $items_mb | $gen_s | $gen_cpu | | | $gen_rss |"
for f in orders items; do
	measure "$out/csv_bench" read "$out/$f.csv"
	echo "| read $f.csv ($(field encoding), $(field records) records) | $(mb "$(field bytes)") |" \
		"$(field seconds) | $cpu_s | $(field mb_per_s) | $(field records_per_s) | $rss_mb |"
done
rm -f "$out/orders.csv" "$out/items.csv" "$out/time.txt"
