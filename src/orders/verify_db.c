/*
 * verify_db.c - scan-to-verify sessions, lines and the scan log (ORD-8).
 * See verify_db.h for the transaction rules.
 */
#include "orders/verify_db.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "lib/arena.h"
#include "orders/order_db.h"
#include "orders/order_merge_db.h"
#include "lib/common.h"

static int nomem(struct err *err)
{
	return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
}

static const char *col_dup(struct db_stmt *st, int col, struct arena *a)
{
	const char *s = db_col_text(st, col);
	return arena_strdup(a, s ? s : "");
}

/* ---------------------------------------------------------------- finding the order */

/* Three indexed lookups, one per number a waybill can carry; the platform
 * order number is unique per store, so it is looked up store by store. A
 * split order's own row sorts after the ones that can be verified: its parcels
 * are verified, not it. */
#define FIND_SQL \
	"SELECT o.id, o.stage, o.split_parcels FROM orders o WHERE o.id IN (" \
	" SELECT id FROM orders WHERE tracking_no = ?" \
	" UNION SELECT id FROM orders WHERE platform_tracking_no = ? AND platform_tracking_no <> ''" \
	" UNION SELECT id FROM orders WHERE store_id IN (SELECT id FROM stores) AND platform_order_no = ?)" \
	" AND (CAST(? AS BIGINT) = 0 OR NOT EXISTS (SELECT 1 FROM user_stores WHERE user_id = ?)" \
	" OR o.store_id IN (SELECT store_id FROM user_stores WHERE user_id = ?))" \
	" ORDER BY CASE WHEN o.stage = 'picked' AND o.split_parcels = 0 THEN 0 ELSE 1 END, o.id DESC" \
	" LIMIT 2"

/* ORD-10: a parcel by its own tracking number or by "<order no>-K". */
#define FIND_PARCEL_SQL \
	"SELECT p.order_id, p.parcel_no, p.stage FROM order_parcels p JOIN orders o ON o.id = p.order_id" \
	" WHERE p.id IN (" \
	" SELECT id FROM order_parcels WHERE tracking_no = ? AND tracking_no <> ''" \
	" UNION SELECT pp.id FROM order_parcels pp JOIN orders oo ON oo.id = pp.order_id" \
	" WHERE oo.store_id IN (SELECT id FROM stores) AND oo.platform_order_no = ? AND pp.parcel_no = ?)" \
	" AND (CAST(? AS BIGINT) = 0 OR NOT EXISTS (SELECT 1 FROM user_stores WHERE user_id = ?)" \
	" OR o.store_id IN (SELECT store_id FROM user_stores WHERE user_id = ?))" \
	" ORDER BY CASE WHEN p.stage = 'picked' THEN 0 ELSE 1 END, p.id DESC LIMIT 2"

static enum order_stage stage_of(const char *s)
{
	enum order_stage st = ORDER_STAGE_PENDING_AUDIT;
	return s && !order_stage_parse(s, &st) ? st : ORDER_STAGE_PENDING_AUDIT;
}

/* What the lookups found: the first candidate and how many can be verified. */
struct found {
	struct verify_target first;
	int n, ready;
};

static void found_add(struct found *f, int64_t order_id, int64_t parcel_no, enum order_stage st,
		      int ready)
{
	if (!f->n++)
		f->first = (struct verify_target){ order_id, parcel_no, st };
	/* a ready candidate wins over an earlier one that is not */
	else if (ready && !f->ready)
		f->first = (struct verify_target){ order_id, parcel_no, st };
	f->ready += ready;
}

