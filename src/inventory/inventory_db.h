/*
 * inventory_db.h - inventory in the database (INV-1 .. INV-6).
 *
 * The stock ledger (stock_ledger) is the single source of truth (INV-2): every
 * change of on_hand or reserved is one ledger row with who (user_id), why
 * (reason: receive reserve release ship return adjust stocktake, plus a note)
 * and the reference (ref_type "order" / "stocktake" / "manual", ref_id). The
 * stock table is a cache of the ledger's sums per (SKU, warehouse), written in
 * the same transaction as the rows; inv_verify() proves it.
 *
 * Each business operation is one transaction holding its ledger rows and its
 * audit row. Called inside a caller's transaction (db_begin nests), it joins
 * that transaction; on an error it rolls back the whole of it (db.h), so the
 * caller returns the error and does not commit.
 *
 * Combination SKUs hold no stock: operations on them move their parts. Stock
 * rows are always touched in sku_id order, so concurrent writers never
 * deadlock on each other's rows. The out-of-stock register (stockouts) is kept
 * by the same code that writes the ledger: a row opens when a SKU's available
 * in a warehouse becomes <= 0 and closes when it is back above 0.
 *
 * Codes: SKUs by 商家编码, warehouses and locations by their code; a NULL or
 * empty warehouse code means the default warehouse, the first by id (where
 * orders reserve). Strings in results are borrowed from the arena passed in, or
 * valid only during the callback.
 */
#ifndef INVENTORY_INVENTORY_DB_H
#define INVENTORY_INVENTORY_DB_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "inventory/inventory.h"

struct db;
struct arena;

/* ---------------------------------------------------------------- products */

struct inv_product {
	int64_t id;
	const char *code, *title, *material, *style;
	int64_t price_fen, version, created_utc, updated_utc;
	int64_t skus; /* how many SKUs name it */
};

/* Create: code and title required. Update: NULL / -1 = unchanged; expect_version required. */
struct inv_product_fields {
	const char *code, *title, *material, *style;
	int64_t price_fen;
	int64_t expect_version;
};

int inv_product_create(struct db *db, const struct auth_user *who,
		       const struct inv_product_fields *f, int64_t now_utc, int64_t *id,
		       struct err *err) WUR;
int inv_product_update(struct db *db, const struct auth_user *who, const char *code,
		       const struct inv_product_fields *f, int64_t now_utc, struct err *err) WUR;
int inv_product_get(struct db *db, struct arena *a, const char *code, struct inv_product *out,
		    struct err *err) WUR;
int inv_product_list(struct db *db, struct arena *a, int64_t page, int64_t page_size,
		     int (*fn)(const struct inv_product *p, void *ctx), void *ctx, int64_t *total,
		     struct err *err) WUR;

/* ---------------------------------------------------------------- SKUs */

struct inv_sku {
	int64_t id;
	const char *code, *product_code, *title, *attrs;
	int64_t price_fen;
	int is_combo, active;
	int64_t version, created_utc, updated_utc;
};

/* Create: code and title required, the rest optional. Update: NULL / -1 =
 * unchanged, expect_version required (stale: ERR_CONFLICT field "version"). */
struct inv_sku_fields {
	const char *code;
	const char *product_code, *title, *attrs;
	int64_t price_fen;     /* -1 = not given */
	int active;            /* -1 = not given */
	int64_t expect_version;
};

int inv_sku_create(struct db *db, const struct auth_user *who, const struct inv_sku_fields *f,
		   int64_t now_utc, int64_t *id, struct err *err) WUR;
int inv_sku_update(struct db *db, const struct auth_user *who, const char *code,
		   const struct inv_sku_fields *f, int64_t now_utc, struct err *err) WUR;
int inv_sku_get(struct db *db, struct arena *a, const char *code, struct inv_sku *out,
		struct err *err) WUR;

struct inv_sku_filter {
	const char *q;            /* substring of code or title */
	const char *product_code;
	int combo;                /* -1 any, 0 stock SKUs, 1 combos */
	int64_t page, page_size;
};
int inv_sku_list(struct db *db, struct arena *a, const struct inv_sku_filter *f,
		 int (*fn)(const struct inv_sku *s, void *ctx), void *ctx, int64_t *total,
		 struct err *err) WUR;

/* INV-6: replaces a SKU's recipe. Non-empty makes it a combo: only when it holds
 * no stock and no ledger rows, and is not a part of another combo. Empty makes
 * it a stock SKU again. */
struct inv_part_in {
	const char *code;
	int64_t qty;
};
int inv_sku_parts_set(struct db *db, const struct auth_user *who, const char *code,
		      int64_t expect_version, const struct inv_part_in *parts, size_t n,
		      int64_t now_utc, struct err *err) WUR;

