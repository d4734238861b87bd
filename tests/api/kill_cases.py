"""kill -9 of the importer at random moments (issue 3): after each kill no order is
without its items, and a final re-run finishes with exact totals."""
import json
import os
import random
import signal
import sqlite3
import subprocess
import tempfile
import time


def query(db, sql):
    if db.startswith("sqlite:"):
        con = sqlite3.connect(db[7:], timeout=30)
        try:
            return con.execute(sql).fetchone()[0]
        finally:
            con.close()
    out = subprocess.run(["psql", db, "-At", "-c", sql], capture_output=True, text=True, check=True)
    return int(out.stdout.strip() or 0)


def add_tests(binary, db, case, expect, run_cli):
    tmp = tempfile.mkdtemp(prefix="dianpu-kill.")
    ofile, ifile = os.path.join(tmp, "o.csv"), os.path.join(tmp, "i.csv")
    n = 60000
    subprocess.run([binary, "gen", "taobao-orders", "--orders", str(n), "--seed", "99", ofile, ifile],
                   check=True, capture_output=True)
    rc, out, err = run_cli(binary, db, "store", "add", "killtest", "kill -9 测试店", "--platform", "tmall")
    orphans = ("SELECT COUNT(*) FROM orders o JOIN stores s ON s.id = o.store_id WHERE s.code = 'killtest'"
               " AND NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id)")
    rng = random.Random(4242)
    kills = []

    @case("kill -9 of the importer at random points leaves no order without its items")
    def _():
        count = "SELECT COUNT(*) FROM orders o JOIN stores s ON s.id = o.store_id WHERE s.code = 'killtest'"
        for attempt in range(5):
            p = subprocess.Popen([binary, "import", "taobao-orders", "--db", db, "--store", "killtest", ofile, ifile],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if attempt == 0:
                # once at a random moment, wherever the importer is (often still staging items)
                time.sleep(rng.uniform(0.02, 0.3))
            else:
                # then once the orders phase has reached a random point, so the kill lands
                # between or inside batches whatever the engine's speed
                target = rng.randint(1, n * 3 // 4)
                while p.poll() is None and query(db, count) < target:
                    time.sleep(0.01)
                time.sleep(rng.uniform(0, 0.05))
            p.send_signal(signal.SIGKILL)
            p.wait()
            have = query(db, count)
            kills.append((attempt, have))
            expect(query(db, orphans) == 0, "orders without items after kill %d (%s)" % (attempt, kills))

    @case("re-running after the kills finishes the job with exact totals")
    def _():
        rc2, out2, err2 = run_cli(binary, db, "import", "taobao-orders", "--store", "killtest", ofile, ifile)
        expect(rc2 == 0, err2)
        r = json.loads(out2)
        expect(r["rows"] == n and r["inserted"] + r["unchanged"] == n and r["updated"] == 0 and r["rejected"] == 0,
               "%s after kills %s" % ({k: r[k] for k in r if k != "errors"}, kills))
        expect(query(db, orphans) == 0, "orphans")
        total = query(db, "SELECT COUNT(*) FROM orders o JOIN stores s ON s.id = o.store_id WHERE s.code = 'killtest'")
        lines = query(db, "SELECT COUNT(*) FROM order_items i JOIN orders o ON o.id = i.order_id"
                          " JOIN stores s ON s.id = o.store_id WHERE s.code = 'killtest'")
        expect(total == n, "orders %d" % total)
        rc3, out3, _ = run_cli(binary, db, "import", "taobao-orders", "--store", "killtest", ofile, ifile)
        r3 = json.loads(out3)
        expect(r3["unchanged"] == n and r3["inserted"] == 0, "second re-run")
        expect(lines == query(db, "SELECT COUNT(*) FROM order_items i JOIN orders o ON o.id = i.order_id"
                                  " JOIN stores s ON s.id = o.store_id WHERE s.code = 'killtest'"), "stable")
        expect(lines > n, "items %d" % lines)
        # the test means something only if some kill landed mid-import
        expect(any(0 < have < n for _, have in kills), "no kill landed mid-import: %s" % kills)


def add_defer_tests(binary, db, case, expect, run_cli):
    """The same kills with the indexes dropped for the import (db/defer_index.c),
    forced on with DIANPU_IMPORT_DEFER_INDEXES=always: after each kill no order is
    without its items; the re-run builds every index again and ends exact."""
    if not db.startswith("sqlite:"):
        return  # indexes are deferred on SQLite only
    tmp = tempfile.mkdtemp(prefix="dianpu-kill-defer.")
    ofile, ifile = os.path.join(tmp, "o.csv"), os.path.join(tmp, "i.csv")
    n = 60000  # past one 50,000-order batch, so a kill can land between commits
    subprocess.run([binary, "gen", "taobao-orders", "--orders", str(n), "--seed", "77", ofile, ifile],
                   check=True, capture_output=True)
    run_cli(binary, db, "store", "add", "killdefer", "延后索引测试店", "--platform", "taobao")
    env = dict(os.environ, DIANPU_IMPORT_DEFER_INDEXES="always")
    where = "FROM orders o JOIN stores s ON s.id = o.store_id WHERE s.code = 'killdefer'"
    orphans = "SELECT COUNT(*) %s AND NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id)" % where
    indexes = ("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'index'"
               " AND tbl_name IN ('orders', 'order_items') AND sql IS NOT NULL ORDER BY name)")
    path = db[7:]

    def names():
        con = sqlite3.connect(path, timeout=30)
        try:
            return con.execute(indexes).fetchone()[0] or ""
        finally:
            con.close()
    before = names()
    rng = random.Random(77)
    kills = []

    def cli(*args):
        p = subprocess.run([binary] + list(args[:1]) + ["--db", db] + list(args[1:]), env=env,
                           capture_output=True, text=True, timeout=300)
        return p.returncode, p.stdout, p.stderr

    @case("deferred indexes: kill -9 at random points leaves no order without its items")
    def _():
        expect(before.count(",") >= 7, "indexes before: %s" % before)
        for attempt in range(4):
            p = subprocess.Popen([binary, "import", "taobao-orders", "--db", db, "--store", "killdefer", ofile, ifile],
                                 env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            target = rng.randint(1, n * 3 // 4)
            while p.poll() is None and query(db, "SELECT COUNT(*) " + where) < target:
                time.sleep(0.01)
            time.sleep(rng.uniform(0, 0.3))
            p.send_signal(signal.SIGKILL)
            p.wait()
            kills.append((attempt, query(db, "SELECT COUNT(*) " + where), names() == before))
            expect(query(db, orphans) == 0, "orders without items after kill %d (%s)" % (attempt, kills))
        expect(any(0 < have < n and not same for _, have, same in kills),
               "no kill landed mid-import with the indexes away: %s" % kills)

    @case("deferred indexes: the re-run builds every index again and finishes with exact totals")
    def _():
        rc, out, err = cli("import", "taobao-orders", "--store", "killdefer", ofile, ifile)
        expect(rc == 0, err[-300:])
        r = json.loads(out)
        expect(r["rows"] == n and r["inserted"] + r["unchanged"] == n and r["rejected"] == 0,
               "%s after kills %s" % ({k: r[k] for k in r if k != "errors"}, kills))
        expect(names() == before, "indexes after: %s" % names())
        expect(query(db, "SELECT COUNT(*) FROM deferred_indexes") == 0, "deferred_indexes emptied")
        expect(query(db, "SELECT COUNT(*) " + where) == n and query(db, orphans) == 0, "totals")
        # the list finds the imported orders through the rebuilt indexes
        same_stage = query(db, "SELECT COUNT(*) FROM order_items i JOIN orders o ON o.id = i.order_id"
                        " JOIN stores s ON s.id = o.store_id WHERE s.code = 'killdefer' AND i.stage = o.stage")
        expect(same_stage == query(db, "SELECT COUNT(*) FROM order_items i JOIN orders o ON o.id = i.order_id"
                                " JOIN stores s ON s.id = o.store_id WHERE s.code = 'killdefer'"), "item stages")
