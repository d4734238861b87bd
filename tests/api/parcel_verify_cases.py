"""ORD-8 + ORD-10 cases: scan-to-verify a split order parcel by parcel,
POST /api/v1/verify/scan with the parcel's waybill code ("<order no>-K" as
printed, or the parcel's tracking number), then the parcel's goods only; and
ORD-9 + ORD-10: the tracking-number import ships one parcel when its 订单编号
cell is "<order no>-K". The parcels verified here are the ones shipped there.
Used by run.py after parcel_print_cases; runs on SQLite and PostgreSQL.

The store ("pvfy") and its SKUs (PVF-A, PVF-B, PVF-C) are this module's own.
"""
import http.client
import json
import os
import tempfile
import urllib.parse

import merge_cases
from orders_cases import multipart
from print_cases import post_raw, sql_query, sql_run

STORE = "pvfy"
ADDR = "上海市 上海市 浦东新区 世纪大道 100 号"
# order no -> (buyer, address, [(sku, qty), ...])
ORDERS = {
    "9720000000000000001": ("pvf_b1", ADDR, [("PVF-A", 1), ("PVF-B", 2), ("PVF-C", 1)]),
    "9720000000000000002": ("pvf_b2", ADDR, [("PVF-A", 2), ("PVF-C", 1)]),
    "9720000000000000003": ("pvf_b3", ADDR, [("PVF-A", 1), ("PVF-B", 1)]),
    "9720000000000000004": ("pvf_b4", ADDR, [("PVF-A", 1), ("PVF-B", 1)]),
    "9720000000000000005": ("pvf_b5", ADDR, [("PVF-A", 1)]),
}
N = len(ORDERS)


