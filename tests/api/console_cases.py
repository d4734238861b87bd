"""The web console's files served beside the API (src/http/static.c)."""
import os
import tempfile


def add_tests(Server, binary, db, case, expect):
    web = tempfile.mkdtemp(prefix="dianpu-web.")
    os.makedirs(os.path.join(web, "assets"))
    with open(os.path.join(web, "index.html"), "w") as f:
        f.write("<!doctype html><title>店铺</title><div id=app></div>")
    with open(os.path.join(web, "assets", "index-Ab12.js"), "w") as f:
        f.write("console.log('console')")
    with open(os.path.join(web, ".secret"), "w") as f:
        f.write("hidden")
    s = Server(binary, db, ["--web", web])
    try:
        @case("console: / and SPA routes answer index.html, revalidated, with a CSP")
        def _():
            for path in ["/", "/orders/42", "/settings/users?x=1"]:
                st, _, r = s.req("GET", path)
                expect(st == 200 and r.getheader("Content-Type").startswith("text/html"), "%s %s" % (path, st))
                expect(r.getheader("Cache-Control") == "no-cache", "%s cache %s" % (path, r.getheader("Cache-Control")))
                expect("script-src 'self'" in (r.getheader("Content-Security-Policy") or ""), "csp on " + path)

        @case("console: hashed assets are cached for a year; a missing asset is 404, not HTML")
        def _():
            st, _, r = s.req("GET", "/assets/index-Ab12.js")
            expect(st == 200 and r.getheader("Content-Type").startswith("text/javascript"), str(st))
            expect("immutable" in r.getheader("Cache-Control"), r.getheader("Cache-Control"))
            st, _, r = s.req("GET", "/assets/index-Gone.js")
            expect(st == 404 and r.getheader("Content-Type").startswith("text/plain"), str(st))

        @case("console: no way out of the directory, no hidden files, only GET/HEAD")
        def _():
            for path in ["/../../../etc/passwd", "/assets/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/.secret"]:
                st, _, r = s.req("GET", path)
                expect(st in (200, 404), "%s %s" % (path, st))
                if st == 200:  # only ever the console's own index.html
                    expect(r.getheader("Content-Type").startswith("text/html"), path)
            st, _, r = s.req("GET", "/.secret")
            expect(st == 404, "hidden file %s" % st)
            st, _, _ = s.req("POST", "/", {"a": 1})
            expect(st == 405, "POST / %s" % st)
            st, js, _ = s.req("GET", "/api/v1/nope")
            expect(st == 404 and js["error"]["code"], "API 404 stays JSON: %s" % js)
    finally:
        s.stop()
