/*
 * inventory_db.c - inventory storage: the one writer of stock (ledger row,
 * stock row, out-of-stock register), receipts and adjustments, the stock and
 * ledger lists and the ledger check (INV-2), and the helpers the other
 * inventory_*_db.c files share (inventory_db_int.h).
 *
 * The catalogue (products, SKUs, recipes, shelves, warehouses) is in
 * inventory_catalog_db.c, orders' reservations in inventory_order_db.c,
 * stocktakes in inventory_stocktake_db.c, lists and report in
 * inventory_report_db.c.
 */
#include "inventory/inventory_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "db/db.h"
#include "inventory/inventory_db_int.h"
#include "lib/arena.h"
#include "lib/sb.h"
#include "lib/common.h"

/* ---------------------------------------------------------------- helpers */

int inv_db_nomem(struct err *err)
{
	return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
}

const char *inv_db_col(struct db_stmt *st, int col, struct arena *a)
{
	const char *s = db_col_text(st, col);
	return arena_strdup(a, s ? s : "");
}

int inv_db_tx_end(struct db *db, int rc, struct err *err)
{
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, err);
}

/* LIKE pattern for a substring search, lower-cased ASCII, with % _ \ escaped. */
const char *inv_db_like(struct arena *a, const char *q)
{
	if (!q || !*q)
		return NULL;
	struct sb sb;
	struct err ignored = ERR_INIT;
	sb_init_arena(&sb, a, 1024);
	sb_addc(&sb, '%');
	for (const char *p = q; *p; p++) {
		char c = *p;
		if (c == '%' || c == '_' || c == '\\')
			sb_addc(&sb, '\\');
		sb_addc(&sb, (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c);
	}
	sb_addc(&sb, '%');
	const char *s = sb_take(&sb, &ignored);
	return s ? s : "%";
}

int inv_db_audit(struct db *db, const struct auth_user *who, const char *entity,
		 const char *entity_id, const char *action, json_t *before, json_t *after,
		 int64_t now_utc, struct err *err)
{
	char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	char *a = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	int rc;

	if ((before && !b) || (after && !a)) {
		rc = inv_db_nomem(err);
	} else {
		struct audit_entry e = { who, entity, entity_id, action, b, a, now_utc };
		rc = audit_write(db, &e, err);
	}
	json_decref(before);
	json_decref(after);
	free(b); /* jansson's allocations */
	free(a);
	return rc;
}

int inv_db_wh_id(struct db *db, const char *code, int64_t *id, struct err *err)
{
	struct db_stmt *st;
	int def = !code || !*code;
	int rc = db_prepare(db, def ? "SELECT id FROM warehouses ORDER BY id LIMIT 1"
				    : "SELECT id FROM warehouses WHERE code = ?",
			    &st, err);
	if (rc)
		return rc;
	if (!def)
		db_bind_text(st, 1, code);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_DONE && def)
		return err_set(err, ERR_UNPROCESSABLE, "warehouse", "还没有仓库,请先创建仓库",
			       "there is no warehouse yet; create one first");
	if (rc == DB_DONE)
		return err_setf(err, ERR_NOT_FOUND, "warehouse", "仓库 %s 不存在",
				"no warehouse %s", code, code);
	return rc < 0 ? rc : 0;
}

int inv_db_sku_id(struct db *db, const char *code, const char *field, int64_t *id,
		  int *is_combo, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT id, is_combo FROM skus WHERE sku_code = ?", &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, code);
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		if (is_combo)
			*is_combo = (int)db_col_int(st, 1);
	}
	db_done(st);
	if (rc == DB_DONE)
		return err_setf(err, ERR_NOT_FOUND, field, "商家编码未知: %.64s",
				"unknown SKU code (商家编码): %.64s", code, code);
	return rc < 0 ? rc : 0;
}

int inv_db_level(struct db *db, int64_t sku_id, int64_t wh_id, struct inv_level *out,
		 struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT on_hand, reserved FROM stock WHERE sku_id = ? AND warehouse_id = ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, sku_id);
	db_bind_int(st, 2, wh_id);
	out->on_hand = out->reserved = 0;
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		out->on_hand = db_col_int(st, 0);
		out->reserved = db_col_int(st, 1);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* ---------------------------------------------------------------- the stock writer */

