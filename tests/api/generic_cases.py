"""Generic order template cases (ORD-2, docs/import-generic.md): the template from
`dianpu gen generic-template` (CSV and XLSX) imported by the CLI and by upload
(format=generic), re-import idempotence, shuffled lines grouped by 订单编号, broken
rows with their physical line / sheet row, a missing required column named, orders
whose rows disagree rejected whole, a later file updating status and tracking number
(audited), English headers. Used by run.py."""
import csv
import http.client
import io
import json
import os
import random
import signal
import subprocess
import tempfile
import time

from kill_cases import query
from orders_cases import multipart
from xlsx_cases import make_xlsx

STORE = "gen"
COLS = ["订单编号", "店铺订单状态", "买家昵称", "收货人", "联系电话", "收货地址", "下单时间", "付款时间",
        "商品标题", "商家编码", "单价", "数量", "运费", "实付金额", "买家留言", "卖家备注", "快递公司", "运单号"]
ENGLISH = ["order_no", "status", "buyer", "receiver_name", "receiver_phone", "receiver_address",
           "created_at", "paid_at", "title", "sku_code", "price", "qty", "postage", "paid",
           "buyer_message", "seller_memo", "courier", "tracking_no"]


def row(order_no, **kw):
    """One template row with sensible defaults; keyword names are the English aliases."""
    d = {"order_no": order_no, "status": "买家已付款，等待卖家发货", "buyer": "buyer_" + order_no[-3:],
         "receiver_name": "张三", "receiver_phone": "13812345678",
         "receiver_address": "浙江省 杭州市 西湖区 文三路90号", "created_at": "2026-11-11 10:00:00",
         "paid_at": "2026-11-11 10:01:00", "title": "纯棉T恤", "sku_code": "GEN-TS", "price": "59.00",
         "qty": "1", "postage": "", "paid": "", "buyer_message": "", "seller_memo": "", "courier": "",
         "tracking_no": ""}
    d.update(kw)
    return [d[k] for k in ENGLISH]


def csv_bytes(rows, header=COLS, bom=True):
    out = io.StringIO(newline="")
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(header)
    for r in rows:
        w.writerow(r)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


