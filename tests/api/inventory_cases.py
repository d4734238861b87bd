"""Inventory API cases (INV-1 .. INV-6): roles, warehouses, SKUs with versions,
receipts and adjustments against the ledger (stock == SUM(ledger)), the oversell
guard under concurrency, stocktake variances and approval, combos on the delist
list, the platform CSV files, and the sell-through / slow-moving report on
orders imported for it. Used by run.py; runs on SQLite and PostgreSQL.

The demo may or may not have made a warehouse already, so every case names its
own warehouse ("invt") instead of relying on the default one.
"""
import datetime
import json
import os
import tempfile
import threading
import urllib.parse

WH = "invt"
INJECT = "x'); DROP TABLE skus;-- \" OR 1=1 /*"
READERS = {"boss", "operations", "cs_presale", "cs_aftersale", "cs_lead", "cs_mentor", "warehouse", "finance"}


def q(params):
    return urllib.parse.urlencode(params)


def add_tests(s, tokens, binary, db, engine, case, expect, run_cli, err_code):
    boss, wh, fin, ops = tokens["boss"], tokens["warehouse"], tokens["finance"], tokens["operations"]
    roles = list(tokens.keys())
    state = {}

    def req(method, path, body=None, token=boss, **kw):
        return s.req(method, path, body, token=token, **kw)

    def stock(sku):
        st, js, _ = req("GET", "/api/v1/stock?" + q({"sku": sku, "warehouse": WH}))
        expect(st == 200 and js["total"] == 1, "stock %s: %s %s" % (sku, st, js))
        return js["items"][0]

    def ledger_sum(sku):
        st, js, _ = req("GET", "/api/v1/stock/ledger?" + q({"sku": sku, "warehouse": WH, "page_size": 500}))
        expect(st == 200, "ledger %s %s" % (st, js))
        rows = js["items"]
        expect(js["total"] == len(rows), "all rows on one page")
        by_rows = sum(r["on_hand_delta"] for r in rows), sum(r["reserved_delta"] for r in rows)
        expect(by_rows == (js["sum"]["on_hand"], js["sum"]["reserved"]), "sum %s vs rows %s" % (js["sum"], by_rows))
        return js["sum"]["on_hand"], js["sum"]["reserved"], rows

    def ledger_equals_stock(*skus):
        for sku in skus:
            on_hand, reserved, _ = ledger_sum(sku)
            row = stock(sku)
            expect((row["on_hand"], row["reserved"]) == (on_hand, reserved),
                   "%s: stock %s/%s, ledger %s/%s" % (sku, row["on_hand"], row["reserved"], on_hand, reserved))
        st, js, _ = req("GET", "/api/v1/stock/verify", token=fin)
        expect(st == 200 and js["ok"] is True and js["mismatches"] == 0 and js["checked"] > 0, str(js)[:300])

    def new_sku(code, title="测试商品", **extra):
        body = {"code": code, "title": title}
        body.update(extra)
        st, js, _ = req("POST", "/api/v1/skus", body, token=ops)
        expect(st == 201, "create %s: %s %s" % (code, st, js))
        return js["sku"]

    def receive(sku, qty, token=wh):
        st, js, _ = req("POST", "/api/v1/stock/receive", {"sku": sku, "warehouse": WH, "qty": qty, "reason": "到货"}, token=token)
        expect(st == 200, "receive %s: %s %s" % (sku, st, js))
        return js["stock"]

    def adjust(sku, qty, reason="盘亏", token=wh):
        return req("POST", "/api/v1/stock/adjust", {"sku": sku, "warehouse": WH, "qty": qty, "reason": reason}, token=token)

    # ------------------------------------------------------------ warehouses

    @case("inventory: warehouse create 201, duplicate 409, bad code 422; locations with pick order")
    def _():
        st, js, _ = req("POST", "/api/v1/warehouses", {"code": WH, "name": "测试仓"}, token=wh)
        expect(st == 201 and js["warehouse"]["code"] == WH and js["warehouse"]["name"] == "测试仓", "%s %s" % (st, js))
        st, js, _ = req("POST", "/api/v1/warehouses", {"code": WH, "name": "again"}, token=wh)
        expect(st == 409 and js["error"]["field"] == "code", "dup %s %s" % (st, js))
        for bad in ("", "a b", "仓库", "x" * 40, INJECT):
            st, js, _ = req("POST", "/api/v1/warehouses", {"code": bad, "name": "n"}, token=wh)
            expect(st == 422 and js["error"]["field"] == "code", "%r -> %s %s" % (bad, st, js))
        for code, pick in (("B-01", 20), ("A-01", 10), ("C-01", 30)):
            st, js, _ = req("POST", "/api/v1/warehouses/%s/locations" % WH, {"code": code, "pick_order": pick}, token=wh)
            expect(st == 201, "%s %s %s" % (code, st, js))
        st, js, _ = req("POST", "/api/v1/warehouses/%s/locations" % WH, {"code": "A-01"}, token=wh)
        expect(st == 409, "dup location %s" % st)
        st, js, _ = req("POST", "/api/v1/warehouses/nowhere/locations", {"code": "A-01"}, token=wh)
        expect(st == 404, "unknown warehouse %s" % st)
        st, js, _ = req("GET", "/api/v1/warehouses/" + WH, token=tokens["cs_presale"])
        expect(st == 200 and [l["code"] for l in js["warehouse"]["locations"]] == ["A-01", "B-01", "C-01"], str(js))
        st, js, _ = req("GET", "/api/v1/warehouses", token=ops)
        expect(st == 200 and WH in [w["code"] for w in js["items"]] and sum(w["is_default"] for w in js["items"]) == 1, str(js))

    # ------------------------------------------------------------ SKUs

    @case("inventory: SKU create, read, patch with version, stale 409, duplicate 409, bad code 422")
    def _():
        sku = new_sku("INV-A1", "青禾 测试卫衣", attrs="颜色分类:黑色;尺码:M", price_fen=12800, product_code="INV-A")
        expect(sku["version"] == 1 and sku["price_fen"] == 12800 and sku["is_combo"] is False, str(sku))
        expect(all(x["on_hand"] == 0 and x["available"] == 0 for x in sku["stock"]), str(sku["stock"]))
        st, js, _ = req("POST", "/api/v1/skus", {"code": "INV-A1", "title": "dup"}, token=ops)
        expect(st == 409 and js["error"]["field"] == "code", "dup %s %s" % (st, js))
        for bad in ("", "A B", "A/B", "-A", "null", INJECT, "x" * 65):
            st, js, _ = req("POST", "/api/v1/skus", {"code": bad, "title": "t"}, token=ops)
            expect(st == 422 and js["error"]["field"] == "code", "%r -> %s %s" % (bad, st, js))
        st, js, _ = req("POST", "/api/v1/skus", {"code": "INV-T0"}, token=ops)
        expect(st == 422 and js["error"]["field"] == "title", "%s %s" % (st, js))
        st, js, _ = req("POST", "/api/v1/skus", {"code": "INV-T0", "title": "t", "price_fen": -1}, token=ops)
        expect(st == 422 and js["error"]["field"] == "price_fen", "%s %s" % (st, js))
        st, js, _ = req("PATCH", "/api/v1/skus/INV-A1", {"version": 1, "title": "青禾 测试卫衣(新)", "price_fen": 9900}, token=ops)
        expect(st == 200 and js["sku"]["version"] == 2 and js["sku"]["price_fen"] == 9900 and js["sku"]["attrs"] == "颜色分类:黑色;尺码:M", str(js))
        st, js, _ = req("PATCH", "/api/v1/skus/INV-A1", {"version": 1, "title": "stale"}, token=ops)
        expect(st == 409 and js["error"]["field"] == "version", "stale %s %s" % (st, js))
        st, js, _ = req("PATCH", "/api/v1/skus/INV-A1", {"title": "no version"}, token=ops)
        expect(st == 422 and js["error"]["field"] == "version", "%s %s" % (st, js))
        st, js, _ = req("GET", "/api/v1/skus/INV-A1", token=tokens["cs_aftersale"])
        expect(st == 200 and js["sku"]["title"] == "青禾 测试卫衣(新)" and js["sku"]["version"] == 2, str(js))
        st, js, _ = req("GET", "/api/v1/skus/NO-SUCH", token=ops)
        expect(st == 404, "missing %s" % st)
        st, js, _ = req("GET", "/api/v1/audit?entity=sku&entity_id=INV-A1", token=boss)
        expect(st == 200 and [i["action"] for i in js["items"]][:2] == ["update", "create"], str(js)[:300])
        expect(js["items"][0]["before"]["price_fen"] == 12800 and js["items"][0]["after"]["price_fen"] == 9900, "audit before/after")

    @case("inventory: SKU list pages and searches; injection text stored verbatim and harmless")
    def _():
        new_sku("INV-A2", INJECT)
        st, js, _ = req("GET", "/api/v1/skus/INV-A2")
        expect(js["sku"]["title"] == INJECT, "verbatim")
        st, js, _ = req("GET", "/api/v1/skus?" + q({"q": "inv-a", "page_size": 1}), token=ops)
        expect(st == 200 and js["total"] >= 2 and len(js["items"]) == 1, str(js)[:200])
        st, js, _ = req("GET", "/api/v1/skus?" + q({"q": "' OR 1=1 --"}), token=ops)
        expect(st == 200 and js["total"] == 0, "injection query %s" % js)
        st, js, _ = req("GET", "/api/v1/skus?" + q({"q": "%"}), token=ops)
        expect(st == 200 and js["total"] == 0, "a literal %% matches nothing: %s" % js["total"])
        st, js, _ = req("GET", "/api/v1/skus?page_size=0", token=ops)
        expect(st == 400 and js["error"]["field"] == "page_size", str(js))
        st, js, _ = req("GET", "/api/v1/skus/" + urllib.parse.quote("x' OR '1'='1"), token=ops)
        expect(st == 404, "path injection %s" % st)

    # ------------------------------------------------------------ roles

    @case("inventory: every endpoint checks the role (403 for the others, distributor none)")
    def _():
        new_sku("INV-R1", "角色测试")
        receive("INV-R1", 1)
        st, js, _ = req("POST", "/api/v1/stocktakes", {"warehouse": WH}, token=wh)
        expect(st == 201, "sheet for the role matrix: %s %s" % (st, js))
        sid = js["stocktake"]["id"]
        state["role_sheet"] = sid
        matrix = [
            ("GET", "/api/v1/skus", READERS), ("POST", "/api/v1/skus", {"boss", "operations", "warehouse"}),
            ("PATCH", "/api/v1/skus/INV-A1", {"boss", "operations", "warehouse"}),
            ("PUT", "/api/v1/skus/INV-A1/parts", {"boss", "operations", "warehouse"}),
            ("PUT", "/api/v1/skus/INV-A1/locations", {"boss", "warehouse"}),
            ("GET", "/api/v1/stock", READERS), ("GET", "/api/v1/stock/ledger", READERS),
            ("POST", "/api/v1/stock/receive", {"boss", "warehouse"}), ("POST", "/api/v1/stock/adjust", {"boss", "warehouse"}),
            ("POST", "/api/v1/stock/return", {"boss", "warehouse"}),
            ("GET", "/api/v1/stock/verify", {"boss", "warehouse", "finance"}),
            ("GET", "/api/v1/stock/out-of-stock", READERS), ("GET", "/api/v1/stock/delist", READERS),
            ("GET", "/api/v1/stock/export", READERS), ("GET", "/api/v1/stock/restocked", READERS),
            ("POST", "/api/v1/warehouses", {"boss", "warehouse"}), ("GET", "/api/v1/warehouses", READERS),
            ("POST", "/api/v1/warehouses/%s/locations" % WH, {"boss", "warehouse"}),
            ("GET", "/api/v1/stocktakes", READERS), ("POST", "/api/v1/stocktakes", {"boss", "warehouse", "finance"}),
            ("PUT", "/api/v1/stocktakes/%d/counts" % sid, {"boss", "warehouse", "finance"}),
            ("POST", "/api/v1/stocktakes/%d/approve" % sid, {"boss", "finance"}),
            ("GET", "/api/v1/reports/sell-through", READERS),
            ("GET", "/api/v1/products", READERS), ("POST", "/api/v1/products", {"boss", "operations", "warehouse"}),
        ]
        for method, path, allowed in matrix:
            for role in roles:
                # an empty JSON array: past the role check it is refused as input, never applied
                st, js, _ = s.req(method, path, token=tokens[role], raw=b"[]" if method != "GET" else None)
                if role in allowed:
                    expect(st not in (401, 403), "%s %s as %s: %s %s" % (method, path, role, st, js))
                else:
                    expect(st == 403 and err_code(js) == "forbidden", "%s %s as %s: %s" % (method, path, role, st))
        for path in ("/api/v1/stock", "/api/v1/skus", "/api/v1/stocktakes"):
            st, js, _ = s.req("GET", path)
            expect(st == 401, "anonymous %s %s" % (path, st))
        st, js, _ = req("POST", "/api/v1/stocktakes/%d/cancel" % sid, token=wh)
        expect(st == 200 and js["stocktake"]["status"] == "cancelled", "%s %s" % (st, js))

    # ------------------------------------------------------------ stock and the ledger

    @case("inventory: receive -> stock; adjust never below zero; stock == SUM(ledger) with who/why")
    def _():
        r = receive("INV-A1", 10)
        expect(r["on_hand"] == 10 and r["available"] == 10 and r["reserved"] == 0, str(r))
        receive("INV-A1", 5, token=boss)
        st, js, _ = adjust("INV-A1", -3, "破损报废")
        expect(st == 200 and js["stock"]["on_hand"] == 12, "%s %s" % (st, js))
        st, js, _ = adjust("INV-A1", -13)
        expect(st == 422 and js["error"]["field"] == "qty" and "INV-A1" in js["error"]["message"], "oversell: %s %s" % (st, js))
        expect(stock("INV-A1")["on_hand"] == 12, "refused adjustment changed nothing")
        st, js, _ = adjust("INV-A1", -12)
        expect(st == 200 and js["stock"]["available"] == 0, "to exactly zero: %s %s" % (st, js))
        receive("INV-A1", 20)
        st, js, _ = req("POST", "/api/v1/stock/adjust", {"sku": "INV-A1", "warehouse": WH, "qty": -1}, token=wh)
        expect(st == 422 and js["error"]["field"] == "reason", "reason required: %s %s" % (st, js))
        for body, field in (({"sku": "INV-A1", "warehouse": WH, "qty": 0}, "qty"),
                            ({"sku": "INV-A1", "warehouse": WH, "qty": "5"}, "qty"),
                            ({"sku": "INV-A1", "warehouse": WH, "qty": 10 ** 7}, "qty"),
                            ({"warehouse": WH, "qty": 1}, "sku")):
            st, js, _ = req("POST", "/api/v1/stock/receive", body, token=wh)
            expect(st == 422 and js["error"]["field"] == field, "%s -> %s %s" % (body, st, js))
        st, js, _ = req("POST", "/api/v1/stock/receive", {"sku": "NOPE-9", "warehouse": WH, "qty": 1}, token=wh)
        expect(st == 404 and js["error"]["field"] == "sku", "%s %s" % (st, js))
        st, js, _ = req("POST", "/api/v1/stock/receive", {"sku": "INV-A1", "warehouse": "nowhere", "qty": 1}, token=wh)
        expect(st == 404 and js["error"]["field"] == "warehouse", "%s %s" % (st, js))
        on_hand, reserved, rows = ledger_sum("INV-A1")
        expect(on_hand == 20 and reserved == 0, "ledger %s" % on_hand)
        reasons = [r["reason"] for r in rows]
        expect(reasons == ["receive", "adjust", "adjust", "receive", "receive"], str(reasons))
        expect(rows[1]["user"] == "warehouse" and rows[2]["note"] == "破损报废" and rows[3]["user"] == "boss", str(rows[:4]))
        ledger_equals_stock("INV-A1")
        st, js, _ = req("GET", "/api/v1/audit?entity=stock&entity_id=INV-A1@" + WH, token=boss)
        expect(st == 200 and len(js["items"]) == 5, "one audit row per movement: %s" % len(js.get("items", [])))

    @case("inventory: 12 concurrent adjustments of -1 on 5 available: exactly 5 pass, never below zero")
    def _():
        new_sku("INV-RACE")
        receive("INV-RACE", 5)
        results = []

        def worker():
            st, _, _ = adjust("INV-RACE", -1, "并发")
            results.append(st)
        ts = [threading.Thread(target=worker) for _ in range(12)]
        [t.start() for t in ts]
        [t.join() for t in ts]
        expect(results.count(200) == 5 and results.count(422) == 7, str(sorted(results)))
        expect(stock("INV-RACE")["on_hand"] == 0, "ends at zero")
        ledger_equals_stock("INV-RACE")

    @case("inventory: stock list pages, filters available_le=0 and shows the shelf")
    def _():
        st, js, _ = req("PUT", "/api/v1/skus/INV-A1/locations", {"warehouse": WH, "locations": ["B-01", "A-01"]}, token=wh)
        expect(st == 200 and [l["location"] for l in js["sku"]["locations"] if l["warehouse"] == WH] == ["A-01", "B-01"], str(js)[:300])
        st, js, _ = req("PUT", "/api/v1/skus/INV-A1/locations", {"warehouse": WH, "locations": ["Z-99"]}, token=wh)
        expect(st == 422 and js["error"]["field"] == "locations", "%s %s" % (st, js))
        row = stock("INV-A1")
        expect(row["location"] == "A-01" and row["available"] == 20, str(row))
        st, js, _ = req("GET", "/api/v1/stock?" + q({"warehouse": WH, "available_le": 0, "page_size": 500}), token=ops)
        codes = [i["sku"] for i in js["items"]]
        expect(st == 200 and "INV-RACE" in codes and "INV-A1" not in codes and all(i["available"] <= 0 for i in js["items"]), str(codes))
        st, js, _ = req("GET", "/api/v1/stock?available_le=abc", token=ops)
        expect(st == 400 and js["error"]["field"] == "available_le", str(js))

    # ------------------------------------------------------------ stocktake

    @case("inventory: stocktake sheet with expected qty, counts, variances, approval, double approval 409")
    def _():
        new_sku("INV-B1")
        receive("INV-B1", 8)
        req("PUT", "/api/v1/skus/INV-B1/locations", {"warehouse": WH, "locations": ["A-01"]}, token=wh)
        st, js, _ = req("POST", "/api/v1/stocktakes", {"warehouse": WH, "locations": ["A-01"], "note": "十一月盘点"}, token=wh)
        expect(st == 201 and js["stocktake"]["status"] == "open", "%s %s" % (st, js))
        sheet = js["stocktake"]
        lines = {l["sku"]: l for l in sheet["lines"]}
        expect(set(lines) == {"INV-A1", "INV-B1"}, "shelf A-01 only: %s" % list(lines))
        expect(lines["INV-A1"]["expected"] == 20 and lines["INV-B1"]["expected"] == 8 and lines["INV-B1"]["counted"] is None, str(lines))
        sid = sheet["id"]
        st, js, _ = req("PUT", "/api/v1/stocktakes/%d/counts" % sid, [{"sku": "INV-A1", "counted": 17}], token=wh)
        expect(st == 200 and js["stocktake"]["summary"]["uncounted"] == 1, "%s %s" % (st, js))
        st, js, _ = req("POST", "/api/v1/stocktakes/%d/approve" % sid, token=fin)
        expect(st == 422 and js["error"]["field"] == "counts", "uncounted: %s %s" % (st, js))
        st, js, _ = req("POST", "/api/v1/stocktakes/%d/approve" % sid, token=wh)
        expect(st == 403, "warehouse may not approve: %s" % st)
        # a SKU found on the shelf but not on the sheet is added; the object form works too
        st, js, _ = req("PUT", "/api/v1/stocktakes/%d/counts" % sid,
                        {"counts": [{"sku": "INV-B1", "counted": 9}, {"sku": "INV-RACE", "counted": 2}]}, token=fin)
        expect(st == 200, "%s %s" % (st, js))
        lines = {l["sku"]: l for l in js["stocktake"]["lines"]}
        expect(lines["INV-A1"]["variance"] == -3 and lines["INV-B1"]["variance"] == 1 and lines["INV-RACE"]["variance"] == 2, str(lines))
        summ = js["stocktake"]["summary"]
        expect(summ["over_qty"] == 3 and summ["short_qty"] == 3 and summ["net"] == 0 and summ["uncounted"] == 0, str(summ))
        for body, code in (([{"sku": "INV-A1", "counted": -1}], 422), ([{"sku": "NOPE-9", "counted": 1}], 422),
                           ([{"sku": "INV-A1"}], 422), ([], 422), ({"counts": "x"}, 422)):
            st, js, _ = req("PUT", "/api/v1/stocktakes/%d/counts" % sid, body, token=wh)
            expect(st == code, "%s -> %s %s" % (body, st, js))
        st, js, _ = req("PUT", "/api/v1/stocktakes/%d/counts" % sid, token=wh, raw=b"{")
        expect(st == 400, "malformed %s" % st)
        st, js, _ = req("POST", "/api/v1/stocktakes/%d/approve" % sid, token=fin)
        expect(st == 200 and js["stocktake"]["status"] == "approved" and js["stocktake"]["approved_by"] == "finance", "%s %s" % (st, js))
        st, js, _ = req("POST", "/api/v1/stocktakes/%d/approve" % sid, token=boss)
        expect(st == 409 and js["error"]["field"] == "status", "second approval: %s %s" % (st, js))
        st, js, _ = req("PUT", "/api/v1/stocktakes/%d/counts" % sid, [{"sku": "INV-A1", "counted": 1}], token=wh)
        expect(st == 409, "counts after approval: %s" % st)
        expect(stock("INV-A1")["on_hand"] == 17 and stock("INV-B1")["on_hand"] == 9 and stock("INV-RACE")["on_hand"] == 2, "adjusted")
        _, _, rows = ledger_sum("INV-A1")
        expect(rows[0]["reason"] == "stocktake" and rows[0]["ref_type"] == "stocktake" and rows[0]["ref_id"] == str(sid)
               and rows[0]["on_hand_delta"] == -3 and rows[0]["user"] == "finance", str(rows[0]))
        ledger_equals_stock("INV-A1", "INV-B1", "INV-RACE")
        st, js, _ = req("GET", "/api/v1/stocktakes?status=approved", token=ops)
        expect(st == 200 and sid in [x["id"] for x in js["items"]], str(js)[:200])
        st, js, _ = req("GET", "/api/v1/stocktakes/999999", token=ops)
        expect(st == 404, "missing sheet %s" % st)
        st, js, _ = req("POST", "/api/v1/stocktakes/%d/approve" % state["role_sheet"], token=boss)
        expect(st == 409, "cancelled sheet cannot be approved: %s" % st)
        st, js, _ = req("POST", "/api/v1/stocktakes", {"warehouse": WH, "locations": ["C-01"]}, token=wh)
        expect(st == 422, "empty shelf: %s %s" % (st, js))

    # ------------------------------------------------------------ combos, out of stock, delist

    @case("inventory: combo SKU (INV-6): parts, sets available, delisted when a part runs out")
    def _():
        new_sku("INV-P1", "配件一")
        new_sku("INV-P2", "配件二")
        receive("INV-P1", 5)
        receive("INV-P2", 1)
        k = new_sku("INV-K1", "=HYPERLINK(\"http://x\"),套装")
        st, js, _ = req("PUT", "/api/v1/skus/INV-K1/parts", {"version": k["version"], "parts": [{"sku": "INV-P1", "qty": 1}, {"sku": "INV-P2", "qty": 2}]}, token=ops)
        expect(st == 200 and js["sku"]["is_combo"] is True and len(js["sku"]["parts"]) == 2, "%s %s" % (st, js))
        k = js["sku"]
        avail = {x["warehouse"]: x["available"] for x in k["stock"]}
        expect(avail[WH] == 0, "1 x P2 makes no set of 2: %s" % avail)
        for parts, why in (([{"sku": "INV-K1", "qty": 1}], "itself"), ([{"sku": "NOPE-9", "qty": 1}], "unknown"),
                           ([{"sku": "INV-P1", "qty": 0}], "qty 0"), ([{"sku": "INV-P1", "qty": 1}, {"sku": "INV-P1", "qty": 2}], "twice")):
            st, js, _ = req("PUT", "/api/v1/skus/INV-K1/parts", {"version": k["version"], "parts": parts}, token=ops)
            expect(st == 422 and js["error"]["field"] in ("parts", "qty"), "%s: %s %s" % (why, st, js))
        st, js, _ = req("PUT", "/api/v1/skus/INV-K1/parts", {"version": 1, "parts": []}, token=ops)
        expect(st == 409, "stale parts version %s" % st)
        st, js, _ = req("PUT", "/api/v1/skus/INV-P1/parts", {"version": 1, "parts": [{"sku": "INV-P2", "qty": 1}]}, token=ops)
        expect(st == 422, "a SKU with stock cannot become a combo: %s %s" % (st, js))
        st, js, _ = req("POST", "/api/v1/stock/receive", {"sku": "INV-K1", "warehouse": WH, "qty": 1}, token=wh)
        expect(st == 422 and js["error"]["field"] == "sku", "a combo holds no stock: %s %s" % (st, js))
        st, js, _ = req("GET", "/api/v1/stock/delist?warehouse=" + WH, token=ops)
        mine = {i["sku"]: i for i in js["items"]}
        expect(st == 200 and "INV-K1" in mine and mine["INV-K1"]["short_parts"] == "INV-P2" and mine["INV-K1"]["available"] == 0, str(mine.get("INV-K1")))
        expect("INV-P1" not in mine and "INV-P2" not in mine, "parts with stock stay listed")
        receive("INV-P2", 3)
        st, js, _ = req("GET", "/api/v1/skus/INV-K1", token=ops)
        expect({x["warehouse"]: x["available"] for x in js["sku"]["stock"]}[WH] == 2, "min(5/1, 4/2) = 2")
        st, js, _ = req("GET", "/api/v1/stock/delist?warehouse=" + WH, token=ops)
        expect("INV-K1" not in [i["sku"] for i in js["items"]], "back on sale")
        st, js, _ = adjust("INV-P1", -5, "丢失")
        expect(st == 200, "%s %s" % (st, js))
        st, js, _ = req("GET", "/api/v1/stock/delist?warehouse=" + WH, token=ops)
        mine = {i["sku"]: i for i in js["items"]}
        expect("INV-K1" in mine and mine["INV-K1"]["short_parts"] == "INV-P1" and "INV-P1" in mine, str(list(mine))[:300])
        st, js, _ = req("GET", "/api/v1/stock/out-of-stock?warehouse=" + WH, token=tokens["cs_presale"])
        out = {i["sku"]: i for i in js["items"]}
        expect(st == 200 and "INV-P1" in out and out["INV-P1"]["out_since"] and "INV-K1" not in out and "INV-A1" not in out, str(list(out)))
        state["p1_out"] = True

    @case("inventory: restock alert after a stock-out; the out-of-stock register closes")
    def _():
        receive("INV-P1", 4)
        st, js, _ = req("GET", "/api/v1/stock/restocked?warehouse=" + WH, token=ops)
        rows = {i["sku"]: i for i in js["items"]}
        expect(st == 200 and "INV-P1" in rows and rows["INV-P1"]["available"] == 4 and rows["INV-P1"]["restocked_at"], str(js)[:300])
        st, js, _ = req("GET", "/api/v1/stock/out-of-stock?warehouse=" + WH, token=ops)
        expect("INV-P1" not in [i["sku"] for i in js["items"]], "register closed")
        st, js, _ = req("GET", "/api/v1/stock/restocked?since=not-a-date", token=ops)
        expect(st == 400 and js["error"]["field"] == "since", str(js))
        ledger_equals_stock("INV-P1", "INV-P2")

    @case("inventory: platform CSV files (UTF-8 BOM, 商家编码,标题,可用库存; formula-safe, quoted)")
    def _():
        adjust("INV-P1", -4, "售罄")
        st, _, r = req("GET", "/api/v1/stock/delist?" + q({"warehouse": WH, "format": "csv"}), token=ops)
        expect(st == 200 and "text/csv" in (r.getheader("Content-Type") or ""), "%s %s" % (st, r.getheader("Content-Type")))
        data = fetch_raw(s, "/api/v1/stock/delist?" + q({"warehouse": WH, "format": "csv"}), ops)
        expect(data.startswith(b"\xef\xbb\xbf"), "BOM")
        text = data[3:].decode("utf-8")
        lines = text.split("\r\n")
        expect(lines[0] == "商家编码,标题,可用库存", lines[0])
        row = [l for l in lines if l.startswith("INV-K1,")]
        expect(row == ['INV-K1,"\'=HYPERLINK(""http://x""),套装",0'], "formula guarded and quoted: %r" % row)
        expect(any(l.startswith("INV-P1,") for l in lines), "P1 listed")
        full = fetch_raw(s, "/api/v1/stock/export?warehouse=" + WH, ops)[3:].decode("utf-8").split("\r\n")
        expect(full[0] == "商家编码,标题,可用库存" and any(l == "INV-A1,青禾 测试卫衣(新),17" for l in full), str(full[:5]))
        inj = [l for l in full if l.startswith("INV-A2,")]
        expect(inj and inj[0].endswith(",0") and "\"" in inj[0], "injection title quoted: %r" % inj)
        oos = fetch_raw(s, "/api/v1/stock/out-of-stock?" + q({"warehouse": WH, "format": "csv"}), ops)[3:].decode("utf-8")
        expect(oos.startswith("商家编码,标题,属性,现有库存,已占用,可用库存,缺货起始\r\n") and "\r\nINV-P1," in oos, oos[:200])
        st, js, _ = req("GET", "/api/v1/stock/delist?format=xml", token=ops)
        expect(st == 400 and js["error"]["field"] == "format", str(js))

    # ------------------------------------------------------------ products

    @case("inventory: products (货号) group SKUs; version 409")
    def _():
        st, js, _ = req("POST", "/api/v1/products", {"code": "INV-A", "title": "青禾 测试卫衣", "material": "棉", "style": "休闲", "price_fen": 12800}, token=ops)
        expect(st == 201 and js["product"]["material"] == "棉" and [x["code"] for x in js["product"]["sku_list"]] == ["INV-A1"], "%s %s" % (st, js))
        st, js, _ = req("POST", "/api/v1/products", {"code": "INV-A", "title": "dup"}, token=ops)
        expect(st == 409, "dup %s" % st)
        st, js, _ = req("PATCH", "/api/v1/products/INV-A", {"version": 1, "style": "通勤"}, token=ops)
        expect(st == 200 and js["product"]["style"] == "通勤" and js["product"]["version"] == 2, str(js))
        st, js, _ = req("PATCH", "/api/v1/products/INV-A", {"version": 1, "style": "x"}, token=ops)
        expect(st == 409, "stale %s" % st)
        st, js, _ = req("GET", "/api/v1/products?page_size=500", token=tokens["cs_lead"])
        expect(st == 200 and "INV-A" in [p["code"] for p in js["items"]], str(js)[:200])

    # ------------------------------------------------------------ sell-through

    @case("inventory: sell-through (动销率) and slow-moving (滞销) from imported orders; X-5 limits the sales")
    def _():
        for code in ("INV-S1", "INV-S2", "INV-S3"):
            new_sku(code, "动销测试 " + code)
            receive(code, 10)
        k = new_sku("INV-SK", "动销套装")
        st, js, _ = req("PUT", "/api/v1/skus/INV-SK/parts", {"version": k["version"], "parts": [{"sku": "INV-S2", "qty": 2}]}, token=ops)
        expect(st == 200, "%s %s" % (st, js))
        rc, out, err = run_cli(binary, db, "store", "add", "invs", "动销测试店", "--platform", "taobao")
        expect(rc == 0, err)
        # paid 10 days from now, so "now" is well before the sale and the slow window can fall between
        now = datetime.datetime.utcnow() + datetime.timedelta(hours=8)
        paid = (now + datetime.timedelta(days=10)).strftime("%Y-%m-%d %H:%M:%S")
        orders, items = write_orders(paid)
        rc, out, err = run_cli(binary, db, "import", "taobao-orders", "--store", "invs", orders, items)
        expect(rc == 0 and json.loads(out)["inserted"] == 3, out + err)
        t0 = (now - datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
        t1 = (now + datetime.timedelta(days=40)).strftime("%Y-%m-%d %H:%M:%S")
        st, js, _ = req("GET", "/api/v1/reports/sell-through?" + q({"from": t0, "to": t1, "slow_days": 35}), token=ops)
        expect(st == 200, "%s %s" % (st, js))
        items_ = {i["sku"]: i for i in js["items"]}
        slow = {i["sku"] for i in js["slow"]}
        expect(items_["INV-S1"]["sold_qty"] == 3 and items_["INV-S1"]["sold"] is True, str(items_.get("INV-S1")))
        expect(items_["INV-S2"]["sold_qty"] == 4 and items_["INV-S2"]["sold"] is True, "combo sale counts for its part: %s" % items_.get("INV-S2"))
        expect(items_["INV-S3"]["sold_qty"] == 0 and items_["INV-S3"]["sold"] is False, "cancelled order is no sale: %s" % items_.get("INV-S3"))
        expect("INV-S3" in slow and "INV-S1" not in slow and "INV-S2" not in slow, str(sorted(slow))[:300])
        expect("INV-SK" not in items_, "combos are not stock SKUs")
        expect(js["stocked_skus"] == len(js["items"]) and js["sold_skus"] == sum(1 for i in js["items"] if i["sold"]), "totals")
        expect(js["slow_skus"] == len(js["slow"]), "slow count")
        expect(abs(js["sell_through"] - js["sold_skus"] / js["stocked_skus"]) < 1e-6, "ratio %s" % js["sell_through"])
        # with a window of 45 days, the stock is too new to be called slow
        st, js, _ = req("GET", "/api/v1/reports/sell-through?" + q({"from": t0, "to": t1, "slow_days": 45}), token=ops)
        expect("INV-S3" not in {i["sku"] for i in js["slow"]}, "new arrival")
        # a period before the sales: nothing sold
        st, js, _ = req("GET", "/api/v1/reports/sell-through?" + q({"to": t0}), token=ops)
        expect(st == 200 and all(i["sku"] not in ("INV-S1", "INV-S2") or not i["sold"] for i in js["items"]), "before the sale")
        # X-5: a user limited to another store sees no sales from this one
        st, js, _ = req("POST", "/api/v1/users", {"username": "ops.inv", "password": "ops-inv-pass", "role": "operations",
                                                   "stores": ["qinghe"]}, token=boss)
        expect(st == 201, "%s %s" % (st, js))
        limited = s.login("ops.inv", "ops-inv-pass")
        st, js, _ = req("GET", "/api/v1/reports/sell-through?" + q({"from": t0, "to": t1}), token=limited)
        expect(st == 200 and not {i["sku"]: i for i in js["items"]}["INV-S1"]["sold"], "limited user")
        for bad in ({"slow_days": 0}, {"slow_days": 999}, {"from": "2026-13-01"}, {"from": t1, "to": t0}):
            st, js, _ = req("GET", "/api/v1/reports/sell-through?" + q(bad), token=ops)
            expect(st == 400, "%s -> %s" % (bad, st))

    @case("inventory: return endpoint refuses what an order never shipped")
    def _():
        st, js, _ = req("POST", "/api/v1/stock/return", {"order_id": 999999, "sku": "INV-A1", "qty": 1}, token=wh)
        expect(st == 404, "no such order %s %s" % (st, js))
        st, js, _ = req("GET", "/api/v1/orders?store=invs", token=boss)
        oid = js["items"][0]["id"]
        st, js, _ = req("POST", "/api/v1/stock/return", {"order_id": oid, "sku": "INV-A1", "qty": 1}, token=wh)
        expect(st == 422 and js["error"]["field"] == "qty", "%s %s" % (st, js))

    @case("inventory: CLI sku add/list, stock receive/list/verify")
    def _():
        rc, out, err = run_cli(binary, db, "sku", "add", "INV-CLI1", "命令行商品", "--price", "12.30", "--attrs", "颜色分类:白色")
        expect(rc == 0 and "INV-CLI1" in out and "12.30" in out, out + err)
        rc, out, err = run_cli(binary, db, "sku", "add", "INV-CLI1", "again")
        expect(rc == 1 and "已存在" in err, err)
        rc, out, err = run_cli(binary, db, "sku", "add", "INV-CLI2", "bad price", "--price", "12.345")
        expect(rc == 1, "bad price rc %d" % rc)
        rc, out, err = run_cli(binary, db, "sku", "list", "--q", "inv-cli")
        expect(rc == 0 and "INV-CLI1\t命令行商品\t颜色分类:白色\t12.30\tsku" in out and "INV-A1" not in out, out)
        rc, out, err = run_cli(binary, db, "stock", "receive", "INV-CLI1", "7", "--warehouse", WH, "--reason", "采购入库")
        expect(rc == 0 and "可用 7" in out, out + err)
        rc, out, err = run_cli(binary, db, "stock", "receive", "INV-CLI1", "x")
        expect(rc == 2, "bad qty rc %d" % rc)
        expect(stock("INV-CLI1")["on_hand"] == 7, "received")
        _, _, rows = ledger_sum("INV-CLI1")
        expect(rows[0]["user"] == "system" and rows[0]["note"] == "采购入库", str(rows[0]))
        rc, out, err = run_cli(binary, db, "stock", "list", "--warehouse", WH)
        expect(rc == 0 and any(l.startswith("INV-CLI1\t%s\t" % WH) and l.endswith("\t7\t0\t7") for l in out.splitlines()), out[-500:])
        rc, out, err = run_cli(binary, db, "stock", "verify")
        expect(rc == 0 and "0 行与流水不一致" in out, out + err)
        rc, out, err = run_cli(binary, db, "stock")
        expect(rc == 2, "usage rc %d" % rc)


def fetch_raw(s, path, token):
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
    conn.request("GET", path, headers={"Authorization": "Bearer " + token})
    r = conn.getresponse()
    data = r.read()
    conn.close()
    if r.status != 200:
        raise AssertionError("GET %s -> %s %r" % (path, r.status, data[:200]))
    return data


ORDER_HEAD = "订单编号,买家会员名,买家实际支付金额,订单状态,买家留言,收货人姓名,收货地址,联系手机,订单创建时间,订单付款时间\r\n"
ITEM_HEAD = "订单编号,标题,价格,购买数量,外部系统编号,商品属性,套餐信息,备注,订单状态,商家编码\r\n"


def write_orders(paid):
    """Three orders paid at `paid`: S1 x3, a combo (2 x S2) x2, and a closed one for S3."""
    tmp = tempfile.mkdtemp(prefix="dianpu-inv.")
    paid_status, closed = "买家已付款，等待卖家发货", "交易关闭"
    rows = [("=\"8800000000000000001\"", "inv_buyer1", "30.00", paid_status, "INV-S1", 3),
            ("=\"8800000000000000002\"", "inv_buyer2", "40.00", paid_status, "INV-SK", 2),
            ("=\"8800000000000000003\"", "inv_buyer3", "10.00", closed, "INV-S3", 1)]
    orders = os.path.join(tmp, "orders.csv")
    items = os.path.join(tmp, "items.csv")
    with open(orders, "w", encoding="utf-8", newline="") as f:
        f.write(ORDER_HEAD)
        for no, nick, money, status, _, _ in rows:
            f.write("%s,%s,%s,%s,,张三,浙江省 杭州市 西湖区 文三路90号,13812345678,%s,%s\r\n" % (no, nick, money, status, paid, paid))
    with open(items, "w", encoding="utf-8", newline="") as f:
        f.write(ITEM_HEAD)
        for no, _, money, status, sku, qty in rows:
            f.write("%s,动销测试,%s,%d,,颜色分类:白色,,,%s,%s\r\n" % (no, money, qty, status, sku))
    return orders, items
