/*
 * test_inventory_db.c - inventory storage on both engines: the demo catalogue,
 * the orders' four calls (reserve, release, ship, check) and returns, their
 * idempotence and exactness after an edit, the oversell guard, nesting in a
 * caller's transaction, stocktake approval, and stock == SUM(ledger) after it
 * all (INV-2).
 *
 * SQLite runs in a temporary file; PostgreSQL when DIANPU_TEST_PG_URL is set,
 * in a schema of its own (as test_db.c does).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "inventory/inventory_db.h"
#include "lib/arena.h"
#include "lib/common.h"

#define NOW 1800000000

struct fx {
	enum db_engine engine;
	char url[1024];
	char path[256];
	char schema[64];
	struct db *db;
	int64_t store_id;
};

static struct auth_user boss = { 1, "boss", ROLE_BOSS };

/* ---------------------------------------------------------------- helpers */

static void ok(int rc, const struct err *e, const char *what)
{
	if (rc)
		print_error("%s: rc=%d %s (%s) field=%s\n", what, rc, e->msg_en, e->msg_zh, e->field);
	assert_int_equal(rc, 0);
}

static int64_t sql_int(struct db *db, const char *sql, int64_t a1, const char *t1)
{
	struct err e = ERR_INIT;
	struct db_stmt *st;
	ok(db_prepare(db, sql, &st, &e), &e, sql);
	if (t1)
		db_bind_text(st, 1, t1);
	else
		db_bind_int(st, 1, a1);
	int rc = db_step(st, &e);
	int64_t v = rc == DB_ROW ? db_col_int(st, 0) : -999;
	db_done(st);
	assert_true(rc >= 0);
	return v;
}

static void sql_run(struct db *db, const char *sql, int64_t a, int64_t b, const char *t)
{
	struct err e = ERR_INIT;
	struct db_stmt *st;
	ok(db_prepare(db, sql, &st, &e), &e, sql);
	db_bind_int(st, 1, a);
	db_bind_int(st, 2, b);
	if (t)
		db_bind_text(st, 3, t);
	ok(db_run(st, &e), &e, sql);
	db_done(st);
}

static int64_t on_hand(struct db *db, const char *sku)
{
	return sql_int(db, "SELECT COALESCE(SUM(t.on_hand), 0) FROM stock t JOIN skus s ON s.id = t.sku_id"
			   " WHERE s.sku_code = ?", 0, sku);
}

static int64_t reserved(struct db *db, const char *sku)
{
	return sql_int(db, "SELECT COALESCE(SUM(t.reserved), 0) FROM stock t JOIN skus s ON s.id = t.sku_id"
			   " WHERE s.sku_code = ?", 0, sku);
}

static void ledger_matches(struct db *db)
{
	struct err e = ERR_INIT;
	int64_t checked = 0, bad = 0;
	ok(inv_verify(db, NULL, NULL, &checked, &bad, &e), &e, "verify");
	assert_true(checked > 0);
	assert_int_equal(bad, 0);
}

static int64_t new_order(struct fx *fx, const char *no)
{
	struct err e = ERR_INIT;
	struct db_stmt *st;
	ok(db_prepare(fx->db, "INSERT INTO orders (store_id, platform_order_no, stage, imported_utc,"
			      " updated_utc) VALUES (?, ?, 'pending_audit', 1, 1) RETURNING id",
		      &st, &e),
	   &e, "order");
	db_bind_int(st, 1, fx->store_id);
	db_bind_text(st, 2, no);
	assert_int_equal(db_step(st, &e), DB_ROW);
	int64_t id = db_col_int(st, 0);
	db_done(st);
	return id;
}

static void add_item(struct db *db, int64_t order, int64_t line, const char *sku, int64_t qty)
{
	struct err e = ERR_INIT;
	struct db_stmt *st;
	ok(db_prepare(db, "INSERT INTO order_items (order_id, line_no, sku_code, qty) VALUES (?, ?, ?, ?)",
		      &st, &e),
	   &e, "item");
	db_bind_int(st, 1, order);
	db_bind_int(st, 2, line);
	db_bind_text(st, 3, sku);
	db_bind_int(st, 4, qty);
	ok(db_run(st, &e), &e, "item");
	db_done(st);
}

