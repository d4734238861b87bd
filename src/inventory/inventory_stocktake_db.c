/*
 * inventory_stocktake_db.c - the monthly stocktake with finance (盘点, INV-3):
 * count sheets per warehouse or shelves, entered counts, variances, approval
 * and the adjustment rows it writes (reason "stocktake", ref the sheet).
 *
 * Concurrency: a count and an approval each begin by updating the sheet's row
 * (status must still be open), so they queue on that row; an approval then
 * reads the counts committed before it, and a count arriving after approval
 * finds the sheet closed (409).
 */
#include "inventory/inventory_db.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "inventory/inventory_db_int.h"
#include "lib/arena.h"
#include "lib/sb.h"
#include "lib/xalloc.h"
#include "lib/common.h"

#define STOCKTAKE_LOCATIONS_MAX 200

/* ---------------------------------------------------------------- create */

static int sheet_insert(struct db *db, const struct auth_user *who, int64_t wh,
			const char *locations, const char *note, int64_t now, int64_t *id,
			struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "INSERT INTO stocktakes (warehouse_id, locations, note, created_by,"
				" created_utc) VALUES (?, ?, ?, ?, ?) RETURNING id",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, wh);
	db_bind_text(st, 2, locations);
	db_bind_text(st, 3, note ? note : "");
	if (who)
		db_bind_int(st, 4, who->id);
	else
		db_bind_null(st, 4);
	db_bind_int(st, 5, now);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* The first shelf of a SKU in the warehouse, by pick order. */
#define FIRST_SHELF \
	"(SELECT l.id FROM sku_locations sl JOIN locations l ON l.id = sl.location_id" \
	" WHERE sl.sku_id = s.id AND l.warehouse_id = w.id ORDER BY l.pick_order, l.code LIMIT 1)"

/* Whole warehouse: every stock SKU with stock or a shelf there (inactive ones
 * only while they still hold stock). */
static int lines_whole(struct db *db, int64_t id, int64_t wh, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "INSERT INTO stocktake_lines (stocktake_id, sku_id, location_id, expected)"
				" SELECT CAST(? AS BIGINT), s.id, " FIRST_SHELF ", COALESCE(t.on_hand, 0)"
				" FROM skus s JOIN warehouses w ON w.id = ?"
				" LEFT JOIN stock t ON t.sku_id = s.id AND t.warehouse_id = w.id"
				" WHERE s.is_combo = 0 AND (s.active = 1 OR COALESCE(t.on_hand, 0) <> 0)"
				" AND (COALESCE(t.on_hand, 0) <> 0 OR COALESCE(t.reserved, 0) <> 0"
				" OR " FIRST_SHELF " IS NOT NULL)",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, wh);
	rc = db_run(st, err);
	db_done(st);
	return rc;
}

static int lines_at(struct db *db, int64_t id, int64_t wh, const char *code, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "INSERT INTO stocktake_lines (stocktake_id, sku_id, location_id, expected)"
				" SELECT CAST(? AS BIGINT), s.id, l.id, COALESCE(t.on_hand, 0)"
				" FROM locations l JOIN sku_locations sl ON sl.location_id = l.id"
				" JOIN skus s ON s.id = sl.sku_id"
				" LEFT JOIN stock t ON t.sku_id = s.id AND t.warehouse_id = l.warehouse_id"
				" WHERE l.warehouse_id = ? AND l.code = ? AND s.is_combo = 0"
				" AND NOT EXISTS (SELECT 1 FROM stocktake_lines x"
				" WHERE x.stocktake_id = ? AND x.sku_id = s.id)",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, wh);
	db_bind_text(st, 3, code);
	db_bind_int(st, 4, id);
	rc = db_run(st, err);
	db_done(st);
	return rc;
}

static int location_known(struct db *db, int64_t wh, const char *code, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT 1 FROM locations WHERE warehouse_id = ? AND code = ?", &st,
			    err);
	if (rc)
		return rc;
	db_bind_int(st, 1, wh);
	db_bind_text(st, 2, code);
	rc = db_step(st, err);
	db_done(st);
	if (rc == DB_DONE)
		return err_setf(err, ERR_UNPROCESSABLE, "locations", "库位 %.32s 不存在",
				"no location %.32s in that warehouse", code, code);
	return rc < 0 ? rc : 0;
}

