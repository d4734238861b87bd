/*
 * print_db.h - what batch printing (ORD-7) reads besides the orders: shelf
 * locations for the pick path; and the marking of printed orders and parcels.
 *
 * Locations belong to inventory (skus, locations, sku_locations of migration
 * 0002); they are read here with plain joins so printing does not depend on
 * the inventory module's API.
 */
#ifndef ORDERS_PRINT_DB_H
#define ORDERS_PRINT_DB_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "lib/err.h"
#include "orders/order.h"

struct db;
struct arena;

/* The SKU's first shelf location on the pick path (lowest pick_order, then
 * location code), over all warehouses. *location is "" and *found 0 when the
 * SKU is unknown or has no location. *location is copied into a. */
int print_sku_location(struct db *db, struct arena *a, const char *sku_code,
		       const char **location, int64_t *pick_order, int *found,
		       struct err *err) WUR;

/* Renders the paper and marks the batch printed, all or nothing: each order
 * audited -> waybill_printed (or reprinted) through order_act(PRINT) with its
 * event and audit row, all n in ONE transaction, committed only when
 * render(ctx) succeeded too. render runs on the calling thread (pango keeps its
 * fonts per thread). On PostgreSQL the stage actions run alongside on a helper
 * thread, since its row locks hold up only these orders; on SQLite, whose one
 * write lock would stall every other writer for the whole rendering, the paper
 * comes first and the short transaction after it. When an order refuses (it
 * changed since it was read) nothing is marked and the error names the order;
 * a render error wins over a marking error. */
int print_mark_printed(struct db *db, const struct auth_user *who, const struct order *orders,
		       size_t n, int64_t now_utc, int (*render)(void *ctx, struct err *err),
		       void *ctx, struct err *err) WUR;

/* ORD-10: one parcel of a split order to print, the order as read. */
struct print_parcel {
	const struct order *order;
	int64_t parcel_no;
};

/* print_mark_printed for parcels: each parcel audited -> waybill_printed (or
 * reprinted) through order_parcel_act(PRINT), with its event and audit row,
 * all n in ONE transaction committed only when render(ctx) succeeded, with the
 * same threading. A refusal names the order and the parcel (field "parcels"). */
int print_mark_parcels_printed(struct db *db, const struct auth_user *who,
			       const struct print_parcel *parcels, size_t n, int64_t now_utc,
			       int (*render)(void *ctx, struct err *err), void *ctx,
			       struct err *err) WUR;

#endif
