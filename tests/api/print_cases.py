"""Printing (ORD-7) and scan-to-verify (ORD-8) API cases, used by run.py.

Orders come from the Taobao generator imported into a store of this file's own;
PDFs are checked with poppler (pdfinfo, pdftotext): pages, page size, the Chinese
text, the masked phone, the pick-path order. Shelf locations are written straight
into the inventory tables (migration 0002), the fixture the picking list reads."""
import csv
import http.client
import io
import json
import os
import re
import subprocess
import tempfile
import threading

STORE, OTHER = "prt", "prt2"
WAYBILL_PTS = {"100x180": (283.46, 510.24), "76x130": (215.43, 368.50)}
NOTE_PTS = {"a4": (595.28, 841.89), "241x140": (683.15, 396.85)}
SAFE = re.compile(r"^[A-Za-z0-9-]+$")


def post_raw(s, path, body, token):
    """POST JSON, answer (status, content type, raw bytes, parsed JSON or None)."""
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=300)
    h = {"Accept-Language": "zh-CN", "Content-Type": "application/json", "Authorization": "Bearer " + token}
    conn.request("POST", path, body=json.dumps(body).encode(), headers=h)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    ctype = r.getheader("Content-Type") or ""
    js = json.loads(data) if ctype.startswith("application/json") and data else None
    return r.status, ctype, data, js


def pdf_facts(data, tmp, layout=False):
    """(pages, [(w, h) of page 1], text) of a PDF."""
    path = os.path.join(tmp, "doc.pdf")
    with open(path, "wb") as f:
        f.write(data)
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    m = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    args = ["pdftotext"] + (["-layout"] if layout else []) + [path, "-"]
    text = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return pages, (float(m.group(1)), float(m.group(2))), text


def near(size, want):
    return abs(size[0] - want[0]) < 0.1 and abs(size[1] - want[1]) < 0.1


def squash(t):
    return re.sub(r"\s+", "", t)


def sql_run(db, statements):
    """Test fixture rows; every value here is the test's own, checked by SAFE."""
    if db.startswith("sqlite:"):
        import sqlite3
        con = sqlite3.connect(db[7:], timeout=30)
        try:
            for st in statements:
                con.execute(st)
            con.commit()
        finally:
            con.close()
        return
    subprocess.run(["psql", db, "-q", "-v", "ON_ERROR_STOP=1", "-c", "; ".join(statements)],
                   check=True, capture_output=True)


def sql_query(db, query):
    """Rows of a test's own read-only query, each a tuple of strings (ask for NULLs
    with IS NULL or COUNT(column) in the query: the engines print them differently)."""
    if db.startswith("sqlite:"):
        import sqlite3
        con = sqlite3.connect(db[7:], timeout=30)
        try:
            return [tuple(None if v is None else str(v) for v in r) for r in con.execute(query)]
        finally:
            con.close()
    p = subprocess.run(["psql", db, "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", query],
                       check=True, capture_output=True, text=True)
    return [tuple(line.split("\t")) for line in p.stdout.splitlines() if line]