static int stock_upsert(struct db *db, const struct inv_delta *d, struct inv_level *after,
			struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "INSERT INTO stock (sku_id, warehouse_id, on_hand, reserved)"
				" VALUES (?, ?, ?, ?) ON CONFLICT (sku_id, warehouse_id) DO UPDATE"
				" SET on_hand = stock.on_hand + excluded.on_hand,"
				" reserved = stock.reserved + excluded.reserved,"
				" version = stock.version + 1 RETURNING on_hand, reserved",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, d->sku_id);
	db_bind_int(st, 2, d->wh_id);
	db_bind_int(st, 3, d->d_on_hand);
	db_bind_int(st, 4, d->d_reserved);
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		after->on_hand = db_col_int(st, 0);
		after->reserved = db_col_int(st, 1);
	}
	db_done(st);
	if (rc == DB_DONE)
		return err_set(err, ERR_INTERNAL, "", "库存行未返回", "the stock row was not returned");
	return rc < 0 ? rc : 0;
}

static int ledger_insert(struct db *db, const struct auth_user *who, const struct inv_delta *d,
			 int64_t now, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "INSERT INTO stock_ledger (sku_id, warehouse_id, on_hand_delta,"
				" reserved_delta, reason, ref_type, ref_id, user_id, at_utc, note)"
				" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, d->sku_id);
	db_bind_int(st, 2, d->wh_id);
	db_bind_int(st, 3, d->d_on_hand);
	db_bind_int(st, 4, d->d_reserved);
	db_bind_text(st, 5, d->reason);
	db_bind_text(st, 6, d->ref_type ? d->ref_type : "");
	db_bind_text(st, 7, d->ref_id ? d->ref_id : "");
	if (who)
		db_bind_int(st, 8, who->id);
	else
		db_bind_null(st, 8);
	db_bind_int(st, 9, now);
	db_bind_text(st, 10, d->note ? d->note : "");
	rc = db_run(st, err);
	db_done(st);
	return rc;
}

/* INV-4: the register opens when available becomes <= 0 (also for a SKU that
 * never had stock) and closes when it is back above 0. */
static int register_update(struct db *db, const struct inv_delta *d, int64_t avail_before,
			   int64_t avail_after, int64_t now, struct err *err)
{
	struct db_stmt *st;
	int rc = 0;

	if (avail_after <= 0)
		rc = db_prepare(db, "INSERT INTO stockouts (sku_id, warehouse_id, since_utc)"
				    " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
				&st, err);
	else if (avail_before <= 0)
		rc = db_prepare(db, "UPDATE stockouts SET restocked_utc = ? WHERE sku_id = ?"
				    " AND warehouse_id = ? AND restocked_utc IS NULL",
				&st, err);
	else
		return 0;
	if (rc)
		return rc;
	if (avail_after <= 0) {
		db_bind_int(st, 1, d->sku_id);
		db_bind_int(st, 2, d->wh_id);
		db_bind_int(st, 3, now);
	} else {
		db_bind_int(st, 1, now);
		db_bind_int(st, 2, d->sku_id);
		db_bind_int(st, 3, d->wh_id);
	}
	rc = db_run(st, err);
	db_done(st);
	return rc;
}

static int guard_error(const struct inv_delta *d, enum inv_verdict v, const char *field,
		       const struct inv_level *before, struct err *err)
{
	char zh[256], en[256];
	const char *code = d->sku_code ? d->sku_code : "?";
	long long change = (long long)(d->d_on_hand ? d->d_on_hand : -d->d_reserved);
	/* one argument list per language: err_setf would read the same for both */
	snprintf(zh, sizeof zh, "%.64s %s(现有 %lld,已占用 %lld,变动 %+lld)", code,
		 inv_verdict_zh(v), (long long)before->on_hand, (long long)before->reserved, change);
	snprintf(en, sizeof en, "%.64s: %s (on hand %lld, reserved %lld, change %+lld)", code,
		 inv_verdict_en(v), (long long)before->on_hand, (long long)before->reserved, change);
	return err_set(err, ERR_UNPROCESSABLE, field, zh, en);
}

int inv_db_stock_apply(struct db *db, const struct auth_user *who, const struct inv_delta *d,
		       int allow_oversell, const char *field, int64_t now_utc,
		       struct inv_level *after, struct err *err)
{
	struct inv_level a, before;
	int rc = stock_upsert(db, d, &a, err);
	if (rc)
		return rc;
	before.on_hand = a.on_hand - d->d_on_hand;
	before.reserved = a.reserved - d->d_reserved;
	enum inv_verdict v = inv_guard(&before, d->d_on_hand, d->d_reserved, allow_oversell, NULL);
	if (v != INV_OK)
		return guard_error(d, v, field, &before, err);
	rc = ledger_insert(db, who, d, now_utc, err);
	if (!rc)
		rc = register_update(db, d, inv_available(&before), inv_available(&a), now_utc, err);
	if (!rc && after)
		*after = a;
	return rc;
}

