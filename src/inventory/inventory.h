/*
 * inventory.h - the rules of stock (SPEC INV-1 .. INV-6), pure.
 *
 * No storage, no clock, no I/O: callers pass levels, quantities, "now" and the
 * store's policy flag. Storage (inventory_db.c) gathers the facts from the
 * ledger and applies the verdicts in one transaction.
 *
 * Quantities are whole units (int64). For one stock SKU in one warehouse:
 *   on_hand   units physically in the warehouse (never below zero);
 *   reserved  units promised to audited, not yet shipped orders;
 *   available = on_hand - reserved  (what may still be sold).
 *
 * The oversell guard (INV-6), inv_guard(): a change (d_on_hand, d_reserved) to
 * a level is refused when
 *   - on_hand would become negative (no stock can leave that is not there),
 *   - reserved would become negative (releasing more than was reserved), or
 *   - available would become negative AND the change lowers available AND the
 *     caller does not allow overselling (policy allow_presale_oversell, 预售).
 * A change that does not lower available is always allowed on that count, so a
 * receipt into an oversold SKU, a release or a ship (on_hand and reserved both
 * fall) never gets stuck behind an earlier pre-sale.
 *
 * Combination SKUs (组合装/套餐, INV-6) are listing SKUs made of stock SKUs: a
 * combo holds no stock of its own; reserving, shipping or returning N of it
 * moves N x part-qty of each part. A part is never itself a combo (one level).
 * A combo's available is the number of whole sets the parts make:
 *   min over parts of floor(part_available / part_qty)   (floor, so an
 * oversold part makes the combo negative too).
 *
 * Stocktake (盘点, INV-3): the count sheet snapshots each line's on_hand as
 * "expected"; variance = counted - expected; approval moves on_hand by the
 * variance (movements recorded after the sheet was made are kept). Every line
 * must be counted before approval. A count is a physical fact, so approval may
 * leave available below zero (the SKU then shows on the out-of-stock list),
 * but never on_hand.
 *
 * Sell-through (动销率, INV-5) for a period [from, to):
 *   sold SKU     a stock SKU with at least one unit sold in the period (a
 *                combo sold counts for each of its parts);
 *   stocked SKU  a stock SKU that had stock in the period: on_hand > 0 at
 *                `from`, or any unit came in during the period, or it sold;
 *   sell-through = sold SKUs / stocked SKUs  (0 when nothing was stocked).
 * Slow-moving (滞销) as of `to`, with N = slow_days:
 *   on_hand > 0 at `to`, the first unit arrived at least N days before `to`
 *   (new arrivals have not had their chance yet), and no unit sold in the N
 *   days before `to` (never sold counts as no sale).
 * What a "unit sold" is (paid, not cancelled) is decided by the storage layer
 * and documented in inventory_db.h.
 */
#ifndef INVENTORY_INVENTORY_H
#define INVENTORY_INVENTORY_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"

#define INV_CODE_MAX 64          /* 商家编码, bytes (ASCII) */
#define INV_WH_CODE_MAX 32       /* warehouse and location codes */
#define INV_TITLE_MAX 200        /* characters */
#define INV_QTY_MAX 1000000      /* one movement, one count line */
#define INV_PART_QTY_MAX 999
#define INV_PARTS_MAX 20
#define INV_SLOW_DAYS_DEFAULT 30 /* 滞销: no sale in this many days */
#define INV_SLOW_DAYS_MAX 365

/* ---------------------------------------------------------------- codes */

/* 商家编码: 1-64 of A-Z a-z 0-9 - _ . starting with a letter or digit (it is a
 * path segment in the API, so no '/'), and not the placeholder seller tools
 * write for "none" ("null"). Field "code". */
int inv_sku_code_check(const char *code, struct err *err) WUR;
/* Warehouse or location code: 1-32 of A-Z a-z 0-9 - _ ; field named by the caller. */
int inv_place_code_check(const char *code, const char *field, struct err *err) WUR;
/* Valid UTF-8 of 1..max characters (0..max when !required). */
int inv_text_check(const char *s, const char *field, size_t max, int required,
		   struct err *err) WUR;

/* ---------------------------------------------------------------- levels and the guard */

struct inv_level {
	int64_t on_hand;
	int64_t reserved;
};

int64_t inv_available(const struct inv_level *l);

