"""Excel cases: the order list as .xlsx (boss and cs_presale, masking, text cells,
money), an import's rejected rows as .xlsx / .csv, the stock export as .xlsx, and
tracking numbers and a courier bill read from .xlsx uploads. Workbooks are read
with zipfile + xml.etree and made the same way. Used by run.py after shipping_cases."""
import calendar
import csv
import io
import http.client
import json
import os
import re
import subprocess
import tempfile
import time
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile

from orders_cases import multipart, BROKEN
from shipping_cases import shanghai_month

STORE = "xls"
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
EXPORT_COLS = ["订单编号", "店铺", "买家会员名", "收货人", "联系电话", "收货地址", "平台状态", "处理阶段",
               "商品", "数量", "实付金额", "快递公司", "运单号", "下单时间", "付款时间"]


def col_index(ref):
    n = 0
    for ch in re.match(r"[A-Z]+", ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1


def read_xlsx(data):
    """[(row number, {col: (kind, text, style)})] of the first sheet; kind 's' text, 'n' number."""
    z = zipfile.ZipFile(io.BytesIO(data))
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(NS + "si"):
            shared.append("".join(t.text or "" for t in si.iter(NS + "t")))
    rows = []
    for row in ET.fromstring(z.read("xl/worksheets/sheet1.xml")).iter(NS + "row"):
        cells = {}
        for c in row.iter(NS + "c"):
            t, v = c.get("t", "n"), c.find(NS + "v")
            if t == "s":
                cells[col_index(c.get("r"))] = ("s", shared[int(v.text)], c.get("s"))
            elif t == "inlineStr":
                cells[col_index(c.get("r"))] = ("s", "".join(x.text or "" for x in c.iter(NS + "t")), c.get("s"))
            elif v is not None:
                cells[col_index(c.get("r"))] = (t, v.text, c.get("s"))
        rows.append((int(row.get("r")), cells))
    return z, rows


def texts(cells, n):
    return [cells.get(i, ("s", "", None))[1] for i in range(n)]


def make_xlsx(rows):
    """A workbook the way Excel writes one: rows = [(row number, [cell])], a cell being None,
    a str (shared string) or ("n", "123") (a number) or ("i", "text") (an inline string)."""
    shared, index = [], {}
    sheet = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, cells in rows:
        sheet.append('<row r="%d">' % r)
        for i, c in enumerate(cells):
            ref = "%s%d" % (chr(65 + i), r)
            if c is None:
                continue
            if isinstance(c, str):
                if c not in index:
                    index[c] = len(shared)
                    shared.append(c)
                sheet.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, index[c]))
            elif c[0] == "n":
                sheet.append('<c r="%s"><v>%s</v></c>' % (ref, c[1]))
            else:
                sheet.append('<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, c[1]))
        sheet.append("</row>")
    sheet.append("</sheetData></worksheet>")
    esc = lambda s: s.replace("&", "&amp;").replace("<", "&lt;")
    sst = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d">' % len(shared)
           + "".join("<si><t>%s</t></si>" % esc(x) for x in shared) + "</sst>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("xl/workbook.xml",
                   '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                   '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                   '</Relationships>')
        z.writestr("xl/sharedStrings.xml", sst)
        z.writestr("xl/worksheets/sheet1.xml", "".join(sheet))
    return out.getvalue()


