/*
 * inventory_order_db.c - what orders do to stock: reserve at audit, release at
 * cancel (or before an edit of the items), ship, and restock an accepted
 * return (INV-1, INV-6).
 *
 * The record of what an order holds is its ledger rows (ref_type "order",
 * ref_id the order id). Summed per (SKU, warehouse) they say exactly what is
 * reserved for it now, what it shipped and what came back, whatever its items
 * say today. So:
 *   reserve  the order holds nothing and has not shipped -> reserve its items
 *   release  give back what it holds
 *   ship     turn what it holds into "out" (on_hand and reserved both fall)
 * and each is idempotent by construction.
 */
#include "inventory/inventory_db.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "inventory/inventory_db_int.h"
#include "lib/arena.h"
#include "lib/sb.h"
#include "lib/common.h"

/* A message lists names until this many bytes, then counts the rest, so it
 * always fits struct err (and is never cut inside a UTF-8 character). */
#define NAMES_BUDGET 150
#define CODE_SHOWN 40

/* ---------------------------------------------------------------- growable arrays */

struct vec {
	void *v;
	size_t n, cap, size;
};

static void *vec_push(struct vec *x, struct arena *a)
{
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 16;
		void *v = arena_alloc(a, cap * x->size);
		if (!v)
			return NULL;
		if (x->n)
			memcpy(v, x->v, x->n * x->size);
		x->v = v;
		x->cap = cap;
	}
	return (char *)x->v + x->size * x->n++;
}

/* ---------------------------------------------------------------- messages */

struct names {
	struct sb zh, en;
	int shown, hidden;
};

static void names_init(struct names *m, struct arena *a)
{
	sb_init_arena(&m->zh, a, 1024);
	sb_init_arena(&m->en, a, 1024);
	m->shown = m->hidden = 0;
}

