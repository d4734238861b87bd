/*
 * import_write.h - where every order importer ends (ORD-1, ORD-2): one order
 * with its lines, typed and cleaned, written idempotently. Shared by the
 * Taobao/Tmall importer (import_taobao.h) and the generic template
 * (import_generic.h), so both give the same guarantees:
 *   - idempotent on (store, 订单编号): a content hash of the platform's fields
 *     tells "unchanged" from "updated"; a new order is one INSERT ... ON
 *     CONFLICT DO NOTHING, so a new order costs no lookup first;
 *   - an update (new status, tracking number, ...) replaces the platform's
 *     fields and the lines, keeps the internal stage, and writes an audit row
 *     (before -> after) in the same transaction; a platform close of an order
 *     still in fulfilment goes to the exception queue (ORD-4);
 *   - ORD-6/ORD-13: the address and phone are checked on the way in; failures
 *     only flag the order; an order passing every rule is audited
 *     automatically when the store's policy says so (reserving stock once a
 *     catalogue exists, INV-1);
 *   - batches: the caller writes orders between import_writer_batch_end()
 *     calls; each batch is one transaction, so a kill leaves no order without
 *     its lines, and the batch arena is emptied at each batch end (flat memory);
 *     a caller writing large transactions may empty it between orders sooner
 *     with import_writer_arena_reset().
 * The record types below hold no database handle: a pure parser may fill them.
 */
#ifndef ORDERS_IMPORT_WRITE_H
#define ORDERS_IMPORT_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "lib/err.h"
#include "orders/order.h"

struct db;
struct arena;
struct addr_table;
struct policy;

struct import_counts {
	int64_t rows, inserted, updated, unchanged, rejected;
};

struct import_sink {
	/* a rejected row: file is "orders", "items" or "file", line is physical
	 * (CSV) or the sheet's row number (XLSX), column may be "" */
	int (*reject)(void *ctx, const char *file, long line, const char *column,
		      const char *reason);
	/* after each committed batch */
	int (*progress)(void *ctx, int64_t bytes_done, const struct import_counts *c);
	void *ctx;
};

/* One order as the platform knows it; strings borrowed (batch arena), never NULL. */
struct import_order {
	long line;
	const char *order_no, *nick, *alipay, *status, *message, *receiver, *address, *ship_method;
	const char *phone, *title, *tracking, *courier, *memo;
	int64_t goods_fen, postage_fen, total_fen, paid_fen, refund_fen;
	int64_t created_utc, paid_utc; /* paid_utc 0: not paid */
	int64_t kinds, qty;            /* used only when the order has no lines */
	enum order_pstatus pstatus;
	/* set by import_write_order() (ORD-6 checks) */
	const char *province, *city, *district;
	int address_ok, phone_ok;
};

/* One order line (宝贝); strings borrowed, never NULL. */
struct import_line {
	int64_t line, price_fen, qty;
	const char *title, *outer, *attrs, *package, *note, *status, *sku;
};

/* Binds a line's title, price_fen, qty, outer, attrs, package, note, status
 * and sku (in that order) from index first; returns the next index. */
struct db_stmt;
int import_line_bind(struct db_stmt *st, int first, const struct import_line *it);

struct import_lines {
	struct import_line *v;
	size_t n, cap;
};

/* Appends a zeroed line (strings "") to l, growing it in arena a; NULL when out of memory. */
struct import_line *import_lines_add(struct arena *a, struct import_lines *l);

struct import_writer {
	struct db *db;
	const struct auth_user *who;
	int64_t store_id, import_id, now;
	const struct addr_table *addrs;
	const struct policy *pol;
	const struct import_sink *sink;
	struct import_counts *c;
	struct arena *arena; /* per batch: emptied by import_writer_batch_end() or _arena_reset() */
	int stock_in_use;    /* any SKU in the catalogue: auto-audit then reserves stock */
	int indexes_away;    /* import_writer_defer_indexes dropped them */
};

/* Sets up a writer (zeroes *counts, creates the batch arena, switches the
 * connection to bulk mode, asks whether the catalogue is in use). No
 * transaction is open afterwards. Release it either way. */
int import_writer_init(struct import_writer *w, struct db *db, const struct auth_user *who,
		       int64_t store_id, int64_t import_id, const struct addr_table *addrs,
		       const struct policy *pol, int64_t now_utc, const struct import_sink *sink,
		       struct import_counts *counts, struct err *err) WUR;
/* A big import into a small table (SQLite): drop the orders and items tables'
 * secondary indexes now and build them again in import_writer_release (see
 * db/defer_index.c). "Big": expected_orders reaches IMPORT_DEFER_MIN_ORDERS
 * and the orders already stored. DIANPU_IMPORT_DEFER_INDEXES=always|never
 * overrides the rule (tests, or a shop that prefers steady queries). */
#define IMPORT_DEFER_MIN_ORDERS 100000
int import_writer_defer_indexes(struct import_writer *w, int64_t expected_orders,
				struct err *err) WUR;
/* Builds the deferred indexes again; an import that wrote everything calls
 * it so that a failure fails the import (release only logs). */
int import_writer_finish(struct import_writer *w, struct err *err) WUR;
void import_writer_release(struct import_writer *w);

/* Writes one order with its lines inside the caller's transaction: inserted,
 * unchanged or updated (counted). Fills o's ORD-6 fields. l may be empty (the
 * order's own title/kinds/qty are used then). */
int import_write_order(struct import_writer *w, struct import_order *o,
		       const struct import_lines *l, struct err *err) WUR;

/* Counts a rejected row and tells the sink (the reason is why->msg_zh). */
int import_writer_reject(struct import_writer *w, const char *file, long line,
			 const char *column, const struct err *why) WUR;

/* Empties the arena between two orders (nothing of an earlier order is kept). */
int import_writer_arena_reset(struct import_writer *w, struct err *err) WUR;

/* Commits the batch, empties the arena, reports progress (bytes_done), and
 * begins the next transaction. */
int import_writer_batch_end(struct import_writer *w, int64_t bytes_done, struct err *err) WUR;

#endif
