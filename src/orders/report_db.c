/*
 * report_db.c - the dashboard's series: orders and paid total per Shanghai
 * calendar day, and the best-selling SKUs of a period.
 *
 * Days are Asia/Shanghai days (UTC+8, no daylight saving), so a day's bucket
 * is (created_utc + 8 h) / 86400 computed in SQL on both engines.
 */
#include "orders/order_db.h"

#include "db/db.h"
#include "lib/common.h"

#define SHANGHAI_OFFSET_S (8 * 3600)

int order_report_days(struct db *db, int64_t store_id, int64_t from_utc, int64_t to_utc,
		      int (*fn)(int64_t day_start_utc, int64_t orders, int64_t paid_fen, void *ctx),
		      void *ctx, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT (o.created_utc + 28800) / 86400 AS d, COUNT(*),"
				" COALESCE(SUM(o.paid_fen), 0) FROM orders o"
				" WHERE o.store_id = ? AND o.created_utc >= ? AND o.created_utc < ?"
				" GROUP BY d ORDER BY d",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, store_id);
	db_bind_int(st, 2, from_utc);
	db_bind_int(st, 3, to_utc);
	while ((rc = db_step(st, err)) == DB_ROW) {
		int64_t day = db_col_int(st, 0);
		rc = fn(day * 86400 - SHANGHAI_OFFSET_S, db_col_int(st, 1), db_col_int(st, 2), ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

int order_report_top_skus(struct db *db, int64_t store_id, int64_t from_utc, int64_t to_utc,
			  int64_t limit,
			  int (*fn)(const char *sku, const char *title, int64_t qty,
				    int64_t sales_fen, void *ctx),
			  void *ctx, struct err *err)
{
	struct db_stmt *st;
	/* Cancelled orders sold nothing. */
	int rc = db_prepare(db, "SELECT i.sku_code, MIN(i.title), SUM(i.qty), SUM(i.qty * i.price_fen)"
				" FROM order_items i JOIN orders o ON o.id = i.order_id"
				" WHERE o.store_id = ? AND o.created_utc >= ? AND o.created_utc < ?"
				" AND o.stage <> 'cancelled' AND i.sku_code <> ''"
				" GROUP BY i.sku_code ORDER BY SUM(i.qty) DESC, i.sku_code LIMIT ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, store_id);
	db_bind_int(st, 2, from_utc);
	db_bind_int(st, 3, to_utc);
	db_bind_int(st, 4, limit);
	while ((rc = db_step(st, err)) == DB_ROW) {
		rc = fn(db_col_text(st, 0), db_col_text(st, 1), db_col_int(st, 2), db_col_int(st, 3),
			ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}