static void sku(struct db *db, const char *code)
{
	struct err e = ERR_INIT;
	struct inv_sku_fields f = { code, "T", "测试", "", 100, 1, 0 };
	int64_t id;
	ok(inv_sku_create(db, &boss, &f, NOW, &id, &e), &e, code);
}

static void receive(struct db *db, const char *code, int64_t qty)
{
	struct err e = ERR_INIT;
	struct inv_move m = { code, NULL, qty, "test" };
	ok(inv_receive(db, &boss, &m, NOW, NULL, &e), &e, "receive");
}

/* ---------------------------------------------------------------- cases */

static int count_rows(const struct inv_listing_row *r, void *n)
{
	UNUSED(r);
	(*(int *)n)++;
	return 0;
}

static int find_combo(const struct inv_listing_row *r, void *n)
{
	if (r->is_combo && strcmp(r->sku, "QH-TX16-01-03") == 0 &&
	    strcmp(r->short_parts, "QH-TX02-01-03") == 0)
		(*(int *)n)++;
	return 0;
}

/* The demo catalogue is the generator's: 16 products, every value combination. */
static void t_demo_seed(void **state)
{
	struct fx *fx = *state;
	struct err e = ERR_INIT;
	struct arena *a = arena_new(1 << 16);
	int n_out = 0, combo = 0;

	ok(inv_demo_seed(fx->db, NOW, &e), &e, "seed");
	int64_t skus = sql_int(fx->db, "SELECT COUNT(*) FROM skus WHERE id > ?", 0, NULL);
	assert_int_equal(skus, 20 + 20 + 18 + 15 + 4 + 20 + 15 + 20 + 3 + 15 + 6 + 20 + 3 + 3 + 20 + 20);
	assert_int_equal(sql_int(fx->db, "SELECT COUNT(*) FROM skus WHERE is_combo = ?", 1, NULL), 20);
	assert_int_equal(sql_int(fx->db, "SELECT COUNT(*) FROM skus WHERE sku_code = ?", 0,
				 "QH-WY01-01-03"), 1);
	assert_int_equal(sql_int(fx->db, "SELECT COUNT(*) FROM skus WHERE sku_code = ?", 0,
				 "QH-BB09-03"), 1);
	/* every stock SKU on a shelf, shelves in pick order */
	assert_int_equal(sql_int(fx->db, "SELECT COUNT(*) FROM skus s WHERE s.is_combo = 0 AND NOT EXISTS"
					 " (SELECT 1 FROM sku_locations l WHERE l.sku_id = s.id) AND s.id > ?",
				 0, NULL),
			 0);
	ok(inv_demo_seed(fx->db, NOW + 60, &e), &e, "seed again");
	assert_int_equal(sql_int(fx->db, "SELECT COUNT(*) FROM skus WHERE id > ?", 0, NULL), skus);
	ok(inv_out_of_stock(fx->db, a, NULL, count_rows, &n_out, &e), &e, "out of stock");
	assert_true(n_out > 5);
	ok(inv_delist(fx->db, a, NULL, find_combo, &combo, &e), &e, "delist");
	assert_int_equal(combo, 1);
	ledger_matches(fx->db);
	arena_free(a);
}

static void catalogue(struct fx *fx)
{
	struct err e = ERR_INIT;
	struct inv_part_in parts[] = { { "T-A", 2 }, { "T-B", 1 } };
	sku(fx->db, "T-A");
	sku(fx->db, "T-B");
	sku(fx->db, "T-C");
	ok(inv_sku_parts_set(fx->db, &boss, "T-C", 1, parts, 2, NOW, &e), &e, "parts");
	receive(fx->db, "T-A", 10);
	receive(fx->db, "T-B", 5);
}

