/*
 * order_merge_db.h - ORD-10 in the database: merged shipments and split
 * parcels (rules and model in order_merge.h).
 *
 * Every merge, unmerge, split, unsplit and parcel action is one transaction
 * holding its order changes, a timeline event per order and an audit row per
 * order. A stale version is ERR_CONFLICT (409); a stage the rules forbid is
 * ERR_UNPROCESSABLE (422) naming the stage. user_id limits the orders to the
 * stores that user may see (X-5; 0 = any). who = NULL acts as the system (the
 * command line, the tracking import): every store, and the timeline, audit and
 * stock ledger rows carry no user id (username "system").
 *
 * The hooks at the end are called by order_db.c inside its own transactions,
 * so the existing stage actions and ORD-4 edits respect merges and splits.
 */
#ifndef ORDERS_ORDER_MERGE_DB_H
#define ORDERS_ORDER_MERGE_DB_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "orders/order.h"
#include "orders/order_merge.h"

struct db;
struct arena;

/* Candidates: the store's orders that may merge (order_merge_eligible) and
 * have at least one partner with the same key, ordered by key then id; fn gets
 * each with group_no, equal for orders of one candidate group (1, 2, ...).
 * At most 1000 orders. */
int order_merge_candidates(struct db *db, struct arena *a, int64_t store_id, int64_t user_id,
			   int (*fn)(const struct order *o, int64_t group_no, void *ctx),
			   void *ctx, struct err *err) WUR;

/* Merges ids[0..n) into one parcel; versions (may be NULL, or 0 entries) are
 * the versions the caller saw. *group gets the merge group (the lowest id). */
int order_merge(struct db *db, const struct auth_user *who, const int64_t *ids,
		const int64_t *versions, size_t n, int64_t now_utc, int64_t *group,
		struct err *err) WUR;
/* Dissolves the group order id belongs to (ERR_UNPROCESSABLE when not merged
 * or when a member is printed). expect_version: of order id, 0 = don't check. */
int order_unmerge(struct db *db, const struct auth_user *who, int64_t id, int64_t expect_version,
		  int64_t now_utc, struct err *err) WUR;
/* The members of a merge group, by id. *ids from a. */
int order_merge_members(struct db *db, struct arena *a, int64_t group, int64_t **ids,
			size_t *n, struct err *err) WUR;

/* Splits an audited order into parcels (order_split_check). */
int order_split(struct db *db, const struct auth_user *who, int64_t id, int64_t expect_version,
		const struct order_parcel_in *parcels, size_t n, int64_t now_utc,
		struct err *err) WUR;
/* Undoes a split while every parcel is still audited (nothing printed). */
int order_unsplit(struct db *db, const struct auth_user *who, int64_t id, int64_t expect_version,
		  int64_t now_utc, struct err *err) WUR;

struct order_parcel {
	int64_t id, parcel_no;
	enum order_stage stage;
	const char *courier, *tracking_no;
	int64_t weight_g;     /* -1 when not weighed */
	int64_t shipped_utc;  /* 0 when not shipped */
	int64_t version;
	struct order_parcel_line *lines;
	size_t n_lines;
};
/* The order's parcels by parcel_no, strings and lines from a. */
int order_parcels_each(struct db *db, struct arena *a, int64_t order_id,
		       int (*fn)(const struct order_parcel *p, void *ctx), void *ctx,
		       struct err *err) WUR;

/* Parcel k of the order (strings and lines from a). ERR_NOT_FOUND, field
 * "parcel", when the order has no such parcel (or is not split). */
int order_parcel_get(struct db *db, struct arena *a, int64_t order_id, int64_t k,
		     struct order_parcel *out, struct err *err) WUR;

struct order_parcel_args {
	int64_t expect_version; /* the parcel's; 0 = don't check */
	int64_t weight_g;       /* pack */
	const char *courier, *tracking_no; /* ship */
	const char *reason;     /* cancel */
};
/* A parcel's stage action (print pick verify pack ship) or, with cancel, its
 * cancellation. Ship moves exactly the parcel's lines out of stock; cancel
 * releases exactly them (the last parcel that is neither shipped nor
 * cancelled cannot be cancelled while none shipped: cancel the order). The
 * order's stage follows (order_split_stage) and its version goes up. */
int order_parcel_act(struct db *db, const struct auth_user *who, int64_t order_id,
		     int64_t parcel_no, enum order_action act, int cancel,
		     const struct order_parcel_args *args, int64_t now_utc, struct err *err) WUR;

/* ---------------------------------------------------------------- hooks for order_db.c */

/* Called by order_edit_apply after the edit, inside its transaction: a
 * receiver edit of a merged order and an item edit of a split order are
 * refused; a cancel takes the order out of its merge group (dissolving a group
 * left with one order) and cancels a split order's parcels (refused once one
 * shipped: cancel the remaining parcels instead). */
int order_merge_after_edit(struct db *db, const struct auth_user *who, const struct order *o,
			   enum order_change kind, int64_t now_utc, struct err *err) WUR;

#endif
