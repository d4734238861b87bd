/*
 * order_merge_db.c - ORD-10 storage: merge groups (orders.merge_group), split
 * parcels (order_parcels, order_parcel_items) and the stock that follows them.
 *
 * Merge moves no stock: each member keeps the reservation its own audit made,
 * and order_db.c's stage actions ship each member's own stock when the group
 * ships (one order_act per member in one transaction). Split moves no stock
 * either: the parcels partition what the order holds. A parcel's ship and
 * cancel move exactly its lines (inv_order_ship_part / inv_order_release_part),
 * so after parcel 1 ships the order still holds exactly parcel 2's goods.
 */
#include "orders/order_merge_db.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "db/db.h"
#include "inventory/inventory_db.h"
#include "lib/arena.h"
#include "lib/sb.h"
#include "lib/xalloc.h"
#include "orders/order_db.h"
#include "lib/common.h"

static int nomem(struct err *err)
{
	return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
}

/* The user whose stores limit what is read: who = NULL is the system (the
 * command line without --user, the tracking import), which sees every store.
 * who itself goes on to the timeline, audit and ledger rows, where NULL is
 * recorded as no user id, named "system". */
static int64_t viewer(const struct auth_user *who)
{
	return who ? who->id : 0;
}

static int stale(struct err *err)
{
	return err_set(err, ERR_CONFLICT, "version", "订单已被他人修改,请刷新后重试",
		       "the order was changed by someone else; reload and retry");
}

static int check_version(const struct order *o, int64_t expect, struct err *err)
{
	if (expect && expect != o->version)
		return err_setf(err, ERR_CONFLICT, "version",
				"订单 %s 已被他人修改(当前版本 %lld),请刷新后重试",
				"order %s was changed by someone else (now version %lld); reload and retry",
				o->platform_order_no, (long long)o->version);
	return 0;
}

/* The audit row: before/after are jansson objects, consumed here. */
static int audit_json(struct db *db, const struct auth_user *who, int64_t id, const char *action,
		      json_t *before, json_t *after, int64_t now, struct err *err)
{
	char sid[32], *b = NULL, *af = NULL;
	int rc;
	snprintf(sid, sizeof sid, "%lld", (long long)id);
	if (before)
		b = json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS);
	if (after)
		af = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
	if ((before && !b) || (after && !af)) {
		rc = nomem(err);
	} else {
		struct audit_entry e = { who, "order", sid, action, b, af, now };
		rc = audit_write(db, &e, err);
	}
	free(b); /* jansson's allocations */
	free(af);
	json_decref(before);
	json_decref(after);
	return rc;
}

/* The order's row after a merge change: merge_group (0 = NULL), version + 1. */
static int set_group(struct db *db, const struct order *o, int64_t group, int bump, int64_t now,
		     struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, bump ? "UPDATE orders SET merge_group = ?, version = version + 1,"
				       " updated_utc = ? WHERE id = ? AND version = ?"
				     : "UPDATE orders SET merge_group = ?, updated_utc = ?"
				       " WHERE id = ? AND version = ?",
			    &st, err);
	if (rc)
		return rc;
	if (group)
		db_bind_int(st, 1, group);
	else
		db_bind_null(st, 1);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, o->id);
	db_bind_int(st, 4, o->version);
	rc = db_run(st, err);
	int64_t n = db_changes(st);
	db_done(st);
	return !rc && n != 1 ? stale(err) : rc;
}

