/*
 * order_db.c - storage of orders: reads, stage actions, ORD-4 edits, memos,
 * tasks and the order report. Imports live in import_taobao.c.
 */
#include "orders/order_db.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "inventory/inventory_db.h"
#include "policy/policy_db.h"
#include "db/db.h"
#include "lib/arena.h"
#include "lib/sb.h"
#include "lib/xalloc.h"
#include "orders/order_merge_db.h"
#include "lib/common.h"

#define ORDER_COLS \
	"o.id, o.store_id, s.code, o.platform_order_no, o.buyer_nick, o.buyer_alipay," \
	" o.receiver_name, o.receiver_phone, o.receiver_address, o.province, o.city," \
	" o.district, o.shipping_method, o.goods_fen, o.postage_fen, o.total_fen, o.paid_fen," \
	" o.refund_fen, o.platform_status, o.stage, o.hold_from, o.hold_reason, o.exception," \
	" o.buyer_message, o.seller_memo, o.item_title, o.item_kinds, o.item_qty," \
	" o.platform_courier, o.platform_tracking_no, o.courier, o.tracking_no, o.weight_g," \
	" o.created_utc, o.paid_utc, o.version, o.imported_utc, o.updated_utc, o.import_id," \
	" o.merge_group, o.split_parcels"

/* the stores a user may see. */
#define ORDER_VISIBLE \
	" (CAST(? AS BIGINT) = 0 OR NOT EXISTS (SELECT 1 FROM user_stores WHERE user_id = ?)" \
	" OR o.store_id IN (SELECT store_id FROM user_stores WHERE user_id = ?))"

static const char *col_dup(struct db_stmt *st, int col, struct arena *a)
{
	const char *s = db_col_text(st, col);
	return arena_strdup(a, s ? s : "");
}

static enum order_stage stage_of(const char *s)
{
	enum order_stage st = ORDER_STAGE_PENDING_AUDIT;
	if (!s || order_stage_parse(s, &st))
		return ORDER_STAGE_PENDING_AUDIT;
	return st;
}

static int read_order(struct db_stmt *st, struct arena *a, struct order *o)
{
	int c = 0;
	memset(o, 0, sizeof *o);
	o->id = db_col_int(st, c++);
	o->store_id = db_col_int(st, c++);
	o->store_code = col_dup(st, c++, a);
	o->platform_order_no = col_dup(st, c++, a);
	o->buyer_nick = col_dup(st, c++, a);
	o->buyer_alipay = col_dup(st, c++, a);
	o->receiver_name = col_dup(st, c++, a);
	o->receiver_phone = col_dup(st, c++, a);
	o->receiver_address = col_dup(st, c++, a);
	o->province = col_dup(st, c++, a);
	o->city = col_dup(st, c++, a);
	o->district = col_dup(st, c++, a);
	o->shipping_method = col_dup(st, c++, a);
	o->goods_fen = db_col_int(st, c++);
	o->postage_fen = db_col_int(st, c++);
	o->total_fen = db_col_int(st, c++);
	o->paid_fen = db_col_int(st, c++);
	o->refund_fen = db_col_int(st, c++);
	o->platform_status = col_dup(st, c++, a);
	o->pstatus = order_pstatus_parse(o->platform_status);
	o->stage = stage_of(db_col_text(st, c++));
	o->hold_from = db_col_is_null(st, c) ? o->stage : stage_of(db_col_text(st, c));
	c++;
	o->hold_reason = col_dup(st, c++, a);
	o->exception = col_dup(st, c++, a);
	o->buyer_message = col_dup(st, c++, a);
	o->seller_memo = col_dup(st, c++, a);
	o->item_title = col_dup(st, c++, a);
	o->item_kinds = db_col_int(st, c++);
	o->item_qty = db_col_int(st, c++);
	o->platform_courier = col_dup(st, c++, a);
	o->platform_tracking_no = col_dup(st, c++, a);
	o->courier = col_dup(st, c++, a);
	o->tracking_no = col_dup(st, c++, a);
	o->weight_g = db_col_is_null(st, c) ? -1 : db_col_int(st, c);
	c++;
	o->created_utc = db_col_int(st, c++);
	o->paid_utc = db_col_int(st, c++);
	o->version = db_col_int(st, c++);
	o->imported_utc = db_col_int(st, c++);
	o->updated_utc = db_col_int(st, c++);
	o->import_id = db_col_int(st, c++);
	o->merge_group = db_col_is_null(st, c) ? 0 : db_col_int(st, c);
	c++;
	o->split_parcels = db_col_int(st, c++);
	return o->platform_order_no && o->exception && o->updated_utc >= 0 ? 0 : ERR_NOMEM;
}

/* ---------------------------------------------------------------- list */

/*
 * The list query is assembled from fixed fragments, one per filter present, so
 * the planner sees plain "col = ?" terms and uses the indexes; a single query
 * with "(? IS NULL OR col = ?)" for every filter would scan a million rows.
 * Fragments are constants (never user text), every value is bound, and the
 * finished text is interned (db_sql_intern) so the statement cache keeps one
 * prepared statement per combination of filters.
 */
struct list_sql {
	struct sb sql;
	const char *text[16];
	int64_t num[16];
	int is_num[16];
	int n;
};

static void frag_text(struct list_sql *q, const char *frag, const char *v)
{
	sb_adds(&q->sql, frag);
	q->is_num[q->n] = 0;
	q->text[q->n++] = v;
}

static void frag_num(struct list_sql *q, const char *frag, int64_t v)
{
	sb_adds(&q->sql, frag);
	q->is_num[q->n] = 1;
	q->num[q->n++] = v;
}

