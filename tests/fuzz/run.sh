#!/bin/bash
# Smoke-runs the libFuzzer harnesses: builds each with clang, then fuzzes it for
# $FUZZ_SECONDS (default 5) over a copy of its committed seed corpus, so the
# corpus in git only changes when someone adds a seed on purpose.
#
#   bash tests/fuzz/run.sh             (from the repository root)
#   FUZZ_SECONDS=300 bash tests/fuzz/run.sh
#
# Prints "fuzz NAME: ok" per harness; exits non-zero on a build failure or a
# finding, with the crash input left in build-fuzz/.
set -u

cd "$(dirname "$0")/../.." || exit 1

seconds=${FUZZ_SECONDS:-5}
clang=${CLANG:-clang}
out=build-fuzz
# Only pure modules (lib/, plus orders/address and orders/phone for fuzz_address):
# the harnesses need no storage, HTTP or config.
# fuzz_csv adds io/csv; fuzz_xlsx adds io/xlsx with libzip, expat and libxlsxwriter;
# fuzz_taobao and fuzz_generic link the importers with storage (listed below).
lib_src="src/lib/err.c src/lib/xalloc.c src/lib/sb.c src/lib/arena.c
         src/lib/money.c src/lib/utf8.c src/lib/gbk.c"
cflags="-std=gnu11 -g -O1 -D_GNU_SOURCE -Isrc -Wall -Wextra -Wshadow
        -Wno-missing-field-initializers
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"

mkdir -p "$out"
status=0

# The address harness needs the division list compiled in, as src/meson.build does it.
if ! { "$clang" -O1 tools/embed.c -o "$out/embed" &&
	"$out/embed" "$out/divisions_embed.c" addr_division_files data/ data/divisions.tsv; }; then
	echo "fuzz address: embedding data/divisions.tsv failed"
	status=1
fi

# The importer harness needs the schema compiled in too, and links storage.
if ! "$out/embed" "$out/migrations_embed.c" db_migration_files migrations/ src/db/migrations/*.sql; then
	echo "fuzz taobao: embedding migrations failed"
	status=1
fi
taobao_src="src/io/csv.c src/io/taobao_format.c src/orders/import_taobao.c src/orders/import_ahead.c src/orders/import_write.c
            src/orders/order.c
            src/orders/address.c src/orders/phone.c src/audit/audit_db.c src/policy/policy.c
            src/db/db.c src/db/sqlite.c src/db/pg.c src/db/migrate.c src/db/defer_index.c src/lib/log.c src/lib/cal.c
            src/inventory/inventory.c src/inventory/inventory_db.c src/inventory/inventory_order_db.c
            src/inventory/inventory_catalog_db.c src/inventory/inventory_stocktake_db.c
            src/inventory/inventory_report_db.c src/inventory/inventory_demo.c
            $out/divisions_embed.c $out/migrations_embed.c"
taobao_libs="-I/usr/include/postgresql -lsqlite3 -lpq -ljansson -lpthread"
# The generic template importer: the same storage end, plus the XLSX reader.
generic_src="$taobao_src src/orders/import_generic.c src/orders/import_generic_db.c src/io/xlsx.c"
generic_libs="$taobao_libs -lzip -lexpat -lxlsxwriter"

for name in money gbk address csv taobao xlsx generic; do
	bin="$out/fuzz_$name"
	corpus="$out/corpus_$name"
	log="$out/fuzz_$name.log"
	extra=""
	case $name in
	address) extra="src/orders/address.c src/orders/phone.c $out/divisions_embed.c" ;;
	csv) extra="src/io/csv.c" ;;
	xlsx) extra="src/io/xlsx.c src/io/csv.c src/lib/cal.c -lzip -lexpat -lxlsxwriter" ;;
	taobao) extra="$taobao_src $taobao_libs" ;;
	generic) extra="$generic_src $generic_libs" ;;
	esac

	# shellcheck disable=SC2086 # word splitting of the flag and source lists is intended
	if ! "$clang" $cflags "tests/fuzz/fuzz_$name.c" $lib_src $extra -o "$bin"; then
		echo "fuzz $name: build failed"
		status=1
		continue
	fi
	rm -rf "$corpus"
	cp -r "tests/fuzz/corpus/$name" "$corpus"
	if "$bin" -max_total_time="$seconds" -artifact_prefix="$out/${name}-" \
		"$corpus" >"$log" 2>&1; then
		echo "fuzz $name: ok"
	else
		tail -n 40 "$log"
		echo "fuzz $name: FAILED (log: $log)"
		status=1
	fi
done

exit "$status"
