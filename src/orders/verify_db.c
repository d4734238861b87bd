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
 * order number is unique per store, so it is looked up store by store. */
#define FIND_SQL \
	"SELECT o.id, o.stage FROM orders o WHERE o.id IN (" \
	" SELECT id FROM orders WHERE tracking_no = ?" \
	" UNION SELECT id FROM orders WHERE platform_tracking_no = ? AND platform_tracking_no <> ''" \
	" UNION SELECT id FROM orders WHERE store_id IN (SELECT id FROM stores) AND platform_order_no = ?)" \
	" AND (CAST(? AS BIGINT) = 0 OR NOT EXISTS (SELECT 1 FROM user_stores WHERE user_id = ?)" \
	" OR o.store_id IN (SELECT store_id FROM user_stores WHERE user_id = ?))" \
	" ORDER BY CASE WHEN o.stage = 'picked' THEN 0 ELSE 1 END, o.id DESC LIMIT 2"

static enum order_stage stage_of(const char *s)
{
	enum order_stage st = ORDER_STAGE_PENDING_AUDIT;
	return s && !order_stage_parse(s, &st) ? st : ORDER_STAGE_PENDING_AUDIT;
}

int verify_find_order(struct db *db, int64_t user_id, const char *code, int64_t *order_id,
		      enum order_stage *stage, struct err *err)
{
	struct db_stmt *st;
	int found = 0, picked = 0;
	int rc = db_prepare(db, FIND_SQL, &st, err);
	if (rc)
		return rc;
	for (int i = 1; i <= 3; i++)
		db_bind_text(st, i, code);
	for (int i = 4; i <= 6; i++)
		db_bind_int(st, i, user_id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		enum order_stage s = stage_of(db_col_text(st, 1));
		if (!found) {
			*order_id = db_col_int(st, 0);
			*stage = s;
		}
		found++;
		picked += s == ORDER_STAGE_PICKED;
	}
	db_done(st);
	if (rc < 0)
		return rc;
	if (!found)
		return err_set(err, ERR_NOT_FOUND, "code", "找不到此快递单号或订单号对应的订单",
			       "no order has this tracking or order number");
	if (picked > 1)
		return err_set(err, ERR_CONFLICT, "code", "多个待验货订单使用此单号,请改扫订单号",
			       "several picked orders share this number; scan the order number instead");
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
	struct err *err;
};

static int build_add(const struct order_item *it, void *p)
{
	struct build_ctx *c = p;
	return verify_lines_add(c->lines, &c->n, VERIFY_MAX_LINES, it->sku_code, it->title, it->attrs,
				it->line_no, it->qty, c->err);
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

/* A new session over the order's goods as they are now. */
static int session_create(struct db *db, const struct auth_user *who, struct arena *a,
			  const struct order *o, int64_t now, int64_t *sid, struct err *err)
{
	struct build_ctx c = { arena_alloc(a, VERIFY_MAX_LINES * sizeof(struct verify_line)), 0, err };
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
				    " opened_by, opened_utc, updated_utc) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
				&st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, o->id);
	db_bind_int(st, 2, o->store_id);
	db_bind_int(st, 3, o->version);
	db_bind_int(st, 4, who->id);
	db_bind_int(st, 5, now);
	db_bind_int(st, 6, now);
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

/* The newest unfinished session of the order, if any. */
static int session_unfinished(struct db *db, int64_t order_id, int64_t *sid, int64_t *order_version,
			      struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT id, order_version FROM verify_sessions WHERE order_id = ?"
				" AND status IN ('open', 'blocked') ORDER BY id DESC LIMIT 1",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, order_id);
	*sid = 0;
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		*sid = db_col_int(st, 0);
		*order_version = db_col_int(st, 1);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int open_in_tx(struct db *db, const struct auth_user *who, struct arena *a, int64_t order_id,
		      const char *code, int64_t now, int64_t *sid, struct err *err)
{
	struct order o;
	int64_t old = 0, old_version = 0;
	int rc = order_get(db, a, order_id, 0, &o, err);
	if (!rc && o.stage != ORDER_STAGE_PICKED)
		rc = stage_refuse(&o, err);
	if (!rc)
		rc = session_unfinished(db, order_id, &old, &old_version, err);
	if (rc)
		return rc;
	*sid = old;
	/* the goods were taken from an older version of the order: start again */
	if (old && old_version != o.version) {
		rc = session_void(db, old, now, err);
		*sid = 0;
	}
	if (!rc && !*sid)
		rc = session_create(db, who, a, &o, now, sid, err);
	if (!rc)
		rc = scan_insert(db, who, *sid, code, "open", "", -1, now, err);
	return rc;
}

int verify_open(struct db *db, const struct auth_user *who, int64_t order_id, const char *code,
		int64_t now_utc, int64_t *session_id, struct err *err)
{
	struct arena *a = arena_new(16384);
	int rc = a ? db_begin(db, err) : nomem(err);
	if (!rc) {
		rc = open_in_tx(db, who, a, order_id, code, now_utc, session_id, err);
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
	" o.platform_order_no, s.code, o.stage" \
	" FROM verify_sessions vs JOIN orders o ON o.id = vs.order_id JOIN stores s ON s.id = vs.store_id" \
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

/* The order moved on since the session began (edited, held, cancelled):
 * its goods may differ, so the session ends and the waybill is scanned again. */
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
	return err_setf(err, ERR_CONFLICT, "session",
			"订单 %s 在验货期间被修改或已不在「已拣货」阶段,请重新扫描快递单",
			"order %s changed or left the picked stage during verification; scan its waybill again",
			o->platform_order_no, o->platform_order_no);
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
	if (unfinished && (o.version != v.order_version || o.stage != ORDER_STAGE_PICKED)) {
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
	    (act == VERIFY_ACT_SCAN || act == VERIFY_ACT_CONFIRM)) {
		struct order_act_args args = { .expect_version = v.order_version };
		rc = order_act(db, who, v.order_id, ORDER_ACT_VERIFY, &args, now, err);
	}
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
