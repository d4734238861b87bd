#!/usr/bin/env python3
"""Import benchmark (issue 3): dianpu's Taobao import against the floor any importer of
the same files can reach, in the same run on the same machine.

  SQLite: `sqlite3 .import` of both files, converted from GBK by iconv in a pipe, into
          plain tables without constraints or indexes: the floor.
  PostgreSQL (when BENCH_PG_URL is set): COPY of the same converted files into plain tables.
Reports wall time, orders/s, peak RSS of dianpu, and the ratio dianpu / floor (goal <= 2).
Size: BENCH_ORDERS (default 1,000,000). Loopback only; everything in a temp dir.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/dianpu")
N = int(os.environ.get("BENCH_ORDERS", "1000000"))
PG = os.environ.get("BENCH_PG_URL", "")


def timed(cmd, input=None):
    """Wall seconds, peak RSS (KiB) and CPU seconds of this one child (wait4, not the
    children's running maximum). The files the step before wrote are flushed first, so
    that their writeback is not charged to this one."""
    os.sync()
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE if input else None, stdout=subprocess.DEVNULL)
    if input:
        p.stdin.write(input)
        p.stdin.close()
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise RuntimeError("%s exited %d" % (cmd[0], p.returncode))
    return dt, ru.ru_maxrss, ru.ru_utime + ru.ru_stime


def sqlite_floor(tmp, o, i):
    db = os.path.join(tmp, "floor.db")
    script = ".mode csv\n.import '|iconv -f GB18030 -t UTF-8 %s' orders\n.import '|iconv -f GB18030 -t UTF-8 %s' items\n" % (o, i)
    return timed(["sqlite3", db], input=script.encode())[0]


def dianpu_import(tmp, url, o, i):
    subprocess.run([BIN, "store", "add", "--db", url, "bench", "基准店", "--platform", "tmall"],
                   check=True, capture_output=True)
    return timed([BIN, "import", "taobao-orders", "--db", url, "--store", "bench", o, i, "--log-level", "warn"])


def pg_floor(tmp, o, i):
    o8, i8 = os.path.join(tmp, "o8.csv"), os.path.join(tmp, "i8.csv")
    for src, dst in ((o, o8), (i, i8)):
        with open(dst, "wb") as out:
            subprocess.run(["iconv", "-f", "GB18030", "-t", "UTF-8", src], check=True, stdout=out)
    ocols = ", ".join("c%d text" % k for k in range(47))
    icols = ", ".join("c%d text" % k for k in range(10))
    subprocess.run(["psql", PG, "-q", "-c", "DROP TABLE IF EXISTS floor_o, floor_i; CREATE TABLE floor_o (%s); CREATE TABLE floor_i (%s);" % (ocols, icols)],
                   check=True, capture_output=True)
    t0 = time.monotonic()
    subprocess.run(["psql", PG, "-q", "-c", "\\copy floor_o FROM '%s' WITH (FORMAT csv, HEADER true)" % o8], check=True)
    subprocess.run(["psql", PG, "-q", "-c", "\\copy floor_i FROM '%s' WITH (FORMAT csv, HEADER true)" % i8], check=True)
    return time.monotonic() - t0


def main():
    tmp = tempfile.mkdtemp(prefix="dianpu-bench-import.")
    try:
        o, i = os.path.join(tmp, "orders.csv"), os.path.join(tmp, "items.csv")
        subprocess.run([BIN, "gen", "taobao-orders", "--orders", str(N), "--seed", "42", o, i],
                       check=True, capture_output=True)
        size_mb = (os.path.getsize(o) + os.path.getsize(i)) / 1e6
        floor = sqlite_floor(tmp, o, i)
        d_wall, d_rss, d_cpu = dianpu_import(tmp, "sqlite:" + os.path.join(tmp, "dianpu.db"), o, i)
        print("## Import (issue 3) — %s\n" % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
        print("`bench/import_bench.py`: %d orders from `dianpu gen taobao-orders --seed 42` (%.0f MB, GBK); "
              "%d cores.\n" % (N, size_mb, os.cpu_count()))
        print("| engine | dianpu import s | orders/s | peak RSS MB | floor s (peer) | ratio dianpu/floor (goal ≤ 2) |")
        print("|---|---|---|---|---|---|")
        print("| SQLite | %.1f | %.0f | %.1f | %.1f (`iconv \\| sqlite3 .import`) | **%.2f** |" %
              (d_wall, N / d_wall, d_rss / 1024.0, floor, d_wall / floor))
        if PG:
            pf = pg_floor(tmp, o, i)
            subprocess.run(["psql", PG, "-q", "-c", "DROP TABLE IF EXISTS floor_o, floor_i"], capture_output=True)
            p_wall, p_rss, _ = dianpu_import(tmp, PG, o, i)
            print("| PostgreSQL | %.1f | %.0f | %.1f | %.1f (`COPY`) | **%.2f** |" %
                  (p_wall, N / p_wall, p_rss / 1024.0, pf, p_wall / pf))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
