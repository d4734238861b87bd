/*
 * ship_db.h - ORD-9 in the database: the tracking-number import and the
 * platform bulk-ship export.
 *
 * The import reads a CSV (GBK or UTF-8) or an Excel .xlsx (its first sheet;
 * told apart by content, io/xlsx.h), columns found by name (see ship_db.c) and ships each row's order through order_act
 * (packed -> shipped, timeline and audit in the order's transaction). Rows are
 * independent: a bad row is reported by physical line, column and reason and
 * the good rows are applied; in a workbook the line is the sheet's row number. Re-running a file changes nothing: an order
 * already shipped with the row's tracking number counts as unchanged.
 */
#ifndef ORDERS_SHIP_DB_H
#define ORDERS_SHIP_DB_H

#include <jansson.h>
#include <stdint.h>

#include "auth/auth.h"
#include "lib/err.h"

struct db;

#define SHIP_ERRORS_KEPT 1000

/* Imports tracking numbers for one store from an open file (read from its
 * current offset). who may be NULL (the CLI). *result (new reference):
 * {"rows","shipped","unchanged","rejected","errors":[{"line","column","reason"}]}
 * with at most SHIP_ERRORS_KEPT errors. Fails as a whole only when the file
 * is neither CSV text nor a readable .xlsx, or lacks a required column. */
int ship_tracking_import(struct db *db, const struct auth_user *who, int64_t store_id, int fd,
			 int64_t now_utc, json_t **result, struct err *err) WUR;

/* One shipped order of the export. Strings valid during the callback. */
struct ship_row {
	const char *order_no, *courier, *tracking_no;
	int64_t shipped_utc;
};

/* The store's orders shipped (ship event) in [from_utc, to_utc) (0 = open),
 * still shipped or delivered, oldest first. */
int ship_export_each(struct db *db, int64_t store_id, int64_t from_utc, int64_t to_utc,
		     int (*fn)(const struct ship_row *r, void *ctx), void *ctx,
		     struct err *err) WUR;

#endif