static int user_limited(struct db *db, int64_t user_id, int *limited, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT 1 FROM user_stores WHERE user_id = ? LIMIT 1", &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, user_id);
	rc = db_step(st, err);
	*limited = rc == DB_ROW;
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int list_where(struct db *db, const struct order_filter *f, struct arena *a,
		      const char *from, struct list_sql *q, struct err *err)
{
	int limited = 0;
	int rc = f->user_id ? user_limited(db, f->user_id, &limited, err) : 0;
	if (rc)
		return rc;
	if (f->sku) {
		/* "Orders with SKU x" walks the (sku_code, order_id) index newest order
		 * first and checks the other filters on each order (by the covering
		 * stage index when only the stage is asked), so the work is bounded by
		 * how often the SKU sells; GROUP BY in the caller's tail counts an order
		 * with the SKU on two lines once. See sku_ids for the faster walk. */
		frag_text(q, " FROM order_items i CROSS JOIN orders o WHERE o.id = i.order_id"
			     " AND i.sku_code = ?", f->sku);
		/* with a stage, the (stage, sku_code, order_id) index of 0009
		 * holds exactly the lines wanted */
		if (f->stage)
			frag_text(q, " AND i.stage = ?", f->stage);
	} else {
		sb_adds(&q->sql, from);
	}
	if (limited)
		frag_num(q, " AND o.store_id IN (SELECT store_id FROM user_stores WHERE user_id = ?)",
			 f->user_id);
	if (f->store_id)
		frag_num(q, " AND o.store_id = ?", f->store_id);
	if (f->stage)
		frag_text(q, " AND o.stage = ?", f->stage);
	if (f->exception_only)
		sb_adds(&q->sql, " AND o.exception <> ''");
	if (f->platform_status)
		frag_text(q, " AND o.platform_status = ?", f->platform_status);
	if (f->from_utc)
		frag_num(q, " AND o.created_utc >= ?", f->from_utc);
	if (f->to_utc)
		frag_num(q, " AND o.created_utc < ?", f->to_utc);
	if (f->buyer)
		frag_text(q, " AND o.buyer_nick = ?", f->buyer);
	if (f->receiver)
		frag_text(q, " AND o.receiver_name = ?", f->receiver);
	if (f->phone_last4) {
		char *like = arena_alloc(a, strlen(f->phone_last4) + 2);
		if (!like)
			return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
		snprintf(like, strlen(f->phone_last4) + 2, "%%%s", f->phone_last4);
		frag_text(q, " AND o.receiver_phone LIKE ?", like);
	}
	if (f->tracking_no) {
		frag_text(q, " AND (o.tracking_no = ?", f->tracking_no);
		frag_text(q, " OR o.platform_tracking_no = ?)", f->tracking_no);
	}
	if (f->order_no)
		frag_text(q, " AND o.platform_order_no = ?", f->order_no);
	/* ORD-10: both are driven by a small index (orders_merge_group; the
	 * order_parcels key) as "o.id IN (…)": written as a plain column test the
	 * planner walks the store's whole created-time index instead. */
	if (f->merged_only)
		sb_adds(&q->sql, " AND o.merge_group IS NOT NULL"
				 " AND o.id IN (SELECT m.id FROM orders m WHERE m.merge_group IS NOT NULL)");
	if (f->split_only)
		sb_adds(&q->sql, " AND o.split_parcels > 0"
				 " AND o.id IN (SELECT p.order_id FROM order_parcels p)");
	return 0;
}

static void list_bind(struct db_stmt *st, const struct list_sql *q)
{
	for (int i = 0; i < q->n; i++) {
		if (q->is_num[i])
			db_bind_int(st, i + 1, q->num[i]);
		else
			db_bind_text(st, i + 1, q->text[i]);
	}
}

/* Prepares head + WHERE + tail; the text is interned so the cache can hold it. */
static int list_prepare(struct db *db, const struct order_filter *f, struct arena *a,
			const char *head, const char *from, const char *tail, struct list_sql *q,
			struct db_stmt **st, struct err *err)
{
	memset(q, 0, sizeof *q);
	sb_init_arena(&q->sql, a, 8192);
	sb_adds(&q->sql, head);
	int rc = list_where(db, f, a, from, q, err);
	if (rc)
		return rc;
	sb_adds(&q->sql, tail);
	const char *text = sb_take(&q->sql, err);
	if (!text)
		return err->code;
	const char *sql = db_sql_intern(text);
	if (!sql)
		return err_set(err, ERR_INTERNAL, "", "查询组合过多", "too many distinct queries");
	rc = db_prepare(db, sql, st, err);
	if (!rc)
		list_bind(*st, q);
	return rc;
}

/* Counting stops at ORDER_COUNT_CAP: "1000+" is all a person paging needs, and
 * an exact count of a million rows would cost more than the page itself. */
static int count_orders(struct db *db, const struct order_filter *f, struct arena *a,
			int64_t *total, struct err *err)
{
	struct list_sql q;
	struct db_stmt *st;
	int rc = list_prepare(db, f, a, "SELECT COUNT(*) FROM (SELECT 1", " FROM orders o WHERE 1 = 1",
			      " LIMIT " ORDER_COUNT_CAP_TEXT ") capped", &q, &st, err);
	if (rc)
		return rc;
	rc = db_step(st, err);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* ---------------------------------------------------------- list by SKU */

/*
 * A SKU search walks the matching order ids newest first once, which gives
 * both the capped count and the page (counting and paging as two queries
 * walked the SKU's lines twice); only the page's ids are kept, and its orders
 * are then read by id.
 */
struct sku_walk {
	int64_t from, upto; /* the page: matches [from, upto) */
	int64_t seen;       /* matches walked */
	int64_t *ids;       /* upto - from of them */
	int n;
};

static int sku_ids(struct db *db, const struct order_filter *f, struct arena *a,
		   struct sku_walk *w, int64_t limit, struct err *err)
{
	struct list_sql q;
	struct db_stmt *st;
	int rc = list_prepare(db, f, a, "SELECT i.order_id", NULL,
			      " GROUP BY i.order_id ORDER BY i.order_id DESC LIMIT ?", &q, &st, err);
	if (rc)
		return rc;
	db_bind_int(st, q.n + 1, limit);
	while ((rc = db_step(st, err)) == DB_ROW) {
		if (w->seen >= w->from && w->seen < w->upto)
			w->ids[w->n++] = db_col_int(st, 0);
		w->seen++;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int order_list_sku(struct db *db, const struct order_filter *f, struct arena *a,
			  int (*fn)(const struct order *o, void *ctx), void *ctx, int64_t *total,
			  struct err *err)
{
	struct sku_walk *w = arena_calloc(a, sizeof *w);
	if (w)
		w->ids = arena_alloc(a, (size_t)f->page_size * sizeof *w->ids);
	if (!w || !w->ids)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	w->from = (f->page - 1) * f->page_size;
	w->upto = w->from + f->page_size;
	int rc = sku_ids(db, f, a, w, total && w->upto < ORDER_COUNT_CAP ? ORDER_COUNT_CAP : w->upto,
			 err);
	if (rc)
		return rc;
	if (total)
		*total = w->seen < ORDER_COUNT_CAP ? w->seen : ORDER_COUNT_CAP;
	for (int i = 0; !rc && i < w->n; i++) {
		struct order o;
		/* 0: the walk already kept to the stores the user may see */
		rc = order_get(db, a, w->ids[i], 0, &o, err);
		/* moved on since the walk (its own statement): not this stage's now */
		if (!rc && f->stage && strcmp(order_stage_name(o.stage), f->stage) != 0)
			continue;
		if (!rc)
			rc = fn(&o, ctx);
	}
	if (rc == ERR_NOMEM)
		err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	return rc < 0 ? rc : 0;
}

int order_list(struct db *db, const struct order_filter *f, struct arena *a,
	       int (*fn)(const struct order *o, void *ctx), void *ctx, int64_t *total,
	       struct err *err)
{
	struct list_sql q;
	struct db_stmt *st;
	struct order o;
	int rc;

	if (f->sku)
		return order_list_sku(db, f, a, fn, ctx, total, err);
	rc = total ? count_orders(db, f, a, total, err) : 0;
	if (rc)
		return rc;
	rc = list_prepare(db, f, a, "SELECT " ORDER_COLS,
			  " FROM orders o JOIN stores s ON s.id = o.store_id WHERE 1 = 1",
			  " ORDER BY o.id DESC LIMIT ? OFFSET ?", &q, &st, err);
	if (rc)
		return rc;
	db_bind_int(st, q.n + 1, f->page_size);
	db_bind_int(st, q.n + 2, (f->page - 1) * f->page_size);
	while ((rc = db_step(st, err)) == DB_ROW) {
		rc = read_order(st, a, &o);
		if (!rc)
			rc = fn(&o, ctx);
		if (rc)
			break;
	}
	db_done(st);
	if (rc == ERR_NOMEM)
		err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	return rc < 0 ? rc : 0;
}

int order_get(struct db *db, struct arena *a, int64_t id, int64_t user_id, struct order *out,
	      struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT " ORDER_COLS " FROM orders o JOIN stores s ON s.id = o.store_id"
				" WHERE o.id = ? AND" ORDER_VISIBLE,
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, user_id);
	db_bind_int(st, 3, user_id);
	db_bind_int(st, 4, user_id);
	rc = db_step(st, err);
	if (rc == DB_ROW && read_order(st, a, out))
		rc = err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	db_done(st);
	if (rc == DB_DONE)
		return err_set(err, ERR_NOT_FOUND, "id", "订单不存在", "no such order");
	return rc < 0 ? rc : 0;
}

int order_items_each(struct db *db, struct arena *a, int64_t order_id,
		     int (*fn)(const struct order_item *it, void *ctx), void *ctx,
		     struct err *err)
{
	struct db_stmt *st;
	struct order_item it;
	int rc = db_prepare(db, "SELECT id, line_no, title, price_fen, qty, external_code, attrs,"
				" package_info, memo, platform_status, sku_code FROM order_items"
				" WHERE order_id = ? ORDER BY line_no",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, order_id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		it.id = db_col_int(st, 0);
		it.line_no = db_col_int(st, 1);
		it.title = col_dup(st, 2, a);
		it.price_fen = db_col_int(st, 3);
		it.qty = db_col_int(st, 4);
		it.external_code = col_dup(st, 5, a);
		it.attrs = col_dup(st, 6, a);
		it.package_info = col_dup(st, 7, a);
		it.memo = col_dup(st, 8, a);
		it.platform_status = col_dup(st, 9, a);
		it.sku_code = col_dup(st, 10, a);
		rc = it.sku_code ? fn(&it, ctx) : ERR_NOMEM;
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

int order_events_each(struct db *db, int64_t order_id,
		      int (*fn)(const struct order_event *e, void *ctx), void *ctx,
		      struct err *err)
{
	struct db_stmt *st;
	struct order_event e;
	int rc = db_prepare(db, "SELECT at_utc, username, action, from_stage, to_stage, detail"
				" FROM order_events WHERE order_id = ? ORDER BY id",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, order_id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		e.at_utc = db_col_int(st, 0);
		e.username = db_col_text(st, 1);
		e.action = db_col_text(st, 2);
		e.from_stage = db_col_text(st, 3);
		e.to_stage = db_col_text(st, 4);
		e.detail = db_col_text(st, 5);
		rc = fn(&e, ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

int order_memos_each(struct db *db, int64_t order_id,
		     int (*fn)(const struct order_memo_row *m, void *ctx), void *ctx,
		     struct err *err)
{
	struct db_stmt *st;
	struct order_memo_row m;
	int rc = db_prepare(db, "SELECT id, at_utc, kind, value, text, author FROM order_memos"
				" WHERE order_id = ? ORDER BY id",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, order_id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		m.id = db_col_int(st, 0);
		m.at_utc = db_col_int(st, 1);
		m.kind = db_col_text(st, 2);
		m.value = db_col_text(st, 3);
		m.text = db_col_text(st, 4);
		m.author = db_col_text(st, 5);
		rc = fn(&m, ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* ---------------------------------------------------------------- tasks */

int order_tasks_each(struct db *db, const char *role, const char *status, int64_t order_id,
		     int64_t user_id, int (*fn)(const struct order_task *t, void *ctx), void *ctx,
		     struct err *err)
{
	struct db_stmt *st;
	struct order_task t;
	int rc = db_prepare(db, "SELECT t.id, t.order_id, t.created_utc, t.done_utc, t.version,"
				" t.kind, t.role, t.status, t.text, t.note, o.platform_order_no, s.code"
				" FROM tasks t JOIN stores s ON s.id = t.store_id"
				" LEFT JOIN orders o ON o.id = t.order_id"
				" WHERE (CAST(? AS TEXT) IS NULL OR t.role = ?)"
				" AND (CAST(? AS TEXT) IS NULL OR t.status = ?)"
				" AND (CAST(? AS BIGINT) = 0 OR t.order_id = ?)"
				" AND (CAST(? AS BIGINT) = 0 OR NOT EXISTS (SELECT 1 FROM user_stores WHERE user_id = ?)"
				" OR t.store_id IN (SELECT store_id FROM user_stores WHERE user_id = ?))"
				" ORDER BY t.id DESC LIMIT 500",
			    &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, role);
	db_bind_text(st, 2, role);
	db_bind_text(st, 3, status);
	db_bind_text(st, 4, status);
	db_bind_int(st, 5, order_id);
	db_bind_int(st, 6, order_id);
	db_bind_int(st, 7, user_id);
	db_bind_int(st, 8, user_id);
	db_bind_int(st, 9, user_id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		t.id = db_col_int(st, 0);
		t.order_id = db_col_int(st, 1);
		t.created_utc = db_col_int(st, 2);
		t.done_utc = db_col_int(st, 3);
		t.version = db_col_int(st, 4);
		t.kind = db_col_text(st, 5);
		t.role = db_col_text(st, 6);
		t.status = db_col_text(st, 7);
		t.text = db_col_text(st, 8);
		t.note = db_col_text(st, 9);
		t.order_no = db_col_text(st, 10);
		t.store_code = db_col_text(st, 11);
		rc = fn(&t, ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int audit_simple(struct db *db, const struct auth_user *who, const char *entity,
			int64_t id, const char *action, const char *before, const char *after,
			int64_t now, struct err *err)
{
	char sid[32];
	snprintf(sid, sizeof sid, "%lld", (long long)id);
	struct audit_entry e = { who, entity, sid, action, before, after, now };
	return audit_write(db, &e, err);
}

int order_task_done(struct db *db, const struct auth_user *who, int64_t task_id,
		    const char *note, int64_t now_utc, struct err *err)
{
	struct db_stmt *st;
	int rc = db_begin(db, err);
	if (rc)
		return rc;
	rc = db_prepare(db, "UPDATE tasks SET status = 'done', done_utc = ?, done_by = ?, note = ?,"
			    " version = version + 1 WHERE id = ? AND status = 'open'",
			&st, err);
	if (rc)
		goto fail;
	db_bind_int(st, 1, now_utc);
	db_bind_int(st, 2, who->id);
	db_bind_text(st, 3, note ? note : "");
	db_bind_int(st, 4, task_id);
	rc = db_run(st, err);
	int64_t n = db_changes(st);
	db_done(st);
	if (!rc && n != 1)
		rc = err_set(err, ERR_CONFLICT, "id", "任务不存在或已完成",
			     "no such open task (already done?)");
	if (!rc)
		rc = audit_simple(db, who, "task", task_id, "done", "{\"status\":\"open\"}",
				  "{\"status\":\"done\"}", now_utc, err);
	if (rc)
		goto fail;
	return db_commit(db, err);
fail:
	db_rollback(db);
	return rc;
}

/* ---------------------------------------------------------------- changes */

int order_event_add(struct db *db, const struct auth_user *who, int64_t order_id,
		     const char *action, const char *from, const char *to, const char *detail,
		     int64_t now, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "INSERT INTO order_events (order_id, at_utc, user_id, username,"
				" action, from_stage, to_stage, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, order_id);
	db_bind_int(st, 2, now);
	if (who)
		db_bind_int(st, 3, who->id);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, who ? who->username : "system");
	db_bind_text(st, 5, action);
	db_bind_text(st, 6, from);
	db_bind_text(st, 7, to);
	db_bind_text(st, 8, detail ? detail : "");
	rc = db_run(st, err);
	db_done(st);
	return rc;
}

static char *stage_json_new(const char *stage, int64_t version, const char *extra_key,
			    const char *extra_val)
{
	json_t *o = json_pack("{s:s,s:I}", "stage", stage, "version", (json_int_t)version);
	if (o && extra_key)
		json_object_set_new(o, extra_key, json_string(extra_val ? extra_val : ""));
	char *text = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	char *copy = text ? xstrdup(text) : NULL;
	free(text); /* jansson's allocation */
	return copy;
}

static int check_version(const struct order *o, int64_t expect, struct err *err)
{
	if (expect && expect != o->version)
		return err_setf(err, ERR_CONFLICT, "version",
				"订单已被他人修改(当前版本 %lld),请刷新后重试",
				"the order was changed by someone else (now version %lld); reload and retry",
				(long long)o->version, (long long)o->version);
	return 0;
}

static int act_validate(enum order_action act, const struct order_act_args *args, struct err *err)
{
	if (act == ORDER_ACT_PACK && (args->weight_g <= 0 || args->weight_g > 100000))
		return err_set(err, ERR_UNPROCESSABLE, "weight_g", "打包需要称重,重量应为 1–100000 克",
			       "packing needs the weight, 1-100000 grams");
	if (act == ORDER_ACT_SHIP && (!args->courier || !*args->courier))
		return err_set(err, ERR_UNPROCESSABLE, "courier", "发货需要快递公司",
			       "shipping needs the courier company");
	if (act == ORDER_ACT_SHIP && (!args->tracking_no || !*args->tracking_no))
		return err_set(err, ERR_UNPROCESSABLE, "tracking_no", "发货需要快递单号",
			       "shipping needs the tracking number");
	return 0;
}

static int act_store(struct db *db, const struct order *o, enum order_action act,
		     enum order_stage to, const struct order_act_args *args, int64_t now,
		     struct err *err)
{
	struct db_stmt *st;
	int holding = act == ORDER_ACT_HOLD;
	int rc = db_prepare(db, "UPDATE orders SET stage = ?, hold_from = ?,"
				" hold_reason = CASE WHEN ? = 1 THEN ? ELSE '' END,"
				" weight_g = CASE WHEN ? > 0 THEN ? ELSE weight_g END,"
				" courier = COALESCE(?, courier), tracking_no = COALESCE(?, tracking_no),"
				" version = version + 1, updated_utc = ? WHERE id = ? AND version = ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, order_stage_name(to));
	if (holding)
		db_bind_text(st, 2, order_stage_name(o->stage));
	else
		db_bind_null(st, 2);
	db_bind_int(st, 3, holding);
	db_bind_text(st, 4, args->reason ? args->reason : "");
	db_bind_int(st, 5, act == ORDER_ACT_PACK ? args->weight_g : 0);
	db_bind_int(st, 6, args->weight_g);
	db_bind_text(st, 7, act == ORDER_ACT_SHIP ? args->courier : NULL);
	db_bind_text(st, 8, act == ORDER_ACT_SHIP ? args->tracking_no : NULL);
	db_bind_int(st, 9, now);
	db_bind_int(st, 10, o->id);
	db_bind_int(st, 11, o->version);
	rc = db_run(st, err);
	int64_t n = db_changes(st);
	db_done(st);
	if (!rc && n != 1)
		rc = err_set(err, ERR_CONFLICT, "version", "订单已被他人修改,请刷新后重试",
			     "the order was changed by someone else; reload and retry");
	return rc;
}

static const char *act_detail(enum order_action act, const struct order_act_args *args,
			      char *buf, size_t n)
{
	buf[0] = '\0';
	if (act == ORDER_ACT_PACK)
		snprintf(buf, n, "%lld g", (long long)args->weight_g);
	else if (act == ORDER_ACT_SHIP)
		snprintf(buf, n, "%s %s", args->courier, args->tracking_no);
	else if (act == ORDER_ACT_HOLD && args->reason)
		snprintf(buf, n, "%s", args->reason);
	return buf;
}

/* INV-1: stock is reserved at audit and leaves at ship, in the action's transaction.
 * A reservation that fails (short or unknown SKU) refuses the audit with the reason. */
static int act_stock(struct db *db, const struct auth_user *who, const struct order *o,
		     enum order_action act, int64_t now, struct err *err)
{
	struct policy pol;
	int64_t pv;
	int used, rc;

	if (act != ORDER_ACT_SHIP && act != ORDER_ACT_AUDIT)
		return 0;
	rc = inv_catalog_in_use(db, &used, err);
	if (rc || !used)
		return rc;
	if (act == ORDER_ACT_SHIP)
		return inv_order_ship(db, who, o->id, now, err);
	rc = policy_load(db, o->store_id, &pol, &pv, err);
	return rc ? rc : inv_order_reserve(db, who, o->id, pol.allow_presale_oversell, now, err);
}

/* One order's stage action: the rule, stock, row, timeline event and audit
 * row. note (may be "") is added to the event's detail. */
static int act_one(struct db *db, const struct auth_user *who, const struct order *o,
		   enum order_action act, const struct order_act_args *args, const char *note,
		   int64_t now_utc, struct err *err)
{
	enum order_stage to;
	char detail[240], *before = NULL, *after = NULL;
	int rc = order_next_stage(o->stage, o->hold_from, act, &to, err);

	if (!rc) /* ORD-10: a split order moves by its parcels */
		rc = order_split_act_check(o, act, err);
	if (!rc)
		rc = act_stock(db, who, o, act, now_utc, err);
	if (!rc)
		rc = act_store(db, o, act, to, args, now_utc, err);
	act_detail(act, args, detail, sizeof detail);
	if (*note) {
		size_t len = strlen(detail);
		snprintf(detail + len, sizeof detail - len, "%s%s", len ? " " : "", note);
	}
	if (!rc)
		rc = order_event_add(db, who, o->id, order_action_name(act), order_stage_name(o->stage),
			       order_stage_name(to), detail, now_utc, err);
	if (!rc) {
		before = stage_json_new(order_stage_name(o->stage), o->version, NULL, NULL);
		after = stage_json_new(order_stage_name(to), o->version + 1, *detail ? "detail" : NULL,
				       detail);
		rc = before && after ? audit_simple(db, who, "order", o->id, order_action_name(act),
						    before, after, now_utc, err)
				     : err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	}
	xfree(before);
	xfree(after);
	return rc;
}

/* ORD-10: from printing on, a merged group is one parcel: the action applies to
 * every member, each at the acting order's stage, with the same waybill,
 * weight, courier and tracking number; each member ships its own stock. */
static int act_group(struct db *db, const struct auth_user *who, struct arena *a,
		     const struct order *o, enum order_action act,
		     const struct order_act_args *args, int64_t now_utc, struct err *err)
{
	int64_t *ids;
	size_t n;
	char note[96];
	int rc = order_merge_members(db, a, o->merge_group, &ids, &n, err);

	snprintf(note, sizeof note, "(合并发货,随订单 %.40s)", o->platform_order_no);
	for (size_t i = 0; !rc && i < n; i++) {
		struct order m;
		if (ids[i] == o->id)
			continue;
		rc = order_get(db, a, ids[i], 0, &m, err);
		if (!rc && (m.stage != o->stage || m.hold_from != o->hold_from)) {
			char zh[200], en[200];
			snprintf(zh, sizeof zh, "合并发货的订单 %.40s 处于「%s」阶段,与订单 %.40s 不同,整个包裹不能%s",
				 m.platform_order_no, order_stage_label_zh(m.stage), o->platform_order_no,
				 order_action_name(act));
			snprintf(en, sizeof en, "merged order %.40s is at stage %s, unlike order %.40s;"
				 " the parcel cannot %s", m.platform_order_no, order_stage_name(m.stage),
				 o->platform_order_no, order_action_name(act));
			rc = err_set(err, ERR_UNPROCESSABLE, "stage", zh, en);
		}
		if (!rc)
			rc = act_one(db, who, &m, act, args, note, now_utc, err);
	}
	return rc;
}

int order_act(struct db *db, const struct auth_user *who, int64_t id, enum order_action act,
	      const struct order_act_args *args, int64_t now_utc, struct err *err)
{
	struct arena *a = arena_new(4096);
	struct order o;
	int rc = a ? act_validate(act, args, err) : err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");

	if (!rc)
		rc = db_begin(db, err);
	if (rc)
		goto out;
	rc = order_get(db, a, id, 0, &o, err);
	if (!rc)
		rc = check_version(&o, args->expect_version, err);
	if (!rc)
		rc = act_one(db, who, &o, act, args, "", now_utc, err);
	if (!rc && o.merge_group && order_merge_shared_action(act))
		rc = act_group(db, who, a, &o, act, args, now_utc, err);
	if (rc)
		db_rollback(db);
	else
		rc = db_commit(db, err);
out:
	arena_free(a);
	return rc;
}

static int exception_clear(struct db *db, const struct order *o, int64_t now, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "UPDATE orders SET exception = '', version = version + 1,"
				" updated_utc = ? WHERE id = ? AND version = ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, o->id);
	db_bind_int(st, 3, o->version);
	rc = db_run(st, err);
	int64_t n = db_changes(st);
	db_done(st);
	if (!rc && n != 1)
		rc = err_set(err, ERR_CONFLICT, "version", "订单已被他人修改,请刷新后重试",
			     "the order was changed by someone else; reload and retry");
	return rc;
}

int order_resolve_exception(struct db *db, const struct auth_user *who, int64_t id,
			    int64_t expect_version, const char *note, int64_t now_utc,
			    struct err *err)
{
	struct arena *a = arena_new(4096);
	struct order o;
	char *b = NULL, *af = NULL;
	int rc = a ? db_begin(db, err) : err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");

	if (rc)
		goto out;
	rc = order_get(db, a, id, 0, &o, err);
	if (!rc)
		rc = check_version(&o, expect_version, err);
	if (!rc && !*o.exception)
		rc = err_set(err, ERR_UNPROCESSABLE, "exception", "订单不在异常队列中",
			     "the order is not in the exception queue");
	if (!rc)
		rc = exception_clear(db, &o, now_utc, err);
	if (!rc)
		rc = order_event_add(db, who, id, "resolve", order_stage_name(o.stage),
			       order_stage_name(o.stage), note, now_utc, err);
	if (!rc) {
		b = stage_json_new(order_stage_name(o.stage), o.version, "exception", o.exception);
		af = stage_json_new(order_stage_name(o.stage), o.version + 1, "resolution", note);
		rc = b && af ? audit_simple(db, who, "order", id, "resolve", b, af, now_utc, err)
			     : err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	}
	if (rc)
		db_rollback(db);
	else
		rc = db_commit(db, err);
out:
	xfree(b);
	xfree(af);
	arena_free(a);
	return rc;
}

/* ---------------------------------------------------------------- memos and ORD-4 */

static int memo_insert(struct db *db, const struct auth_user *who, int64_t order_id,
		       enum order_memo_kind kind, const char *value, const char *text,
		       int64_t now, int64_t *memo_id, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "INSERT INTO order_memos (order_id, kind, value, text, user_id, author,"
				" at_utc) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, order_id);
	db_bind_text(st, 2, order_memo_name(kind));
	db_bind_text(st, 3, value ? value : "");
	db_bind_text(st, 4, text);
	db_bind_int(st, 5, who->id);
	db_bind_text(st, 6, who->username);
	db_bind_int(st, 7, now);
	rc = db_step(st, err);
	if (rc == DB_ROW && memo_id)
		*memo_id = db_col_int(st, 0);
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* Renders the seed's memo text and stores it; the display name is the user's. */
static int memo_write(struct db *db, const struct auth_user *who, int64_t order_id,
		      enum order_memo_kind kind, const char *before, const char *value,
		      int64_t now, int64_t *memo_id, struct err *err)
{
	struct sb sb = SB_INIT;
	order_memo_render(kind, before, value, now, who->username, &sb);
	char *text = sb_take(&sb, err);
	if (!text)
		return err->code;
	int rc = memo_insert(db, who, order_id, kind, value, text, now, memo_id, err);
	if (!rc)
		rc = order_event_add(db, who, order_id, "memo", NULL, NULL, text, now, err);
	xfree(text);
	return rc;
}

int order_memo_add(struct db *db, const struct auth_user *who, int64_t id,
		   enum order_memo_kind kind, const char *before, const char *value,
		   int64_t now_utc, int64_t *memo_id, struct err *err)
{
	struct arena *a = arena_new(4096);
	struct order o;
	int rc = a ? db_begin(db, err) : err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	if (rc)
		goto out;
	rc = order_get(db, a, id, 0, &o, err);
	if (!rc)
		rc = memo_write(db, who, id, kind, before, value, now_utc, memo_id, err);
	if (!rc)
		rc = audit_simple(db, who, "order", id, "memo", NULL, "{\"memo\":true}", now_utc, err);
	if (rc)
		db_rollback(db);
	else
		rc = db_commit(db, err);
out:
	arena_free(a);
	return rc;
}

static int task_add(struct db *db, const struct auth_user *who, const struct order *o,
		    enum order_task_kind kind, const char *memo, int64_t now, int64_t *task_id,
		    struct err *err)
{
	struct db_stmt *st;
	struct sb text = SB_INIT;
	sb_addf(&text, "订单 %s:%s", o->platform_order_no, order_task_text_zh(kind));
	if (memo && *memo)
		sb_addf(&text, "。%s", memo);
	char *t = sb_take(&text, err);
	if (!t)
		return err->code;
	int rc = db_prepare(db, "INSERT INTO tasks (store_id, kind, role, order_id, text, created_utc,"
				" created_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
			    &st, err);
	if (!rc) {
		db_bind_int(st, 1, o->store_id);
		db_bind_text(st, 2, order_task_name(kind));
		db_bind_text(st, 3, order_task_role(kind));
		db_bind_int(st, 4, o->id);
		db_bind_text(st, 5, t);
		db_bind_int(st, 6, now);
		db_bind_int(st, 7, who->id);
		rc = db_step(st, err);
		if (rc == DB_ROW)
			*task_id = db_col_int(st, 0);
		db_done(st);
		rc = rc < 0 ? rc : 0;
	}
	xfree(t);
	return rc;
}

/* The new values of an edit, applied to the row. */
static int edit_store(struct db *db, const struct order *o, const struct order_edit *e,
		      const struct order_change_rule *r, int64_t now, struct err *err)
{
	struct db_stmt *st;
	int on_hold = o->stage == ORDER_STAGE_ON_HOLD && r->stage_after != ORDER_STAGE_CANCELLED;
	int rc = db_prepare(db, "UPDATE orders SET receiver_name = COALESCE(?, receiver_name),"
				" receiver_phone = COALESCE(?, receiver_phone),"
				" receiver_address = COALESCE(?, receiver_address),"
				" stage = ?, hold_from = ?, version = version + 1, updated_utc = ?"
				" WHERE id = ? AND version = ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, e->receiver_name);
	db_bind_text(st, 2, e->receiver_phone);
	db_bind_text(st, 3, e->receiver_address);
	db_bind_text(st, 4, order_stage_name(on_hold ? ORDER_STAGE_ON_HOLD : r->stage_after));
	if (on_hold)
		db_bind_text(st, 5, order_stage_name(r->stage_after));
	else
		db_bind_null(st, 5);
	db_bind_int(st, 6, now);
	db_bind_int(st, 7, o->id);
	db_bind_int(st, 8, o->version);
	rc = db_run(st, err);
	int64_t n = db_changes(st);
	db_done(st);
	if (!rc && n != 1)
		rc = err_set(err, ERR_CONFLICT, "version", "订单已被他人修改,请刷新后重试",
			     "the order was changed by someone else; reload and retry");
	return rc;
}

static int item_store(struct db *db, const struct order *o, const struct order_edit *e,
		      struct arena *a, const char **before, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT sku_code, attrs, qty FROM order_items"
				" WHERE order_id = ? AND line_no = ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, o->id);
	db_bind_int(st, 2, e->item_line);
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		struct sb sb;
		sb_init_arena(&sb, a, 4096);
		sb_addf(&sb, "%s %s ×%lld", db_col_text(st, 1), db_col_text(st, 0),
			(long long)db_col_int(st, 2));
		*before = sb_take(&sb, err);
	}
	db_done(st);
	if (rc == DB_DONE)
		return err_set(err, ERR_UNPROCESSABLE, "item_line", "订单没有这一行商品",
			       "the order has no such item line");
	if (rc < 0)
		return rc;
	rc = db_prepare(db, "UPDATE order_items SET sku_code = COALESCE(?, sku_code),"
			    " attrs = COALESCE(?, attrs), qty = CASE WHEN ? > 0 THEN ? ELSE qty END"
			    " WHERE order_id = ? AND line_no = ?",
			&st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, e->sku_code);
	db_bind_text(st, 2, e->attrs);
	db_bind_int(st, 3, e->qty);
	db_bind_int(st, 4, e->qty);
	db_bind_int(st, 5, o->id);
	db_bind_int(st, 6, e->item_line);
	rc = db_run(st, err);
	db_done(st);
	return rc;
}

/* What the memo says the buyer asked for. */
static const char *edit_value(const struct order_edit *e, const struct order *o, struct arena *a)
{
	struct sb sb;
	struct err ignored = ERR_INIT;
	sb_init_arena(&sb, a, 4096);
	if (e->kind == ORDER_CHANGE_RECEIVER) {
		sb_adds(&sb, e->receiver_address ? e->receiver_address : o->receiver_address);
		if (e->receiver_name || e->receiver_phone)
			sb_addf(&sb, " %s %s", e->receiver_name ? e->receiver_name : o->receiver_name,
				e->receiver_phone ? e->receiver_phone : o->receiver_phone);
	} else if (e->kind == ORDER_CHANGE_ITEMS) {
		sb_addf(&sb, "%s %s", e->attrs ? e->attrs : "", e->sku_code ? e->sku_code : "");
		if (e->qty > 0)
			sb_addf(&sb, " ×%lld", (long long)e->qty);
	} else {
		sb_adds(&sb, e->reason ? e->reason : "");
	}
	const char *v = sb_take(&sb, &ignored);
	return v ? v : "";
}

static enum order_memo_kind edit_memo_kind(const struct order_edit *e,
					   const struct order_change_rule *r)
{
	if (e->kind == ORDER_CHANGE_CANCEL)
		return ORDER_MEMO_CANCEL;
	if (r->way == ORDER_EDIT_FIX_PAPERS)
		return ORDER_MEMO_PAPERS;
	if (r->way == ORDER_EDIT_REPRINT)
		return ORDER_MEMO_REPRINT;
	return e->kind == ORDER_CHANGE_RECEIVER ? ORDER_MEMO_ADDRESS : ORDER_MEMO_ATTRIBUTE;
}

static int edit_tasks(struct db *db, const struct auth_user *who, const struct order *o,
		      const struct order_change_rule *r, const char *memo, int64_t now,
		      struct order_edit_result *res, struct err *err)
{
	int rc = 0;
	if (r->task != ORDER_TASK_NONE)
		rc = task_add(db, who, o, r->task, memo, now, &res->task_ids[0], err);
	if (!rc && r->second_task != ORDER_TASK_NONE)
		rc = task_add(db, who, o, r->second_task, memo, now, &res->task_ids[1], err);
	return rc;
}

static int memo_last_text(struct db *db, int64_t memo_id, struct arena *a, const char **out,
			  struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT text FROM order_memos WHERE id = ?", &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, memo_id);
	rc = db_step(st, err);
	*out = rc == DB_ROW ? col_dup(st, 0, a) : "";
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* INV-1: a cancel gives the reserved stock back; a changed item line moves the
 * reservation to the new SKU (release, then reserve what the order now holds). */
static int edit_stock(struct db *db, const struct auth_user *who, const struct order *o,
		      const struct order_edit *e, const struct order_change_rule *r, int64_t now,
		      struct err *err)
{
	struct policy pol;
	int64_t pv;
	enum order_stage at = o->stage == ORDER_STAGE_ON_HOLD ? o->hold_from : o->stage;
	int used;
	int rc0 = inv_catalog_in_use(db, &used, err);
	if (rc0 || !used)
		return rc0;
	if (r->releases_stock)
		return inv_order_release(db, who, o->id, now, err);
	if (e->kind != ORDER_CHANGE_ITEMS || at == ORDER_STAGE_PENDING_AUDIT)
		return 0;
	int rc = inv_order_release(db, who, o->id, now, err);
	if (!rc)
		rc = policy_load(db, o->store_id, &pol, &pv, err);
	return rc ? rc : inv_order_reserve(db, who, o->id, pol.allow_presale_oversell, now, err);
}

static int edit_apply(struct db *db, const struct auth_user *who, struct arena *a,
		      const struct order *o, const struct order_edit *e, int64_t now,
		      struct order_edit_result *res, struct err *err)
{
	const char *before = NULL, *memo = "";
	struct order_change_rule *r = &res->rule;
	int rc = order_change_rule(o->stage, o->hold_from, e->kind, r, err);

	if (!rc && e->kind == ORDER_CHANGE_ITEMS)
		rc = item_store(db, o, e, a, &before, err);
	if (!rc)
		rc = edit_store(db, o, e, r, now, err);
	if (!rc)
		rc = edit_stock(db, who, o, e, r, now, err);
	enum order_memo_kind mk = edit_memo_kind(e, r);
	if (!rc)
		rc = memo_write(db, who, o->id, mk, before, edit_value(e, o, a), now, &res->memo_id,
				err);
	if (!rc)
		rc = memo_last_text(db, res->memo_id, a, &memo, err);
	if (!rc)
		rc = edit_tasks(db, who, o, r, memo, now, res, err);
	if (!rc && r->stage_after != o->stage && o->stage != ORDER_STAGE_ON_HOLD)
		rc = order_event_add(db, who, o->id, e->kind == ORDER_CHANGE_CANCEL ? "cancel" : "reprint",
			       order_stage_name(o->stage), order_stage_name(r->stage_after), "", now,
			       err);
	return rc;
}

static char *receiver_json_new(const struct order *o, const char *stage)
{
	json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:I}", "receiver_name", o->receiver_name,
			      "receiver_phone", o->receiver_phone, "receiver_address",
			      o->receiver_address, "stage", stage, "version", (json_int_t)o->version);
	char *text = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	char *copy = text ? xstrdup(text) : NULL;
	free(text); /* jansson's allocation */
	return copy;
}

int order_edit_apply(struct db *db, const struct auth_user *who, int64_t id,
		     const struct order_edit *e, int64_t now_utc, struct order_edit_result *res,
		     struct err *err)
{
	struct arena *a = arena_new(8192);
	struct order o, after;
	char *b = NULL, *aj = NULL;
	int rc = a ? db_begin(db, err) : err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");

	memset(res, 0, sizeof *res);
	if (rc)
		goto out;
	rc = order_get(db, a, id, 0, &o, err);
	if (!rc)
		rc = check_version(&o, e->expect_version, err);
	if (!rc)
		rc = edit_apply(db, who, a, &o, e, now_utc, res, err);
	if (!rc) /* ORD-10: merges and splits follow the edit */
		rc = order_merge_after_edit(db, who, &o, e->kind, now_utc, err);
	if (!rc)
		rc = order_get(db, a, id, 0, &after, err);
	if (!rc) {
		b = receiver_json_new(&o, order_stage_name(o.stage));
		aj = receiver_json_new(&after, order_stage_name(after.stage));
		rc = b && aj ? audit_simple(db, who, "order", id,
					    e->kind == ORDER_CHANGE_CANCEL ? "cancel" : "edit", b, aj,
					    now_utc, err)
			     : err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	}
	if (rc)
		db_rollback(db);
	else
		rc = db_commit(db, err);
out:
	xfree(b);
	xfree(aj);
	arena_free(a);
	return rc;
}

/* ---------------------------------------------------------------- report */

static int report_groups(struct db *db, const char *sql, int64_t store_id, int64_t from,
			 int64_t to, int (*fn)(const char *k, int64_t n, void *ctx), void *ctx,
			 struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, sql, &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, store_id);
	db_bind_int(st, 2, from);
	db_bind_int(st, 3, from);
	db_bind_int(st, 4, to);
	db_bind_int(st, 5, to);
	while ((rc = db_step(st, err)) == DB_ROW) {
		rc = fn(db_col_text(st, 0), db_col_int(st, 1), ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

#define REPORT_WHERE \
	" WHERE o.store_id = ? AND (CAST(? AS BIGINT) = 0 OR o.created_utc >= ?)" \
	" AND (CAST(? AS BIGINT) = 0 OR o.created_utc < ?)"

int order_report(struct db *db, int64_t store_id, int64_t from_utc, int64_t to_utc,
		 struct order_report *out,
		 int (*by_status)(const char *status, int64_t n, void *ctx),
		 int (*by_stage)(const char *stage, int64_t n, void *ctx), void *ctx,
		 struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT COUNT(*), COUNT(DISTINCT o.buyer_nick), COALESCE(SUM(o.paid_fen), 0),"
				" (SELECT COUNT(*) FROM order_items i JOIN orders o ON o.id = i.order_id" REPORT_WHERE "),"
				" (SELECT COALESCE(SUM(i.qty), 0) FROM order_items i JOIN orders o ON o.id = i.order_id" REPORT_WHERE ")"
				" FROM orders o" REPORT_WHERE,
			    &st, err);
	if (rc)
		return rc;
	for (int k = 0; k < 3; k++) {
		db_bind_int(st, 5 * k + 1, store_id);
		db_bind_int(st, 5 * k + 2, from_utc);
		db_bind_int(st, 5 * k + 3, from_utc);
		db_bind_int(st, 5 * k + 4, to_utc);
		db_bind_int(st, 5 * k + 5, to_utc);
	}
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		out->orders = db_col_int(st, 0);
		out->buyers = db_col_int(st, 1);
		out->paid_total_fen = db_col_int(st, 2);
		out->item_lines = db_col_int(st, 3);
		out->items_qty = db_col_int(st, 4);
	}
	db_done(st);
	if (rc < 0)
		return rc;
	rc = report_groups(db, "SELECT o.platform_status, COUNT(*) FROM orders o" REPORT_WHERE
			       " GROUP BY o.platform_status ORDER BY o.platform_status",
			   store_id, from_utc, to_utc, by_status, ctx, err);
	if (rc)
		return rc;
	return report_groups(db, "SELECT o.stage, COUNT(*) FROM orders o" REPORT_WHERE
				 " GROUP BY o.stage ORDER BY o.stage",
			     store_id, from_utc, to_utc, by_stage, ctx, err);
}

int order_demo_shift_times(struct db *db, int64_t store_id, int64_t delta_s, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "UPDATE orders SET created_utc = created_utc + ?,"
				" paid_utc = CASE WHEN paid_utc IS NULL THEN NULL ELSE paid_utc + ? END"
				" WHERE store_id = ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, delta_s);
	db_bind_int(st, 2, delta_s);
	db_bind_int(st, 3, store_id);
	rc = db_run(st, err);
	db_done(st);
	return rc;
}
