#!/usr/bin/env python3
"""API tests: a real `dianpu serve` on a free loopback port, spoken to over HTTP.

Run by tests/run.sh once on SQLite and once on PostgreSQL (and again with the
sanitizer build). Each case states the request, the expected status and the part
of the JSON answer that matters. Ends with "api: N passed, M failed".
Only loopback addresses are ever contacted.
"""
import argparse
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import console_cases  # noqa: E402
import orders_cases  # noqa: E402
import print_cases  # noqa: E402
import inventory_cases  # noqa: E402
import shipping_cases  # noqa: E402
import xlsx_cases  # noqa: E402
import generic_cases  # noqa: E402
import merge_cases  # noqa: E402
import parcel_print_cases  # noqa: E402
import parcel_verify_cases  # noqa: E402
import kill_cases  # noqa: E402

ROLES = ["boss", "operations", "cs_presale", "cs_aftersale", "cs_lead", "cs_mentor",
         "warehouse", "designer", "trade_sales", "trade_assistant", "finance", "hr",
         "distributor"]
# The demo logins (dianpu demo): role -> username; password is USERNAME-demo-2026.
DEMO = {"boss": "boss", "operations": "ops", "cs_presale": "presale",
        "cs_aftersale": "aftersale", "cs_lead": "cslead", "cs_mentor": "mentor",
        "warehouse": "warehouse", "designer": "designer", "trade_sales": "trade",
        "trade_assistant": "tradeasst", "finance": "finance", "hr": "hr",
        "distributor": "distributor"}
INJECT = "x'); DROP TABLE stores;-- \" OR 1=1 /*"

RESULTS = {"passed": 0, "failed": 0}


def ok(name):
    RESULTS["passed"] += 1
    print("ok   " + name)


def fail(name, why):
    RESULTS["failed"] += 1
    print("FAIL " + name + ": " + why)


def case(name):
    """Decorator-free helper: run fn, count ok/fail, never stop the run."""
    def wrap(fn):
        try:
            fn()
            ok(name)
        except AssertionError as e:
            fail(name, str(e))
        except Exception as e:  # a crash in a case is a failure, not the end of the run
            fail(name, "%s: %s" % (type(e).__name__, e))
    return wrap


def expect(cond, why):
    if not cond:
        raise AssertionError(why)