/* Reserve, release, ship, each twice; exact after an edit of the items. */
static void t_order_cycle(void **state)
{
	struct fx *fx = *state;
	struct err e = ERR_INIT;
	int good = 0;

	catalogue(fx);
	int64_t o = new_order(fx, "A1");
	add_item(fx->db, o, 1, "T-A", 3);
	add_item(fx->db, o, 2, "T-C", 2); /* 4 x T-A + 2 x T-B */
	ok(inv_order_check(fx->db, o, &good, &e), &e, "check");
	assert_int_equal(good, 1);
	for (int i = 0; i < 2; i++) {
		ok(inv_order_reserve(fx->db, &boss, o, 0, NOW, &e), &e, "reserve");
		assert_int_equal(reserved(fx->db, "T-A"), 7);
		assert_int_equal(reserved(fx->db, "T-B"), 2);
		assert_int_equal(reserved(fx->db, "T-C"), 0); /* a combo holds nothing */
	}
	/* the items change after the reservation: release gives back what was held */
	sql_run(fx->db, "UPDATE order_items SET qty = ? WHERE order_id = ? AND line_no = 1", 1, o, NULL);
	for (int i = 0; i < 2; i++) {
		ok(inv_order_release(fx->db, &boss, o, NOW, &e), &e, "release");
		assert_int_equal(reserved(fx->db, "T-A"), 0);
		assert_int_equal(reserved(fx->db, "T-B"), 0);
	}
	ok(inv_order_reserve(fx->db, &boss, o, 0, NOW, &e), &e, "reserve again");
	assert_int_equal(reserved(fx->db, "T-A"), 5);
	for (int i = 0; i < 2; i++) {
		ok(inv_order_ship(fx->db, &boss, o, NOW, &e), &e, "ship");
		assert_int_equal(on_hand(fx->db, "T-A"), 5);
		assert_int_equal(reserved(fx->db, "T-A"), 0);
		assert_int_equal(on_hand(fx->db, "T-B"), 3);
	}
	/* after shipping nothing more happens */
	ok(inv_order_reserve(fx->db, &boss, o, 0, NOW, &e), &e, "reserve shipped");
	ok(inv_order_release(fx->db, &boss, o, NOW, &e), &e, "release shipped");
	assert_int_equal(reserved(fx->db, "T-A"), 0);
	assert_int_equal(on_hand(fx->db, "T-A"), 5);
	ok(inv_order_check(fx->db, o, &good, &e), &e, "check shipped");
	assert_int_equal(good, 1);

	/* returns: a combo restocks its parts; never more than shipped */
	ok(inv_order_return(fx->db, &boss, o, "T-C", 1, "退货", NOW, &e), &e, "return combo");
	assert_int_equal(on_hand(fx->db, "T-A"), 7);
	assert_int_equal(on_hand(fx->db, "T-B"), 4);
	ok(inv_order_return(fx->db, &boss, o, "T-A", 3, NULL, NOW, &e), &e, "return T-A");
	assert_int_equal(on_hand(fx->db, "T-A"), 10);
	assert_int_equal(inv_order_return(fx->db, &boss, o, "T-A", 1, NULL, NOW, &e), ERR_UNPROCESSABLE);
	assert_string_equal(e.field, "qty");
	assert_int_equal(on_hand(fx->db, "T-A"), 10);
	ledger_matches(fx->db);
}