struct inv_part_row {
	const char *code, *title;
	int64_t qty;
	int64_t available; /* of the part, in the warehouse asked for */
};
int inv_sku_parts_each(struct db *db, int64_t combo_id, const char *warehouse,
		       int (*fn)(const struct inv_part_row *p, void *ctx), void *ctx,
		       struct err *err) WUR;

/* Shelf locations of a SKU in one warehouse (replaces that warehouse's set). */
int inv_sku_locations_set(struct db *db, const struct auth_user *who, const char *code,
			  const char *warehouse, const char *const *locations, size_t n,
			  int64_t now_utc, struct err *err) WUR;

struct inv_sku_loc {
	const char *warehouse, *location;
	int64_t pick_order;
};
int inv_sku_locations_each(struct db *db, int64_t sku_id,
			   int (*fn)(const struct inv_sku_loc *l, void *ctx), void *ctx,
			   struct err *err) WUR;

/* Stock of one SKU in every warehouse (zeros where it has none). A combo's
 * on_hand/reserved are 0 and its available is the sets its parts make. */
struct inv_stock_level {
	const char *warehouse;
	int64_t on_hand, reserved, available;
};
int inv_sku_stock_each(struct db *db, const struct inv_sku *sku,
		       int (*fn)(const struct inv_stock_level *l, void *ctx), void *ctx,
		       struct err *err) WUR;

/* ---------------------------------------------------------------- warehouses */

struct inv_warehouse {
	int64_t id;
	const char *code, *name;
	int64_t created_utc;
	int64_t locations;
	int is_default;
};

int inv_warehouse_create(struct db *db, const struct auth_user *who, const char *code,
			 const char *name, int64_t now_utc, int64_t *id, struct err *err) WUR;
/* code NULL or "" = the default warehouse (ERR_UNPROCESSABLE when there is none). */
int inv_warehouse_get(struct db *db, struct arena *a, const char *code,
		      struct inv_warehouse *out, struct err *err) WUR;
int inv_warehouse_each(struct db *db, struct arena *a,
		       int (*fn)(const struct inv_warehouse *w, void *ctx), void *ctx,
		       struct err *err) WUR;

struct inv_location {
	int64_t id;
	const char *code;
	int64_t pick_order;
	int64_t skus;
};
int inv_location_create(struct db *db, const struct auth_user *who, const char *warehouse,
			const char *code, int64_t pick_order, int64_t now_utc, int64_t *id,
			struct err *err) WUR;
int inv_location_each(struct db *db, int64_t warehouse_id,
		      int (*fn)(const struct inv_location *l, void *ctx), void *ctx,
		      struct err *err) WUR;

/* ---------------------------------------------------------------- stock movements */

struct inv_move {
	const char *sku;
	const char *warehouse; /* NULL = default */
	int64_t qty;
	const char *note;      /* the why in words */
};

/* Goods in (reason receive): qty 1..INV_QTY_MAX. `after` (may be NULL) gets the new level. */
int inv_receive(struct db *db, const struct auth_user *who, const struct inv_move *m,
		int64_t now_utc, struct inv_level *after, struct err *err) WUR;
/* A correction (reason adjust): qty is a signed change, not 0; a note is
 * required. Never takes available below zero (ERR_UNPROCESSABLE field "qty"):
 * an adjustment is not a sale, so the pre-sale policy does not apply. */
int inv_adjust(struct db *db, const struct auth_user *who, const struct inv_move *m,
	       int64_t now_utc, struct inv_level *after, struct err *err) WUR;

struct inv_stock_filter {
	const char *sku, *warehouse, *q;
	int has_avail_le;
	int64_t avail_le;
	int64_t page, page_size;
};
struct inv_stock_row {
	int64_t sku_id;
	const char *sku, *title, *attrs, *warehouse, *location;
	int64_t on_hand, reserved, available;
	int64_t out_since; /* 0 unless on the out-of-stock register */
};
/* Stock SKUs x warehouses (zeros where no stock row), by code. */
int inv_stock_list(struct db *db, struct arena *a, const struct inv_stock_filter *f,
		   int (*fn)(const struct inv_stock_row *r, void *ctx), void *ctx,
		   int64_t *total, struct err *err) WUR;

struct inv_ledger_filter {
	const char *sku, *warehouse, *reason, *ref_type, *ref_id;
	int64_t page, page_size;
};
struct inv_ledger_row {
	int64_t id, at_utc, on_hand_delta, reserved_delta;
	const char *sku, *warehouse, *reason, *ref_type, *ref_id, *note, *username;
};
/* Newest first; *sum (may be NULL) gets the deltas' sums over every matching row. */
int inv_ledger_list(struct db *db, struct arena *a, const struct inv_ledger_filter *f,
		    int (*fn)(const struct inv_ledger_row *r, void *ctx), void *ctx,
		    int64_t *total, struct inv_level *sum, struct err *err) WUR;

