#!/usr/bin/env python3
"""Order list API over a large store (issue 3): GET /api/v1/orders?stage=audited&page_size=50,
alone and with a buyer or SKU filter, with wrk at 32 connections on loopback.
Goal: p99 < 20 ms. Size: BENCH_LIST_ORDERS (default 1,000,000); BENCH_SECONDS per run (10).
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/dianpu")
N = int(os.environ.get("BENCH_LIST_ORDERS", "1000000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))


def wrk(url, token):
    out = subprocess.run(["wrk", "-t2", "-c32", "-d%ds" % SECONDS, "--latency", "-H",
                          "Authorization: Bearer " + token, url],
                         capture_output=True, text=True, timeout=SECONDS + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p99 = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, p99, int(bad.group(1)) if bad else 0


def main():
    tmp = tempfile.mkdtemp(prefix="dianpu-bench-list.")
    db = "sqlite:" + os.path.join(tmp, "list.db")
    o, i = os.path.join(tmp, "o.csv"), os.path.join(tmp, "i.csv")
    srv = None
    try:
        subprocess.run([BIN, "demo", "--db", db], check=True, capture_output=True)
        subprocess.run([BIN, "gen", "taobao-orders", "--orders", str(N), "--seed", "7", o, i],
                       check=True, capture_output=True)
        subprocess.run([BIN, "store", "add", "--db", db, "big", "大店", "--platform", "tmall"],
                       check=True, capture_output=True)
        t0 = time.monotonic()
        subprocess.run([BIN, "import", "taobao-orders", "--db", db, "--store", "big", o, i],
                       check=True, capture_output=True)
        import_s = time.monotonic() - t0
        srv = subprocess.Popen([BIN, "serve", "--db", db, "--listen", "127.0.0.1:0", "--log-level", "warn"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        port = int(re.search(r":(\d+)\s*$", srv.stdout.readline()).group(1))
        base = "http://127.0.0.1:%d" % port
        req = urllib.request.Request(base + "/api/v1/auth/login", method="POST",
                                     data=json.dumps({"username": "boss", "password": "boss-demo-2026"}).encode())
        token = json.loads(urllib.request.urlopen(req).read())["token"]
        get = lambda path: json.loads(urllib.request.urlopen(urllib.request.Request(
            base + path, headers={"Authorization": "Bearer " + token})).read())
        first = get("/api/v1/orders?store=big&stage=audited&page_size=50")
        nick = first["items"][0]["buyer_nick"]
        sku = get("/api/v1/orders/%d" % first["items"][0]["id"])["order"]["items"][0]["sku_code"]
        runs = [("stage=audited", "/api/v1/orders?stage=audited&page_size=50"),
                ("stage=audited&buyer=…", "/api/v1/orders?stage=audited&page_size=50&buyer=" + urllib.parse.quote(nick)),
                ("stage=audited&sku=…", "/api/v1/orders?stage=audited&page_size=50&sku=" + urllib.parse.quote(sku))]
        print("## Order list API (issue 3) — %s\n" % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
        print("`bench/orders_bench.py`: %d imported orders (+3,000 demo) on SQLite (import took %.0f s), "
              "wrk -t2 -c32 -d%ds on loopback, %d cores.\n" % (N, import_s, SECONDS, os.cpu_count()))
        print("| query | req/s | p99 ms (goal < 20) | non-2xx |\n|---|---|---|---|")
        for name, path in runs:
            rps, p99, bad = wrk(base + path, token)
            print("| `%s` | %.0f | %.2f | %d |" % (name, rps, p99, bad))
    finally:
        if srv:
            srv.send_signal(signal.SIGTERM)
            srv.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
