"""ORD-10 cases: merging orders of one buyer and address into one parcel, and
splitting an order into parcels, with stock reservations following the parts.
Used by run.py after the other order suites; runs on SQLite and PostgreSQL.

The store ("mrg") and its SKUs (MRG-A, MRG-B) are this module's own, so the
stock numbers checked are exact whatever earlier suites did.
"""
import os
import tempfile
import urllib.parse

from print_cases import sql_query

STORE = "mrg"
ORDER_HEAD = "订单编号,买家会员名,买家实际支付金额,订单状态,买家留言,收货人姓名,收货地址,联系手机,订单创建时间,订单付款时间\r\n"
ITEM_HEAD = "订单编号,标题,价格,购买数量,外部系统编号,商品属性,套餐信息,备注,订单状态,商家编码\r\n"
PAID = "买家已付款，等待卖家发货"
ADDR1 = "浙江省 杭州市 西湖区 文三路90号"
ADDR2 = "浙江省 杭州市 上城区 解放路1号"

# order no -> (buyer, address, [(sku, qty), ...])
ORDERS = {
    "9700000000000000001": ("mrg_b1", ADDR1, [("MRG-A", 1)]),
    "9700000000000000002": ("mrg_b1", ADDR1, [("MRG-B", 2)]),
    "9700000000000000003": ("mrg_b1", ADDR2, [("MRG-A", 2)]),   # same buyer, other address
    "9700000000000000004": ("mrg_b4", ADDR1, [("MRG-A", 2), ("MRG-B", 3)]),
    "9700000000000000005": ("mrg_b5", ADDR1, [("MRG-A", 1), ("MRG-B", 1)]),
    "9700000000000000006": ("mrg_b6", ADDR1, [("MRG-A", 1)]),
    "9700000000000000007": ("mrg_b6", ADDR1, [("MRG-B", 1)]),
    "9700000000000000008": ("mrg_b8", ADDR1, [("MRG-A", 1)]),
    "9700000000000000009": ("mrg_b8", ADDR1, [("MRG-A", 1), ("MRG-B", 1)]),
}


# imported later by the CLI case, so the counts above stay exact
CLI_ORDERS = {
    "9700000000000000011": ("mrg_c1", ADDR2, [("MRG-A", 1)]),
    "9700000000000000012": ("mrg_c1", ADDR2, [("MRG-B", 1)]),
    "9700000000000000013": ("mrg_c3", ADDR2, [("MRG-A", 1), ("MRG-B", 2)]),
}


def write_files(paid, orders_=None):
    ORDERS = orders_ or globals()["ORDERS"]
    tmp = tempfile.mkdtemp(prefix="dianpu-merge.")
    orders, items = os.path.join(tmp, "orders.csv"), os.path.join(tmp, "items.csv")
    with open(orders, "w", encoding="utf-8", newline="") as f:
        f.write(ORDER_HEAD)
        for no, (nick, addr, lines) in sorted(ORDERS.items()):
            f.write("=\"%s\",%s,%d.00,%s,,李四,%s,13912345678,%s,%s\r\n"
                    % (no, nick, 10 * sum(q for _, q in lines), PAID, addr, paid, paid))
    with open(items, "w", encoding="utf-8", newline="") as f:
        f.write(ITEM_HEAD)
        for no, (nick, addr, lines) in sorted(ORDERS.items()):
            for sku, qty in lines:
                f.write("=\"%s\",合并测试 %s,10.00,%d,,颜色分类:黑色,,,%s,%s\r\n" % (no, sku, qty, PAID, sku))
    return orders, items



def seed_store(req, tokens, binary, db, run_cli, store, name, skus, qty, label, paid, orders):
    """A store with skus in stock and orders imported from the Taobao files; returns
    {order_no: id}. For the ORD-10 modules that build on merge's files."""
    rc, out, err = run_cli(binary, db, "store", "add", store, name, "--platform", "taobao")
    if rc != 0:
        raise RuntimeError("store add failed: " + err)
    for sku in skus:
        code, js, _ = req("POST", "/api/v1/skus", {"code": sku, "title": label + " " + sku},
                          token=tokens["operations"])
        if code != 201:
            raise RuntimeError("sku %s: %s %s" % (sku, code, js))
        code, js, _ = req("POST", "/api/v1/stock/receive", {"sku": sku, "qty": qty, "reason": label + "测试到货"},
                          token=tokens["warehouse"])
        if code not in (200, 201):
            raise RuntimeError("receive %s: %s %s" % (sku, code, js))
    ofile, ifile = write_files(paid, orders)
    rc, out, err = run_cli(binary, db, "import", "taobao-orders", "--store", store, ofile, ifile)
    if rc != 0:
        raise RuntimeError("import failed: " + err + out)
    code, js, _ = req("GET", "/api/v1/orders?store=%s&page_size=50" % store)
    if code != 200:
        raise RuntimeError("list %s" % code)
    return {o["order_no"]: o["id"] for o in js["items"]}