/* INV-6: refused with the short SKUs named; unknown and empty codes named. */
static void t_order_refusals(void **state)
{
	struct fx *fx = *state;
	struct err e = ERR_INIT;
	int good = 1;

	int64_t o = new_order(fx, "B1");
	add_item(fx->db, o, 1, "T-A", 100);
	add_item(fx->db, o, 2, "NOPE-1", 1);
	assert_int_equal(inv_order_reserve(fx->db, &boss, o, 0, NOW, &e), ERR_UNPROCESSABLE);
	assert_string_equal(e.field, "stock");
	assert_non_null(strstr(e.msg_zh, "商家编码未知: NOPE-1"));
	err_init(&e);
	ok(inv_order_check(fx->db, o, &good, &e), &e, "check unknown");
	assert_int_equal(good, 0);

	sql_run(fx->db, "UPDATE order_items SET sku_code = 'T-B' WHERE order_id = ? AND line_no = ?", o,
		2, NULL);
	err_init(&e);
	assert_int_equal(inv_order_reserve(fx->db, &boss, o, 0, NOW, &e), ERR_UNPROCESSABLE);
	assert_string_equal(e.field, "stock");
	assert_non_null(strstr(e.msg_zh, "库存不足: T-A(可用 10,需要 100)"));
	assert_null(strstr(e.msg_zh, "T-B"));
	assert_int_equal(reserved(fx->db, "T-A"), 0);
	assert_int_equal(reserved(fx->db, "T-B"), 0);
	err_init(&e);
	ok(inv_order_check(fx->db, o, &good, &e), &e, "check short");
	assert_int_equal(good, 0);
	assert_int_equal(e.code, 0); /* "no" is an answer, not an error */

	/* pre-sale allowed by the store's policy: available goes negative */
	ok(inv_order_reserve(fx->db, &boss, o, 1, NOW, &e), &e, "presale");
	assert_int_equal(reserved(fx->db, "T-A"), 100);
	/* shipping it is refused: the goods are not on hand */
	assert_int_equal(inv_order_ship(fx->db, &boss, o, NOW, &e), ERR_UNPROCESSABLE);
	assert_int_equal(reserved(fx->db, "T-A"), 100);
	err_init(&e);
	ok(inv_order_release(fx->db, &boss, o, NOW, &e), &e, "release presale");
	assert_int_equal(reserved(fx->db, "T-A"), 0);

	int64_t blank = new_order(fx, "B2");
	add_item(fx->db, blank, 1, "", 1);
	err_init(&e);
	assert_int_equal(inv_order_reserve(fx->db, &boss, blank, 0, NOW, &e), ERR_UNPROCESSABLE);
	assert_non_null(strstr(e.msg_zh, "第 1 行"));
	err_init(&e);
	assert_int_equal(inv_order_reserve(fx->db, &boss, 987654, 0, NOW, &e), ERR_NOT_FOUND);
	err_init(&e);
	assert_int_equal(inv_order_check(fx->db, 987654, &good, &e), ERR_NOT_FOUND);

	/* many unknown codes: the message is cut, stays valid UTF-8 and fits */
	int64_t many = new_order(fx, "B3");
	for (int i = 1; i <= 40; i++) {
		char code[80];
		snprintf(code, sizeof code, "未知编码未知编码未知编码未知编码-%d", i);
		add_item(fx->db, many, i, code, 1);
	}
	err_init(&e);
	assert_int_equal(inv_order_reserve(fx->db, &boss, many, 0, NOW, &e), ERR_UNPROCESSABLE);
	assert_non_null(strstr(e.msg_zh, "等共 40 个"));
	assert_non_null(strstr(e.msg_en, "more"));
	ledger_matches(fx->db);
}

/* Called inside the orders' transaction: joins it, and a rollback undoes it. */
static void t_nested(void **state)
{
	struct fx *fx = *state;
	struct err e = ERR_INIT;
	int64_t o = new_order(fx, "C1");
	add_item(fx->db, o, 1, "T-B", 2);

	ok(db_begin(fx->db, &e), &e, "begin");
	ok(inv_order_reserve(fx->db, &boss, o, 0, NOW, &e), &e, "reserve nested");
	assert_int_equal(reserved(fx->db, "T-B"), 2);
	db_rollback(fx->db);
	assert_int_equal(reserved(fx->db, "T-B"), 0);

	ok(db_begin(fx->db, &e), &e, "begin");
	ok(inv_order_reserve(fx->db, &boss, o, 0, NOW, &e), &e, "reserve nested");
	ok(db_commit(fx->db, &e), &e, "commit");
	assert_int_equal(reserved(fx->db, "T-B"), 2);

	/* an inner failure rolls back the caller's work too */
	int64_t bad = new_order(fx, "C2");
	add_item(fx->db, bad, 1, "T-B", 1000);
	ok(db_begin(fx->db, &e), &e, "begin");
	ok(inv_order_release(fx->db, &boss, o, NOW, &e), &e, "release nested");
	assert_int_equal(inv_order_reserve(fx->db, &boss, bad, 0, NOW, &e), ERR_UNPROCESSABLE);
	assert_int_equal(fx->db->tx_depth, 0);
	assert_int_equal(reserved(fx->db, "T-B"), 2);
	ledger_matches(fx->db);
}

