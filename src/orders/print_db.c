/*
 * print_db.c - shelf locations for picking lists (ORD-7), and marking the printed
 * orders (ORD-7) and parcels (ORD-10). See print_db.h.
 */
#include "orders/print_db.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "lib/arena.h"
#include "orders/order_db.h"
#include "orders/order_merge_db.h"
#include "lib/common.h"

int print_sku_location(struct db *db, struct arena *a, const char *sku_code,
		       const char **location, int64_t *pick_order, int *found,
		       struct err *err)
{
	struct db_stmt *st;
	/* LEFT JOINs: a known SKU without a shelf comes back with a NULL code,
	 * an unknown one with no row; both sort last on the list. */
	int rc = db_prepare(db, "SELECT l.code, l.pick_order FROM skus s"
				" LEFT JOIN sku_locations sl ON sl.sku_id = s.id"
				" LEFT JOIN locations l ON l.id = sl.location_id"
				" WHERE s.sku_code = ?"
				" ORDER BY CASE WHEN l.id IS NULL THEN 1 ELSE 0 END, l.pick_order, l.code"
				" LIMIT 1",
			    &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, sku_code);
	*location = "";
	*pick_order = 0;
	*found = 0;
	rc = db_step(st, err);
	if (rc == DB_ROW && !db_col_is_null(st, 0)) {
		*location = arena_strdup(a, db_col_text(st, 0));
		*pick_order = db_col_int(st, 1);
		*found = 1;
	}
	db_done(st);
	if (rc >= 0 && !*location)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	return rc < 0 ? rc : 0;
}

/* "订单 X[ 包裹 K]:why,整批未打印" into err; field ids or parcels. */
static void name_order(const struct order *o, int64_t parcel_no, const struct err *inner,
		       struct err *err)
{
	char zh[512], en[512], pz[32] = "", pe[32] = "";
	if (parcel_no) {
		snprintf(pz, sizeof pz, " 包裹 %lld", (long long)parcel_no);
		snprintf(pe, sizeof pe, " parcel %lld", (long long)parcel_no);
	}
	snprintf(zh, sizeof zh, "订单 %s%s:%s,整批未打印", o->platform_order_no, pz, inner->msg_zh);
	snprintf(en, sizeof en, "order %s%s: %s; nothing was printed", o->platform_order_no, pe,
		 inner->msg_en);
	/* err keeps 255 bytes; cutting there could split a character */
	if (strlen(zh) >= sizeof err->msg_zh || strlen(en) >= sizeof err->msg_en) {
		snprintf(zh, sizeof zh, "%s", inner->msg_zh);
		snprintf(en, sizeof en, "%s", inner->msg_en);
	}
	err_set(err, inner->code ? inner->code : ERR_INTERNAL, parcel_no ? "parcels" : "ids", zh,
		en);
}

struct marker {
	struct db *db;
	const struct auth_user *who;
	const struct order *orders;       /* either orders ... */
	const struct print_parcel *parcels; /* ... or parcels */
	size_t n;
	int64_t now;
	struct err err;
	int rc;
};

/* Opens the batch's transaction and applies every action; the caller ends it.
 * order_act's and order_parcel_act's own transactions join this one (db.h),
 * so the batch commits once; when one refuses it has rolled the whole back. */
static int mark_begin(struct marker *m)
{
	struct order_act_args args = { 0 };
	struct order_parcel_args pargs = { 0 };
	int rc = db_begin(m->db, &m->err);
	for (size_t i = 0; !rc && i < m->n; i++) {
		struct err e1 = ERR_INIT;
		if (m->parcels) {
			const struct print_parcel *p = &m->parcels[i];
			rc = order_parcel_act(m->db, m->who, p->order->id, p->parcel_no, ORDER_ACT_PRINT,
					      0, &pargs, m->now, &e1);
			if (rc)
				name_order(p->order, p->parcel_no, &e1, &m->err);
		} else {
			rc = order_act(m->db, m->who, m->orders[i].id, ORDER_ACT_PRINT, &args, m->now,
				       &e1);
			if (rc)
				name_order(&m->orders[i], 0, &e1, &m->err);
		}
	}
	return rc;
}

static void *mark_run(void *p)
{
	struct marker *m = p;
	m->rc = mark_begin(m);
	return NULL;
}

static int mark_printed(struct marker *m, int (*render)(void *ctx, struct err *err), void *ctx,
			struct err *err)
{
	pthread_t th;
	/* the connection passes to the helper and back: one thread at a time (join) */
	int helper = m->db->engine == DB_POSTGRES && pthread_create(&th, NULL, mark_run, m) == 0;
	int rc = render(ctx, err);

	if (helper)
		pthread_join(th, NULL);
	else if (!rc)
		mark_run(m);
	if (!rc && m->rc)
		rc = err_set(err, m->err.code ? m->err.code : m->rc, m->err.field, m->err.msg_zh,
			     m->err.msg_en);
	if (rc)
		db_rollback(m->db); /* a no-op when order_act already rolled back */
	else
		rc = db_commit(m->db, err);
	return rc;
}

int print_mark_printed(struct db *db, const struct auth_user *who, const struct order *orders,
		       size_t n, int64_t now_utc, int (*render)(void *ctx, struct err *err),
		       void *ctx, struct err *err)
{
	struct marker m = { db, who, orders, NULL, n, now_utc, ERR_INIT, 0 };
	return mark_printed(&m, render, ctx, err);
}

int print_mark_parcels_printed(struct db *db, const struct auth_user *who,
			       const struct print_parcel *parcels, size_t n, int64_t now_utc,
			       int (*render)(void *ctx, struct err *err), void *ctx,
			       struct err *err)
{
	struct marker m = { db, who, NULL, parcels, n, now_utc, ERR_INIT, 0 };
	return mark_printed(&m, render, ctx, err);
}