/* INV-2 check: every stock row against its ledger sums; fn gets each mismatch. */
struct inv_mismatch {
	const char *sku, *warehouse;
	struct inv_level stock, ledger;
};
int inv_verify(struct db *db, int (*fn)(const struct inv_mismatch *m, void *ctx), void *ctx,
	       int64_t *checked, int64_t *mismatches, struct err *err) WUR;

/* ---------------------------------------------------------------- orders (called by orders/) */

/*
 * What an order holds is the sum of its ledger rows (ref_type "order", ref_id
 * the order id), so release and ship move exactly what was reserved even when
 * the order's items were edited since. Items are order_items.sku_code; combos
 * expand to their parts; reservations go to the default warehouse.
 */

/* Reserves every item. ERR_UNPROCESSABLE field "stock" when an item has an
 * empty 商家编码, names an unknown one ("商家编码未知: X"), or (unless
 * allow_oversell) available < qty for some SKU, naming the short SKUs.
 * Idempotent: an order that holds a reservation, or has shipped, is left alone.
 * ERR_NOT_FOUND when the order does not exist. */
int inv_order_reserve(struct db *db, const struct auth_user *who, int64_t order_id,
		      int allow_oversell, int64_t now_utc, struct err *err) WUR;
/* Gives back what the order holds (cancel, or before an edit of its items, after
 * which the caller reserves again). Idempotent; a no-op if never reserved. */
int inv_order_release(struct db *db, const struct auth_user *who, int64_t order_id,
		      int64_t now_utc, struct err *err) WUR;
/* Reserved -> out: on_hand and reserved both fall by what the order holds.
 * Idempotent (a shipped order is left alone). An order that was never reserved
 * ships its current items straight from on_hand (the same checks as reserve,
 * and on_hand may not go below zero). */
int inv_order_ship(struct db *db, const struct auth_user *who, int64_t order_id,
		   int64_t now_utc, struct err *err) WUR;
/* ORD-10: part of an order, as (item line, qty) pairs (a line may be named once).
 * ship_part moves exactly those quantities (combos as their parts) from what
 * the order holds to "out", and takes from on_hand directly what was never
 * reserved (same guard as ship); release_part gives back at most what the
 * order holds of them. note says which parcel ("包裹 2/3"). Not idempotent:
 * the caller records which parts moved. */
struct inv_order_part {
	int64_t line_no, qty;
};
int inv_order_ship_part(struct db *db, const struct auth_user *who, int64_t order_id,
			const struct inv_order_part *lines, size_t n, const char *note,
			int64_t now_utc, struct err *err) WUR;
int inv_order_release_part(struct db *db, const struct auth_user *who, int64_t order_id,
			   const struct inv_order_part *lines, size_t n, const char *note,
			   int64_t now_utc, struct err *err) WUR;
/* Would inv_order_reserve(allow_oversell = 0) succeed now? *ok = 1 also when the
 * order already holds its reservation or has shipped. No writes; err only for
 * real failures (database, no such order), not for "no". */
/* Whether dianpu keeps stock at all (any SKU in the catalogue). Orders of a
 * business that has not set up inventory are audited and shipped without
 * reservations, instead of every one being refused for "unknown SKU". */
int inv_catalog_in_use(struct db *db, int *yes, struct err *err) WUR;

int inv_order_check(struct db *db, int64_t order_id, int *ok, struct err *err) WUR;
/* An accepted return (AFS): qty units of sku back on hand (a combo restocks its
 * parts), into the warehouse it shipped from. At most what the order shipped of
 * it minus what came back already (ERR_UNPROCESSABLE field "qty"). */
int inv_order_return(struct db *db, const struct auth_user *who, int64_t order_id,
		     const char *sku, int64_t qty, const char *note, int64_t now_utc,
		     struct err *err) WUR;

/* ---------------------------------------------------------------- out of stock, delist */

struct inv_listing_row {
	int64_t sku_id;
	const char *sku, *title, *attrs;
	int is_combo;
	int64_t on_hand, reserved, available; /* combos: 0, 0, sets */
	int64_t out_since;     /* register: since when; 0 = never had stock */
	int64_t restocked_utc; /* restocked(): when it came back */
	const char *short_parts; /* combos: codes of the parts that are out, ", " separated */
};

/* 缺货登记: active stock SKUs with available <= 0 in the warehouse. */
int inv_out_of_stock(struct db *db, struct arena *a, const char *warehouse,
		     int (*fn)(const struct inv_listing_row *r, void *ctx), void *ctx,
		     struct err *err) WUR;
/* 下架: active listing SKUs (stock SKUs and combos) with available <= 0; a combo
 * is out when its parts no longer make one whole set. */
