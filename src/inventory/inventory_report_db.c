/*
 * inventory_report_db.c - the lists people act on: out-of-stock register
 * (缺货登记), delist list (下架), restock alerts (可上架), the platform stock
 * file, and the sell-through / slow-moving report (动销率 / 滞销, INV-5).
 *
 * A combo's availability needs its parts', so the listing lists load every
 * SKU's level in the warehouse once and compute combos in C (inventory.h).
 */
#include "inventory/inventory_db.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "inventory/inventory_db_int.h"
#include "lib/arena.h"
#include "lib/sb.h"
#include "lib/common.h"

/* ---------------------------------------------------------------- every SKU's level */

struct sku_level {
	struct inv_listing_row r;
	int active;
};

struct levels {
	struct sku_level *v; /* by id */
	size_t n;
};

static int count_skus(struct db *db, int64_t *n, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT COUNT(*) FROM skus", &st, err);
	if (rc)
		return rc;
	rc = db_step(st, err);
	*n = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int read_level(struct db_stmt *st, struct arena *a, struct sku_level *l)
{
	memset(l, 0, sizeof *l);
	l->r.sku_id = db_col_int(st, 0);
	l->r.sku = inv_db_col(st, 1, a);
	l->r.title = inv_db_col(st, 2, a);
	l->r.attrs = inv_db_col(st, 3, a);
	l->r.is_combo = (int)db_col_int(st, 4);
	l->active = (int)db_col_int(st, 5);
	l->r.on_hand = db_col_int(st, 6);
	l->r.reserved = db_col_int(st, 7);
	l->r.available = l->r.on_hand - l->r.reserved;
	l->r.out_since = db_col_int(st, 8);
	l->r.short_parts = "";
	return l->r.sku && l->r.title && l->r.attrs ? 0 : ERR_NOMEM;
}

static int load_levels(struct db *db, struct arena *a, int64_t wh, struct levels *lv,
		       struct err *err)
{
	struct db_stmt *st;
	int64_t n = 0;
	int rc = count_skus(db, &n, err);
	if (rc)
		return rc;
	lv->n = 0;
	lv->v = arena_alloc(a, (size_t)(n + 1) * sizeof *lv->v);
	if (!lv->v)
		return inv_db_nomem(err);
	rc = db_prepare(db, "SELECT s.id, s.sku_code, s.title, s.attrs, s.is_combo, s.active,"
			    " COALESCE(t.on_hand, 0), COALESCE(t.reserved, 0),"
			    " COALESCE((SELECT o.since_utc FROM stockouts o WHERE o.sku_id = s.id"
			    " AND o.warehouse_id = ? AND o.restocked_utc IS NULL), 0)"
			    " FROM skus s LEFT JOIN stock t ON t.sku_id = s.id AND t.warehouse_id = ?"
			    " ORDER BY s.id",
			&st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, wh);
	db_bind_int(st, 2, wh);
	while ((rc = db_step(st, err)) == DB_ROW && lv->n < (size_t)n) {
		if (read_level(st, a, &lv->v[lv->n++])) {
			rc = inv_db_nomem(err);
			break;
		}
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static struct sku_level *level_of(const struct levels *lv, int64_t id)
{
	size_t lo = 0, hi = lv->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (lv->v[mid].r.sku_id == id)
			return &lv->v[mid];
		if (lv->v[mid].r.sku_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* One combo's parts (rows of one combo_sku_id in a run) -> sets and short parts. */
static int combo_finish(struct sku_level *combo, const struct levels *lv, const int64_t *part,
			const int64_t *qty, size_t n, struct arena *a)
{
	int64_t avail[INV_PARTS_MAX];
	struct sb sb;
	struct err ignored = ERR_INIT;
	sb_init_arena(&sb, a, 4096);
	for (size_t i = 0; i < n; i++) {
		const struct sku_level *p = level_of(lv, part[i]);
		avail[i] = p ? p->r.available : 0;
		if (avail[i] < qty[i]) {
			if (sb.len)
				sb_adds(&sb, ", ");
			sb_adds(&sb, p ? p->r.sku : "?");
		}
	}
	combo->r.on_hand = combo->r.reserved = 0;
	combo->r.available = inv_combo_available(avail, qty, n);
	combo->r.short_parts = sb_take(&sb, &ignored);
	return combo->r.short_parts ? 0 : ERR_NOMEM;
}

static int combos_compute(struct db *db, struct arena *a, struct levels *lv, struct err *err)
{
	struct db_stmt *st;
	int64_t part[INV_PARTS_MAX], qty[INV_PARTS_MAX], cur = 0;
	size_t n = 0;
	int rc = db_prepare(db, "SELECT combo_sku_id, part_sku_id, qty FROM sku_parts"
				" ORDER BY combo_sku_id, part_sku_id",
			    &st, err);
	if (rc)
		return rc;
	for (;;) {
		rc = db_step(st, err);
		if (n > 0 && (rc != DB_ROW || db_col_int(st, 0) != cur)) {
			struct sku_level *c = level_of(lv, cur);
			if (c && combo_finish(c, lv, part, qty, n, a)) {
				rc = inv_db_nomem(err);
				break;
			}
			n = 0;
		}
		if (rc != DB_ROW)
			break;
		cur = db_col_int(st, 0);
		if (n < INV_PARTS_MAX) {
			part[n] = db_col_int(st, 1);
			qty[n++] = db_col_int(st, 2);
		}
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int by_code(const void *x, const void *y)
{
	const struct sku_level *a = *(const struct sku_level *const *)x;
	const struct sku_level *b = *(const struct sku_level *const *)y;
	return strcmp(a->r.sku, b->r.sku);
}

enum pick { PICK_ALL, PICK_OUT_STOCK, PICK_DELIST };

static int keep(const struct sku_level *l, enum pick p)
{
	if (!l->active)
		return 0;
	if (p == PICK_OUT_STOCK)
		return !l->r.is_combo && l->r.available <= 0;
	if (p == PICK_DELIST)
		return l->r.available <= 0;
	return 1;
}

static int listing(struct db *db, struct arena *a, const char *warehouse, enum pick pick,
		   int (*fn)(const struct inv_listing_row *r, void *ctx), void *ctx,
		   struct err *err)
{
	struct levels lv;
	int64_t wh;
	int rc = inv_db_wh_id(db, warehouse, &wh, err);
	if (!rc)
		rc = load_levels(db, a, wh, &lv, err);
	if (!rc)
		rc = combos_compute(db, a, &lv, err);
	if (rc)
		return rc;
	struct sku_level **order = arena_alloc(a, (lv.n + 1) * sizeof *order);
	if (!order)
		return inv_db_nomem(err);
	for (size_t i = 0; i < lv.n; i++)
		order[i] = &lv.v[i];
	qsort(order, lv.n, sizeof *order, by_code);
	for (size_t i = 0; !rc && i < lv.n; i++)
		if (keep(order[i], pick))
			rc = fn(&order[i]->r, ctx);
	return rc;
}

int inv_out_of_stock(struct db *db, struct arena *a, const char *warehouse,
		     int (*fn)(const struct inv_listing_row *r, void *ctx), void *ctx,
		     struct err *err)
{
	return listing(db, a, warehouse, PICK_OUT_STOCK, fn, ctx, err);
}

int inv_delist(struct db *db, struct arena *a, const char *warehouse,
	       int (*fn)(const struct inv_listing_row *r, void *ctx), void *ctx,
	       struct err *err)
{
	return listing(db, a, warehouse, PICK_DELIST, fn, ctx, err);
}

int inv_listing_each(struct db *db, struct arena *a, const char *warehouse,
		     int (*fn)(const struct inv_listing_row *r, void *ctx), void *ctx,
		     struct err *err)
{
	return listing(db, a, warehouse, PICK_ALL, fn, ctx, err);
}

int inv_restocked(struct db *db, struct arena *a, const char *warehouse, int64_t since_utc,
		  int (*fn)(const struct inv_listing_row *r, void *ctx), void *ctx,
		  struct err *err)
{
	struct db_stmt *st;
	struct inv_listing_row r;
	int64_t wh;
	int rc = inv_db_wh_id(db, warehouse, &wh, err);
	if (!rc)
		rc = db_prepare(db, "SELECT s.id, s.sku_code, s.title, s.attrs, t.on_hand, t.reserved,"
				    " MAX(o.restocked_utc) FROM stockouts o JOIN skus s ON s.id = o.sku_id"
				    " JOIN stock t ON t.sku_id = o.sku_id AND t.warehouse_id = o.warehouse_id"
				    " WHERE o.warehouse_id = ? AND o.restocked_utc >= ? AND s.active = 1"
				    " AND t.on_hand - t.reserved > 0"
				    " GROUP BY s.id, s.sku_code, s.title, s.attrs, t.on_hand, t.reserved"
				    " ORDER BY MAX(o.restocked_utc) DESC, s.sku_code",
				&st, err);
	if (rc)
		return rc;
	UNUSED(a);
	db_bind_int(st, 1, wh);
	db_bind_int(st, 2, since_utc);
	memset(&r, 0, sizeof r);
	r.short_parts = "";
	while ((rc = db_step(st, err)) == DB_ROW) {
		r.sku_id = db_col_int(st, 0);
		r.sku = db_col_text(st, 1);
		r.title = db_col_text(st, 2);
		r.attrs = db_col_text(st, 3);
		r.on_hand = db_col_int(st, 4);
		r.reserved = db_col_int(st, 5);
		r.available = r.on_hand - r.reserved;
		r.restocked_utc = db_col_int(st, 6);
		rc = fn(&r, ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* ---------------------------------------------------------------- sell-through */

struct rep_sku {
	int64_t id;
	const char *code, *title, *attrs;
	struct inv_sku_period p;
};

struct rep {
	struct rep_sku *v; /* by id */
	size_t n;
};

static struct rep_sku *rep_of(const struct rep *r, int64_t id)
{
	size_t lo = 0, hi = r->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->v[mid].id == id)
			return &r->v[mid];
		if (r->v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int rep_skus(struct db *db, struct arena *a, struct rep *r, struct err *err)
{
	struct db_stmt *st;
	int64_t n = 0;
	int rc = count_skus(db, &n, err);
	if (rc)
		return rc;
	r->n = 0;
	r->v = arena_calloc(a, (size_t)(n + 1) * sizeof *r->v);
	if (!r->v)
		return inv_db_nomem(err);
	rc = db_prepare(db, "SELECT id, sku_code, title, attrs FROM skus WHERE is_combo = 0"
			    " AND active = 1 ORDER BY id",
			&st, err);
	if (rc)
		return rc;
	while ((rc = db_step(st, err)) == DB_ROW && r->n < (size_t)n) {
		struct rep_sku *s = &r->v[r->n++];
		s->id = db_col_int(st, 0);
		s->code = inv_db_col(st, 1, a);
		s->title = inv_db_col(st, 2, a);
		s->attrs = inv_db_col(st, 3, a);
		if (!s->code || !s->title || !s->attrs) {
			rc = inv_db_nomem(err);
			break;
		}
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* INV-2: stock at any moment is the ledger summed up to it. */
static int rep_ledger(struct db *db, struct rep *r, int64_t from, int64_t to, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT sku_id,"
				" SUM(CASE WHEN at_utc < ? THEN on_hand_delta ELSE 0 END),"
				" SUM(CASE WHEN at_utc >= ? AND at_utc < ? AND on_hand_delta > 0"
				" THEN on_hand_delta ELSE 0 END),"
				" SUM(CASE WHEN at_utc < ? THEN on_hand_delta ELSE 0 END),"
				" COALESCE(MIN(CASE WHEN on_hand_delta > 0 AND at_utc < ? THEN at_utc END), 0)"
				" FROM stock_ledger GROUP BY sku_id",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, from);
	db_bind_int(st, 2, from);
	db_bind_int(st, 3, to);
	db_bind_int(st, 4, to);
	db_bind_int(st, 5, to);
	while ((rc = db_step(st, err)) == DB_ROW) {
		struct rep_sku *s = rep_of(r, db_col_int(st, 0));
		if (!s)
			continue;
		s->p.on_hand_start = db_col_int(st, 1);
		s->p.received = db_col_int(st, 2);
		s->p.on_hand_end = db_col_int(st, 3);
		s->p.first_stock_utc = db_col_int(st, 4);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

#define SALES_WHERE \
	" o.paid_utc IS NOT NULL AND o.paid_utc < ? AND o.stage <> 'cancelled' AND i.qty > 0" \
	" AND (CAST(? AS BIGINT) = 0 OR NOT EXISTS (SELECT 1 FROM user_stores WHERE user_id = ?)" \
	" OR o.store_id IN (SELECT store_id FROM user_stores WHERE user_id = ?))"

/* Units sold in [from, to) and the last sale before `to`; a combo's sale counts
 * for its parts. */
static int rep_sales(struct db *db, struct rep *r, int64_t user_id, int64_t from, int64_t to,
		     struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT x.sku_id, SUM(x.sold), MAX(x.last) FROM ("
				" SELECT k.id AS sku_id, CASE WHEN o.paid_utc >= ? THEN i.qty ELSE 0 END AS sold,"
				" o.paid_utc AS last FROM order_items i JOIN orders o ON o.id = i.order_id"
				" JOIN skus k ON k.sku_code = i.sku_code WHERE k.is_combo = 0 AND" SALES_WHERE
				" UNION ALL"
				" SELECT p.part_sku_id, CASE WHEN o.paid_utc >= ? THEN i.qty * p.qty ELSE 0 END,"
				" o.paid_utc FROM order_items i JOIN orders o ON o.id = i.order_id"
				" JOIN skus k ON k.sku_code = i.sku_code JOIN sku_parts p ON p.combo_sku_id = k.id"
				" WHERE k.is_combo = 1 AND" SALES_WHERE
				") x GROUP BY x.sku_id",
			    &st, err);
	if (rc)
		return rc;
	for (int k = 0; k < 2; k++) {
		db_bind_int(st, 5 * k + 1, from);
		db_bind_int(st, 5 * k + 2, to);
		db_bind_int(st, 5 * k + 3, user_id);
		db_bind_int(st, 5 * k + 4, user_id);
		db_bind_int(st, 5 * k + 5, user_id);
	}
	while ((rc = db_step(st, err)) == DB_ROW) {
		struct rep_sku *s = rep_of(r, db_col_int(st, 0));
		if (!s)
			continue;
		s->p.sold_qty = db_col_int(st, 1);
		s->p.last_sale_utc = db_col_int(st, 2);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int by_rep_code(const void *x, const void *y)
{
	return strcmp(((const struct rep_sku *)x)->code, ((const struct rep_sku *)y)->code);
}

int inv_sell_through(struct db *db, struct arena *a, int64_t user_id, int64_t from_utc,
		     int64_t to_utc, int slow_days, struct inv_report *out,
		     int (*fn)(const struct inv_report_row *r, void *ctx), void *ctx,
		     struct err *err)
{
	struct rep r;
	int rc = rep_skus(db, a, &r, err);
	if (!rc)
		rc = rep_ledger(db, &r, from_utc, to_utc, err);
	if (!rc)
		rc = rep_sales(db, &r, user_id, from_utc, to_utc, err);
	if (rc)
		return rc;
	memset(out, 0, sizeof *out);
	out->from_utc = from_utc;
	out->to_utc = to_utc;
	out->slow_days = slow_days;
	out->skus = (int64_t)r.n;
	qsort(r.v, r.n, sizeof *r.v, by_rep_code);
	for (size_t i = 0; !rc && i < r.n; i++) {
		struct inv_report_row row = { r.v[i].code, r.v[i].title, r.v[i].attrs, r.v[i].p,
					      inv_sku_stocked(&r.v[i].p), inv_sku_sold(&r.v[i].p),
					      inv_sku_slow(&r.v[i].p, to_utc, slow_days), -1 };
		if (row.p.last_sale_utc)
			row.days_since_sale = inv_days_between(row.p.last_sale_utc, to_utc);
		out->stocked += row.stocked;
		out->sold += row.sold;
		out->slow += row.slow;
		rc = fn ? fn(&row, ctx) : 0;
	}
	out->sell_through_ppm = inv_sell_through_ppm(out->sold, out->stocked);
	return rc;
}
