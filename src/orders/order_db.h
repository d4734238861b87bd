/*
 * order_db.h - orders in the database: import upserts, reads, stage actions and
 * ORD-4 edits. Each business operation is one transaction with its timeline
 * event and audit row; a stale version is ERR_CONFLICT (409).
 */
#ifndef ORDERS_ORDER_DB_H
#define ORDERS_ORDER_DB_H

#include <stdint.h>

#include "auth/auth.h"
#include "orders/order.h"

struct db;
struct arena;
struct sb;

/* ---------------------------------------------------------------- reads */

struct order_filter {
	int64_t user_id;          /* only stores this user may see */
	int64_t store_id;         /* 0 = every visible store */
	const char *stage;        /* stage name or NULL */
	int exception_only;       /* ORD-13 queue */
	const char *platform_status;
	int64_t from_utc, to_utc; /* on created time; 0 = open */
	const char *buyer;        /* exact buyer nick */
	const char *receiver;     /* exact receiver name */
	const char *phone_last4;
	const char *sku;          /* an item's 商家编码 */
	const char *tracking_no;
	const char *order_no;     /* platform order number */
	int merged_only;          /* ORD-10: members of a merged parcel */
	int split_only;           /* ORD-10: orders split into parcels */
	int64_t page, page_size;  /* 1-based page */
};

#define ORDER_COUNT_CAP 1001
#define ORDER_COUNT_CAP_TEXT "1001"

/* One page of orders, newest first; *total counts matches up to ORDER_COUNT_CAP. */
int order_list(struct db *db, const struct order_filter *f, struct arena *a,
	       int (*fn)(const struct order *o, void *ctx), void *ctx, int64_t *total,
	       struct err *err) WUR;
/* ERR_NOT_FOUND unless the order exists in a store user_id may see (0 = any). */
int order_get(struct db *db, struct arena *a, int64_t id, int64_t user_id, struct order *out,
	      struct err *err) WUR;
int order_items_each(struct db *db, struct arena *a, int64_t order_id,
		     int (*fn)(const struct order_item *it, void *ctx), void *ctx,
		     struct err *err) WUR;

struct order_event {
	int64_t at_utc;
	const char *username, *action, *from_stage, *to_stage, *detail;
};
int order_events_each(struct db *db, int64_t order_id,
		      int (*fn)(const struct order_event *e, void *ctx), void *ctx,
		      struct err *err) WUR;

struct order_memo_row {
	int64_t id, at_utc;
	const char *kind, *value, *text, *author;
};
int order_memos_each(struct db *db, int64_t order_id,
		     int (*fn)(const struct order_memo_row *m, void *ctx), void *ctx,
		     struct err *err) WUR;

struct order_task {
	int64_t id, order_id, created_utc, done_utc, version;
	const char *kind, *role, *status, *text, *note, *order_no, *store_code;
};
int order_tasks_each(struct db *db, const char *role, const char *status, int64_t order_id,
		     int64_t user_id, int (*fn)(const struct order_task *t, void *ctx), void *ctx,
		     struct err *err) WUR;
int order_task_done(struct db *db, const struct auth_user *who, int64_t task_id,
		    const char *note, int64_t now_utc, struct err *err) WUR;

/* ---------------------------------------------------------------- changes */

struct order_act_args {
	int64_t expect_version; /* 0 = don't check */
	int64_t weight_g;       /* pack */
	const char *courier;    /* ship */
	const char *tracking_no;/* ship */
	const char *reason;     /* hold */
};

/* Applies a stage action (ORD-3): checks the stage, records who/when. */
int order_act(struct db *db, const struct auth_user *who, int64_t id, enum order_action act,
	      const struct order_act_args *args, int64_t now_utc, struct err *err) WUR;

/* An ORD-4 change: new receiver fields, new item attributes, or a cancel. */
struct order_edit {
	int64_t expect_version;
	enum order_change kind;
	const char *receiver_name, *receiver_phone, *receiver_address; /* RECEIVER; NULL = same */
	int64_t item_line;          /* ITEMS: which line */
	const char *sku_code, *attrs; /* ITEMS; NULL = same */
	int64_t qty;                /* ITEMS; 0 = same */
	const char *reason;         /* CANCEL */
};

struct order_edit_result {
	struct order_change_rule rule;
	int64_t task_ids[2];
	int64_t memo_id;
};

int order_edit_apply(struct db *db, const struct auth_user *who, int64_t id,
		     const struct order_edit *e, int64_t now_utc, struct order_edit_result *res,
		     struct err *err) WUR;

/* ORD-13: a person resolves an order in the exception queue; the reason is cleared
 * and who resolved it, when and how is kept on the timeline and in the audit log. */
int order_resolve_exception(struct db *db, const struct auth_user *who, int64_t id,
			    int64_t expect_version, const char *note, int64_t now_utc,
			    struct err *err) WUR;

int order_memo_add(struct db *db, const struct auth_user *who, int64_t id,
		   enum order_memo_kind kind, const char *before, const char *value,
		   int64_t now_utc, int64_t *memo_id, struct err *err) WUR;

/* One timeline row of an order (who = NULL: "system"); inside the caller's transaction. */
int order_event_add(struct db *db, const struct auth_user *who, int64_t order_id,
		    const char *action, const char *from, const char *to, const char *detail,
		    int64_t now, struct err *err) WUR;

/* ---------------------------------------------------------------- report */

struct order_report {
	int64_t orders, item_lines, items_qty, buyers, paid_total_fen;
};
/* by_status / by_stage: called once per group with its count. */
int order_report(struct db *db, int64_t store_id, int64_t from_utc, int64_t to_utc,
		 struct order_report *out,
		 int (*by_status)(const char *status, int64_t n, void *ctx),
		 int (*by_stage)(const char *stage, int64_t n, void *ctx), void *ctx,
		 struct err *err) WUR;

/* Orders and paid total per Shanghai calendar day of 订单创建时间 in [from, to);
 * days without orders are not reported. */
int order_report_days(struct db *db, int64_t store_id, int64_t from_utc, int64_t to_utc,
		      int (*fn)(int64_t day_start_utc, int64_t orders, int64_t paid_fen, void *ctx),
		      void *ctx, struct err *err) WUR;
/* The SKUs sold most (by quantity, cancelled orders left out) in [from, to). */
int order_report_top_skus(struct db *db, int64_t store_id, int64_t from_utc, int64_t to_utc,
			  int64_t limit,
			  int (*fn)(const char *sku, const char *title, int64_t qty,
				    int64_t sales_fen, void *ctx),
			  void *ctx, struct err *err) WUR;

/* Demo data only: moves a store's order times by delta seconds (so generated
 * orders fall in "the last 30 days"). */
int order_demo_shift_times(struct db *db, int64_t store_id, int64_t delta_s,
			   struct err *err) WUR;

#endif