/* A never-reserved order ships its items straight from on_hand. */
static void t_ship_unreserved(void **state)
{
	struct fx *fx = *state;
	struct err e = ERR_INIT;
	int64_t o = new_order(fx, "D1");
	int64_t before = on_hand(fx->db, "T-A");
	add_item(fx->db, o, 1, "T-A", 2);
	ok(inv_order_ship(fx->db, &boss, o, NOW, &e), &e, "ship unreserved");
	assert_int_equal(on_hand(fx->db, "T-A"), before - 2);
	ok(inv_order_ship(fx->db, &boss, o, NOW, &e), &e, "ship again");
	assert_int_equal(on_hand(fx->db, "T-A"), before - 2);
	ledger_matches(fx->db);
}

static void t_stocktake(void **state)
{
	struct fx *fx = *state;
	struct err e = ERR_INIT;
	struct arena *a = arena_new(8192);
	struct inv_stocktake s;
	int64_t id, a_before = on_hand(fx->db, "T-A");
	const char *locs[] = { "Z-09" };

	/* shelve T-A and T-B on Z-09 and count just that shelf */
	ok(inv_location_create(fx->db, &boss, NULL, "Z-09", 999, NOW, &id, &e), &e, "location");
	ok(inv_sku_locations_set(fx->db, &boss, "T-A", NULL, locs, 1, NOW, &e), &e, "shelve A");
	ok(inv_sku_locations_set(fx->db, &boss, "T-B", NULL, locs, 1, NOW, &e), &e, "shelve B");
	ok(inv_stocktake_create(fx->db, &boss, NULL, locs, 1, "月度盘点", NOW, &id, &e), &e, "create");
	ok(inv_stocktake_get(fx->db, a, id, &s, &e), &e, "get");
	assert_int_equal(s.sum.lines, 2);
	assert_int_equal(s.sum.uncounted, 2);

	struct inv_count_in one[] = { { "T-A", a_before - 3 } };
	ok(inv_stocktake_count(fx->db, &boss, id, one, 1, NOW, &e), &e, "count");
	assert_int_equal(inv_stocktake_approve(fx->db, &boss, id, NOW, &e), ERR_UNPROCESSABLE);
	assert_string_equal(e.field, "counts");
	struct inv_count_in rest[] = { { "T-B", 4 }, { "T-C", 1 } };
	err_init(&e);
	assert_int_equal(inv_stocktake_count(fx->db, &boss, id, rest, 2, NOW, &e), ERR_UNPROCESSABLE);
	rest[1].sku = "T-B";
	err_init(&e);
	ok(inv_stocktake_count(fx->db, &boss, id, rest, 1, NOW, &e), &e, "count B");
	ok(inv_stocktake_approve(fx->db, &boss, id, NOW, &e), &e, "approve");
	assert_int_equal(on_hand(fx->db, "T-A"), a_before - 3);
	assert_int_equal(on_hand(fx->db, "T-B"), 4);
	/* one adjustment row: T-B was right */
	char ref[24];
	snprintf(ref, sizeof ref, "%lld", (long long)id);
	assert_int_equal(sql_int(fx->db, "SELECT COUNT(*) FROM stock_ledger WHERE ref_type = 'stocktake'"
					 " AND ref_id = ?", 0, ref), 1);
	assert_int_equal(inv_stocktake_approve(fx->db, &boss, id, NOW, &e), ERR_CONFLICT);
	err_init(&e);
	assert_int_equal(inv_stocktake_count(fx->db, &boss, id, one, 1, NOW, &e), ERR_CONFLICT);
	err_init(&e);
	assert_int_equal(inv_stocktake_approve(fx->db, &boss, 424242, NOW, &e), ERR_NOT_FOUND);
	ledger_matches(fx->db);
	arena_free(a);
}

