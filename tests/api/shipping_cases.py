"""Shipping cases (ORD-9 tracking import and bulk-ship export, ORD-11 courier bill
reconciliation, ORD-12 handover sheets). Used by run.py after orders_cases."""
import csv
import io
import http.client
import json
import os
import subprocess
import tempfile
import time
import urllib.parse

from orders_cases import multipart

STORE = "shp"


def shanghai_month(offset=0):
    t = time.gmtime(time.time() + 8 * 3600)
    y, m = t.tm_year, t.tm_mon + offset
    while m > 12:
        y, m = y + 1, m - 12
    return "%04d-%02d" % (y, m)


def add_tests(s, tokens, binary, db, engine, case, expect, run_cli, err_code):
    boss, wh, fin = tokens["boss"], tokens["warehouse"], tokens["finance"]
    tmp = tempfile.mkdtemp(prefix="dianpu-ship.")
    ofile, ifile = os.path.join(tmp, "o.csv"), os.path.join(tmp, "i.csv")
    p = subprocess.run([binary, "gen", "taobao-orders", "--orders", "80", "--seed", "23", ofile, ifile],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("gen failed: " + p.stderr)
    rc, out, err = run_cli(binary, db, "store", "add", STORE, "发货测试店", "--platform", "tmall")
    if rc != 0:
        raise RuntimeError("store add failed: " + err)
    # earlier suites drew the shared demo stock down: receive enough of every SKU in
    # the file first, so paid orders are audited (and can ship) as in a stocked store
    with open(ifile, "rb") as f:
        rows = list(csv.reader(io.StringIO(f.read().decode("gb18030"), newline="")))
    col = rows[0].index("商家编码")
    skus = {r[col].strip() for r in rows[1:] if r[col].strip().startswith("QH-")}
    for sku in sorted(skus):
        code, js, _ = s.req("POST", "/api/v1/stock/receive", {"sku": sku, "qty": 50, "reason": "发货测试补货"}, token=wh)
        # combination SKUs (INV-6) hold no stock of their own: their parts are received
        if code not in (200, 201) and not (code == 422 and "组合" in js["error"]["message"]):
            raise RuntimeError("receive %s: %s %s" % (sku, code, js))
    rc, out, err = run_cli(binary, db, "import", "taobao-orders", "--store", STORE, ofile, ifile)
    if rc != 0:
        raise RuntimeError("import failed: " + err)
    st = {}

    def orders(query):
        code, js, _ = s.req("GET", "/api/v1/orders?store=%s&page_size=200&%s" % (STORE, query), token=boss)
        expect(code == 200, "list %s %s" % (code, js))
        return js["items"]

    def order(oid):
        code, js, _ = s.req("GET", "/api/v1/orders/%d" % oid, token=boss)
        expect(code == 200, "get %s" % code)
        return js["order"]

    def pack(o, weight):
        for a, b in [("print", None), ("pick", None), ("verify", None), ("pack", {"weight_g": weight})]:
            # verify without scanning is the boss's override (ORD-8 scanning is tested in print_cases)
            code, js, _ = s.req("POST", "/api/v1/orders/%d/%s" % (o["id"], a), b, token=boss if a == "verify" else wh)
            expect(code == 200, "%s %s: %s %s" % (o["order_no"], a, code, js))
        return js["order"]

    def upload(path, fields, files, token):
        body, ctype = multipart(fields, files)
        return s.req("POST", path, token=token, raw=body, headers={"Content-Type": ctype})

    def raw_get(path, token):
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
        conn.request("GET", path, headers={"Authorization": "Bearer " + token})
        r = conn.getresponse()
        body = r.read()
        conn.close()
        return r.status, r.getheader("Content-Type") or "", body

    audited = orders("stage=audited")
    weights = [800, 500, 650, 900, 1200, 700, 300, 450, 1000, 600]
    if len(audited) < len(weights) + 2:
        raise RuntimeError("too few audited orders: %d" % len(audited))
    P = [pack(o, w) for o, w in zip(audited, weights)]   # packed orders P[0..9]
    U = audited[len(weights)]                             # still audited

    # ------------------------------------------------------------ ORD-9 import
    TRACK = ("订单编号,物流公司,物流单号,备注\r\n"
             "%s,圆通,YT0000000001,\r\n"                       # 2 shipped
             "9999999999999999999,圆通,YT0000000091,\r\n"      # 3 unknown order
             "%s,圆通,YT0000000092,\r\n"                       # 4 not packed
             "%s,中通,,\r\n"                                   # 5 number missing
             "%s,圆通速递,YT0000000002,\"两行\r\n备注\"\r\n"    # 6-7 shipped (quoted newline)
             "%s,圆通,YT0000000001,\r\n"                       # 8 number on another order
             "%s,中通,7.51234E+13,\r\n"                        # 9 Excel scientific notation
             "%s,中通快递,zt0000000003,\r\n"                   # 10 shipped, upper-cased
             ) % (P[0]["order_no"], U["order_no"], P[1]["order_no"], P[3]["order_no"],
                  P[4]["order_no"], P[2]["order_no"], P[5]["order_no"])
    track_path = os.path.join(tmp, "tracking.csv")
    with open(track_path, "w", encoding="utf-8", newline="") as f:
        f.write(TRACK)

    @case("ORD-9 tracking upload: good rows ship, bad rows reported by physical line, column, reason")
    def _():
        code, js, _ = upload("/api/v1/shipping/tracking", {"store": STORE},
                             {"file": ("tracking.csv", TRACK.encode("utf-8"))}, wh)
        expect(code == 200, "%s %s" % (code, js))
        expect((js["rows"], js["shipped"], js["unchanged"], js["rejected"]) == (8, 3, 0, 5), str(js)[:400])
        lines = {e["line"]: e for e in js["errors"]}
        expect(sorted(lines) == [3, 4, 5, 8, 9], "lines %s" % sorted(lines))
        expect(lines[3]["column"] == "订单编号" and "没有订单" in lines[3]["reason"], str(lines[3]))
        expect(lines[4]["column"] == "订单编号" and "已审核" in lines[4]["reason"], str(lines[4]))
        expect(lines[5]["column"] == "物流单号" and "缺少" in lines[5]["reason"], str(lines[5]))
        expect(lines[8]["column"] == "物流单号" and P[0]["order_no"] in lines[8]["reason"], str(lines[8]))
        expect(lines[9]["column"] == "物流单号" and "科学计数法" in lines[9]["reason"], str(lines[9]))
        a = order(P[0]["id"])
        expect(a["stage"] == "shipped" and a["courier"] == "圆通速递" and a["tracking_no"] == "YT0000000001", str(a)[:300])
        expect(a["timeline"][-1]["action"] == "ship" and a["timeline"][-1]["user"] == "warehouse", str(a["timeline"][-1]))
        expect(order(P[5]["id"])["tracking_no"] == "ZT0000000003", "upper-cased")
        expect(order(P[4]["id"])["stage"] == "packed" and order(U["id"])["stage"] == "audited", "refused rows untouched")
        expect(order(P[2]["id"])["stage"] == "packed" and order(P[1]["id"])["stage"] == "packed", "refused rows untouched")
        code, au, _ = s.req("GET", "/api/v1/audit?entity=order&entity_id=%d" % P[0]["id"], token=boss)
        expect(au["items"][0]["action"] == "ship" and au["items"][0]["after"]["stage"] == "shipped", str(au["items"][:1]))

    @case("ORD-9 re-running the same tracking file changes nothing")
    def _():
        before = order(P[0]["id"])["version"]
        code, js, _ = upload("/api/v1/shipping/tracking", {"store": STORE},
                             {"file": ("tracking.csv", TRACK.encode("utf-8"))}, wh)
        expect(code == 200 and (js["shipped"], js["unchanged"], js["rejected"]) == (0, 3, 5), str(js)[:300])
        expect(order(P[0]["id"])["version"] == before, "version unchanged")

    @case("ORD-9 CLI import of a GBK file with aliased headers, =\"…\" order numbers and No: prefixes")
    def _():
        text = ("订单号,快递公司,运单号\r\n"
                "=\"%s\",韵达快递,No:YD0000000004\r\n"    # 2 shipped
                "=\"1234\",韵达快递,YD0000000005\r\n"      # 3 unknown
                "%s,圆通,YT0000000001\r\n"                 # 4 unchanged
                "%s,圆通,YT0000000077\r\n"                 # 5 shipped with another number
                ) % (P[6]["order_no"], P[0]["order_no"], P[3]["order_no"])
        path = os.path.join(tmp, "tracking-gbk.csv")
        with open(path, "wb") as f:
            f.write(text.encode("gbk"))
        rc, out, err = run_cli(binary, db, "ship", "import", "--store", STORE, path)
        expect(rc == 0, err)
        r = json.loads(out)
        expect((r["rows"], r["shipped"], r["unchanged"], r["rejected"]) == (4, 1, 1, 2), out[:400])
        lines = {e["line"]: e for e in r["errors"]}
        expect(sorted(lines) == [3, 5] and lines[3]["column"] == "订单号", str(lines))
        expect(lines[5]["column"] == "运单号" and "YT0000000002" in lines[5]["reason"], str(lines[5]))
        g = order(P[6]["id"])
        expect(g["stage"] == "shipped" and g["courier"] == "韵达快递" and g["tracking_no"] == "YD0000000004", str(g)[:200])
        rc, out, err = run_cli(binary, db, "ship", "import", path)
        expect(rc == 2, "no --store is a usage error: %d" % rc)

    @case("ORD-9 upload errors: no store, no file, a missing column, an unknown store, an XLSX")
    def _():
        code, js, _ = upload("/api/v1/shipping/tracking", {}, {"file": ("t.csv", b"x")}, wh)
        expect(code == 422 and js["error"]["field"] == "store", "%s %s" % (code, js))
        code, js, _ = upload("/api/v1/shipping/tracking", {"store": STORE}, {}, wh)
        expect(code == 422 and js["error"]["field"] == "file", "%s %s" % (code, js))
        code, js, _ = upload("/api/v1/shipping/tracking", {"store": STORE},
                             {"file": ("t.csv", "订单编号,物流公司\r\n1,圆通\r\n".encode())}, wh)
        expect(code == 422 and "物流单号" in js["error"]["message"], "%s %s" % (code, js))
        code, js, _ = upload("/api/v1/shipping/tracking", {"store": "nosuch"}, {"file": ("t.csv", b"a")}, wh)
        expect(code == 404, "unknown store %s" % code)
        code, js, _ = upload("/api/v1/shipping/tracking", {"store": STORE},
                             {"file": ("t.xlsx", b"PK\x03\x04" + b"\x00" * 64)}, wh)
        expect(code in (400, 422) and js["error"]["message"], "xlsx %s %s" % (code, js))

    @case("ORD-9 roles: warehouse, boss, cs_lead ship; others 403")
    def _():
        for role in ("cs_presale", "finance", "operations", "designer", "distributor"):
            code, js, _ = upload("/api/v1/shipping/tracking", {"store": STORE}, {"file": ("t.csv", b"a")}, tokens[role])
            expect(code == 403, "%s upload %s" % (role, code))
            code, _, _ = raw_get("/api/v1/shipping/export?store=" + STORE, tokens[role])
            expect(code == 403, "%s export %s" % (role, code))
        for role in ("cs_lead", "boss"):
            code, _, _ = raw_get("/api/v1/shipping/export?store=" + STORE, tokens[role])
            expect(code == 200, "%s export %s" % (role, code))

    @case("ORD-9 export: the bulk-ship file (BOM, CRLF, 订单编号,物流公司,运单号, platform courier names)")
    def _():
        code, ctype, body = raw_get("/api/v1/shipping/export?store=" + STORE, wh)
        expect(code == 200 and ctype.startswith("text/csv"), "%s %s" % (code, ctype))
        expect(body.startswith(b"\xef\xbb\xbf"), "BOM")
        text = body[3:].decode("utf-8")
        expect(text.endswith("\r\n") and "\n" not in text.replace("\r\n", ""), "CRLF only")
        rows = text.split("\r\n")[:-1]
        expect(rows[0] == "订单编号,物流公司,运单号", rows[0])
        want = {"%s,圆通速递,YT0000000001" % P[0]["order_no"], "%s,圆通速递,YT0000000002" % P[3]["order_no"],
                "%s,中通快递,ZT0000000003" % P[5]["order_no"], "%s,韵达快递,YD0000000004" % P[6]["order_no"]}
        expect(set(rows[1:]) == want, "rows %s" % rows[1:])
        code, _, body = raw_get("/api/v1/shipping/export?store=%s&from=2001-01-01&to=2001-02-01" % STORE, wh)
        expect(code == 200 and body[3:].decode() == "订单编号,物流公司,运单号\r\n", "empty period: %r" % body[:80])
        code, _, _ = raw_get("/api/v1/shipping/export", wh)
        expect(code == 400, "store required %s" % code)
        code, _, _ = raw_get("/api/v1/shipping/export?store=%s&from=yesterday" % STORE, wh)
        expect(code == 400, "bad from %s" % code)
        st["export"] = body

    @case("ORD-9 the exported file imports back as all unchanged; CLI export is the same file")
    def _():
        code, _, body = raw_get("/api/v1/shipping/export?store=" + STORE, wh)
        code, js, _ = upload("/api/v1/shipping/tracking", {"store": STORE}, {"file": ("export.csv", body)}, wh)
        expect(code == 200 and (js["rows"], js["unchanged"], js["shipped"], js["rejected"]) == (4, 4, 0, 0), str(js)[:300])
        p = subprocess.run([binary, "ship", "export", "--db", db, "--store", STORE], capture_output=True)
        expect(p.returncode == 0 and p.stdout == body, "cli export %r" % p.stdout[:100])

    # ------------------------------------------------------------ ORD-11
    # Ship one more 圆通 parcel that the bill will lack, and fix the yto orders.
    code, js, _ = s.req("POST", "/api/v1/orders/%d/ship" % P[7]["id"],
                        {"courier": "圆通速递", "tracking_no": "YT0000000009"}, token=wh)
    if code != 200:
        raise RuntimeError("ship P7: %s %s" % (code, js))
    month = shanghai_month()
    BILL = ("运单号,重量(kg),运费\r\n"
            "YT0000000001,0.85,8.00\r\n"      # 2 P0 (800 g): within 100 g
            "YT0000000002,1.2,12.00\r\n"      # 3 P3 (900 g): +300 g, weight_over
            "YT9999999999,0.6,8.00\r\n"       # 4 unknown
            "YT0000000001,0.85,8.00\r\n"      # 5 duplicate
            "YT0000000010,abc,8.00\r\n"       # 6 rejected: weight
            "YTF000000001,0.5,8.00\r\n"       # 7-11 unknown fillers of the 1 kg bracket
            "YTF000000002,0.5,8.00\r\n"
            "YTF000000003,0.5,8.00\r\n"
            "YTF000000004,0.5,8.50\r\n"
            "YTF000000005,0.5,20.00\r\n")     # 11 fee_high: 20.00 > 8.00 x 1.3

    def bill_lines(bid, query, token=fin):
        code, js, _ = s.req("GET", "/api/v1/recon/courier-bills/%d?page_size=500&%s" % (bid, query), token=token)
        expect(code == 200, "%s %s" % (code, js))
        return js

    @case("ORD-11 bill import: matched, weight over tolerance, unknown, duplicate, fee outlier, missing, rejected")
    def _():
        code, js, _ = upload("/api/v1/recon/courier-bills", {"courier": "圆通速递", "period": month},
                             {"file": ("bill.csv", BILL.encode("utf-8"))}, fin)
        expect(code == 201, "%s %s" % (code, js))
        b = js["bill"]
        st["bill"] = b["id"]
        expect((b["rows"], b["lines"], b["rejected"], b["matched"]) == (10, 9, 1, 3), str(b)[:400])
        fl = b["flags"]
        expect((fl["unknown"], fl["duplicate"], fl["weight_over"], fl["weight_under"], fl["fee_high"]) == (6, 1, 1, 0, 1), str(fl))
        expect(fl["missing"] >= 1 and b["diff"] == 8 + fl["missing"], "diff %s missing %s" % (b["diff"], fl["missing"]))
        expect(b["fee_total_fen"] == 8850 and b["weight_over_g"] == 300 and b["weight_tolerance_g"] == 100, str(b)[:300])
        expect(b["errors"][0]["line"] == 6 and b["errors"][0]["column"] == "重量(kg)", str(b["errors"]))
        kg1 = [x for x in b["brackets"] if x["kg"] == 1][0]
        expect(kg1["lines"] == 8 and kg1["median_fen"] == 800 and kg1["high"] == 1 and kg1["judged"], str(kg1))

    @case("ORD-11 bill lines: ?only=diff lists differences with reasons, ?flag= filters one kind")
    def _():
        bid = st["bill"]
        all_ = bill_lines(bid, "")
        by = {}
        for l in all_["lines"]:
            by.setdefault(l["tracking_no"], []).append(l)
        p0 = by["YT0000000001"]
        expect(p0[0]["status"] == "matched" and p0[0]["flags"] == [] and p0[0]["order_no"] == P[0]["order_no"], str(p0))
        expect(p0[0]["our_weight_g"] == 800 and p0[0]["weight_diff_g"] == 50, str(p0[0]))
        expect(p0[1]["flags"] == ["duplicate"] and p0[1]["line"] == 5, str(p0[1]))
        expect(by["YT9999999999"][0]["status"] == "unknown" and by["YT9999999999"][0]["order_id"] is None, "unknown")
        miss = by["YT0000000009"][0]
        expect(miss["status"] == "missing" and miss["line"] == 0 and miss["weight_g"] is None, str(miss))
        expect(miss["order_no"] == P[7]["order_no"] and miss["our_weight_g"] == 450, str(miss))
        expect("ZT0000000003" not in by and "YD0000000004" not in by, "other couriers are not missing from a 圆通 bill")
        expect(all_["lines"][-1]["status"] == "missing", "missing rows last")
        diff = bill_lines(bid, "only=diff")
        expect(diff["total"] == all_["total"] - 1 and all(l["flags"] for l in diff["lines"]), "diff total %s" % diff["total"])
        over = bill_lines(bid, "flag=weight_over")["lines"]
        expect(len(over) == 1 and over[0]["tracking_no"] == "YT0000000002" and over[0]["weight_diff_g"] == 300, str(over))
        expect(over[0]["reasons"] == ["计费重量超出我方称重"], str(over[0]["reasons"]))
        high = bill_lines(bid, "flag=fee_high")["lines"]
        expect([l["tracking_no"] for l in high] == ["YTF000000005"] and high[0]["fee_fen"] == 2000, str(high))
        code, js, _ = s.req("GET", "/api/v1/recon/courier-bills/%d?flag=nope" % bid, token=fin)
        expect(code == 400 and js["error"]["field"] == "flag", "%s" % code)
        code, js, _ = s.req("GET", "/api/v1/recon/courier-bills/999999", token=fin)
        expect(code == 404, "missing bill %s" % code)

    @case("ORD-11 one bill per courier and month (圆通 = 圆通速递): 409; next month flags billed_before")
    def _():
        code, js, _ = upload("/api/v1/recon/courier-bills", {"courier": "圆通", "period": month},
                             {"file": ("bill.csv", BILL.encode("utf-8"))}, fin)
        expect(code == 409 and str(st["bill"]) in js["error"]["message"], "%s %s" % (code, js))
        nxt = shanghai_month(1)
        code, js, _ = upload("/api/v1/recon/courier-bills?tolerance_g=20", {"courier": "YTO", "period": nxt},
                             {"file": ("bill2.csv", "运单号,重量(kg),运费\r\nYT0000000001,0.85,8.00\r\n".encode())}, tokens["warehouse"])
        expect(code == 201, "%s %s" % (code, js))
        b = js["bill"]
        expect(b["flags"]["billed_before"] == 1 and b["flags"]["weight_over"] == 1 and b["weight_tolerance_g"] == 20, str(b)[:300])
        expect(b["flags"]["missing"] == 0, "nothing shipped next month")
        code, js, _ = s.req("GET", "/api/v1/recon/courier-bills?courier=" + urllib.parse.quote("圆通"), token=boss)
        expect(code == 200 and [x["period"] for x in js["items"]] == [nxt, month], str(js)[:300])

    @case("ORD-11 CLI recon import of a GBK bill in grams; bad period and parameters refused")
    def _():
        path = os.path.join(tmp, "zto.csv")
        with open(path, "wb") as f:
            f.write("快递单号,重量(g),金额\r\nNo:ZT0000000003,700,￥6.50\r\n".encode("gbk"))
        rc, out, err = run_cli(binary, db, "recon", "import", "--courier", "中通快递", "--period", month, path)
        expect(rc == 0, err)
        b = json.loads(out)
        # other tests' 中通 parcels this month show as missing; the bill line itself is clean
        expect(b["matched"] == 1 and b["diff"] == b["flags"]["missing"] and b["fee_total_fen"] == 650, out[:300])
        expect(b["courier"] == "中通快递" and b["lines"] == 1, out[:300])
        rc, out, err = run_cli(binary, db, "recon", "show", str(b["id"]))
        expect(rc == 0 and json.loads(out)["id"] == b["id"], err)
        rc, out, err = run_cli(binary, db, "recon", "import", "--courier", "韵达", "--period", "2026-13", path)
        expect(rc == 1 and "2026-11" in err, err)
        code, js, _ = upload("/api/v1/recon/courier-bills", {"courier": "韵达", "period": month, "tolerance_g": "-5"},
                             {"file": ("b.csv", b"x")}, fin)
        expect(code == 422 and js["error"]["field"] == "tolerance_g", "%s %s" % (code, js))
        code, js, _ = upload("/api/v1/recon/courier-bills", {"courier": "韵达", "period": month},
                             {"file": ("b.csv", "运单号,运费\r\nYD1234567,1\r\n".encode())}, fin)
        expect(code == 422 and "重量" in js["error"]["message"], "%s %s" % (code, js))
        code, js, _ = s.req("GET", "/api/v1/recon/courier-bills?courier=" + urllib.parse.quote("韵达"), token=fin)
        expect(js["items"] == [], "a failed import stores nothing: %s" % js)

    @case("ORD-11 roles: finance, boss, warehouse; others 403")
    def _():
        for role in ("cs_lead", "cs_presale", "operations", "hr", "distributor"):
            code, js, _ = s.req("GET", "/api/v1/recon/courier-bills", token=tokens[role])
            expect(code == 403, "%s %s" % (role, code))
            code, js, _ = upload("/api/v1/recon/courier-bills", {"courier": "x", "period": month},
                                 {"file": ("b.csv", b"x")}, tokens[role])
            expect(code == 403, "%s upload %s" % (role, code))

    # ------------------------------------------------------------ ORD-12
    presale, after, lead = tokens["cs_presale"], tokens["cs_aftersale"], tokens["cs_lead"]

    @case("ORD-12 handover: create to a named user; the receiver sees it first as mine")
    def _():
        body = {"to_user": "aftersale", "shift": "夜班", "store": STORE, "note": "今晚的遗留",
                "items": [{"text": "客户 tb_小王 要求明早回电"},
                          {"text": "跟进订单地址修改", "order_id": P[8]["id"]}]}
        code, js, _ = s.req("POST", "/api/v1/handovers", body, token=presale)
        expect(code == 201, "%s %s" % (code, js))
        h = js["handover"]
        expect(h["to_user"] == "aftersale" and h["to_role"] == "cs_aftersale" and h["from_user"] == "presale", str(h))
        expect(h["items_total"] == 2 and h["items"][1]["order_no"] == P[8]["order_no"] and h["mine"] is False, str(h))
        expect(h["acknowledged"] is False and h["version"] == 1, str(h))
        st["h1"] = h
        code, js, _ = s.req("GET", "/api/v1/handovers?open=1", token=after)
        expect(code == 200 and js["items"][0]["id"] == h["id"] and js["items"][0]["mine"] is True, str(js)[:300])

    @case("ORD-12 ack: sender 403, outsider 403, stale version 409, receiver 200, twice 409; audited")
    def _():
        h = st["h1"]
        path = "/api/v1/handovers/%d/ack" % h["id"]
        code, js, _ = s.req("POST", path, {}, token=presale)
        expect(code == 403, "sender %s" % code)
        code, js, _ = s.req("POST", path, {}, token=wh)
        expect(code == 403, "outsider %s" % code)
        code, js, _ = s.req("GET", "/api/v1/handovers/%d" % h["id"], token=wh)
        expect(code == 404, "outsider read %s" % code)
        code, js, _ = s.req("POST", path, {"version": 7}, token=after)
        expect(code == 409 and js["error"]["field"] == "version", "%s %s" % (code, js))
        code, js, _ = s.req("POST", path, {"version": 1}, token=after)
        expect(code == 200 and js["handover"]["acknowledged_by"] == "aftersale" and js["handover"]["version"] == 2, str(js)[:300])
        code, js, _ = s.req("POST", path, None, token=after)
        expect(code == 409, "twice %s" % code)
        code, js, _ = s.req("POST", path, None, token=lead)
        expect(code == 409, "lead after ack %s" % code)
        code, js, _ = s.req("GET", "/api/v1/handovers?open=1", token=after)
        expect(all(x["id"] != h["id"] for x in js["items"]), "no longer open")
        code, au, _ = s.req("GET", "/api/v1/audit?entity=handover&entity_id=%d" % h["id"], token=boss)
        expect([a["action"] for a in au["items"]] == ["ack", "create"] and au["items"][0]["username"] == "aftersale", str(au)[:300])

    @case("ORD-12 items ticked done once; a lead acknowledges any sheet; role sheets go to a colleague")
    def _():
        h = st["h1"]
        item = h["items"][0]["id"]
        code, js, _ = s.req("POST", "/api/v1/handovers/%d/items/%d/done" % (h["id"], item), None, token=after)
        expect(code == 200 and js["handover"]["items"][0]["done"] is True and js["handover"]["items_open"] == 1, str(js)[:300])
        code, js, _ = s.req("POST", "/api/v1/handovers/%d/items/%d/done" % (h["id"], item), None, token=after)
        expect(code == 409, "twice %s" % code)
        code, js, _ = s.req("POST", "/api/v1/handovers/%d/items/%d/done" % (h["id"], item), None, token=wh)
        expect(code == 403, "outsider tick %s" % code)
        code, js, _ = s.req("POST", "/api/v1/users", {"username": "wh.day", "password": "wh-day-pass-1",
                                                       "role": "warehouse"}, token=boss)
        expect(code == 201, "%s %s" % (code, js))
        day = s.login("wh.day", "wh-day-pass-1")
        code, js, _ = s.req("POST", "/api/v1/handovers", {"shift": "night", "items": [{"text": "3 个包裹待称重"}]}, token=wh)
        expect(code == 201 and js["handover"]["to_user"] is None and js["handover"]["to_role"] == "warehouse", str(js)[:300])
        hid = js["handover"]["id"]
        code, js, _ = s.req("GET", "/api/v1/handovers?open=1", token=day)
        expect(js["items"] and js["items"][0]["id"] == hid and js["items"][0]["mine"] is True, str(js)[:300])
        code, js, _ = s.req("POST", "/api/v1/handovers/%d/ack" % hid, None, token=wh)
        expect(code == 403, "sender of a role sheet %s" % code)
        code, js, _ = s.req("POST", "/api/v1/handovers/%d/ack" % hid, None, token=day)
        expect(code == 200 and js["handover"]["acknowledged_by"] == "wh.day", str(js)[:200])
        code, js, _ = s.req("POST", "/api/v1/handovers", {"to_user": "boss", "shift": "早班", "items": [{"text": "x"}]}, token=presale)
        code, js, _ = s.req("POST", "/api/v1/handovers/%d/ack" % js["handover"]["id"], None, token=lead)
        expect(code == 200 and js["handover"]["acknowledged_by"] == "cslead", "lead ack %s" % code)

    @case("ORD-12 suggest: open tasks, orders on hold and the exception queue, usable as items")
    def _():
        code, js, _ = s.req("POST", "/api/v1/orders/%d/hold" % P[9]["id"], {"reason": "客户要求暂缓发货"}, token=tokens["cs_lead"])
        expect(code == 200, "hold %s %s" % (code, js))
        code, js, _ = s.req("GET", "/api/v1/handovers/suggest?store=" + STORE, token=presale)
        expect(code == 200, "%s %s" % (code, js))
        kinds = {x["kind"] for x in js["items"]}
        hold = [x for x in js["items"] if x["kind"] == "hold"]
        expect(hold and hold[0]["order_id"] == P[9]["id"] and "客户要求暂缓发货" in hold[0]["text"], str(hold))
        expect("exception" in kinds, "exception queue: %s" % kinds)
        code, js2, _ = s.req("GET", "/api/v1/handovers/suggest", token=boss)
        expect(code == 200 and any(x["kind"] == "task" for x in js2["items"]), "tasks for the boss: %s" % [x["kind"] for x in js2["items"]][:20])
        items = [{"text": x["text"], "order_id": x["order_id"]} for x in js["items"][:3]]
        code, js, _ = s.req("POST", "/api/v1/handovers", {"shift": "night", "items": items}, token=presale)
        expect(code == 201 and js["handover"]["items_total"] == len(items), "%s %s" % (code, js))

    @case("ORD-12 bad input 422 naming the field; distributor 403")
    def _():
        bad = [({"shift": "night", "items": []}, "items"),
               ({"shift": "night"}, "items"),
               ({"items": [{"text": "x"}]}, "shift"),
               ({"shift": "night", "to_user": "nobody-here", "items": [{"text": "x"}]}, "to_user"),
               ({"shift": "night", "to_user": "presale", "items": [{"text": "x"}]}, "to_user"),
               ({"shift": "night", "to_role": "distributor", "items": [{"text": "x"}]}, "to_role"),
               ({"shift": "night", "to_role": "ceo", "items": [{"text": "x"}]}, "to_role"),
               ({"shift": "night", "items": [{"text": "x", "order_id": 99999999}]}, "items"),
               ({"shift": "night", "items": [{"text": ""}]}, "text"),
               ({"shift": "night", "items": [{"text": "x" * 501}]}, "text"),
               ({"shift": "x" * 21, "items": [{"text": "x"}]}, "shift")]
        for body, field in bad:
            code, js, _ = s.req("POST", "/api/v1/handovers", body, token=presale)
            expect(code == 422 and js["error"]["field"] == field, "%s -> %s %s" % (body, code, js))
        for method, path in [("GET", "/api/v1/handovers"), ("POST", "/api/v1/handovers"),
                             ("GET", "/api/v1/handovers/suggest")]:
            code, js, _ = s.req(method, path, {} if method == "POST" else None, token=tokens["distributor"])
            expect(code == 403, "distributor %s %s -> %s" % (method, path, code))