def add_tests(s, tokens, binary, db, engine, case, expect, run_cli, err_code):
    boss, wh, ops, fin = tokens["boss"], tokens["warehouse"], tokens["operations"], tokens["finance"]
    lead = tokens["cs_lead"]
    st = {}

    def req(method, path, body=None, token=boss):
        return s.req(method, path, body, token=token)

    rc, out, err = run_cli(binary, db, "store", "add", STORE, "合并拆单测试店", "--platform", "taobao")
    if rc != 0:
        raise RuntimeError("store add failed: " + err)
    for sku in ("MRG-A", "MRG-B"):
        code, js, _ = req("POST", "/api/v1/skus", {"code": sku, "title": "合并测试 " + sku}, token=ops)
        if code != 201:
            raise RuntimeError("sku %s: %s %s" % (sku, code, js))
        code, js, _ = req("POST", "/api/v1/stock/receive", {"sku": sku, "qty": 20, "reason": "合并测试到货"}, token=wh)
        if code not in (200, 201):
            raise RuntimeError("receive %s: %s %s" % (sku, code, js))
    ofile, ifile = write_files("2026-03-01 10:00:00")
    rc, out, err = run_cli(binary, db, "import", "taobao-orders", "--store", STORE, ofile, ifile)
    if rc != 0:
        raise RuntimeError("import failed: " + err + out)
    code, js, _ = req("GET", "/api/v1/orders?store=%s&page_size=50" % STORE)
    if code != 200:
        raise RuntimeError("list %s" % code)
    ids = {o["order_no"]: o["id"] for o in js["items"]}
    O = {i: ids["970000000000000000%d" % i] for i in range(1, 10)}

    def stock(sku):
        """(on_hand, reserved) over all warehouses."""
        code, js, _ = req("GET", "/api/v1/stock?" + urllib.parse.urlencode({"sku": sku}))
        expect(code == 200, "stock %s %s" % (code, js))
        return (sum(r["on_hand"] for r in js["items"]), sum(r["reserved"] for r in js["items"]))

    def order(i):
        code, js, _ = req("GET", "/api/v1/orders/%d" % O[i])
        expect(code == 200, "get %s" % code)
        return js["order"]

    def parcels(i):
        code, js, _ = req("GET", "/api/v1/orders/%d/parcels" % O[i])
        expect(code == 200, "parcels %s %s" % (code, js))
        return js

    def act(i, action, body=None, token=wh, want=200):
        code, js, _ = req("POST", "/api/v1/orders/%d/%s" % (O[i], action), body, token=token)
        expect(code == want, "%d %s: %s %s" % (i, action, code, js))
        return js

    def pact(i, no, action, body=None, token=wh, want=200):
        code, js, _ = req("POST", "/api/v1/orders/%d/parcels/%d/%s" % (O[i], no, action), body, token=token)
        expect(code == want, "%d parcel %d %s: %s %s" % (i, no, action, code, js))
        return js

    @case("ORD-10 setup: the imported orders are audited and hold their stock")
    def _():
        for i in range(1, 10):
            expect(order(i)["stage"] == "audited", "%d %s" % (i, order(i)["stage"]))
        st["a0"], st["b0"] = stock("MRG-A"), stock("MRG-B")
        expect(st["a0"] == (20, 9) and st["b0"] == (20, 8), "%s %s" % (st["a0"], st["b0"]))

    @case("ORD-10 merge candidates: one group per buyer+receiver+phone+address, other address left out")
    def _():
        code, js, _ = req("GET", "/api/v1/orders/merge-candidates?store=" + STORE)
        expect(code == 200, "%s %s" % (code, js))
        groups = sorted(sorted(o["id"] for o in g["orders"]) for g in js["groups"])
        expect(groups == sorted([sorted([O[1], O[2]]), sorted([O[6], O[7]]), sorted([O[8], O[9]])]),
               "groups %s" % js["groups"])
        code, js, _ = req("GET", "/api/v1/orders/merge-candidates")
        expect(code == 422 and js["error"]["field"] == "store", "no store %s" % code)
        code, js, _ = req("GET", "/api/v1/orders/merge-candidates?store=" + STORE, token=fin)
        expect(code == 403, "finance %s" % code)

    @case("ORD-10 merge refusals: one order, other address, stale version 409, role 403, bad body")
    def _():
        code, js, _ = req("POST", "/api/v1/orders/merge", {"ids": [O[1]]})
        expect(code == 422 and js["error"]["field"] == "ids", "one %s %s" % (code, js))
        code, js, _ = req("POST", "/api/v1/orders/merge", {"ids": [O[1], O[3]]})
        expect(code == 422 and "9700000000000000003" in js["error"]["message"], "address %s %s" % (code, js))
        code, js, _ = req("POST", "/api/v1/orders/merge", {"ids": [O[1], O[1]]})
        expect(code == 422, "twice %s" % code)
        v1, v2 = order(1)["version"], order(2)["version"]
        code, js, _ = req("POST", "/api/v1/orders/merge", {"ids": [O[1], O[2]], "versions": [v1, v2 + 7]})
        expect(code == 409 and js["error"]["field"] == "version", "stale %s %s" % (code, js))
        code, js, _ = req("POST", "/api/v1/orders/merge", {"ids": [O[1], O[2]]}, token=fin)
        expect(code == 403, "finance %s" % code)
        code, js, _ = req("POST", "/api/v1/orders/merge", {"ids": "1,2"})
        expect(code == 422, "bad ids %s" % code)
        code, js, _ = req("POST", "/api/v1/orders/merge", {"ids": [O[1], O[2]], "versions": [v1]})
        expect(code == 422 and js["error"]["field"] == "versions", "versions %s" % code)
        expect(order(1)["version"] == v1 and parcels(1)["merge_group"] is None, "nothing changed")

    @case("ORD-10 merge, unmerge, merge again: timeline and audit on both orders")
    def _():
        v1, v2 = order(1)["version"], order(2)["version"]
        code, js, _ = req("POST", "/api/v1/orders/merge", {"ids": [O[2], O[1]], "versions": [v2, v1]}, token=tokens["cs_presale"])
        expect(code == 200 and js["merge_group"] == min(O[1], O[2]), "%s %s" % (code, js))
        expect({o["id"]: o["version"] for o in js["orders"]} == {O[1]: v1 + 1, O[2]: v2 + 1}, str(js["orders"]))
        p = parcels(2)
        expect(p["merge_group"] == min(O[1], O[2]) and sorted(m["id"] for m in p["members"]) == sorted([O[1], O[2]]), str(p))
        for i in (1, 2):
            expect(order(i)["timeline"][-1]["action"] == "merge", str(order(i)["timeline"][-1]))
            code, js, _ = req("GET", "/api/v1/audit?entity=order&entity_id=%d" % O[i])
            expect(js["items"][0]["action"] == "merge" and js["items"][0]["after"]["merge_group"] == min(O[1], O[2]),
                   str(js["items"][:1]))
        code, js, _ = req("POST", "/api/v1/orders/merge", {"ids": [O[1], O[2]]})
        expect(code == 422, "merged already %s" % code)
        code, js, _ = req("POST", "/api/v1/orders/%d/unmerge" % O[1], {"version": 1})
        expect(code == 409, "stale unmerge %s" % code)
        code, js, _ = req("POST", "/api/v1/orders/%d/unmerge" % O[1], {})
        expect(code == 200 and len(js["orders"]) == 2, "%s %s" % (code, js))
        expect(parcels(1)["merge_group"] is None and parcels(2)["merge_group"] is None, "unmerged")
        expect(order(2)["timeline"][-1]["action"] == "unmerge", "timeline")
        code, js, _ = req("POST", "/api/v1/orders/%d/unmerge" % O[1], {})
        expect(code == 422, "not merged %s" % code)
        code, js, _ = req("POST", "/api/v1/orders/merge", {"ids": [O[1], O[2]]})
        expect(code == 200, "again %s %s" % (code, js))
        code, js, _ = req("GET", "/api/v1/orders/merge-candidates?store=" + STORE)
        expect(all(O[1] not in [o["id"] for o in g["orders"]] for g in js["groups"]), "merged are no candidates")
        # ORD-4: a receiver change on a merged order would split the parcel's address
        code, js, _ = req("PATCH", "/api/v1/orders/%d" % O[1], {"version": order(1)["version"], "receiver_address": ADDR2})
        expect(code == 422 and js["error"]["field"] == "merge_group", "receiver edit %s %s" % (code, js))

    @case("ORD-10 the order JSON and the list show merge_group and split_parcels; merged=1 lists a group's members")
    def _():
        g = min(O[1], O[2])
        for i in (1, 2):
            o = order(i)
            expect(o["merge_group"] == g and o["split_parcels"] == 0, "detail %d: %s %s" % (i, o.get("merge_group"), o.get("split_parcels")))
        o = order(4)
        expect(o["merge_group"] is None and o["split_parcels"] == 0, "not merged: %s %s" % (o.get("merge_group"), o.get("split_parcels")))
        code, js, _ = req("GET", "/api/v1/orders?store=%s&page_size=50" % STORE)
        expect(code == 200, "list %s" % code)
        by = {it["id"]: it for it in js["items"]}
        expect(by[O[1]]["merge_group"] == g and by[O[2]]["merge_group"] == g and by[O[3]]["merge_group"] is None,
               "list %s" % [(k, v["merge_group"]) for k, v in by.items()])
        expect(all(it["split_parcels"] == 0 for it in js["items"]), "none split yet")
        code, js, _ = req("GET", "/api/v1/orders?store=%s&merged=1" % STORE)
        expect(code == 200 and sorted(it["id"] for it in js["items"]) == sorted([O[1], O[2]]) and js["total"] == 2,
               "merged=1 %s %s" % (code, js.get("items") and [it["id"] for it in js["items"]]))
        code, js, _ = req("GET", "/api/v1/orders?merged=1&stage=shipped&store=" + STORE)
        expect(code == 200 and js["items"] == [] and js["total"] == 0, "merged=1&stage=shipped %s" % code)
        code, js, _ = req("GET", "/api/v1/orders?store=%s&split=1" % STORE)
        expect(code == 200 and js["items"] == [], "split=1 before any split %s" % code)
        for bad in ("merged=2", "split=x", "merged=-1"):
            code, js, _ = req("GET", "/api/v1/orders?store=%s&%s" % (STORE, bad))
            expect(code in (400, 422) and js["error"]["field"] in ("merged", "split"), "%s -> %s %s" % (bad, code, js))

    @case("ORD-10 merged: print one -> both printed; unmerge after printing 422; ship -> one tracking no., stock out for both")
    def _():
        code, js, r = s.req("POST", "/api/v1/print/waybills", {"ids": [O[1]], "size": "100x180"}, token=wh)
        expect(code == 200, "print %s %s" % (code, js))
        expect(order(1)["stage"] == "waybill_printed" and order(2)["stage"] == "waybill_printed",
               "%s %s" % (order(1)["stage"], order(2)["stage"]))
        code, js, _ = req("POST", "/api/v1/orders/%d/unmerge" % O[2], {})
        expect(code == 422 and js["error"]["field"] == "stage", "unmerge printed %s %s" % (code, js))
        act(2, "pick")
        act(1, "verify", token=boss)
        act(2, "pack", {"weight_g": 900})
        act(1, "ship", {"courier": "中通快递", "tracking_no": "ZTMERGE0001"})
        for i in (1, 2):
            o = order(i)
            expect(o["stage"] == "shipped" and o["tracking_no"] == "ZTMERGE0001" and o["weight_g"] == 900, str(o)[:300])
        expect(stock("MRG-A") == (st["a0"][0] - 1, st["a0"][1] - 1), "A %s" % (stock("MRG-A"),))
        expect(stock("MRG-B") == (st["b0"][0] - 2, st["b0"][1] - 2), "B %s" % (stock("MRG-B"),))
        ev = order(2)["timeline"][-1]
        expect(ev["action"] == "ship" and "合并发货" in ev["detail"], str(ev))

    @case("ORD-10 the bulk-ship export lists each merged platform order with the shared tracking no.")
    def _():
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
        conn.request("GET", "/api/v1/shipping/export?store=" + STORE, headers={"Authorization": "Bearer " + wh})
        r = conn.getresponse()
        body = r.read().decode("utf-8-sig")
        conn.close()
        expect(r.status == 200, "export %s" % r.status)
        rows = set(body.split("\r\n")[1:-1])
        expect({"9700000000000000001,中通快递,ZTMERGE0001", "9700000000000000002,中通快递,ZTMERGE0001"} <= rows, str(rows))

    @case("ORD-10 merged: a batch naming both prints one waybill; one scan session verifies the parcel's goods")
    def _():
        code, js, _ = req("POST", "/api/v1/orders/merge", {"ids": [O[8], O[9]]}, token=wh)
        expect(code == 200, "%s %s" % (code, js))
        code, js, r = s.req("POST", "/api/v1/print/waybills", {"ids": [O[9], O[8]], "size": "76x130"}, token=wh)
        expect(code == 200, "print %s %s" % (code, js))
        for i in (8, 9):
            prints = [e for e in order(i)["timeline"] if e["action"] == "print"]
            expect(len(prints) == 1 and order(i)["stage"] == "waybill_printed", "%d printed %d times" % (i, len(prints)))
        act(8, "pick")
        code, js, _ = req("POST", "/api/v1/verify/scan", {"code": "9700000000000000008"}, token=wh)
        expect(code == 200, "open %s %s" % (code, js))
        sid = js["session"]["id"]
        for code_ in ("MRG-A", "MRG-A", "MRG-B"):
            code, js, _ = req("POST", "/api/v1/verify/scan", {"code": code_, "session": sid}, token=wh)
            expect(code == 200, "scan %s %s %s" % (code_, code, js))
            expect(order(8)["stage"] == ("verified" if code_ == "MRG-B" else "picked"), "after %s: %s" % (code_, order(8)["stage"]))
        expect(order(9)["stage"] == "verified", order(9)["stage"])

    @case("ORD-10 a cancelled member leaves its group; a group of one dissolves")
    def _():
        code, js, _ = req("POST", "/api/v1/orders/merge", {"ids": [O[6], O[7]]})
        expect(code == 200, "%s %s" % (code, js))
        b0 = stock("MRG-B")
        act(7, "cancel", {"reason": "买家不要了"}, token=boss)
        expect(order(7)["stage"] == "cancelled", order(7)["stage"])
        expect(parcels(7)["merge_group"] is None and parcels(6)["merge_group"] is None, "dissolved")
        expect(stock("MRG-B") == (b0[0], b0[1] - 1), "released %s" % (stock("MRG-B"),))
        expect(order(6)["timeline"][-1]["action"] == "unmerge", str(order(6)["timeline"][-1]))

    @case("ORD-10 split refusals: wrong quantities, empty parcel, unknown line, one parcel 422; stale 409; role 403")
    def _():
        o = order(4)
        lines = {it["line_no"]: it["qty"] for it in o["items"]}
        expect(sorted(lines.values()) == [2, 3], str(lines))
        st["l4"] = la, lb = sorted(lines, key=lambda k: lines[k])  # line of A (2), line of B (3)
        v = o["version"]
        bad = [
            ([[{"line_no": la, "qty": 1}], [{"line_no": la, "qty": 2}, {"line_no": lb, "qty": 3}]], "parcels"),
            ([[{"line_no": la, "qty": 2}], [{"line_no": lb, "qty": 2}]], "parcels"),
            ([[{"line_no": la, "qty": 2}, {"line_no": lb, "qty": 3}], []], "parcels"),
            ([[{"line_no": la, "qty": 2}, {"line_no": lb, "qty": 3}]], "parcels"),
            ([[{"line_no": 99, "qty": 1}], [{"line_no": la, "qty": 2}, {"line_no": lb, "qty": 3}]], "parcels"),
            ([[{"line_no": la, "qty": 0}], [{"line_no": la, "qty": 2}, {"line_no": lb, "qty": 3}]], "parcels"),
            ([[{"line_no": la}], [{"line_no": lb, "qty": 3}]], "parcels"),
            ("x", "parcels"),
        ]
        for parcels_, field in bad:
            code, js, _ = req("POST", "/api/v1/orders/%d/split" % O[4], {"version": v, "parcels": parcels_})
            expect(code == 422 and js["error"]["field"] == field, "%s -> %s %s" % (parcels_, code, js))
        good = [[{"line_no": la, "qty": 1}], [{"line_no": la, "qty": 1}, {"line_no": lb, "qty": 3}]]
        code, js, _ = req("POST", "/api/v1/orders/%d/split" % O[4], {"version": v + 1, "parcels": good})
        expect(code == 409, "stale %s" % code)
        code, js, _ = req("POST", "/api/v1/orders/%d/split" % O[4], {"parcels": good}, token=fin)
        expect(code == 403, "finance %s" % code)
        code, js, _ = req("POST", "/api/v1/orders/%d/split" % O[2], {"parcels": good})
        expect(code == 422 and js["error"]["field"] == "stage", "shipped order %s %s" % (code, js))
        expect(order(4)["version"] == v and parcels(4)["split_parcels"] == 0, "nothing changed")

    @case("ORD-10 split -> ship parcel 1 -> stock out exactly its lines -> cancel parcel 2 releases exactly its lines")
    def _():
        la, lb = st["l4"]
        a0, b0 = stock("MRG-A"), stock("MRG-B")
        v = order(4)["version"]
        good = [[{"line_no": la, "qty": 1}], [{"line_no": la, "qty": 1}, {"line_no": lb, "qty": 3}]]
        code, js, _ = req("POST", "/api/v1/orders/%d/split" % O[4], {"version": v, "parcels": good})
        expect(code == 201 and js["split_parcels"] == 2 and len(js["parcels"]) == 2, "%s %s" % (code, js))
        expect(js["parcels"][1]["lines"] == sorted(good[1], key=lambda l: l["line_no"]), str(js["parcels"][1]))
        expect(js["version"] == v + 1 and order(4)["timeline"][-1]["action"] == "split", "timeline")
        expect(stock("MRG-A") == a0 and stock("MRG-B") == b0, "split moves no stock")
        expect(order(4)["split_parcels"] == 2 and order(4)["merge_group"] is None, "detail split_parcels")
        code, js, _ = req("GET", "/api/v1/orders?store=%s&split=1" % STORE)
        expect(code == 200 and [it["id"] for it in js["items"]] == [O[4]] and js["items"][0]["split_parcels"] == 2,
               "split=1 %s %s" % (code, js.get("items")))
        # the order itself no longer prints: its parcels do
        code, js, _ = req("POST", "/api/v1/orders/%d/print" % O[4], None, token=wh)
        expect(code == 422 and js["error"]["field"] == "parcels", "order print %s %s" % (code, js))
        acts = {a["action"]: a for a in order(4)["actions"]}
        expect(not acts["print"]["allowed"] and "包裹" in acts["print"]["reason"] and acts["hold"]["allowed"],
               "the detail's actions send print..ship to the parcels: %s" % acts["print"])
        code, js, _ = req("POST", "/api/v1/orders/%d/parcels/2/pack" % O[4], {"weight_g": 1}, token=wh)
        expect("不能打包" in js["error"]["message"], "the parcel refusal names the action in Chinese: %s" % js)
        code, js, _ = req("POST", "/api/v1/orders/merge", {"ids": [O[4], O[5]]})
        expect(code == 422, "split orders do not merge %s" % code)
        code, js, _ = req("PATCH", "/api/v1/orders/%d" % O[4], {"version": order(4)["version"], "item_line": la, "qty": 5})
        expect(code == 422 and js["error"]["field"] == "parcels", "item edit %s %s" % (code, js))
        pact(4, 1, "print")
        code, js, _ = req("POST", "/api/v1/orders/%d/unsplit" % O[4], {})
        expect(code == 422 and js["error"]["field"] == "stage", "unsplit printed %s %s" % (code, js))
        pact(4, 1, "ship", {"courier": "顺丰速运", "tracking_no": "SFX1"}, want=422)  # not packed
        pact(4, 1, "pick")
        pact(4, 1, "verify", token=wh, want=403)
        pact(4, 1, "verify", token=boss)
        pact(4, 1, "pack", {}, want=422)  # weight needed
        pact(4, 1, "pack", {"weight_g": 300})
        pv = parcels(4)["parcels"][0]["version"]
        pact(4, 1, "ship", {"version": pv + 3, "courier": "顺丰速运", "tracking_no": "SFX1"}, want=409)
        js = pact(4, 1, "ship", {"version": pv, "courier": "顺丰速运", "tracking_no": "SFX1"})
        p1, p2 = js["parcels"]
        expect(p1["stage"] == "shipped" and p1["tracking_no"] == "SFX1" and p1["weight_g"] == 300, str(p1))
        expect(p2["stage"] == "audited" and js["stage"] == "audited", "order follows its slowest parcel: %s" % js["stage"])
        expect(stock("MRG-A") == (a0[0] - 1, a0[1] - 1), "A after parcel 1 %s from %s" % (stock("MRG-A"), a0))
        expect(stock("MRG-B") == b0, "B untouched %s" % (stock("MRG-B"),))
        pact(4, 1, "ship", {"courier": "顺丰速运", "tracking_no": "SFX1"}, want=422)  # twice
        # the whole order cannot be cancelled once a parcel left
        act(4, "cancel", {"reason": "x"}, token=boss, want=422)
        js = pact(4, 2, "cancel", {"reason": "缺货,买家同意只发一部分"}, token=lead)
        expect(js["parcels"][1]["stage"] == "cancelled", str(js["parcels"][1]))
        expect(js["stage"] == "shipped" and js["tracking_no"] == "SFX1", "order shipped with parcel 1: %s" % js)
        expect(stock("MRG-A") == (a0[0] - 1, a0[1] - 2), "A released %s from %s" % (stock("MRG-A"), a0))
        expect(stock("MRG-B") == (b0[0], b0[1] - 3), "B released %s from %s" % (stock("MRG-B"),  b0))
        actions = [e["action"] for e in order(4)["timeline"]]
        expect(actions[-2:] == ["parcel_cancel", "ship"], str(actions))
        code, js, _ = req("GET", "/api/v1/audit?entity=order&entity_id=%d" % O[4])
        expect(js["items"][0]["action"] == "parcel_cancel", str(js["items"][:1]))

    @case("ORD-10 split -> ship both parcels -> order shipped, stock out for every line; last parcel cancel refused")
    def _():
        o = order(5)
        la, lb = sorted(it["line_no"] for it in o["items"])
        a0, b0 = stock("MRG-A"), stock("MRG-B")
        code, js, _ = req("POST", "/api/v1/orders/%d/split" % O[5],
                          {"parcels": [[{"line_no": la, "qty": 1}], [{"line_no": lb, "qty": 1}]]}, token=wh)
        expect(code == 201, "%s %s" % (code, js))
        code, js, _ = req("POST", "/api/v1/orders/%d/unsplit" % O[5], {})
        expect(code == 200 and js["split_parcels"] == 0 and js["parcels"] == [], "unsplit %s %s" % (code, js))
        code, js, _ = req("POST", "/api/v1/orders/%d/split" % O[5],
                          {"parcels": [[{"line_no": la, "qty": 1}], [{"line_no": lb, "qty": 1}]]}, token=wh)
        expect(code == 201, "%s %s" % (code, js))
        pact(5, 3, "print", want=404)
        pact(5, 1, "fly", want=404)
        for no in (1, 2):
            pact(5, no, "print")
            pact(5, no, "pick")
            pact(5, no, "verify", token=boss)
            pact(5, no, "pack", {"weight_g": 200 * no})
        act(5, "hold", {"reason": "等买家确认"}, token=boss)
        pact(5, 1, "ship", {"courier": "圆通速递", "tracking_no": "YTP1"}, want=422)  # held order
        act(5, "release", token=boss)
        js = pact(5, 1, "ship", {"courier": "圆通速递", "tracking_no": "YTP1"})
        expect(js["stage"] == "packed", "partial: order still packed %s" % js["stage"])
        js = pact(5, 2, "ship", {"courier": "圆通速递", "tracking_no": "YTP2"})
        expect(js["stage"] == "shipped" and [p["tracking_no"] for p in js["parcels"]] == ["YTP1", "YTP2"], str(js))
        expect(stock("MRG-A") == (a0[0] - 1, a0[1] - 1) and stock("MRG-B") == (b0[0] - 1, b0[1] - 1),
               "stock %s %s from %s %s" % (stock("MRG-A"), stock("MRG-B"), a0, b0))
        # the order's own ship action does nothing more: it is shipped
        act(5, "ship", {"courier": "圆通速递", "tracking_no": "YTP1"}, want=422)
        act(5, "deliver", token=wh)

    @case("ORD-10 the last live parcel of an order with nothing shipped cannot be cancelled alone; the order can")
    def _():
        line = order(3)["items"][0]["line_no"]
        a0 = stock("MRG-A")
        code, js, _ = req("POST", "/api/v1/orders/%d/split" % O[3],
                          {"parcels": [[{"line_no": line, "qty": 1}], [{"line_no": line, "qty": 1}]]})
        expect(code == 201, "%s %s" % (code, js))
        pact(3, 1, "cancel", token=boss)
        expect(stock("MRG-A") == (a0[0], a0[1] - 1), "one released %s from %s" % (stock("MRG-A"), a0))
        code, js, _ = req("POST", "/api/v1/orders/%d/parcels/2/cancel" % O[3], {}, token=boss)
        expect(code == 422 and js["error"]["field"] == "parcel", "last parcel %s %s" % (code, js))
        act(3, "cancel", {"reason": "买家取消"}, token=boss)
        expect(order(3)["stage"] == "cancelled", order(3)["stage"])
        expect([p["stage"] for p in parcels(3)["parcels"]] == ["cancelled", "cancelled"], str(parcels(3)))
        expect(stock("MRG-A") == (a0[0], a0[1] - 2), "all released %s from %s" % (stock("MRG-A"), a0))

    @case("ORD-10 parcels: a one-unit order cannot split; readers only; unknown order 404")
    def _():
        o = order(6)
        code, js, _ = req("POST", "/api/v1/orders/%d/split" % O[6], {"parcels": [[{"line_no": o["items"][0]["line_no"], "qty": 1}]]})
        expect(code == 422, "a one-unit order cannot split %s" % code)
        code, js, _ = req("GET", "/api/v1/orders/%d/parcels" % O[6], token=tokens["designer"])
        expect(code == 403, "designer %s" % code)
        code, js, _ = req("GET", "/api/v1/orders/999999999/parcels")
        expect(code == 404, "no order %s" % code)

    @case("ORD-10 CLI: order merge/unmerge/split/unsplit/parcels, attributed to system or --user, refusals exit 1, usage 2")
    def _():
        ofile, ifile = write_files("2026-03-02 10:00:00", CLI_ORDERS)
        rc, out, err = run_cli(binary, db, "import", "taobao-orders", "--store", STORE, ofile, ifile)
        expect(rc == 0, "import %s %s" % (rc, err))
        code, js, _ = req("GET", "/api/v1/orders?store=%s&buyer=mrg_c1" % STORE)
        c1 = sorted(it["id"] for it in js["items"])
        code, js, _ = req("GET", "/api/v1/orders?store=%s&buyer=mrg_c3" % STORE)
        c3 = js["items"][0]["id"]
        expect(len(c1) == 2, "imported %s" % c1)

        def get(i):
            code, js, _ = req("GET", "/api/v1/orders/%d" % i)
            expect(code == 200, "get %d %s" % (i, code))
            return js["order"]

        def audit_top(i):
            code, js, _ = req("GET", "/api/v1/audit?entity=order&entity_id=%d" % i)
            return js["items"][0]

        def users_of(i, action):
            """(events, events with a user id) of the order's timeline rows of action."""
            return sql_query(db, "SELECT COUNT(*), COUNT(user_id) FROM order_events"
                                 " WHERE order_id = %d AND action = '%s'" % (i, action))[0]

        import json as json_
        rc, out, err = run_cli(binary, db, "order", "merge", str(c1[1]), str(c1[0]))
        expect(rc == 0, "merge %s %s" % (rc, err))
        js = json_.loads(out)
        expect(js["merge_group"] == c1[0] and sorted(o["id"] for o in js["orders"]) == c1, out)
        for i in c1:
            o = get(i)
            expect(o["merge_group"] == c1[0], "api %s" % o["merge_group"])
            ev = o["timeline"][-1]
            expect(ev["action"] == "merge" and ev["user"] == "system", str(ev))
            # the system is no user: no user id behind it, as dianpu ship import records it
            expect(users_of(i, "merge") == ("1", "0"), "merge events (all, with a user id) %s" % (users_of(i, "merge"),))
            a = audit_top(i)
            expect(a["action"] == "merge" and a["username"] == "system" and a["user_id"] is None, str(a))
        rc, out, err = run_cli(binary, db, "order", "merge", str(c1[0]), str(c1[1]))
        expect(rc == 1 and "错误" in err and "error:" in err, "merged twice %s %s" % (rc, err))
        rc, out, err = run_cli(binary, db, "order", "unmerge", "--user", "finance", str(c1[0]))
        expect(rc == 1 and "finance" in err, "finance %s %s" % (rc, err))
        rc, out, err = run_cli(binary, db, "order", "unmerge", "--user", "nobody_here", str(c1[0]))
        expect(rc == 1, "unknown user %s %s" % (rc, err))
        rc, out, err = run_cli(binary, db, "order", "unmerge", "--user", "cslead", str(c1[1]))
        expect(rc == 0 and sorted(o["id"] for o in json_.loads(out)["orders"]) == c1, "unmerge %s %s %s" % (rc, out, err))
        for i in c1:
            o = get(i)
            expect(o["merge_group"] is None and o["timeline"][-1]["user"] == "cslead", str(o["timeline"][-1]))
            a = audit_top(i)
            expect(a["action"] == "unmerge" and a["username"] == "cslead" and isinstance(a["user_id"], int), str(a))
            expect(users_of(i, "unmerge") == ("1", "1"), "unmerge events %s" % (users_of(i, "unmerge"),))
        rc, out, err = run_cli(binary, db, "order", "merge", str(c1[0]))
        expect(rc == 2, "one id %s" % rc)
        rc, out, err = run_cli(binary, db, "order", "merge", str(c1[0]), "12x")
        expect(rc == 2, "bad id %s" % rc)

        items = get(c3)["items"]
        la = [it["line_no"] for it in items if it["sku_code"] == "MRG-A"][0]
        lb = [it["line_no"] for it in items if it["sku_code"] == "MRG-B"][0]
        rc, out, err = run_cli(binary, db, "order", "split", str(c3))
        expect(rc == 2, "no --parcel %s" % rc)
        rc, out, err = run_cli(binary, db, "order", "parcels", str(c3), "--parcel", "1:1")
        expect(rc == 2, "--parcel on parcels %s" % rc)
        for bad in ("1:x", "1:1,", ":1", "1:0", "1"):
            rc, out, err = run_cli(binary, db, "order", "split", str(c3), "--parcel", bad, "--parcel", "%d:2" % lb)
            expect(rc == 1 and "--parcel" in err, "%s -> %s %s" % (bad, rc, err))
        rc, out, err = run_cli(binary, db, "order", "split", str(c3), "--parcel", "%d:1" % la, "--parcel", "%d:1" % lb)
        expect(rc == 1 and "error:" in err, "quantities %s %s" % (rc, err))
        expect(get(c3)["split_parcels"] == 0, "nothing split")
        rc, out, err = run_cli(binary, db, "order", "split", "--user", "warehouse", str(c3),
                               "--parcel", "%d:1,%d:1" % (la, lb), "--parcel", "%d:1" % lb)
        expect(rc == 0, "split %s %s" % (rc, err))
        js = json_.loads(out)
        expect(js["split_parcels"] == 2 and [p["lines"] for p in js["parcels"]] ==
               [sorted([{"line_no": la, "qty": 1}, {"line_no": lb, "qty": 1}], key=lambda l: l["line_no"]),
                [{"line_no": lb, "qty": 1}]], out)
        o = get(c3)
        expect(o["split_parcels"] == 2 and o["timeline"][-1]["action"] == "split" and o["timeline"][-1]["user"] == "warehouse",
               str(o["timeline"][-1]))
        rc, out, err = run_cli(binary, db, "order", "parcels", str(c3))
        expect(rc == 0 and json_.loads(out)["parcels"] == js["parcels"], "parcels %s %s" % (rc, err))
        rc, out, err = run_cli(binary, db, "order", "parcels", "999999999")
        expect(rc == 1, "no order %s" % rc)
        rc, out, err = run_cli(binary, db, "order", "unsplit", str(c3))
        expect(rc == 0 and json_.loads(out)["split_parcels"] == 0, "unsplit %s %s" % (rc, err))
        expect(audit_top(c3)["action"] == "unsplit" and audit_top(c3)["username"] == "system"
               and audit_top(c3)["user_id"] is None, str(audit_top(c3)))
        expect(users_of(c3, "unsplit") == ("1", "0") and users_of(c3, "split") == ("1", "1"),
               "unsplit by the system, split by warehouse: %s %s" % (users_of(c3, "unsplit"), users_of(c3, "split")))
        rc, out, err = run_cli(binary, db, "order", "fly", str(c3))
        expect(rc == 2, "unknown subcommand %s" % rc)