def add_tests(s, tokens, binary, db, engine, case, expect, run_cli, err_code):
    boss, wh, ops = tokens["boss"], tokens["warehouse"], tokens["operations"]

    def req(method, path, body=None, token=boss):
        return s.req(method, path, body, token=token)

    ids = merge_cases.seed_store(req, tokens, binary, db, run_cli, STORE, "包裹验货测试店",
                                 ("PVF-A", "PVF-B", "PVF-C"), 30, "包裹验货", "2026-03-04 10:00:00", ORDERS)
    NO = {i: "972000000000000000%d" % i for i in range(1, N + 1)}
    O = {i: ids[NO[i]] for i in range(1, N + 1)}

    def order(i):
        code, js, _ = req("GET", "/api/v1/orders/%d" % O[i])
        expect(code == 200, "get %s" % code)
        return js["order"]

    def parcels(i):
        code, js, _ = req("GET", "/api/v1/orders/%d/parcels" % O[i])
        expect(code == 200, "parcels %s %s" % (code, js))
        return js["parcels"]

    def stages(i):
        return [p["stage"] for p in parcels(i)]

    def split(i, by_sku):
        lines = {it["sku_code"]: it["line_no"] for it in order(i)["items"]}
        body = {"parcels": [[{"line_no": lines[sku], "qty": q} for sku, q in p] for p in by_sku]}
        code, js, _ = req("POST", "/api/v1/orders/%d/split" % O[i], body)
        if code != 201:
            raise RuntimeError("split %d: %s %s" % (i, code, js))

    def pact(i, no, action, body=None, token=wh, want=200):
        code, js, _ = req("POST", "/api/v1/orders/%d/parcels/%d/%s" % (O[i], no, action), body, token=token)
        expect(code == want, "%d parcel %d %s: %s %s" % (i, no, action, code, js))
        return js

    def printed_and_picked(i, no):
        st, ctype, data, js = post_raw(s, "/api/v1/print/waybills",
                                       {"parcels": [{"order_id": O[i], "parcel_no": no}]}, wh)
        expect(st == 200 and ctype == "application/pdf", "print %d/%d: %s %s" % (i, no, st, js))
        pact(i, no, "pick")

    def scan(code, sid=None, token=wh):
        body = {"code": code}
        if sid:
            body["session"] = sid
        st, js, _ = req("POST", "/api/v1/verify/scan", body, token=token)
        return st, js

    def qty(sess):
        return {l["sku_code"]: (l["scanned"], l["expected"]) for l in sess["lines"]}

    split(1, [[("PVF-A", 1), ("PVF-B", 1)], [("PVF-B", 1), ("PVF-C", 1)]])
    split(2, [[("PVF-A", 1), ("PVF-C", 1)], [("PVF-A", 1)]])
    split(3, [[("PVF-A", 1)], [("PVF-B", 1)]])
    split(4, [[("PVF-A", 1)], [("PVF-B", 1)]])
    flow = {}

    @case("ORD-8/10 a parcel's code (ORDERNO-K) opens a session over that parcel's goods only, 包裹 1/2")
    def _():
        printed_and_picked(1, 1)
        st, js = scan(" %s-1\r\n" % NO[1])
        expect(st == 200 and js["ok"] is True and js["outcome"] == "opened", "%s %s" % (st, js))
        sess = js["session"]
        flow["s1"] = sess["id"]
        expect(sess["order_id"] == O[1] and sess["parcel_no"] == 1 and sess["parcel_count"] == 2
               and sess["parcel_stage"] == "picked", str(sess)[:300])
        # parcel 1 carries A x1 and B x1 of the order's A x1, B x2, C x1
        expect(qty(sess) == {"PVF-A": (0, 1), "PVF-B": (0, 1)} and sess["expected_qty"] == 2, str(sess["lines"]))
        expect("包裹 1/2" in js["message"] and NO[1] in js["message"] and "parcel 1/2" in js["message_en"],
               js["message"])
        expect(stages(1) == ["picked", "audited"], str(stages(1)))

    @case("ORD-8/10 a SKU of the order's other parcel is wrong goods for this parcel; one piece more than the parcel has is an over-scan")
    def _():
        sid = flow["s1"]
        st, js = scan("PVF-C", sid)
        expect(st == 200 and js["ok"] is False and js["outcome"] == "unknown" and js["session"]["blocked"] is True,
               "%s %s" % (st, str(js)[:300]))
        expect("错货" in js["message"] and "不在此包裹中" in js["message"] and "not in this parcel" in js["message_en"],
               js["message"])
        expect(stages(1)[0] == "picked", "still picked")
        pact(1, 1, "pack", {"weight_g": 300}, want=422)
        st, js, _ = req("POST", "/api/v1/verify/%d/removed" % sid, token=wh)
        expect(st == 200 and js["session"]["status"] == "open" and "包裹 1/2" in js["message"], "%s %s" % (st, js))
        st, js = scan("pvf-b", sid)
        expect(js["ok"] is True and js["outcome"] == "counted" and qty(js["session"])["PVF-B"] == (1, 1), str(js)[:300])
        # the order has two B, the parcel one
        st, js = scan("PVF-B", sid)
        expect(js["ok"] is False and js["outcome"] == "over" and "多扫了" in js["message"], str(js)[:300])
        st, js, _ = req("POST", "/api/v1/verify/%d/removed" % sid, token=wh)
        expect(st == 200, "removed %s" % st)

    @case("ORD-8/10 the completing scan verifies only that parcel; the order follows its slowest parcel; the parcel packs")
    def _():
        sid = flow["s1"]
        st, js = scan("PVF-A", sid)
        expect(st == 200 and js["ok"] and js["outcome"] == "completed" and js["complete"], str(js)[:300])
        expect("验货完成" in js["message"] and "包裹" in js["message"] and "parcel" in js["message_en"], js["message"])
        expect(js["session"]["parcel_stage"] == "verified", js["session"]["parcel_stage"])
        expect(stages(1) == ["verified", "audited"], str(stages(1)))
        o = order(1)
        expect(o["stage"] == "audited", "the order is at its slowest parcel: %s" % o["stage"])
        ev = [e for e in o["timeline"] if e["action"] == "parcel_verify"]
        expect(len(ev) == 1 and ev[0]["user"] == "warehouse" and ev[0]["detail"].startswith("包裹 1/2")
               and ev[0]["to_stage"] == "verified", str(ev))
        expect(not [e for e in o["timeline"] if e["action"] == "verify"], "no order-level verify yet")
        st, js, _ = req("GET", "/api/v1/verify/%d" % sid, token=boss)
        expect(st == 200 and js["session"]["status"] == "complete" and js["session"]["parcel_no"] == 1, str(js)[:300])
        st, js = scan("PVF-A", sid)
        expect(js["ok"] is False and js["outcome"] == "refused_closed" and "此包裹已验货完成" in js["message"], str(js)[:200])
        pact(1, 1, "pack", {"weight_g": 420})
        expect(stages(1) == ["packed", "audited"], str(stages(1)))

    @case("ORD-8/10 a split order's own number opens nothing (asks for the parcel's code); an unpicked parcel 422; no parcel K 404")
    def _():
        st, js = scan(NO[1])
        expect(st == 422 and js["error"]["field"] == "code" and "已拆成 2 个包裹" in js["error"]["message"]
               and NO[1] + "-1" in js["error"]["message"], "%s %s" % (st, js))
        st, js = scan(NO[1] + "-2")
        expect(st == 422 and "包裹 2/2" in js["error"]["message"] and "已审核" in js["error"]["message"], "%s %s" % (st, js))
        st, js = scan(NO[1] + "-1")
        expect(st == 422 and "已打包" in js["error"]["message"], "a packed parcel: %s %s" % (st, js))
        for bad in (NO[1] + "-9", NO[1] + "-0", NO[1] + "-01", "-1"):
            st, js = scan(bad)
            expect(st == 404 and js["error"]["field"] == "code", "%s -> %s %s" % (bad, st, js))

    @case("ORD-8/10 the second parcel: its own goods; when every parcel is packed the order is packed")
    def _():
        printed_and_picked(1, 2)
        expect(order(1)["stage"] == "picked", order(1)["stage"])
        st, js = scan(NO[1] + "-2")
        sid = js["session"]["id"]
        expect(st == 200 and sid != flow["s1"] and js["session"]["parcel_no"] == 2, str(js)[:300])
        expect(qty(js["session"]) == {"PVF-B": (0, 1), "PVF-C": (0, 1)}, str(js["session"]["lines"]))
        st, js = scan("PVF-A", sid)   # parcel 1's goods
        expect(js["ok"] is False and js["outcome"] == "unknown", str(js)[:200])
        st, js, _ = req("POST", "/api/v1/verify/%d/reset" % sid, token=wh)
        expect(st == 200 and js["session"]["scanned_qty"] == 0, str(js)[:200])
        for c in ("PVF-C", "PVF-B"):
            st, js = scan(c, sid)
            expect(js["ok"], str(js)[:200])
        expect(js["outcome"] == "completed" and stages(1) == ["packed", "verified"], str(stages(1)))
        o = order(1)
        expect(o["stage"] == "verified" and o["timeline"][-1]["action"] == "verify", str(o["timeline"][-1]))
        pact(1, 2, "pack", {"weight_g": 380})
        expect(order(1)["stage"] == "packed", order(1)["stage"])

    @case("ORD-8/10 scanning another parcel's code switches sessions; coming back resumes the first")
    def _():
        printed_and_picked(2, 1)
        printed_and_picked(2, 2)
        st, js = scan(NO[2] + "-1")
        s1 = js["session"]["id"]
        expect(qty(js["session"]) == {"PVF-A": (0, 1), "PVF-C": (0, 1)}, str(js["session"]["lines"]))
        st, js = scan("PVF-A", s1)
        expect(js["ok"] and js["outcome"] == "counted", str(js)[:200])
        st, js = scan(NO[2] + "-2", s1)
        s2 = js["session"]["id"]
        expect(st == 200 and js["outcome"] == "opened" and s2 != s1 and js["session"]["parcel_no"] == 2, str(js)[:300])
        st, js = scan("PVF-A", s2)
        expect(js["outcome"] == "completed" and stages(2) == ["picked", "verified"], str(stages(2)))
        st, js = scan(NO[2] + "-1", s2)
        expect(js["session"]["id"] == s1 and js["session"]["scanned_qty"] == 1, str(js)[:300])
        st, js = scan("PVF-C", s1)
        expect(js["outcome"] == "completed" and stages(2) == ["verified", "verified"], str(stages(2)))
        expect(order(2)["stage"] == "verified", order(2)["stage"])

    @case("ORD-8/10 another parcel moving keeps a parcel's session; its order held voids it (409), released it opens anew")
    def _():
        printed_and_picked(3, 1)
        printed_and_picked(3, 2)
        st, js = scan(NO[3] + "-1")
        sid = js["session"]["id"]
        pact(3, 2, "verify", token=boss)   # the boss's override on the other parcel: the order's version moves
        st, js = scan("PVF-A", sid)
        expect(st == 200 and js["outcome"] == "completed" and stages(3) == ["verified", "verified"], "%s %s" % (st, str(js)[:300]))
        expect(order(3)["stage"] == "verified", order(3)["stage"])
        # hold an order while its parcel's session is open
        printed_and_picked(4, 1)
        st, js = scan(NO[4] + "-1")
        sid = js["session"]["id"]
        code, js, _ = req("POST", "/api/v1/orders/%d/hold" % O[4], {"reason": "等买家确认"})
        expect(code == 200, "hold %s %s" % (code, js))
        st, js = scan("PVF-A", sid)
        expect(st == 409 and js["error"]["field"] == "session" and "包裹 1" in js["error"]["message"]
               and "重新扫描" in js["error"]["message"], "%s %s" % (st, js))
        st, js, _ = req("GET", "/api/v1/verify/%d" % sid, token=wh)
        expect(js["session"]["status"] == "void", js["session"]["status"])
        st, js = scan(NO[4] + "-1")
        expect(st == 422 and "挂起" in js["error"]["message"] and "包裹不能验货" in js["error"]["message"],
               "held: %s %s" % (st, js))
        code, js, _ = req("POST", "/api/v1/orders/%d/release" % O[4], {})
        expect(code == 200, "release %s %s" % (code, js))
        st, js = scan(NO[4] + "-1")
        expect(st == 200 and js["session"]["id"] != sid and js["session"]["scanned_qty"] == 0, "%s %s" % (st, str(js)[:200]))
        flow["s4"] = js["session"]["id"]

    @case("ORD-8/10 a parcel's own tracking number opens its session; X-5: another store's user gets 404")
    def _():
        # a tracking number the parcel got before packing (an e-waybill assigned outside dianpu)
        sql_run(db, ["UPDATE order_parcels SET tracking_no = 'YTPVF0000041' WHERE order_id = %d AND parcel_no = 1" % O[4]])
        st, js = scan("ytpvf0000041")
        expect(st == 200 and js["session"]["id"] == flow["s4"] and js["session"]["parcel_no"] == 1, "%s %s" % (st, str(js)[:300]))
        code, js, _ = req("POST", "/api/v1/users", {"username": "wh.pvf2", "password": "wh-pvf2-pass", "role": "warehouse",
                                                    "stores": ["qinghe"]})
        expect(code == 201, "%s %s" % (code, js))
        other = s.login("wh.pvf2", "wh-pvf2-pass")
        for c in (NO[4] + "-1", "YTPVF0000041"):
            st, js = scan(c, token=other)
            expect(st == 404 and js["error"]["field"] == "code", "%s -> %s %s" % (c, st, js))
        st, js = scan("PVF-A", flow["s4"])
        expect(js["outcome"] == "completed" and stages(4)[0] == "verified", str(js)[:200])

    @case("ORD-8 an order that is not split still verifies as a whole (no parcel in its session)")
    def _():
        st, _, _, js = post_raw(s, "/api/v1/print/waybills", {"ids": [O[5]]}, wh)
        expect(st == 200, "print %s %s" % (st, js))
        code, js, _ = req("POST", "/api/v1/orders/%d/pick" % O[5], {}, token=wh)
        expect(code == 200, "pick %s" % code)
        st, js = scan(NO[5])
        sess = js["session"]
        expect(st == 200 and sess["parcel_no"] is None and sess["parcel_count"] is None and "包裹" not in js["message"],
               str(js)[:300])
        st, js = scan("PVF-A", sess["id"])
        expect(js["outcome"] == "completed" and "与订单一致" in js["message"] and order(5)["stage"] == "verified", str(js)[:200])

    # ------------------------------------------------------------ ORD-9 tracking import, by parcel

    def upload(text, token=wh):
        body, ctype = multipart({"store": STORE}, {"file": ("tracking.csv", text.encode("utf-8"))})
        return s.req("POST", "/api/v1/shipping/tracking", token=token, raw=body, headers={"Content-Type": ctype})

    def stock(sku):
        """(on_hand, reserved) over all warehouses."""
        code, js, _ = req("GET", "/api/v1/stock?" + urllib.parse.urlencode({"sku": sku}))
        expect(code == 200, "stock %s %s" % (code, js))
        return (sum(r["on_hand"] for r in js["items"]), sum(r["reserved"] for r in js["items"]))

    def parcel(i, no):
        return parcels(i)[no - 1]

    @case("ORD-9/10 tracking import: ORDERNO-K ships that parcel only (its goods leave stock); per-row errors for unknown parcels, unpacked parcels, a split order's own number, a number on another parcel")
    def _():
        expect(stages(1) == ["packed", "packed"] and stages(4) == ["verified", "audited"], "%s %s" % (stages(1), stages(4)))
        a0, b0, c0 = stock("PVF-A"), stock("PVF-B"), stock("PVF-C")
        text = ("订单编号,物流公司,物流单号\r\n"
                "%s-1,圆通,YTPV00000011\r\n"             # 2 shipped: parcel 1 of order 1
                "%s-2,中通,ytpv00000011\r\n"             # 3 the number is on parcel 1 of the same order
                "%s-9,圆通,YTPV00000019\r\n"             # 4 no parcel 9
                "%s-2,圆通,YTPV00000042\r\n"             # 5 parcel 2 of order 4 is not packed
                "%s,圆通,YTPV00000020\r\n"               # 6 a split order's own number
                "%s-1,圆通,YTPV00000051\r\n"             # 7 order 5 is not split
                "9729999999999999999-1,圆通,YTPV00000099\r\n"   # 8 no such order
                "%s-1,圆通速递,YTPV00000011\r\n"         # 9 parcel 1 again with its number: unchanged
                ) % (NO[1], NO[1], NO[1], NO[4], NO[2], NO[5], NO[1])
        code, js, _ = upload(text)
        expect(code == 200, "%s %s" % (code, js))
        expect((js["rows"], js["shipped"], js["unchanged"], js["rejected"]) == (8, 1, 1, 6), str(js)[:600])
        lines = {e["line"]: e for e in js["errors"]}
        expect(sorted(lines) == [3, 4, 5, 6, 7, 8], "lines %s" % sorted(lines))
        expect(lines[3]["column"] == "物流单号" and NO[1] + " 包裹 1" in lines[3]["reason"], str(lines[3]))
        expect(lines[4]["column"] == "订单编号" and "没有包裹 9" in lines[4]["reason"], str(lines[4]))
        expect(lines[5]["column"] == "订单编号" and "包裹 2/2" in lines[5]["reason"] and "已审核" in lines[5]["reason"], str(lines[5]))
        expect(lines[6]["column"] == "订单编号" and "已拆成 2 个包裹" in lines[6]["reason"] and NO[2] + "-1" in lines[6]["reason"],
               str(lines[6]))
        expect(lines[7]["column"] == "订单编号" and "没有拆单" in lines[7]["reason"], str(lines[7]))
        expect(lines[8]["column"] == "订单编号" and "没有订单" in lines[8]["reason"], str(lines[8]))
        p1, p2 = parcels(1)
        expect(p1["stage"] == "shipped" and p1["tracking_no"] == "YTPV00000011" and p1["courier"] == "圆通速递", str(p1))
        expect(p2["stage"] == "packed" and p2["tracking_no"] == "", str(p2))
        o = order(1)
        expect(o["stage"] == "packed" and o["tracking_no"] == "", "the order waits for parcel 2: %s %s" % (o["stage"], o["tracking_no"]))
        ev = [e for e in o["timeline"] if e["action"] == "parcel_ship"]
        expect(len(ev) == 1 and ev[0]["user"] == "warehouse" and "YTPV00000011" in ev[0]["detail"], str(ev))
        # parcel 1 carried A x1 and B x1: exactly those left the shelf
        expect(stock("PVF-A") == (a0[0] - 1, a0[1] - 1) and stock("PVF-B") == (b0[0] - 1, b0[1] - 1)
               and stock("PVF-C") == c0, "%s %s %s -> %s %s %s" % (a0, b0, c0, stock("PVF-A"), stock("PVF-B"), stock("PVF-C")))
        expect(stages(2) == ["verified", "verified"] and stages(4)[1] == "audited", "nothing else moved")

    @case("ORD-9/10 tracking import: the last parcel ships the order (first parcel's number on the order; in the bulk-ship export)")
    def _():
        code, js, _ = upload("订单编号,物流公司,物流单号\r\n%s-2,中通,ZTPV00000012\r\n" % NO[1])
        expect(code == 200 and (js["shipped"], js["rejected"]) == (1, 0), "%s %s" % (code, js))
        expect(stages(1) == ["shipped", "shipped"] and parcel(1, 2)["tracking_no"] == "ZTPV00000012", str(parcels(1)))
        o = order(1)
        expect(o["stage"] == "shipped" and o["tracking_no"] == "YTPV00000011" and o["timeline"][-1]["action"] == "ship",
               "%s %s %s" % (o["stage"], o["tracking_no"], o["timeline"][-1]))
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
        conn.request("GET", "/api/v1/shipping/export?store=" + STORE, headers={"Authorization": "Bearer " + wh})
        r = conn.getresponse()
        rows = r.read().decode("utf-8-sig").split("\r\n")[1:-1]
        conn.close()
        expect(r.status == 200 and rows == ["%s,圆通速递,YTPV00000011" % NO[1]], "export %s %s" % (r.status, rows))
        # the order's own row now reads as unchanged; a parcel row too
        code, js, _ = upload("订单编号,物流公司,物流单号\r\n%s,圆通,YTPV00000011\r\n%s-2,中通,ZTPV00000012\r\n"
                             "%s-2,中通,ZTPV00000099\r\n" % (NO[1], NO[1], NO[1]))
        expect(code == 200 and (js["shipped"], js["unchanged"], js["rejected"]) == (0, 2, 1), "%s %s" % (code, js))
        expect("已发货" in js["errors"][0]["reason"] and "ZTPV00000012" in js["errors"][0]["reason"], str(js["errors"]))

    @case("ORD-9/10 CLI tracking import ships a parcel as the system (no user id on its rows); a held order's parcel and another buyer's number refused")
    def _():
        pact(2, 1, "pack", {"weight_g": 500})
        pact(2, 2, "pack", {"weight_g": 250})
        pact(3, 1, "pack", {"weight_g": 200})
        code, js, _ = req("POST", "/api/v1/orders/%d/hold" % O[3], {"reason": "买家要改地址"})
        expect(code == 200, "hold %s %s" % (code, js))
        path = os.path.join(tempfile.mkdtemp(prefix="dianpu-pvfy."), "tracking.csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write("订单编号,物流公司,物流单号\r\n"
                    "%s-1,韵达,YDPV00000021\r\n"          # 2 shipped
                    "%s-2,韵达,YTPV00000011\r\n"          # 3 order 1's parcel 1 has it (another buyer)
                    "%s-1,韵达,YDPV00000031\r\n"          # 4 order 3 is held
                    % (NO[2], NO[2], NO[3]))
        rc, out, err = run_cli(binary, db, "ship", "import", "--store", STORE, path)
        expect(rc == 0, "rc %s %s" % (rc, err))
        r = json.loads(out)
        expect((r["rows"], r["shipped"], r["rejected"]) == (3, 1, 2), out[:500])
        lines = {e["line"]: e for e in r["errors"]}
        expect(lines[3]["column"] == "物流单号" and "已用于订单 " + NO[1] in lines[3]["reason"], str(lines[3]))
        expect("挂起" in lines[4]["reason"], str(lines[4]))
        expect(stages(2) == ["shipped", "packed"] and stages(3) == ["packed", "verified"], "%s %s" % (stages(2), stages(3)))
        ev = [e for e in order(2)["timeline"] if e["action"] == "parcel_ship"]
        expect(len(ev) == 1 and ev[0]["user"] == "system", str(ev))
        rows = sql_query(db, "SELECT COUNT(*), COUNT(user_id) FROM order_events WHERE order_id = %d"
                             " AND action = 'parcel_ship'" % O[2])
        expect(rows == [("1", "0")], "the system's timeline row has no user id: %s" % rows)
        rows = sql_query(db, "SELECT COUNT(*), COUNT(user_id) FROM stock_ledger WHERE ref_type = 'order'"
                             " AND ref_id = '%d' AND reason = 'ship'" % O[2])
        expect(rows[0][0] != "0" and rows[0][1] == "0", "the system's ledger rows have no user id: %s" % rows)
        code, js, _ = req("POST", "/api/v1/orders/%d/release" % O[3], {})
        expect(code == 200, "release %s %s" % (code, js))