/* ---------------------------------------------------------------- setup */

static int setup_common(struct fx *fx)
{
	struct err e = ERR_INIT;
	int applied;
	if (db_open(fx->url, &fx->db, &e) || db_migrate(fx->db, &applied, &e)) {
		print_error("open/migrate %s: %s\n", fx->engine == DB_SQLITE ? fx->url : "pg", e.msg_en);
		return -1;
	}
	fx->store_id = sql_int(fx->db, "INSERT INTO stores (code, name, platform, created_utc, updated_utc)"
				       " VALUES (?, '测试店', 'taobao', 1, 1) RETURNING id", 0, "t1");
	return 0;
}

static int setup_sqlite(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);
	if (!fx)
		return -1;
	*state = fx;
	fx->engine = DB_SQLITE;
	snprintf(fx->path, sizeof fx->path, "/tmp/dianpu_test_inv_XXXXXX");
	int fd = mkstemp(fx->path);
	if (fd < 0)
		return -1;
	close(fd);
	snprintf(fx->url, sizeof fx->url, "sqlite:%s", fx->path);
	return setup_common(fx);
}

static int setup_pg(void **state)
{
	const char *base = getenv("DIANPU_TEST_PG_URL");
	struct fx *fx = calloc(1, sizeof *fx);
	struct err e = ERR_INIT;
	struct db *db;
	char sql[256];

	if (!fx)
		return -1;
	*state = fx;
	fx->engine = DB_POSTGRES;
	snprintf(fx->schema, sizeof fx->schema, "dianpu_test_inv_%ld", (long)getpid());
	/* The schema name is ours (digits only), not input. */
	snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", fx->schema,
		 fx->schema);
	if (db_open(base, &db, &e) || db_exec(db, sql, &e)) {
		print_error("create schema: %s\n", e.msg_en);
		return -1;
	}
	db_close(db);
	snprintf(fx->url, sizeof fx->url, "%s%soptions=-c%%20search_path%%3D%s", base,
		 strchr(base, '?') ? "&" : "?", fx->schema);
	return setup_common(fx);
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	char sql[sizeof fx->path + 64];
	if (!fx)
		return 0;
	if (fx->db && fx->engine == DB_POSTGRES) {
		struct err e = ERR_INIT;
		db_rollback(fx->db);
		snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", fx->schema);
		if (db_exec(fx->db, sql, &e))
			print_error("drop schema: %s\n", e.msg_en);
	}
	db_close(fx->db);
	if (fx->engine == DB_SQLITE && fx->path[0]) {
		unlink(fx->path);
		snprintf(sql, sizeof sql, "%s-wal", fx->path);
		unlink(sql);
		snprintf(sql, sizeof sql, "%s-shm", fx->path);
		unlink(sql);
	}
	free(fx);
	return 0;
}

#define CASES                                   \
	cmocka_unit_test(t_demo_seed),          \
	cmocka_unit_test(t_order_cycle),        \
	cmocka_unit_test(t_order_refusals),     \
	cmocka_unit_test(t_nested),             \
	cmocka_unit_test(t_ship_unreserved),    \
	cmocka_unit_test(t_stocktake)

int main(void)
{
	const struct CMUnitTest sqlite_tests[] = { CASES };
	const struct CMUnitTest pg_tests[] = { CASES };
	int failed = cmocka_run_group_tests_name("inventory_db sqlite", sqlite_tests, setup_sqlite,
						 teardown);
	if (getenv("DIANPU_TEST_PG_URL") && getenv("DIANPU_TEST_PG_URL")[0])
		failed += cmocka_run_group_tests_name("inventory_db postgres", pg_tests, setup_pg,
						      teardown);
	else
		printf("inventory_db postgres: NOT RUN (set DIANPU_TEST_PG_URL)\n");
	return failed ? 1 : 0;
}
