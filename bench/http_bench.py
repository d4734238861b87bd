#!/usr/bin/env python3
"""HTTP benchmark of dianpu against nginx, on loopback only, bounded in time.

  - GET /api/v1/health (no auth) and GET /api/v1/auth/me (bearer token), each with wrk
    (2 threads, 64 connections, DURATION seconds), side by side with nginx serving a
    static JSON file of the same size in the same run; ratio = dianpu / nginx req/s.
  - idle RSS of `dianpu serve` (VmRSS after start-up and one request)
  - start-up time: exec to first 200 from /api/v1/health (median of 5)
Prints a Markdown section on stdout.
"""
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
import urllib.request

BIN = sys.argv[1] if len(sys.argv) > 1 else "build/dianpu"
DURATION = int(os.environ.get("BENCH_SECONDS", "10"))
CONNS = 64


def wrk(url, headers=()):
    cmd = ["wrk", "-t2", "-c%d" % CONNS, "-d%ds" % DURATION, "--latency"]
    for h in headers:
        cmd += ["-H", h]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=DURATION + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, float(m.group(1)) * scale, int(errors.group(1)) if errors else 0


def start_dianpu(db):
    t0 = time.monotonic()
    p = subprocess.Popen([BIN, "serve", "--db", db, "--listen", "127.0.0.1:0", "--log-level", "warn"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = int(re.search(r":(\d+)", p.stdout.readline().split("http://")[1]).group(1))
    while True:
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/api/v1/health" % port) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.001)
    return p, port, (time.monotonic() - t0) * 1000


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def start_nginx(tmp, files):
    root = os.path.join(tmp, "www")
    os.makedirs(root, exist_ok=True)
    for name, body in files.items():
        with open(os.path.join(root, name), "wb") as f:
            f.write(body)
    conf = os.path.join(tmp, "nginx.conf")
    with open(conf, "w") as f:
        f.write("""worker_processes 2; pid %(t)s/nginx.pid; error_log %(t)s/error.log; daemon off;
user root;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path %(t)s; proxy_temp_path %(t)s; fastcgi_temp_path %(t)s;
  uwsgi_temp_path %(t)s; scgi_temp_path %(t)s; default_type application/json;
  server { listen 127.0.0.1:0; root %(r)s; } }
""" % {"t": tmp, "r": root})
    # nginx has no "any free port": pick one the kernel hands out, then bind it
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with open(conf) as f:
        text = f.read().replace("127.0.0.1:0", "127.0.0.1:%d" % port)
    with open(conf, "w") as f:
        f.write(text)
    p = subprocess.Popen(["nginx", "-c", conf], stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            urllib.request.urlopen("http://127.0.0.1:%d/health.json" % port)
            break
        except OSError:
            time.sleep(0.02)
    return p, port


def main():
    tmp = tempfile.mkdtemp(prefix="dianpu-bench.")
    db = "sqlite:" + os.path.join(tmp, "bench.db")
    subprocess.run([BIN, "demo", "--db", db], capture_output=True, check=True)
    starts = []
    for _ in range(5):
        p, port, ms = start_dianpu(db)
        starts.append(ms)
        p.send_signal(signal.SIGTERM)
        p.wait()
    p, port, _ = start_dianpu(db)
    base = "http://127.0.0.1:%d" % port
    health = urllib.request.urlopen(base + "/api/v1/health").read()
    req = urllib.request.Request(base + "/api/v1/auth/login", method="POST",
                                 data=json.dumps({"username": "boss", "password": "boss-demo-2026"}).encode())
    token = json.loads(urllib.request.urlopen(req).read())["token"]
    auth = "Authorization: Bearer " + token
    me = urllib.request.urlopen(urllib.request.Request(base + "/api/v1/auth/me", headers={"Authorization": "Bearer " + token})).read()
    idle = rss_kb(p.pid)
    ng, ng_port = start_nginx(tmp, {"health.json": health, "me.json": me})
    nbase = "http://127.0.0.1:%d" % ng_port
    try:
        rows = []
        for name, url, nurl, hdr in [("GET /api/v1/health", base + "/api/v1/health", nbase + "/health.json", ()),
                                     ("GET /api/v1/auth/me (bearer)", base + "/api/v1/auth/me", nbase + "/me.json", (auth,))]:
            d = wrk(url, hdr)
            n = wrk(nurl)
            rows.append((name, d, n))
    finally:
        ng.send_signal(signal.SIGQUIT)
        ng.wait()
        p.send_signal(signal.SIGTERM)
        p.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    print("## HTTP (issue 2) — %s\n" % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    print("`bash bench/run.sh` → `bench/http_bench.py`: wrk -t2 -c%d -d%ds on loopback, nginx serving a static"
          " file of the same bytes in the same run; machine: %d cores.\n" % (CONNS, DURATION, os.cpu_count()))
    print("| endpoint | dianpu req/s | dianpu p99 ms | nginx req/s | nginx p99 ms | ratio dianpu/nginx (goal ≥ 0.5) | non-2xx |")
    print("|---|---|---|---|---|---|---|")
    for name, d, n in rows:
        print("| %s | %.0f | %.2f | %.0f | %.2f | **%.2f** | %d |" % (name, d[0], d[1], n[0], n[1], d[0] / n[0], d[2]))
    print("\n| measure | value | goal |\n|---|---|---|")
    print("| idle RSS of `dianpu serve` | %.1f MB | < 20 MB |" % (idle / 1024.0))
    print("| start-up to first 200 (median of 5) | %.1f ms | < 100 ms |" % statistics.median(starts))


if __name__ == "__main__":
    main()
