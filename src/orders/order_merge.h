/*
 * order_merge.h - ORD-10: merging orders into one parcel, splitting one order
 * into parcels. Pure rules; storage is order_merge_db.h.
 *
 * The model (see order_merge.c for why):
 *   Merge (合并订单). Platform orders stay separate records: each keeps its own
 *   platform order number, items, stock reservation and stage, because each is
 *   shipped back to its platform by that number. Merged orders share one parcel:
 *   orders.merge_group holds the primary order's id (the lowest id of the group)
 *   on every member. From printing on, a stage action on any member is applied
 *   to every member in the same transaction (one waybill, one tracking number,
 *   one weight), so the bulk-ship export lists each platform order with the
 *   shared tracking number and each order's stock leaves at ship.
 *   Unmerge is allowed while every member is still before printing.
 *   Split (拆单/拆包). An audited order's item quantities are spread over 2..N
 *   parcels. Each parcel has its own stage (audited -> waybill_printed -> picked
 *   -> verified -> packed -> shipped, or cancelled), tracking number and
 *   weight; the order's own stage is derived: the least advanced live parcel,
 *   so the order is shipped once every live parcel is (partial shipment shows
 *   as parcels shipped while the order is still at its slowest parcel's stage).
 *   Stock follows the parts: a parcel's ship moves exactly its lines from
 *   reserved to out, a parcel's cancel releases exactly its lines.
 */
#ifndef ORDERS_ORDER_MERGE_H
#define ORDERS_ORDER_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"
#include "orders/order.h"

struct sb;

#define ORDER_MERGE_MAX 20   /* orders in one merged parcel */
#define ORDER_SPLIT_MAX 20   /* parcels of one order */

/* Whether one order may join a merge: paid and awaiting shipment on the
 * platform, pending_audit or audited, not held, cancelled, in the exception
 * queue, split, or merged already (ERR_UNPROCESSABLE naming the order and why). */
int order_merge_eligible(const struct order *o, struct err *err) WUR;
/* 1 when a and b go to the same buyer at the same address in the same store:
 * buyer nick, receiver name, phone and address equal. */
int order_merge_same_key(const struct order *a, const struct order *b);
/* A whole merge: 2..ORDER_MERGE_MAX distinct orders, each eligible, all with
 * the same key as the first. */
int order_merge_check(const struct order *const *orders, size_t n, struct err *err) WUR;
/* Unmerge: every member still before printing. */
int order_unmerge_check(const struct order *const *members, size_t n, struct err *err) WUR;
/* Stage actions that a merged group takes together (print .. deliver). */
int order_merge_shared_action(enum order_action act);

/* ---------------------------------------------------------------- split */

/* One item line of the order as the split sees it. */
struct order_split_line {
	int64_t line_no, qty;
};
/* One line of a parcel asked for. */
struct order_parcel_line {
	int64_t line_no, qty;
};
struct order_parcel_in {
	const struct order_parcel_line *lines;
	size_t n;
};

/* A parcel's code: the barcode of its waybill while it has no tracking number
 * (print_http.c), what a packer scans to verify it (verify_db.c) and what a
 * tracking-number file may name it by (ship_db.c): "<order no>-K", K the
 * parcel number, 1..ORDER_SPLIT_MAX, written without leading zeros. */
#define ORDER_PARCEL_CODE_MAX 100 /* bytes of the order-number part */
/* Appends the code of parcel k of order_no. */
void order_parcel_code_add(struct sb *out, const char *order_no, int64_t k);
/* Splits code at its last '-' into the order number (into order_no, cap
 * bytes) and *k. ERR_INVALID when code is not of that shape (no order number,
 * K not 1..ORDER_SPLIT_MAX or with a leading zero, order number too long for
 * cap), so the caller can take it for an order or tracking number instead. */
int order_parcel_code_parse(const char *code, char *order_no, size_t cap, int64_t *k) WUR;

/* Whether the order may be split now: audited (stock reserved, papers not yet
 * printed), not merged, not split already. */
int order_split_eligible(const struct order *o, struct err *err) WUR;
/* The parcels asked for: 2..ORDER_SPLIT_MAX, none empty, each line_no an item
 * line of the order and once per parcel, each qty >= 1, and for each item line
 * the parcels' quantities sum to exactly its quantity. ERR_UNPROCESSABLE with
 * field "parcels" naming the parcel/line. */
int order_split_check(const struct order_split_line *items, size_t n_items,
		      const struct order_parcel_in *parcels, size_t n_parcels,
		      struct err *err) WUR;

/* A parcel's next stage for an action (print pick verify pack ship) or, with
 * cancel set, cancelled: allowed before shipping. ERR_UNPROCESSABLE naming the
 * parcel's stage. */
int order_parcel_next(enum order_stage from, enum order_action act, int cancel,
		      enum order_stage *to, struct err *err) WUR;
/* The order's stage derived from its parcels: the least advanced parcel that
 * is not cancelled; cancelled when all are. */
enum order_stage order_split_stage(const enum order_stage *parcels, size_t n);
/* A split order's own print .. ship are refused: its parcels move instead
 * (ERR_UNPROCESSABLE, field "parcels"). Other actions pass. */
int order_split_act_check(const struct order *o, enum order_action act, struct err *err) WUR;

#endif
