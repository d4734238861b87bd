#!/usr/bin/env bash
# Runs every suite and ends with one line "N passed, N failed".
#   1. layering check          4. API tests on SQLite and PostgreSQL
#   2. unit tests (cmocka)     5. unit + API tests again under ASan+UBSan
#   3. a real PostgreSQL       6. libFuzzer smoke runs
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
ASAN_BUILD=${ASAN_BUILD:-build-asan}
PASSED=0
FAILED=0
FAILURES=()
TMP=$(mktemp -d /tmp/dianpu-test.XXXXXX)
PGDIR="$TMP/pg"

cleanup() {
  [ -d "$PGDIR" ] && bash tests/pg.sh stop "$PGDIR" >/dev/null 2>&1
  rm -rf "$TMP"
}
trap cleanup EXIT

pass() { PASSED=$((PASSED + $1)); }
fail() { FAILED=$((FAILED + $1)); FAILURES+=("$2"); }

# One check that is a single test.
check() {
  local name=$1; shift
  if "$@" >"$TMP/out" 2>&1; then pass 1; echo "ok   $name"
  else fail 1 "$name"; echo "FAIL $name"; tail -n 30 "$TMP/out"; fi
}

# A cmocka binary: count its passed and failed tests.
cmocka() {
  local name=$1 exe=$2 p f
  "$exe" >"$TMP/out" 2>&1
  local rc=$?
  # a binary may run several groups: add up every group's counts
  p=$(grep -oE '^\[  PASSED  \] [0-9]+' "$TMP/out" | grep -oE '[0-9]+$' | awk '{s+=$1} END {print s+0}')
  f=$(grep -oE '^\[  FAILED  \] [0-9]+' "$TMP/out" | grep -oE '[0-9]+$' | awk '{s+=$1} END {print s+0}')
  p=${p:-0}; f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi   # crashed or sanitizer report
  pass "$p"
  if [ "$f" -gt 0 ]; then fail "$f" "$name"; echo "FAIL $name ($p passed, $f failed)"; cat "$TMP/out" | tail -n 40
  else echo "ok   $name ($p tests)"; fi
}

# The API runner prints "api: N passed, M failed" as its last line.
api() {
  local name=$1; shift
  python3 tests/api/run.py "$@" >"$TMP/api.out" 2>&1
  local rc=$? line p f
  line=$(grep -E '^api: [0-9]+ passed, [0-9]+ failed' "$TMP/api.out" | tail -n 1)
  p=$(echo "$line" | sed -E 's/^api: ([0-9]+) passed.*/\1/'); p=${p:-0}
  f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/'); f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  pass "$p"
  if [ "$f" -gt 0 ]; then fail "$f" "$name"; echo "FAIL $name ($p passed, $f failed)"; grep -E '^(FAIL|  )' "$TMP/api.out" | head -n 60; tail -n 20 "$TMP/api.out"
  else echo "ok   $name ($p cases)"; fi
}

check "layering (STYLE.md section 1)" bash tests/check_layers.sh

if PG_URL=$(bash tests/pg.sh start "$PGDIR" 2>"$TMP/pg.err"); then
  export DIANPU_TEST_PG_URL="$PG_URL"
  echo "ok   postgresql started for the tests"
else
  fail 1 "start postgresql"; cat "$TMP/pg.err"
fi

for exe in "$BUILD"/tests/test_*; do
  [ -f "$exe" ] && [ -x "$exe" ] && cmocka "unit $(basename "$exe")" "$exe"
done
api "api sqlite" --bin "$BUILD/dianpu" --db "sqlite:$TMP/api.db"
[ -n "${DIANPU_TEST_PG_URL:-}" ] && api "api postgres" --bin "$BUILD/dianpu" --db "$DIANPU_TEST_PG_URL" --fresh-pg

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:fast_unwind_on_malloc=0  # cairo/fontconfig leaks (tests/lsan.supp)
for exe in "$ASAN_BUILD"/tests/test_*; do
  [ -f "$exe" ] && [ -x "$exe" ] && cmocka "asan $(basename "$exe")" "$exe"
done
api "asan api sqlite" --bin "$ASAN_BUILD/dianpu" --db "sqlite:$TMP/api-asan.db"
[ -n "${DIANPU_TEST_PG_URL:-}" ] && api "asan api postgres" --bin "$ASAN_BUILD/dianpu" --db "$DIANPU_TEST_PG_URL" --fresh-pg
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS

check "fuzz smoke (money, gbk, address, csv, taobao)" env FUZZ_SECONDS="${FUZZ_SECONDS:-4}" bash tests/fuzz/run.sh

echo
if [ ${#FAILURES[@]} -gt 0 ]; then
  echo "failed suites:"; printf '  %s\n' "${FAILURES[@]}"
fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