def add_tests(s, tokens, binary, db, engine, case, expect, run_cli, err_code):
    boss, wh, fin, pre = tokens["boss"], tokens["warehouse"], tokens["finance"], tokens["cs_presale"]
    tmp = tempfile.mkdtemp(prefix="dianpu-xlsx.")
    ofile, ifile = os.path.join(tmp, "o.csv"), os.path.join(tmp, "i.csv")
    p = subprocess.run([binary, "gen", "taobao-orders", "--orders", "40", "--seed", "31", ofile, ifile],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("gen failed: " + p.stderr)
    rc, out, err = run_cli(binary, db, "store", "add", STORE, "表格测试店", "--platform", "taobao")
    if rc != 0:
        raise RuntimeError("store add failed: " + err)
    with open(ifile, "rb") as f:
        rows = list(csv.reader(io.StringIO(f.read().decode("gb18030"), newline="")))
    col = rows[0].index("商家编码")
    for sku in sorted({r[col].strip() for r in rows[1:] if r[col].strip().startswith("QH-")}):
        code, js, _ = s.req("POST", "/api/v1/stock/receive", {"sku": sku, "qty": 50, "reason": "表格测试补货"}, token=wh)
        if code not in (200, 201) and not (code == 422 and "组合" in js["error"]["message"]):
            raise RuntimeError("receive %s: %s %s" % (sku, code, js))
    rc, out, err = run_cli(binary, db, "import", "taobao-orders", "--store", STORE, ofile, ifile)
    if rc != 0:
        raise RuntimeError("import failed: " + err)

    def raw_get(path, token):
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=60)
        conn.request("GET", path, headers={"Authorization": "Bearer " + token})
        r = conn.getresponse()
        body = r.read()
        conn.close()
        return r.status, r, body

    def upload(path, fields, files, token):
        body, ctype = multipart(fields, files)
        return s.req("POST", path, token=token, raw=body, headers={"Content-Type": ctype})

    def orders(query, token=boss):
        code, js, _ = s.req("GET", "/api/v1/orders?store=%s&page_size=500&%s" % (STORE, query), token=token)
        expect(code == 200, "list %s %s" % (code, js))
        return js["items"]

    def order(oid):
        code, js, _ = s.req("GET", "/api/v1/orders/%d" % oid, token=boss)
        expect(code == 200, "get %s" % code)
        return js["order"]

    XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    # ------------------------------------------------------------ order export

    @case("XLSX order export (boss): every filtered order, Chinese header, text numbers, money, Shanghai times")
    def _():
        code, r, body = raw_get("/api/v1/orders?store=%s&format=xlsx&page_size=5" % STORE, boss)
        expect(code == 200, "%s %s" % (code, body[:200]))
        expect(r.getheader("Content-Type") == XLSX_TYPE, r.getheader("Content-Type"))
        cd = r.getheader("Content-Disposition") or ""
        expect(cd.startswith("attachment;") and "filename*=UTF-8''" + urllib.parse.quote("订单导出.xlsx") in cd, cd)
        expect(r.getheader("Cache-Control") == "no-store", "no-store")
        z, rows = read_xlsx(body)
        js = orders("")
        expect(len(rows) == len(js) + 1 and len(js) == 40, "rows %d, list %d (page_size ignored)" % (len(rows), len(js)))
        expect(texts(rows[0][1], 15) == EXPORT_COLS, str(texts(rows[0][1], 15)))
        expect(rows[0][0] == 1 and rows[1][0] == 2, "row numbers")
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        expect('ySplit="1"' in sheet, "header frozen")
        styles = z.read("xl/styles.xml").decode()
        expect("¥#,##0.00" in styles, "money format")
        by_no = {o["order_no"]: o for o in js}
        for rn, cells in rows[1:]:
            no = cells[0]
            expect(no[0] == "s" and no[1] in by_no, "order number is a text cell: %r" % (no,))
            o = by_no[no[1]]
            t = texts(cells, 15)
            expect(t[1] == "表格测试店" and t[2] == o["buyer_nick"] and t[3] == o["receiver_name"], str(t[:4]))
            expect(t[4] == o["receiver_phone"] and cells.get(4, ("s",))[0] == "s", "phone text %r" % (cells.get(4),))
            expect(t[5] == o["receiver_address"] and t[7] == o["stage_label"] and t[8] == o["item_title"], str(t[5:9]))
            expect(cells[9][0] == "n" and int(cells[9][1]) == o["item_qty"], "qty %r" % (cells[9],))
            money = cells[10]
            expect(money[0] == "n" and round(float(money[1]) * 100) == o["paid_fen"] and money[2], "money %r %s" % (money, o["paid_fen"]))
            created = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(
                calendar.timegm(time.strptime(o["created_at"], "%Y-%m-%dT%H:%M:%SZ")) + 8 * 3600))
            expect(t[13] == created, "created %s vs %s" % (t[13], o["created_at"]))
        expect(all(len(texts(c, 1)[0]) >= 15 for _, c in rows[1:]), "long order numbers kept whole")

    @case("XLSX order export (cs_presale): phone and address masked exactly as the JSON list")
    def _():
        code, r, body = raw_get("/api/v1/orders?store=%s&format=xlsx" % STORE, pre)
        expect(code == 200, "%s %s" % (code, body[:200]))
        _, rows = read_xlsx(body)
        js = {o["order_no"]: o for o in orders("", pre)}
        full = {o["order_no"]: o for o in orders("")}
        expect(len(rows) == len(js) + 1, "rows")
        masked = 0
        for _, cells in rows[1:]:
            t = texts(cells, 15)
            o = js[t[0]]
            expect(t[4] == o["receiver_phone"] and t[5] == o["receiver_address"], "%s %s" % (t[4:6], o["receiver_phone"]))
            if t[4] != full[t[0]]["receiver_phone"]:
                masked += 1
                expect("*" in t[4], t[4])
        expect(masked >= 1, "phones masked: %d" % masked)

    @case("XLSX order export: filters apply, roles as the list, bad format 400")
    def _():
        code, r, body = raw_get("/api/v1/orders?store=%s&format=xlsx&stage=audited" % STORE, wh)
        expect(code == 200, "%s" % code)
        _, rows = read_xlsx(body)
        expect(len(rows) - 1 == len(orders("stage=audited")), "filtered rows %d" % (len(rows) - 1))
        code, r, body = raw_get("/api/v1/orders?store=%s&format=xlsx&order_no=nosuch" % STORE, boss)
        _, rows = read_xlsx(body)
        expect(code == 200 and len(rows) == 1, "header only %s %d" % (code, len(rows)))
        code, r, body = raw_get("/api/v1/orders?format=xlsx", tokens["designer"])
        expect(code == 403, "designer %s" % code)
        code, js, _ = s.req("GET", "/api/v1/orders?format=pdf", token=boss)
        expect(code == 400 and js["error"]["field"] == "format", "%s %s" % (code, js))
        code, js, _ = s.req("GET", "/api/v1/orders?format=json&store=%s&page_size=3" % STORE, token=boss)
        expect(code == 200 and len(js["items"]) == 3, "format=json is the list")

    # ------------------------------------------------------------ tracking import from .xlsx

    audited = orders("stage=audited")
    if len(audited) < 6:
        raise RuntimeError("too few audited orders: %d" % len(audited))
    P = []
    for o, w in zip(audited[:5], [600, 700, 800, 900, 1000]):
        for a, b in [("print", None), ("pick", None), ("verify", None), ("pack", {"weight_g": w})]:
            code, js, _ = s.req("POST", "/api/v1/orders/%d/%s" % (o["id"], a), b, token=boss if a == "verify" else wh)
            if code != 200:
                raise RuntimeError("%s %s: %s %s" % (o["order_no"], a, code, js))
        P.append(js["order"])

    @case("XLSX tracking upload: rows ship, a broken row is reported by its sheet row number")
    def _():
        book = make_xlsx([
            (1, ["订单编号", "物流公司", "物流单号"]),
            (2, [("i", P[0]["order_no"]), "圆通", "YT8800000001"]),
            (3, [P[1]["order_no"], "中通", ("n", "75880000000002")]),    # a number cell: digits kept
            (5, [P[2]["order_no"], "中通", None]),                        # row 5: number missing
            (6, [None, None, None]),                                       # empty: skipped
            (8, [("n", "2.0260711000123E+18"), "圆通", "YT8800000009"]),  # Excel lost the digits
            (9, [P[3]["order_no"], "韵达快递", "yd8800000004"]),
        ])
        code, js, _ = upload("/api/v1/shipping/tracking", {"store": STORE}, {"file": ("单号.xlsx", book)}, wh)
        expect(code == 200, "%s %s" % (code, js))
        expect((js["rows"], js["shipped"], js["rejected"]) == (5, 3, 2), str(js)[:400])
        lines = {e["line"]: e for e in js["errors"]}
        expect(sorted(lines) == [5, 8], "row numbers %s" % sorted(lines))
        expect(lines[5]["column"] == "物流单号" and "缺少" in lines[5]["reason"], str(lines[5]))
        expect(lines[8]["column"] == "订单编号" and "科学计数法" in lines[8]["reason"], str(lines[8]))
        a, b, d = order(P[0]["id"]), order(P[1]["id"]), order(P[3]["id"])
        expect(a["stage"] == "shipped" and a["tracking_no"] == "YT8800000001" and a["courier"] == "圆通速递", str(a)[:200])
        expect(b["stage"] == "shipped" and b["tracking_no"] == "75880000000002", str(b)[:200])
        expect(d["tracking_no"] == "YD8800000004", d["tracking_no"])
        expect(order(P[2]["id"])["stage"] == "packed", "broken row untouched")
        code, js, _ = upload("/api/v1/shipping/tracking", {"store": STORE}, {"file": ("单号.xlsx", book)}, wh)
        expect(code == 200 and (js["shipped"], js["unchanged"], js["rejected"]) == (0, 3, 2), "re-run: %s" % js)

    @case("XLSX tracking: CLI import of a workbook; damaged workbook and missing column refused")
    def _():
        book = make_xlsx([(1, ["订单号", "快递公司", "运单号"]), (4, [P[2]["order_no"], "中通", "ZT8800000003"])])
        path = os.path.join(tmp, "t.xlsx")
        with open(path, "wb") as f:
            f.write(book)
        rc, out, err = run_cli(binary, db, "ship", "import", "--store", STORE, path)
        expect(rc == 0, err)
        r = json.loads(out)
        expect((r["rows"], r["shipped"]) == (1, 1), out[:300])
        expect(order(P[2]["id"])["tracking_no"] == "ZT8800000003", "shipped by CLI")
        code, js, _ = upload("/api/v1/shipping/tracking", {"store": STORE}, {"file": ("x.xlsx", book[:len(book) // 2])}, wh)
        expect(code == 400 and js["error"]["message"], "damaged %s %s" % (code, js))
        code, js, _ = upload("/api/v1/shipping/tracking", {"store": STORE},
                             {"file": ("x.xlsx", make_xlsx([(1, ["订单编号", "物流公司"]), (2, ["1", "圆通"])]))}, wh)
        expect(code == 422 and "物流单号" in js["error"]["message"], "%s %s" % (code, js))

    # ------------------------------------------------------------ courier bill from .xlsx

    @case("XLSX courier bill: read like the CSV, rejected rows by sheet row number")
    def _():
        book = make_xlsx([
            (1, ["运单号", "重量(kg)", "运费"]),
            (2, ["YT8800000001", ("n", "0.6"), ("n", "8")]),
            (4, ["YT8800000077", "abc", ("n", "8.5")]),       # row 4: bad weight
            (5, ["YT8800000078", ("n", "0.3"), ("n", "7.5")]),
        ])
        code, js, _ = upload("/api/v1/recon/courier-bills", {"courier": "圆通", "period": shanghai_month(5)},
                             {"file": ("账单.xlsx", book)}, fin)
        expect(code == 201, "%s %s" % (code, js))
        b = js["bill"]
        expect((b["rows"], b["lines"], b["rejected"], b["matched"]) == (3, 2, 1, 1), str(b)[:300])
        expect(b["errors"][0]["line"] == 4 and b["errors"][0]["column"] == "重量(kg)", str(b["errors"]))
        expect(b["fee_total_fen"] == 1550, str(b["fee_total_fen"]))

    # ------------------------------------------------------------ rejected rows of an import

    body, ctype = multipart({"store": STORE}, {"orders": ("broken.csv", BROKEN.encode("utf-8"))})
    code, js, _ = s.req("POST", "/api/v1/imports", token=wh, raw=body, headers={"Content-Type": ctype})
    if code != 202:
        raise RuntimeError("import: %s %s" % (code, js))
    iid = js["import_id"]
    for _ in range(300):
        code, job, _ = s.req("GET", "/api/v1/imports/%d" % iid, token=wh)
        if job["status"] != "running":
            break
        time.sleep(0.1)

    @case("import rejects as .xlsx and .csv: 行号, 列, 原因 of each rejected row")
    def _():
        expect(job["status"] == "done" and job["rejected"] >= 3, str(job)[:300])
        want = [(e["line"], e["column"], e["reason"]) for e in job["errors"]]
        code, r, data = raw_get("/api/v1/imports/%d/rejects?format=xlsx" % iid, wh)
        expect(code == 200 and r.getheader("Content-Type") == XLSX_TYPE, "%s %s" % (code, data[:200]))
        expect("filename*=UTF-8''" in (r.getheader("Content-Disposition") or ""), r.getheader("Content-Disposition"))
        _, rows = read_xlsx(data)
        expect(texts(rows[0][1], 3) == ["行号", "列", "原因"], str(rows[0]))
        got = [(int(c[0][1]), texts(c, 3)[1], texts(c, 3)[2]) for _, c in rows[1:]]
        expect(got == want, "%s vs %s" % (got, want))
        code, r, data = raw_get("/api/v1/imports/%d/rejects?format=csv" % iid, wh)
        expect(code == 200 and "text/csv" in r.getheader("Content-Type") and data.startswith(b"\xef\xbb\xbf"), str(code))
        lines = list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))
        expect(lines[0][:3] == ["行号", "列", "原因"] and [(int(l[0]), l[1], l[2]) for l in lines[1:]] == want, str(lines))
        code, js, _ = s.req("GET", "/api/v1/imports/%d/rejects?format=ods" % iid, token=wh)
        expect(code == 400, "bad format %s" % code)
        code, js, _ = s.req("GET", "/api/v1/imports/999999/rejects", token=wh)
        expect(code == 404, "missing %s" % code)
        code, js, _ = s.req("GET", "/api/v1/imports/%d/rejects" % iid, token=pre)
        expect(code == 403, "cs_presale %s" % code)

    # ------------------------------------------------------------ stock export

    @case("stock export: CSV unchanged by default, format=xlsx gives the same rows as a workbook")
    def _():
        code, r, csv_body = raw_get("/api/v1/stock/export", wh)
        expect(code == 200 and "text/csv" in r.getheader("Content-Type"), str(code))
        lines = [l for l in csv_body[3:].decode("utf-8").split("\r\n") if l]
        expect(lines[0] == "商家编码,标题,可用库存", lines[0])
        code, r, data = raw_get("/api/v1/stock/export?format=xlsx", wh)
        expect(code == 200 and r.getheader("Content-Type") == XLSX_TYPE, "%s %s" % (code, data[:200]))
        _, rows = read_xlsx(data)
        expect(texts(rows[0][1], 3) == ["商家编码", "标题", "可用库存"], str(rows[0]))
        expect(len(rows) == len(lines), "rows %d vs csv %d" % (len(rows), len(lines)))
        parsed = list(csv.reader(io.StringIO("\r\n".join(lines[1:]), newline="")))
        for (rn, c), l in zip(rows[1:], parsed):
            expect(c[0][0] == "s" and c[2][0] == "n" and c[0][1] == l[0].lstrip("'") and int(c[2][1]) == int(l[2]), "%r %r" % (c, l))
        code, js, _ = s.req("GET", "/api/v1/stock/export?format=pdf", token=wh)
        expect(code == 400 and js["error"]["field"] == "format", str(js))