enum inv_verdict {
	INV_OK,
	INV_SHORT,        /* available would fall below zero: oversell */
	INV_NEG_ON_HAND,  /* more would leave than is on hand */
	INV_NEG_RESERVED, /* more released or shipped than was reserved */
};

/* The guard described above; `after` (may be NULL) receives the new level. */
enum inv_verdict inv_guard(const struct inv_level *before, int64_t d_on_hand, int64_t d_reserved,
			   int allow_oversell, struct inv_level *after);
const char *inv_verdict_zh(enum inv_verdict v);
const char *inv_verdict_en(enum inv_verdict v);

/* ---------------------------------------------------------------- combination SKUs */

/* One wanted line: a SKU (combo or not) and a quantity. */
struct inv_item {
	int64_t sku_id;
	int is_combo;
	int64_t qty;
};

/* One row of a combo's recipe. */
struct inv_combo_part {
	int64_t combo_id;
	int64_t part_id;
	int64_t qty;
};

/* A stock SKU and a quantity. */
struct inv_line {
	int64_t sku_id;
	int64_t qty;
};

/* Expands items into stock lines: combos become their parts (qty x part qty),
 * equal SKUs are summed, and the result is sorted by sku_id, so every writer
 * touches stock rows in the same order (no deadlock between two orders).
 * Items with qty <= 0 are skipped. out needs room for n_items + n_parts lines.
 * ERR_UNPROCESSABLE (field "parts") for a combo without parts or a quantity
 * overflow; ERR_INTERNAL when cap is too small. */
int inv_expand(const struct inv_item *items, size_t n_items, const struct inv_combo_part *parts,
	       size_t n_parts, struct inv_line *out, size_t cap, size_t *n_out,
	       struct err *err) WUR;

/* A recipe as entered: each part's id, qty and whether it is itself a combo. */
struct inv_part_spec {
	int64_t sku_id;
	int64_t qty;
	int is_combo;
};

/* A combo's new recipe: at most INV_PARTS_MAX parts, each qty 1..999, none the
 * combo itself, none a combo, no SKU twice. An empty recipe makes the SKU a
 * plain stock SKU again. Field "parts". */
int inv_parts_check(int64_t combo_id, const struct inv_part_spec *parts, size_t n,
		    struct err *err) WUR;

/* Whole sets available: min over i of floor(available[i] / qty[i]); 0 when n == 0. */
int64_t inv_combo_available(const int64_t *part_available, const int64_t *part_qty, size_t n);

/* ---------------------------------------------------------------- stocktake */

struct inv_count_line {
	int64_t expected;
	int64_t counted;
	int has_count;
};

struct inv_stocktake_sum {
	int64_t lines, counted, uncounted;
	int64_t over_lines, short_lines;  /* counted more / less than expected */
	int64_t over_qty, short_qty;      /* both >= 0 */
	int64_t net;                      /* sum of variances */
};

/* counted - expected. */
int64_t inv_variance(const struct inv_count_line *l);
void inv_stocktake_sum(const struct inv_count_line *lines, size_t n, struct inv_stocktake_sum *out);
/* ERR_UNPROCESSABLE (field "counts") naming how many lines are not counted. */
int inv_stocktake_ready(const struct inv_stocktake_sum *s, struct err *err) WUR;

/* ---------------------------------------------------------------- sell-through, slow-moving */

/* What the storage layer knows of one stock SKU for a period [from, to). */
struct inv_sku_period {
	int64_t on_hand_start;   /* at `from` */
	int64_t received;        /* units that came in during the period */
	int64_t sold_qty;        /* units sold during the period */
	int64_t on_hand_end;     /* at `to` */
	int64_t last_sale_utc;   /* last sale before `to`; 0 = never */
	int64_t first_stock_utc; /* first unit ever in, before `to`; 0 = never */
};

int inv_sku_stocked(const struct inv_sku_period *s);
int inv_sku_sold(const struct inv_sku_period *s);
int inv_sku_slow(const struct inv_sku_period *s, int64_t to_utc, int slow_days);
/* sold / stocked in parts per million, rounded half up; 0 when stocked == 0. */
int64_t inv_sell_through_ppm(int64_t sold_skus, int64_t stocked_skus);
/* Whole days from `since` to `to` (0 when since is 0 or later). */
int64_t inv_days_between(int64_t since_utc, int64_t to_utc);

#endif
