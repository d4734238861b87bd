/*
 * handover_db.c - ORD-12 handover sheets: create, read, list, acknowledge,
 * tick items. Who may do what is orders/handover.c.
 */
#include "orders/handover_db.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth_db.h"
#include "db/db.h"
#include "lib/arena.h"
#include "lib/xalloc.h"
#include "orders/order_db.h"
#include "lib/common.h"

static int nomem(struct err *err)
{
	return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
}

static int audit_json(struct db *db, const struct auth_user *who, int64_t id, const char *action,
		      json_t *before, json_t *after, int64_t now, struct err *err)
{
	char sid[32];
	char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	char *a = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	int rc;
	json_decref(before);
	json_decref(after);
	snprintf(sid, sizeof sid, "%lld", (long long)id);
	if ((before && !b) || (after && !a)) {
		rc = nomem(err);
	} else {
		struct audit_entry e = { who, "handover", sid, action, b, a, now };
		rc = audit_write(db, &e, err);
	}
	free(b); /* jansson's allocations */
	free(a);
	return rc;
}

/* ---------------------------------------------------------------- create */

struct receiver {
	int64_t user_id; /* 0 = a role */
	enum role role;
};

static int receiver_resolve(struct db *db, const struct auth_user *who,
			    const struct handover_new *h, struct receiver *r, struct err *err)
{
	struct user_row u;
	memset(r, 0, sizeof *r);
	r->role = who->role;
	if (h->to_role && role_parse(h->to_role, &r->role))
		return err_set(err, ERR_UNPROCESSABLE, "to_role", "未知角色", "unknown role");
	if (h->to_username) {
		struct err ignored = ERR_INIT;
		if (user_get_by_name(db, h->to_username, &u, &ignored) || u.disabled)
			return err_set(err, ERR_UNPROCESSABLE, "to_user", "接班人不存在或已停用",
				       "the receiving user does not exist or is disabled");
		if (u.id == who->id)
			return err_set(err, ERR_UNPROCESSABLE, "to_user", "不能交接给自己",
				       "a handover cannot go to yourself");
		r->user_id = u.id;
		r->role = h->to_role ? r->role : u.role;
	}
	if (r->role == ROLE_DISTRIBUTOR)
		return err_set(err, ERR_UNPROCESSABLE, h->to_username ? "to_user" : "to_role",
			       "交接只在员工之间进行", "handovers are between staff");
	return 0;
}

static int task_exists(struct db *db, int64_t task_id, int *found, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT 1 FROM tasks WHERE id = ?", &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, task_id);
	rc = db_step(st, err);
	*found = rc == DB_ROW;
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* Each item's order must be one the sender may see, its task one that exists. */
static int items_check(struct db *db, const struct auth_user *who, const struct handover_new *h,
		       struct err *err)
{
	struct arena *a = arena_new(4096);
	int rc = a ? 0 : nomem(err);
	for (size_t i = 0; !rc && i < h->n_items; i++) {
		const struct handover_item_new *it = &h->items[i];
		struct order o;
		struct err ignored = ERR_INIT;
		int found = 1;
		if (it->order_id && order_get(db, a, it->order_id, who->id, &o, &ignored))
			rc = err_setf(err, ERR_UNPROCESSABLE, "items", "第 %zu 项:订单 %lld 不存在",
				      "item %zu: no order %lld", i + 1, (long long)it->order_id);
		if (!rc && it->task_id)
			rc = task_exists(db, it->task_id, &found, err);
		if (!rc && !found)
			rc = err_setf(err, ERR_UNPROCESSABLE, "items", "第 %zu 项:任务 %lld 不存在",
				      "item %zu: no task %lld", i + 1, (long long)it->task_id);
	}
	arena_free(a);
	return rc;
}

static void bind_opt_id(struct db_stmt *st, int idx, int64_t v)
{
	if (v)
		db_bind_int(st, idx, v);
	else
		db_bind_null(st, idx);
}

static int sheet_insert(struct db *db, const struct auth_user *who, const struct handover_new *h,
			const struct receiver *r, int64_t now, int64_t *id, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "INSERT INTO handovers (store_id, from_user_id, to_user_id, to_role,"
				" shift, note, created_utc) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
			    &st, err);
	if (rc)
		return rc;
	bind_opt_id(st, 1, h->store_id);
	db_bind_int(st, 2, who->id);
	bind_opt_id(st, 3, r->user_id);
	db_bind_text(st, 4, role_name(r->role));
	db_bind_text(st, 5, h->shift);
	db_bind_text(st, 6, h->note ? h->note : "");
	db_bind_int(st, 7, now);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int item_insert(struct db *db, int64_t id, size_t pos, const struct handover_item_new *it,
		       struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "INSERT INTO handover_items (handover_id, pos, text, order_id, task_id)"
				" VALUES (?, ?, ?, ?, ?)",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, (int64_t)pos);
	db_bind_text(st, 3, it->text);
	bind_opt_id(st, 4, it->order_id);
	bind_opt_id(st, 5, it->task_id);
	rc = db_run(st, err);
	db_done(st);
	return rc;
}