static int find_orders(struct db *db, int64_t user_id, const char *code, struct found *f,
		       struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, FIND_SQL, &st, err);
	if (rc)
		return rc;
	for (int i = 1; i <= 3; i++)
		db_bind_text(st, i, code);
	for (int i = 4; i <= 6; i++)
		db_bind_int(st, i, user_id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		enum order_stage s = stage_of(db_col_text(st, 1));
		found_add(f, db_col_int(st, 0), 0, s,
			  s == ORDER_STAGE_PICKED && db_col_int(st, 2) == 0);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int find_parcels(struct db *db, int64_t user_id, const char *code, struct found *f,
			struct err *err)
{
	struct db_stmt *st;
	char order_no[ORDER_PARCEL_CODE_MAX + 1] = "";
	int64_t k = 0; /* no parcel has number 0: a code of another shape matches none */
	if (order_parcel_code_parse(code, order_no, sizeof order_no, &k))
		k = 0;
	int rc = db_prepare(db, FIND_PARCEL_SQL, &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, code);
	db_bind_text(st, 2, order_no);
	db_bind_int(st, 3, k);
	for (int i = 4; i <= 6; i++)
		db_bind_int(st, i, user_id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		enum order_stage s = stage_of(db_col_text(st, 2));
		found_add(f, db_col_int(st, 0), db_col_int(st, 1), s, s == ORDER_STAGE_PICKED);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

int verify_find_waybill(struct db *db, int64_t user_id, const char *code,
			struct verify_target *out, struct err *err)
{
	struct found f = { { 0, 0, ORDER_STAGE_PENDING_AUDIT }, 0, 0 };
	int rc = find_orders(db, user_id, code, &f, err);
	if (!rc)
		rc = find_parcels(db, user_id, code, &f, err);
	if (rc)
		return rc;
	if (!f.n)
		return err_set(err, ERR_NOT_FOUND, "code", "找不到此快递单号或订单号对应的订单",
			       "no order has this tracking or order number");
	if (f.ready > 1)
		return err_set(err, ERR_CONFLICT, "code", "多个待验货订单使用此单号,请改扫订单号",
			       "several picked orders share this number; scan the order number instead");
	*out = f.first;
	return 0;
}

/* ---------------------------------------------------------------- rows */

static int scan_insert(struct db *db, const struct auth_user *who, int64_t sid, const char *code,
		       const char *action, const char *outcome, int line_idx, int64_t now,
		       struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "INSERT INTO verify_scans (session_id, at_utc, user_id, username, code,"
				" action, outcome, line_idx) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, sid);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, who->id);
	db_bind_text(st, 4, who->username);
	db_bind_text(st, 5, code ? code : "");
	db_bind_text(st, 6, action);
	db_bind_text(st, 7, outcome);
	if (line_idx >= 0)
		db_bind_int(st, 8, line_idx);
	else
		db_bind_null(st, 8);
	rc = db_run(st, err);
	db_done(st);
	return rc;
}

static int session_void(struct db *db, int64_t sid, int64_t now, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "UPDATE verify_sessions SET status = 'void', updated_utc = ?,"
				" version = version + 1 WHERE id = ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, sid);
	rc = db_run(st, err);
	db_done(st);
	return rc;
}

/* ---------------------------------------------------------------- opening */

struct build_ctx {
	struct verify_line *lines;
	size_t n;
	const struct order_parcel *parcel; /* NULL: every item's whole quantity */
	struct err *err;
};

/* The quantity of line_no that parcel p carries (0 when none). */
static int64_t parcel_qty(const struct order_parcel *p, int64_t line_no)
{
	for (size_t i = 0; i < p->n_lines; i++)
		if (p->lines[i].line_no == line_no)
			return p->lines[i].qty;
	return 0;
}

static int build_add(const struct order_item *it, void *p)
{
	struct build_ctx *c = p;
	int64_t qty = c->parcel ? parcel_qty(c->parcel, it->line_no) : it->qty;
	return verify_lines_add(c->lines, &c->n, VERIFY_MAX_LINES, it->sku_code, it->title, it->attrs,
				it->line_no, qty, c->err);
}

static int lines_insert(struct db *db, int64_t sid, const struct verify_line *l, size_t n,
			struct err *err)
{
	struct db_stmt *st;
	int rc = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		rc = db_prepare(db, "INSERT INTO verify_lines (session_id, idx, code, sku_code, title,"
				    " attrs, line_no, expected) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
				&st, err);
		if (rc)
			break;
		db_bind_int(st, 1, sid);
		db_bind_int(st, 2, (int64_t)i);
		db_bind_text(st, 3, l[i].key);
		db_bind_text(st, 4, l[i].sku_code);
		db_bind_text(st, 5, l[i].title);
		db_bind_text(st, 6, l[i].attrs);
		db_bind_int(st, 7, l[i].line_no);
		db_bind_int(st, 8, l[i].expected);
		rc = db_run(st, err);
		db_done(st);
	}
	return rc;
}

/* A new session over the goods as they are now: the order's, or (p set) only
 * what parcel p carries. */
static int session_create(struct db *db, const struct auth_user *who, struct arena *a,
			  const struct order *o, const struct order_parcel *p, int64_t now,
			  int64_t *sid, struct err *err)
{
	struct build_ctx c = { arena_alloc(a, VERIFY_MAX_LINES * sizeof(struct verify_line)), 0, p,
			       err };
	struct db_stmt *st;
	int64_t self = o->id, *member = &self;
	size_t members = 1;
	int rc = c.lines ? 0 : nomem(err);
	/* ORD-10: a merged group is one parcel, verified as one: every member's goods */
	if (!rc && o->merge_group)
		rc = order_merge_members(db, a, o->merge_group, &member, &members, err);
	for (size_t k = 0; !rc && k < members; k++)
		rc = order_items_each(db, a, member[k], build_add, &c, err);
	if (!rc && c.n == 0)
		rc = err_set(err, ERR_UNPROCESSABLE, "code", "订单没有商品,无法验货",
			     "the order has no goods to verify");
	if (!rc)
		rc = db_prepare(db, "INSERT INTO verify_sessions (order_id, store_id, order_version,"
				    " opened_by, opened_utc, updated_utc, parcel_no, parcel_version)"
				    " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
				&st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, o->id);
	db_bind_int(st, 2, o->store_id);
	db_bind_int(st, 3, o->version);
	db_bind_int(st, 4, who->id);
	db_bind_int(st, 5, now);
	db_bind_int(st, 6, now);
	if (p) {
		db_bind_int(st, 7, p->parcel_no);
		db_bind_int(st, 8, p->version);
	} else {
		db_bind_null(st, 7);
		db_bind_null(st, 8);
	}
	rc = db_step(st, err);
	if (rc == DB_ROW)
		*sid = db_col_int(st, 0);
	db_done(st);
	if (rc < 0)
		return rc;
	return lines_insert(db, *sid, c.lines, c.n, err);
}

static int stage_refuse(const struct order *o, struct err *err)
{
	char zh[200], en[200];
	snprintf(zh, sizeof zh, "订单 %s 处于「%s」阶段,只有「%s」的订单才能验货", o->platform_order_no,
		 order_stage_label_zh(o->stage), order_stage_label_zh(ORDER_STAGE_PICKED));
	snprintf(en, sizeof en, "order %s is at stage %s; only picked orders can be verified",
		 o->platform_order_no, order_stage_name(o->stage));
	return err_set(err, ERR_UNPROCESSABLE, "code", zh, en);
}

/* Whether the order itself may be verified now. */
static int order_ready(const struct order *o, struct err *err)
{
	if (o->split_parcels)
		return err_setf(err, ERR_UNPROCESSABLE, "code",
				"订单 %.40s 已拆成 %lld 个包裹,请扫描包裹面单上的条码(%.40s-1 等)逐个验货",
				"order %.40s is split into %lld parcels; scan each parcel's waybill (%.40s-1 etc.)",
				o->platform_order_no, (long long)o->split_parcels, o->platform_order_no);
	return o->stage == ORDER_STAGE_PICKED ? 0 : stage_refuse(o, err);
}

/* Whether parcel p of order o may be verified now: picked, its order neither
 * held nor cancelled. */
static int parcel_ready(const struct order *o, const struct order_parcel *p, struct err *err)
{
	char zh[200], en[200];
	if (o->stage == ORDER_STAGE_ON_HOLD || o->stage == ORDER_STAGE_CANCELLED) {
		snprintf(zh, sizeof zh, "订单 %.40s 处于「%s」阶段,包裹不能验货", o->platform_order_no,
			 order_stage_label_zh(o->stage));
		snprintf(en, sizeof en, "order %.40s is at stage %s; its parcels cannot be verified",
			 o->platform_order_no, order_stage_name(o->stage));
		return err_set(err, ERR_UNPROCESSABLE, "code", zh, en);
	}
	if (p->stage == ORDER_STAGE_PICKED)
		return 0;
	snprintf(zh, sizeof zh, "订单 %.40s 包裹 %lld/%lld 处于「%s」阶段,只有「%s」的包裹才能验货",
		 o->platform_order_no, (long long)p->parcel_no, (long long)o->split_parcels,
		 order_stage_label_zh(p->stage), order_stage_label_zh(ORDER_STAGE_PICKED));
	snprintf(en, sizeof en, "order %.40s parcel %lld/%lld is at stage %s; only picked parcels"
		 " can be verified", o->platform_order_no, (long long)p->parcel_no,
		 (long long)o->split_parcels, order_stage_name(p->stage));
	return err_set(err, ERR_UNPROCESSABLE, "code", zh, en);
}

/* The newest unfinished session of the order (parcel_no 0) or of its parcel,
 * with the version of the order or parcel it was taken from. */
static int session_unfinished(struct db *db, int64_t order_id, int64_t parcel_no, int64_t *sid,
			      int64_t *taken_version, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT id, order_version, parcel_version FROM verify_sessions"
				" WHERE order_id = ? AND COALESCE(parcel_no, 0) = ?"
				" AND status IN ('open', 'blocked') ORDER BY id DESC LIMIT 1",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, order_id);
	db_bind_int(st, 2, parcel_no);
	*sid = 0;
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		*sid = db_col_int(st, 0);
		*taken_version = db_col_int(st, parcel_no ? 2 : 1);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int open_in_tx(struct db *db, const struct auth_user *who, struct arena *a,
		      const struct verify_target *t, const char *code, int64_t now, int64_t *sid,
		      struct err *err)
{
	struct order o;
	struct order_parcel p;
	int64_t old = 0, old_version = 0;
	int rc = order_get(db, a, t->order_id, 0, &o, err);
	if (!rc && t->parcel_no)
		rc = order_parcel_get(db, a, o.id, t->parcel_no, &p, err);
	if (!rc)
		rc = t->parcel_no ? parcel_ready(&o, &p, err) : order_ready(&o, err);
	if (!rc)
		rc = session_unfinished(db, o.id, t->parcel_no, &old, &old_version, err);
	if (rc)
		return rc;
	*sid = old;
	/* the goods were taken from an older version of the order or parcel: start again */
	if (old && old_version != (t->parcel_no ? p.version : o.version)) {
		rc = session_void(db, old, now, err);
		*sid = 0;
	}
	if (!rc && !*sid)
		rc = session_create(db, who, a, &o, t->parcel_no ? &p : NULL, now, sid, err);
	if (!rc)
		rc = scan_insert(db, who, *sid, code, "open", "", -1, now, err);
	return rc;
}

int verify_open(struct db *db, const struct auth_user *who, const struct verify_target *t,
		const char *code, int64_t now_utc, int64_t *session_id, struct err *err)
{
	struct arena *a = arena_new(16384);
	int rc = a ? db_begin(db, err) : nomem(err);
	if (!rc) {
		rc = open_in_tx(db, who, a, t, code, now_utc, session_id, err);
		if (rc)
			db_rollback(db);
		else
			rc = db_commit(db, err);
	}
	arena_free(a);
	return rc;
}

/* ---------------------------------------------------------------- loading */

#define SESSION_SQL \
	"SELECT vs.id, vs.order_id, vs.store_id, vs.order_version, vs.status, vs.block_code," \
	" vs.block_reason, vs.opened_utc, vs.updated_utc, vs.completed_utc, vs.version," \
	" o.platform_order_no, s.code, o.stage, vs.parcel_no, vs.parcel_version, o.split_parcels," \
	" p.stage, p.version" \
	" FROM verify_sessions vs JOIN orders o ON o.id = vs.order_id JOIN stores s ON s.id = vs.store_id" \
	" LEFT JOIN order_parcels p ON p.order_id = vs.order_id AND p.parcel_no = vs.parcel_no" \
	" WHERE vs.id = ? AND (CAST(? AS BIGINT) = 0" \
	" OR NOT EXISTS (SELECT 1 FROM user_stores WHERE user_id = ?)" \
	" OR vs.store_id IN (SELECT store_id FROM user_stores WHERE user_id = ?))"

static void read_session(struct db_stmt *st, struct arena *a, struct verify_view *v)
{
	enum verify_status status = VERIFY_VOID;
	enum verify_outcome why = VERIFY_COUNTED;
	memset(v, 0, sizeof *v);
	v->id = db_col_int(st, 0);
	v->order_id = db_col_int(st, 1);
	v->store_id = db_col_int(st, 2);
	v->order_version = db_col_int(st, 3);
	if (verify_status_parse(db_col_text(st, 4), &status))
		status = VERIFY_VOID;
	verify_session_init(&v->s, NULL, 0);
	v->s.status = status;
	snprintf(v->s.block_code, sizeof v->s.block_code, "%s",
		 db_col_text(st, 5) ? db_col_text(st, 5) : "");
	if (!verify_outcome_parse(db_col_text(st, 6), &why))
		v->s.block_why = why;
	v->opened_utc = db_col_int(st, 7);
	v->updated_utc = db_col_int(st, 8);
	v->completed_utc = db_col_is_null(st, 9) ? 0 : db_col_int(st, 9);
	v->version = db_col_int(st, 10);
	v->order_no = col_dup(st, 11, a);
	v->store_code = col_dup(st, 12, a);
	v->order_stage = stage_of(db_col_text(st, 13));
	if (!db_col_is_null(st, 14)) { /* ORD-10: a parcel's session */
		v->parcel_no = v->s.parcel_no = db_col_int(st, 14);
		v->parcel_version = db_col_int(st, 15);
		v->parcel_count = db_col_int(st, 16);
		/* a parcel gone (the order unsplit) is as good as cancelled here */
		v->parcel_stage = db_col_is_null(st, 17) ? ORDER_STAGE_CANCELLED
							 : stage_of(db_col_text(st, 17));
		v->parcel_version_now = db_col_is_null(st, 18) ? 0 : db_col_int(st, 18);
	}
}

static void read_line(struct db_stmt *st, struct arena *a, struct verify_line *l)
{
	memset(l, 0, sizeof *l);
	snprintf(l->key, sizeof l->key, "%s", db_col_text(st, 1) ? db_col_text(st, 1) : "");
	l->sku_code = col_dup(st, 2, a);
	l->title = col_dup(st, 3, a);
	l->attrs = col_dup(st, 4, a);
	l->line_no = db_col_int(st, 5);
	l->expected = db_col_int(st, 6);
	l->scanned = db_col_int(st, 7);
}

static int load_lines(struct db *db, struct arena *a, struct verify_view *v, struct err *err)
{
	struct db_stmt *st;
	size_t cap = 0;
	int rc = db_prepare(db, "SELECT idx, code, sku_code, title, attrs, line_no, expected, scanned"
				" FROM verify_lines WHERE session_id = ? ORDER BY idx",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, v->id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		if (v->s.n == cap) { /* arena memory: grow by copying */
			size_t ncap = cap ? cap * 2 : 8;
			struct verify_line *nl = arena_alloc(a, ncap * sizeof *nl);
			if (!nl) {
				rc = nomem(err);
				break;
			}
			if (cap)
				memcpy(nl, v->s.lines, cap * sizeof *nl);
			v->s.lines = nl;
			cap = ncap;
		}
		read_line(st, a, &v->s.lines[v->s.n++]);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

int verify_load(struct db *db, struct arena *a, int64_t id, int64_t user_id,
		struct verify_view *out, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, SESSION_SQL, &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, id);
	for (int i = 2; i <= 4; i++)
		db_bind_int(st, i, user_id);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		read_session(st, a, out);
	db_done(st);
	if (rc == DB_DONE)
		return err_set(err, ERR_NOT_FOUND, "session", "验货记录不存在", "no such verification");
	if (rc < 0)
		return rc;
	if (!out->order_no || !out->store_code)
		return nomem(err);
	return load_lines(db, a, out, err);
}

/* ---------------------------------------------------------------- acting */

static int line_store(struct db *db, int64_t sid, size_t idx, int64_t scanned, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "UPDATE verify_lines SET scanned = ? WHERE session_id = ? AND idx = ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, scanned);
	db_bind_int(st, 2, sid);
	db_bind_int(st, 3, (int64_t)idx);
	rc = db_run(st, err);
	db_done(st);
	return rc;
}

static int session_store(struct db *db, const struct auth_user *who, const struct verify_view *v,
			 int64_t now, struct err *err)
{
	struct db_stmt *st;
	int done = v->s.status == VERIFY_COMPLETE;
	int blocked = v->s.status == VERIFY_BLOCKED;
	int rc = db_prepare(db, "UPDATE verify_sessions SET status = ?, block_code = ?, block_reason = ?,"
				" updated_utc = ?, completed_by = ?, completed_utc = ?, version = version + 1"
				" WHERE id = ? AND version = ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, verify_status_name(v->s.status));
	db_bind_text(st, 2, blocked ? v->s.block_code : "");
	db_bind_text(st, 3, blocked ? verify_outcome_name(v->s.block_why) : "");
	db_bind_int(st, 4, now);
	if (done) {
		db_bind_int(st, 5, who->id);
		db_bind_int(st, 6, now);
	} else {
		db_bind_null(st, 5);
		db_bind_null(st, 6);
	}
	db_bind_int(st, 7, v->id);
	db_bind_int(st, 8, v->version);
	rc = db_run(st, err);
	int64_t n = db_changes(st);
	db_done(st);
	if (!rc && n != 1)
		rc = err_set(err, ERR_CONFLICT, "session", "此验货刚被他人更新,请重试",
			     "someone else just updated this verification; try again");
	return rc;
}

/* Runs the state machine for act. */
static int run_act(struct verify_view *v, enum verify_act act, const char *code, int64_t idx,
		   struct verify_step *step, struct err *err)
{
	step->outcome = VERIFY_COUNTED;
	step->line = -1;
	switch (act) {
	case VERIFY_ACT_SCAN:
		verify_scan(&v->s, code, step);
		return 0;
	case VERIFY_ACT_CONFIRM:
		if (idx < 0 || (uint64_t)idx >= v->s.n)
			return err_set(err, ERR_UNPROCESSABLE, "idx", "没有这一行商品", "no such line");
		return verify_confirm(&v->s, (size_t)idx, step, err);
	case VERIFY_ACT_REMOVED:
		return verify_removed(&v->s, err);
	case VERIFY_ACT_RESET:
		return verify_reset(&v->s, err);
	}
	BUG("verify act");
}

static const char *const act_names[] = { "scan", "confirm", "removed", "reset" };

/* Writes back what changed: the lines' counts, the session, the scan row. */
static int persist(struct db *db, const struct auth_user *who, struct verify_view *v,
		   const int64_t *before, enum verify_act act, const char *code,
		   const struct verify_step *step, int64_t now, struct err *err)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < v->s.n; i++)
		if (v->s.lines[i].scanned != before[i])
			rc = line_store(db, v->id, i, v->s.lines[i].scanned, err);
	if (!rc)
		rc = session_store(db, who, v, now, err);
	int scanned = act == VERIFY_ACT_SCAN || act == VERIFY_ACT_CONFIRM;
	if (!rc)
		rc = scan_insert(db, who, v->id, code, act_names[act],
				 scanned ? verify_outcome_name(step->outcome) : "",
				 scanned ? step->line : -1, now, err);
	return rc;
}

/* The order or parcel moved on since the session began (edited, held,
 * cancelled): its goods may differ, so the session ends and the waybill is
 * scanned again. */
static int stale(struct db *db, const struct auth_user *who, struct verify_view *v,
		 const struct order *o, int64_t now, struct err *err)
{
	int rc = session_void(db, v->id, now, err);
	if (!rc)
		rc = scan_insert(db, who, v->id, "", "void", "", -1, now, err);
	if (!rc)
		rc = db_commit(db, err);
	else
		db_rollback(db);
	if (rc)
		return rc;
	if (v->parcel_no)
		return err_setf(err, ERR_CONFLICT, "session",
				"订单 %s 包裹 %lld 在验货期间被修改或已不在「已拣货」阶段,请重新扫描包裹面单",
				"order %s parcel %lld changed or left the picked stage during verification;"
				" scan its waybill again",
				o->platform_order_no, (long long)v->parcel_no);
	return err_setf(err, ERR_CONFLICT, "session",
			"订单 %s 在验货期间被修改或已不在「已拣货」阶段,请重新扫描快递单",
			"order %s changed or left the picked stage during verification; scan its waybill again",
			o->platform_order_no, o->platform_order_no);
}

/* 1 when the goods the session holds may no longer be what is packed: for an
 * order, it changed or left picked; for a parcel, the parcel changed or left
 * picked, or its order was held or cancelled. The order's version alone does
 * not count for a parcel: it goes up whenever another parcel moves. */
static int session_stale(const struct verify_view *v, const struct order *o)
{
	if (!v->parcel_no)
		return o->version != v->order_version || o->stage != ORDER_STAGE_PICKED;
	return o->stage == ORDER_STAGE_ON_HOLD || o->stage == ORDER_STAGE_CANCELLED ||
	       v->parcel_stage != ORDER_STAGE_PICKED || v->parcel_version_now != v->parcel_version;
}

/* The completing scan moves the order, or only the parcel (its order follows
 * its parcels there, order_merge_db.c), picked -> verified. */
static int verified(struct db *db, const struct auth_user *who, const struct verify_view *v,
		    int64_t now, struct err *err)
{
	if (v->parcel_no) {
		struct order_parcel_args pargs = { .expect_version = v->parcel_version };
		return order_parcel_act(db, who, v->order_id, v->parcel_no, ORDER_ACT_VERIFY, 0, &pargs,
					now, err);
	}
	struct order_act_args args = { .expect_version = v->order_version };
	return order_act(db, who, v->order_id, ORDER_ACT_VERIFY, &args, now, err);
}

static int apply_in_tx(struct db *db, const struct auth_user *who, struct arena *a, int64_t id,
		       enum verify_act act, const char *code, int64_t idx, int64_t now,
		       struct verify_step *step, int *committed, struct err *err)
{
	struct verify_view v;
	struct order o;
	int rc = verify_load(db, a, id, 0, &v, err);
	if (!rc)
		rc = order_get(db, a, v.order_id, 0, &o, err);
	if (rc)
		return rc;
	int unfinished = v.s.status == VERIFY_OPEN || v.s.status == VERIFY_BLOCKED;
	if (unfinished && session_stale(&v, &o)) {
		*committed = 1;
		return stale(db, who, &v, &o, now, err);
	}
	int64_t *before = arena_alloc(a, (v.s.n + 1) * sizeof *before);
	if (!before)
		return nomem(err);
	for (size_t i = 0; i < v.s.n; i++)
		before[i] = v.s.lines[i].scanned;
	rc = run_act(&v, act, code, idx, step, err);
	if (!rc)
		rc = persist(db, who, &v, before, act, code, step, now, err);
	if (!rc && step->outcome == VERIFY_COMPLETED &&
	    (act == VERIFY_ACT_SCAN || act == VERIFY_ACT_CONFIRM))
		rc = verified(db, who, &v, now, err);
	return rc;
}

int verify_apply(struct db *db, const struct auth_user *who, int64_t id, enum verify_act act,
		 const char *code, int64_t idx, int64_t now_utc, struct verify_step *step,
		 struct err *err)
{
	struct arena *a = arena_new(16384);
	int committed = 0;
	int rc = a ? db_begin(db, err) : nomem(err);
	if (!rc) {
		rc = apply_in_tx(db, who, a, id, act, code, idx, now_utc, step, &committed, err);
		/* stale() ends the transaction itself */
		if (rc && !committed)
			db_rollback(db);
		else if (!committed)
			rc = db_commit(db, err);
	}
	arena_free(a);
	return rc;
}

/* ---------------------------------------------------------------- the log */

int verify_scans_each(struct db *db, int64_t session_id, int64_t limit,
		      int (*fn)(const struct verify_scan_row *r, void *ctx), void *ctx,
		      struct err *err)
{
	struct db_stmt *st;
	struct verify_scan_row r;
	int rc = db_prepare(db, "SELECT at_utc, line_idx, username, code, action, outcome"
				" FROM verify_scans WHERE session_id = ? ORDER BY id DESC LIMIT ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, session_id);
	db_bind_int(st, 2, limit);
	while ((rc = db_step(st, err)) == DB_ROW) {
		r.at_utc = db_col_int(st, 0);
		r.line_idx = db_col_is_null(st, 1) ? -1 : db_col_int(st, 1);
		r.username = db_col_text(st, 2);
		r.code = db_col_text(st, 3);
		r.action = db_col_text(st, 4);
		r.outcome = db_col_text(st, 5);
		rc = fn(&r, ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}
