#!/usr/bin/env bash
# Runs every suite and ends with one line "N passed, N failed".
#   1. layering check          5. console: Vitest units, Playwright in chromium
#   2. unit tests (cmocka)     6. unit + API tests again under ASan+UBSan
#   3. a real PostgreSQL       7. libFuzzer smoke runs
#   4. API tests on SQLite and PostgreSQL
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

# A runner whose last line is "PREFIX: N passed, M failed" (the API tests, the
# browser tests): count its cases; show its failures.
counted() {
  local name=$1 prefix=$2 out="$TMP/$2.out" line p f rc; shift 2
  "$@" >"$out" 2>&1
  rc=$?
  line=$(grep -E "^$prefix: [0-9]+ passed, [0-9]+ failed" "$out" | tail -n 1)
  p=$(echo "$line" | sed -E "s/^$prefix: ([0-9]+) passed.*/\\1/"); p=${p:-0}
  f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/'); f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  pass "$p"
  if [ "$f" -gt 0 ]; then fail "$f" "$name"; echo "FAIL $name ($p passed, $f failed)"; grep -A12 -E '^FAIL' "$out" | head -n 80; tail -n 20 "$out"
  else echo "ok   $name ($p cases)"; fi
}

api() { local name=$1; shift; counted "$name" api python3 tests/api/run.py "$@"; }
e2e() { counted "$1" e2e node tests/e2e/run.mjs --bin "$BUILD/dianpu"; }

# Vitest's summary line: "Tests  2 failed | 18 passed (20)".
vitest() {
  local name=$1 p f rc
  (cd web && NO_COLOR=1 npx vitest run) >"$TMP/vitest.out" 2>&1
  rc=$?
  p=$(grep -E '^ *Tests ' "$TMP/vitest.out" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+'); p=${p:-0}
  f=$(grep -E '^ *Tests ' "$TMP/vitest.out" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+'); f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  pass "$p"
  if [ "$f" -gt 0 ]; then fail "$f" "$name"; echo "FAIL $name ($p passed, $f failed)"; tail -n 60 "$TMP/vitest.out"
  else echo "ok   $name ($p tests)"; fi
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

vitest "console units (vitest)"
e2e "console in chromium (playwright)"

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
