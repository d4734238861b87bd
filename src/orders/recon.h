/*
 * recon.h - ORD-11 courier fee reconciliation, the pure part: reading a bill's
 * weights and month, and deciding what each bill line is flagged with.
 *
 * Each month the courier sends its bill (seed [002]: 每月快递费用对账结算), one
 * line per parcel: tracking number, billed weight, fee. recon_db.c matches each
 * line to our order by tracking number and stores the flags below; this file
 * decides them. Exactly what is flagged (RECON_*):
 *
 *   unknown        the tracking number is on none of our orders (tracking_no
 *                  or the platform's tracking number);
 *   duplicate      the same tracking number is on an earlier line of this bill
 *                  (the parcel is billed twice); the first line is not flagged;
 *   billed_before  the tracking number was already on an earlier bill of the
 *                  same courier;
 *   weight_over    billed weight > our packed weight + tolerance (we may be
 *                  overcharged: the line finance disputes);
 *   weight_under   billed weight < our packed weight - tolerance;
 *   unweighed      matched, but the order has no packed weight to compare;
 *   fee_high       the fee is more than fee_tolerance_pct above the median fee
 *                  of the bill's lines in the same started-kilogram bracket
 *                  (couriers price by 首重 + 续重 per started kg, so a 0.4 kg and a
 *                  0.9 kg parcel cost the same, a 1.2 kg one more); only in
 *                  brackets of at least fee_min_lines lines, where a median
 *                  means something; lines with a fee <= 0 (credits) take no part;
 *   missing        a row we add: an order we shipped with this courier in the
 *                  bill's month (our ship event) whose tracking number is not on
 *                  the bill.
 * A line with any flag is a "difference"; the bill summary counts each flag
 * and totals the fees. No tariff is needed: only the bill against itself and
 * against our weights.
 */
#ifndef ORDERS_RECON_H
#define ORDERS_RECON_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"

enum recon_flag {
	RECON_UNKNOWN = 1u << 0,
	RECON_DUPLICATE = 1u << 1,
	RECON_BILLED_BEFORE = 1u << 2,
	RECON_WEIGHT_OVER = 1u << 3,
	RECON_WEIGHT_UNDER = 1u << 4,
	RECON_UNWEIGHED = 1u << 5,
	RECON_FEE_HIGH = 1u << 6,
	RECON_MISSING = 1u << 7,
};
#define RECON_FLAG_COUNT 8

/* The reconciliation parameters. Policy-like: defaults below, given per
 * import for now (query or form fields). */
struct recon_policy {
	int64_t weight_tolerance_g; /* default 100 */
	int64_t fee_tolerance_pct;  /* default 30 */
	int64_t fee_min_lines;      /* default 5 */
};
#define RECON_POLICY_DEFAULT { 100, 30, 5 }

/* Name of flag bit i (0..RECON_FLAG_COUNT-1): "unknown" ... "missing". */
const char *recon_flag_name(int i);
const char *recon_flag_label_zh(int i);

/* Billed weight cell to grams. Accepts "1.25", "1.250kg", "1.2 公斤", "850g",
 * "850 克" (at most three decimals); without a unit, kg when unit_kg else g.
 * Grams round to the nearest gram. Must be > 0 and at most 1,000,000 g. */
int recon_weight_parse(const char *s, int unit_kg, int64_t *grams, struct err *err) WUR;

/* 1 when a weight column's header means kilograms ("重量", "重量(kg)",
 * "计费重量"), 0 when it names grams ("重量(g)", "重量（克）", "weight_g"). */
int recon_header_unit_kg(const char *header);

/* Fee cell to fen (money_parse: "12.30", "¥12.30", "12.30元"); at most
 * RECON_FEE_MAX_FEN either way (negative lines are credits). */
#define RECON_FEE_MAX_FEN INT64_C(1000000000)
int recon_fee_parse(const char *s, int64_t *fen, struct err *err) WUR;

/* A bill month "2026-11" (also "2026/11", "202611", "2026-1") to its Shanghai
 * bounds [from_utc, to_utc); canon gets "2026-11". */
int recon_period_parse(const char *s, int64_t *from_utc, int64_t *to_utc, char canon[8],
		       struct err *err) WUR;

/* Flags of one bill line from what matching found. ours_g < 0: not weighed. */
unsigned recon_line_flags(int matched, int64_t billed_g, int64_t ours_g, int64_t tolerance_g,
			  int duplicate, int billed_before);

/* The started-kilogram bracket of a weight: 1..1000 g -> 1, 1001..2000 -> 2. */
int64_t recon_bracket_kg(int64_t grams);

/* One bill line as the fee check sees it. */
struct recon_fee {
	int64_t id;
	int64_t weight_g;
	int64_t fee_fen;
	unsigned flags; /* RECON_FEE_HIGH is set here */
};

struct recon_bracket {
	int64_t kg;          /* started kilograms */
	int64_t lines;       /* lines with a fee > 0 */
	int64_t median_fen;  /* lower median when even */
	int64_t total_fen;
	int64_t high;        /* lines flagged fee_high */
	int judged;          /* lines >= fee_min_lines */
};

/* Sorts lines by (bracket, fee), sets RECON_FEE_HIGH on the outliers and calls
 * fn once per bracket in ascending order (fn may be NULL). Returns the number
 * of lines flagged. */
int64_t recon_fee_outliers(struct recon_fee *lines, size_t n, const struct recon_policy *p,
			   void (*fn)(const struct recon_bracket *b, void *ctx), void *ctx);

#endif
