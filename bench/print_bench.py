#!/usr/bin/env python3
"""ORD-7 goal: 1,000 waybills to one PDF in < 2 s, through the HTTP endpoint.

Imports generated orders into a throwaway SQLite store (or the database in
PRINT_BENCH_DB, e.g. a tests/pg.sh URL, whose schema is replaced), audits the
exceptions so 1,000 orders are printable, then times POST /api/v1/print/waybills
with 1,000 ids end to end (request to the last byte of the PDF):
  - first: the real job, each order audited -> waybill_printed (1,000 stage
    actions with their events and audit rows, one transaction) plus rendering;
  - reprint: the same 1,000 again, median of PRINT_BENCH_RUNS (default 3).
Prints one Markdown table row. Usage: print_bench.py [path/to/dianpu]
"""
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/dianpu")
DB = os.environ.get("PRINT_BENCH_DB", "")
RUNS = int(os.environ.get("PRINT_BENCH_RUNS", "3"))
N = 1000


def call(port, method, path, body=None, token=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    h = {"Content-Type": "application/json"}
    if token:
        h["Authorization"] = "Bearer " + token
    conn.request(method, path, body=json.dumps(body).encode() if body is not None else None, headers=h)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    if r.status != 200:
        raise RuntimeError("%s %s: %d %s" % (method, path, r.status, data[:300]))
    return data


def ids_at(port, token, stage):
    out, page = [], 1
    while True:
        js = json.loads(call(port, "GET", "/api/v1/orders?store=bench&stage=%s&page_size=500&page=%d"
                             % (stage, page), token=token))
        out += [o["id"] for o in js["items"]]
        if len(js["items"]) < 500:
            return out
        page += 1


def timed(port, token, ids):
    t0 = time.monotonic()
    data = call(port, "POST", "/api/v1/print/waybills", {"ids": ids, "size": "100x180"}, token)
    return time.monotonic() - t0, data


def main():
    tmp = tempfile.mkdtemp(prefix="dianpu-bench-print.")
    db = DB or "sqlite:" + os.path.join(tmp, "print.db")
    o, i = os.path.join(tmp, "o.csv"), os.path.join(tmp, "i.csv")
    srv = None
    try:
        if DB:
            subprocess.run(["psql", DB, "-q", "-c", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"],
                           check=True, capture_output=True)
        subprocess.run([BIN, "demo", "--db", db], check=True, capture_output=True)
        subprocess.run([BIN, "gen", "taobao-orders", "--orders", "5000", "--seed", "7", o, i],
                       check=True, capture_output=True)
        subprocess.run([BIN, "store", "add", "--db", db, "bench", "青禾打印店", "--platform", "tmall"],
                       check=True, capture_output=True)
        srv = subprocess.Popen([BIN, "serve", "--db", db, "--listen", "127.0.0.1:0", "--log-level", "warn"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        port = int(re.search(r":(\d+)\s*$", srv.stdout.readline()).group(1))
        token = json.loads(call(port, "POST", "/api/v1/auth/login",
                                {"username": "warehouse", "password": "warehouse-demo-2026"}))["token"]
        # stock for every SKU first, so the import's auto-audit reserves instead of refusing
        with open(i, "rb") as f:
            codes = sorted({c.decode() for c in re.findall(rb"QH-[A-Z0-9-]+", f.read())})
        for c in codes:
            try:
                call(port, "POST", "/api/v1/stock/receive", {"sku": c, "qty": 100000}, token)
            except RuntimeError:
                pass  # a combination SKU has no stock of its own (INV-6)
        subprocess.run([BIN, "import", "taobao-orders", "--db", db, "--store", "bench", o, i],
                       check=True, capture_output=True)
        pend = ids_at(port, token, "pending_audit")
        for k in range(0, len(pend), 1000):
            call(port, "POST", "/api/v1/orders/batch/audit", {"ids": pend[k:k + 1000]}, token)
        ids = ids_at(port, token, "audited")[:N]
        if len(ids) < N:
            raise RuntimeError("only %d printable orders" % len(ids))
        first, data = timed(port, token, ids)
        pdf = os.path.join(tmp, "w.pdf")
        with open(pdf, "wb") as f:
            f.write(data)
        info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
        pages = re.search(r"^Pages:\s+(\d+)", info, re.M)
        reprint = statistics.median(timed(port, token, ids)[0] for _ in range(RUNS))
        engine = "PostgreSQL" if DB else "SQLite"
        verdict = "**met**" if max(first, reprint) < 2.0 else "**missed**"
        print("| 1,000 waybills 100×180 → one PDF, POST /api/v1/print/waybills (%s, %d cores) "
              "| %.2f s first (audited → waybill_printed), %.2f s reprint (median of %d) "
              "| %s pages, %.1f MB | < 2 s: %s |"
              % (engine, os.cpu_count() or 1, first, reprint, RUNS,
                 pages.group(1) if pages else "?", len(data) / 1e6, verdict))
    finally:
        if srv:
            srv.send_signal(signal.SIGTERM)
            srv.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