/* Runs body in a transaction with an arena. */
static int in_tx(struct db *db, int (*body)(struct db *, struct arena *, void *, struct err *),
		 void *ctx, struct err *err)
{
	struct arena *a = arena_new(8192);
	int rc = a ? db_begin(db, err) : nomem(err);
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

/* ---------------------------------------------------------------- candidates */

#define ELIGIBLE(x) \
	" " x ".stage IN ('pending_audit', 'audited') AND " x ".merge_group IS NULL" \
	" AND " x ".split_parcels = 0 AND " x ".exception = ''"

int order_merge_candidates(struct db *db, struct arena *a, int64_t store_id, int64_t user_id,
			   int (*fn)(const struct order *o, int64_t group_no, void *ctx),
			   void *ctx, struct err *err)
{
	struct db_stmt *st;
	int64_t *ids = arena_alloc(a, 1000 * sizeof *ids);
	size_t n = 0;
	if (!ids)
		return nomem(err);
	int rc = db_prepare(db, "SELECT o.id FROM orders o WHERE o.store_id = ? AND" ELIGIBLE("o")
				" AND EXISTS (SELECT 1 FROM orders p WHERE p.store_id = o.store_id"
				" AND p.id <> o.id AND p.buyer_nick = o.buyer_nick"
				" AND p.receiver_name = o.receiver_name AND p.receiver_phone = o.receiver_phone"
				" AND p.receiver_address = o.receiver_address AND" ELIGIBLE("p") ")"
				" ORDER BY o.buyer_nick, o.receiver_name, o.receiver_phone,"
				" o.receiver_address, o.id LIMIT 1000",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, store_id);
	while ((rc = db_step(st, err)) == DB_ROW)
		ids[n++] = db_col_int(st, 0);
	db_done(st);
	if (rc < 0)
		return rc;
	/* Eligibility in C too (the platform status is parsed, not compared); the
	 * eligible ones, in key order, then runs of 2+ with one key are the groups. */
	struct order *os = arena_calloc(a, (n ? n : 1) * sizeof *os);
	size_t m = 0;
	if (!os)
		return nomem(err);
	for (size_t i = 0; i < n; i++) {
		struct err no = ERR_INIT;
		rc = order_get(db, a, ids[i], user_id, &os[m], &no);
		if (rc == ERR_NOT_FOUND)
			continue;
		if (rc) {
			*err = no;
			return rc;
		}
		if (order_merge_eligible(&os[m], &no) == 0)
			m++;
	}
	int64_t group_no = 0;
	for (size_t i = 0, j; i < m; i = j) {
		for (j = i + 1; j < m && order_merge_same_key(&os[i], &os[j]); j++)
			;
		if (j - i < 2)
			continue;
		group_no++;
		for (size_t k = i; k < j; k++) {
			rc = fn(&os[k], group_no, ctx);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- merge */

int order_merge_members(struct db *db, struct arena *a, int64_t group, int64_t **ids, size_t *n,
			struct err *err)
{
	struct db_stmt *st;
	*n = 0;
	*ids = arena_alloc(a, (ORDER_MERGE_MAX + 1) * sizeof **ids);
	if (!*ids)
		return nomem(err);
	int rc = db_prepare(db, "SELECT id FROM orders WHERE merge_group = ? ORDER BY id", &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, group);
	while ((rc = db_step(st, err)) == DB_ROW && *n <= ORDER_MERGE_MAX)
		(*ids)[(*n)++] = db_col_int(st, 0);
	db_done(st);
	return rc < 0 ? rc : 0;
}

struct merge_args {
	const struct auth_user *who;
	const int64_t *ids, *versions;
	size_t n;
	int64_t now, group;
};

/* "与订单 A、B 合并发货(主单 A)" for the timeline. */
static const char *merge_detail(struct arena *a, const struct order *os, size_t n, int64_t group,
				const char *verb)
{
	struct sb sb;
	struct err ignored = ERR_INIT;
	sb_init_arena(&sb, a, 4096);
	sb_adds(&sb, verb);
	for (size_t i = 0; i < n; i++)
		sb_addf(&sb, "%s%s", i ? "、" : ":订单 ", os[i].platform_order_no);
	for (size_t i = 0; i < n; i++)
		if (os[i].id == group)
			sb_addf(&sb, "(主单 %s)", os[i].platform_order_no);
	const char *s = sb_take(&sb, &ignored);
	return s ? s : "";
}

static int merge_body(struct db *db, struct arena *a, void *p, struct err *err)
{
	struct merge_args *m = p;
	struct order *os = arena_calloc(a, m->n * sizeof *os);
	const struct order **ptr = arena_calloc(a, m->n * sizeof *ptr);
	int rc = os && ptr ? 0 : nomem(err);

	for (size_t i = 0; !rc && i < m->n; i++) {
		rc = order_get(db, a, m->ids[i], viewer(m->who), &os[i], err);
		if (!rc && m->versions)
			rc = check_version(&os[i], m->versions[i], err);
		ptr[i] = &os[i];
	}
	if (!rc)
		rc = order_merge_check(ptr, m->n, err);
	if (rc)
		return rc;
	m->group = os[0].id;
	for (size_t i = 1; i < m->n; i++)
		if (os[i].id < m->group)
			m->group = os[i].id;
	const char *detail = merge_detail(a, os, m->n, m->group, "合并发货");
	for (size_t i = 0; !rc && i < m->n; i++) {
		const struct order *o = &os[i];
		const char *stage = order_stage_name(o->stage);
		rc = set_group(db, o, m->group, 1, m->now, err);
		if (!rc)
			rc = order_event_add(db, m->who, o->id, "merge", stage, stage, detail, m->now, err);
		if (!rc)
			rc = audit_json(db, m->who, o->id, "merge",
					json_pack("{s:n,s:I}", "merge_group", "version", (json_int_t)o->version),
					json_pack("{s:I,s:I,s:s}", "merge_group", (json_int_t)m->group,
						  "version", (json_int_t)o->version + 1, "detail", detail),
					m->now, err);
	}
	return rc;
}

int order_merge(struct db *db, const struct auth_user *who, const int64_t *ids,
		const int64_t *versions, size_t n, int64_t now_utc, int64_t *group, struct err *err)
{
	struct merge_args m = { who, ids, versions, n, now_utc, 0 };
	int rc = in_tx(db, merge_body, &m, err);
	*group = rc ? 0 : m.group;
	return rc;
}

/* Loads every member of o's group (o included) into *os. */
static int group_load(struct db *db, struct arena *a, int64_t group, struct order **os,
		      size_t *n, struct err *err)
{
	int64_t *ids;
	int rc = order_merge_members(db, a, group, &ids, n, err);
	if (rc)
		return rc;
	*os = arena_calloc(a, (*n ? *n : 1) * sizeof **os);
	if (!*os)
		return nomem(err);
	for (size_t i = 0; !rc && i < *n; i++)
		rc = order_get(db, a, ids[i], 0, &(*os)[i], err);
	return rc;
}

/* Takes orders os[0..n) out of group; leave_bump 0 for an order whose version
 * its caller already raised in this transaction. */
static int ungroup(struct db *db, const struct auth_user *who, struct arena *a,
		   const struct order *os, size_t n, int64_t group, const char *why, int64_t now,
		   int64_t no_bump_id, struct err *err)
{
	int rc = 0;
	const char *detail = merge_detail(a, os, n, group, why);
	for (size_t i = 0; !rc && i < n; i++) {
		const struct order *o = &os[i];
		const char *stage = order_stage_name(o->stage);
		int bump = o->id != no_bump_id;
		rc = set_group(db, o, 0, bump, now, err);
		if (!rc)
			rc = order_event_add(db, who, o->id, "unmerge", stage, stage, detail, now, err);
		if (!rc)
			rc = audit_json(db, who, o->id, "unmerge",
					json_pack("{s:I,s:I}", "merge_group", (json_int_t)group, "version",
						  (json_int_t)o->version),
					json_pack("{s:n,s:I,s:s}", "merge_group", "version",
						  (json_int_t)o->version + bump, "detail", detail),
					now, err);
	}
	return rc;
}

struct unmerge_args {
	const struct auth_user *who;
	int64_t id, expect_version, now;
};

static int unmerge_body(struct db *db, struct arena *a, void *p, struct err *err)
{
	struct unmerge_args *u = p;
	struct order o, *os;
	size_t n;
	int rc = order_get(db, a, u->id, viewer(u->who), &o, err);
	if (!rc)
		rc = check_version(&o, u->expect_version, err);
	if (!rc && !o.merge_group)
		rc = err_set(err, ERR_UNPROCESSABLE, "id", "订单没有合并", "the order is not merged");
	if (!rc)
		rc = group_load(db, a, o.merge_group, &os, &n, err);
	if (rc)
		return rc;
	const struct order **ptr = arena_calloc(a, n * sizeof *ptr);
	if (!ptr)
		return nomem(err);
	for (size_t i = 0; i < n; i++)
		ptr[i] = &os[i];
	rc = order_unmerge_check(ptr, n, err);
	return rc ? rc : ungroup(db, u->who, a, os, n, o.merge_group, "取消合并", u->now, 0, err);
}

int order_unmerge(struct db *db, const struct auth_user *who, int64_t id, int64_t expect_version,
		  int64_t now_utc, struct err *err)
{
	struct unmerge_args u = { who, id, expect_version, now_utc };
	return in_tx(db, unmerge_body, &u, err);
}

/* ---------------------------------------------------------------- split */

struct line_list {
	struct order_split_line v[256];
	size_t n;
};

static int line_keep(const struct order_item *it, void *p)
{
	struct line_list *l = p;
	if (l->n == ARRAY_SIZE(l->v))
		return ERR_TOO_LARGE;
	l->v[l->n].line_no = it->line_no;
	l->v[l->n++].qty = it->qty;
	return 0;
}

struct split_args {
	const struct auth_user *who;
	int64_t id, expect_version, now;
	const struct order_parcel_in *parcels;
	size_t n;
};

static int parcel_insert(struct db *db, int64_t order_id, size_t no,
			 const struct order_parcel_in *p, int64_t now, struct err *err)
{
	struct db_stmt *st;
	int64_t pid = 0;
	int rc = db_prepare(db, "INSERT INTO order_parcels (order_id, parcel_no, stage, created_utc,"
				" updated_utc) VALUES (?, ?, 'audited', ?, ?) RETURNING id",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, order_id);
	db_bind_int(st, 2, (int64_t)no);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, now);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		pid = db_col_int(st, 0);
	db_done(st);
	if (rc < 0)
		return rc;
	rc = 0;
	for (size_t i = 0; !rc && i < p->n; i++) {
		rc = db_prepare(db, "INSERT INTO order_parcel_items (parcel_id, line_no, qty)"
				    " VALUES (?, ?, ?)",
				&st, err);
		if (rc)
			return rc;
		db_bind_int(st, 1, pid);
		db_bind_int(st, 2, p->lines[i].line_no);
		db_bind_int(st, 3, p->lines[i].qty);
		rc = db_run(st, err);
		db_done(st);
	}
	return rc;
}

static int set_split(struct db *db, const struct order *o, int64_t parcels, int64_t now,
		     struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "UPDATE orders SET split_parcels = ?, version = version + 1,"
				" updated_utc = ? WHERE id = ? AND version = ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, parcels);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, o->id);
	db_bind_int(st, 4, o->version);
	rc = db_run(st, err);
	int64_t n = db_changes(st);
	db_done(st);
	return !rc && n != 1 ? stale(err) : rc;
}

static json_t *parcels_json(const struct order_parcel_in *parcels, size_t n)
{
	json_t *arr = json_array();
	for (size_t p = 0; p < n; p++) {
		json_t *lines = json_array();
		for (size_t l = 0; l < parcels[p].n; l++)
			json_array_append_new(lines, json_pack("{s:I,s:I}", "line_no",
							       (json_int_t)parcels[p].lines[l].line_no,
							       "qty", (json_int_t)parcels[p].lines[l].qty));
		json_array_append_new(arr, lines);
	}
	return arr;
}

static const char *split_detail(struct arena *a, const struct order_parcel_in *parcels, size_t n)
{
	struct sb sb;
	struct err ignored = ERR_INIT;
	sb_init_arena(&sb, a, 4096);
	sb_addf(&sb, "拆成 %zu 个包裹", n);
	for (size_t p = 0; p < n; p++) {
		sb_addf(&sb, "%s包裹 %zu:", p ? ";" : ":", p + 1);
		for (size_t l = 0; l < parcels[p].n; l++)
			sb_addf(&sb, "%s第 %lld 行×%lld", l ? "、" : "",
				(long long)parcels[p].lines[l].line_no, (long long)parcels[p].lines[l].qty);
	}
	const char *s = sb_take(&sb, &ignored);
	return s ? s : "";
}

static int split_body(struct db *db, struct arena *a, void *p, struct err *err)
{
	struct split_args *s = p;
	struct order o;
	struct line_list *items = arena_calloc(a, sizeof *items);
	int rc = items ? order_get(db, a, s->id, viewer(s->who), &o, err) : nomem(err);

	if (!rc)
		rc = check_version(&o, s->expect_version, err);
	if (!rc)
		rc = order_split_eligible(&o, err);
	if (!rc) {
		rc = order_items_each(db, a, o.id, line_keep, items, err);
		if (rc == ERR_TOO_LARGE)
			rc = err_set(err, ERR_UNPROCESSABLE, "id", "订单商品行过多,不能拆单",
				     "the order has too many item lines to split");
	}
	if (!rc)
		rc = order_split_check(items->v, items->n, s->parcels, s->n, err);
	for (size_t i = 0; !rc && i < s->n; i++)
		rc = parcel_insert(db, o.id, i + 1, &s->parcels[i], s->now, err);
	if (!rc)
		rc = set_split(db, &o, (int64_t)s->n, s->now, err);
	const char *detail = rc ? "" : split_detail(a, s->parcels, s->n);
	const char *stage = order_stage_name(o.stage);
	if (!rc)
		rc = order_event_add(db, s->who, o.id, "split", stage, stage, detail, s->now, err);
	if (!rc)
		rc = audit_json(db, s->who, o.id, "split",
				json_pack("{s:i,s:I}", "split_parcels", 0, "version", (json_int_t)o.version),
				json_pack("{s:I,s:I,s:o}", "split_parcels", (json_int_t)s->n, "version",
					  (json_int_t)o.version + 1, "parcels",
					  parcels_json(s->parcels, s->n)),
				s->now, err);
	return rc;
}

int order_split(struct db *db, const struct auth_user *who, int64_t id, int64_t expect_version,
		const struct order_parcel_in *parcels, size_t n, int64_t now_utc, struct err *err)
{
	struct split_args s = { who, id, expect_version, now_utc, parcels, n };
	return in_tx(db, split_body, &s, err);
}

/* ---------------------------------------------------------------- parcels */

static int parcel_lines(struct db *db, struct arena *a, struct order_parcel *p, struct err *err)
{
	struct db_stmt *st;
	size_t cap = 8;
	p->n_lines = 0;
	p->lines = arena_alloc(a, cap * sizeof *p->lines);
	if (!p->lines)
		return nomem(err);
	int rc = db_prepare(db, "SELECT line_no, qty FROM order_parcel_items WHERE parcel_id = ?"
				" ORDER BY line_no",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, p->id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		if (p->n_lines == cap) {
			struct order_parcel_line *v = arena_alloc(a, 2 * cap * sizeof *v);
			if (!v) {
				rc = nomem(err);
				break;
			}
			memcpy(v, p->lines, cap * sizeof *v);
			p->lines = v;
			cap *= 2;
		}
		p->lines[p->n_lines].line_no = db_col_int(st, 0);
		p->lines[p->n_lines++].qty = db_col_int(st, 1);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static enum order_stage stage_of(const char *s)
{
	enum order_stage st = ORDER_STAGE_AUDITED;
	if (!s || order_stage_parse(s, &st))
		return ORDER_STAGE_AUDITED;
	return st;
}

/* All the order's parcels into *ps (from a), by parcel_no. */
static int parcels_load(struct db *db, struct arena *a, int64_t order_id, struct order_parcel **ps,
			size_t *n, struct err *err)
{
	struct db_stmt *st;
	*n = 0;
	*ps = arena_calloc(a, ORDER_SPLIT_MAX * sizeof **ps);
	if (!*ps)
		return nomem(err);
	int rc = db_prepare(db, "SELECT id, parcel_no, stage, courier, tracking_no, weight_g,"
				" shipped_utc, version FROM order_parcels WHERE order_id = ?"
				" ORDER BY parcel_no",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, order_id);
	while ((rc = db_step(st, err)) == DB_ROW && *n < ORDER_SPLIT_MAX) {
		struct order_parcel *p = &(*ps)[(*n)++];
		p->id = db_col_int(st, 0);
		p->parcel_no = db_col_int(st, 1);
		p->stage = stage_of(db_col_text(st, 2));
		p->courier = arena_strdup(a, db_col_text(st, 3) ? db_col_text(st, 3) : "");
		p->tracking_no = arena_strdup(a, db_col_text(st, 4) ? db_col_text(st, 4) : "");
		p->weight_g = db_col_is_null(st, 5) ? -1 : db_col_int(st, 5);
		p->shipped_utc = db_col_is_null(st, 6) ? 0 : db_col_int(st, 6);
		p->version = db_col_int(st, 7);
		if (!p->courier || !p->tracking_no) {
			rc = nomem(err);
			break;
		}
	}
	db_done(st);
	for (size_t i = 0; rc >= 0 && i < *n; i++)
		rc = parcel_lines(db, a, &(*ps)[i], err);
	return rc < 0 ? rc : 0;
}

int order_parcels_each(struct db *db, struct arena *a, int64_t order_id,
		       int (*fn)(const struct order_parcel *p, void *ctx), void *ctx, struct err *err)
{
	struct order_parcel *ps;
	size_t n;
	int rc = parcels_load(db, a, order_id, &ps, &n, err);
	for (size_t i = 0; !rc && i < n; i++)
		rc = fn(&ps[i], ctx);
	return rc;
}

int order_parcel_get(struct db *db, struct arena *a, int64_t order_id, int64_t k,
		     struct order_parcel *out, struct err *err)
{
	struct order_parcel *ps;
	size_t n;
	int rc = parcels_load(db, a, order_id, &ps, &n, err);
	for (size_t i = 0; !rc && i < n; i++) {
		if (ps[i].parcel_no == k) {
			*out = ps[i];
			return 0;
		}
	}
	return rc ? rc : err_set(err, ERR_NOT_FOUND, "parcel", "订单没有这个包裹", "no such parcel");
}

struct unsplit_args {
	const struct auth_user *who;
	int64_t id, expect_version, now;
};

static int unsplit_body(struct db *db, struct arena *a, void *p, struct err *err)
{
	struct unsplit_args *u = p;
	struct order o;
	struct order_parcel *ps;
	size_t n;
	struct db_stmt *st;
	int rc = order_get(db, a, u->id, viewer(u->who), &o, err);
	if (!rc)
		rc = check_version(&o, u->expect_version, err);
	if (!rc && !o.split_parcels)
		rc = err_set(err, ERR_UNPROCESSABLE, "id", "订单没有拆单", "the order is not split");
	if (!rc)
		rc = parcels_load(db, a, o.id, &ps, &n, err);
	for (size_t i = 0; !rc && i < n; i++)
		if (ps[i].stage != ORDER_STAGE_AUDITED)
			rc = err_setf(err, ERR_UNPROCESSABLE, "stage",
				      "包裹 %lld 处于 %s 阶段,打单后不能取消拆单",
				      "parcel %lld is at stage %s; a split can be undone only before printing",
				      (long long)ps[i].parcel_no, order_stage_name(ps[i].stage));
	if (!rc)
		rc = db_prepare(db, "DELETE FROM order_parcel_items WHERE parcel_id IN"
				    " (SELECT id FROM order_parcels WHERE order_id = ?)",
				&st, err);
	if (!rc) {
		db_bind_int(st, 1, o.id);
		rc = db_run(st, err);
		db_done(st);
	}
	if (!rc)
		rc = db_prepare(db, "DELETE FROM order_parcels WHERE order_id = ?", &st, err);
	if (!rc) {
		db_bind_int(st, 1, o.id);
		rc = db_run(st, err);
		db_done(st);
	}
	if (!rc)
		rc = set_split(db, &o, 0, u->now, err);
	const char *stage = order_stage_name(o.stage);
	if (!rc)
		rc = order_event_add(db, u->who, o.id, "unsplit", stage, stage, "取消拆单", u->now, err);
	if (!rc)
		rc = audit_json(db, u->who, o.id, "unsplit",
				json_pack("{s:I,s:I}", "split_parcels", (json_int_t)o.split_parcels,
					  "version", (json_int_t)o.version),
				json_pack("{s:i,s:I}", "split_parcels", 0, "version",
					  (json_int_t)o.version + 1),
				u->now, err);
	return rc;
}

int order_unsplit(struct db *db, const struct auth_user *who, int64_t id, int64_t expect_version,
		  int64_t now_utc, struct err *err)
{
	struct unsplit_args u = { who, id, expect_version, now_utc };
	return in_tx(db, unsplit_body, &u, err);
}

struct pact_args {
	const struct auth_user *who;
	int64_t order_id, parcel_no, now;
	enum order_action act;
	int cancel;
	const struct order_parcel_args *args;
};

static int pact_validate(const struct pact_args *r, struct err *err)
{
	if (r->cancel)
		return 0;
	if (r->act == ORDER_ACT_PACK && (r->args->weight_g <= 0 || r->args->weight_g > 100000))
		return err_set(err, ERR_UNPROCESSABLE, "weight_g", "打包需要称重,重量应为 1–100000 克",
			       "packing needs the weight, 1-100000 grams");
	if (r->act == ORDER_ACT_SHIP && (!r->args->courier || !*r->args->courier))
		return err_set(err, ERR_UNPROCESSABLE, "courier", "发货需要快递公司",
			       "shipping needs the courier company");
	if (r->act == ORDER_ACT_SHIP && (!r->args->tracking_no || !*r->args->tracking_no))
		return err_set(err, ERR_UNPROCESSABLE, "tracking_no", "发货需要快递单号",
			       "shipping needs the tracking number");
	return 0;
}

/* The order may move its parcels: split, and not held or cancelled. */
static int pact_order_ok(const struct order *o, struct err *err)
{
	if (!o->split_parcels)
		return err_set(err, ERR_UNPROCESSABLE, "id", "订单没有拆单", "the order is not split");
	if (o->stage == ORDER_STAGE_ON_HOLD || o->stage == ORDER_STAGE_CANCELLED) {
		char zh[160], en[160];
		snprintf(zh, sizeof zh, "订单处于「%s」阶段,包裹不能操作", order_stage_label_zh(o->stage));
		snprintf(en, sizeof en, "the order is at stage %s; its parcels cannot move",
			 order_stage_name(o->stage));
		return err_set(err, ERR_UNPROCESSABLE, "stage", zh, en);
	}
	return 0;
}

static int stock_move(struct db *db, const struct pact_args *r, const struct order_parcel *p,
		      size_t total, struct err *err)
{
	int used;
	char note[64];
	int rc = inv_catalog_in_use(db, &used, err);
	if (rc || !used || (!r->cancel && r->act != ORDER_ACT_SHIP))
		return rc;
	struct inv_order_part parts[256];
	size_t n = p->n_lines < ARRAY_SIZE(parts) ? p->n_lines : ARRAY_SIZE(parts);
	for (size_t i = 0; i < n; i++) {
		parts[i].line_no = p->lines[i].line_no;
		parts[i].qty = p->lines[i].qty;
	}
	snprintf(note, sizeof note, "包裹 %lld/%zu", (long long)p->parcel_no, total);
	if (r->cancel)
		return inv_order_release_part(db, r->who, r->order_id, parts, n, note, r->now, err);
	return inv_order_ship_part(db, r->who, r->order_id, parts, n, note, r->now, err);
}

static int parcel_store(struct db *db, const struct pact_args *r, const struct order_parcel *p,
			enum order_stage to, struct err *err)
{
	struct db_stmt *st;
	int ship = !r->cancel && r->act == ORDER_ACT_SHIP;
	int pack = !r->cancel && r->act == ORDER_ACT_PACK;
	int rc = db_prepare(db, "UPDATE order_parcels SET stage = ?,"
				" weight_g = CASE WHEN ? = 1 THEN ? ELSE weight_g END,"
				" courier = COALESCE(?, courier), tracking_no = COALESCE(?, tracking_no),"
				" shipped_utc = CASE WHEN ? = 1 THEN ? ELSE shipped_utc END,"
				" version = version + 1, updated_utc = ? WHERE id = ? AND version = ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, order_stage_name(to));
	db_bind_int(st, 2, pack);
	db_bind_int(st, 3, r->args->weight_g);
	db_bind_text(st, 4, ship ? r->args->courier : NULL);
	db_bind_text(st, 5, ship ? r->args->tracking_no : NULL);
	db_bind_int(st, 6, ship);
	db_bind_int(st, 7, r->now);
	db_bind_int(st, 8, r->now);
	db_bind_int(st, 9, p->id);
	db_bind_int(st, 10, p->version);
	rc = db_run(st, err);
	int64_t n = db_changes(st);
	db_done(st);
	return !rc && n != 1 ? stale(err) : rc;
}

/* The order follows its parcels: derived stage, version + 1; once shipped, the
 * first parcel's courier and tracking number stand for the order (the
 * platform's bulk-ship file takes one per order; GET .../parcels lists all). */
static int order_follow(struct db *db, const struct order *o, enum order_stage to,
			const struct order_parcel *first_shipped, int64_t now, struct err *err)
{
	struct db_stmt *st;
	int shipped = to == ORDER_STAGE_SHIPPED && first_shipped;
	int rc = db_prepare(db, "UPDATE orders SET stage = ?, courier = COALESCE(?, courier),"
				" tracking_no = COALESCE(?, tracking_no), version = version + 1,"
				" updated_utc = ? WHERE id = ? AND version = ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, order_stage_name(to));
	db_bind_text(st, 2, shipped ? first_shipped->courier : NULL);
	db_bind_text(st, 3, shipped ? first_shipped->tracking_no : NULL);
	db_bind_int(st, 4, now);
	db_bind_int(st, 5, o->id);
	db_bind_int(st, 6, o->version);
	rc = db_run(st, err);
	int64_t n = db_changes(st);
	db_done(st);
	return !rc && n != 1 ? stale(err) : rc;
}

static int pact_body(struct db *db, struct arena *a, void *ctx, struct err *err)
{
	struct pact_args *r = ctx;
	struct order o;
	struct order_parcel *ps, *p = NULL;
	size_t n;
	enum order_stage to, stages[ORDER_SPLIT_MAX];
	int rc = pact_validate(r, err);

	if (!rc)
		rc = order_get(db, a, r->order_id, viewer(r->who), &o, err);
	if (!rc)
		rc = pact_order_ok(&o, err);
	if (!rc)
		rc = parcels_load(db, a, o.id, &ps, &n, err);
	for (size_t i = 0; !rc && i < n; i++)
		if (ps[i].parcel_no == r->parcel_no)
			p = &ps[i];
	if (!rc && !p)
		rc = err_set(err, ERR_NOT_FOUND, "parcel", "订单没有这个包裹", "no such parcel");
	if (!rc && r->args->expect_version && r->args->expect_version != p->version)
		rc = err_setf(err, ERR_CONFLICT, "version",
			      "包裹已被他人修改(当前版本 %lld),请刷新后重试",
			      "the parcel was changed by someone else (now version %lld); reload and retry",
			      (long long)p->version);
	if (!rc)
		rc = order_parcel_next(p->stage, r->act, r->cancel, &to, err);
	if (rc)
		return rc;
	int live_other = 0, shipped_other = 0;
	const struct order_parcel *first_shipped = NULL;
	for (size_t i = 0; i < n; i++) {
		stages[i] = &ps[i] == p ? to : ps[i].stage;
		if (&ps[i] != p && ps[i].stage != ORDER_STAGE_CANCELLED &&
		    ps[i].stage != ORDER_STAGE_SHIPPED)
			live_other = 1;
		if (&ps[i] != p && ps[i].stage == ORDER_STAGE_SHIPPED)
			shipped_other = 1;
	}
	if (r->cancel && !live_other && !shipped_other)
		return err_set(err, ERR_UNPROCESSABLE, "parcel",
			       "这是订单最后一个未发货的包裹,且没有包裹已发货:请取消整个订单",
			       "this is the order's last parcel and none shipped: cancel the order instead");
	rc = stock_move(db, r, p, n, err);
	if (!rc)
		rc = parcel_store(db, r, p, to, err);
	if (rc)
		return rc;
	/* reload so the order sees the shipped parcel's tracking number */
	rc = parcels_load(db, a, o.id, &ps, &n, err);
	for (size_t i = 0; !rc && i < n && !first_shipped; i++)
		if (ps[i].stage == ORDER_STAGE_SHIPPED)
			first_shipped = &ps[i];
	enum order_stage ostage = order_split_stage(stages, n);
	/* parcels all cancelled or shipped with at least one shipped: the order shipped */
	if (ostage == ORDER_STAGE_CANCELLED && first_shipped)
		ostage = ORDER_STAGE_SHIPPED;
	if (!rc)
		rc = order_follow(db, &o, ostage, first_shipped, r->now, err);

	char detail[200];
	const char *verb = r->cancel ? "cancel" : order_action_name(r->act);
	char action[32];
	snprintf(action, sizeof action, "parcel_%s", verb);
	if (!r->cancel && r->act == ORDER_ACT_SHIP)
		snprintf(detail, sizeof detail, "包裹 %lld/%zu %.40s %.40s", (long long)p->parcel_no, n,
			 r->args->courier, r->args->tracking_no);
	else if (!r->cancel && r->act == ORDER_ACT_PACK)
		snprintf(detail, sizeof detail, "包裹 %lld/%zu %lld g", (long long)p->parcel_no, n,
			 (long long)r->args->weight_g);
	else
		snprintf(detail, sizeof detail, "包裹 %lld/%zu%s%.100s", (long long)p->parcel_no, n,
			 r->args->reason && *r->args->reason ? " " : "",
			 r->args->reason ? r->args->reason : "");
	if (!rc)
		rc = order_event_add(db, r->who, o.id, action, order_stage_name(p->stage),
			       order_stage_name(to), detail, r->now, err);
	/* The order's own stage change is on its timeline as the action itself, so
	 * "ship" events (which the bulk-ship export reads) mean the order left. */
	if (!rc && ostage != o.stage)
		rc = order_event_add(db, r->who, o.id,
			       ostage == ORDER_STAGE_SHIPPED ? "ship" : order_action_name(r->act),
			       order_stage_name(o.stage), order_stage_name(ostage),
			       ostage == ORDER_STAGE_SHIPPED && first_shipped ? first_shipped->tracking_no
									      : detail,
			       r->now, err);
	if (!rc)
		rc = audit_json(db, r->who, o.id, action,
				json_pack("{s:I,s:s,s:s,s:I}", "parcel", (json_int_t)p->parcel_no,
					  "parcel_stage", order_stage_name(p->stage), "stage",
					  order_stage_name(o.stage), "version", (json_int_t)o.version),
				json_pack("{s:I,s:s,s:s,s:I,s:s}", "parcel", (json_int_t)p->parcel_no,
					  "parcel_stage", order_stage_name(to), "stage",
					  order_stage_name(ostage), "version", (json_int_t)o.version + 1,
					  "detail", detail),
				r->now, err);
	return rc;
}

int order_parcel_act(struct db *db, const struct auth_user *who, int64_t order_id,
		     int64_t parcel_no, enum order_action act, int cancel,
		     const struct order_parcel_args *args, int64_t now_utc, struct err *err)
{
	struct pact_args r = { who, order_id, parcel_no, now_utc, act, cancel, args };
	return in_tx(db, pact_body, &r, err);
}

/* ---------------------------------------------------------------- hooks */

int order_merge_after_edit(struct db *db, const struct auth_user *who, const struct order *o,
			   enum order_change kind, int64_t now_utc, struct err *err)
{
	struct arena *a;
	int rc = 0;

	if (kind == ORDER_CHANGE_RECEIVER && o->merge_group)
		return err_set(err, ERR_UNPROCESSABLE, "merge_group",
			       "订单已与其他订单合并发货,修改收货信息前请先取消合并",
			       "the order shares a parcel with other orders; unmerge it before changing the receiver");
	if (kind == ORDER_CHANGE_ITEMS && o->split_parcels)
		return err_set(err, ERR_UNPROCESSABLE, "parcels",
			       "订单已拆单,修改商品前请先取消拆单",
			       "the order is split into parcels; undo the split before changing items");
	if (kind != ORDER_CHANGE_CANCEL || (!o->merge_group && !o->split_parcels))
		return 0;
	a = arena_new(8192);
	if (!a)
		return nomem(err);
	if (o->merge_group) {
		struct order *os, self;
		size_t n;
		rc = group_load(db, a, o->merge_group, &os, &n, err);
		if (!rc)
			rc = order_get(db, a, o->id, 0, &self, err);
		if (!rc)
			rc = ungroup(db, who, a, &self, 1, o->merge_group, "取消订单,退出合并", now_utc,
				     o->id, err);
		if (!rc && n == 2) { /* the one left ships alone */
			struct order *rest = os[0].id == o->id ? &os[1] : &os[0];
			rc = ungroup(db, who, a, rest, 1, o->merge_group, "合并的另一订单已取消", now_utc,
				     0, err);
		}
	}
	if (!rc && o->split_parcels) {
		struct db_stmt *st;
		rc = db_prepare(db, "SELECT COUNT(*) FROM order_parcels WHERE order_id = ?"
				    " AND stage = 'shipped'",
				&st, err);
		if (!rc) {
			db_bind_int(st, 1, o->id);
			rc = db_step(st, err);
			int64_t shipped = rc == DB_ROW ? db_col_int(st, 0) : 0;
			db_done(st);
			rc = rc < 0 ? rc : 0;
			if (!rc && shipped)
				rc = err_set(err, ERR_UNPROCESSABLE, "parcels",
					     "订单已有包裹发货,请取消其余包裹(已发货的交售后处理)",
					     "a parcel of the order has shipped; cancel the remaining parcels instead");
		}
		if (!rc)
			rc = db_prepare(db, "UPDATE order_parcels SET stage = 'cancelled',"
					    " version = version + 1, updated_utc = ?"
					    " WHERE order_id = ? AND stage <> 'cancelled'",
					&st, err);
		if (!rc) {
			db_bind_int(st, 1, now_utc);
			db_bind_int(st, 2, o->id);
			rc = db_run(st, err);
			db_done(st);
		}
	}
	arena_free(a);
	return rc;
}