static json_t *sheet_json(const struct handover_new *h, const struct receiver *r)
{
	json_t *items = json_array();
	for (size_t i = 0; i < h->n_items; i++)
		json_array_append_new(items, json_pack("{s:s,s:I}", "text", h->items[i].text,
						       "order_id", (json_int_t)h->items[i].order_id));
	return json_pack("{s:s,s:s,s:I,s:o}", "shift", h->shift, "to_role", role_name(r->role),
			 "to_user_id", (json_int_t)r->user_id, "items", items);
}

int handover_create(struct db *db, const struct auth_user *who, const struct handover_new *h,
		    int64_t now_utc, int64_t *id, struct err *err)
{
	struct receiver r;
	int rc = receiver_resolve(db, who, h, &r, err);
	if (!rc)
		rc = items_check(db, who, h, err);
	if (!rc)
		rc = db_begin(db, err);
	if (rc)
		return rc;
	rc = sheet_insert(db, who, h, &r, now_utc, id, err);
	for (size_t i = 0; !rc && i < h->n_items; i++)
		rc = item_insert(db, *id, i + 1, &h->items[i], err);
	if (!rc)
		rc = audit_json(db, who, *id, "create", NULL, sheet_json(h, &r), now_utc, err);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, err);
}

/* ---------------------------------------------------------------- reads */

#define SHEET_COLS \
	"h.id, h.store_id, COALESCE(s.code, ''), h.from_user_id, fu.username, h.to_user_id," \
	" COALESCE(tu.username, ''), h.to_role, h.shift, h.note, h.created_utc, h.acknowledged_by," \
	" COALESCE(au.username, ''), h.acknowledged_utc, h.version," \
	" (SELECT COUNT(*) FROM handover_items i WHERE i.handover_id = h.id)," \
	" (SELECT COUNT(*) FROM handover_items i WHERE i.handover_id = h.id AND i.done = 0)"

#define SHEET_FROM \
	" FROM handovers h JOIN users fu ON fu.id = h.from_user_id" \
	" LEFT JOIN users tu ON tu.id = h.to_user_id LEFT JOIN users au ON au.id = h.acknowledged_by" \
	" LEFT JOIN stores s ON s.id = h.store_id"

static const char *dup(struct db_stmt *st, int col, struct arena *a)
{
	const char *s = db_col_text(st, col);
	return arena_strdup(a, s ? s : "");
}

static int sheet_read(struct db_stmt *st, struct arena *a, struct handover *h)
{
	memset(h, 0, sizeof *h);
	h->id = db_col_int(st, 0);
	h->store_id = db_col_is_null(st, 1) ? 0 : db_col_int(st, 1);
	h->store = dup(st, 2, a);
	h->parties.from_user_id = db_col_int(st, 3);
	h->from_username = dup(st, 4, a);
	h->parties.to_user_id = db_col_is_null(st, 5) ? 0 : db_col_int(st, 5);
	h->to_username = dup(st, 6, a);
	const char *role = db_col_text(st, 7);
	if (!role || role_parse(role, &h->parties.to_role))
		h->parties.to_role = ROLE__COUNT; /* matches nobody */
	h->shift = dup(st, 8, a);
	h->note = dup(st, 9, a);
	h->created_utc = db_col_int(st, 10);
	h->ack_username = dup(st, 12, a);
	h->ack_utc = db_col_is_null(st, 13) ? 0 : db_col_int(st, 13);
	h->version = db_col_int(st, 14);
	h->items = db_col_int(st, 15);
	h->items_open = db_col_int(st, 16);
	return h->store && h->from_username && h->to_username && h->shift && h->note &&
			       h->ack_username
		       ? 0
		       : ERR_NOMEM;
}