def add_tests(s, tokens, binary, db, engine, case, expect, run_cli, err_code):
    boss, wh = tokens["boss"], tokens["warehouse"]
    tmp = tempfile.mkdtemp(prefix="dianpu-generic.")
    rc, out, err = run_cli(binary, db, "store", "add", STORE, "通用模板测试店", "--platform", "jd")
    if rc != 0:
        raise RuntimeError("store add failed: " + err)

    def path(name, data):
        p = os.path.join(tmp, name)
        with open(p, "wb") as f:
            f.write(data)
        return p

    def imp(p):
        rc, out, err = run_cli(binary, db, "import", "generic-orders", "--store", STORE, p)
        expect(rc == 0, "import rc %d: %s" % (rc, err))
        return json.loads(out)

    def order(no):
        st, js, _ = s.req("GET", "/api/v1/orders?store=%s&order_no=%s" % (STORE, no), token=boss)
        expect(st == 200 and js["total"] == 1, "order %s: %s %s" % (no, st, str(js)[:200]))
        st, js, _ = s.req("GET", "/api/v1/orders/%d" % js["items"][0]["id"], token=boss)
        expect(st == 200, "detail %s" % st)
        return js["order"]

    def count(no):
        st, js, _ = s.req("GET", "/api/v1/orders?store=%s&order_no=%s" % (STORE, no), token=boss)
        return js["total"]

    def upload(fields, files, token=wh):
        body, ctype = multipart(fields, files)
        return s.req("POST", "/api/v1/imports", token=token, raw=body, headers={"Content-Type": ctype})

    def wait(iid):
        for _ in range(300):
            st, job, _ = s.req("GET", "/api/v1/imports/%d" % iid, token=wh)
            if job["status"] != "running":
                return job
            time.sleep(0.1)
        raise AssertionError("import %d still running" % iid)

    tcsv, txlsx = os.path.join(tmp, "template.csv"), os.path.join(tmp, "template.xlsx")

    @case("gen generic-template writes the header and two example rows, CSV (BOM) and XLSX")
    def _():
        for p in (tcsv, txlsx):
            r = subprocess.run([binary, "gen", "generic-template", p], capture_output=True, text=True)
            expect(r.returncode == 0, r.stderr)
        raw = open(tcsv, "rb").read()
        expect(raw.startswith(b"\xef\xbb\xbf"), "BOM")
        rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
        expect(rows[0] == COLS and len(rows) == 3, str(rows[0]))
        expect(open(txlsx, "rb").read(2) == b"PK", "xlsx is a zip")
        r = subprocess.run([binary, "gen", "generic-template"], capture_output=True, text=True)
        expect(r.returncode == 2, "usage rc %d" % r.returncode)

    @case("import generic-orders: the template CSV is one order of two lines")
    def _():
        r = imp(tcsv)
        expect(r["rows"] == 2 and r["inserted"] == 1 and r["rejected"] == 0, str(r))
        o = order("GEN20261111001")
        expect(len(o["items"]) == 2 and o["paid_fen"] == 15350 and o["goods_fen"] == 15350, str(o)[:300])
        expect([i["sku_code"] for i in o["items"]] == ["TS-WHT-L", "BAG-01"], str(o["items"]))
        expect(o["items"][0]["price_fen"] == 5900 and o["items"][0]["qty"] == 2, str(o["items"][0]))
        expect(o["platform_status"] == "买家已付款，等待卖家发货" and o["province"] == "浙江省", str(o)[:300])
        expect(o["created_at"] == "2026-11-11T02:00:00Z", o["created_at"])

    @case("the same template as XLSX changes nothing (inserted 0, updated 0)")
    def _():
        r = imp(txlsx)
        expect(r["inserted"] == 0 and r["updated"] == 0 and r["unchanged"] == 1, str(r))

    def get_bytes(path, token):
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
        conn.request("GET", path, headers={"Authorization": "Bearer " + token})
        r = conn.getresponse()
        data = r.read()
        conn.close()
        return r.status, r, data

    @case("GET /imports/template gives the same template as the CLI (CSV and XLSX), to importers only")
    def _():
        st, r, data = get_bytes("/api/v1/imports/template?format=csv", wh)
        expect(st == 200 and r.getheader("Content-Type").startswith("text/csv"), str(st))
        expect("filename*=UTF-8''" in r.getheader("Content-Disposition"), r.getheader("Content-Disposition"))
        expect(data == open(tcsv, "rb").read(), "same bytes as dianpu gen generic-template")
        st, r, data = get_bytes("/api/v1/imports/template", wh)
        expect(st == 200 and "spreadsheetml" in r.getheader("Content-Type") and data[:4] == b"PK\x03\x04", str(st))
        st, js, _ = s.req("GET", "/api/v1/imports/template?format=pdf", token=wh)
        expect(st == 400 and js["error"]["field"] == "format", str(js))
        st, js, _ = s.req("GET", "/api/v1/imports/template", token=tokens["cs_presale"])
        expect(st == 403, "cs_presale %s" % st)

    n_orders = 60
    rnd = random.Random(11)
    big = []
    for k in range(n_orders):
        no = "GB2026%06d" % k
        for line in range(1 + k % 3):
            big.append(row(no, title="商品%d-%d" % (k, line), sku_code="SKU-%d" % line,
                           price="%d.%02d" % (10 + line, k % 100), qty=str(1 + line),
                           buyer_message="留言,含逗号\n和换行" if k % 7 == 0 else ""))
    rnd.shuffle(big)  # an order's lines need not be together
    bigfile = path("big.csv", csv_bytes(big))

    @case("shuffled lines are grouped by 订单编号; a re-import is idempotent")
    def _():
        r = imp(bigfile)
        expect(r["rows"] == len(big) and r["inserted"] == n_orders and r["rejected"] == 0, str(r)[:300])
        o = order("GB2026000005")
        expect(len(o["items"]) == 3 and [i["title"] for i in o["items"]] ==
               sorted(i["title"] for i in o["items"]) and o["item_qty"] == 6, str(o["items"]))
        expect(o["paid_fen"] == sum(i["price_fen"] * i["qty"] for i in o["items"]), "paid = sum of lines")
        o = order("GB2026000007")
        expect(o["buyer_message"] == "留言,含逗号\n和换行", repr(o["buyer_message"]))
        r = imp(bigfile)
        expect(r["inserted"] == 0 and r["updated"] == 0 and r["unchanged"] == n_orders, str(r)[:300])

    broken = [
        row("BR0001"),                                                        # line 2: good
        row("BR0002", price="12.345"),                                        # 3: price
        row("BR0003", buyer_message="多行\n留言"),                              # 4-5: good
        row("BR0004", qty="0"),                                               # 6: qty
        row("", title="无编号"),                                                # 7: no order no
        row("BR0006", status="已经发货啦"),                                       # 8: status
        row("BR0007", receiver_address="上海市 浦东新区 世纪大道1号"),               # 9: disagrees with 10
        row("BR0007", title="第二件"),                                           # 10
        row("BR0008", created_at="2026-13-01 00:00:00"),                      # 11: time
        row("BR0009", title="好的一行"),                                          # 12: held back by 13
        row("BR0009", title="坏的一行", price="abc"),                              # 13: price
        row("BR0010", buyer="", title="", sku_code=""),                       # 14: no title, no sku
        row("BR0011", buyer=""),                                              # 15: no buyer
    ]
    brokenfile = path("broken.csv", csv_bytes(broken))

    @case("broken rows: physical line, column and reason; good orders kept; held-back orders named")
    def _():
        r = imp(brokenfile)
        lines = {}
        for e in r["errors"]:
            lines.setdefault(e["line"], e)
        expect(r["rows"] == 13 and r["inserted"] == 2, str({k: r[k] for k in r if k != "errors"}))
        expect(sorted(lines) == [3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], "lines %s" % sorted(lines))
        expect(r["rejected"] == 11, "rejected %d" % r["rejected"])
        want = {3: ("单价", "两位小数"), 6: ("数量", "整数"), 7: ("订单编号", "订单编号为空"),
                8: ("店铺订单状态", "无法识别"), 9: ("收货地址", "第 9 行与第 10 行"),
                10: ("收货地址", "不一致"), 11: ("下单时间", "下单时间"), 12: ("订单编号", "第 13 行有错误"),
                13: ("单价", "abc"), 14: ("商品标题", "至少填写一项"), 15: ("买家昵称", "买家昵称为空")}
        for ln, (col, reason) in want.items():
            e = lines[ln]
            expect(e["column"] == col and reason in e["reason"] and e["file"] == "generic",
                   "line %d: %s" % (ln, e))
        expect(count("BR0001") == 1 and count("BR0003") == 1, "good orders kept")
        expect(all(count(n) == 0 for n in ("BR0002", "BR0007", "BR0009", "BR0011")), "bad orders absent")
        o = order("BR0003")
        expect(o["buyer_message"] == "多行\n留言", repr(o["buyer_message"]))
        r = imp(brokenfile)
        expect(r["inserted"] == 0 and r["unchanged"] == 2 and r["rejected"] == 11, str(r)[:300])

    @case("a missing required column is named and nothing is imported")
    def _():
        p = path("nocol.csv", csv_bytes([["X1", "t"]], header=["订单编号", "商品标题"]))
        rc, out, err = run_cli(binary, db, "import", "generic-orders", "--store", STORE, p)
        expect(rc == 1 and all(c in err for c in ("买家昵称", "收货人", "收货地址")), err)
        expect(count("X1") == 0, "nothing imported")

    @case("English headers, any column order, extra columns ignored")
    def _():
        header = ["note"] + list(reversed(ENGLISH))
        rows = [["ignored"] + list(reversed(row("EN0001", title="English", price="9.90", qty="3")))]
        r = imp(path("english.csv", csv_bytes(rows, header=header, bom=False)))
        expect(r["inserted"] == 1 and r["rejected"] == 0, str(r))
        o = order("EN0001")
        expect(o["items"][0]["price_fen"] == 990 and o["paid_fen"] == 2970, str(o["items"]))

    @case("a later file with a new status and tracking number updates the order, audited")
    def _():
        o = order("BR0001")
        later = [row("BR0001", status="卖家已发货，等待买家确认", courier="圆通速递", tracking_no="YT7000000000001")]
        r = imp(path("later.csv", csv_bytes(later)))
        expect(r["updated"] == 1 and r["inserted"] == 0, str(r))
        o2 = order("BR0001")
        expect(o2["platform_status"] == "卖家已发货，等待买家确认" and o2["tracking_no"] == "YT7000000000001"
               and o2["courier"] == "圆通速递" and o2["version"] == o["version"] + 1, str(o2)[:300])
        st, js, _ = s.req("GET", "/api/v1/audit?entity=order&entity_id=%d" % o["id"], token=boss)
        a = js["items"][0]
        expect(a["action"] == "import_update" and a["after"]["tracking_no"] == "YT7000000000001"
               and a["before"]["tracking_no"] == "", str(a))
        st, js, _ = s.req("GET", "/api/v1/orders?store=%s&tracking=YT7000000000001" % STORE, token=boss)
        expect(js["total"] == 1, "tracking filter")
        r = imp(path("later.csv", csv_bytes(later)))
        expect(r["updated"] == 0 and r["unchanged"] == 1, str(r))

    @case("XLSX: rows reported by the sheet's row number; number cells; merged order cells")
    def _():
        data = make_xlsx([
            (1, COLS),
            (2, row("XL0001", price=("n", "19.9"), qty=("n", "2"), receiver_phone=("n", "13812345678"))),
            (5, row("XL0002", price="-1")),
            (6, row("XL0003")),
            (7, row("XL0003", receiver_name="", buyer="", receiver_address="", title="合并单元格")),
        ])
        r = imp(path("sheet.xlsx", data))
        expect(r["rows"] == 4 and r["inserted"] == 2 and r["rejected"] == 1, str(r))
        expect(r["errors"][0]["line"] == 5 and r["errors"][0]["column"] == "单价", str(r["errors"]))
        o = order("XL0001")
        expect(o["items"][0]["price_fen"] == 1990 and o["paid_fen"] == 3980 and o["receiver_phone"] == "13812345678",
               str(o)[:300])
        expect(len(order("XL0003")["items"]) == 2, "merged cells: second line kept")

    @case("upload with format=generic: CSV and XLSX, progress to 100, rejects as CSV name the template")
    def _():
        st, js, _ = upload({"store": STORE, "format": "generic"}, {"file": ("orders.csv", csv_bytes(broken))})
        expect(st == 202, "%s %s" % (st, js))
        job = wait(js["import_id"])
        # BR0001 was updated by the later file since, so this older one updates it back
        expect(job["status"] == "done" and job["kind"] == "generic-orders" and job["rejected"] == 11
               and job["inserted"] == 0 and job["updated"] + job["unchanged"] == 2 and job["percent"] == 100,
               str(job)[:300])
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=60)
        conn.request("GET", "/api/v1/imports/%d/rejects?format=csv" % job["id"],
                     headers={"Authorization": "Bearer " + wh})
        resp = conn.getresponse()
        raw = resp.read().decode("utf-8")
        conn.close()
        expect(resp.status == 200 and "通用订单模板" in raw and "两位小数" in raw, "rejects file %s" % resp.status)
        data = make_xlsx([(1, COLS), (2, row("UP0001")), (3, row("UP0001", title="第二件", sku_code="X"))])
        st, js, _ = upload({"store": STORE, "format": "generic"}, {"orders": ("orders.xlsx", data)})
        job = wait(js["import_id"])
        expect(job["status"] == "done" and job["inserted"] == 1, str(job)[:300])
        expect(len(order("UP0001")["items"]) == 2, "two lines")

    @case("upload: bad format, no file, disagreeing kind, a missing column fails the job by name")
    def _():
        st, js, _ = upload({"store": STORE, "format": "excel"}, {"file": ("o.csv", b"x")})
        expect(st == 422 and js["error"]["field"] == "format", "%s %s" % (st, js))
        st, js, _ = upload({"store": STORE, "format": "generic"}, {"items": ("o.csv", b"x")})
        expect(st == 422 and js["error"]["field"] == "file", "%s %s" % (st, js))
        st, js, _ = upload({"store": STORE, "format": "generic", "kind": "taobao-orders"}, {"file": ("o.csv", b"x")})
        expect(st == 422 and js["error"]["field"] == "format", "%s %s" % (st, js))
        st, js, _ = upload({"store": STORE, "format": "generic"}, {"file": ("o.csv", csv_bytes([["1"]], header=["订单编号"]))})
        job = wait(js["import_id"])
        expect(job["status"] == "failed" and "收货地址" in job["message"], str(job)[:300])
        st, js, _ = upload({"store": STORE, "format": "generic"}, {"file": ("o.csv", csv_bytes(broken))},
                           token=tokens["cs_presale"])
        expect(st == 403, "cs_presale %s" % st)

    n_kill = 20000
    killrows = []
    for k in range(n_kill):
        for line in range(1 + k % 3):
            killrows.append(row("KL%07d" % k, title="商品%d" % line, sku_code="K-%d" % line, qty=str(1 + line)))
    random.Random(5).shuffle(killrows)
    killfile = path("kill.csv", csv_bytes(killrows))
    count = ("SELECT COUNT(*) FROM orders o JOIN stores s ON s.id = o.store_id WHERE s.code = '%s'"
             " AND o.platform_order_no LIKE 'KL%%'" % STORE)
    orphans = count + " AND NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id)"

    @case("kill -9 of a generic import leaves no order without its lines; a re-run completes it")
    def _():
        rng, kills = random.Random(77), []
        for attempt in range(3):
            p = subprocess.Popen([binary, "import", "generic-orders", "--db", db, "--store", STORE, killfile],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            target = rng.randint(1, n_kill * 3 // 4)
            while p.poll() is None and query(db, count) < target:
                time.sleep(0.01)
            time.sleep(rng.uniform(0, 0.05))
            p.send_signal(signal.SIGKILL)
            p.wait()
            kills.append(query(db, count))
            expect(query(db, orphans) == 0, "orders without lines after kills %s" % kills)
        r = imp(killfile)
        expect(r["rows"] == len(killrows) and r["inserted"] + r["unchanged"] == n_kill and r["updated"] == 0
               and r["rejected"] == 0, "%s after kills %s" % (str(r)[:200], kills))
        lines = query(db, "SELECT COUNT(*) FROM order_items i JOIN orders o ON o.id = i.order_id JOIN stores s"
                          " ON s.id = o.store_id WHERE s.code = '%s' AND o.platform_order_no LIKE 'KL%%'" % STORE)
        expect(query(db, count) == n_kill and lines == len(killrows), "orders/lines %s" % lines)