class Server:
    def __init__(self, binary, db, extra=()):
        self.binary, self.db = binary, db
        self.proc = subprocess.Popen(
            [binary, "serve", "--db", db, "--listen", "127.0.0.1:0", "--threads", "4"] + list(extra),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if not m:
            err = self.proc.stderr.read()
            raise RuntimeError("server did not start: %r %s" % (line, err[-2000:]))
        self.port = int(m.group(1))
        self.log = []
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.proc.stderr:
            self.log.append(line)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return -9

    def req(self, method, path, body=None, token=None, headers=None, raw=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        h = {"Accept-Language": "zh-CN"}
        if token:
            h["Authorization"] = "Bearer " + token
        if headers:
            h.update(headers)
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if data is not None:
            h.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        text = r.read()
        conn.close()
        try:
            js = json.loads(text) if text else None
        except ValueError:
            js = None
        return r.status, js, r

    def login(self, username, password):
        st, js, _ = self.req("POST", "/api/v1/auth/login", {"username": username, "password": password})
        expect(st == 200, "login %s: %s %s" % (username, st, js))
        return js["token"]


def run_cli(binary, db, *args, stdin=None):
    p = subprocess.run([binary] + list(args[:1]) + ["--db", db] + list(args[1:]),
                       input=stdin, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def pw(role):
    return DEMO[role] + "-demo-2026"


def err_code(js):
    return (js or {}).get("error", {}).get("code")


def tests_public(s, engine):
    @case("health without auth reports ok and the engine")
    def _():
        st, js, _ = s.req("GET", "/api/v1/health")
        expect(st == 200 and js["status"] == "ok" and js["db"] == engine and js["version"], str(js))

    @case("unknown endpoint 404, wrong method 405, both as JSON errors")
    def _():
        st, js, _ = s.req("GET", "/api/v1/nope")
        expect(st == 404 and err_code(js) == "not_found", "%s %s" % (st, js))
        st, js, _ = s.req("DELETE", "/api/v1/health")
        expect(st == 405 and err_code(js) == "method_not_allowed", "%s %s" % (st, js))


def tests_login(s, tokens):
    @case("login ok returns token, user and an HttpOnly SameSite=Strict cookie")
    def _():
        st, js, r = s.req("POST", "/api/v1/auth/login", {"username": "boss", "password": pw("boss")})
        expect(st == 200, "%s %s" % (st, js))
        expect(len(js["token"]) == 64 and js["user"]["username"] == "boss" and js["user"]["role"] == "boss", str(js))
        expect(isinstance(js["user"]["id"], int), "user.id")
        c = r.getheader("Set-Cookie") or ""
        expect("dianpu_session=" + js["token"] in c and "HttpOnly" in c and "SameSite=Strict" in c, c)

    @case("login with a wrong password or unknown user is 401")
    def _():
        st, js, _ = s.req("POST", "/api/v1/auth/login", {"username": "hr", "password": "wrong-password"})
        expect(st == 401 and err_code(js) == "unauthorized", "%s %s" % (st, js))
        st, js, _ = s.req("POST", "/api/v1/auth/login", {"username": "nobody-here", "password": "whatever1"})
        expect(st == 401, "%s %s" % (st, js))

    @case("login body missing a field is 422 naming it")
    def _():
        st, js, _ = s.req("POST", "/api/v1/auth/login", {"username": "boss"})
        expect(st == 422 and js["error"]["field"] == "password", "%s %s" % (st, js))

    for role in ROLES:
        tokens[role] = s.login(DEMO[role], pw(role))

    @case("a cookie session works like a bearer token")
    def _():
        st, js, _ = s.req("GET", "/api/v1/auth/me", headers={"Cookie": "dianpu_session=" + tokens["warehouse"]})
        expect(st == 200 and js["user"]["role"] == "warehouse", "%s %s" % (st, js))

    @case("no token, a bad token and a malformed header are 401 on every protected endpoint")
    def _():
        for method, path in [("GET", "/api/v1/stores"), ("GET", "/api/v1/users"), ("GET", "/api/v1/audit"),
                             ("GET", "/api/v1/auth/me"), ("POST", "/api/v1/stores"),
                             ("GET", "/api/v1/stores/qinghe/policy"), ("PUT", "/api/v1/stores/qinghe/policy"),
                             ("PATCH", "/api/v1/users/1"), ("POST", "/api/v1/auth/logout"),
                             ("GET", "/api/v1/policy/schema")]:
            for tok in (None, "0" * 64, "x"):
                st, js, _ = s.req(method, path, {} if method != "GET" else None, token=tok)
                expect(st == 401 and err_code(js) == "unauthorized", "%s %s %s -> %s" % (method, path, tok, st))

    @case("Accept-Language: en gives English messages, default is Chinese")
    def _():
        st, js, _ = s.req("GET", "/api/v1/stores", headers={"Accept-Language": "en-US"})
        expect(st == 401 and js["error"]["message"] == "please log in", str(js))
        st, js, _ = s.req("GET", "/api/v1/stores")
        expect(js["error"]["message"] == "请先登录", str(js))


def tests_roles(s, tokens):
    allowed = {
        ("POST", "/api/v1/stores"): {"boss"},
        ("GET", "/api/v1/users"): {"boss", "hr", "cs_lead"},
        ("POST", "/api/v1/users"): {"boss"},
        ("PATCH", "/api/v1/users/1"): {"boss"},
        ("GET", "/api/v1/audit"): {"boss", "cs_lead"},
        ("PUT", "/api/v1/stores/qinghe/policy"): {"boss"},
        ("GET", "/api/v1/stores"): set(ROLES) - {"distributor"},
        ("GET", "/api/v1/stores/qinghe/policy"): set(ROLES) - {"distributor"},
    }
    for (method, path), roles in allowed.items():
        @case("403 for every role not allowed %s %s" % (method, path))
        def _():
            for role in ROLES:
                body = None if method == "GET" else {}
                st, js, _ = s.req(method, path, body, token=tokens[role])
                if role in roles:
                    expect(st != 403 and st != 401, "%s should pass the role check, got %s" % (role, st))
                else:
                    expect(st == 403 and err_code(js) == "forbidden", "%s got %s %s" % (role, st, js))


def tests_bad_input(s, tokens):
    boss = tokens["boss"]

    @case("malformed JSON is 400 with a message")
    def _():
        for raw in [b"{", b"{\"code\": }", b"\xff\xfe", b"[1,2", b"{\"a\":1,\"a\":2}"]:
            st, js, _ = s.req("POST", "/api/v1/stores", token=boss, raw=raw)
            expect(st == 400 and err_code(js) == "invalid" and js["error"]["message"], "%r -> %s %s" % (raw, st, js))

    @case("a JSON body that is not an object is 400; an empty body is 400")
    def _():
        for raw in [b"[]", b"\"x\"", b"42", b""]:
            st, js, _ = s.req("POST", "/api/v1/stores", token=boss, raw=raw)
            expect(st == 400, "%r -> %s" % (raw, st))

    @case("wrong field types are 422 naming the field")
    def _():
        st, js, _ = s.req("POST", "/api/v1/stores", {"code": 5, "name": "n", "platform": "taobao"}, token=boss)
        expect(st == 422 and js["error"]["field"] == "code", "%s %s" % (st, js))
        st, js, _ = s.req("POST", "/api/v1/stores", {"code": "ok1", "name": "n", "platform": "ebay"}, token=boss)
        expect(st == 422 and js["error"]["field"] == "platform", "%s %s" % (st, js))

    @case("a body over the limit is 413")
    def _():
        big = json.dumps({"code": "big", "name": "x" * (12 * 1024 * 1024), "platform": "taobao"}).encode()
        st, js, _ = s.req("POST", "/api/v1/stores", token=boss, raw=big)
        expect(st == 413 and err_code(js) == "too_large", "%s %s" % (st, js))
        st, js, _ = s.req("GET", "/api/v1/health")
        expect(st == 200, "server alive after 413")


def tests_injection(s, tokens, binary, db):
    boss = tokens["boss"]

    @case("SQL injection text in every text field is stored verbatim and harmless")
    def _():
        st, js, _ = s.req("POST", "/api/v1/stores", {"code": "inj", "name": INJECT, "platform": "manual"}, token=boss)
        expect(st == 201 and js["store"]["name"] == INJECT, "%s %s" % (st, js))
        st, js, _ = s.req("GET", "/api/v1/stores/inj", token=boss)
        expect(st == 200 and js["store"]["name"] == INJECT, str(js))
        st, js, _ = s.req("POST", "/api/v1/users", {"username": "inj.user", "password": "pass-" + INJECT,
                                                     "role": "finance", "display_name": INJECT, "phone": INJECT[:30]}, token=boss)
        expect(st == 201 and js["user"]["display_name"] == INJECT, "%s %s" % (st, js))
        t = s.login("inj.user", "pass-" + INJECT)
        expect(t, "login with injection password")
        st, js, _ = s.req("POST", "/api/v1/auth/login", {"username": INJECT[:60], "password": INJECT})
        expect(st in (401, 422), "login injection %s" % st)
        st, js, _ = s.req("GET", "/api/v1/stores", token=boss)
        expect(st == 200 and any(x["code"] == "qinghe" for x in js["items"]), "stores table intact")

    @case("SQL injection in a code, path and query parameters is refused or matches nothing")
    def _():
        st, js, _ = s.req("POST", "/api/v1/stores", {"code": INJECT, "name": "n", "platform": "manual"}, token=boss)
        expect(st == 422 and js["error"]["field"] == "code", "%s %s" % (st, js))
        st, js, _ = s.req("GET", "/api/v1/stores/" + urllib.parse.quote("x' OR '1'='1"), token=boss)
        expect(st == 404, "path param: %s" % st)
        q = urllib.parse.urlencode({"entity": "' OR 1=1 --", "entity_id": INJECT})
        st, js, _ = s.req("GET", "/api/v1/audit?" + q, token=boss)
        expect(st == 200 and js["items"] == [], "audit query: %s %s" % (st, js))
        st, js, _ = s.req("GET", "/api/v1/audit?limit=1;DROP%20TABLE%20users", token=boss)
        expect(st == 400 and js["error"]["field"] == "limit", "%s %s" % (st, js))

    @case("CLI store add with an injection name stores it verbatim")
    def _():
        rc, out, err = run_cli(binary, db, "store", "add", "cli1", INJECT, "--platform", "jd")
        expect(rc == 0, err)
        st, js, _ = s.req("GET", "/api/v1/stores/cli1", token=boss)
        expect(st == 200 and js["store"]["name"] == INJECT and js["store"]["platform"] == "jd", str(js))


def tests_stores_audit(s, tokens):
    boss = tokens["boss"]

    @case("store create, read, patch, with audit rows before -> after")
    def _():
        st, js, _ = s.req("POST", "/api/v1/stores", {"code": "tb1", "name": "青禾淘宝店", "platform": "taobao"}, token=boss)
        expect(st == 201 and js["store"]["version"] == 1 and js["store"]["platform_label"] == "淘宝", "%s %s" % (st, js))
        st, js, _ = s.req("POST", "/api/v1/stores", {"code": "tb1", "name": "dup", "platform": "taobao"}, token=boss)
        expect(st == 409 and js["error"]["field"] == "code", "duplicate code: %s %s" % (st, js))
        st, js, _ = s.req("PATCH", "/api/v1/stores/tb1", {"version": 1, "name": "青禾淘宝二店"}, token=boss)
        expect(st == 200 and js["store"]["version"] == 2 and js["store"]["name"] == "青禾淘宝二店", "%s %s" % (st, js))
        st, js, _ = s.req("GET", "/api/v1/audit?entity=store&entity_id=tb1", token=tokens["cs_lead"])
        expect(st == 200 and len(js["items"]) == 2, "%s %s" % (st, js))
        upd, cre = js["items"]
        expect(upd["action"] == "update" and upd["before"]["name"] == "青禾淘宝店" and upd["after"]["name"] == "青禾淘宝二店", str(upd))
        expect(upd["username"] == "boss" and cre["action"] == "create" and cre["before"] is None, str(cre))

    @case("stale store version is 409 and changes nothing")
    def _():
        st, js, _ = s.req("PATCH", "/api/v1/stores/tb1", {"version": 1, "name": "stale"}, token=boss)
        expect(st == 409 and js["error"]["field"] == "version", "%s %s" % (st, js))
        st, js, _ = s.req("GET", "/api/v1/stores/tb1", token=boss)
        expect(js["store"]["name"] == "青禾淘宝二店" and js["store"]["version"] == 2, str(js))

    @case("20 concurrent PATCHes of one version: exactly one wins, the rest 409")
    def _():
        st, js, _ = s.req("GET", "/api/v1/stores/tb1", token=boss)
        v = js["store"]["version"]
        results = []

        def worker(i):
            st2, _, _ = s.req("PATCH", "/api/v1/stores/tb1", {"version": v, "name": "并发%d" % i}, token=boss)
            results.append(st2)
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        expect(results.count(200) == 1 and results.count(409) == 19, str(sorted(results)))
        st, js, _ = s.req("GET", "/api/v1/stores/tb1", token=boss)
        expect(js["store"]["version"] == v + 1, "version advanced once: %s" % js["store"]["version"])
        st, js, _ = s.req("GET", "/api/v1/audit?entity=store&entity_id=tb1&limit=500", token=boss)
        expect(len(js["items"]) == 3, "one audit row per successful change: %d" % len(js["items"]))


def tests_users_masking(s, tokens):
    boss = tokens["boss"]

    @case("staff phones are masked for cs_lead and for boss without unmask")
    def _():
        for role in ("cs_lead", "boss"):
            st, js, _ = s.req("GET", "/api/v1/users", token=tokens[role])
            expect(st == 200, str(st))
            wh = [u for u in js["items"] if u["username"] == "warehouse"][0]
            expect(wh["phone"] == "133****3006", "%s sees %s" % (role, wh["phone"]))
            me = [u for u in js["items"] if u["username"] == DEMO[role]][0]
            expect("****" not in me["phone"], "own phone unmasked")

    @case("unmask=1: boss and hr see full phones and an audit row is written; cs_lead 403")
    def _():
        st, js, _ = s.req("GET", "/api/v1/users?unmask=1", token=tokens["cs_lead"])
        expect(st == 403, "cs_lead unmask %s" % st)
        before = s.req("GET", "/api/v1/audit?entity=pii_export", token=boss)[1]["items"]
        st, js, _ = s.req("GET", "/api/v1/users?unmask=1", token=tokens["hr"])
        wh = [u for u in js["items"] if u["username"] == "warehouse"][0]
        expect(st == 200 and wh["phone"] == "13300133006", str(wh))
        after = s.req("GET", "/api/v1/audit?entity=pii_export", token=boss)[1]["items"]
        expect(len(after) == len(before) + 1 and after[0]["username"] == "hr" and after[0]["action"] == "export", str(after[:1]))

    @case("user create validates, 409 on duplicate, stale PATCH 409")
    def _():
        st, js, _ = s.req("POST", "/api/v1/users", {"username": "agent7", "password": "short", "role": "cs_presale"}, token=boss)
        expect(st == 422 and js["error"]["field"] == "password", "%s %s" % (st, js))
        st, js, _ = s.req("POST", "/api/v1/users", {"username": "agent7", "password": "long-enough-1", "role": "ceo"}, token=boss)
        expect(st == 422 and js["error"]["field"] == "role", "%s %s" % (st, js))
        st, js, _ = s.req("POST", "/api/v1/users", {"username": "agent7", "password": "long-enough-1", "role": "cs_presale",
                                                     "phone": "13912345678"}, token=boss)
        expect(st == 201, "%s %s" % (st, js))
        uid = js["user"]["id"]
        st, js, _ = s.req("POST", "/api/v1/users", {"username": "agent7", "password": "long-enough-1", "role": "cs_presale"}, token=boss)
        expect(st == 409, "dup %s" % st)
        st, js, _ = s.req("PATCH", "/api/v1/users/%d" % uid, {"version": 1, "role": "cs_aftersale"}, token=boss)
        expect(st == 200 and js["user"]["role"] == "cs_aftersale" and js["user"]["version"] == 2, "%s %s" % (st, js))
        st, js, _ = s.req("PATCH", "/api/v1/users/%d" % uid, {"version": 1, "role": "cs_lead"}, token=boss)
        expect(st == 409, "stale %s" % st)
        st, js, _ = s.req("PATCH", "/api/v1/users/99999", {"version": 1}, token=boss)
        expect(st == 404, "missing user %s" % st)

    @case("a disabled user loses the session and cannot log in")
    def _():
        t = s.login("agent7", "long-enough-1")
        st, js, _ = s.req("GET", "/api/v1/auth/me", token=t)
        uid, ver = js["user"]["id"], js["user"]["version"]
        st, js, _ = s.req("PATCH", "/api/v1/users/%d" % uid, {"version": ver, "disabled": True}, token=boss)
        expect(st == 200 and js["user"]["disabled"] is True, "%s %s" % (st, js))
        st, js, _ = s.req("GET", "/api/v1/auth/me", token=t)
        expect(st == 401, "old session %s" % st)
        st, js, _ = s.req("POST", "/api/v1/auth/login", {"username": "agent7", "password": "long-enough-1"})
        expect(st == 401, "login disabled %s" % st)
        st, js, _ = s.req("GET", "/api/v1/audit?entity=user&entity_id=%d" % uid, token=boss)
        expect(js["items"][0]["action"] == "disable" and js["items"][0]["before"]["disabled"] is False, str(js["items"][:1]))

    @case("logout ends the session")
    def _():
        t = s.login("finance", pw("finance"))
        st, js, r = s.req("POST", "/api/v1/auth/logout", token=t)
        expect(st == 200 and "Max-Age=0" in (r.getheader("Set-Cookie") or ""), "%s" % st)
        st, js, _ = s.req("GET", "/api/v1/auth/me", token=t)
        expect(st == 401, "after logout %s" % st)


def tests_policy(s, tokens):
    boss = tokens["boss"]

    @case("policy defaults come from the seeds (version 0)")
    def _():
        st, js, _ = s.req("GET", "/api/v1/stores/tb1/policy", token=tokens["cs_presale"])
        expect(st == 200 and js["version"] == 0, "%s %s" % (st, js))
        p = js["policy"]
        expect(p["pay"]["presale_rate"] == 0.005 and p["cs_kpi"]["after_sale_days"] == 14, str(p["pay"]))
        expect(p["orders"]["bad_review_contact_hours"] == 48 and p["shifts"]["day_start"] == "09:00", str(p["orders"]))
        expect(p["crm"]["followup_a_per_week"] == 2 and p["pay"]["min_pay_year3_fen"] == 250000, str(p["crm"]))
        expect(p["cs_kpi"]["ad_phrase"] == "非诚勿扰,青禾旗舰店期待您的再次光临!", p["cs_kpi"]["ad_phrase"])

    @case("policy PUT: bad values are 422 naming section.key, nothing saved")
    def _():
        bad = [({"pay": {"presale_rate": "0.005"}}, "pay.presale_rate"),
               ({"pay": {"presale_rate": 1.5}}, "pay.presale_rate"),
               ({"pay": {"presale_rate": 0.0000001}}, "pay.presale_rate"),
               ({"cs_kpi": {"after_sale_days": 0}}, "cs_kpi.after_sale_days"),
               ({"shifts": {"day_start": "25:00"}}, "shifts.day_start"),
               ({"shifts": {"day_start": "18:00"}}, "shifts.day_end"),
               ({"pay": {"no_such_key": 1}}, "pay.no_such_key"),
               ({"nosuchsection": {}}, "nosuchsection"),
               ({"staff": {"appraisal_top_percent": 30}}, "staff.appraisal_middle_percent")]
        for doc, field in bad:
            st, js, _ = s.req("PUT", "/api/v1/stores/tb1/policy", {"version": 0, "policy": doc}, token=boss)
            expect(st == 422 and js["error"]["field"] == field, "%s -> %s %s" % (doc, st, js))
        st, js, _ = s.req("GET", "/api/v1/stores/tb1/policy", token=boss)
        expect(js["version"] == 0, "nothing saved")

    @case("policy PUT saves a new version with an audit row; stale version 409")
    def _():
        doc = {"pay": {"presale_rate": 0.006}, "orders": {"bad_review_contact_hours": 36}}
        st, js, _ = s.req("PUT", "/api/v1/stores/tb1/policy", {"version": 0, "policy": doc}, token=boss)
        expect(st == 200 and js["version"] == 1 and js["policy"]["pay"]["presale_rate"] == 0.006, "%s %s" % (st, js))
        expect(js["policy"]["cs_kpi"]["after_sale_days"] == 14, "defaults kept")
        st, js, _ = s.req("PUT", "/api/v1/stores/tb1/policy", {"version": 0, "policy": doc}, token=boss)
        expect(st == 409, "stale %s" % st)
        st, js, _ = s.req("GET", "/api/v1/audit?entity=policy&entity_id=tb1", token=boss)
        a = js["items"][0]
        expect(a["before"]["pay"]["presale_rate"] == 0.005 and a["after"]["pay"]["presale_rate"] == 0.006, str(a)[:300])

    @case("policy of an unknown store is 404; schema lists every key with its default")
    def _():
        st, js, _ = s.req("GET", "/api/v1/stores/nostore/policy", token=boss)
        expect(st == 404, str(st))
        st, js, _ = s.req("GET", "/api/v1/policy/schema", token=boss)
        keys = {f["key"]: f for f in js["fields"]}
        expect(keys["pay.presale_rate"]["default"] == 0.005 and keys["pay.presale_rate"]["type"] == "rate", str(keys.get("pay.presale_rate")))


def tests_data_permissions(s, tokens):
    boss = tokens["boss"]

    @case("X-5: a user limited to some stores sees only those, everywhere")
    def _():
        st, js, _ = s.req("POST", "/api/v1/users", {"username": "ops.tb1", "password": "ops-tb1-pass", "role": "operations",
                                                     "stores": ["tb1"]}, token=boss)
        expect(st == 201 and js["user"]["stores"] == ["tb1"], "%s %s" % (st, js))
        uid = js["user"]["id"]
        t = s.login("ops.tb1", "ops-tb1-pass")
        st, js, _ = s.req("GET", "/api/v1/stores", token=t)
        expect([x["code"] for x in js["items"]] == ["tb1"], str(js))
        for path in ("/api/v1/stores/qinghe", "/api/v1/stores/qinghe/policy"):
            st, js, _ = s.req("GET", path, token=t)
            expect(st == 404, "%s -> %s" % (path, st))
        st, js, _ = s.req("GET", "/api/v1/stores/tb1/policy", token=t)
        expect(st == 200, str(st))
        st, js, _ = s.req("PATCH", "/api/v1/users/%d" % uid, {"version": 1, "stores": []}, token=boss)
        expect(st == 200 and js["user"]["stores"] == [], "%s %s" % (st, js))
        st, js, _ = s.req("GET", "/api/v1/stores/qinghe", token=t)
        expect(st == 200, "unlimited again: %s" % st)
        st, js, _ = s.req("GET", "/api/v1/audit?entity=user_stores&entity_id=%d" % uid, token=boss)
        expect(js["items"][0]["before"] == ["tb1"] and js["items"][0]["after"] == [], str(js["items"][:1]))

    @case("X-5: an unknown store code is 422 and the user is not created")
    def _():
        st, js, _ = s.req("POST", "/api/v1/users", {"username": "ops.bad", "password": "ops-bad-pass", "role": "operations",
                                                     "stores": ["tb1", "nosuch"]}, token=boss)
        expect(st == 422 and js["error"]["field"] == "stores", "%s %s" % (st, js))
        st, js, _ = s.req("POST", "/api/v1/auth/login", {"username": "ops.bad", "password": "ops-bad-pass"})
        expect(st == 401, "rolled back: %s" % st)

    @case("session cache: logout, store list, password and disable take effect on the next request")
    def _():
        # Each request is a new connection, so repeats land on every worker thread
        # and fill each thread's session cache before the change.
        def me_all(t, n=8):
            return [s.req("GET", "/api/v1/auth/me", token=t) for _ in range(n)]
        st, js, _ = s.req("POST", "/api/v1/users", {"username": "cache.agent", "password": "cache-pass-1",
                                                     "role": "operations", "display_name": "缓存\"测试"}, token=boss)
        expect(st == 201, "%s %s" % (st, js))
        uid = js["user"]["id"]
        t1, t2 = s.login("cache.agent", "cache-pass-1"), s.login("cache.agent", "cache-pass-1")
        for st, js, r in me_all(t1) + me_all(t2):
            expect(st == 200 and js["user"]["display_name"] == "缓存\"测试" and js["user"]["stores"] == [],
                   "%s %s" % (st, js))
            expect(r.getheader("Cache-Control") == "no-store", str(r.getheaders()))
        s.req("POST", "/api/v1/auth/logout", token=t1)
        expect([x[0] for x in me_all(t1)] == [401] * 8, "logged-out token still served")
        expect([x[0] for x in me_all(t2)] == [200] * 8, "the other session survives")
        st, js, _ = s.req("PATCH", "/api/v1/users/%d" % uid, {"version": 1, "stores": ["tb1", "qinghe"]}, token=boss)
        expect(st == 200 and js["user"]["stores"] == ["qinghe", "tb1"], "%s %s" % (st, js))
        for st, js, _ in me_all(t2):
            expect(st == 200 and js["user"]["stores"] == ["qinghe", "tb1"], "stale stores %s %s" % (st, js))
        st, js, _ = s.req("PATCH", "/api/v1/users/%d" % uid, {"version": js["user"]["version"], "password": "cache-pass-2"},
                          token=boss)
        expect(st == 200, "%s %s" % (st, js))
        expect([x[0] for x in me_all(t2)] == [401] * 8, "session after a password change still served")
        t3 = s.login("cache.agent", "cache-pass-2")
        st, js, _ = me_all(t3)[-1]
        expect(st == 200, str(st))
        st, js, _ = s.req("PATCH", "/api/v1/users/%d" % uid, {"version": js["user"]["version"], "disabled": True},
                          token=boss)
        expect(st == 200, "%s %s" % (st, js))
        expect([x[0] for x in me_all(t3)] == [401] * 8, "disabled user's session still served")


def tests_cli(binary, db, engine, s, tokens):
    @case("CLI user add/list/passwd/disable")
    def _():
        rc, out, err = run_cli(binary, db, "user", "add", "cli.agent", "cs_presale", stdin="cli-password-1\n")
        expect(rc == 0, err)
        rc, out, err = run_cli(binary, db, "user", "add", "cli.agent", "cs_presale", stdin="cli-password-1\n")
        expect(rc == 1 and "已存在" in err, "duplicate: %s" % err)
        rc, out, err = run_cli(binary, db, "user", "add", "cli.bad", "nosuchrole", stdin="cli-password-1\n")
        expect(rc == 2, "bad role rc %d" % rc)
        rc, out, err = run_cli(binary, db, "user", "list")
        expect(rc == 0 and "cli.agent\tcs_presale" in out and "133****3006" in out, out[-500:])
        s.login("cli.agent", "cli-password-1")
        rc, out, err = run_cli(binary, db, "user", "passwd", "cli.agent", stdin="cli-password-2\n")
        expect(rc == 0, err)
        st, _, _ = s.req("POST", "/api/v1/auth/login", {"username": "cli.agent", "password": "cli-password-1"})
        expect(st == 401, "old password refused")
        t = s.login("cli.agent", "cli-password-2")
        rc, out, err = run_cli(binary, db, "user", "disable", "cli.agent")
        expect(rc == 0, err)
        st, _, _ = s.req("GET", "/api/v1/auth/me", token=t)
        expect(st == 401, "disabled via CLI ends session: %s" % st)

    @case("CLI user list --unmasked shows phones and is audited")
    def _():
        rc, out, err = run_cli(binary, db, "user", "list", "--unmasked")
        expect(rc == 0 and "13300133006" in out, out[-300:])
        st, js, _ = s.req("GET", "/api/v1/audit?entity=pii_export", token=tokens["boss"])
        expect(any(i["username"] == "system" and i["after"].get("via") == "cli" for i in js["items"]), str(js["items"][:2]))

    @case("CLI policy show and set (bad field named, good file saved)")
    def _():
        rc, out, err = run_cli(binary, db, "policy", "show", "qinghe")
        expect(rc == 0 and json.loads(out)["policy"]["pay"]["presale_rate"] == 0.005, out[:200])
        rc, out, err = run_cli(binary, db, "policy", "set", "qinghe", "-", stdin='{"crm":{"followup_a_per_week":0}}')
        expect(rc == 1 and "crm.followup_a_per_week" in err, err)
        rc, out, err = run_cli(binary, db, "policy", "set", "qinghe", "-", stdin='{"policy":{"crm":{"followup_a_per_week":3}}}')
        expect(rc == 0, err)
        st, js, _ = s.req("GET", "/api/v1/stores/qinghe/policy", token=tokens["boss"])
        expect(js["policy"]["crm"]["followup_a_per_week"] == 3 and js["version"] == 1, str(js["version"]))

    @case("CLI bad usage exits 2; bad db URL exits 1 with a message")
    def _():
        p = subprocess.run([binary, "user"], capture_output=True, text=True)
        expect(p.returncode == 2, "rc %d" % p.returncode)
        p = subprocess.run([binary, "nosuchcmd"], capture_output=True, text=True)
        expect(p.returncode == 2, "rc %d" % p.returncode)
        p = subprocess.run([binary, "migrate", "--db", "mysql://x"], capture_output=True, text=True)
        expect(p.returncode == 1 and "sqlite:" in p.stderr, p.stderr)
        p = subprocess.run([binary, "version"], capture_output=True, text=True)
        expect(p.returncode == 0 and p.stdout.startswith("dianpu "), p.stdout)

    if engine == "sqlite":
        @case("CLI backup of a live SQLite database is a complete copy")
        def _():
            out = tempfile.mktemp(suffix=".db")
            rc, o, err = run_cli(binary, db, "backup", out)
            expect(rc == 0, err)
            rc, o, err = run_cli(binary, "sqlite:" + out, "store", "list")
            expect(rc == 0 and "tb1" in o and "qinghe" in o, o)
            os.unlink(out)


def tests_rate_limit(s):
    @case("429 after repeated bad logins for one user, even with the right password")
    def _():
        for _ in range(5):
            st, _, _ = s.req("POST", "/api/v1/auth/login", {"username": "designer", "password": "wrong-guess"})
            expect(st == 401, "bad login %s" % st)
        st, js, _ = s.req("POST", "/api/v1/auth/login", {"username": "designer", "password": pw("designer")})
        expect(st == 429 and err_code(js) == "rate_limited", "%s %s" % (st, js))
        st, js, _ = s.req("POST", "/api/v1/auth/login", {"username": "operations" and "ops", "password": pw("operations")})
        expect(st == 200, "other users unaffected %s" % st)


def tests_address_limit(binary, db):
    # The suite before this made well over 2 failed logins from 127.0.0.1 within
    # the window, so a limit of 2 must lock every user out from this address.
    s = Server(binary, db, ["--login-max-fail-address", "2", "--login-max-fail-user", "100"])
    try:
        @case("429 after repeated bad logins from one address, for any user")
        def _():
            st, js, _ = s.req("POST", "/api/v1/auth/login", {"username": "u-new", "password": "nope-nope"})
            expect(st == 429, "%s %s" % (st, js))
            st, js, _ = s.req("POST", "/api/v1/auth/login", {"username": "boss", "password": pw("boss")})
            expect(st == 429 and err_code(js) == "rate_limited", "%s %s" % (st, js))
    finally:
        rc = s.stop()

    @case("SIGTERM stops the server cleanly (exit 0)")
    def _():
        expect(rc == 0, "exit %s; log tail %s" % (rc, "".join(s.log[-5:])))


def module_cases(name, fn, *args):
    """A module whose set-up fails counts as one failed case; the run goes on."""
    try:
        fn(*args)
    except Exception as e:  # set-up outside any case
        fail(name + " (set-up)", "%s: %s" % (type(e).__name__, e))


def fresh_pg(url):
    subprocess.run(["psql", url, "-q", "-c", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"],
                   check=True, capture_output=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--fresh-pg", action="store_true")
    a = ap.parse_args()
    engine = "sqlite" if a.db.startswith("sqlite:") else "postgres"
    if engine == "sqlite" and os.path.exists(a.db[7:]):
        os.unlink(a.db[7:])
    if a.fresh_pg:
        fresh_pg(a.db)
    rc, out, err = run_cli(a.bin, a.db, "demo")
    if rc != 0:
        print("demo failed: " + err)
        print("api: 0 passed, 1 failed")
        return 1
    # a generous address limit: the whole suite logs in from 127.0.0.1
    s = Server(a.bin, a.db, ["--login-max-fail-address", "1000", "--max-body-kb", "1024"])
    tokens = {}
    try:
        tests_public(s, engine)
        tests_login(s, tokens)
        tests_roles(s, tokens)
        tests_bad_input(s, tokens)
        tests_injection(s, tokens, a.bin, a.db)
        tests_stores_audit(s, tokens)
        tests_users_masking(s, tokens)
        tests_policy(s, tokens)
        tests_data_permissions(s, tokens)
        tests_cli(a.bin, a.db, engine, s, tokens)
        module_cases("console", console_cases.add_tests, Server, a.bin, a.db, case, expect)
        module_cases("orders", orders_cases.add_tests, s, tokens, a.bin, a.db, engine, case, expect, run_cli, err_code)
        module_cases("print", print_cases.add_tests, s, tokens, a.bin, a.db, engine, case, expect, run_cli, err_code)
        module_cases("inventory", inventory_cases.add_tests, s, tokens, a.bin, a.db, engine, case, expect, run_cli, err_code)
        module_cases("shipping", shipping_cases.add_tests, s, tokens, a.bin, a.db, engine, case, expect, run_cli, err_code)
        module_cases("xlsx", xlsx_cases.add_tests, s, tokens, a.bin, a.db, engine, case, expect, run_cli, err_code)
        module_cases("generic", generic_cases.add_tests, s, tokens, a.bin, a.db, engine, case, expect, run_cli, err_code)
        module_cases("merge", merge_cases.add_tests, s, tokens, a.bin, a.db, engine, case, expect, run_cli, err_code)
        module_cases("parcel_print", parcel_print_cases.add_tests, s, tokens, a.bin, a.db, engine, case, expect, run_cli, err_code)
        module_cases("parcel_verify", parcel_verify_cases.add_tests, s, tokens, a.bin, a.db, engine, case, expect, run_cli, err_code)
        tests_rate_limit(s)
    finally:
        s.stop()
    tests_address_limit(a.bin, a.db)
    module_cases("kill", kill_cases.add_tests, a.bin, a.db, case, expect, run_cli)
    module_cases("kill_defer", kill_cases.add_defer_tests, a.bin, a.db, case, expect, run_cli)
    print("api: %d passed, %d failed" % (RESULTS["passed"], RESULTS["failed"]))
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
