"""ORD-10 + ORD-7 cases: a waybill per parcel of a split order,
POST /api/v1/print/waybills {"parcels":[{"order_id","parcel_no"}], "size"}.
Used by run.py after the merge suite; runs on SQLite and PostgreSQL.

The store ("pprt") and its SKUs (PPR-A, PPR-B) are this module's own. PDFs are
read with poppler as in print_cases: each page carries the order's receiver,
only its parcel's goods, the "包裹 K/N" mark and the parcel's barcode number.
"""
import re
import tempfile

import merge_cases
from print_cases import WAYBILL_PTS, near, pdf_facts, post_raw, squash

STORE = "pprt"
ADDR = "江苏省 南京市 玄武区 中山路 1 号"
PHONE = "13912345678"  # merge_cases.write_files' receiver phone
# order no -> (buyer, address, [(sku, qty), ...])
ORDERS = {
    "9710000000000000001": ("ppr_b1", ADDR, [("PPR-A", 1), ("PPR-B", 2)]),
    "9710000000000000002": ("ppr_b2", ADDR, [("PPR-A", 1), ("PPR-B", 1)]),
    "9710000000000000003": ("ppr_b3", ADDR, [("PPR-A", 2)]),
    "9710000000000000004": ("ppr_b4", ADDR, [("PPR-A", 1), ("PPR-B", 1)]),
}
PATH = "/api/v1/print/waybills"