def files(binary, tmp, name, n, seed):
    """A generated export whose SKU codes are renamed QH- -> PT- (ASCII in GBK too)."""
    o, i = os.path.join(tmp, name + "-o.csv"), os.path.join(tmp, name + "-i.csv")
    p = subprocess.run([binary, "gen", "taobao-orders", "--orders", str(n), "--seed", str(seed), o, i],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("gen failed: " + p.stderr)
    with open(i, "rb") as f:
        data = f.read()
    with open(i, "wb") as f:
        f.write(data.replace(b"QH-", b"PT-"))
    return o, i


def order_numbers(path):
    """订单编号 of an export, as the platform wraps them (="…", a tab, a quote) removed."""
    with open(path, "rb") as f:
        rows = list(csv.reader(io.StringIO(f.read().decode("gb18030"), newline="")))
    return {r[0].strip().strip("=").strip('"').lstrip("'").strip() for r in rows[1:] if r}


def add_tests(s, tokens, binary, db, engine, case, expect, run_cli, err_code):
    boss, wh = tokens["boss"], tokens["warehouse"]
    tmp = tempfile.mkdtemp(prefix="dianpu-print.")
    big, small = files(binary, tmp, "big", 4000, 21), files(binary, tmp, "small", 100, 22)
    # The goods are this file's own SKUs (PT-...), created with ample stock, so
    # audits reserve nothing the other suites count on.
    codes = set()
    for _, items in (big, small):
        with open(items, "rb") as f:
            codes |= {c.decode() for c in re.findall(rb"PT-[A-Z0-9-]+", f.read())}
    for c in sorted(codes):
        st, js, _ = s.req("POST", "/api/v1/skus", {"code": c, "title": "打印测试 " + c}, token=boss)
        if st != 201:
            raise RuntimeError("sku %s: %s %s" % (c, st, js))
        st, js, _ = s.req("POST", "/api/v1/stock/receive", {"sku": c, "qty": 100000}, token=boss)
        if st != 200:
            raise RuntimeError("receive %s: %s %s" % (c, st, js))
    for code, name in ((STORE, "青禾打印店"), (OTHER, "青禾二店")):
        rc, out, err = run_cli(binary, db, "store", "add", code, name, "--platform", "tmall")
        if rc != 0:
            raise RuntimeError("store add failed: " + err)
    # the small export goes to both stores: its order numbers exist twice
    for code, (o_, i_) in ((STORE, big), (STORE, small), (OTHER, small)):
        rc, out, err = run_cli(binary, db, "import", "taobao-orders", "--store", code, o_, i_)
        if rc != 0:
            raise RuntimeError("import failed: " + err)
    shared = order_numbers(small[0])

    def orders(stage, store=STORE, limit=5000):
        out, page = [], 1
        while len(out) < limit:
            st, js, _ = s.req("GET", "/api/v1/orders?store=%s&stage=%s&page_size=500&page=%d" % (store, stage, page),
                              token=boss)
            expect(st == 200, "list %s %s" % (st, js))
            out += js["items"]
            if len(js["items"]) < 500:
                break
            page += 1
        return out[:limit]

    def detail(oid, token=boss):
        st, js, _ = s.req("GET", "/api/v1/orders/%d" % oid, token=token)
        expect(st == 200, "order %s: %s" % (oid, st))
        return js["order"]

    pool = orders("audited")   # handed out to the cases, each takes its own

    def take(n=1, want=None):
        got = []
        for o in list(pool):
            if len(got) == n:
                break
            if want is None or want(detail(o["id"])):
                pool.remove(o)
                got.append(detail(o["id"]))
        expect(len(got) == n, "not enough audited orders for the case")
        return got

    def act(oid, action, body=None):
        st, js, _ = s.req("POST", "/api/v1/orders/%d/%s" % (oid, action), body, token=wh)
        expect(st == 200, "%s %s: %s %s" % (action, oid, st, js))

    def scan(code, session=None, token=wh):
        body = {"code": code}
        if session:
            body["session"] = session
        st, js, _ = s.req("POST", "/api/v1/verify/scan", body, token=token)
        return st, js

    def masked(phone):
        return phone[:-8] + "****" + phone[-4:] if len(phone) >= 11 else "****" + phone[-4:]

    # ------------------------------------------------------------ waybills

    @case("ORD-7 waybills 100x180: a page per order in the given order, Chinese receiver, address, order number")
    def _():
        os_ = take(3)
        st, ctype, data, js = post_raw(s, "/api/v1/print/waybills", {"ids": [o["id"] for o in os_]}, wh)
        expect(st == 200 and ctype == "application/pdf" and data[:5] == b"%PDF-", "%s %s %s" % (st, ctype, js))
        pages, size, text = pdf_facts(data, tmp)
        expect(pages == 3 and near(size, WAYBILL_PTS["100x180"]), "pages %d size %s" % (pages, size))
        page_texts = text.split("\f")
        for i, o in enumerate(os_):
            t = page_texts[i]
            expect(o["receiver_name"] in t, "receiver %s not on page %d" % (o["receiver_name"], i + 1))
            expect(squash(o["receiver_address"]) in squash(t), "address %s not on page %d: %s" % (o["receiver_address"], i + 1, t[:300]))
            expect(o["order_no"] in t, "order number on page %d" % (i + 1))
            expect(o["items"][0]["title"][:6] in t, "goods on the label")
            expect("青禾打印店" in t, "sender defaults to the store's name")

    @case("ORD-3: each printed order is waybill_printed with a print event by the printer")
    def _():
        o = take(1)[0]
        st, _, _, js = post_raw(s, "/api/v1/print/waybills", {"ids": [o["id"]]}, wh)
        expect(st == 200, "%s %s" % (st, js))
        d = detail(o["id"])
        ev = d["timeline"][-1]
        expect(d["stage"] == "waybill_printed" and d["version"] == o["version"] + 1, d["stage"])
        expect(ev["action"] == "print" and ev["user"] == "warehouse" and ev["to_stage"] == "waybill_printed" and ev["at"], str(ev))
        st, js, _ = s.req("GET", "/api/v1/audit?entity=order&entity_id=%d" % o["id"], token=boss)
        expect(st == 200 and js["items"][0]["action"] == "print", str(js)[:300])

    @case("ORD-7 waybills 76x130 with a given sender; reprint of printed orders allowed, stage kept, event again")
    def _():
        os_ = take(2)
        ids = [o["id"] for o in os_]
        body = {"ids": ids, "size": "76x130", "sender": {"name": "青禾仓库", "phone": "0571-88886666", "address": "浙江省杭州市余杭区仓前街道1号"}}
        st, _, data, js = post_raw(s, "/api/v1/print/waybills", body, wh)
        expect(st == 200, "%s %s" % (st, js))
        pages, size, text = pdf_facts(data, tmp)
        expect(pages == 2 and near(size, WAYBILL_PTS["76x130"]), "pages %d size %s" % (pages, size))
        expect("青禾仓库" in text and os_[0]["receiver_name"] in text and os_[0]["order_no"] in text, text[:300])
        st, _, data, js = post_raw(s, "/api/v1/print/waybills", {"ids": ids[::-1]}, boss)
        expect(st == 200, "reprint %s %s" % (st, js))
        pages, size, text = pdf_facts(data, tmp)
        first = text.split("\f")[0]
        expect(pages == 2 and os_[1]["order_no"] in first and near(size, WAYBILL_PTS["100x180"]), "reprint in the given order")
        d = detail(ids[0])
        prints = [e for e in d["timeline"] if e["action"] == "print"]
        expect(d["stage"] == "waybill_printed" and len(prints) == 2 and prints[1]["user"] == "boss", str(prints))

    @case("policy mask_phone_on_waybill: masked by default; off prints the full phone")
    def _():
        o = take(1, lambda d: len(d["receiver_phone"]) >= 11)[0]
        st, _, data, _ = post_raw(s, "/api/v1/print/waybills", {"ids": [o["id"]]}, wh)
        _, _, text = pdf_facts(data, tmp)
        phone = o["receiver_phone"]
        expect(phone not in text and masked(phone) in text, "masked %s in %s" % (masked(phone), text[:200]))
        st, js, _ = s.req("GET", "/api/v1/stores/%s/policy" % STORE, token=boss)
        v = js["version"]
        st, js, _ = s.req("PUT", "/api/v1/stores/%s/policy" % STORE,
                          {"version": v, "policy": {"orders": {"mask_phone_on_waybill": False}}}, token=boss)
        expect(st == 200, "policy %s %s" % (st, js))
        try:
            st, _, data, _ = post_raw(s, "/api/v1/print/waybills", {"ids": [o["id"]]}, wh)
            _, _, text = pdf_facts(data, tmp)
            expect(st == 200 and phone in text, "full phone when the policy says so")
            st, _, data, _ = post_raw(s, "/api/v1/print/delivery-notes", {"ids": [o["id"]]}, wh)
            _, _, text = pdf_facts(data, tmp)
            expect(st == 200 and phone in text, "delivery note follows the same policy")
        finally:
            s.req("PUT", "/api/v1/stores/%s/policy" % STORE,
                  {"version": v + 1, "policy": {"orders": {"mask_phone_on_waybill": True}}}, token=boss)

    @case("unprintable orders: 422 naming every one, nothing printed, no stage changed")
    def _():
        good = take(1)[0]
        pend = orders("pending_audit", limit=1)[0]
        gone = orders("cancelled", limit=1)[0]
        ids = [good["id"], pend["id"], gone["id"]]
        st, ctype, data, js = post_raw(s, "/api/v1/print/waybills", {"ids": ids}, wh)
        expect(st == 422 and ctype.startswith("application/json"), "%s %s" % (st, ctype))
        e = js["error"]
        expect(e["code"] == "unprocessable" and e["field"] == "ids" and "2 个订单" in e["message"], str(e))
        expect(sorted(x["id"] for x in e["orders"]) == sorted([pend["id"], gone["id"]]), str(e["orders"]))
        expect({x["stage"] for x in e["orders"]} == {"pending_audit", "cancelled"}, str(e["orders"]))
        expect(detail(good["id"])["stage"] == "audited", "the printable one was not printed either")
        pool.append(good)

    @case("a label that cannot be drawn (non-ASCII tracking number) fails the batch: no order marked")
    def _():
        os_ = take(2)
        bad = os_[1]["id"]
        sql_run(db, ["UPDATE orders SET tracking_no = '顺丰单号' WHERE id = %d" % bad])
        try:
            st, _, _, js = post_raw(s, "/api/v1/print/waybills", {"ids": [o["id"] for o in os_]}, wh)
            expect(st == 400 and js["error"]["field"] == "waybills[1].tracking_no", "%s %s" % (st, js))
            for o in os_:
                d = detail(o["id"])
                expect(d["stage"] == "audited" and d["version"] == o["version"], "%s: %s" % (o["id"], d["stage"]))
        finally:
            sql_run(db, ["UPDATE orders SET tracking_no = '' WHERE id = %d" % bad])
        pool.extend(os_)

    @case("print bad input: ids missing, empty, not integers, duplicated, over 1000; bad size; 404 for an unknown id")
    def _():
        o = pool[0]
        for body, field in [({}, "ids"), ({"ids": []}, "ids"), ({"ids": "1,2"}, "ids"), ({"ids": ["1"]}, "ids"),
                            ({"ids": [-3]}, "ids"), ({"ids": [o["id"], o["id"]]}, "ids"),
                            ({"ids": list(range(1, 1002))}, "ids"),
                            ({"ids": [o["id"]], "size": "A6"}, "size"),
                            ({"ids": [o["id"]], "sender": "x"}, "sender"),
                            ({"ids": [o["id"]], "sender": {"name": 5}}, "name")]:
            st, _, _, js = post_raw(s, "/api/v1/print/waybills", body, wh)
            expect(st == 422 and js["error"]["field"] == field, "%s -> %s %s" % (str(body)[:60], st, js))
        st, _, _, js = post_raw(s, "/api/v1/print/delivery-notes", {"ids": [o["id"]], "size": "b5"}, wh)
        expect(st == 422 and js["error"]["field"] == "size", "%s %s" % (st, js))
        st, _, _, js = post_raw(s, "/api/v1/print/picklists", {"ids": [o["id"], 987654321]}, wh)
        expect(st == 404 and "987654321" in js["error"]["message"], "%s %s" % (st, js))
        st, js, _ = s.req("POST", "/api/v1/print/waybills", token=wh, raw=b"{\"ids\":[1,")
        expect(st == 400, "malformed JSON %s" % st)

    # ------------------------------------------------------------ picking list

    @case("ORD-7 picking list: grouped by SKU, quantities summed, in shelf-location pick order, unlocated last")
    def _():
        # orders that share a SKU, so a line sums several orders
        chosen, seen = [], {}
        for o in list(pool)[:200]:
            d = detail(o["id"])
            codes = {it["sku_code"] for it in d["items"] if it["sku_code"]}
            if any(c in seen for c in codes) or len(chosen) < 4:
                chosen.append(d)
                for c in codes:
                    seen[c] = seen.get(c, 0) + 1
            if len(chosen) >= 8 and any(v > 1 for v in seen.values()):
                break
        expect(any(v > 1 for v in seen.values()), "a shared SKU among the orders")
        groups = {}
        for d in chosen:
            for it in d["items"]:
                key = (it["sku_code"], it["attrs"]) if it["sku_code"] else ("", it["title"], it["attrs"])
                groups[key] = groups.get(key, 0) + it["qty"]
        codes = sorted({k[0] for k in groups if k[0]}, reverse=True)
        expect(all(SAFE.match(c) for c in codes), "codes are plain")
        unlocated = codes[-1]
        located = codes[:-1]
        # pick_order follows the reversed codes; the location codes run the other way, so
        # a list sorted by code or by shelf name would come out wrong. The nearer of two
        # shelves counts.
        for k, c in enumerate(located):
            shelves = [("PT-%02d" % (90 - k), 100 + k), ("PT-X%02d" % k, 900 + k)]
            for code, order in shelves:
                st, js, _ = s.req("POST", "/api/v1/warehouses/main/locations", {"code": code, "pick_order": order}, token=wh)
                expect(st in (200, 201), "location %s: %s %s" % (code, st, js))
            st, js, _ = s.req("PUT", "/api/v1/skus/%s/locations" % c,
                              {"warehouse": "main", "locations": [x for x, _ in shelves[::-1]]}, token=wh)
            expect(st == 200, "sku locations %s: %s %s" % (c, st, js))
        st, _, data, js = post_raw(s, "/api/v1/print/picklists", {"ids": [d["id"] for d in chosen]}, tokens["cs_lead"])
        expect(st == 200, "%s %s" % (st, js))
        pages, size, text = pdf_facts(data, tmp, layout=True)
        expect(near(size, NOTE_PTS["a4"]), "A4 %s" % (size,))
        m = re.search(r"(\d+) 行 · 共 (\d+) 件", text)
        expect(m and int(m.group(1)) == len(groups) and int(m.group(2)) == sum(groups.values()),
               "lines/pieces %s vs %d/%d" % (m and m.groups(), len(groups), sum(groups.values())))
        expect("%d 个订单" % len(chosen) in text, "order count in the title")
        pos = [text.find(c) for c in located + [unlocated]]
        expect(all(p >= 0 for p in pos) and pos == sorted(pos), "pick path order: %s" % list(zip(located + [unlocated], pos)))
        for k, c in enumerate(located):
            line = [ln for ln in text.splitlines() if c in ln][0]
            expect("PT-%02d" % (90 - k) in line, "shelf of %s: %s" % (c, line))
        if any(not k[0] for k in groups):   # goods without a code come after every coded SKU
            expect(all(text.find(t[1][:6]) > pos[-1] for t in groups if not t[0]), "uncoded last")
        stages = {detail(d["id"])["stage"] for d in chosen}
        expect(stages == {"audited"}, "a picking list changes no stage: %s" % stages)

    # ------------------------------------------------------------ delivery notes

    @case("ORD-7 delivery notes a4 and 241x140: a note per order with its goods; PII export audited")
    def _():
        os_ = take(2)
        ids = [o["id"] for o in os_]
        st, js, _ = s.req("GET", "/api/v1/audit?entity=pii_export&limit=500", token=boss)
        before = len([i for i in js["items"] if i["entity_id"] == "delivery_notes"])
        for size in ("a4", "241x140"):
            st, _, data, js = post_raw(s, "/api/v1/print/delivery-notes", {"ids": ids, "size": size}, wh)
            expect(st == 200, "%s %s" % (st, js))
            pages, psize, text = pdf_facts(data, tmp)
            expect(pages >= 2 and near(psize, NOTE_PTS[size]), "%s: pages %d size %s" % (size, pages, psize))
            for o in os_:
                expect(o["order_no"] in text and o["receiver_name"] in text and "青禾打印店" in text, "note of %s" % o["order_no"])
                expect(o["items"][0]["sku_code"] in text or not o["items"][0]["sku_code"], "goods")
        st, js, _ = s.req("GET", "/api/v1/audit?entity=pii_export&limit=500", token=boss)
        rows = [i for i in js["items"] if i["entity_id"] == "delivery_notes"]
        expect(len(rows) == before + 2 and rows[0]["username"] == "warehouse" and rows[0]["after"]["orders"] == 2, str(rows[:1]))
        pool.extend(os_)  # still audited

    # ------------------------------------------------------------ roles, X-5

    @case("403 for every role but boss, cs_lead, warehouse on printing; but boss, warehouse on verifying")
    def _():
        rules = [("/api/v1/print/waybills", {"boss", "cs_lead", "warehouse"}),
                 ("/api/v1/print/picklists", {"boss", "cs_lead", "warehouse"}),
                 ("/api/v1/print/delivery-notes", {"boss", "cs_lead", "warehouse"}),
                 ("/api/v1/verify/scan", {"boss", "warehouse"}),
                 ("/api/v1/verify/1/reset", {"boss", "warehouse"})]
        for path, allowed in rules:
            for role, tok in tokens.items():
                st, js, _ = s.req("POST", path, {}, token=tok)
                if role in allowed:
                    expect(st not in (401, 403), "%s %s should pass: %s" % (role, path, st))
                else:
                    expect(st == 403 and err_code(js) == "forbidden", "%s %s: %s" % (role, path, st))
        st, js, _ = s.req("GET", "/api/v1/verify/1", token=tokens["cs_lead"])
        expect(st == 403, "cs_lead may not read scans: %s" % st)
        st, js, _ = s.req("POST", "/api/v1/print/waybills", {"ids": [1]})
        expect(st == 401, "anonymous %s" % st)

    limited = {}

    @case("X-5: a user limited to another store gets 404 for these orders and sessions")
    def _():
        st, js, _ = s.req("POST", "/api/v1/users", {"username": "wh.prt2", "password": "wh-prt2-pass", "role": "warehouse",
                                                     "stores": [OTHER]}, token=boss)
        expect(st == 201, "%s %s" % (st, js))
        limited["token"] = s.login("wh.prt2", "wh-prt2-pass")
        o = pool[0]
        for path in ("/api/v1/print/waybills", "/api/v1/print/picklists", "/api/v1/print/delivery-notes"):
            st, _, _, js = post_raw(s, path, {"ids": [o["id"]]}, limited["token"])
            expect(st == 404, "%s %s %s" % (path, st, js))
        expect(detail(o["id"])["stage"] == "audited", "nothing printed")

    # ------------------------------------------------------------ scan to verify

    def printed_and_picked(want=None):
        o = take(1, want)[0]
        st, _, _, js = post_raw(s, "/api/v1/print/waybills", {"ids": [o["id"]]}, wh)
        expect(st == 200, "print %s %s" % (st, js))
        act(o["id"], "pick")
        return detail(o["id"])

    def all_coded(d):
        return all(it["sku_code"] for it in d["items"]) and sum(it["qty"] for it in d["items"]) >= 2

    def pieces(d):
        out = []
        for it in d["items"]:
            out += [it["sku_code"]] * it["qty"]
        return out

    flow = {}

    @case("ORD-8 flow: print -> pick -> scan waybill -> wrong SKU blocks (still picked, pack 422) -> removed -> right SKUs -> verified -> pack")
    def _():
        d = printed_and_picked(all_coded)
        flow["order"] = d
        st, js = scan(d["order_no"] + "\r\n")
        expect(st == 200 and js["ok"] is True and js["outcome"] == "opened", "%s %s" % (st, js))
        sess = js["session"]
        flow["session"] = sid = sess["id"]
        expect(sess["order_id"] == d["id"] and sess["status"] == "open" and sess["expected_qty"] == len(pieces(d)), str(sess)[:300])
        expect(sorted(l["sku_code"] for l in js["remaining"]) == sorted({it["sku_code"] for it in d["items"]}), str(js["remaining"]))
        st, js = scan("NOPE-SKU-1", sid)
        expect(st == 200 and js["ok"] is False and js["outcome"] == "unknown" and js["session"]["blocked"] is True, str(js)[:300])
        expect("错货" in js["message"] and "NOPE-SKU-1" in js["message"] and js["message_en"], js["message"])
        expect(detail(d["id"])["stage"] == "picked", "still picked")
        st, js2, _ = s.req("POST", "/api/v1/orders/%d/pack" % d["id"], {"weight_g": 500}, token=wh)
        expect(st == 422, "pack refused while unverified: %s" % st)
        st, js = scan(d["items"][0]["sku_code"], sid)
        expect(js["ok"] is False and js["outcome"] == "refused_blocked" and js["session"]["scanned_qty"] == 0, str(js)[:300])
        st, js, _ = s.req("POST", "/api/v1/verify/%d/removed" % sid, token=wh)
        expect(st == 200 and js["ok"] and js["session"]["status"] == "open", "%s %s" % (st, js))
        todo = pieces(d)
        for k, code in enumerate(todo):
            noisy = code.lower() + "\n" if k == 0 else code   # caps lock and the scanner's Enter
            st, js = scan(noisy, sid)
            last = k == len(todo) - 1
            expect(st == 200 and js["ok"] is True and js["outcome"] == ("completed" if last else "counted"), "%s: %s" % (code, js))
            expect(js["line"]["sku_code"] == code and js["complete"] is last, str(js["line"]))
        expect(js["remaining"] == [] and "验货完成" in js["message"], js["message"])
        o = detail(d["id"])
        ev = o["timeline"][-1]
        expect(o["stage"] == "verified" and ev["action"] == "verify" and ev["user"] == "warehouse", str(ev))
        act(d["id"], "pack", {"weight_g": 640})
        expect(detail(d["id"])["stage"] == "packed", "packed")

    @case("ORD-8 the session's record: every scan with who and when; a finished session refuses scans")
    def _():
        sid = flow["session"]
        st, js, _ = s.req("GET", "/api/v1/verify/%d" % sid, token=boss)
        expect(st == 200 and js["session"]["status"] == "complete" and js["session"]["completed_at"], str(js)[:300])
        actions = [(x["action"], x["outcome"]) for x in reversed(js["scans"])]
        expect(actions[:4] == [("open", ""), ("scan", "unknown"), ("scan", "refused_blocked"), ("removed", "")], str(actions))
        expect(actions[-1] == ("scan", "completed") and all(x["user"] == "warehouse" and x["at"] for x in js["scans"]), str(actions))
        st, js = scan(flow["order"]["items"][0]["sku_code"], sid)
        expect(st == 200 and js["ok"] is False and js["outcome"] == "refused_closed" and not js["session"]["blocked"], str(js)[:200])
        st, js = scan(flow["order"]["order_no"])
        expect(st == 422 and js["error"]["field"] == "code", "waybill of a packed order: %s %s" % (st, js))

    @case("ORD-8 over-scan blocks; reset starts over; the waybill re-opens the same session")
    def _():
        d = printed_and_picked(all_coded)
        st, js = scan(d["order_no"])
        sid = js["session"]["id"]
        first = d["items"][0]
        for _ in range(first["qty"]):
            st, js = scan(first["sku_code"], sid)
            expect(js["ok"], str(js)[:200])
        st, js = scan(first["sku_code"], sid)
        expect(js["ok"] is False and js["outcome"] == "over" and js["session"]["block_reason"] == "over", str(js)[:300])
        expect("多扫了" in js["message"], js["message"])
        st, js = scan(d["order_no"])   # the packer picks the parcel up again
        expect(st == 200 and js["session"]["id"] == sid and js["session"]["blocked"] and "错货" in js["message"], str(js)[:300])
        st, js, _ = s.req("POST", "/api/v1/verify/%d/reset" % sid, token=wh)
        expect(st == 200 and js["session"]["scanned_qty"] == 0 and js["session"]["status"] == "open", str(js)[:300])
        st, js, _ = s.req("POST", "/api/v1/verify/%d/removed" % sid, token=wh)
        expect(st == 422, "removed with nothing wrong: %s" % st)
        expect(detail(d["id"])["stage"] == "picked", "still picked")

    @case("ORD-8 an item without a code is confirmed by eye; a coded one cannot be")
    def _():
        # audit refuses uncoded goods now (INV-1), so the line is blanked after picking
        d = printed_and_picked(lambda x: len(x["items"]) >= 2)
        sql_run(db, ["UPDATE order_items SET sku_code = '' WHERE order_id = %d AND line_no = %d"
                     % (d["id"], d["items"][0]["line_no"])])
        st, js = scan(d["order_no"])
        sess = js["session"]
        sid = sess["id"]
        coded = [l for l in sess["lines"] if l["coded"]]
        uncoded = [l for l in sess["lines"] if not l["coded"]]
        st, js, _ = s.req("POST", "/api/v1/verify/%d/confirm" % sid, {"idx": coded[0]["idx"]}, token=wh)
        expect(st == 422 and js["error"]["field"] == "idx", "%s %s" % (st, js))
        for l in coded:
            for _ in range(l["expected"]):
                st, js = scan(l["sku_code"], sid)
                expect(js["ok"], str(js)[:200])
        for k, l in enumerate(uncoded):
            st, js, _ = s.req("POST", "/api/v1/verify/%d/confirm" % sid, {"idx": l["idx"]}, token=wh)
            expect(st == 200 and js["ok"] and js["line"]["idx"] == l["idx"], "%s %s" % (st, js))
        expect(js["outcome"] == "completed" and detail(d["id"])["stage"] == "verified", str(js)[:200])

    @case("ORD-8 a waybill number two stores share opens the picked order's session")
    def _():
        d = printed_and_picked(lambda x: x["order_no"] in shared)
        st, js, _ = s.req("GET", "/api/v1/orders?store=%s&order_no=%s" % (OTHER, d["order_no"]), token=boss)
        expect(st == 200 and js["items"] and js["items"][0]["stage"] != "picked", "the twin in %s" % OTHER)
        st, js = scan(d["order_no"])
        expect(st == 200 and js["session"]["order_id"] == d["id"] and js["session"]["store"] == STORE, str(js)[:200])

    @case("ORD-8 an order changed during verification: the session is voided (409), the waybill opens a new one")
    def _():
        d = printed_and_picked(all_coded)
        st, js = scan(d["order_no"])
        sid = js["session"]["id"]
        st, js = scan(d["items"][0]["sku_code"], sid)
        expect(js["ok"], str(js)[:200])
        st, js, _ = s.req("PATCH", "/api/v1/orders/%d" % d["id"], {"version": d["version"], "receiver_name": "新收件人"},
                          token=tokens["cs_presale"])
        expect(st == 200 and js["order"]["stage"] == "picked", "%s %s" % (st, str(js)[:200]))
        st, js = scan(d["items"][0]["sku_code"], sid)
        expect(st == 409 and js["error"]["field"] == "session" and "重新扫描" in js["error"]["message"], "%s %s" % (st, js))
        st, js = scan(d["order_no"])
        expect(st == 200 and js["session"]["id"] != sid and js["session"]["scanned_qty"] == 0, str(js)[:200])
        st, js, _ = s.req("GET", "/api/v1/verify/%d" % sid, token=wh)
        expect(js["session"]["status"] == "void", js["session"]["status"])

    @case("ORD-8 20 scanners at once on one session: each piece counts once, the order is verified once")
    def _():
        d = printed_and_picked()
        st, js = scan(d["order_no"])
        sid, total = js["session"]["id"], js["session"]["expected_qty"]
        code = d["items"][0]["sku_code"]
        results = []

        def worker():
            results.append(scan(code, sid))
        threads = [threading.Thread(target=worker) for _ in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        counted = [js for st, js in results if st == 200 and js["ok"]]
        expect(all(st in (200, 409) for st, _ in results), str(sorted(st for st, _ in results)))
        st, js, _ = s.req("GET", "/api/v1/verify/%d" % sid, token=wh)
        line = [l for l in js["session"]["lines"] if l["sku_code"] == code][0]
        expect(line["scanned"] == line["expected"] == len(counted), "counted %d: %s" % (len(counted), line))
        if total == line["expected"]:
            o = detail(d["id"])
            expect(o["stage"] == "verified" and [e["action"] for e in o["timeline"]].count("verify") == 1, o["stage"])

    @case("ORD-8 scan edge cases: unknown waybill 404, unpicked order 422, empty code 422, another store's session 404")
    def _():
        st, js = scan("NO-SUCH-WAYBILL-42")
        expect(st == 404 and js["error"]["field"] == "code", "%s %s" % (st, js))
        st, js = scan(pool[0]["order_no"])
        expect(st == 422 and "已拣货" in js["error"]["message"], "%s %s" % (st, js))
        st, js = scan("  \r\n")
        expect(st == 422 and js["error"]["field"] == "code", "%s %s" % (st, js))
        st, js, _ = s.req("POST", "/api/v1/verify/scan", {"session": 1}, token=wh)
        expect(st == 422 and js["error"]["field"] == "code", "%s %s" % (st, js))
        st, js = scan("X", 99999999)
        expect(st == 404, "no such session %s" % st)
        sid = flow["session"]
        st, js, _ = s.req("GET", "/api/v1/verify/%d" % sid, token=limited["token"])
        expect(st == 404, "other store's session %s" % st)
        st, js = scan(flow["order"]["items"][0]["sku_code"], sid, token=limited["token"])
        expect(st == 404, "scan into another store's session %s" % st)
        st, js, _ = s.req("POST", "/api/v1/verify/%d/reset" % sid, token=limited["token"])
        expect(st == 404, "reset another store's session %s" % st)

    # ------------------------------------------------------------ a full batch

    @case("1,000 orders: one picking list and one 1,000-page waybill PDF; 1,001 refused")
    def _():
        pend = orders("pending_audit")
        for k in range(0, len(pend), 1000):
            st, js, _ = s.req("POST", "/api/v1/orders/batch/audit", {"ids": [o["id"] for o in pend[k:k + 1000]]}, token=boss)
            expect(st == 200, "batch audit %s" % st)
        ids = [o["id"] for o in orders("audited")]
        expect(len(ids) >= 1001, "only %d audited" % len(ids))
        st, _, _, js = post_raw(s, "/api/v1/print/waybills", {"ids": ids[:1001]}, wh)
        expect(st == 422 and js["error"]["field"] == "ids", "1001: %s %s" % (st, js))
        st, _, data, js = post_raw(s, "/api/v1/print/picklists", {"ids": ids[:1000]}, wh)
        expect(st == 200, "picklist %s %s" % (st, js))
        pages, _, text = pdf_facts(data, tmp)
        expect("1000 个订单" in text, "title")
        st, _, data, js = post_raw(s, "/api/v1/print/waybills", {"ids": ids[:1000]}, wh)
        expect(st == 200, "1000 waybills %s %s" % (st, js))
        pages, size, text = pdf_facts(data, tmp)
        expect(pages == 1000 and near(size, WAYBILL_PTS["100x180"]), "pages %d" % pages)
        st, js, _ = s.req("GET", "/api/v1/orders?store=%s&stage=audited&page_size=5" % STORE, token=boss)
        expect(js["total"] == len(ids) - 1000, "all 1000 moved to waybill_printed: %s left" % js["total"])

    @case("a server that printed and verified stops cleanly (exit 0; under ASan: no leak, no error)")
    def _():
        s2 = type(s)(binary, db, ["--login-max-fail-address", "1000"])
        try:
            st, js, _ = s2.req("GET", "/api/v1/orders?store=%s&stage=waybill_printed&page_size=20" % STORE, token=wh)
            ids = [o["id"] for o in js["items"]]
            expect(len(ids) == 20, "printed orders %d" % len(ids))
            for path, body in (("waybills", {"ids": ids[:10], "size": "76x130"}), ("picklists", {"ids": ids}),
                               ("delivery-notes", {"ids": ids[:5], "size": "241x140"})):
                st, _, _, js = post_raw(s2, "/api/v1/print/" + path, body, wh)
                expect(st == 200, "%s %s %s" % (path, st, js))
            d = detail(ids[-1])
            st, js, _ = s2.req("POST", "/api/v1/orders/%d/pick" % d["id"], token=wh)
            st, js, _ = s2.req("POST", "/api/v1/verify/scan", {"code": d["order_no"]}, token=wh)
            expect(st == 200, "open %s %s" % (st, js))
            sid = js["session"]["id"]
            for code in ("WRONG", d["items"][0]["sku_code"] or "X"):
                st, js, _ = s2.req("POST", "/api/v1/verify/scan", {"code": code, "session": sid}, token=wh)
                expect(st == 200, "scan %s" % st)
            st, js, _ = s2.req("POST", "/api/v1/verify/%d/reset" % sid, token=wh)
            st, js, _ = s2.req("GET", "/api/v1/verify/%d" % sid, token=wh)
            expect(st == 200, "get %s" % st)
        finally:
            rc = s2.stop()
        expect(rc == 0, "exit %s: %s" % (rc, "".join(l for l in s2.log if "Sanitizer" in l or "SUMMARY" in l)[:600]))
