/*
 * import_taobao.h - the Taobao/Tmall order export into orders (ORD-1, ORD-2).
 *
 * Input: the 订单报表 file and, optionally, the 宝贝报表 file (one row per order
 * line), as the seller center writes them (GBK or UTF-8, see io/csv.h and
 * io/taobao_format.h). Columns are found by name.
 *
 * Guarantees:
 *   - streaming: memory stays flat however big the files (items are staged in a
 *     temporary table, orders are read row by row);
 *   - a row that cannot be used (no order number, bad amount or time, unknown
 *     status) is rejected with its physical line, column and reason; the good
 *     rows are kept;
 *   - idempotent on (store, 订单编号): a re-import inserts nothing and updates
 *     nothing unless the platform's data changed (new status, tracking number),
 *     and each such update writes an audit row (before -> after);
 *   - each order is written with all its items in the same transaction
 *     (batches of orders per transaction), so a crash at any moment leaves no
 *     order without its items, and a re-run completes the job.
 * An address or phone that fails the ORD-6 checks does not reject the row: the
 * order is real on the platform. It lands in the exception queue (ORD-13).
 * The storage end (hash, insert/update, audit, auto-audit) is import_write.h.
 */
#ifndef ORDERS_IMPORT_TAOBAO_H
#define ORDERS_IMPORT_TAOBAO_H

#include <stdint.h>

#include "auth/auth.h"
#include "lib/err.h"
#include "orders/import_write.h"

struct db;
struct addr_table;
struct policy;

struct import_src {
	int orders_fd;
	int items_fd; /* -1 when there is no items file */
};

int import_taobao(struct db *db, const struct auth_user *who, int64_t store_id,
		  int64_t import_id, const struct import_src *src, const struct addr_table *addrs,
		  const struct policy *pol, int64_t now_utc, const struct import_sink *sink,
		  struct import_counts *out, struct err *err) WUR;

#endif
