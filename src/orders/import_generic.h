/*
 * import_generic.h - the generic order template (ORD-2: "a documented generic
 * CSV/XLSX template") for channels other than Taobao/Tmall. The user's guide
 * is docs/import-generic.md; this header is the contract it documents.
 *
 * One file, CSV (UTF-8, with or without BOM; GBK is read too) or XLSX (first
 * sheet), told apart by content. One row per order LINE: the order's own
 * fields (buyer, receiver, status, amounts, ...) are repeated on each line of
 * the same order, and the lines are grouped by 订单编号 wherever they are in
 * the file. Columns are found by name (Chinese or the English alias, column
 * order free, unknown columns ignored); a file without a required column is
 * refused as a whole, naming every missing one.
 *
 * Row rules (generic_row_parse, pure):
 *   - 订单编号 is required on every row (1..64 bytes); the row is rejected
 *     alone without it, since it cannot be grouped;
 *   - cells are cleaned like the platform exports (spaces, ="…", a leading
 *     apostrophe); 商家编码 placeholders ("无", "-", "null") mean none;
 *   - 单价, 运费, 实付金额 are yuan with at most two decimals (lib/money.h),
 *     never negative; 单价 empty = 0.00 (a gift); 数量 empty = 1, else a whole
 *     number 1..1000000; times are Shanghai wall time (lib/cal.h formats);
 *   - 店铺订单状态 is one of the platform texts (等待买家付款, 买家已付款，等待卖家
 *     发货, ...; commas and spaces are not significant) or its English name
 *     (wait_pay, paid, shipped, success, closed, refund_closed); empty means
 *     买家已付款，等待卖家发货;
 *   - a line needs 商品标题 or 商家编码.
 * Order rules (generic_order_merge, pure), over all the rows of one 订单编号:
 *   - an order-level cell left empty on some rows takes the value of the rows
 *     that have it (so Excel's merged cells work); two rows giving different
 *     non-empty values reject every row of the order, naming the column and
 *     the two lines;
 *   - 买家昵称, 收货人 and 收货地址 must be given on some row;
 *   - 下单时间 empty: 付款时间 is used; both empty reject the order;
 *   - 实付金额 empty: Σ 单价×数量 + 运费;
 *   - at most GENERIC_ORDER_LINES_MAX rows per order.
 * A row rejected by the row rules rejects the other rows of its order too
 * (an order is never imported with a line missing). The storage end is the
 * Taobao importer's (import_write.h): idempotent re-import, audited updates,
 * ORD-6 checks, auto-audit, one transaction per batch.
 */
#ifndef ORDERS_IMPORT_GENERIC_H
#define ORDERS_IMPORT_GENERIC_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "io/csv.h"
#include "lib/err.h"
#include "orders/import_write.h"

struct arena;
struct db;
struct addr_table;
struct policy;

enum generic_col {
	GENERIC_COL_ORDER_NO,
	GENERIC_COL_STATUS,
	GENERIC_COL_BUYER,
	GENERIC_COL_RECEIVER,
	GENERIC_COL_PHONE,
	GENERIC_COL_ADDRESS,
	GENERIC_COL_CREATED,
	GENERIC_COL_PAID_AT,
	GENERIC_COL_TITLE,
	GENERIC_COL_SKU,
	GENERIC_COL_PRICE,
	GENERIC_COL_QTY,
	GENERIC_COL_POSTAGE,
	GENERIC_COL_PAID,
	GENERIC_COL_MESSAGE,
	GENERIC_COL_MEMO,
	GENERIC_COL_COURIER,
	GENERIC_COL_TRACKING,
	GENERIC_COL__COUNT
};

/* The columns in template order: the Chinese name, required, English aliases. */
extern const struct csv_column generic_columns[GENERIC_COL__COUNT];
/* The English name of each column (the first alias): "order_no", ... */
const char *generic_col_english(enum generic_col c);
/* The template's two example rows: one order of two lines. */
extern const char *const generic_template_rows[2][GENERIC_COL__COUNT];

#define GENERIC_ORDER_NO_MAX 64
#define GENERIC_ORDER_LINES_MAX 500
#define GENERIC_QTY_MAX 1000000
/* An empty optional number (time or amount). */
#define GENERIC_UNSET INT64_MIN

/* One row, cleaned and typed; strings in the arena, never NULL. */
struct generic_row {
	long line;
	const char *order_no;
	/* order level; "" or GENERIC_UNSET when the cell is empty */
	const char *status; /* the platform's text (order_pstatus_text) */
	const char *buyer, *receiver, *phone, *address, *message, *memo, *courier, *tracking;
	int64_t created_utc, paid_utc, postage_fen, paid_fen;
	/* line level */
	const char *title, *sku;
	int64_t price_fen, qty;
};

/* Parses data row rec (ix from csv_map_header over generic_columns). On a bad
 * cell returns ERR_UNPROCESSABLE with *bad_col set and the reason in err;
 * out->order_no is set whenever the row had a usable one ("" otherwise), so
 * the caller can reject the rest of the order. ERR_NOMEM when a runs out. */
int generic_row_parse(const struct csv_record *rec, const int *ix, struct arena *a,
		      struct generic_row *out, enum generic_col *bad_col, struct err *err) WUR;

/* Folds the n rows of one order (same order_no, in file order) into the order
 * and its lines for import_write_order(): o and l are filled (strings borrowed
 * from rows or from a). On a rule above returns ERR_UNPROCESSABLE with
 * *bad_col and the reason, which holds for every row of the order. */
int generic_order_merge(const struct generic_row *rows, size_t n, struct arena *a,
			struct import_order *o, struct import_lines *l, enum generic_col *bad_col,
			struct err *err) WUR;

/*
 * The import (import_generic_db.c): file fd (CSV or XLSX, from its current
 * offset; borrowed). Rows are staged in a temporary table keyed by (订单编号,
 * line), then written order by order through import_write.h. Counts: rows and
 * rejected are rows of the file; inserted, updated and unchanged are orders.
 * Rejected rows reach the sink with file "generic".
 */
int import_generic(struct db *db, const struct auth_user *who, int64_t store_id,
		   int64_t import_id, int fd, const struct addr_table *addrs,
		   const struct policy *pol, int64_t now_utc, const struct import_sink *sink,
		   struct import_counts *out, struct err *err) WUR;

#endif