/* ---------------------------------------------------------------- receive, adjust */

static int wh_code_of(struct db *db, int64_t id, char out[INV_WH_CODE_MAX + 1], struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT code FROM warehouses WHERE id = ?", &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, id);
	rc = db_step(st, err);
	snprintf(out, INV_WH_CODE_MAX + 1, "%s", rc == DB_ROW ? db_col_text(st, 0) : "?");
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int move_apply(struct db *db, const struct auth_user *who, const struct inv_move *m,
		      const char *reason, int64_t now, struct inv_level *out, struct err *err)
{
	struct inv_delta d = { 0 };
	struct inv_level after;
	char wh[INV_WH_CODE_MAX + 1], eid[INV_CODE_MAX + INV_WH_CODE_MAX + 2];
	int combo = 0, adjust = strcmp(reason, "adjust") == 0;
	int rc = inv_db_sku_id(db, m->sku, "sku", &d.sku_id, &combo, err);

	if (!rc && combo)
		rc = err_set(err, ERR_UNPROCESSABLE, "sku", "组合商品没有自己的库存,请对组成商品操作",
			     "a combination SKU holds no stock; move its parts");
	if (!rc)
		rc = inv_db_wh_id(db, m->warehouse, &d.wh_id, err);
	if (!rc)
		rc = wh_code_of(db, d.wh_id, wh, err);
	if (rc)
		return rc;
	d.d_on_hand = m->qty;
	d.reason = reason;
	d.ref_type = "manual";
	d.note = m->note;
	d.sku_code = m->sku;
	/* Never below zero: adjustments are not sales, pre-sale does not apply. */
	rc = inv_db_stock_apply(db, who, &d, !adjust, "qty", now, &after, err);
	if (rc)
		return rc;
	if (out)
		*out = after;
	snprintf(eid, sizeof eid, "%s@%s", m->sku, wh);
	return inv_db_audit(db, who, "stock", eid, reason,
			    json_pack("{s:I,s:I}", "on_hand", (json_int_t)(after.on_hand - m->qty),
				      "reserved", (json_int_t)after.reserved),
			    json_pack("{s:I,s:I,s:I,s:s}", "on_hand", (json_int_t)after.on_hand,
				      "reserved", (json_int_t)after.reserved, "qty",
				      (json_int_t)m->qty, "note", m->note ? m->note : ""),
			    now, err);
}

static int move(struct db *db, const struct auth_user *who, const struct inv_move *m,
		const char *reason, int64_t now, struct inv_level *after, struct err *err)
{
	int rc = m->note ? inv_text_check(m->note, "reason", 200, 0, err) : 0;
	if (!rc)
		rc = db_begin(db, err);
	if (rc)
		return rc;
	return inv_db_tx_end(db, move_apply(db, who, m, reason, now, after, err), err);
}

int inv_receive(struct db *db, const struct auth_user *who, const struct inv_move *m,
		int64_t now_utc, struct inv_level *after, struct err *err)
{
	if (m->qty < 1 || m->qty > INV_QTY_MAX)
		return err_setf(err, ERR_UNPROCESSABLE, "qty", "入库数量应为 1–%d",
				"qty must be 1-%d", INV_QTY_MAX, INV_QTY_MAX);
	return move(db, who, m, "receive", now_utc, after, err);
}

int inv_adjust(struct db *db, const struct auth_user *who, const struct inv_move *m,
	       int64_t now_utc, struct inv_level *after, struct err *err)
{
	if (m->qty == 0 || m->qty < -INV_QTY_MAX || m->qty > INV_QTY_MAX)
		return err_setf(err, ERR_UNPROCESSABLE, "qty", "调整数量应为 -%d–%d 且不为 0",
				"qty must be -%d..%d and not 0", INV_QTY_MAX, INV_QTY_MAX,
				INV_QTY_MAX, INV_QTY_MAX);
	if (!m->note || !*m->note)
		return err_set(err, ERR_UNPROCESSABLE, "reason", "库存调整需要写明原因",
			       "an adjustment needs a reason");
	return move(db, who, m, "adjust", now_utc, after, err);
}

/* ---------------------------------------------------------------- stock list */

#define STOCK_WHERE \
	" FROM skus s CROSS JOIN warehouses w" \
	" LEFT JOIN stock t ON t.sku_id = s.id AND t.warehouse_id = w.id" \
	" WHERE s.is_combo = 0 AND (CAST(? AS TEXT) IS NULL OR s.sku_code = ?)" \
	" AND (CAST(? AS TEXT) IS NULL OR w.code = ?)" \
	" AND (CAST(? AS TEXT) IS NULL OR LOWER(s.sku_code) LIKE ? ESCAPE '\\'" \
	" OR LOWER(s.title) LIKE ? ESCAPE '\\')" \
	" AND (CAST(? AS BIGINT) = 0 OR COALESCE(t.on_hand, 0) - COALESCE(t.reserved, 0) <= ?)"

static void bind_stock_filter(struct db_stmt *st, const struct inv_stock_filter *f,
			      const char *like)
{
	db_bind_text(st, 1, f->sku);
	db_bind_text(st, 2, f->sku);
	db_bind_text(st, 3, f->warehouse);
	db_bind_text(st, 4, f->warehouse);
	db_bind_text(st, 5, like);
	db_bind_text(st, 6, like);
	db_bind_text(st, 7, like);
	db_bind_int(st, 8, f->has_avail_le);
	db_bind_int(st, 9, f->avail_le);
}

static int read_stock_row(struct db_stmt *st, struct arena *a, struct inv_stock_row *r)
{
	r->sku_id = db_col_int(st, 0);
	r->sku = inv_db_col(st, 1, a);
	r->title = inv_db_col(st, 2, a);
	r->attrs = inv_db_col(st, 3, a);
	r->warehouse = inv_db_col(st, 4, a);
	r->on_hand = db_col_int(st, 5);
	r->reserved = db_col_int(st, 6);
	r->available = r->on_hand - r->reserved;
	r->location = inv_db_col(st, 7, a);
	r->out_since = db_col_int(st, 8);
	return r->sku && r->title && r->attrs && r->warehouse && r->location ? 0 : ERR_NOMEM;
}

int inv_stock_list(struct db *db, struct arena *a, const struct inv_stock_filter *f,
		   int (*fn)(const struct inv_stock_row *r, void *ctx), void *ctx,
		   int64_t *total, struct err *err)
{
	const char *like = inv_db_like(a, f->q);
	struct inv_stock_row r;
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT COUNT(*)" STOCK_WHERE, &st, err);
	if (rc)
		return rc;
	bind_stock_filter(st, f, like);
	rc = db_step(st, err);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc < 0)
		return rc;
	rc = db_prepare(db, "SELECT s.id, s.sku_code, s.title, s.attrs, w.code,"
			    " COALESCE(t.on_hand, 0), COALESCE(t.reserved, 0),"
			    " (SELECT l.code FROM sku_locations sl JOIN locations l ON l.id = sl.location_id"
			    " WHERE sl.sku_id = s.id AND l.warehouse_id = w.id"
			    " ORDER BY l.pick_order, l.code LIMIT 1),"
			    " (SELECT o.since_utc FROM stockouts o WHERE o.sku_id = s.id"
			    " AND o.warehouse_id = w.id AND o.restocked_utc IS NULL)" STOCK_WHERE
			    " ORDER BY s.sku_code, w.id LIMIT ? OFFSET ?",
			&st, err);
	if (rc)
		return rc;
	bind_stock_filter(st, f, like);
	db_bind_int(st, 10, f->page_size);
	db_bind_int(st, 11, (f->page - 1) * f->page_size);
	while ((rc = db_step(st, err)) == DB_ROW) {
		rc = read_stock_row(st, a, &r) ? inv_db_nomem(err) : fn(&r, ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* ---------------------------------------------------------------- ledger */

#define LEDGER_WHERE \
	" FROM stock_ledger g JOIN skus s ON s.id = g.sku_id JOIN warehouses w ON w.id = g.warehouse_id" \
	" WHERE (CAST(? AS TEXT) IS NULL OR s.sku_code = ?)" \
	" AND (CAST(? AS TEXT) IS NULL OR w.code = ?)" \
	" AND (CAST(? AS TEXT) IS NULL OR g.reason = ?)" \
	" AND (CAST(? AS TEXT) IS NULL OR g.ref_type = ?)" \
	" AND (CAST(? AS TEXT) IS NULL OR g.ref_id = ?)"

static void bind_ledger_filter(struct db_stmt *st, const struct inv_ledger_filter *f)
{
	const char *v[] = { f->sku, f->warehouse, f->reason, f->ref_type, f->ref_id };
	for (int i = 0; i < 5; i++) {
		db_bind_text(st, 2 * i + 1, v[i]);
		db_bind_text(st, 2 * i + 2, v[i]);
	}
}

static int ledger_sums(struct db *db, const struct inv_ledger_filter *f, int64_t *total,
		       struct inv_level *sum, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT COUNT(*), COALESCE(SUM(g.on_hand_delta), 0),"
				" COALESCE(SUM(g.reserved_delta), 0)" LEDGER_WHERE,
			    &st, err);
	if (rc)
		return rc;
	bind_ledger_filter(st, f);
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		if (total)
			*total = db_col_int(st, 0);
		if (sum) {
			sum->on_hand = db_col_int(st, 1);
			sum->reserved = db_col_int(st, 2);
		}
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

int inv_ledger_list(struct db *db, struct arena *a, const struct inv_ledger_filter *f,
		    int (*fn)(const struct inv_ledger_row *r, void *ctx), void *ctx,
		    int64_t *total, struct inv_level *sum, struct err *err)
{
	struct db_stmt *st;
	struct inv_ledger_row r;
	int rc = ledger_sums(db, f, total, sum, err);
	if (rc)
		return rc;
	rc = db_prepare(db, "SELECT g.id, g.at_utc, g.on_hand_delta, g.reserved_delta, s.sku_code,"
			    " w.code, g.reason, g.ref_type, g.ref_id, g.note,"
			    " COALESCE((SELECT u.username FROM users u WHERE u.id = g.user_id), 'system')"
			    LEDGER_WHERE " ORDER BY g.id DESC LIMIT ? OFFSET ?",
			&st, err);
	if (rc)
		return rc;
	bind_ledger_filter(st, f);
	db_bind_int(st, 11, f->page_size);
	db_bind_int(st, 12, (f->page - 1) * f->page_size);
	UNUSED(a);
	while ((rc = db_step(st, err)) == DB_ROW) {
		r.id = db_col_int(st, 0);
		r.at_utc = db_col_int(st, 1);
		r.on_hand_delta = db_col_int(st, 2);
		r.reserved_delta = db_col_int(st, 3);
		r.sku = db_col_text(st, 4);
		r.warehouse = db_col_text(st, 5);
		r.reason = db_col_text(st, 6);
		r.ref_type = db_col_text(st, 7);
		r.ref_id = db_col_text(st, 8);
		r.note = db_col_text(st, 9);
		r.username = db_col_text(st, 10);
		rc = fn(&r, ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* ---------------------------------------------------------------- INV-2 check */

int inv_verify(struct db *db, int (*fn)(const struct inv_mismatch *m, void *ctx), void *ctx,
	       int64_t *checked, int64_t *mismatches, struct err *err)
{
	struct db_stmt *st;
	struct inv_mismatch m;
	int rc = db_prepare(db, "SELECT s.sku_code, w.code, COALESCE(t.on_hand, 0), COALESCE(t.reserved, 0),"
				" COALESCE(g.oh, 0), COALESCE(g.rs, 0) FROM"
				" (SELECT sku_id, warehouse_id FROM stock UNION"
				" SELECT sku_id, warehouse_id FROM stock_ledger) k"
				" JOIN skus s ON s.id = k.sku_id JOIN warehouses w ON w.id = k.warehouse_id"
				" LEFT JOIN stock t ON t.sku_id = k.sku_id AND t.warehouse_id = k.warehouse_id"
				" LEFT JOIN (SELECT sku_id, warehouse_id, SUM(on_hand_delta) AS oh,"
				" SUM(reserved_delta) AS rs FROM stock_ledger GROUP BY sku_id, warehouse_id) g"
				" ON g.sku_id = k.sku_id AND g.warehouse_id = k.warehouse_id"
				" ORDER BY s.sku_code, w.id",
			    &st, err);
	if (rc)
		return rc;
	*checked = *mismatches = 0;
	while ((rc = db_step(st, err)) == DB_ROW) {
		m.sku = db_col_text(st, 0);
		m.warehouse = db_col_text(st, 1);
		m.stock.on_hand = db_col_int(st, 2);
		m.stock.reserved = db_col_int(st, 3);
		m.ledger.on_hand = db_col_int(st, 4);
		m.ledger.reserved = db_col_int(st, 5);
		(*checked)++;
		if (m.stock.on_hand == m.ledger.on_hand && m.stock.reserved == m.ledger.reserved)
			continue;
		(*mismatches)++;
		rc = fn ? fn(&m, ctx) : 0;
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}