int inv_delist(struct db *db, struct arena *a, const char *warehouse,
	       int (*fn)(const struct inv_listing_row *r, void *ctx), void *ctx,
	       struct err *err) WUR;
/* Restock alerts (可上架): SKUs whose stock-out ended at or after since_utc and
 * that are still available > 0. */
int inv_restocked(struct db *db, struct arena *a, const char *warehouse, int64_t since_utc,
		  int (*fn)(const struct inv_listing_row *r, void *ctx), void *ctx,
		  struct err *err) WUR;
/* Every active listing SKU with its available (the platform stock sync file). */
int inv_listing_each(struct db *db, struct arena *a, const char *warehouse,
		     int (*fn)(const struct inv_listing_row *r, void *ctx), void *ctx,
		     struct err *err) WUR;

/* ---------------------------------------------------------------- stocktake */

struct inv_stocktake {
	int64_t id;
	const char *warehouse, *status, *locations, *note, *created_by, *approved_by;
	int64_t created_utc, approved_utc, version;
	struct inv_stocktake_sum sum;
};

struct inv_stocktake_line {
	const char *sku, *title, *attrs, *location;
	int64_t pick_order;
	struct inv_count_line count;
	int64_t variance; /* 0 until counted */
};

/* A count sheet for a warehouse: every active stock SKU with stock there or a
 * shelf there; with locations, only SKUs shelved at those locations. Expected
 * is each SKU's on_hand now. ERR_UNPROCESSABLE when the sheet would be empty. */
int inv_stocktake_create(struct db *db, const struct auth_user *who, const char *warehouse,
			 const char *const *locations, size_t n_locations, const char *note,
			 int64_t now_utc, int64_t *id, struct err *err) WUR;
int inv_stocktake_get(struct db *db, struct arena *a, int64_t id, struct inv_stocktake *out,
		      struct err *err) WUR;
/* In pick order (shelf pick_order, then code). */
int inv_stocktake_lines_each(struct db *db, struct arena *a, int64_t id,
			     int (*fn)(const struct inv_stocktake_line *l, void *ctx), void *ctx,
			     struct err *err) WUR;
int inv_stocktake_list(struct db *db, struct arena *a, const char *status,
		       int (*fn)(const struct inv_stocktake *s, void *ctx), void *ctx,
		       struct err *err) WUR;

struct inv_count_in {
	const char *sku;
	int64_t counted;
};
/* Enters counts (a later count of a line replaces the earlier). A SKU not on the
 * sheet is added with expected = its on_hand now (found on a shelf). Only while
 * open (ERR_CONFLICT field "status" otherwise). */
int inv_stocktake_count(struct db *db, const struct auth_user *who, int64_t id,
			const struct inv_count_in *counts, size_t n, int64_t now_utc,
			struct err *err) WUR;
/* Approval: every line counted; writes one "stocktake" ledger row per line with
 * a variance; on_hand never below zero. A second approval is ERR_CONFLICT. */
int inv_stocktake_approve(struct db *db, const struct auth_user *who, int64_t id,
			  int64_t now_utc, struct err *err) WUR;
int inv_stocktake_cancel(struct db *db, const struct auth_user *who, int64_t id,
			 int64_t now_utc, struct err *err) WUR;

/* ---------------------------------------------------------------- sell-through report */

/*
 * A unit sold: order_items.qty of an order paid (paid_utc) in the period and not
 * cancelled (closed and refund-closed orders are cancelled), matched to a SKU by
 * 商家编码; a combo's sale counts qty x part qty for each part. Only orders of
 * stores user_id may see (X-5; 0 = all). Stock figures are from the ledger, all
 * warehouses together. The SKUs are the active stock SKUs.
 */
struct inv_report {
	int64_t from_utc, to_utc;
	int slow_days;
	int64_t skus, stocked, sold, slow;
	int64_t sell_through_ppm;
};
struct inv_report_row {
	const char *sku, *title, *attrs;
	struct inv_sku_period p;
	int stocked, sold, slow;
	int64_t days_since_sale; /* to `to`; -1 = never sold */
};
int inv_sell_through(struct db *db, struct arena *a, int64_t user_id, int64_t from_utc,
		     int64_t to_utc, int slow_days, struct inv_report *out,
		     int (*fn)(const struct inv_report_row *r, void *ctx), void *ctx,
		     struct err *err) WUR;

/* ---------------------------------------------------------------- demo */

/* Warehouse "main" (主仓) with shelves A-01-01 ..., the demo catalogue's products
 * and SKUs (商家编码 as the Taobao generator writes them: CODE-V1[-V2]), each on a
 * shelf, with opening stock received 90 days before now (some SKUs at 0), and
 * one combo. Running it again changes nothing. */
int inv_demo_seed(struct db *db, int64_t now_utc, struct err *err) WUR;

#endif