def add_tests(s, tokens, binary, db, engine, case, expect, run_cli, err_code):
    boss, wh, ops = tokens["boss"], tokens["warehouse"], tokens["operations"]
    tmp = tempfile.mkdtemp(prefix="dianpu-pprint.")

    def req(method, path, body=None, token=boss):
        return s.req(method, path, body, token=token)

    ids = merge_cases.seed_store(req, tokens, binary, db, run_cli, STORE, "包裹面单测试店",
                                 ("PPR-A", "PPR-B"), 20, "包裹面单", "2026-03-03 10:00:00", ORDERS)
    O = {i: ids["971000000000000000%d" % i] for i in range(1, 5)}
    NO = {i: "971000000000000000%d" % i for i in range(1, 5)}

    def order(i):
        code, js, _ = req("GET", "/api/v1/orders/%d" % O[i])
        expect(code == 200, "get %s" % code)
        return js["order"]

    def parcels(i):
        code, js, _ = req("GET", "/api/v1/orders/%d/parcels" % O[i])
        expect(code == 200, "parcels %s %s" % (code, js))
        return js["parcels"]

    def split(i, by_sku):
        """Splits order i: one parcel per list of (sku, qty)."""
        lines = {it["sku_code"]: it["line_no"] for it in order(i)["items"]}
        body = {"parcels": [[{"line_no": lines[sku], "qty": q} for sku, q in p] for p in by_sku]}
        code, js, _ = req("POST", "/api/v1/orders/%d/split" % O[i], body)
        if code != 201:
            raise RuntimeError("split %d: %s %s" % (i, code, js))

    def pact(i, no, action, body=None, token=wh):
        code, js, _ = req("POST", "/api/v1/orders/%d/parcels/%d/%s" % (O[i], no, action), body, token=token)
        expect(code == 200, "%d parcel %d %s: %s %s" % (i, no, action, code, js))

    def prints(i, no=None):
        """The order's parcel_print events (of parcel no)."""
        return [e for e in order(i)["timeline"] if e["action"] == "parcel_print"
                and (no is None or e["detail"].startswith("包裹 %d/" % no))]

    for i in range(1, 5):
        if order(i)["stage"] != "audited":
            raise RuntimeError("order %d is %s, not audited" % (i, order(i)["stage"]))
    split(1, [[("PPR-A", 1)], [("PPR-B", 2)]])
    split(2, [[("PPR-A", 1)], [("PPR-B", 1)]])
    split(3, [[("PPR-A", 1)], [("PPR-A", 1)]])

    @case("ORD-10 parcel waybill: parcel 1 of 2 -> one PDF page with its goods only, 包裹 1/2, its barcode; parcel printed")
    def _():
        st, ctype, data, js = post_raw(s, PATH, {"parcels": [{"order_id": O[1], "parcel_no": 1}], "size": "100x180"}, wh)
        expect(st == 200 and ctype == "application/pdf" and data[:5] == b"%PDF-", "%s %s %s" % (st, ctype, js))
        pages, size, text = pdf_facts(data, tmp)
        expect(pages == 1 and near(size, WAYBILL_PTS["100x180"]), "pages %d size %s" % (pages, size))
        t = squash(text)
        expect(re.search(r"合并测试PPR-A\S*×1", t), "parcel 1's goods on the label: %s" % text[:400])
        expect("PPR-B" not in t, "parcel 2's goods are not on parcel 1's label: %s" % text[:400])
        expect("包裹 1/2" in text or "包裹1/2" in t, "the 包裹 1/2 mark: %s" % text[:400])
        expect(NO[1] + "-1" in t, "the parcel's number is the barcode: %s" % text[:400])
        expect("李四" in t and squash(ADDR) in t, "the order's receiver")
        expect(PHONE not in t and "139****5678" in t, "phone masked per policy: %s" % text[:400])
        p1, p2 = parcels(1)
        expect(p1["stage"] == "waybill_printed" and p2["stage"] == "audited", "%s %s" % (p1["stage"], p2["stage"]))
        expect(order(1)["stage"] == "audited", "the order follows its slowest parcel: %s" % order(1)["stage"])
        ev = prints(1)
        expect(len(ev) == 1 and ev[0]["user"] == "warehouse" and ev[0]["to_stage"] == "waybill_printed", str(ev))
        code, js, _ = req("GET", "/api/v1/audit?entity=order&entity_id=%d" % O[1])
        top = js["items"][0]
        expect(top["action"] == "parcel_print" and top["after"]["parcel"] == 1, str(top))

    @case("ORD-10 parcel waybills 76x130: pages in the given order; reprint allowed; the order printed once all are")
    def _():
        body = {"parcels": [{"order_id": O[1], "parcel_no": 2}, {"order_id": O[1], "parcel_no": 1}], "size": "76x130"}
        st, ctype, data, js = post_raw(s, PATH, body, boss)
        expect(st == 200 and ctype == "application/pdf", "%s %s" % (st, js))
        pages, size, text = pdf_facts(data, tmp)
        expect(pages == 2 and near(size, WAYBILL_PTS["76x130"]), "pages %d size %s" % (pages, size))
        first, second = [squash(x) for x in text.split("\f")[:2]]
        expect(re.search(r"PPR-B\S*×2", first) and "PPR-A" not in first and "包裹2/2" in first, "page 1 is parcel 2: %s" % first[:300])
        expect(re.search(r"PPR-A\S*×1", second) and "PPR-B" not in second and "包裹1/2" in second, "page 2 is parcel 1: %s" % second[:300])
        expect([p["stage"] for p in parcels(1)] == ["waybill_printed"] * 2, str(parcels(1)))
        expect(order(1)["stage"] == "waybill_printed", order(1)["stage"])
        expect(len(prints(1, 1)) == 2 and len(prints(1, 2)) == 1, "events %s" % prints(1))
        expect(prints(1, 1)[-1]["user"] == "boss", str(prints(1, 1)[-1]))
        # the order's own waybill is still refused: it prints by parcels
        st, _, _, js = post_raw(s, PATH, {"ids": [O[1]]}, wh)
        expect(st == 422, "order-level print of a split order %s %s" % (st, js))

    @case("ORD-10 parcel waybills: roles (cs_presale, finance 403)")
    def _():
        body = {"parcels": [{"order_id": O[4], "parcel_no": 1}]}
        for role in ("cs_presale", "finance"):
            st, _, _, js = post_raw(s, PATH, body, tokens[role])
            expect(st == 403, "%s %s %s" % (role, st, js))

    @case("ORD-10 parcel waybills: shipped and cancelled parcels 422 naming each; nothing printed")
    def _():
        for a, b in (("print", None), ("pick", None), ("verify", None), ("pack", {"weight_g": 300}),
                     ("ship", {"courier": "顺丰速运", "tracking_no": "SFPPR1"})):
            pact(2, 1, a, b, token=boss if a == "verify" else wh)
        pact(2, 2, "cancel", {"reason": "缺货"}, token=boss)
        before = len(prints(1))
        body = {"parcels": [{"order_id": O[2], "parcel_no": 1}, {"order_id": O[1], "parcel_no": 1},
                            {"order_id": O[2], "parcel_no": 2}]}
        st, ctype, _, js = post_raw(s, PATH, body, wh)
        expect(st == 422 and js["error"]["field"] == "parcels", "%s %s" % (st, js))
        got = [(p["order_id"], p["parcel_no"], p["stage"]) for p in js["error"]["parcels"]]
        expect(got == [(O[2], 1, "shipped"), (O[2], 2, "cancelled")], str(got))
        msg = js["error"]["message"]
        expect("2 个包裹" in msg and NO[2] in msg and "包裹 1" in msg and "已发货" in msg, msg)
        expect(len(prints(1)) == before, "nothing printed")

    @case("ORD-10 parcel waybills: a held order's parcel 422 naming it; released it prints")
    def _():
        code, js, _ = req("POST", "/api/v1/orders/%d/hold" % O[3], {"reason": "等买家确认"})
        expect(code == 200, "hold %s %s" % (code, js))
        st, _, _, js = post_raw(s, PATH, {"parcels": [{"order_id": O[3], "parcel_no": 2}]}, wh)
        expect(st == 422 and js["error"]["parcels"][0]["stage"] == "on_hold", "%s %s" % (st, js))
        expect(NO[3] in js["error"]["message"] and "包裹 2" in js["error"]["message"], js["error"]["message"])
        expect(parcels(3)[1]["stage"] == "audited", "not printed")
        code, js, _ = req("POST", "/api/v1/orders/%d/release" % O[3], {})
        expect(code == 200, "release %s %s" % (code, js))
        st, _, data, js = post_raw(s, PATH, {"parcels": [{"order_id": O[3], "parcel_no": 2}]}, wh)
        expect(st == 200 and "包裹2/2" in squash(pdf_facts(data, tmp)[2]), "%s %s" % (st, js))
        expect([p["stage"] for p in parcels(3)] == ["audited", "waybill_printed"], str(parcels(3)))

    @case("ORD-10 parcel waybills: unknown order, unknown parcel, unsplit order 404 naming it")
    def _():
        for ref, needle in (({"order_id": 999999999, "parcel_no": 1}, "999999999"),
                            ({"order_id": O[1], "parcel_no": 9}, NO[1]),
                            ({"order_id": O[4], "parcel_no": 1}, NO[4])):
            st, _, _, js = post_raw(s, PATH, {"parcels": [{"order_id": O[3], "parcel_no": 1}, ref]}, wh)
            expect(st == 404 and js["error"]["field"] == "parcels" and needle in js["error"]["message"],
                   "%s -> %s %s" % (ref, st, js))
        expect(parcels(3)[0]["stage"] == "audited", "nothing printed")

    @case("ORD-10 parcel waybills: bad bodies 422 (over 1000, empty, both ids and parcels, twice, bad item, size)")
    def _():
        many = [{"order_id": O[1], "parcel_no": k} for k in range(1, 1002)]
        ref = {"order_id": O[1], "parcel_no": 1}
        bad = [
            ({"parcels": many}, "parcels"),
            ({"parcels": []}, "parcels"),
            ({"parcels": {"order_id": O[1]}}, "parcels"),
            ({"parcels": [ref], "ids": [O[4]]}, "parcels"),
            ({"parcels": [ref, dict(ref)]}, "parcels"),
            ({"parcels": [{"order_id": O[1]}]}, "parcels"),
            ({"parcels": [{"order_id": str(O[1]), "parcel_no": 1}]}, "parcels"),
            ({"parcels": [{"order_id": O[1], "parcel_no": 0}]}, "parcels"),
            ({"parcels": [7]}, "parcels"),
            ({"parcels": [ref], "size": "a4"}, "size"),
        ]
        before = len(prints(1))
        for body, field in bad:
            st, _, _, js = post_raw(s, PATH, body, wh)
            expect(st == 422 and js["error"]["field"] == field, "%s -> %s %s" % (str(body)[:80], st, js))
        expect(len(prints(1)) == before, "nothing printed")