static int line_count(struct db *db, int64_t id, int64_t *n, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT COUNT(*) FROM stocktake_lines WHERE stocktake_id = ?", &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, id);
	rc = db_step(st, err);
	*n = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int locations_check(const char *const *locs, size_t n, struct sb *joined, struct err *err)
{
	if (n > STOCKTAKE_LOCATIONS_MAX)
		return err_setf(err, ERR_UNPROCESSABLE, "locations", "一张盘点单最多 %d 个库位",
				"at most %d locations per sheet", STOCKTAKE_LOCATIONS_MAX,
				STOCKTAKE_LOCATIONS_MAX);
	for (size_t i = 0; i < n; i++) {
		int rc = inv_place_code_check(locs[i], "locations", err);
		if (rc)
			return rc;
		if (i)
			sb_addc(joined, ',');
		sb_adds(joined, locs[i]);
	}
	return 0;
}

static int create_body(struct db *db, const struct auth_user *who, int64_t wh,
		       const char *const *locs, size_t n, const char *joined, const char *note,
		       int64_t now, int64_t *id, struct err *err)
{
	int64_t lines = 0;
	int rc = 0;
	for (size_t i = 0; !rc && i < n; i++)
		rc = location_known(db, wh, locs[i], err);
	if (!rc)
		rc = sheet_insert(db, who, wh, joined, note, now, id, err);
	if (!rc && n == 0)
		rc = lines_whole(db, *id, wh, err);
	for (size_t i = 0; !rc && i < n; i++)
		rc = lines_at(db, *id, wh, locs[i], err);
	if (!rc)
		rc = line_count(db, *id, &lines, err);
	if (!rc && lines == 0)
		rc = err_set(err, ERR_UNPROCESSABLE, "locations", "没有可盘点的商品(库位上没有商品,也没有库存)",
			     "nothing to count: no SKU is shelved there or holds stock");
	if (rc)
		return rc;
	char eid[24];
	snprintf(eid, sizeof eid, "%lld", (long long)*id);
	return inv_db_audit(db, who, "stocktake", eid, "create", NULL,
			    json_pack("{s:s,s:I,s:s}", "locations", joined, "lines", (json_int_t)lines,
				      "note", note ? note : ""),
			    now, err);
}

int inv_stocktake_create(struct db *db, const struct auth_user *who, const char *warehouse,
			 const char *const *locations, size_t n_locations, const char *note,
			 int64_t now_utc, int64_t *id, struct err *err)
{
	struct sb joined = SB_INIT;
	int64_t wh;
	int rc = locations_check(locations, n_locations, &joined, err);
	char *text = rc ? NULL : sb_take(&joined, err);

	sb_release(&joined);
	if (!rc && !text)
		rc = err->code ? err->code : inv_db_nomem(err);
	if (!rc && note)
		rc = inv_text_check(note, "note", 200, 0, err);
	if (!rc)
		rc = db_begin(db, err);
	if (!rc) {
		rc = inv_db_wh_id(db, warehouse, &wh, err);
		if (!rc)
			rc = create_body(db, who, wh, locations, n_locations, text, note, now_utc, id,
					 err);
		rc = inv_db_tx_end(db, rc, err);
	}
	xfree(text);
	return rc;
}

/* ---------------------------------------------------------------- reads */

#define SHEET_COLS \
	"st.id, w.code, st.status, st.locations, st.note," \
	" COALESCE((SELECT u.username FROM users u WHERE u.id = st.created_by), 'system')," \
	" COALESCE((SELECT u.username FROM users u WHERE u.id = st.approved_by), '')," \
	" st.created_utc, COALESCE(st.approved_utc, 0), st.version," \
	" (SELECT COUNT(*) FROM stocktake_lines x WHERE x.stocktake_id = st.id)," \
	" (SELECT COUNT(x.counted) FROM stocktake_lines x WHERE x.stocktake_id = st.id)"

static int read_sheet(struct db_stmt *st, struct arena *a, struct inv_stocktake *s)
{
	memset(s, 0, sizeof *s);
	s->id = db_col_int(st, 0);
	s->warehouse = inv_db_col(st, 1, a);
	s->status = inv_db_col(st, 2, a);
	s->locations = inv_db_col(st, 3, a);
	s->note = inv_db_col(st, 4, a);
	s->created_by = inv_db_col(st, 5, a);
	s->approved_by = inv_db_col(st, 6, a);
	s->created_utc = db_col_int(st, 7);
	s->approved_utc = db_col_int(st, 8);
	s->version = db_col_int(st, 9);
	s->sum.lines = db_col_int(st, 10);
	s->sum.counted = db_col_int(st, 11);
	s->sum.uncounted = s->sum.lines - s->sum.counted;
	return s->warehouse && s->status && s->locations && s->note && s->created_by &&
			       s->approved_by
		       ? 0
		       : ERR_NOMEM;
}

/* The lines' counts, for the pure summary. */
struct count_rows {
	int64_t *sku_id;
	const char **code;
	struct inv_count_line *lines;
	size_t n;
};

static int load_counts(struct db *db, struct arena *a, int64_t id, struct count_rows *c,
		       struct err *err)
{
	struct db_stmt *st;
	int64_t n = 0;
	int rc = line_count(db, id, &n, err);
	if (rc)
		return rc;
	c->n = 0;
	c->sku_id = arena_alloc(a, (size_t)(n + 1) * sizeof *c->sku_id);
	c->code = arena_alloc(a, (size_t)(n + 1) * sizeof *c->code);
	c->lines = arena_alloc(a, (size_t)(n + 1) * sizeof *c->lines);
	if (!c->sku_id || !c->code || !c->lines)
		return inv_db_nomem(err);
	rc = db_prepare(db, "SELECT x.sku_id, s.sku_code, x.expected, x.counted FROM stocktake_lines x"
			    " JOIN skus s ON s.id = x.sku_id WHERE x.stocktake_id = ? ORDER BY x.sku_id",
			&st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st, err)) == DB_ROW && c->n < (size_t)n) {
		size_t i = c->n++;
		c->sku_id[i] = db_col_int(st, 0);
		c->code[i] = inv_db_col(st, 1, a);
		c->lines[i].expected = db_col_int(st, 2);
		c->lines[i].has_count = !db_col_is_null(st, 3);
		c->lines[i].counted = c->lines[i].has_count ? db_col_int(st, 3) : 0;
		if (!c->code[i]) {
			rc = inv_db_nomem(err);
			break;
		}
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

int inv_stocktake_get(struct db *db, struct arena *a, int64_t id, struct inv_stocktake *out,
		      struct err *err)
{
	struct db_stmt *st;
	struct count_rows c;
	int rc = db_prepare(db, "SELECT " SHEET_COLS " FROM stocktakes st"
				" JOIN warehouses w ON w.id = st.warehouse_id WHERE st.id = ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, id);
	rc = db_step(st, err);
	if (rc == DB_ROW && read_sheet(st, a, out))
		rc = inv_db_nomem(err);
	db_done(st);
	if (rc == DB_DONE)
		return err_set(err, ERR_NOT_FOUND, "id", "盘点单不存在", "no such stocktake");
	if (rc < 0)
		return rc;
	rc = load_counts(db, a, id, &c, err);
	if (!rc)
		inv_stocktake_sum(c.lines, c.n, &out->sum);
	return rc;
}

int inv_stocktake_lines_each(struct db *db, struct arena *a, int64_t id,
			     int (*fn)(const struct inv_stocktake_line *l, void *ctx), void *ctx,
			     struct err *err)
{
	struct db_stmt *st;
	struct inv_stocktake_line l;
	int rc = db_prepare(db, "SELECT s.sku_code, s.title, s.attrs, COALESCE(l.code, ''),"
				" COALESCE(l.pick_order, 0), x.expected, x.counted"
				" FROM stocktake_lines x JOIN skus s ON s.id = x.sku_id"
				" LEFT JOIN locations l ON l.id = x.location_id WHERE x.stocktake_id = ?"
				" ORDER BY CASE WHEN l.id IS NULL THEN 1 ELSE 0 END, l.pick_order, l.code,"
				" s.sku_code",
			    &st, err);
	UNUSED(a);
	if (rc)
		return rc;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		l.sku = db_col_text(st, 0);
		l.title = db_col_text(st, 1);
		l.attrs = db_col_text(st, 2);
		l.location = db_col_text(st, 3);
		l.pick_order = db_col_int(st, 4);
		l.count.expected = db_col_int(st, 5);
		l.count.has_count = !db_col_is_null(st, 6);
		l.count.counted = l.count.has_count ? db_col_int(st, 6) : 0;
		l.variance = l.count.has_count ? inv_variance(&l.count) : 0;
		rc = fn(&l, ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

int inv_stocktake_list(struct db *db, struct arena *a, const char *status,
		       int (*fn)(const struct inv_stocktake *s, void *ctx), void *ctx,
		       struct err *err)
{
	struct db_stmt *st;
	struct inv_stocktake s;
	int rc = db_prepare(db, "SELECT " SHEET_COLS " FROM stocktakes st"
				" JOIN warehouses w ON w.id = st.warehouse_id"
				" WHERE (CAST(? AS TEXT) IS NULL OR st.status = ?)"
				" ORDER BY st.id DESC LIMIT 200",
			    &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, status);
	db_bind_text(st, 2, status);
	while ((rc = db_step(st, err)) == DB_ROW) {
		rc = read_sheet(st, a, &s) ? inv_db_nomem(err) : fn(&s, ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* ---------------------------------------------------------------- state changes */

/* A sheet that is not open: missing (404), or approved / cancelled (409). */
static int sheet_why_not(struct db *db, int64_t id, struct err *err)
{
	struct arena *a = arena_new(1024);
	struct inv_stocktake s;
	int rc = a ? inv_stocktake_get(db, a, id, &s, err) : inv_db_nomem(err);
	int approved = !rc && strcmp(s.status, "approved") == 0;
	if (!rc)
		rc = err_set(err, ERR_CONFLICT, "status",
			     approved ? "盘点单已审批,不能再修改" : "盘点单已作废,不能再修改",
			     approved ? "the stocktake is approved already"
				      : "the stocktake is cancelled already");
	arena_free(a);
	return rc;
}

/* Takes the sheet's row for an open sheet; says why not otherwise. */
static int sheet_lock(struct db *db, const struct auth_user *who, int64_t id, const char *to,
		      int64_t now, int64_t *wh, struct err *err)
{
	struct db_stmt *st;
	int approve = strcmp(to, "approved") == 0;
	int rc = db_prepare(db, "UPDATE stocktakes SET status = ?, version = version + 1,"
				" approved_by = CASE WHEN CAST(? AS BIGINT) = 1 THEN CAST(? AS BIGINT) ELSE approved_by END,"
				" approved_utc = CASE WHEN CAST(? AS BIGINT) = 1 THEN CAST(? AS BIGINT) ELSE approved_utc END"
				" WHERE id = ? AND status = 'open' RETURNING warehouse_id",
			    &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, to);
	db_bind_int(st, 2, approve);
	if (who)
		db_bind_int(st, 3, who->id);
	else
		db_bind_null(st, 3);
	db_bind_int(st, 4, approve);
	db_bind_int(st, 5, now);
	db_bind_int(st, 6, id);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		*wh = db_col_int(st, 0);
	db_done(st);
	if (rc < 0 || rc == DB_ROW)
		return rc < 0 ? rc : 0;
	return sheet_why_not(db, id, err);
}

static int count_one(struct db *db, const struct auth_user *who, int64_t id, int64_t wh,
		     const struct inv_count_in *c, int64_t now, struct err *err)
{
	struct db_stmt *st;
	int64_t sku;
	int combo = 0;
	int rc = inv_db_sku_id(db, c->sku, "counts", &sku, &combo, err);
	if (rc == ERR_NOT_FOUND) {
		err_init(err);
		return err_setf(err, ERR_UNPROCESSABLE, "counts", "商家编码未知: %.64s",
				"unknown SKU code (商家编码): %.64s", c->sku, c->sku);
	}
	if (!rc && combo)
		rc = err_setf(err, ERR_UNPROCESSABLE, "counts", "%.64s 是组合商品,请盘点组成商品",
			      "%.64s is a combination; count its parts", c->sku, c->sku);
	if (!rc)
		rc = db_prepare(db, "UPDATE stocktake_lines SET counted = ?, counted_by = ?, counted_utc = ?"
				    " WHERE stocktake_id = ? AND sku_id = ?",
				&st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, c->counted);
	if (who)
		db_bind_int(st, 2, who->id);
	else
		db_bind_null(st, 2);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, id);
	db_bind_int(st, 5, sku);
	rc = db_run(st, err);
	int64_t n = db_changes(st);
	db_done(st);
	if (rc || n == 1)
		return rc;
	/* Found on a shelf but not on the sheet: add it, expecting today's on_hand. */
	rc = db_prepare(db, "INSERT INTO stocktake_lines (stocktake_id, sku_id, location_id, expected,"
			    " counted, counted_by, counted_utc)"
			    " SELECT CAST(? AS BIGINT), s.id, " FIRST_SHELF ", COALESCE(t.on_hand, 0),"
			    " CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT)"
			    " FROM skus s JOIN warehouses w ON w.id = ?"
			    " LEFT JOIN stock t ON t.sku_id = s.id AND t.warehouse_id = w.id WHERE s.id = ?",
			&st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, c->counted);
	if (who)
		db_bind_int(st, 3, who->id);
	else
		db_bind_null(st, 3);
	db_bind_int(st, 4, now);
	db_bind_int(st, 5, wh);
	db_bind_int(st, 6, sku);
	rc = db_run(st, err);
	db_done(st);
	return rc;
}

static int sheet_touch(struct db *db, int64_t id, int64_t *wh, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "UPDATE stocktakes SET version = version + 1 WHERE id = ?"
				" AND status = 'open' RETURNING warehouse_id",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, id);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		*wh = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_ROW)
		return 0;
	return rc < 0 ? rc : sheet_why_not(db, id, err);
}

static json_t *counts_json(const struct inv_count_in *c, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s,s:I}", "sku", c[i].sku, "counted",
						     (json_int_t)c[i].counted));
	return arr;
}

int inv_stocktake_count(struct db *db, const struct auth_user *who, int64_t id,
			const struct inv_count_in *counts, size_t n, int64_t now_utc,
			struct err *err)
{
	int64_t wh = 0;
	char eid[24];
	int rc = 0;
	for (size_t i = 0; !rc && i < n; i++)
		if (counts[i].counted < 0 || counts[i].counted > INV_QTY_MAX)
			rc = err_setf(err, ERR_UNPROCESSABLE, "counts", "盘点数量应为 0–%d",
				      "a count must be 0-%d", INV_QTY_MAX, INV_QTY_MAX);
	if (!rc)
		rc = db_begin(db, err);
	if (rc)
		return rc;
	rc = sheet_touch(db, id, &wh, err);
	for (size_t i = 0; !rc && i < n; i++)
		rc = count_one(db, who, id, wh, &counts[i], now_utc, err);
	snprintf(eid, sizeof eid, "%lld", (long long)id);
	if (!rc)
		rc = inv_db_audit(db, who, "stocktake", eid, "count", NULL, counts_json(counts, n),
				  now_utc, err);
	return inv_db_tx_end(db, rc, err);
}

/* INV-3: one adjustment row per line that differs; on_hand never below zero. */
static int approve_body(struct db *db, const struct auth_user *who, struct arena *a, int64_t id,
			int64_t now, struct err *err)
{
	struct count_rows c;
	struct inv_stocktake_sum sum;
	int64_t wh = 0;
	char ref[24], note[48];
	int rc = sheet_lock(db, who, id, "approved", now, &wh, err);

	if (!rc)
		rc = load_counts(db, a, id, &c, err);
	if (rc)
		return rc;
	inv_stocktake_sum(c.lines, c.n, &sum);
	rc = inv_stocktake_ready(&sum, err);
	snprintf(ref, sizeof ref, "%lld", (long long)id);
	snprintf(note, sizeof note, "盘点单 #%lld", (long long)id);
	for (size_t i = 0; !rc && i < c.n; i++) {
		int64_t v = inv_variance(&c.lines[i]);
		struct inv_delta d = { c.sku_id[i], wh, v, 0, "stocktake", "stocktake", ref, note,
				       c.code[i] };
		if (v != 0)
			rc = inv_db_stock_apply(db, who, &d, 1, "counts", now, NULL, err);
	}
	if (rc)
		return rc;
	return inv_db_audit(db, who, "stocktake", ref, "approve",
			    json_pack("{s:s}", "status", "open"),
			    json_pack("{s:s,s:I,s:I,s:I,s:I,s:I}", "status", "approved", "lines",
				      (json_int_t)sum.lines, "over_qty", (json_int_t)sum.over_qty,
				      "short_qty", (json_int_t)sum.short_qty, "net",
				      (json_int_t)sum.net, "adjusted_lines",
				      (json_int_t)(sum.over_lines + sum.short_lines)),
			    now, err);
}

int inv_stocktake_approve(struct db *db, const struct auth_user *who, int64_t id,
			  int64_t now_utc, struct err *err)
{
	struct arena *a = arena_new(8192);
	int rc = a ? db_begin(db, err) : inv_db_nomem(err);
	if (!rc)
		rc = inv_db_tx_end(db, approve_body(db, who, a, id, now_utc, err), err);
	arena_free(a);
	return rc;
}

int inv_stocktake_cancel(struct db *db, const struct auth_user *who, int64_t id,
			 int64_t now_utc, struct err *err)
{
	int64_t wh;
	char eid[24];
	int rc = db_begin(db, err);
	if (rc)
		return rc;
	rc = sheet_lock(db, who, id, "cancelled", now_utc, &wh, err);
	snprintf(eid, sizeof eid, "%lld", (long long)id);
	if (!rc)
		rc = inv_db_audit(db, who, "stocktake", eid, "cancel",
				  json_pack("{s:s}", "status", "open"),
				  json_pack("{s:s}", "status", "cancelled"), now_utc, err);
	return inv_db_tx_end(db, rc, err);
}
