/*
 * handover_db.h - ORD-12 handover sheets in the database.
 *
 * Every change (create, acknowledge, tick an item) is one transaction with its
 * audit row. A sheet is acknowledged once: a second acknowledgement, or one
 * with a stale version, is ERR_CONFLICT (409).
 */
#ifndef ORDERS_HANDOVER_DB_H
#define ORDERS_HANDOVER_DB_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "lib/err.h"
#include "orders/handover.h"

struct db;
struct arena;

struct handover_item_new {
	const char *text;
	int64_t order_id; /* 0 = none */
	int64_t task_id;  /* 0 = none */
};

struct handover_new {
	int64_t store_id;        /* 0 = not about one store */
	const char *to_username; /* NULL = anyone of to_role */
	const char *to_role;     /* NULL = the named user's role, else the sender's */
	const char *shift;
	const char *note;        /* may be NULL */
	const struct handover_item_new *items;
	size_t n_items;
};

/* Validates the receiver (an active staff user other than the sender, or a
 * staff role), each item's order (visible to the sender) and task, stores
 * the sheet and audits it. */
int handover_create(struct db *db, const struct auth_user *who, const struct handover_new *h,
		    int64_t now_utc, int64_t *id, struct err *err) WUR;

/* A sheet as read. Strings borrowed from the arena. */
struct handover {
	int64_t id, store_id, created_utc, ack_utc, version;
	struct handover_parties parties;
	const char *store, *from_username, *to_username, *shift, *note, *ack_username;
	int64_t items, items_open;
};

struct handover_item {
	int64_t id, pos, order_id, task_id, done_utc;
	int done;
	const char *text, *order_no, *done_by;
};

/* ERR_NOT_FOUND unless the sheet exists and u may see it (handover_may_see). */
int handover_get(struct db *db, struct arena *a, int64_t id, const struct auth_user *u,
		 struct handover *out, struct err *err) WUR;
int handover_items_each(struct db *db, int64_t id,
			int (*fn)(const struct handover_item *it, void *ctx), void *ctx,
			struct err *err) WUR;

/* Sheets u may see (sent, received, or all for a lead/boss; X-5 store limits
 * apply to sheets about a store), open ones only when open_only; the open
 * sheets u is to acknowledge come first, then newest first. At most 200. */
int handover_list(struct db *db, struct arena *a, const struct auth_user *u, int open_only,
		  int (*fn)(const struct handover *h, void *ctx), void *ctx, struct err *err) WUR;

/* expect_version 0 = don't check. */
int handover_ack(struct db *db, const struct auth_user *who, int64_t id, int64_t expect_version,
		 int64_t now_utc, struct err *err) WUR;
int handover_item_done(struct db *db, const struct auth_user *who, int64_t id, int64_t item_id,
		       int64_t now_utc, struct err *err) WUR;

#endif