/* Appends at most CODE_SHOWN bytes of s, backing off to a character boundary. */
static void add_code(struct sb *sb, const char *s)
{
	size_t n = strlen(s);
	if (n > CODE_SHOWN) {
		n = CODE_SHOWN;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	sb_add(sb, s, n);
	if (n < strlen(s))
		sb_adds(sb, "…");
}

static void names_add(struct names *m, const char *code, const char *zh_extra,
		      const char *en_extra)
{
	if (m->zh.len > NAMES_BUDGET || m->en.len > NAMES_BUDGET) {
		m->hidden++;
		return;
	}
	if (m->shown++) {
		sb_adds(&m->zh, "、");
		sb_adds(&m->en, ", ");
	}
	add_code(&m->zh, code);
	add_code(&m->en, code);
	sb_adds(&m->zh, zh_extra);
	sb_adds(&m->en, en_extra);
}

static int names_fail(struct names *m, const char *zh_head, const char *en_head, struct err *err)
{
	char zh[256], en[256];
	struct err ignored = ERR_INIT;
	const char *zl, *el;

	if (m->hidden) {
		sb_addf(&m->zh, " 等共 %d 个", m->shown + m->hidden);
		sb_addf(&m->en, " and %d more", m->hidden);
	}
	zl = sb_take(&m->zh, &ignored);
	el = sb_take(&m->en, &ignored);
	/* err_setf reads one argument list for both languages: format each apart */
	snprintf(zh, sizeof zh, "%s%s", zh_head, zl ? zl : "");
	snprintf(en, sizeof en, "%s%s", en_head, el ? el : "");
	return err_set(err, ERR_UNPROCESSABLE, "stock", zh, en);
}

/* ---------------------------------------------------------------- what the order wants */

struct item_row {
	int64_t line_no, qty, sku_id;
	int is_combo, known;
	const char *code;
};

struct name_row {
	int64_t id;
	const char *code;
};

struct plan {
	struct vec items;  /* struct item_row */
	struct vec parts;  /* struct inv_combo_part */
	struct vec names;  /* struct name_row: codes of stock SKUs, for messages */
	struct inv_line *lines;
	size_t n_lines;
};

static int order_exists(struct db *db, int64_t order_id, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT 1 FROM orders WHERE id = ?", &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, order_id);
	rc = db_step(st, err);
	db_done(st);
	if (rc == DB_DONE)
		return err_set(err, ERR_NOT_FOUND, "id", "订单不存在", "no such order");
	return rc < 0 ? rc : 0;
}

static int name_add(struct plan *p, struct arena *a, int64_t id, const char *code)
{
	struct name_row *n = vec_push(&p->names, a);
	if (!n)
		return ERR_NOMEM;
	n->id = id;
	n->code = arena_strdup(a, code ? code : "");
	return n->code ? 0 : ERR_NOMEM;
}

static const char *name_of(const struct plan *p, int64_t id)
{
	const struct name_row *n = p->names.v;
	for (size_t i = 0; i < p->names.n; i++)
		if (n[i].id == id)
			return n[i].code;
	return "?";
}

static int load_items(struct db *db, struct arena *a, int64_t order_id, struct plan *p,
		      struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT i.line_no, i.sku_code, i.qty, k.id, k.is_combo"
				" FROM order_items i LEFT JOIN skus k ON k.sku_code = i.sku_code"
				" WHERE i.order_id = ? ORDER BY i.line_no",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, order_id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		struct item_row *it = vec_push(&p->items, a);
		const char *code = it ? inv_db_col(st, 1, a) : NULL;
		if (!code) {
			rc = inv_db_nomem(err);
			break;
		}
		it->code = code;
		it->line_no = db_col_int(st, 0);
		it->qty = db_col_int(st, 2);
		it->known = !db_col_is_null(st, 3);
		it->sku_id = it->known ? db_col_int(st, 3) : 0;
		it->is_combo = it->known && db_col_int(st, 4);
		if (it->known && !it->is_combo && name_add(p, a, it->sku_id, it->code)) {
			rc = inv_db_nomem(err);
			break;
		}
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int load_parts(struct db *db, struct arena *a, const char *sql, int64_t key,
		      struct plan *p, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, sql, &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, key);
	while ((rc = db_step(st, err)) == DB_ROW) {
		struct inv_combo_part *cp = vec_push(&p->parts, a);
		if (!cp || name_add(p, a, db_col_int(st, 1), db_col_text(st, 3))) {
			rc = inv_db_nomem(err);
			break;
		}
		cp->combo_id = db_col_int(st, 0);
		cp->part_id = db_col_int(st, 1);
		cp->qty = db_col_int(st, 2);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

#define ORDER_PARTS_SQL \
	"SELECT p.combo_sku_id, p.part_sku_id, p.qty, k.sku_code FROM sku_parts p" \
	" JOIN skus k ON k.id = p.part_sku_id WHERE p.combo_sku_id IN" \
	" (SELECT c.id FROM order_items i JOIN skus c ON c.sku_code = i.sku_code" \
	" WHERE i.order_id = ? AND c.is_combo = 1) ORDER BY p.combo_sku_id, p.part_sku_id"

/* Empty or unknown 商家编码: nothing can be reserved for such a line. */
static int items_problems(const struct plan *p, struct arena *a, struct err *err)
{
	const struct item_row *it = p->items.v;
	struct names empty, unknown;
	char zh[32], en[32];

	names_init(&empty, a);
	names_init(&unknown, a);
	for (size_t i = 0; i < p->items.n; i++) {
		if (it[i].qty <= 0)
			continue;
		if (!*it[i].code) {
			snprintf(zh, sizeof zh, "第 %lld 行", (long long)it[i].line_no);
			snprintf(en, sizeof en, "line %lld", (long long)it[i].line_no);
			names_add(&empty, "", zh, en);
		} else if (!it[i].known) {
			names_add(&unknown, it[i].code, "", "");
		}
	}
	if (empty.shown)
		return names_fail(&empty, "商品没有商家编码: ", "an item has no SKU code (商家编码): ",
				  err);
	if (unknown.shown)
		return names_fail(&unknown, "商家编码未知: ", "unknown SKU code (商家编码): ", err);
	return 0;
}

/* The order's items as stock lines (combos expanded), or why they cannot be. */
static int plan_order(struct db *db, struct arena *a, int64_t order_id, struct plan *p,
		      struct err *err)
{
	int rc;
	memset(p, 0, sizeof *p);
	p->items.size = sizeof(struct item_row);
	p->parts.size = sizeof(struct inv_combo_part);
	p->names.size = sizeof(struct name_row);
	rc = load_items(db, a, order_id, p, err);
	if (!rc)
		rc = load_parts(db, a, ORDER_PARTS_SQL, order_id, p, err);
	if (!rc)
		rc = items_problems(p, a, err);
	if (rc)
		return rc;
	size_t cap = p->items.n + p->parts.n + 1;
	struct inv_item *in = arena_alloc(a, cap * sizeof *in);
	p->lines = arena_alloc(a, cap * sizeof *p->lines);
	if (!in || !p->lines)
		return inv_db_nomem(err);
	const struct item_row *it = p->items.v;
	for (size_t i = 0; i < p->items.n; i++) {
		in[i].sku_id = it[i].sku_id;
		in[i].is_combo = it[i].is_combo;
		in[i].qty = it[i].qty;
	}
	return inv_expand(in, p->items.n, p->parts.v, p->parts.n, p->lines, cap, &p->n_lines, err);
}

/* INV-6: every line checked against the level before anything is written, so
 * the message names every short SKU. The change checked is a reservation, or
 * with from_on_hand units leaving on_hand directly (shipping unreserved). */
static int plan_short(struct db *db, struct arena *a, const struct plan *p, int64_t wh,
		      int allow_oversell, int from_on_hand, int *short_out, struct err *err)
{
	struct names m;
	char zh[64], en[64];
	names_init(&m, a);
	for (size_t i = 0; i < p->n_lines; i++) {
		struct inv_level lv;
		int64_t q = p->lines[i].qty;
		int rc = inv_db_level(db, p->lines[i].sku_id, wh, &lv, err);
		if (rc)
			return rc;
		if (inv_guard(&lv, from_on_hand ? -q : 0, from_on_hand ? 0 : q, allow_oversell, NULL) ==
		    INV_OK)
			continue;
		snprintf(zh, sizeof zh, "(可用 %lld,需要 %lld)", (long long)inv_available(&lv),
			 (long long)q);
		snprintf(en, sizeof en, " (available %lld, needed %lld)",
			 (long long)inv_available(&lv), (long long)q);
		names_add(&m, name_of(p, p->lines[i].sku_id), zh, en);
	}
	*short_out = m.shown > 0;
	if (m.shown)
		return names_fail(&m, "库存不足: ", "not enough stock: ", err);
	return 0;
}

/* ---------------------------------------------------------------- what the order holds */

struct held_row {
	int64_t sku_id, wh_id;
	int64_t reserved; /* held now */
	int64_t shipped;  /* units that left for this order */
	int64_t returned; /* units that came back */
	const char *code;
};

struct held {
	struct vec rows; /* struct held_row, by sku_id */
	int holds;       /* some reserved != 0 */
	int shipped;     /* some ship row */
};

static int load_held(struct db *db, struct arena *a, int64_t order_id, struct held *h,
		     struct err *err)
{
	struct db_stmt *st;
	char ref[24];
	int rc = db_prepare(db, "SELECT g.sku_id, g.warehouse_id, SUM(g.reserved_delta),"
				" SUM(CASE WHEN g.reason = 'ship' THEN -g.on_hand_delta ELSE 0 END),"
				" SUM(CASE WHEN g.reason = 'return' THEN g.on_hand_delta ELSE 0 END),"
				" SUM(CASE WHEN g.reason = 'ship' THEN 1 ELSE 0 END), s.sku_code"
				" FROM stock_ledger g JOIN skus s ON s.id = g.sku_id"
				" WHERE g.ref_type = 'order' AND g.ref_id = ?"
				" GROUP BY g.sku_id, g.warehouse_id, s.sku_code"
				" ORDER BY g.sku_id, g.warehouse_id",
			    &st, err);
	if (rc)
		return rc;
	memset(h, 0, sizeof *h);
	h->rows.size = sizeof(struct held_row);
	snprintf(ref, sizeof ref, "%lld", (long long)order_id);
	db_bind_text(st, 1, ref);
	while ((rc = db_step(st, err)) == DB_ROW) {
		struct held_row *r = vec_push(&h->rows, a);
		const char *code = r ? inv_db_col(st, 6, a) : NULL;
		if (!code) {
			rc = inv_db_nomem(err);
			break;
		}
		r->code = code;
		r->sku_id = db_col_int(st, 0);
		r->wh_id = db_col_int(st, 1);
		r->reserved = db_col_int(st, 2);
		r->shipped = db_col_int(st, 3);
		r->returned = db_col_int(st, 4);
		h->holds |= r->reserved != 0;
		h->shipped |= db_col_int(st, 5) > 0;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* ---------------------------------------------------------------- applying */

struct order_op {
	struct db *db;
	const struct auth_user *who;
	int64_t order_id, now;
	char ref[24];
	const char *reason;
	const char *note;
	json_t *lines; /* for the audit row */
};

static int op_apply(struct order_op *op, int64_t sku, const char *code, int64_t wh,
		    int64_t d_on_hand, int64_t d_reserved, int allow_oversell, struct err *err)
{
	struct inv_delta d = { sku, wh, d_on_hand, d_reserved, op->reason, "order", op->ref,
			       op->note, code };
	int rc = inv_db_stock_apply(op->db, op->who, &d, allow_oversell, "stock", op->now, NULL, err);
	if (!rc)
		json_array_append_new(op->lines, json_pack("{s:s,s:I,s:I}", "sku", code, "on_hand",
							   (json_int_t)d_on_hand, "reserved",
							   (json_int_t)d_reserved));
	return rc;
}

static int op_finish(struct order_op *op, int rc, struct err *err)
{
	char action[32];
	if (!rc && json_array_size(op->lines) > 0) {
		snprintf(action, sizeof action, "stock_%s", op->reason);
		rc = inv_db_audit(op->db, op->who, "order", op->ref, action, NULL,
				  json_pack("{s:O}", "lines", op->lines), op->now, err);
	}
	json_decref(op->lines);
	return rc;
}

static void op_init(struct order_op *op, struct db *db, const struct auth_user *who,
		    int64_t order_id, const char *reason, int64_t now)
{
	op->db = db;
	op->who = who;
	op->order_id = order_id;
	op->now = now;
	op->reason = reason;
	op->note = "";
	op->lines = json_array();
	snprintf(op->ref, sizeof op->ref, "%lld", (long long)order_id);
}

/* Runs body inside a transaction with an arena; commits unless it failed. */
static int in_tx(struct db *db, int (*body)(struct db *, struct arena *, void *, struct err *),
		 void *ctx, struct err *err)
{
	struct arena *a = arena_new(8192);
	int rc = a ? db_begin(db, err) : inv_db_nomem(err);
	if (!rc) {
		rc = body(db, a, ctx, err);
		if (rc)
			db_rollback(db);
		else
			rc = db_commit(db, err);
	}
	arena_free(a);
	return rc;
}

/* ---------------------------------------------------------------- reserve */

struct reserve_args {
	const struct auth_user *who;
	int64_t order_id, now;
	int allow_oversell;
};

static int reserve_body(struct db *db, struct arena *a, void *p, struct err *err)
{
	struct reserve_args *r = p;
	struct held h;
	struct plan plan;
	struct order_op op;
	int64_t wh;
	int short_ = 0;
	int rc = order_exists(db, r->order_id, err);

	if (!rc)
		rc = load_held(db, a, r->order_id, &h, err);
	if (rc || h.holds || h.shipped)
		return rc; /* idempotent: already reserved, or gone */
	rc = plan_order(db, a, r->order_id, &plan, err);
	if (!rc && plan.n_lines == 0)
		return 0;
	if (!rc)
		rc = inv_db_wh_id(db, NULL, &wh, err);
	if (!rc)
		rc = plan_short(db, a, &plan, wh, r->allow_oversell, 0, &short_, err);
	if (rc)
		return rc;
	op_init(&op, db, r->who, r->order_id, "reserve", r->now);
	for (size_t i = 0; !rc && i < plan.n_lines; i++)
		rc = op_apply(&op, plan.lines[i].sku_id, name_of(&plan, plan.lines[i].sku_id), wh, 0,
			      plan.lines[i].qty, r->allow_oversell, err);
	return op_finish(&op, rc, err);
}

int inv_order_reserve(struct db *db, const struct auth_user *who, int64_t order_id,
		      int allow_oversell, int64_t now_utc, struct err *err)
{
	struct reserve_args r = { who, order_id, now_utc, allow_oversell };
	return in_tx(db, reserve_body, &r, err);
}

/* ---------------------------------------------------------------- release */

static int release_body(struct db *db, struct arena *a, void *p, struct err *err)
{
	struct reserve_args *r = p;
	struct held h;
	struct order_op op;
	int rc = order_exists(db, r->order_id, err);

	if (!rc)
		rc = load_held(db, a, r->order_id, &h, err);
	if (rc || !h.holds)
		return rc;
	op_init(&op, db, r->who, r->order_id, "release", r->now);
	const struct held_row *row = h.rows.v;
	for (size_t i = 0; !rc && i < h.rows.n; i++)
		if (row[i].reserved != 0)
			rc = op_apply(&op, row[i].sku_id, row[i].code, row[i].wh_id, 0,
				      -row[i].reserved, 1, err);
	return op_finish(&op, rc, err);
}

int inv_order_release(struct db *db, const struct auth_user *who, int64_t order_id,
		      int64_t now_utc, struct err *err)
{
	struct reserve_args r = { who, order_id, now_utc, 0 };
	return in_tx(db, release_body, &r, err);
}

/* ---------------------------------------------------------------- ship */

/* Never reserved: the current items leave straight from on_hand, with the
 * same checks a reservation has (goods promised to others are not taken). */
static int ship_unreserved(struct db *db, struct arena *a, struct order_op *op, struct err *err)
{
	struct plan plan;
	int64_t wh;
	int short_ = 0;
	int rc = plan_order(db, a, op->order_id, &plan, err);
	if (!rc && plan.n_lines == 0)
		return 0;
	if (!rc)
		rc = inv_db_wh_id(db, NULL, &wh, err);
	if (!rc)
		rc = plan_short(db, a, &plan, wh, 0, 1, &short_, err);
	for (size_t i = 0; !rc && i < plan.n_lines; i++)
		rc = op_apply(op, plan.lines[i].sku_id, name_of(&plan, plan.lines[i].sku_id), wh,
			      -plan.lines[i].qty, 0, 0, err);
	return rc;
}

static int ship_body(struct db *db, struct arena *a, void *p, struct err *err)
{
	struct reserve_args *r = p;
	struct held h;
	struct order_op op;
	int rc = order_exists(db, r->order_id, err);

	if (!rc)
		rc = load_held(db, a, r->order_id, &h, err);
	if (rc || h.shipped)
		return rc;
	op_init(&op, db, r->who, r->order_id, "ship", r->now);
	if (!h.holds) {
		rc = ship_unreserved(db, a, &op, err);
		return op_finish(&op, rc, err);
	}
	const struct held_row *row = h.rows.v;
	for (size_t i = 0; !rc && i < h.rows.n; i++)
		if (row[i].reserved != 0)
			rc = op_apply(&op, row[i].sku_id, row[i].code, row[i].wh_id, -row[i].reserved,
				      -row[i].reserved, 1, err);
	return op_finish(&op, rc, err);
}

int inv_order_ship(struct db *db, const struct auth_user *who, int64_t order_id,
		   int64_t now_utc, struct err *err)
{
	struct reserve_args r = { who, order_id, now_utc, 0 };
	return in_tx(db, ship_body, &r, err);
}

/* ---------------------------------------------------------------- parts (ORD-10) */

/* The chosen item lines, with the quantities asked for, as stock lines. */
static int plan_part(struct db *db, struct arena *a, int64_t order_id,
		     const struct inv_order_part *want, size_t n, struct plan *p, struct err *err)
{
	int rc;
	memset(p, 0, sizeof *p);
	p->items.size = sizeof(struct item_row);
	p->parts.size = sizeof(struct inv_combo_part);
	p->names.size = sizeof(struct name_row);
	rc = load_items(db, a, order_id, p, err);
	if (!rc)
		rc = load_parts(db, a, ORDER_PARTS_SQL, order_id, p, err);
	if (rc)
		return rc;
	struct item_row *it = p->items.v;
	size_t kept = 0;
	for (size_t i = 0; i < p->items.n; i++) {
		int64_t q = 0;
		for (size_t k = 0; k < n; k++)
			if (want[k].line_no == it[i].line_no)
				q += want[k].qty;
		if (q > 0) {
			it[kept] = it[i];
			it[kept++].qty = q;
		}
	}
	p->items.n = kept;
	rc = items_problems(p, a, err);
	if (rc)
		return rc;
	size_t cap = p->items.n + p->parts.n + 1;
	struct inv_item *in = arena_alloc(a, cap * sizeof *in);
	p->lines = arena_alloc(a, cap * sizeof *p->lines);
	if (!in || !p->lines)
		return inv_db_nomem(err);
	for (size_t i = 0; i < p->items.n; i++) {
		in[i].sku_id = it[i].sku_id;
		in[i].is_combo = it[i].is_combo;
		in[i].qty = it[i].qty;
	}
	return inv_expand(in, p->items.n, p->parts.v, p->parts.n, p->lines, cap, &p->n_lines, err);
}

struct part_args {
	const struct auth_user *who;
	int64_t order_id, now;
	const struct inv_order_part *lines;
	size_t n;
	const char *note;
	int ship;
};

/* Ship: each stock line leaves first from what the order holds for it
 * (reserved -> out), the rest, if it was never reserved, straight from on_hand
 * under the usual guard. Release: gives back at most what the order holds. */
static int part_body(struct db *db, struct arena *a, void *p, struct err *err)
{
	struct part_args *r = p;
	struct held h;
	struct plan plan;
	struct order_op op;
	int64_t wh = 0;
	int rc = order_exists(db, r->order_id, err);

	if (!rc)
		rc = load_held(db, a, r->order_id, &h, err);
	if (!rc)
		rc = plan_part(db, a, r->order_id, r->lines, r->n, &plan, err);
	if (!rc && r->ship)
		rc = inv_db_wh_id(db, NULL, &wh, err);
	if (rc)
		return rc;
	op_init(&op, db, r->who, r->order_id, r->ship ? "ship" : "release", r->now);
	op.note = r->note ? r->note : "";
	struct held_row *row = h.rows.v;
	for (size_t i = 0; !rc && i < plan.n_lines; i++) {
		int64_t left = plan.lines[i].qty;
		for (size_t k = 0; !rc && left > 0 && k < h.rows.n; k++) {
			if (row[k].sku_id != plan.lines[i].sku_id || row[k].reserved <= 0)
				continue;
			int64_t q = row[k].reserved < left ? row[k].reserved : left;
			rc = op_apply(&op, row[k].sku_id, row[k].code, row[k].wh_id, r->ship ? -q : 0, -q,
				      1, err);
			row[k].reserved -= q;
			left -= q;
		}
		if (!rc && left > 0 && r->ship)
			rc = op_apply(&op, plan.lines[i].sku_id, name_of(&plan, plan.lines[i].sku_id), wh,
				      -left, 0, 0, err);
	}
	return op_finish(&op, rc, err);
}

int inv_order_ship_part(struct db *db, const struct auth_user *who, int64_t order_id,
			const struct inv_order_part *lines, size_t n, const char *note,
			int64_t now_utc, struct err *err)
{
	struct part_args r = { who, order_id, now_utc, lines, n, note, 1 };
	return in_tx(db, part_body, &r, err);
}

int inv_order_release_part(struct db *db, const struct auth_user *who, int64_t order_id,
			   const struct inv_order_part *lines, size_t n, const char *note,
			   int64_t now_utc, struct err *err)
{
	struct part_args r = { who, order_id, now_utc, lines, n, note, 0 };
	return in_tx(db, part_body, &r, err);
}

/* ---------------------------------------------------------------- check */

int inv_order_check(struct db *db, int64_t order_id, int *ok, struct err *err)
{
	struct arena *a = arena_new(8192);
	struct err no = ERR_INIT; /* a "no" is an answer, not an error */
	struct held h;
	struct plan plan;
	int64_t wh;
	int short_ = 1;
	int rc = a ? order_exists(db, order_id, err) : inv_db_nomem(err);

	*ok = 0;
	if (!rc)
		rc = load_held(db, a, order_id, &h, err);
	if (!rc && (h.holds || h.shipped)) {
		*ok = 1;
		goto out;
	}
	if (rc || plan_order(db, a, order_id, &plan, &no))
		goto out;
	if (plan.n_lines == 0) {
		*ok = 1;
		goto out;
	}
	if (inv_db_wh_id(db, NULL, &wh, &no))
		goto out;
	*ok = !plan_short(db, a, &plan, wh, 0, 0, &short_, &no) && !short_;
out:
	if (no.code == ERR_NOMEM || no.code == ERR_DB || no.code == ERR_BUSY)
		rc = err_set(err, no.code, no.field, no.msg_zh, no.msg_en);
	arena_free(a);
	return rc;
}

/* ---------------------------------------------------------------- return */

struct return_args {
	const struct auth_user *who;
	int64_t order_id, now, qty;
	const char *sku, *note;
};

/* The stock lines a returned SKU restocks (a combo: its parts). */
static int return_lines(struct db *db, struct arena *a, const struct return_args *r,
			struct plan *p, struct err *err)
{
	struct inv_item it = { 0, 0, r->qty };
	int rc = inv_db_sku_id(db, r->sku, "sku", &it.sku_id, &it.is_combo, err);
	memset(p, 0, sizeof *p);
	p->parts.size = sizeof(struct inv_combo_part);
	p->names.size = sizeof(struct name_row);
	if (!rc && it.is_combo)
		rc = load_parts(db, a, "SELECT p.combo_sku_id, p.part_sku_id, p.qty, k.sku_code"
				       " FROM sku_parts p JOIN skus k ON k.id = p.part_sku_id"
				       " WHERE p.combo_sku_id = ? ORDER BY p.part_sku_id",
				it.sku_id, p, err);
	if (rc)
		return rc;
	size_t cap = p->parts.n + 1;
	p->lines = arena_alloc(a, cap * sizeof *p->lines);
	if (!p->lines)
		return inv_db_nomem(err);
	return inv_expand(&it, 1, p->parts.v, p->parts.n, p->lines, cap, &p->n_lines, err);
}

/* Spreads q over the warehouses the SKU shipped from, within what each shipped. */
static int return_line(struct order_op *op, struct held *h, const struct inv_line *l,
		       const char *sku_code, struct err *err)
{
	struct held_row *row = h->rows.v;
	int64_t left = l->qty;
	int rc = 0;
	for (size_t i = 0; !rc && left > 0 && i < h->rows.n; i++) {
		int64_t room = row[i].shipped - row[i].returned;
		if (row[i].sku_id != l->sku_id || room <= 0)
			continue;
		int64_t q = room < left ? room : left;
		rc = op_apply(op, row[i].sku_id, row[i].code, row[i].wh_id, q, 0, 1, err);
		row[i].returned += q;
		left -= q;
	}
	if (!rc && left > 0)
		rc = err_setf(err, ERR_UNPROCESSABLE, "qty", "退货数量超过该订单发出的 %.64s 数量",
			      "more %.64s returned than the order shipped", sku_code, sku_code);
	return rc;
}

static int return_body(struct db *db, struct arena *a, void *p, struct err *err)
{
	struct return_args *r = p;
	struct held h;
	struct plan plan;
	struct order_op op;
	int rc = order_exists(db, r->order_id, err);

	if (!rc)
		rc = return_lines(db, a, r, &plan, err);
	if (!rc)
		rc = load_held(db, a, r->order_id, &h, err);
	if (rc)
		return rc;
	op_init(&op, db, r->who, r->order_id, "return", r->now);
	op.note = r->note ? r->note : "";
	for (size_t i = 0; !rc && i < plan.n_lines; i++)
		rc = return_line(&op, &h, &plan.lines[i],
				 plan.parts.n ? name_of(&plan, plan.lines[i].sku_id) : r->sku, err);
	return op_finish(&op, rc, err);
}

int inv_order_return(struct db *db, const struct auth_user *who, int64_t order_id,
		     const char *sku, int64_t qty, const char *note, int64_t now_utc,
		     struct err *err)
{
	struct return_args r = { who, order_id, now_utc, qty, sku, note };
	if (qty < 1 || qty > INV_QTY_MAX)
		return err_setf(err, ERR_UNPROCESSABLE, "qty", "退货数量应为 1–%d",
				"qty must be 1-%d", INV_QTY_MAX, INV_QTY_MAX);
	return in_tx(db, return_body, &r, err);
}

int inv_catalog_in_use(struct db *db, int *yes, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT 1 FROM skus LIMIT 1", &st, err);
	if (rc)
		return rc;
	rc = db_step(st, err);
	*yes = rc == DB_ROW;
	db_done(st);
	return rc < 0 ? rc : 0;
}