int handover_get(struct db *db, struct arena *a, int64_t id, const struct auth_user *u,
		 struct handover *out, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT " SHEET_COLS SHEET_FROM " WHERE h.id = ?", &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, id);
	rc = db_step(st, err);
	if (rc == DB_ROW && sheet_read(st, a, out))
		rc = nomem(err);
	db_done(st);
	if (rc < 0)
		return rc;
	if (rc == DB_DONE || (u && !handover_may_see(&out->parties, u)))
		return err_set(err, ERR_NOT_FOUND, "id", "交接单不存在", "no such handover");
	return 0;
}

int handover_items_each(struct db *db, int64_t id,
			int (*fn)(const struct handover_item *it, void *ctx), void *ctx,
			struct err *err)
{
	struct db_stmt *st;
	struct handover_item it;
	int rc = db_prepare(db, "SELECT i.id, i.pos, i.order_id, i.task_id, i.done, i.done_utc, i.text,"
				" COALESCE(o.platform_order_no, ''), COALESCE(u.username, '')"
				" FROM handover_items i LEFT JOIN orders o ON o.id = i.order_id"
				" LEFT JOIN users u ON u.id = i.done_by WHERE i.handover_id = ? ORDER BY i.pos",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		it.id = db_col_int(st, 0);
		it.pos = db_col_int(st, 1);
		it.order_id = db_col_is_null(st, 2) ? 0 : db_col_int(st, 2);
		it.task_id = db_col_is_null(st, 3) ? 0 : db_col_int(st, 3);
		it.done = (int)db_col_int(st, 4);
		it.done_utc = db_col_is_null(st, 5) ? 0 : db_col_int(st, 5);
		it.text = db_col_text(st, 6);
		it.order_no = db_col_text(st, 7);
		it.done_by = db_col_text(st, 8);
		rc = fn(&it, ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* Sent by me, to me, to my role unnamed, or anything for a lead; X-5 on the
 * sheet's store. Mine to acknowledge sort first. */
#define LIST_WHERE \
	" WHERE (CAST(? AS BIGINT) = 0 OR h.acknowledged_utc IS NULL)" \
	" AND (CAST(? AS BIGINT) = 1 OR h.from_user_id = ? OR h.to_user_id = ?" \
	" OR (h.to_user_id IS NULL AND h.to_role = ?))" \
	" AND (h.store_id IS NULL OR NOT EXISTS (SELECT 1 FROM user_stores WHERE user_id = ?)" \
	" OR h.store_id IN (SELECT store_id FROM user_stores WHERE user_id = ?))" \
	" ORDER BY CASE WHEN h.acknowledged_utc IS NULL AND (h.to_user_id = ?" \
	" OR (h.to_user_id IS NULL AND h.to_role = ? AND h.from_user_id <> ?)) THEN 0 ELSE 1 END," \
	" h.id DESC LIMIT 200"

static void list_bind(struct db_stmt *st, const struct auth_user *u, int open_only)
{
	int i = 1;
	db_bind_int(st, i++, open_only);
	db_bind_int(st, i++, handover_is_lead(u));
	db_bind_int(st, i++, u->id);
	db_bind_int(st, i++, u->id);
	db_bind_text(st, i++, role_name(u->role));
	db_bind_int(st, i++, u->id);
	db_bind_int(st, i++, u->id);
	db_bind_int(st, i++, u->id);
	db_bind_text(st, i++, role_name(u->role));
	db_bind_int(st, i, u->id);
}

int handover_list(struct db *db, struct arena *a, const struct auth_user *u, int open_only,
		  int (*fn)(const struct handover *h, void *ctx), void *ctx, struct err *err)
{
	struct db_stmt *st;
	struct handover h;
	int rc = db_prepare(db, "SELECT " SHEET_COLS SHEET_FROM LIST_WHERE, &st, err);
	if (rc)
		return rc;
	list_bind(st, u, open_only);
	while ((rc = db_step(st, err)) == DB_ROW) {
		rc = sheet_read(st, a, &h) ? nomem(err) : fn(&h, ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* ---------------------------------------------------------------- changes */

static int ack_store(struct db *db, const struct auth_user *who, const struct handover *h,
		     int64_t now, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "UPDATE handovers SET acknowledged_by = ?, acknowledged_utc = ?,"
				" version = version + 1 WHERE id = ? AND version = ?"
				" AND acknowledged_utc IS NULL",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, who->id);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, h->id);
	db_bind_int(st, 4, h->version);
	rc = db_run(st, err);
	int64_t n = db_changes(st);
	db_done(st);
	if (!rc && n != 1)
		rc = err_set(err, ERR_CONFLICT, "version", "交接单已被他人修改或确认,请刷新",
			     "the handover was changed or acknowledged meanwhile; reload");
	return rc;
}

static int ack_check(const struct handover *h, const struct auth_user *who,
		     int64_t expect_version, struct err *err)
{
	int rc = handover_may_ack(&h->parties, who, err);
	if (rc)
		return rc;
	if (h->ack_utc)
		return err_setf(err, ERR_CONFLICT, "id", "交接单已由 %s 确认", "already acknowledged by %s",
				h->ack_username);
	if (expect_version && expect_version != h->version)
		return err_setf(err, ERR_CONFLICT, "version", "交接单已被他人修改(当前版本 %lld),请刷新",
				"the handover was changed (now version %lld); reload",
				(long long)h->version);
	return 0;
}

static int change_begin(struct db *db, struct arena **a, struct err *err)
{
	*a = arena_new(4096);
	if (!*a)
		return nomem(err);
	int rc = db_begin(db, err);
	if (rc) {
		arena_free(*a);
		*a = NULL;
	}
	return rc;
}

static int change_end(struct db *db, struct arena *a, int rc, struct err *err)
{
	if (rc)
		db_rollback(db);
	else
		rc = db_commit(db, err);
	arena_free(a);
	return rc;
}

int handover_ack(struct db *db, const struct auth_user *who, int64_t id, int64_t expect_version,
		 int64_t now_utc, struct err *err)
{
	struct arena *a;
	struct handover h;
	int rc = change_begin(db, &a, err);
	if (rc)
		return rc;
	/* read without the visibility filter: one who may not act gets 403, not 404 */
	rc = handover_get(db, a, id, NULL, &h, err);
	if (!rc)
		rc = ack_check(&h, who, expect_version, err);
	if (!rc)
		rc = ack_store(db, who, &h, now_utc, err);
	if (!rc)
		rc = audit_json(db, who, id, "ack",
				json_pack("{s:b,s:I}", "acknowledged", 0, "version", (json_int_t)h.version),
				json_pack("{s:b,s:I,s:s}", "acknowledged", 1, "version",
					  (json_int_t)h.version + 1, "by", who->username),
				now_utc, err);
	return change_end(db, a, rc, err);
}

static int tick_store(struct db *db, const struct auth_user *who, int64_t id, int64_t item_id,
		      int64_t now, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "UPDATE handover_items SET done = 1, done_by = ?, done_utc = ?"
				" WHERE id = ? AND handover_id = ? AND done = 0",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, who->id);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, item_id);
	db_bind_int(st, 4, id);
	rc = db_run(st, err);
	int64_t n = db_changes(st);
	db_done(st);
	if (!rc && n != 1)
		rc = err_set(err, ERR_CONFLICT, "item", "交接事项不存在或已完成",
			     "no such open item on this handover (already done?)");
	if (!rc)
		rc = db_prepare(db, "UPDATE handovers SET version = version + 1 WHERE id = ?", &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, id);
	rc = db_run(st, err);
	db_done(st);
	return rc;
}

int handover_item_done(struct db *db, const struct auth_user *who, int64_t id, int64_t item_id,
		       int64_t now_utc, struct err *err)
{
	struct arena *a;
	struct handover h;
	int rc = change_begin(db, &a, err);
	if (rc)
		return rc;
	rc = handover_get(db, a, id, NULL, &h, err);
	if (!rc)
		rc = handover_may_tick(&h.parties, who, err);
	if (!rc)
		rc = tick_store(db, who, id, item_id, now_utc, err);
	if (!rc)
		rc = audit_json(db, who, id, "item_done",
				json_pack("{s:I,s:b}", "item", (json_int_t)item_id, "done", 0),
				json_pack("{s:I,s:b}", "item", (json_int_t)item_id, "done", 1), now_utc,
				err);
	return change_end(db, a, rc, err);
}
