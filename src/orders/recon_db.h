/*
 * recon_db.h - ORD-11 courier bills in the database: import with matching and
 * flags (orders/recon.h says exactly what is flagged), the bill summary and
 * its lines.
 *
 * A bill is imported in one transaction with its audit row: either the whole
 * bill with every line and flag is stored, or nothing. One bill per courier
 * and month: a second import of the same courier (by ship_courier_key, so
 * "圆通" and "圆通速递" are one) and month is ERR_CONFLICT naming the first.
 */
#ifndef ORDERS_RECON_DB_H
#define ORDERS_RECON_DB_H

#include <jansson.h>
#include <stdint.h>

#include "auth/auth.h"
#include "lib/err.h"
#include "orders/recon.h"

struct db;

#define RECON_ERRORS_KEPT 1000

struct recon_import {
	const char *courier;  /* as the user names it: "圆通速递" */
	const char *period;   /* "2026-11" */
	const char *filename; /* for the record; may be NULL */
	struct recon_policy pol;
};

/* Reads the bill CSV (GBK or UTF-8; columns by name: 运单号, 重量, 运费 and
 * aliases, see recon_db.c; CSV from fd's current offset, or an .xlsx
 * whole, told apart by content, with sheet row numbers as lines), matches, flags, stores.
 * who may be NULL (the CLI). *bill_id gets the new bill's id. Rows that
 * cannot be read (no tracking number, bad weight or fee) are rejected by
 * physical line, column and reason, kept in the bill's errors. */
int recon_bill_import(struct db *db, const struct auth_user *who, const struct recon_import *in,
		      int fd, int64_t now_utc, int64_t *bill_id, struct err *err) WUR;

/* The bill and its summary (new reference):
 * {"id","courier","period","filename","imported_at","user","weight_tolerance_g",
 *  "fee_tolerance_pct","fee_min_lines","rows","lines","matched","rejected","diff",
 *  "fee_total_fen","weight_total_g","weight_over_g","flags":{name:count},
 *  "brackets":[{"kg","lines","median_fen","fee_per_kg_fen","total_fen","high","judged"}],
 *  "errors":[{"line","column","reason"}]}
 * ERR_NOT_FOUND when there is no such bill. */
int recon_bill_json(struct db *db, int64_t bill_id, int with_details, json_t **out,
		    struct err *err) WUR;

/* Bills, newest first, as recon_bill_json without brackets and errors.
 * courier / period filter when not NULL. */
int recon_bills_list(struct db *db, const char *courier, const char *period, json_t **items,
		     struct err *err) WUR;

struct recon_line {
	int64_t id, line_no;
	const char *tracking_no;
	int64_t weight_g, fee_fen;     /* -1 / 0 with has_billed = 0 on missing rows */
	int has_billed;
	int64_t order_id;              /* 0 = unknown, or not visible to the user */
	const char *order_no, *store;  /* "" when unknown or not visible */
	int64_t our_weight_g;          /* -1 = none */
	int64_t weight_diff_g;
	int has_diff;
	unsigned flags;
};

struct recon_line_filter {
	int64_t user_id;   /* orders of other stores show without number */
	int only_diff;     /* lines with any flag */
	unsigned flag;     /* one RECON_* bit, 0 = any */
	int64_t page, page_size;
};

/* Lines of a bill in file order, the missing rows last. */
int recon_lines_each(struct db *db, int64_t bill_id, const struct recon_line_filter *f,
		     int (*fn)(const struct recon_line *l, void *ctx), void *ctx, int64_t *total,
		     struct err *err) WUR;

#endif
